/**
 * Native device protocol v1 (DESIGN §5): the payload schema and the time rules. Pure; the
 * JWS signature is checked by the server before the payload is trusted.
 */
import { z } from 'zod';

/**
 * True if the date-time's calendar date and clock time exist: Date.parse rolls 2026-02-30 over to
 * 2 March and reads 24:00 as the next day's midnight, so the day is checked against its month (leap
 * years included) and the hour, minute and offset against their ranges (RFC 3339 has no hour 24).
 */
function isRealDate(s: string): boolean {
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  const [hh, mm] = [Number(s.slice(11, 13)), Number(s.slice(14, 16))];
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(s);
  if (zone && (Number(zone[2]) > 23 || Number(zone[3]) > 59)) return false;
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate() && hh <= 23 && mm <= 59;
}

/** Earliest device time taken (year 2000): a clock reset to 0000 or 1970 is not a late report. */
export const EARLIEST_DEVICE_TIME = '2000-01-01T00:00:00Z';

/**
 * Times are kept in milliseconds (DESIGN: UTC timestamps with milliseconds); signed evidence is
 * never changed silently, so digits past the millisecond are accepted only when they are zeros
 * (`.120000`), and `.123456789` is refused rather than stored as `.123`.
 */
const subMillisecond = (s: string) => /\.\d{3}\d*[1-9]\d*(Z|[+-]\d{2}:\d{2})$/.test(s);

const isoTime = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(s) && isRealDate(s) && !Number.isNaN(Date.parse(s)),
    {
      message: 'must be an RFC 3339 date-time with a zone, of a day that exists, e.g. 2026-11-26T03:22:52.120Z',
    },
  )
  .refine((s) => !subMillisecond(s), { message: 'must not be more precise than milliseconds (times are kept in milliseconds)' })
  .refine((s) => Date.parse(s) >= Date.parse(EARLIEST_DEVICE_TIME), { message: `must not be before ${EARLIEST_DEVICE_TIME}` });
const finite = z.number().finite();

export const nativePositionSchema = z.object({
  lat: finite.min(-90).max(90),
  lon: finite.min(-180).max(180),
  accuracy: finite.min(0).optional(),
  speed: finite.min(0).max(2000).optional(),
  heading: finite.min(0).max(360).optional(),
  source: z.enum(['gnss', 'cell', 'wifi', 'reader']).optional(),
});

export const nativeSealSchema = z.object({
  state: z.enum(['closed', 'open', 'tampered']).optional(),
  rope: z.enum(['inserted', 'removed', 'cut']).optional(),
  lock: z.enum(['locked', 'unlocked']).optional(),
});

/** The payload of a native v1 message. Unknown members are allowed and kept as vendor attributes. */
export const nativePayloadSchema = z.looseObject({
  device: z.string().min(1).max(128),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  time: isoTime,
  position: nativePositionSchema.optional(),
  seal: nativeSealSchema.optional(),
  door: z.enum(['open', 'closed']).optional(),
  sensors: z.record(z.string().max(64), finite).optional(),
  battery: z.object({ level: finite.min(0).max(100).optional(), voltage: finite.min(0).max(100).optional() }).optional(),
  reads: z
    .array(
      z.object({
        epc: z.string().regex(/^[0-9a-fA-F]{8,128}$/),
        tid: z
          .string()
          .regex(/^[0-9a-fA-F]{8,128}$/)
          .optional(),
        rssi: finite.optional(),
        time: isoTime.optional(),
      }),
    )
    .max(1000)
    .optional(),
});
export type NativePayload = z.infer<typeof nativePayloadSchema>;

const knownMembers = new Set(['device', 'seq', 'time', 'position', 'seal', 'door', 'sensors', 'battery', 'reads']);

/** Splits a parsed payload's unknown members off as vendor attributes (null when there are none). */
export function vendorAttributes(payload: Record<string, unknown>): Record<string, unknown> | null {
  const extra = Object.entries(payload).filter(([k]) => !knownMembers.has(k));
  return extra.length ? Object.fromEntries(extra) : null;
}

/** Validates a payload; on failure the first problem as "path: message". */
export function parseNativePayload(value: unknown): { ok: true; payload: NativePayload } | { ok: false; detail: string } {
  const r = nativePayloadSchema.safeParse(value);
  if (r.success) return { ok: true, payload: r.data };
  const issue = r.error.issues[0];
  return { ok: false, detail: `${issue.path.join('.') || '(payload)'}: ${issue.message}` };
}

/** Messages made more than this far ahead of the server clock are rejected (clock_skew). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Time rule of protocol v1: too far ahead is clock_skew; long ago is accepted but late. */
export function judgeMessageTime(timeMs: number, nowMs: number, maxSkewMs: number, lateAfterMs: number): 'ok' | 'late' | 'clock_skew' {
  if (timeMs - nowMs > maxSkewMs) return 'clock_skew';
  return nowMs - timeMs > lateAfterMs ? 'late' : 'ok';
}
