/**
 * Jointech e-locks (JT701/JT709 family) speaking JT/T 808 framing with their own location
 * messages 0x5501 (live) and 0x5502 (re-uploaded from memory). No public Jointech document
 * describes them; the layout is Traccar Jt808ProtocolDecoder's (read for facts, no code copied),
 * checked byte by byte against frame L3 of reference §12.4:
 * the JT600 binary location (date DDMMYY and time hhmmss BCD UTC, latitude DDMM.MMMM BCD[4],
 * longitude DDDMM.MMMM in 9 BCD digits whose last nibble holds the flags: bit 0 fix, bit 1 north,
 * bit 2 east; speed BCD knots; course in 2° units), then RSSI, satellites, odometer (DWORD, km),
 * battery (% ≤ 100, 0xAA/0xAB charging), cell id (DWORD), LAC (WORD), product type, status WORD,
 * alarm WORD, then items (id, length, value): 0x02 altitude, 0x0A MCC/MNC, 0x0B lock command,
 * 0x0C tilt, 0x10 wake source, 0xFC geofence. The meaning of the status and alarm bits and of
 * the lock command codes is not published: they are kept raw, not mapped onto the seal.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import { readLockCommand } from './jt808-tlv';

const KNOT_KMH = 1.852;
const FIXED = 35;

const nibbles = (b: Buffer, at: number, digits: number): number => {
  let v = 0;
  for (let i = 0; i < digits; i++) {
    const byte = b[at + (i >> 1)];
    const n = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    if (n > 9) return NaN;
    v = v * 10 + n;
  }
  return v;
};

const degrees = (raw: number) => Math.floor(raw / 1_000_000) + (raw % 1_000_000) / 10_000 / 60;
const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** Decodes a 0x5501/0x5502 body; a string says what is wrong. */
export function readJointechLocation(b: Buffer, identifier: string, blind: boolean): DecodedObservation | string {
  if (b.length < FIXED) return `Jointech location body of ${b.length} bytes is shorter than ${FIXED} bytes`;
  const [day, month, year, hour, minute, second] = [0, 1, 2, 3, 4, 5].map((i) => nibbles(b, i, 2));
  const ms = Date.UTC(2000 + year, month - 1, day, hour, minute, second);
  if (Number.isNaN(ms) || month < 1 || month > 12 || new Date(ms).getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return `date ${b.subarray(0, 6).toString('hex')} (DDMMYYhhmmss) is not a time`;
  }
  const latRaw = nibbles(b, 6, 8);
  const lonRaw = nibbles(b, 10, 9);
  const knots = nibbles(b, 15, 2);
  if ([latRaw, lonRaw, knots].some(Number.isNaN)) return 'coordinates or speed are not BCD';
  if (latRaw % 1_000_000 >= 600_000 || lonRaw % 1_000_000 >= 600_000) return 'coordinate minutes are 60 or more';
  const flags = b[14] & 0x0f;
  const lat = round(degrees(latRaw), 7) * (flags & 0x2 ? 1 : -1);
  const lon = round(degrees(lonRaw), 7) * (flags & 0x4 ? 1 : -1);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
  const o = emptyObservation(identifier);
  o.time = new Date(ms).toISOString();
  if (lat !== 0 || lon !== 0)
    o.position = { lat: lat || 0, lon: lon || 0, speed: round(knots * KNOT_KMH, 2), heading: (b[16] * 2) % 360, source: 'gnss' };
  const battery = b[23];
  const a: Record<string, unknown> = {
    format: 'jointech',
    buffered: blind,
    gnssFix: (flags & 0x1) === 1,
    speedKnots: knots,
    rssi: b[17],
    satellites: b[18],
    odometer: b.readUInt32BE(19) * 1000,
    cellId: b.readUInt32BE(24),
    lac: b.readUInt16BE(28),
    productType: b[30],
    lockStatus: b.readUInt16BE(31),
    lockAlarm: b.readUInt16BE(33),
  };
  if (battery <= 100) o.battery = { level: battery };
  else if (battery === 0xaa || battery === 0xab) a.charging = true;
  else a.batteryRaw = battery;
  for (let at = 35; at < b.length;) {
    if (at + 2 > b.length || at + 2 + b[at + 1] > b.length) return `item at byte ${at} runs past the end of the body`;
    const id = b[at];
    const v = b.subarray(at + 2, at + 2 + b[at + 1]);
    a[`tlv${id.toString(16).padStart(2, '0')}`] = v.toString('hex');
    if (id === 0x02 && v.length === 2) a.altitude = v.readInt16BE(0);
    else if (id === 0x10 && v.length === 1) a.wakeSource = v[0];
    else if (id === 0x0b) readLockCommand(v, a);
    else if (id === 0x0c && v.length === 6) a.tilt = [v.readInt16BE(0), v.readInt16BE(2), v.readInt16BE(4)];
    else if (id === 0xfc && v.length === 1) a.geofence = v[0];
    at += 2 + v.length;
  }
  o.attributes = a;
  return o;
}
