/** Request schemas of API v1 (DESIGN §6). Every input passes one of these before any service sees it. */
import { z } from 'zod';
import { alertTypes, normaliseHsCode, rejectReasons } from '@sealwatch/core';
import { findUhfBand } from '@sealwatch/protocols';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');
export const isoTime = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
    'must be an RFC 3339 date-time with a zone',
  );
const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const position = z.tuple([lon, lat]).rest(z.number().finite());

const ring = z
  .array(position)
  .min(4)
  .refine((r) => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1], 'a linear ring must be closed (first position = last)');
export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(100) });
export const circleSchema = z.object({ center: z.object({ lat, lon }), radiusM: z.number().positive().max(500_000) });
export const areaSchema = z.union([polygonSchema, circleSchema]);
export const lineStringSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(100_000) });

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
/** Optional A256GCM content key for encrypted messages (JWE dir, COSE_Encrypt0): 32 bytes, base64url. */
const contentKey = b64url.optional();
export const deviceKeySchema = z.discriminatedUnion('alg', [
  z.object({ alg: z.literal('EdDSA'), jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: b64url }), contentKey }),
  z.object({ alg: z.literal('ES256'), jwk: z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: b64url, y: b64url }), contentKey }),
  z.object({ alg: z.literal('HS256'), secret: b64url, contentKey }),
]);

export const createOfficeSchema = z.object({
  code: id.max(17),
  name: z.string().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case'),
  area: areaSchema,
});

/** An office's edit: any of name, country and area; its code never changes (unknown members are refused). */
export const updateOfficeSchema = z
  .strictObject({
    name: createOfficeSchema.shape.name.optional(),
    country: createOfficeSchema.shape.country.optional(),
    area: areaSchema.optional(),
  })
  .refine((b) => b.name !== undefined || b.country !== undefined || b.area !== undefined, 'give name, country or area');

export const createDeviceSchema = z
  .object({
    id,
    class: z.enum(['passive', 'semi_active', 'active']),
    kind: z.enum(['e_seal', 'e_lock', 'tracker', 'container_sensor', 'rfid_seal', 'reader']),
    // `federation` names the feed devices of partners' copies (federation/inbox.ts): a registered
    // device under it would be fed nothing a partner did not send, or take a copy's readings.
    protocol: z
      .string()
      .regex(/^[a-z0-9_]{2,32}$/)
      .refine((p) => p !== 'federation', 'protocol federation is reserved for partners’ copies'),
    identifiers: z
      .object({
        imei: z
          .string()
          .regex(/^\d{15}$/, 'IMEI: 15 digits')
          .optional(),
        epc: z
          .string()
          .regex(/^[0-9a-fA-F]{8,128}$/)
          .optional(),
        sealNumber: z.string().min(1).max(35).optional(),
      })
      .default({}),
    reportIntervalS: z
      .number()
      .int()
      .positive()
      .max(7 * 86_400)
      .nullable()
      .default(null),
    key: deviceKeySchema.nullable().default(null),
    owner: z.string().max(200).nullable().default(null),
    // A reader's registered place and regional UHF band: they place its tag reads.
    location: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracy: z.number().nonnegative().optional() })
      .optional(),
    band: z
      .string()
      .max(32)
      .transform((b, c) => findUhfBand(b)?.id ?? (c.addIssue({ code: 'custom', message: `unknown UHF band profile ${b}` }), z.NEVER))
      .optional(),
  })
  .refine((d) => d.protocol !== 'native' || d.key !== null, { message: 'a native-protocol device needs a key', path: ['key'] });

export const createMovementSchema = z.object({
  reference: z.string().min(1).max(64),
  container: z.string().max(11).nullable().default(null),
  vehicle: z.string().max(35).nullable().default(null),
  trader: z.string().max(200).nullable().default(null),
  devices: z.array(id).max(50).default([]),
  // NCTS SEAL/Identifier an..20, at most 99 per transport equipment.
  seals: z.array(z.string().min(1).max(20)).max(99).default([]),
  departureOffice: id,
  destinationOffice: id,
  // Offices of transit, border posts included, in itinerary order: queueing inside their areas is never an unauthorised stop.
  transitOffices: z
    .array(id)
    .max(50)
    .refine((cs) => new Set(cs).size === cs.length, 'each office of transit once')
    .default([])
    .describe('Offices of transit (border posts included), in the order the itinerary passes them'),
  route: lineStringSchema.nullable().default(null),
  corridorWidthM: z.number().positive().max(100_000).default(2000),
  authorizedStops: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        area: areaSchema,
        maxDwellMinutes: z
          .number()
          .positive()
          .max(7 * 24 * 60),
      }),
    )
    .max(500)
    .default([]),
  timeLimit: isoTime.nullable().default(null),
  // sensor_out_of_range: one threshold per sensor; a bound or both (docs/transit.md).
  sensorThresholds: z
    .array(
      z
        .object({
          sensor: z.enum(['temperature', 'humidity', 'shock', 'light']),
          min: z.number().finite().optional(),
          max: z.number().finite().optional(),
          minDurationS: z
            .number()
            .min(0)
            .max(7 * 86_400)
            .optional(),
        })
        .refine((t) => t.min !== undefined || t.max !== undefined, 'give min, max or both'),
    )
    .max(20)
    .default([]),
  // checkpoint_missed: the readers (device ids) the movement's RFID seals must be read at, ranked by `order`.
  checkpoints: z
    .array(
      z.object({
        readerId: id,
        order: z.number().int().min(0).max(10_000),
        expectedBy: isoTime.nullable().optional(),
        name: z.string().max(200).optional(),
      }),
    )
    .max(200)
    .refine((cs) => new Set(cs.map((c) => c.readerId)).size === cs.length, 'one checkpoint per reader')
    .default([]),
  // Risk (docs/risk.md): the goods' HS chapter or code and origin, rated by the analysts' risk reference.
  hsChapter: z
    .string()
    .max(16)
    .refine((c) => normaliseHsCode(c) !== null, 'an HS chapter (2 digits) or HS code (4, 6, 8 or 10 digits)')
    .nullable()
    .default(null)
    .describe('HS chapter (e.g. "24") or HS code (e.g. "2402.20") of the main goods item; stored as digits'),
  originCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case')
    .nullable()
    .default(null)
    .describe('Country of origin of the goods, ISO 3166-1 alpha-2'),
});

export const lifecycleBodySchema = z.object({ time: isoTime.optional() }).default({});

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
};
export const idParams = z.object({ id: z.string().min(1).max(128) });
export const codeParams = z.object({ code: z.string().min(1).max(64) });

export const movementListQuery = z.object({
  ...pageQuery,
  status: z.enum(['declared', 'in_transit', 'arrived', 'ended', 'held']).optional(),
  device: id.optional(),
});
export const alertListQuery = z.object({
  ...pageQuery,
  movement: z.string().max(128).optional(),
  device: z.string().max(128).optional(),
  type: z.enum(alertTypes).optional(),
  status: z.enum(['open', 'acknowledged', 'assigned', 'resolved']).optional(),
});
export const eventListQuery = z.object({ ...pageQuery, type: z.string().max(64).optional() });
export const observationListQuery = z.object({
  ...pageQuery,
  from: isoTime.optional(),
  to: isoTime.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export const quarantineListQuery = z.object({
  ...pageQuery,
  reason: z.enum(rejectReasons).optional(),
  device: z.string().max(128).optional(),
});
export const plainPageQuery = z.object(pageQuery);

export const acknowledgeSchema = z.object({ comment: z.string().max(2000).optional() }).default({});
export const assignSchema = z.object({ assignee: z.string().min(1).max(200), comment: z.string().max(2000).optional() });
export const resolveSchema = z.object({ outcome: z.enum(['confirmed', 'false_alarm']), comment: z.string().min(1).max(2000) });

export const ingestBatchSchema = z.object({
  messages: z
    .array(z.string().max(64 * 1024))
    .min(1)
    .max(1000),
});
