/**
 * Codec 7 (0x07), the AVL records of Teltonika's GH3000 personal trackers (Traccar
 * TeltonikaProtocolDecoder read for the facts, no code copied). A record: time DWORD (top 2 bits
 * priority, the rest seconds since 2007-01-01 00:00 UTC), a global mask (bit 0 GPS element, bits 1-3
 * the 1-, 2- and 4-byte IO groups), and when bit 0 is set a GPS mask and what it announces: bit 0
 * latitude and longitude (IEEE 754 floats, degrees), 1 altitude (WORD, m), 2 angle (byte, 256ths of
 * a turn), 3 speed (byte, km/h), 4 satellites, 5 LAC and cell id (WORDs), 6 signal (byte), 7 operator
 * (DWORD). IO groups: a count byte, then 1-byte ids and their values; kept raw as `io<id>`, with id 1
 * (battery %) and 67 (battery mV) on the observation.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import type { Reader } from './teltonika-reader';

export const TELTONIKA_CODEC_7 = 0x07;

/** 2007-01-01T00:00:00Z in Unix seconds: the epoch of Codec 7 times. */
const GH3000_EPOCH_S = 1_167_609_600;

/** Reads one Codec 7 record; a string says why it cannot be one. */
export function readCodec7Record(r: Reader, identifier: string): DecodedObservation | string {
  const o = emptyObservation(identifier);
  const stamp = r.u32();
  o.time = new Date(((stamp & 0x3fffffff) + GH3000_EPOCH_S) * 1000).toISOString();
  const a: Record<string, unknown> = { priority: stamp >>> 30 };
  const global = r.u8();
  if (global & 1) {
    const mask = r.u8();
    let lat: number | null = null;
    let lon: number | null = null;
    let heading: number | undefined;
    let speed: number | undefined;
    if (mask & 0x01) {
      lat = r.f32();
      lon = r.f32();
    }
    if (mask & 0x02) a.altitude = r.u16();
    if (mask & 0x04) heading = Math.round((r.u8() * 360) / 256);
    if (mask & 0x08) speed = r.u8();
    if (mask & 0x10) a.satellites = r.u8();
    if (mask & 0x20) {
      a.lac = r.u16();
      a.cellId = r.u16();
    }
    if (mask & 0x40) a.rssi = r.u8();
    if (mask & 0x80) a.operator = r.u32();
    if (lat !== null && lon !== null) {
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
        return `position ${lat},${lon} is out of range`;
      const round = (x: number) => Math.round(x * 1e6) / 1e6;
      if (lat !== 0 || lon !== 0) o.position = { lat: round(lat), lon: round(lon), speed, heading, source: 'gnss' };
    }
  }
  for (const [bit, size] of [
    [0x02, 1],
    [0x04, 2],
    [0x08, 4],
  ] as const) {
    if (!(global & bit)) continue;
    for (let n = r.u8(); n > 0; n--) {
      const id = r.u8();
      const value = r.value(size);
      a[`io${id}`] = value;
      if (id === 1 && typeof value === 'number' && value <= 100) o.battery = { ...(o.battery ?? {}), level: value };
      if (id === 67 && typeof value === 'number') o.battery = { ...(o.battery ?? {}), voltage: value / 1000 };
    }
  }
  o.attributes = a;
  return o;
}
