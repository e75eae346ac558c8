/**
 * ChirpStack v4 `location` events (HTTP integration, `?event=location`; integration.LocationEvent in
 * its JSON mapping): `deviceInfo.devEui`, `time`, and `location` {latitude, longitude, altitude,
 * source, accuracy} as the network's geolocation resolver solved it. The position is the network's
 * estimate, not the device's own fix: it is stored with its source (`cell` for TDOA/RSSI, `wifi`,
 * `gnss` for a GNSS scan solved in the cloud or GPS), its accuracy, and `networkSolved` (true but for GPS), so it weighs
 * less than a device-reported GNSS fix wherever source and accuracy are read. Sources that are not
 * a solve (UNKNOWN, CONFIG: a location typed into the network server) give no observation.
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

/** Decodes a ChirpStack `location` event body into at most one observation of the device it names. */
export function decodeChirpStackLocation(body: string): DecodeResult {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, detail: 'not_json: body is not JSON' };
  }
  const p = chirpStackLocationSchema.safeParse(doc);
  if (!p.success)
    return { ok: false, detail: `invalid_location: ${p.error.issues[0].path.join('.') || 'body'}: ${p.error.issues[0].message}` };
  const { deviceInfo, location, time } = p.data;
  const source = SOLVED[location.source ?? ''];
  if (!source) return { ok: true, observations: [] };
  const at = time === undefined ? null : Date.parse(time);
  if (at !== null && (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(time!)))
    return { ok: false, detail: `invalid_time: time "${time}" is not ISO 8601` };
  const o = emptyObservation(deviceInfo.devEui.toUpperCase());
  o.time = at === null ? null : new Date(at).toISOString();
  o.position = {
    lat: location.latitude,
    lon: location.longitude,
    source,
    ...(location.accuracy !== undefined ? { accuracy: location.accuracy } : {}),
  };
  o.attributes = {
    event: 'location',
    networkSolved: location.source !== 'GPS',
    locationSource: location.source,
    ...(location.altitude !== undefined ? { altitude: location.altitude } : {}),
    ...(deviceInfo.deviceName ? { deviceName: deviceInfo.deviceName } : {}),
  };
  return { ok: true, observations: [o] };
}
