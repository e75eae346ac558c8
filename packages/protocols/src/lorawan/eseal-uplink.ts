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

/** Uplink + e-seal payload → observation (see the module comment for how position is chosen). */
export function esealObservation(uplink: Uplink, fPort: number = ESEAL_FPORT): LorawanDecodeResult {
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
