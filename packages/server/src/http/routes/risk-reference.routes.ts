/**
 * The risk reference (docs/risk.md): the levels analysts give origin countries, HS chapters and
 * routes (departure>destination office pairs). Movements' static facts origin_risk, goods_risk and
 * route_risk are read from it at assessment; what it does not rate is low.
 */
import { toTimestamp, type RiskReferenceEntry } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { referenceBody, referenceKey, referenceListQuery, referenceOut, referenceParams } from './risk.schemas';

export function riskReferenceRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;
  const tag = 'risk';

  api.route({
    method: 'GET',
    url: '/api/v1/risk/reference',
    operationId: 'listRiskReference',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary: 'The risk reference: levels (low, medium, high) of origin countries, HS chapters and office pairs, by kind then key',
    query: referenceListQuery,
    responses: {
      200: {
        description: 'Every entry (one page: the reference is small)',
        schema: z.object({ items: z.array(referenceOut), nextCursor: z.null() }),
      },
    },
    handler: async ({ query }) => ({ items: await store.risk.listReference({ kind: query.kind }), nextCursor: null }),
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/risk/reference/:kind/:key',
    operationId: 'setRiskReference',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary:
      'Rate an origin country (KE), an HS chapter (24) or an office pair (KEMBA>UGMAL, URL-encoded); used by assessments from now on',
    params: referenceParams,
    body: referenceBody,
    responses: { 200: { description: 'The stored entry', schema: referenceOut } },
    handler: async ({ params, body, actor }) => {
      const entry: RiskReferenceEntry = {
        kind: params.kind,
        key: referenceKey(params.kind, params.key),
        level: body.level,
        note: body.note ?? null,
        updatedAt: toTimestamp(ctx.now()),
        updatedBy: actor,
      };
      await store.risk.putReference(entry);
      return entry;
    },
  });
  api.route({
    method: 'DELETE',
    url: '/api/v1/risk/reference/:kind/:key',
    operationId: 'deleteRiskReference',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary: 'Remove an entry (the item is then rated low); answers 204 whether or not it existed',
    params: referenceParams,
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params, reply }) => {
      await store.risk.deleteReference(params.kind, referenceKey(params.kind, params.key));
      reply.code(204);
      return null;
    },
  });
}
