/**
 * Device integrations. Management (integrations.manage, within the caller's organisation; the
 * platform's administrators all): create, list and revoke the scoped tokens of LoRaWAN network
 * servers and RFID readers; an integration feeds only its organisation's devices. Devices' side (integration token of the endpoint's
 * kind): ChirpStack v4 and The Things Stack v3 uplinks, RFID reader reports. These answer 200
 * with one result per observation once it is durable, rejected ones quarantined with a reason
 * (a network server cannot do better by retrying them); 503 with Retry-After when overloaded.
 */
import { DomainError } from '@sealwatch/core';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context';
import type { IntegrationKind } from '../../storage/ports';
import { PLATFORM_ORG } from '../../access/access.service';
import type { IngestContext } from '../../ingest/admission';
import { integrationKinds } from '../../integrations/integration-tokens';
import type { Api } from '../route';
import { idParams, pageQuery } from '../schemas';
import { deviceOut, deviceView, ingestOut, pageOf } from '../views';

const ts = z.string();
const integrationOut = z.object({
  id: z.string(),
  kind: z.enum(integrationKinds),
  name: z.string(),
  createdAt: ts,
  createdBy: z.string(),
  organisation: z.string(),
  revokedAt: ts.nullable(),
});
/** Any JSON document: the protocol library validates it, and a refusal is quarantined with its reason. */
const jsonDocument = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);
/** A reader report as JSON, or as newline-delimited JSON (`application/x-ndjson`, Impinj's stream form) kept as text. */
const readerReport = z.union([jsonDocument, z.string().max(4 * 1024 * 1024)]);
const readerReportTypes = ['application/json', 'application/x-ndjson'];
const ignoredOut = z.object({ ignored: z.literal(true), event: z.string() });
const pendingOut = z.object({
  identifier: z.string(),
  protocol: z.string(),
  transport: z.string(),
  remote: z.string().nullable(),
  firstSeenAt: ts,
  lastSeenAt: ts,
  count: z.number(),
  organisation: z.string().nullable().describe("the organisation whose integration reported it; null: the platform's to approve"),
});

/** TTS webhook message types that carry no uplink to store (the message's own member name). */
const TTS_OTHER_MESSAGES = [
  'join_accept',
  'downlink_ack',
  'downlink_nack',
  'downlink_sent',
  'downlink_failed',
  'downlink_queued',
  'downlink_queue_invalidated',
  'service_data',
];
const ttsOtherMessage = (body: unknown): string | null => {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'uplink_message' in body) return null;
  return TTS_OTHER_MESSAGES.find((k) => k in body) ?? null;
};

export function integrationRoutes(api: Api, ctx: AppContext): void {
  const { tokens } = ctx.integrations;
  api.route({
    method: 'POST',
    url: '/api/v1/integrations',
    operationId: 'createIntegration',
    tag: 'integrations',
    auth: 'user',
    permission: 'integrations.manage',
    summary:
      "Create an integration token for a ChirpStack or The Things Stack application, or for RFID readers. It belongs to your organisation and feeds only the devices your organisation owns (the platform's: every device); uplinks for other devices are quarantined as not_integration_device. The token is shown once; only its SHA-256 is kept.",
    body: z.object({ kind: z.enum(integrationKinds), name: z.string().min(1).max(200) }),
    responses: {
      201: { description: 'Created; `token` is not shown again', schema: z.object({ integration: integrationOut, token: z.string() }) },
    },
    handler: async ({ body, actor, principal, reply }) => {
      const created = await tokens.create(body, `user:${actor}`, principal.organisation.id);
      reply.code(201);
      return { ...created, id: created.integration.id };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/integrations',
    operationId: 'listIntegrations',
    tag: 'integrations',
    auth: 'user',
    permission: 'integrations.manage',
    summary: "Your organisation's integrations by id (the platform's administrators: all), never their tokens",
    query: z.object(pageQuery),
    responses: { 200: { description: 'A page of integrations', schema: pageOf(integrationOut) } },
    handler: async ({ query, principal }) => tokens.list(query, principal),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/integrations/:id/revoke',
    operationId: 'revokeIntegration',
    tag: 'integrations',
    auth: 'user',
    permission: 'integrations.manage',
    summary: "Revoke one of your organisation's integration tokens at once (its next request gets 401); the platform's administrators any",
    params: idParams,
    responses: {
      200: { description: 'The revoked integration', schema: integrationOut },
      404: { description: "unknown_integration: no such integration, or another organisation's" },
    },
    handler: async ({ params, principal }) => tokens.revoke(params.id, principal),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/devices/pending',
    operationId: 'listPendingDevices',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary:
      "Unknown vendor device ids seen by ingest (SEALWATCH_PENDING_DEVICES=true), by identifier; their inputs stay quarantined. Your organisation's: those its integrations reported (the platform: all, listeners' included)",
    query: z.object(pageQuery),
    responses: { 200: { description: 'A page of pending devices', schema: pageOf(pendingOut) } },
    handler: async ({ query, principal }) => ctx.integrations.pending.list(principal, query),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/devices/pending/:identifier/approve',
    operationId: 'approvePendingDevice',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: 'Register a pending device under its identifier with its latest protocol; its next frames are accepted',
    params: z.object({ identifier: z.string().min(1).max(128) }),
    body: z.object({
      class: z.enum(['passive', 'semi_active', 'active']),
      kind: z.enum(['e_seal', 'e_lock', 'tracker', 'container_sensor', 'rfid_seal', 'reader']),
      reportIntervalS: z
        .number()
        .int()
        .positive()
        .max(7 * 86_400)
        .nullable()
        .optional(),
      owner: z.string().max(200).nullable().optional(),
    }),
    responses: {
      201: { description: 'The registered device', schema: deviceOut },
      404: { description: "unknown_pending_device: not pending, or another organisation's (or the platform's)" },
      422: { description: 'field_not_allowed: `owner` names another organisation and the caller is not the platform' },
    },
    handler: async ({ params, body, principal, reply }) => {
      // As for POST /devices: only the platform registers a device for another owner.
      const platform = principal.organisation.kind === 'platform';
      if (!platform && body.owner != null && body.owner !== principal.organisation.id) {
        throw new DomainError('field_not_allowed', 'only the platform registers a device for another owner: leave out owner', {
          fields: ['owner'],
        });
      }
      const device = await ctx.integrations.pending.approve(principal, params.identifier, {
        ...body,
        owner: platform ? body.owner : principal.organisation.id,
      });
      reply.code(201);
      return deviceView(device, null);
    },
  });
}

export function deviceIntegrationRoutes(api: Api, ctx: AppContext): void {
  const { tokens, devices } = ctx.integrations;
  // The integration each request authenticated as: its organisation decides which devices it feeds.
  const feeders = new WeakMap<FastifyRequest, string>();
  const authenticate = (kind: IntegrationKind) => async (request: FastifyRequest) => {
    const integration = await tokens.authenticate(request.headers.authorization, kind);
    if (!integration) return null;
    if (integration.organisation !== PLATFORM_ORG) feeders.set(request, integration.organisation);
    return `integration:${integration.id}`;
  };
  const context = (transport: string, request: FastifyRequest): IngestContext => {
    const feeder = feeders.get(request);
    return { transport, remote: request.ip, ...(feeder !== undefined ? { feeder } : {}) };
  };
  // Fastify has parsed the JSON; the evidence kept is that document re-serialised. NDJSON stays as received.
  const rawOf = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');

  api.route({
    method: 'POST',
    url: '/api/v1/lorawan/chirpstack',
    operationId: 'chirpstackEvent',
    tag: 'integrations',
    auth: 'integration',
    authenticate: authenticate('chirpstack'),
    summary:
      'ChirpStack v4 HTTP integration (JSON marshaler). `?event=up` carries an uplink, `?event=location` a network-solved position (stored with its source and accuracy), `?event=status` the battery level the device reported; other events are answered 200 and ignored.',
    query: z.object({ event: z.string().max(32).default('up') }),
    body: jsonDocument,
    responses: { 200: { description: 'One result per observation, or the event ignored', schema: ingestOut.or(ignoredOut) } },
    handler: async ({ query, body, request }) => {
      if (query.event === 'location')
        return { results: await devices.lorawanLocation('chirpstack', rawOf(body), context('http:chirpstack', request)) };
      if (query.event === 'status') return { results: await devices.lorawanStatus(rawOf(body), context('http:chirpstack', request)) };
      if (query.event !== 'up') return { ignored: true, event: query.event };
      return { results: await devices.lorawanUplink('chirpstack', rawOf(body), context('http:chirpstack', request)) };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/lorawan/tts',
    operationId: 'ttsUplink',
    tag: 'integrations',
    auth: 'integration',
    authenticate: authenticate('tts'),
    summary:
      'The Things Stack v3 webhook: an uplink message is stored (docs/lorawan-codec.md), a `location_solved` message as the network-solved position (with its source and accuracy); other messages (join accept, downlink events, …) are answered 200 and ignored',
    body: jsonDocument,
    responses: { 200: { description: 'One result per observation, or the message ignored', schema: ingestOut.or(ignoredOut) } },
    handler: async ({ body, request }) => {
      if (!Array.isArray(body) && 'location_solved' in body && !('uplink_message' in body))
        return { results: await devices.lorawanLocation('tts', rawOf(body), context('http:tts', request)) };
      const other = ttsOtherMessage(body);
      if (other) return { ignored: true, event: other };
      return { results: await devices.lorawanUplink('tts', rawOf(body), context('http:tts', request)) };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/rfid/readers/:reader/reports',
    operationId: 'rfidReaderReport',
    tag: 'integrations',
    auth: 'integration',
    authenticate: authenticate('rfid'),
    summary:
      "Tag reads of one reader (generic, Impinj or Zebra JSON; Impinj's stream as application/x-ndjson), placed at the reader's registered location with its band",
    params: z.object({ reader: z.string().min(1).max(128) }),
    body: readerReport,
    bodyContentTypes: readerReportTypes,
    responses: { 200: { description: 'One result per reader observation', schema: ingestOut } },
    handler: async ({ params, body, request }) => ({
      results: await devices.rfidReport(params.reader, rawOf(body), context('http:rfid', request)),
    }),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/rfid/reports',
    operationId: 'rfidReport',
    tag: 'integrations',
    auth: 'integration',
    authenticate: authenticate('rfid'),
    summary:
      'Tag reads; the report names its reader (generic `reader`, Impinj `hostname`); Zebra reports name none, so use the per-reader path',
    body: readerReport,
    bodyContentTypes: readerReportTypes,
    responses: { 200: { description: 'One result per reader observation', schema: ingestOut } },
    handler: async ({ body, request }) => ({ results: await devices.rfidReport(null, rawOf(body), context('http:rfid', request)) }),
  });
}
