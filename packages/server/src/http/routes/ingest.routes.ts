/**
 * Device ingest over HTTP (DESIGN §5): one JWS as `application/jose`, one COSE_Sign1/COSE_Mac0
 * as `application/cose` (docs/native-protocol.md), or a batch of JWS as JSON.
 * Authenticated by each message's signature, not by a token.
 */
import { DomainError, movementScope, type DeviceId, type Principal, type QuarantineEntry } from '@sealwatch/core';
import { encodeCursor } from '../../storage/cursor';
import type { SubjectCache } from '../../access/scope';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { ingestBatchSchema, quarantineListQuery } from '../schemas';
import { ingestOut, pageOf, quarantineOut } from '../views';
import { claimedDevice } from '../../ingest/claimed-device';
import { deviceRateLimit, provenBySignature } from '../../ingest/device-rate-limit';
import { RateLimitedError, TokenBuckets } from '../rate-limit';

const joseBody = z.string().max(64 * 1024);
const coseBody = z.instanceof(Buffer).refine((b) => b.length <= 64 * 1024, 'at most 64 KiB');

export function ingestRoutes(api: Api, ctx: AppContext): void {
  const { devicePerMin, ingestPerMin } = ctx.config.rate;
  const perDevice = deviceRateLimit(devicePerMin, async (id) => (await ctx.store.devices.get(id as DeviceId))?.reportIntervalS ?? null);
  // Unauthenticated: an address pays for what it sends that proves nothing (junk, unknown devices,
  // failed signatures, replays); what a registered device proves it sent is its own budget's.
  const perAddress = ingestPerMin > 0 ? new TokenBuckets({ perMinute: ingestPerMin, burst: ingestPerMin, now: Date.now }) : null;
  /** True when every message names a registered device (a carrier NAT puts many devices behind one address). */
  const namesRegisteredDevices = async (messages: readonly (string | Buffer)[]) => {
    for (const device of new Set(messages.map(claimedDevice))) {
      if (device === null || !(await ctx.store.devices.get(device as DeviceId))) return false;
    }
    return true;
  };
  api.route({
    method: 'POST',
    url: '/api/v1/ingest',
    operationId: 'ingest',
    tag: 'ingest',
    auth: 'signature',
    summary:
      'Native protocol v1 messages: one JWS or JWE-wrapped JWS (application/jose), one COSE_Sign1, COSE_Mac0 or COSE_Encrypt0-wrapped one (application/cose), or {"messages":[…]} of JWS/JWE (application/json, at most 1000). One result per message, in order; "accepted" only once durable.',
    body: z.union([joseBody, coseBody, ingestBatchSchema]),
    bodyContentTypes: ['application/json', 'application/jose', 'application/cose'],
    bodyLimit: 2 * 1024 * 1024,
    responses: {
      200: { description: 'One result per message', schema: ingestOut },
      429: {
        description:
          "Over a limit, retry after the Retry-After seconds: a device of the request (SEALWATCH_RATE_DEVICE_PER_MIN), or, for a request naming a device that is not registered (or none), this address's messages that proved nothing (SEALWATCH_RATE_INGEST_PER_MIN) or its refused messages (SEALWATCH_QUARANTINE_PER_SOURCE_PER_MIN)",
      },
      503: { description: 'Overloaded: retry after the Retry-After seconds' },
    },
    handler: async ({ body, request }) => {
      const messages = typeof body === 'string' || Buffer.isBuffer(body) ? [body] : body.messages;
      // An address over its budget for what proves nothing is still heard for the registered devices
      // behind it: a junk flood from a shared address must not hold back their reports. Only a
      // request that names nothing but registered devices is taken then.
      const addressWait = perAddress?.wait(request.ip) ?? 0;
      const junkWait = ctx.quarantineBudget?.sourceWait(request.ip) ?? 0;
      if ((addressWait > 0 || junkWait > 0) && !(await namesRegisteredDevices(messages))) {
        if (addressWait > 0) throw new RateLimitedError(addressWait, 'from this address');
        throw new RateLimitedError(junkWait, 'from this address: too many of its messages were refused');
      }
      // Admitted while every device the request names has budget left; a batch is never cut midway,
      // its proven new messages are charged afterwards (into debt if need be).
      for (const device of perDevice ? new Set(messages.map(claimedDevice)) : []) {
        const wait = device === null ? 0 : await perDevice!.admit(device);
        if (wait > 0) throw new RateLimitedError(wait, `for device ${device}`);
      }
      const results = await ctx.ingest.ingest(messages, { transport: 'http', remote: request.ip });
      perDevice?.charge(results);
      perAddress?.charge(request.ip, results.filter((r) => !provenBySignature(r)).length);
      return { results };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/ingest/encryption-key',
    operationId: 'getIngestEncryptionKey',
    tag: 'ingest',
    auth: 'public',
    summary:
      "The installation's public keys for ECDH-ES payload encryption (a JWK Set: one P-256 and one X25519 key, kid = RFC 7638 thumbprint); docs/native-protocol.md",
    responses: { 200: { description: 'JWK Set', schema: encryptionJwksOut } },
    handler: async () => ctx.encryptionJwks,
  });
}

const encryptionJwksOut = z.object({
  keys: z.array(
    z.object({
      kty: z.enum(['EC', 'OKP']),
      crv: z.enum(['P-256', 'X25519']),
      x: z.string(),
      y: z.string().optional(),
      use: z.literal('enc'),
      alg: z.literal('ECDH-ES'),
      kid: z.string(),
    }),
  ),
});

/** Pages of the store looked at for one page of a scoped quarantine list (the rest: nextCursor). */
const MAX_SCANNED_PAGES = 20;

export function quarantineRoutes(api: Api, ctx: AppContext): void {
  /**
   * What a refusal is: evidence about the device it names. Outside a full scope it is seen while
   * that device was on a movement in scope (a customs administration does not read other
   * countries' raw positions); a refusal naming no device only in a full scope.
   */
  const visible = (principal: Principal, cache: SubjectCache) => async (q: QuarantineEntry) =>
    movementScope(principal).kind === 'all' ||
    (q.device !== null && (await ctx.scopes.subjectsVisible(principal, [q.device], q.receivedAt, cache)));
  api.route({
    method: 'GET',
    url: '/api/v1/quarantine',
    operationId: 'listQuarantine',
    tag: 'quarantine',
    auth: 'user',
    permission: 'quarantine.read',
    summary:
      'Rejected inputs with reason, detail and raw bytes (base64), newest first; outside a full scope those naming a device while it was on a movement in scope',
    query: quarantineListQuery,
    responses: { 200: { description: 'A page of quarantined inputs', schema: pageOf(quarantineOut) } },
    handler: async ({ query, principal }) => {
      const { limit, cursor, reason, device } = query;
      if (movementScope(principal).kind === 'all') return ctx.store.quarantine.list({ reason, device }, { limit, cursor });
      const keep = visible(principal, new Map());
      const items: QuarantineEntry[] = [];
      let next: string | null = cursor ?? null;
      for (let scanned = 0; scanned < MAX_SCANNED_PAGES; scanned++) {
        const page = await ctx.store.quarantine.list({ reason, device }, { limit: 500, cursor: next });
        for (const q of page.items) {
          if (!(await keep(q))) continue;
          items.push(q);
          if (items.length === limit) return { items, nextCursor: encodeCursor([q.id]) };
        }
        next = page.nextCursor;
        if (!next) break;
      }
      return { items, nextCursor: next };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/quarantine/:id',
    operationId: 'getQuarantineEntry',
    tag: 'quarantine',
    auth: 'user',
    permission: 'quarantine.read',
    summary: 'One rejected input',
    params: z.object({ id: z.coerce.number().int().positive() }),
    responses: { 200: { description: 'The entry', schema: quarantineOut } },
    handler: async ({ params, principal }) => {
      const q = await ctx.store.quarantine.get(params.id);
      if (!q || !(await visible(principal, new Map())(q)))
        throw new DomainError('unknown_quarantine_entry', `no quarantine entry ${params.id}`);
      return q;
    },
  });
}
