/**
 * Lending consent (custody/lending-consent.service.ts): a trader confirms or refuses the request a
 * declaration raised for its devices, or consents beforehand for an administration and a period,
 * and withdraws that. Both parties list what they are party to; only the trader decides.
 */
import { z } from 'zod';
import { lendingConsentStatuses, toTimestamp, type MovementId, type Timestamp } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { idParams, isoTime, pageQuery } from '../schemas';
import { pageOf } from '../views';

const ts = z.string().describe('UTC timestamp, ISO 8601 with milliseconds');
const consentOut = z.object({
  id: z.string(),
  trader: z.string().describe('the trader organisation that holds the devices and decides'),
  administration: z.string().describe('the administration the devices are lent to'),
  movement: z.string().nullable().describe("the declaration's movement; null: a standing consent"),
  devices: z.array(z.string()).nullable().describe('the devices; null: every device the trader holds (standing consents)'),
  status: z.enum(lendingConsentStatuses),
  from: ts.describe('a request: when it was raised; a standing consent: from when it holds'),
  to: ts.nullable().describe('a standing consent: until when (null: until withdrawn)'),
  createdAt: ts,
  createdBy: z.string(),
  decidedAt: ts.nullable(),
  decidedBy: z.string().nullable(),
});
const standingSchema = z
  .object({
    administration: z.string().min(1).max(128).describe('the customs administration the devices are lent to'),
    devices: z.array(z.string().min(1).max(128)).min(1).max(1000).nullable().optional().describe('absent or null: every device you hold'),
    from: isoTime.optional().describe('default: now'),
    to: isoTime.nullable().optional().describe('default: until withdrawn'),
  })
  .strict();
const time = (s: string | null | undefined): Timestamp | undefined | null =>
  s === null ? null : s === undefined ? undefined : toTimestamp(Date.parse(s));
const decided = {
  200: { description: 'The consent', schema: consentOut },
  403: { description: 'not_lending_trader: only the trader that holds the devices decides' },
  404: { description: 'unknown_lending_consent: none, or one you are not party to' },
  409: { description: 'invalid_transition: already decided, or (refusing) the movement has started' },
};

export function lendingConsentRoutes(api: Api, ctx: AppContext): void {
  const { lending } = ctx.custody;
  api.route({
    method: 'GET',
    url: '/api/v1/custody/consents',
    operationId: 'listLendingConsents',
    tag: 'devices',
    auth: 'user',
    permission: 'movements.read',
    summary:
      "Lending consents you are party to, by id: the requests declarations raised for a trader's devices and standing consents (a trader: its own; an administration: those to it; the platform and auditors: all)",
    query: z.object({
      ...pageQuery,
      status: z.enum(lendingConsentStatuses).optional(),
      movement: z.string().min(1).max(128).optional(),
    }),
    responses: { 200: { description: 'A page of consents', schema: pageOf(consentOut) } },
    handler: async ({ query, principal }) =>
      lending.list(principal, { status: query.status, movement: query.movement as MovementId | undefined }, query),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/custody/consents',
    operationId: 'createLendingConsent',
    tag: 'devices',
    auth: 'user',
    permission: 'custody.consent',
    summary:
      'A trader consents beforehand: an administration may declare and start movements with its devices (those named, or all it holds) from `from` until `to`, without a request per declaration',
    body: standingSchema,
    responses: {
      201: { description: 'The standing consent', schema: consentOut },
      403: { description: 'not_lending_trader: the caller is not a trader organisation' },
      422: { description: 'unknown_organisation (administration), device_not_in_custody (a device you do not hold), invalid_time' },
    },
    handler: async ({ body, principal, reply }) => {
      const c = await lending.createStanding(principal, {
        administration: body.administration,
        devices: body.devices ?? null,
        from: time(body.from) ?? undefined,
        to: time(body.to),
      });
      reply.code(201);
      return c;
    },
  });
  for (const [action, operationId, summary] of [
    ['confirm', 'confirmLendingConsent', "The trader confirms a declaration's request: the movement may start with its devices"],
    [
      'refuse',
      'refuseLendingConsent',
      "The trader refuses a declaration's request (or takes back its confirmation before the start): the movement cannot start with its devices, which are free again",
    ],
    ['withdraw', 'withdrawLendingConsent', 'The trader withdraws a standing consent from now'],
  ] as const) {
    api.route({
      method: 'POST',
      url: `/api/v1/custody/consents/:id/${action}`,
      operationId,
      tag: 'devices',
      auth: 'user',
      permission: 'custody.consent',
      summary,
      params: idParams,
      body: z.object({}).strict().default({}),
      responses: decided,
      handler: async ({ params, principal }) => lending[action](principal, params.id),
    });
  }
}
