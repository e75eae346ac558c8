/**
 * Sealwatch compact e-seal payload v1 for LoRaWAN (docs/lorawan-codec.md is the byte-by-byte
 * contract for device makers). 7 bytes always, +8 with a position, +2 with a temperature (17 at
 * most): without a position it fits the 11-byte limit of US915 DR0, with everything it fits
 * EU868 DR0 (51 bytes). Big-endian throughout.
 */
import type { LockState, RopeState, SealState } from '@sealwatch/core';

export const ESEAL_PAYLOAD_VERSION = 1;
/** The FPort a device sends this payload on (1..223 are application ports, LoRaWAN 1.0.4 §4.3.2). */
export const ESEAL_FPORT = 10;

/** Event bits of byte 6, in bit order 0..7. */
export const ESEAL_EVENTS = ['armed', 'opened', 'rope_cut', 'tamper', 'shock', 'unlocked', 'battery_low', 'gnss_no_fix'] as const;
export type EsealEvent = (typeof ESEAL_EVENTS)[number];

export interface EsealPayload {
  seal: { state?: SealState; rope?: RopeState; lock?: LockState };
  door?: 'open' | 'closed';
  /** 0..100 %; undefined when not reported (byte 255). */
  battery?: number;
  /** Device message counter, 0..65535, wraps. */
  seq: number;
  events: EsealEvent[];
  /** WGS84 degrees, carried in 1e-7 degree steps. */
  position?: { lat: number; lon: number };
  /** °C, carried in 0.01 °C steps, -327.68..327.67. */
  temperature?: number;
}

export type EsealReason =
  'bad_length' | 'unsupported_version' | 'reserved_bits_set' | 'invalid_state' | 'battery_out_of_range' | 'position_out_of_range';
export type EsealDecodeResult = { ok: true; payload: EsealPayload } | { ok: false; reason: EsealReason; detail: string };

// Two-bit state fields of byte 1; 3 always means "not reported", undefined entries are invalid.
const SEAL: Array<SealState | undefined> = ['closed', 'open', 'tampered'];
const ROPE: Array<RopeState | undefined> = ['inserted', 'removed', 'cut'];
const LOCK: Array<LockState | undefined> = ['locked', 'unlocked'];
const DOOR: Array<'closed' | 'open' | undefined> = ['closed', 'open'];
const NOT_REPORTED = 3;
const HAS_POSITION = 0x01;
const HAS_TEMPERATURE = 0x02;

const fail = (reason: EsealReason, detail: string): EsealDecodeResult => ({ ok: false, reason, detail });

/** Decodes a v1 payload; every malformed input is a reason, never an exception. */
export function decodeEsealPayload(bytes: Uint8Array): EsealDecodeResult {
  if (bytes.length < 7) return fail('bad_length', `${bytes.length} bytes, at least 7 needed`);
  if (bytes[0] !== ESEAL_PAYLOAD_VERSION) return fail('unsupported_version', `version ${bytes[0]}`);
  const present = bytes[2];
  if (present & ~(HAS_POSITION | HAS_TEMPERATURE)) return fail('reserved_bits_set', `presence byte 0x${present.toString(16)}`);
  const expected = 7 + (present & HAS_POSITION ? 8 : 0) + (present & HAS_TEMPERATURE ? 2 : 0);
  if (bytes.length !== expected) return fail('bad_length', `${bytes.length} bytes, presence byte says ${expected}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const states = bytes[1];
  const field = <T>(table: Array<T | undefined>, shift: number): T | undefined | 'invalid' => {
    const v = (states >> shift) & 3;
    return v === NOT_REPORTED ? undefined : (table[v] ?? 'invalid');
  };
  const state = field(SEAL, 0);
  const rope = field(ROPE, 2);
  const lock = field(LOCK, 4);
  const door = field(DOOR, 6);
  if (state === 'invalid' || rope === 'invalid' || lock === 'invalid' || door === 'invalid')
    return fail('invalid_state', `state byte 0x${states.toString(16)} uses a reserved value`);

  const battery = bytes[3];
  if (battery > 100 && battery !== 255) return fail('battery_out_of_range', `battery ${battery} %`);
  const payload: EsealPayload = {
    seal: { ...(state ? { state } : {}), ...(rope ? { rope } : {}), ...(lock ? { lock } : {}) },
    ...(door ? { door } : {}),
    ...(battery !== 255 ? { battery } : {}),
    seq: view.getUint16(4),
    events: ESEAL_EVENTS.filter((_, bit) => bytes[6] & (1 << bit)),
  };
  let at = 7;
  if (present & HAS_POSITION) {
    const lat = view.getInt32(at) / 1e7;
    const lon = view.getInt32(at + 4) / 1e7;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return fail('position_out_of_range', `position ${lat},${lon}`);
    payload.position = { lat, lon };
    at += 8;
  }
  if (present & HAS_TEMPERATURE) payload.temperature = view.getInt16(at) / 100;
  return { ok: true, payload };
}

const code = <T>(table: Array<T | undefined>, v: T | undefined): number => (v === undefined ? NOT_REPORTED : table.indexOf(v));

/** Encodes a payload (for device firmware tests and the simulator); values are rounded to the wire steps. */
export function encodeEsealPayload(p: EsealPayload): Uint8Array {
  const size = 7 + (p.position ? 8 : 0) + (p.temperature !== undefined ? 2 : 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = ESEAL_PAYLOAD_VERSION;
  bytes[1] = code(SEAL, p.seal.state) | (code(ROPE, p.seal.rope) << 2) | (code(LOCK, p.seal.lock) << 4) | (code(DOOR, p.door) << 6);
  bytes[2] = (p.position ? HAS_POSITION : 0) | (p.temperature !== undefined ? HAS_TEMPERATURE : 0);
  bytes[3] = p.battery === undefined ? 255 : Math.max(0, Math.min(100, Math.round(p.battery)));
  view.setUint16(4, p.seq & 0xffff);
  bytes[6] = p.events.reduce((b, e) => b | (1 << ESEAL_EVENTS.indexOf(e)), 0);
  let at = 7;
  if (p.position) {
    view.setInt32(at, Math.round(p.position.lat * 1e7));
    view.setInt32(at + 4, Math.round(p.position.lon * 1e7));
    at += 8;
  }
  if (p.temperature !== undefined) view.setInt16(at, Math.max(-32768, Math.min(32767, Math.round(p.temperature * 100))));
  return bytes;
}
