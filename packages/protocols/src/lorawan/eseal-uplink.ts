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
import { DEFAULT_FIELD_MAPPING, mappingFor, numberAt, stateAt, type LorawanProfiles } from './field-mapping';
import { parseUplink, type Uplink, type UplinkReason } from './uplink';

export type LorawanReason = UplinkReason | EsealReason;
export type LorawanDecodeResult = { ok: true; observations: DecodedObservation[] } | { ok: false; reason: LorawanReason; detail: string };

/**
 * Decodes an uplink body; `fPort` is the port the device profile sends the e-seal payload on (default 10);
 * `profiles` the installation's field mappings of payloads the network server decoded.
 */
export function decodeLorawanUplink(body: string, options: { fPort?: number; profiles?: LorawanProfiles } = {}): LorawanDecodeResult {
  const parsed = parseUplink(body);
  if (!parsed.ok) return parsed;
  return esealObservation(parsed.uplink, options.fPort ?? ESEAL_FPORT, options.profiles);
}

/**
 * Uplink + e-seal payload → observation (see the module comment for how position is chosen). An
 * uplink on another FPort whose payload the network server already decoded with the device's own
 * codec is read through the field mapping of `decodedObservation`.
 */
export function esealObservation(uplink: Uplink, fPort: number = ESEAL_FPORT, profiles?: LorawanProfiles): LorawanDecodeResult {
  if (uplink.fPort !== fPort && uplink.decoded) return { ok: true, observations: [decodedObservation(uplink, uplink.decoded, profiles)] };
  // FPort 0 carries only MAC commands; other ports are another codec of the same device.
  if (uplink.fPort !== fPort) return { ok: true, observations: [radioObservation(uplink)] };
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

/**
 * A payload the network server decoded, read through the field mapping of the device's profile
 * (`profiles`, chosen by `uplink.profileKeys`), or the default mapping (field-mapping.ts) without one:
 * latitude + longitude → a GNSS position (0,0 is no fix); battery level (0-100) and voltage; temperature;
 * door open/closed; tamper → `seal.state = tampered`; rope cut → `seal.rope = cut`; lock unlocked/locked.
 * The whole decoded object is kept in `attributes.decoded` as sent, with the radio metadata and the
 * profile that applied. Without a GNSS position, a location the network solved is used with its
 * lower-trust source (`cell`/`wifi`).
 */
export function decodedObservation(uplink: Uplink, d: Record<string, unknown>, profiles?: LorawanProfiles): DecodedObservation {
  const profile = mappingFor(profiles, uplink.profileKeys);
  const m = profile?.fields ?? DEFAULT_FIELD_MAPPING;
  const o = emptyObservation(uplink.devEui);
  o.time = uplink.time;
  const lat = numberAt(d, m.latitude);
  const lon = numberAt(d, m.longitude);
  if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && (lat !== 0 || lon !== 0)) {
    const accuracy = numberAt(d, m.accuracy);
    o.position = { lat, lon, source: 'gnss', ...(accuracy !== undefined && accuracy >= 0 ? { accuracy } : {}) };
  } else if (uplink.networkLocation) {
    const { lat: nlat, lon: nlon, accuracy, source } = uplink.networkLocation;
    o.position = { lat: nlat, lon: nlon, ...(accuracy !== undefined ? { accuracy } : {}), source };
  }
  const level = numberAt(d, m.batteryLevel);
  const voltage = numberAt(d, m.batteryVoltage);
  const okLevel = level !== undefined && level >= 0 && level <= 100;
  if (okLevel || voltage !== undefined) o.battery = { ...(okLevel ? { level } : {}), ...(voltage !== undefined ? { voltage } : {}) };
  const temperature = numberAt(d, m.temperature);
  if (temperature !== undefined) o.sensors = { temperature };
  const door = stateAt(
    d,
    (m.door ?? []).map((f) => ({ path: f.path, values: f.open })),
  );
  if (door !== undefined) o.door = door ? 'open' : 'closed';
  const tamper = stateAt(
    d,
    (m.tamper ?? []).map((f) => ({ path: f.path, values: f.tampered })),
  );
  const cut = stateAt(
    d,
    (m.rope ?? []).map((f) => ({ path: f.path, values: f.cut })),
  );
  const unlocked = stateAt(
    d,
    (m.lock ?? []).map((f) => ({ path: f.path, values: f.unlocked })),
  );
  // A tamper flag that is off says nothing of the seal's state; a rope or lock reading says what it reads.
  const seal = {
    ...(tamper ? { state: 'tampered' as const } : {}),
    ...(cut !== undefined ? { rope: cut ? ('cut' as const) : ('inserted' as const) } : {}),
    ...(unlocked !== undefined ? { lock: unlocked ? ('unlocked' as const) : ('locked' as const) } : {}),
  };
  if (Object.keys(seal).length) o.seal = seal;
  o.attributes = {
    network: uplink.network,
    fPort: uplink.fPort,
    fCnt: uplink.fCnt,
    decoded: d,
    ...(profile ? { profile: profile.name } : {}),
    ...(o.position ? {} : { positionUnknown: true }),
    ...(uplink.deviceName ? { deviceName: uplink.deviceName } : {}),
    ...(uplink.frequencyHz ? { frequencyHz: uplink.frequencyHz } : {}),
    gateways: uplink.gateways,
  };
  return o;
}

/**
 * An uplink whose application payload nobody decoded (another FPort, no codec on the network
 * server, or FPort 0 with MAC commands only) is still a valid uplink of a registered device: it
 * proves the device alive (so no false `signal_lost`) and carries the radio metadata an operator
 * needs for coverage questions. It is stored with no reading of the seal, the payload kept as sent
 * (base64) under `attributes.undecoded` so a codec or field mapping added later can read it again.
 */
export function radioObservation(uplink: Uplink): DecodedObservation {
  const o = emptyObservation(uplink.devEui);
  o.time = uplink.time;
  if (uplink.networkLocation) {
    const { lat, lon, accuracy, source } = uplink.networkLocation;
    o.position = { lat, lon, ...(accuracy !== undefined ? { accuracy } : {}), source };
  }
  o.attributes = {
    network: uplink.network,
    fPort: uplink.fPort,
    fCnt: uplink.fCnt,
    undecoded: { payload: Buffer.from(uplink.payload).toString('base64'), bytes: uplink.payload.length },
    ...(o.position ? {} : { positionUnknown: true }),
    ...(uplink.deviceName ? { deviceName: uplink.deviceName } : {}),
    ...(uplink.frequencyHz ? { frequencyHz: uplink.frequencyHz } : {}),
    gateways: uplink.gateways,
  };
  return o;
}
