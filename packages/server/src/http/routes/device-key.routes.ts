/**
 * Device keys: list, provision, rotate, revoke. A provider manages its own devices'
 * keys (device scope: a device outside the caller's scope is 404). Public parts only: an HS256
 * secret or a generated private key is in the one answer that creates it, never again. A change
 * while the device is on a movement needs a `reason` (422 key_change_reason_required) and raises
 * `device_key_changed` on that movement.
 */
import { z } from 'zod';
import { toTimestamp, type DeviceKey } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { deviceKeySchema, idParams, isoTime } from '../schemas';
import type { GeneratedSecret, KeyMaterial } from '../../keys/device-keys.service';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
const generateSchema = z.object({
  alg: z.enum(['EdDSA', 'ES256', 'HS256']),
  generate: z.literal(true).describe('the server generates the key and answers its private part (JWK or secret) once'),
  contentKey: b64url.optional(),
});
const validFrom = isoTime.optional().describe('when the key starts to be accepted (default: now)');
const reason = z
  .string()
  .trim()
  .min(3)
  .max(500)
  .optional()
  .describe('why the keys change: required while the device is on a movement (the change raises device_key_changed there)');
const provisionSchema = z.intersection(z.union([generateSchema, deviceKeySchema]), z.object({ validFrom, reason }));
const rotateSchema = z.intersection(
  z.union([generateSchema, deviceKeySchema]),
  z.object({
    reason,
    overlapS: z
      .number()
      .int()
      .min(0)
      .max(90 * 86_400)
      .optional()
      .describe('seconds the old key stays accepted (retiring); default 604800 (7 days)'),
  }),
);
const revokeSchema = z.object({ reason: z.string().trim().min(1).max(500) });
const keyParams = idParams.extend({ keyId: z.string().min(1).max(64) });

const ts = z.string().describe('UTC timestamp, ISO 8601 with milliseconds');
export const deviceKeyOut = z.object({
  keyId: z.string(),
  alg: z.enum(['EdDSA', 'ES256', 'HS256']),
  jwk: z.record(z.string(), z.string()).nullable(),
  contentKey: z.boolean().describe('the key carries a content key for encrypted messages (never shown)'),
  status: z.enum(['active', 'retiring', 'revoked']),
  expired: z.boolean().describe('a retiring key past validUntil'),
  validFrom: ts,
  validUntil: ts.nullable(),
  createdAt: ts,
  revokedAt: ts.nullable(),
  revokedReason: z.string().nullable(),
});
const generatedOut = {
  privateJwk: z
    .record(z.string(), z.string())
    .optional()
    .describe('generated EdDSA/ES256 key: the private JWK, shown once and never stored'),
  secret: z.string().optional().describe('generated HS256 key: the secret (base64url), shown once'),
};

const material = (body: { generate?: true; alg: DeviceKey['alg'] } & Record<string, unknown>): KeyMaterial => {
  if (body.generate) return { generate: body.alg, contentKey: body.contentKey as string | undefined };
  const { validFrom: _v, overlapS: _o, reason: _r, ...key } = body;
  return { key: key as unknown as DeviceKey };
};
const once = (g: GeneratedSecret | null) => g ?? {};

export function deviceKeyRoutes(api: Api, ctx: AppContext): void {
  const { deviceKeys } = ctx;

  api.route({
    method: 'GET',
    url: '/api/v1/devices/:id/keys',
    operationId: 'listDeviceKeys',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.read',
    summary: "A device's keys with their lifecycle (public parts only; secrets are never shown)",
    params: idParams,
    responses: { 200: { description: 'The keys, oldest first', schema: z.object({ items: z.array(deviceKeyOut), nextCursor: z.null() }) } },
    handler: async ({ params, principal }) => {
      const device = await ctx.scopes.device(principal, params.id);
      return { items: await deviceKeys.list(device.id), nextCursor: null };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/devices/:id/keys',
    operationId: 'provisionDeviceKey',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: 'Add a key: an Ed25519 or P-256 public JWK, an HS256 secret, or `generate: true` (the private part is answered once)',
    params: idParams,
    body: provisionSchema,
    responses: {
      201: { description: 'The key, and a generated private part once', schema: z.object({ key: deviceKeyOut, ...generatedOut }) },
    },
    handler: async ({ params, body, principal, reply }) => {
      const device = await ctx.scopes.ownedDevice(principal, params.id);
      const movement = await ctx.keyChanges.before(device.id, body.reason);
      const { key, generated } = await deviceKeys.provision(
        device,
        material(body as never),
        body.validFrom ? toTimestamp(Date.parse(body.validFrom)) : undefined,
      );
      await ctx.keyChanges.after(movement, device.id, principal, 'provisioned', key.keyId, body.reason);
      reply.code(201);
      return { key, ...once(generated) };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/devices/:id/keys/:keyId/rotate',
    operationId: 'rotateDeviceKey',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: 'Replace an active key: the new key is active at once, the old one retires and is accepted `overlapS` seconds more',
    params: keyParams,
    body: rotateSchema,
    responses: {
      201: {
        description: 'The new key, the retiring one, and a generated private part once',
        schema: z.object({ key: deviceKeyOut, retired: deviceKeyOut, ...generatedOut }),
      },
    },
    handler: async ({ params, body, principal, reply }) => {
      const device = await ctx.scopes.ownedDevice(principal, params.id);
      const movement = await ctx.keyChanges.before(device.id, body.reason);
      const { key, retired, generated } = await deviceKeys.rotate(device, params.keyId, material(body as never), body.overlapS);
      await ctx.keyChanges.after(movement, device.id, principal, 'rotated', key.keyId, body.reason);
      reply.code(201);
      return { key, retired, ...once(generated) };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/devices/:id/keys/:keyId/revoke',
    operationId: 'revokeDeviceKey',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: 'Revoke a key at once: messages under it are rejected `key_revoked`, quarantined and alerted (`message_forged`)',
    params: keyParams,
    body: revokeSchema,
    responses: { 200: { description: 'The revoked key', schema: deviceKeyOut } },
    handler: async ({ params, body, principal }) => {
      const device = await ctx.scopes.ownedDevice(principal, params.id);
      const movement = await ctx.keyChanges.before(device.id, body.reason);
      const revoked = await deviceKeys.revoke(device, params.keyId, body.reason);
      await ctx.keyChanges.after(movement, device.id, principal, 'revoked', revoked.keyId, body.reason);
      return revoked;
    },
  });
}
