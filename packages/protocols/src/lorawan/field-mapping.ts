/**
 * Field mappings of LoRaWAN device profiles: which member of the payload the network server decoded
 * (ChirpStack `object`, TTS `decoded_payload`) is a seal-model field. Every maker's codec names its
 * fields its own way (`latitude`, `gps.lat`, `Lat`, `BatV`, `door_open_status`, `ALARM_status` …), so an
 * installation names them per device profile. A profile is chosen by what the network server says of
 * the device: ChirpStack `deviceInfo.deviceProfileName` or `deviceProfileId`, TTS
 * `version_ids` `brand_id/model_id` (LoRaWAN Device Repository ids) or `brand_id`. Without a matching
 * profile the default mapping applies (`DEFAULT_FIELD_MAPPING`, the names the Device Repository codecs
 * use most). Paths are dotted (`gps.lat`); a path never reaches into prototypes.
 */
import { z } from 'zod';

type Value = string | number | boolean;
const value = z.union([z.string(), z.number(), z.boolean()]);
const path = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^.]+(\.[^.]+)*$/, 'a dotted path such as gps.lat');
/** A number at `path`, times `scale` (e.g. 0.001 for millivolts to volts). */
const numberField = z.union([path, z.object({ path, scale: z.number().finite().optional() })]);
/** A state at `path`: the values listed mean the state named, any other value the opposite. */
const values = z.array(value).min(1);

export const fieldMappingSchema = z
  .object({
    latitude: z.array(numberField).min(1).optional(),
    longitude: z.array(numberField).min(1).optional(),
    /** Horizontal accuracy of the device's fix in metres. */
    accuracy: z.array(numberField).optional(),
    batteryLevel: z.array(numberField).optional(),
    batteryVoltage: z.array(numberField).optional(),
    temperature: z.array(numberField).optional(),
    door: z.array(z.object({ path, open: values }).strict()).optional(),
    tamper: z.array(z.object({ path, tampered: values }).strict()).optional(),
    rope: z.array(z.object({ path, cut: values }).strict()).optional(),
    lock: z.array(z.object({ path, unlocked: values }).strict()).optional(),
  })
  .strict()
  .refine((m) => !m.latitude === !m.longitude, 'latitude and longitude go together');

export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/** The profiles an installation configures (SEALWATCH_LORAWAN_PROFILES, docs/devices.md). */
export const lorawanProfilesSchema = z.object({
  profiles: z
    .array(
      z
        .object({
          /** What names the profile: a ChirpStack device-profile name or id, a TTS `brand_id/model_id` or `brand_id`. */
          match: z.array(z.string().min(1).max(200)).min(1),
          fields: fieldMappingSchema,
        })
        .strict(),
    )
    .max(1000),
});
export type LorawanProfiles = z.infer<typeof lorawanProfilesSchema>;

/** The names the LoRaWAN Device Repository codecs use most; what applies without a profile. */
export const DEFAULT_FIELD_MAPPING: FieldMapping = {
  latitude: ['latitude', 'lat'],
  longitude: ['longitude', 'lon', 'lng'],
  batteryLevel: ['battery', 'batteryLevel', 'battery_level'],
  batteryVoltage: ['batteryVoltage', 'battery_voltage', 'BatV'],
  temperature: ['temperature', 'temp', 'TempC_SHT'],
  door: ['door', 'doorOpen', 'door_open', 'door_status'].map((p) => ({ path: p, open: [true, 1, 'open', 'opened', 'true'] })),
  tamper: ['tamper', 'tampered', 'tamper_status'].map((p) => ({ path: p, tampered: [true, 1, 'tampered', 'true', 'alarm'] })),
};

/** The mapping for an uplink whose device the network server describes by `keys` (first match wins). */
export function mappingFor(profiles: LorawanProfiles | undefined, keys: readonly string[]): { name: string; fields: FieldMapping } | null {
  for (const p of profiles?.profiles ?? []) {
    const hit = keys.find((k) => p.match.includes(k));
    if (hit) return { name: hit, fields: p.fields };
  }
  return null;
}

/** The member at a dotted path of `d`, own members only. */
function at(d: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = d;
  for (const k of dotted.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** The first field of `fields` that `d` holds as a finite number (a numeric string counts), scaled. */
export function numberAt(d: Record<string, unknown>, fields: FieldMapping['latitude']): number | undefined {
  for (const f of fields ?? []) {
    const [p, scale] = typeof f === 'string' ? [f, 1] : [f.path, f.scale ?? 1];
    const v = at(d, p);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(n)) return n * scale;
  }
  return undefined;
}

/** Whether the first field of `fields` that `d` holds has one of the values that mean the state (strings compared without case). */
export function stateAt(d: Record<string, unknown>, fields: { path: string; values: readonly Value[] }[]): boolean | undefined {
  for (const f of fields) {
    const v = at(d, f.path);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const same = (w: Value) => (typeof v === 'string' && typeof w === 'string' ? v.toLowerCase() === w.toLowerCase() : v === w);
    return f.values.some(same);
  }
  return undefined;
}
