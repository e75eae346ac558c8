/**
 * Federation between administrations (DESIGN §8, docs/federation.md): the well-known document,
 * partners (admin), the inbox (authenticated by each message's signature), and control results on
 * a partner's movement. Partner changes are audited by the route layer like every API change;
 * messages are audited by the inbox and outbox.
 */
import { controlResultCodes, DomainError } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { Federation } from '../../federation/federation';
import { agreementSchema, retentionSchema } from '../../federation/partners';
import { problem } from '../problem';
import type { Api } from '../route';
import { idParams } from '../schemas';

const keyOut = z.object({ kid: z.string(), kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() });
const partnerOut = z.object({
  administration: z.string(),
  name: z.string(),
  country: z.string(),
  url: z.string(),
  inbox: z.string(),
  agreement: agreementSchema,
  retention: retentionSchema.describe(
    "this installation's own days per data class for the copies of this partner's movements (at most the agreement's retentionDays; a class not named is kept retentionDays)",
  ),
  keys: z.array(keyOut).describe('the pinned keys its messages are checked with'),
  pendingKeys: z.array(keyOut).nullable().describe('keys it now publishes, waiting for POST …/keys/accept'),
  createdAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().nullable(),
  lastExchangeAt: z.string().nullable(),
  backlog: z.number().describe('messages to it not delivered yet'),
});
const controlResultsBody = z.object({
  result: z.enum(controlResultCodes).describe('NCTS control result code'),
  stateOfSeals: z.enum(['ok', 'not_ok']),
  comment: z.string().max(2000).optional(),
});
const partnerParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });

export function federationRoutes(api: Api, ctx: AppContext): void {
  const need = (): Federation => {
    if (!ctx.federation)
      throw new DomainError(
        'federation_not_configured',
        'federation is off: set SEALWATCH_ADMINISTRATION, SEALWATCH_COUNTRY and SEALWATCH_PUBLIC_URL',
      );
    return ctx.federation;
  };

  api.route({
    method: 'GET',
    url: '/.well-known/sealwatch-federation',
    operationId: 'getFederationDocument',
    tag: 'federation',
    auth: 'public',
    summary: "This installation's identity among administrations: administration, name, country, its federation keys (JWKS), its inbox",
    responses: {
      200: { description: 'The federation document' },
      404: { description: 'federation is not configured' },
    },
    handler: async ({ reply }) => {
      if (!ctx.federation)
        return reply
          .code(404)
          .type('application/problem+json')
          .send(problem(404, 'not_found', 'federation is not configured here'));
      return ctx.federation.wellKnown();
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/federation/partners',
    operationId: 'createFederationPartner',
    tag: 'federation',
    auth: 'admin',
    summary:
      'Register a partner administration by its base URL: its well-known document is fetched and its keys pinned; the agreement says what this side sends it and accepts from it. Movements already in transit towards its country are announced to it at once',
    body: z.object({ url: z.string().url().max(2000), agreement: agreementSchema, retention: retentionSchema.optional() }),
    responses: {
      201: { description: 'The partner', schema: partnerOut },
      409: { description: 'partner_exists, federation_not_configured' },
      422: { description: 'insecure_partner_url, invalid_partner_document, invalid_retention' },
      502: { description: 'partner_unreachable' },
    },
    handler: async ({ body, reply }) => {
      const f = need();
      const p = await f.registerPartner(body.url, body.agreement, body.retention);
      reply.code(201);
      return { ...(await f.partnerView(p)), id: p.administration };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/federation/partners',
    operationId: 'listFederationPartners',
    tag: 'federation',
    auth: 'admin',
    summary: 'Partner administrations with agreement, pinned keys, last exchange and outbox backlog',
    responses: {
      200: { description: 'Every partner, ended ones included', schema: z.object({ items: z.array(partnerOut), nextCursor: z.null() }) },
    },
    handler: async () => {
      const f = need();
      const items = await Promise.all((await ctx.store.federation.listPartners()).map((p) => f.partnerView(p)));
      return { items, nextCursor: null };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/federation/partners/:id',
    operationId: 'getFederationPartner',
    tag: 'federation',
    auth: 'admin',
    summary: 'One partner',
    params: partnerParams,
    responses: { 200: { description: 'The partner', schema: partnerOut } },
    handler: async ({ params }) => need().partnerView(await need().partners.get(params.id)),
  });

  api.route({
    method: 'DELETE',
    url: '/api/v1/federation/partners/:id',
    operationId: 'endFederationPartner',
    tag: 'federation',
    auth: 'admin',
    summary:
      'End the partnership: nothing more is sent to it and its messages are refused (403); copies of its movements still under way here end now (their retention runs); its record stays for the access report',
    params: partnerParams,
    responses: { 200: { description: 'The partner, ended', schema: partnerOut } },
    handler: async ({ params }) => need().partnerView(await need().endPartner(params.id)),
  });

  api.route({
    method: 'PUT',
    url: '/api/v1/federation/partners/:id/retention',
    operationId: 'setFederationPartnerRetention',
    tag: 'federation',
    auth: 'admin',
    summary:
      "This installation's own retention per data class (position, seal, sensors, trader, goods, driver) for the copies of the partner's movements, in days after a movement ends here: each at most the agreement's retentionDays, a class not named kept retentionDays; applied by the retention run",
    params: partnerParams,
    body: retentionSchema,
    responses: { 200: { description: 'The partner', schema: partnerOut }, 422: { description: 'invalid_retention' } },
    handler: async ({ params, body }) => need().partnerView(await need().partners.setRetention(params.id, body)),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/federation/partners/:id/keys/accept',
    operationId: 'acceptFederationPartnerKeys',
    tag: 'federation',
    auth: 'admin',
    summary: 'Pin the keys the partner publishes now (after a key rotation there): its messages signed with them are then taken',
    params: partnerParams,
    responses: { 200: { description: 'The partner with its new keys', schema: partnerOut }, 409: { description: 'no_pending_keys' } },
    handler: async ({ params }) => need().partnerView(await need().partners.acceptKeys(params.id)),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/federation/partners/:id/report',
    operationId: 'getFederationAccessReport',
    tag: 'federation',
    auth: 'admin',
    summary:
      'Access report: the messages sent to the partner (type, movement, fields, when queued and delivered) and received from it, newest first',
    params: partnerParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    responses: { 200: { description: 'What was shared when' } },
    handler: async ({ params, query }) => {
      const p = await need().partners.get(params.id);
      const sent = await ctx.store.federation.sent(p.administration, query.limit);
      const received = await ctx.store.federation.received(p.administration, query.limit);
      return {
        partner: p.administration,
        sent: sent.map(({ jws, ...m }) => ({ ...m, fields: Object.keys(payloadOf(jws).body ?? {}) })),
        received,
      };
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/federation/inbox',
    operationId: 'federationInbox',
    tag: 'federation',
    auth: 'signature',
    summary:
      'A message from a partner: JWS compact (application/jose, EdDSA, kid <administration>/<key id>). 202 taken, 200 already taken, 401 signature or key unknown, 403 not a partner or beyond the agreement, 422 unknown movement; refused messages are quarantined',
    body: z.string().max(256 * 1024),
    bodyContentTypes: ['application/jose'],
    bodyLimit: 512 * 1024,
    responses: {
      202: { description: 'Taken' },
      200: { description: 'This message id was already taken: nothing changes' },
      401: { description: 'bad_signature, unknown_key, kid_mismatch' },
      403: { description: 'unknown_partner, beyond_agreement' },
      422: { description: 'unknown_movement' },
    },
    handler: async ({ body, request, reply }) => {
      const f = need();
      const answer = await f.inbox.receive(body, request.ip);
      if (!('reason' in answer)) {
        reply.code(answer.status);
        return { status: answer.status === 202 ? 'taken' : 'duplicate' };
      }
      return reply
        .code(answer.status)
        .type('application/problem+json')
        .send(problem(answer.status, answer.reason, answer.detail));
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/movements/:id/control-results',
    operationId: 'recordControlResults',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.write',
    summary: "NCTS control results at the office of destination, on a partner's movement: recorded here and sent back to its origin",
    params: idParams,
    body: controlResultsBody,
    responses: {
      200: { description: 'The control results recorded' },
      409: { description: 'federated_movement_read_only: not a partner movement' },
    },
    handler: async ({ params, body, principal }) => {
      const m = await ctx.scopes.movement(principal, params.id);
      return { movement: m.id, controlResults: await need().recordControlResults(m, body) };
    },
  });
}

function payloadOf(jws: string): { body?: Record<string, unknown> } {
  try {
    return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}
