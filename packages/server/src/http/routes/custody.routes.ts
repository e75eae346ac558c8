/**
 * Device custody: the device's owner (its provider) or the platform hands a device to a trader
 * or a customs administration for a period, lists its grants, and ends one. Only a holder (the
 * declaring administration or the movement's trader) declares and starts movements with it.
 */
import { z } from 'zod';
import { toTimestamp, type MovementId, type Timestamp } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { idParams, isoTime } from '../schemas';

const ts = z.string().describe('UTC timestamp, ISO 8601 with milliseconds');
const grantOut = z.object({
  id: z.string(),
  device: z.string(),
  holder: z.string().describe('the organisation holding the device: a trader or a customs administration'),
  from: ts,
  to: ts.nullable().describe('null: until the grant is ended'),
  grantedBy: z.string(),
  createdAt: ts,
});
const grantSchema = z
  .object({
    holder: z.string().min(1).max(128).describe('organisation id of a trader or a customs administration'),
    from: isoTime.optional().describe('start of the custody (default: now)'),
    to: isoTime.nullable().optional().describe('end of the custody (default: until ended)'),
  })
  .strict();
const endSchema = z
  .object({ to: isoTime.optional().describe('end of the custody (default: now)') })
  .strict()
  .default({});
const grantParams = idParams.extend({ grantId: z.string().min(1).max(128) });
const time = (s: string | null | undefined): Timestamp | undefined | null =>
  s === null ? null : s === undefined ? undefined : toTimestamp(Date.parse(s));

export function custodyRoutes(api: Api, ctx: AppContext): void {
  const { custody } = ctx;

  api.route({
    method: 'POST',
    url: '/api/v1/devices/:id/custody',
    operationId: 'grantDeviceCustody',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: "Hand a device to a trader or a customs administration for a period (the device's owner or the platform)",
    params: idParams,
    body: grantSchema,
    responses: { 201: { description: 'The grant', schema: grantOut }, 422: { description: 'unknown_organisation (holder), invalid_time' } },
    handler: async ({ params, body, principal, reply }) => {
      const g = await custody.grant(principal, params.id, { holder: body.holder, from: time(body.from) ?? undefined, to: time(body.to) });
      reply.code(201);
      return g;
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/devices/:id/custody',
    operationId: 'listDeviceCustody',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary:
      "A device's custody grants, oldest first, and whether it is on a movement (named only to a party to it); the device's owner or the platform",
    params: idParams,
    responses: {
      200: {
        description: 'Grants, whether the device is on a movement that has not ended, and that movement (null unless you may see it)',
        schema: z.object({ items: z.array(grantOut), armed: z.boolean(), movement: z.string().nullable() }),
      },
    },
    handler: async ({ params, principal }) => {
      const items = await custody.grants(principal, params.id);
      // A provider learns that its device is in use, not whose cargo it seals: the movement is
      // named only to a party to it (or the platform).
      const current = await custody.currentMovement(params.id as never);
      const movement = current && (await ctx.scopes.canSeeId(principal, current as MovementId)) ? current : null;
      return { items, armed: current !== null, movement };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/custody/declarable-devices',
    operationId: 'listDeclarableDevices',
    tag: 'devices',
    auth: 'user',
    permission: 'movements.write',
    summary:
      'The devices the caller may declare a movement with now: held by its organisation (or by the trader named), on no movement that has not ended (every free device for the platform)',
    query: z.object({ trader: z.string().min(1).max(128).optional().describe("the movement's trader: its devices count too") }),
    responses: {
      200: {
        description: 'Devices by id, each with its kind, seal number and holder',
        schema: z.object({
          items: z.array(
            z.object({
              id: z.string(),
              kind: z.string(),
              sealNumber: z.string().nullable(),
              holder: z.string(),
              consented: z
                .boolean()
                .describe("false: the trader's device, lent only once the trader confirms the declaration's request (no standing consent)"),
            }),
          ),
          nextCursor: z.null(),
        }),
      },
    },
    handler: async ({ query, principal }) => ({
      items: (await custody.declarableDevices(principal, query.trader ?? null)).map(({ device, holder, consented }) => ({
        id: device.id,
        kind: device.kind,
        sealNumber: device.identifiers?.sealNumber ?? null,
        holder,
        consented,
      })),
      nextCursor: null,
    }),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/devices/:id/custody/:grantId/end',
    operationId: 'endDeviceCustody',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: 'End a custody grant (default now): the holder can no longer declare or start movements with the device',
    params: grantParams,
    body: endSchema,
    responses: { 200: { description: 'The ended grant', schema: grantOut }, 409: { description: 'invalid_transition: already ended' } },
    handler: async ({ params, body, principal }) => custody.endGrant(principal, params.id, params.grantId, time(body.to) ?? undefined),
  });
}
