/**
 * A LoRaWAN e-seal uplink (ChirpStack v4 or The Things Stack v3 JSON carrying the Sealwatch
 * e-seal payload v1) → one observation of the seal, named by its DevEUI.
 *
 * Position: the payload's GNSS fix when it has one. Without it the position is null and
 * `attributes.positionUnknown` is true, except when the network solved the device's own location
 * (TTS TDOA/RSSI/Wi-Fi geolocation), which is used with source `cell`/`wifi` and its accuracy.
 * The receiving gateway's location is never used: a LoRaWAN gateway hears devices 2-15 km away,
 * so it would put a seal on the wrong side of a border or outside a corridor and raise false
 * deviation alerts; it is kept in `attributes.gateways` for an operator to judge.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import { decodeEsealPayload, ESEAL_FPORT, type EsealReason } from './eseal-codec';
import { parseUplink, type Uplink, type UplinkReason } from './uplink';

export type LorawanReason = UplinkReason | EsealReason | 'unexpected_fport';
export type LorawanDecodeResult = { ok: true; observations: DecodedObservation[] } | { ok: false; reason: LorawanReason; detail: string };

/** Decodes an uplink body; `fPort` is the port the device profile sends the e-seal payload on (default 10). */
export function decodeLorawanUplink(body: string, options: { fPort?: number } = {}): LorawanDecodeResult {
  const parsed = parseUplink(body);
  if (!parsed.ok) return parsed;
  return esealObservation(parsed.uplink, options.fPort ?? ESEAL_FPORT);
}

/**
 * Uplink + e-seal payload → observation (see the module comment for how position is chosen). An
 * uplink on another FPort whose payload the network server already decoded with the device's own
 * codec is read through the field mapping of `decodedObservation`.
 */
export function esealObservation(uplink: Uplink, fPort: number = ESEAL_FPORT): LorawanDecodeResult {
  if (uplink.fPort !== fPort && uplink.decoded) return { ok: true, observations: [decodedObservation(uplink, uplink.decoded)] };
  // FPort 0 carries only MAC commands; other ports are another codec of the same device.
  if (uplink.fPort !== fPort)
    return { ok: false, reason: 'unexpected_fport', detail: `FPort ${uplink.fPort}, e-seal payload expected on ${fPort}` };
  const decoded = decodeEsealPayload(uplink.payload);
  if (!decoded.ok) return decoded;
  const p = decoded.payload;
  const o = emptyObservation(uplink.devEui);
  // The payload carries no clock of its own: the network server's receive time is the best one.
  o.time = uplink.time;
  if (p.position) o.position = { ...p.position, source: 'gnss' };
  else if (uplink.networkLocation) {
    const { lat, lon, accuracy, source } = uplink.networkLocation;
    o.position = { lat, lon, ...(accuracy !== undefined ? { accuracy } : {}), source };
  }
  if (Object.keys(p.seal).length) o.seal = p.seal;
  if (p.door) o.door = p.door;
  if (p.battery !== undefined) o.battery = { level: p.battery };
  if (p.temperature !== undefined) o.sensors = { temperature: p.temperature };
  o.attributes = {
    network: uplink.network,
    seq: p.seq,
    fCnt: uplink.fCnt,
    events: p.events,
    ...(o.position ? {} : { positionUnknown: true }),
    ...(uplink.deviceName ? { deviceName: uplink.deviceName } : {}),
    ...(uplink.frequencyHz ? { frequencyHz: uplink.frequencyHz } : {}),
    gateways: uplink.gateways,
  };
  return { ok: true, observations: [o] };
}

/** The first of `keys` that `d` has as a finite number. */
const numberOf = (d: Record<string, unknown>, keys: string[]): number | undefined => {
  for (const k of keys) {
    const v = d[k];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(n)) return n;
  }
  return undefined;
};
/** The first of `keys` that `d` has as a boolean (or `open`/`closed`-like words, 0/1). */
const flagOf = (d: Record<string, unknown>, keys: string[], trueWords: string[]): boolean | undefined => {
  for (const k of keys) {
    const v = d[k];
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') return trueWords.includes(v.toLowerCase());
  }
  return undefined;
};

/**
 * The default field mapping of a payload the network server decoded (the names the LoRaWAN Device
 * Repository codecs use most): `latitude`/`lat` and `longitude`/`lon`/`lng` → a GNSS position;
 * `battery`/`batteryLevel`/`battery_level` (0-100) → `battery.level`; `batteryVoltage`/`battery_voltage`/
 * `BatV` → `battery.voltage`; `temperature`/`temp`/`TempC_SHT` → `sensors.temperature`; `door`/`doorOpen`/
 * `door_open`/`door_status` → `door`; `tamper`/`tampered`/`tamper_status` → `seal.state = tampered`.
 * The whole decoded object is kept in `attributes.decoded`, with the radio metadata. Without a GNSS
 * position, a location the network solved is used with its lower-trust source (`cell`/`wifi`).
 */
export function decodedObservation(uplink: Uplink, d: Record<string, unknown>): DecodedObservation {
  const o = emptyObservation(uplink.devEui);
  o.time = uplink.time;
  const lat = numberOf(d, ['latitude', 'lat']);
  const lon = numberOf(d, ['longitude', 'lon', 'lng']);
  if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && (lat !== 0 || lon !== 0))
    o.position = { lat, lon, source: 'gnss' };
  else if (uplink.networkLocation) {
    const { lat: nlat, lon: nlon, accuracy, source } = uplink.networkLocation;
    o.position = { lat: nlat, lon: nlon, ...(accuracy !== undefined ? { accuracy } : {}), source };
  }
  const level = numberOf(d, ['battery', 'batteryLevel', 'battery_level']);
  const voltage = numberOf(d, ['batteryVoltage', 'battery_voltage', 'BatV']);
  if ((level !== undefined && level >= 0 && level <= 100) || voltage !== undefined)
    o.battery = { ...(level !== undefined && level >= 0 && level <= 100 ? { level } : {}), ...(voltage !== undefined ? { voltage } : {}) };
  const temperature = numberOf(d, ['temperature', 'temp', 'TempC_SHT']);
  if (temperature !== undefined) o.sensors = { temperature };
  const door = flagOf(d, ['door', 'doorOpen', 'door_open', 'door_status'], ['open', 'opened', 'true']);
  if (door !== undefined) o.door = door ? 'open' : 'closed';
  const tamper = flagOf(d, ['tamper', 'tampered', 'tamper_status'], ['tampered', 'true', 'alarm']);
  if (tamper) o.seal = { state: 'tampered' };
  o.attributes = {
    network: uplink.network,
    fPort: uplink.fPort,
    fCnt: uplink.fCnt,
    decoded: d,
    ...(o.position ? {} : { positionUnknown: true }),
    ...(uplink.deviceName ? { deviceName: uplink.deviceName } : {}),
    ...(uplink.frequencyHz ? { frequencyHz: uplink.frequencyHz } : {}),
    gateways: uplink.gateways,
  };
  return o;
}
