/**
 * OsmAnd / Traccar Client protocol (HTTP, port 5055): the query-string form of the classic
 * clients (`id`, `lat`, `lon`, `timestamp`, `speed` in knots, …, any other key kept as an
 * attribute) and the JSON form of the current Traccar Client (Transistorsoft background-
 * geolocation: `device_id`, `location.coords`, speed in m/s, battery level 0..1).
 */
import { emptyObservation, type DecodeResult, type DecodedObservation } from '../decoded';

const KNOT_KMH = 1.852;
const known = new Set([
  'id',
  'deviceid',
  'timestamp',
  'lat',
  'lon',
  'location',
  'speed',
  'bearing',
  'heading',
  'altitude',
  'accuracy',
  'hdop',
  'batt',
  'charge',
  'valid',
  'cell',
  'wifi',
]);

/** Parses the time forms OsmAnd clients send: unix seconds or ms, ISO 8601, or `yyyy-MM-dd HH:mm:ss` (UTC). */
export function parseOsmAndTime(s: string): string | null {
  if (/^\d{1,13}$/.test(s)) {
    const n = Number(s);
    const ms = s.length > 10 ? n : n * 1000;
    return new Date(ms).toISOString();
  }
  const normal = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const t = Date.parse(normal);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(normal) ? null : new Date(t).toISOString();
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * An unknown parameter's value as sent: a string (an ICCID, a driver id with leading zeros or a
 * decimal would lose digits as a number); only `true` / `false` become booleans, which loses nothing.
 */
const attributeValue = (v: string): unknown => (v === 'true' ? true : v === 'false' ? false : v);

/** Decodes the query-string (or form-encoded body) form. */
export function decodeOsmAndQuery(query: string): DecodeResult {
  // Accept a bare query, `?query` or `/path?query`.
  const params = new URLSearchParams(query.includes('?') ? query.slice(query.indexOf('?') + 1) : query);
  const id = params.get('id') ?? params.get('deviceid');
  if (!id) return { ok: false, detail: 'missing id (or deviceid)' };
  const o: DecodedObservation = emptyObservation(id);
  const ts = params.get('timestamp');
  if (ts !== null) {
    o.time = parseOsmAndTime(ts);
    if (!o.time) return { ok: false, detail: `timestamp ${ts} is not a time` };
  }
  let lat = num(params.get('lat') ?? undefined);
  let lon = num(params.get('lon') ?? undefined);
  const location = params.get('location');
  if (location) [lat, lon] = location.split(',').map((x) => num(x));
  if (lat !== undefined && lon !== undefined) {
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return { ok: false, detail: `position ${lat},${lon} is out of range` };
    const speed = num(params.get('speed') ?? undefined);
    const heading = num(params.get('bearing') ?? params.get('heading') ?? undefined);
    const accuracy = num(params.get('accuracy') ?? undefined);
    o.position = {
      lat,
      lon,
      source: 'gnss',
      ...(speed !== undefined ? { speed: Math.max(0, speed * KNOT_KMH) } : {}),
      ...(heading !== undefined && heading >= 0 ? { heading: heading % 360 } : {}),
      ...(accuracy !== undefined && accuracy >= 0 ? { accuracy } : {}),
    };
  }
  const batt = num(params.get('batt') ?? undefined);
  if (batt !== undefined) o.battery = { level: Math.min(100, Math.max(0, batt)) };
  const attributes: Record<string, unknown> = {};
  for (const key of ['altitude', 'hdop'] as const) {
    const v = num(params.get(key) ?? undefined);
    if (v !== undefined) attributes[key] = v;
  }
  const cells = params.getAll('cell');
  if (cells.length) attributes.cells = cells;
  const wifi = params.getAll('wifi');
  if (wifi.length) attributes.wifi = wifi;
  for (const [k, v] of params) if (!known.has(k)) attributes[k] = attributeValue(v);
  if (Object.keys(attributes).length) o.attributes = attributes;
  return { ok: true, observations: [o] };
}

/** Decodes the JSON form of the current Traccar Client. */
export function decodeOsmAndJson(body: string): DecodeResult {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, detail: 'body is not JSON' };
  }
  const d = doc as {
    device_id?: unknown;
    location?: {
      timestamp?: unknown;
      coords?: Record<string, unknown>;
      is_moving?: unknown;
      odometer?: unknown;
      event?: unknown;
      battery?: { level?: unknown; is_charging?: unknown };
      activity?: { type?: unknown };
      extras?: Record<string, unknown>;
    };
    alarm?: unknown;
  };
  if (typeof d?.device_id !== 'string' && typeof d?.device_id !== 'number') return { ok: false, detail: 'missing device_id' };
  const loc = d.location;
  if (!loc || typeof loc !== 'object') return { ok: false, detail: 'missing location' };
  const o = emptyObservation(String(d.device_id));
  if (typeof loc.timestamp === 'string') {
    o.time = parseOsmAndTime(loc.timestamp);
    if (!o.time) return { ok: false, detail: `location.timestamp ${loc.timestamp} is not a time` };
  }
  const c = loc.coords ?? {};
  const lat = typeof c.latitude === 'number' ? c.latitude : undefined;
  const lon = typeof c.longitude === 'number' ? c.longitude : undefined;
  if (lat !== undefined && lon !== undefined) {
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return { ok: false, detail: `position ${lat},${lon} is out of range` };
    o.position = {
      lat,
      lon,
      source: 'gnss',
      ...(typeof c.speed === 'number' && c.speed >= 0 ? { speed: c.speed * 3.6 } : {}),
      ...(typeof c.heading === 'number' && c.heading >= 0 ? { heading: c.heading % 360 } : {}),
      ...(typeof c.accuracy === 'number' && c.accuracy >= 0 ? { accuracy: c.accuracy } : {}),
    };
  }
  if (typeof loc.battery?.level === 'number' && loc.battery.level >= 0) o.battery = { level: Math.round(loc.battery.level * 1000) / 10 };
  const attributes: Record<string, unknown> = { ...(loc.extras ?? {}) };
  if (typeof c.altitude === 'number') attributes.altitude = c.altitude;
  if (typeof loc.is_moving === 'boolean') attributes.motion = loc.is_moving;
  if (typeof loc.odometer === 'number') attributes.odometer = loc.odometer;
  if (typeof loc.event === 'string') attributes.event = loc.event;
  if (typeof loc.activity?.type === 'string') attributes.activity = loc.activity.type;
  if (typeof loc.battery?.is_charging === 'boolean') attributes.charging = loc.battery.is_charging;
  if (d.alarm !== undefined) attributes.alarm = d.alarm;
  if (Object.keys(attributes).length) o.attributes = attributes;
  return { ok: true, observations: [o] };
}

/** One OsmAnd HTTP request: the JSON form when the body is JSON, else query string plus form body. */
export function decodeOsmAnd(req: { query: string; contentType?: string; body?: string }): DecodeResult {
  if (req.contentType?.includes('application/json') && req.body) return decodeOsmAndJson(req.body);
  const form = req.contentType?.includes('application/x-www-form-urlencoded') && req.body ? req.body : '';
  const q = req.query.includes('?') ? req.query.slice(req.query.indexOf('?') + 1) : req.query.startsWith('/') ? '' : req.query;
  return decodeOsmAndQuery([q, form].filter(Boolean).join('&'));
}
