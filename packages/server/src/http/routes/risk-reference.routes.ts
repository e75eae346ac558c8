/**
 * The risk reference (docs/risk.md): the levels analysts give origin countries, HS chapters and
 * routes (departure>destination office pairs). Movements' static facts origin_risk, goods_risk and
 * route_risk are read from it at assessment; what it does not rate is low.
 */
import { toTimestamp, type RiskReferenceEntry } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import { effectiveReference, INSTALLATION, riskLayerOf } from '../../risk/risk-administration';
import type { Api } from '../route';
import { administrationQuery, referenceBody, referenceKey, referenceListQuery, referenceOut, referenceParams } from './risk.schemas';

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
    summary:
      "The risk reference the caller's administration assesses with: levels (low, medium, high) of origin countries, HS chapters and office pairs, by kind then key (its own entries over the installation's)",
    query: referenceListQuery,
    responses: {
      200: {
        description: 'Every entry (one page: the reference is small)',
        schema: z.object({ items: z.array(referenceOut), nextCursor: z.null() }),
      },
    },
    handler: async ({ query, principal }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'read');
      return { items: await effectiveReference(store, layer, query.kind), nextCursor: null };
    },
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/risk/reference/:kind/:key',
    operationId: 'setRiskReference',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary:
      "Rate an origin country (KE), an HS chapter (24) or an office pair (KEMBA>UGMAL, URL-encoded) for the caller's administration; used by its assessments from now on",
    params: referenceParams,
    query: administrationQuery,
    body: referenceBody,
    responses: { 200: { description: 'The stored entry', schema: referenceOut } },
    handler: async ({ params, query, body, actor, principal }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'write');
      const entry: RiskReferenceEntry = {
        kind: params.kind,
        key: referenceKey(params.kind, params.key),
        level: body.level,
        note: body.note ?? null,
        updatedAt: toTimestamp(ctx.now()),
        updatedBy: actor,
      };
      await store.risk.putReference(entry, layer);
      return { ...entry, administration: layer === INSTALLATION ? null : layer };
    },
  });
  api.route({
    method: 'DELETE',
    url: '/api/v1/risk/reference/:kind/:key',
    operationId: 'deleteRiskReference',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary:
      "Remove the caller's administration's entry (the item is then rated as the installation rates it, else low); answers 204 whether or not it existed",
    params: referenceParams,
    query: administrationQuery,
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params, query, principal, reply }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'write');
      await store.risk.deleteReference(params.kind, referenceKey(params.kind, params.key), layer);
      reply.code(204);
      return null;
    },
  });
}
