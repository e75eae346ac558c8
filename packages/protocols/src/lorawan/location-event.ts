/**
 * ChirpStack v4 `location` events (HTTP integration, `?event=location`; integration.LocationEvent in
 * its JSON mapping): `deviceInfo.devEui`, `time`, and `location` {latitude, longitude, altitude,
 * source, accuracy} as the network's geolocation resolver solved it. The position is the network's
 * estimate, not the device's own fix: it is stored with its source (`cell` for TDOA/RSSI, `wifi`,
 * `gnss` for a GNSS scan solved in the cloud or GPS), its accuracy, and `networkSolved` (true but for GPS), so it weighs
 * less than a device-reported GNSS fix wherever source and accuracy are read. ChirpStack sends the
 * event only when a geolocation resolver answered, so a solve of unnamed kind (source UNKNOWN, left
 * out of the JSON as protobuf's default, as in ChirpStack's own example) is stored as `cell`, the
 * weakest kind; CONFIG (a location typed into the network server) gives no observation.
 *
 * The Things Stack v3 `location_solved` messages (webhook, ttnpb.ApplicationLocation): `end_device_ids.dev_eui`,
 * `received_at`, `location_solved.{service, location: {latitude, longitude, altitude, accuracy, source}}`
 * from a location service (LoRa Cloud): `SOURCE_LORA_*` → `cell`, `SOURCE_WIFI_RSSI_GEOLOCATION` → `wifi`,
 * `SOURCE_GPS` (a GNSS scan solved in the cloud) → `gnss`, all network-solved; a registry, IP or
 * unknown source is not the device's solved place and gives no observation.
 */
import { z } from 'zod';
import type { DecodeResult } from '../decoded';
import { emptyObservation } from '../decoded';

const SOLVED: Record<string, 'cell' | 'wifi' | 'gnss'> = {
  GEO_RESOLVER_TDOA: 'cell',
  GEO_RESOLVER_RSSI: 'cell',
  GEO_RESOLVER_WIFI: 'wifi',
  GEO_RESOLVER_GNSS: 'gnss',
  GPS: 'gnss',
};

export const chirpStackLocationSchema = z.object({
  time: z.string().optional(),
  deviceInfo: z.object({ devEui: z.string().regex(/^[0-9A-Fa-f]{16}$/, 'not a 16-hex-digit EUI'), deviceName: z.string().optional() }),
  location: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    altitude: z.number().optional(),
    source: z.string().optional(),
    accuracy: z.number().nonnegative().optional(),
  }),
});

/** The body read as JSON and checked against `schema`, or the refusal (`invalid` its reason) naming what is wrong. */
function parseBody<T>(body: string, schema: z.ZodType<T>, invalid: string): { ok: true; data: T } | { ok: false; detail: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, detail: 'not_json: body is not JSON' };
  }
  const p = schema.safeParse(doc);
  if (!p.success) return { ok: false, detail: `${invalid}: ${p.error.issues[0].path.join('.') || 'body'}: ${p.error.issues[0].message}` };
  return { ok: true, data: p.data };
}

/** A network-solved position of `devEui` at `time` (ISO 8601, or absent: the receipt time), or null when `time` is not ISO 8601. */
function solvedObservation(
  devEui: string,
  time: string | undefined,
  location: { latitude: number; longitude: number; accuracy?: number },
  source: 'cell' | 'wifi' | 'gnss',
) {
  const at = time === undefined ? null : Date.parse(time);
  if (at !== null && (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(time!))) return null;
  const o = emptyObservation(devEui.toUpperCase());
  o.time = at === null ? null : new Date(at).toISOString();
  o.position = {
    lat: location.latitude,
    lon: location.longitude,
    source,
    ...(location.accuracy !== undefined ? { accuracy: location.accuracy } : {}),
  };
  return o;
}

/** Decodes a ChirpStack `location` event body into at most one observation of the device it names. */
export function decodeChirpStackLocation(body: string): DecodeResult {
  const p = parseBody(body, chirpStackLocationSchema, 'invalid_location');
  if (!p.ok) return p;
  const { deviceInfo, location, time } = p.data;
  const source = location.source === undefined || location.source === 'UNKNOWN' ? 'cell' : SOLVED[location.source];
  if (!source) return { ok: true, observations: [] };
  const o = solvedObservation(deviceInfo.devEui, time, location, source);
  if (!o) return { ok: false, detail: `invalid_time: time "${time}" is not ISO 8601` };
  o.attributes = {
    event: 'location',
    networkSolved: location.source !== 'GPS',
    locationSource: location.source ?? 'UNKNOWN',
    ...(location.altitude !== undefined ? { altitude: location.altitude } : {}),
    ...(deviceInfo.deviceName ? { deviceName: deviceInfo.deviceName } : {}),
  };
  return { ok: true, observations: [o] };
}

const TTS_SOLVED: Record<string, 'cell' | 'wifi' | 'gnss'> = {
  SOURCE_LORA_RSSI_GEOLOCATION: 'cell',
  SOURCE_LORA_TDOA_GEOLOCATION: 'cell',
  SOURCE_COMBINED_GEOLOCATION: 'cell',
  SOURCE_WIFI_RSSI_GEOLOCATION: 'wifi',
  SOURCE_GPS: 'gnss',
};

export const ttsLocationSolvedSchema = z.object({
  end_device_ids: z.object({ device_id: z.string().optional(), dev_eui: z.string().regex(/^[0-9A-Fa-f]{16}$/, 'not a 16-hex-digit EUI') }),
  received_at: z.string().optional(),
  location_solved: z.object({
    service: z.string().optional(),
    location: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      altitude: z.number().optional(),
      accuracy: z.number().nonnegative().optional(),
      source: z.string().optional(),
    }),
  }),
});

/** Decodes a TTS `location_solved` message into at most one observation of the device it names. */
export function decodeTtsLocationSolved(body: string): DecodeResult {
  const p = parseBody(body, ttsLocationSolvedSchema, 'invalid_location');
  if (!p.ok) return p;
  const { end_device_ids: ids, received_at: time, location_solved: solved } = p.data;
  const { location } = solved;
  const source = TTS_SOLVED[location.source ?? ''];
  if (!source) return { ok: true, observations: [] };
  const o = solvedObservation(ids.dev_eui, time, location, source);
  if (!o) return { ok: false, detail: `invalid_time: received_at "${time}" is not ISO 8601`, identifier: ids.dev_eui.toUpperCase() };
  o.attributes = {
    event: 'location_solved',
    networkSolved: true,
    locationSource: location.source,
    ...(solved.service ? { service: solved.service } : {}),
    ...(location.altitude !== undefined ? { altitude: location.altitude } : {}),
    ...(ids.device_id ? { deviceName: ids.device_id } : {}),
  };
  return { ok: true, observations: [o] };
}

export const chirpStackStatusSchema = z.object({
  time: z.string().optional(),
  deviceInfo: z.object({ devEui: z.string().regex(/^[0-9A-Fa-f]{16}$/, 'not a 16-hex-digit EUI'), deviceName: z.string().optional() }),
  margin: z.number().int().optional(),
  externalPowerSource: z.boolean().optional(),
  batteryLevelUnavailable: z.boolean().optional(),
  batteryLevel: z.number().min(0).max(100).optional(),
});

/**
 * A ChirpStack `status` event (integration.StatusEvent: the device's answer to the DevStatusReq MAC
 * command) → one observation with the battery level in %, unless the device said it cannot measure
 * it (`batteryLevelUnavailable`) or runs on external power; the link margin (dB) is kept.
 */
export function decodeChirpStackStatus(body: string): DecodeResult {
  const p = parseBody(body, chirpStackStatusSchema, 'invalid_status');
  if (!p.ok) return p;
  const d = p.data;
  const at = d.time === undefined ? null : Date.parse(d.time);
  if (at !== null && (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(d.time!)))
    return { ok: false, detail: `invalid_time: time "${d.time}" is not ISO 8601`, identifier: d.deviceInfo.devEui.toUpperCase() };
  const o = emptyObservation(d.deviceInfo.devEui.toUpperCase());
  o.time = at === null ? null : new Date(at).toISOString();
  // LoRaWAN's DevStatusAns cannot say 0 % (0 is external power, 255 unmeasured, 1-254 the level), so an
  // absent level (protobuf's JSON leaves 0 out) is no reading rather than an empty battery.
  if (!d.batteryLevelUnavailable && !d.externalPowerSource && d.batteryLevel !== undefined) o.battery = { level: d.batteryLevel };
  o.attributes = {
    event: 'status',
    margin: d.margin ?? 0,
    ...(d.externalPowerSource ? { externalPowerSource: true } : {}),
    ...(d.batteryLevelUnavailable ? { batteryLevelUnavailable: true } : {}),
    ...(d.deviceInfo.deviceName ? { deviceName: d.deviceInfo.deviceName } : {}),
  };
  return { ok: true, observations: [o] };
}
