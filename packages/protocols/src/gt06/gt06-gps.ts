/**
 * The GT06 GPS block and its parts, shared by the standard packets (gt06.ts) and the model-specific
 * ones (gt06-packets.ts): date YY MM DD hh mm ss (binary, UTC), GPS info (high nibble length, low
 * nibble satellites), latitude and longitude (DWORD, minutes × 30 000, i.e. degrees × 1 800 000),
 * speed (km/h), course/status WORD (bits 0-9 course, 10 north latitude, 11 west longitude, 12 fixed).
 */
import type { DecodedObservation } from '../decoded';

export const GPS_LENGTH = 18;

/** Reads the 6-byte date at `at` as an ISO time; a string starting `date` says it is none. */
export function readGt06Date(c: Buffer, at: number): { time: string } | string {
  const [yy, mo, dd, hh, mi, ss] = c.subarray(at, at + 6);
  const ms = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss);
  if (mo < 1 || mo > 12 || new Date(ms).getUTCDate() !== dd || hh > 23 || mi > 59 || ss > 59)
    return `date ${c.subarray(at, at + 6).toString('hex')} (YYMMDDhhmmss) is not a time`;
  return { time: new Date(ms).toISOString() };
}

/**
 * Sets the position from raw latitude / longitude (degrees × 1 800 000), speed (km/h) and the
 * course/status word; 0,0 is no position (a device without a fix). A string says it is out of range.
 */
export function placeGt06Fix(
  raw: { lat: number; lon: number; speed: number; flags: number },
  o: DecodedObservation,
  a: Record<string, unknown>,
): string | null {
  const lat = (raw.lat / 1_800_000) * (raw.flags & 0x400 ? 1 : -1);
  const lon = (raw.lon / 1_800_000) * (raw.flags & 0x800 ? -1 : 1);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  a.gnssFix = (raw.flags & 0x1000) !== 0;
  a.courseStatus = raw.flags;
  if (lat !== 0 || lon !== 0)
    o.position = { lat: round(lat) || 0, lon: round(lon) || 0, speed: raw.speed, heading: (raw.flags & 0x3ff) % 360, source: 'gnss' };
  return null;
}

/**
 * Reads the GPS block at `at` into `o` and `a`; a string says what is wrong. `withLength`: a
 * length byte follows the date (AZ735's extended packets), 0 meaning no GPS data (then the time
 * is kept, no position, and 7 bytes are read).
 */
export function readGps(c: Buffer, at: number, o: DecodedObservation, a: Record<string, unknown>, withLength = false): string | null {
  const date = readGt06Date(c, at);
  if (typeof date === 'string') return date;
  o.time = date.time;
  if (withLength) {
    if (c[at + 6] === 0) return null;
    at++;
  }
  a.satellites = c[at + 6] & 0x0f;
  return placeGt06Fix(
    { lat: c.readUInt32BE(at + 7), lon: c.readUInt32BE(at + 11), speed: c[at + 15], flags: c.readUInt16BE(at + 16) },
    o,
    a,
  );
}
