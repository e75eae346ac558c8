/**
 * JT600 binary location frames (`$` …): the long format of the JT701/JT709 e-locks and the GL600
 * lock, and the short format versions 1, 2 and 3 of the JT600 trackers.
 * Layout (Traccar Jt600ProtocolDecoder, checked byte by byte against the frames of reference §12.1):
 * `$`, device id (5 bytes BCD), [long: protocol byte], version byte (high nibble), length (2 bytes),
 * then records, then a 1-byte index. A record starts with: date DDMMYY and time hhmmss (BCD, UTC),
 * latitude DDMM.MMMM (4 bytes BCD), longitude DDDMM.MMMM (9 BCD digits) whose last nibble holds the
 * flags (bit 0 fix valid, bit 1 north, bit 2 east), speed (1 byte BCD, knots per Traccar), course
 * (1 byte, 2° units).
 * Long format goes on with odometer (4 bytes, km), satellites, vehicle id (4 bytes), status word
 * (2 bytes, see jt600-status.ts), battery (%, 0xFF = charging), cell id, LAC (2 bytes each), RSSI;
 * protocols 0x17 and 0x19 append a geofence id, 3 reserved bytes and more that no public source
 * describes: those bytes are kept as hex in `extension`.
 * Short format version 1 goes on with satellites, power, flags, altitude (2 bytes, m), cell id, LAC, RSSI;
 * version 2 with the fuel's high byte, a 4-byte status (byte 0: bit 0 ignition, bit 6 door; byte 1:
 * bit 0 charging, bit 1 blocked, bit 2 SOS, bits 3-4 GPS antenna cut, bit 4 overspeed; byte 2: bit 2
 * fatigue, bit 3 tow), odometer (4 bytes, km) and the fuel's low byte; version 3 with 80 bits: three
 * 12-bit fuel levels, a 20-bit odometer (km) and a 24-bit status whose bit 0 is ignition. Every
 * short record is 27 bytes.
 */
import { emptyObservation, type DecodeResult, type DecodedObservation } from '../decoded';
import { isJt600LongFormat, jt600BinaryAck } from './jt600-frames';
import { jt600SealReading, readJt600Status } from './jt600-status';

const LONG_RECORD = 34;
const SHORT_RECORD = 27;
const KNOT_KMH = 1.852;

export interface Jt600Decoded {
  result: DecodeResult;
  /** What to send back once the observations are durable; null when the device waits for nothing. */
  reply: Buffer | null;
}

/** Thrown inside this module for a nibble above 9; never leaves it. */
class NotBcd extends Error {}

function bcd(b: Buffer, at: number, digits: number): number {
  let v = 0;
  for (let i = 0; i < digits; i++) {
    const byte = b[at + (i >> 1)];
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    if (nibble > 9) throw new NotBcd(`byte ${at + (i >> 1)} (0x${byte.toString(16).padStart(2, '0')}) is not BCD`);
    v = v * 10 + nibble;
  }
  return v;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** Degrees from D…DMM.MMMM packed as an integer of minutes × 10 000 plus degrees × 1 000 000. */
const degrees = (raw: number) => Math.floor(raw / 1_000_000) + (raw % 1_000_000) / 10_000 / 60;

/** Reads the common 17-byte start of a record into `o`; a string says what is wrong. */
function readLocation(b: Buffer, at: number, o: DecodedObservation, attributes: Record<string, unknown>): string | null {
  const [day, month, year, hour, minute, second] = [0, 1, 2, 3, 4, 5].map((i) => bcd(b, at + i, 2));
  const ms = Date.UTC(2000 + year, month - 1, day, hour, minute, second);
  const t = new Date(ms);
  if (month < 1 || month > 12 || t.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return `date ${b.subarray(at, at + 6).toString('hex')} (DDMMYYhhmmss) is not a time`;
  }
  o.time = t.toISOString();
  const latRaw = bcd(b, at + 6, 8);
  const lonRaw = bcd(b, at + 10, 9);
  if (latRaw % 1_000_000 >= 600_000 || lonRaw % 1_000_000 >= 600_000) return 'coordinate minutes are 60 or more';
  const flags = b[at + 14] & 0x0f;
  const lat = round(degrees(latRaw), 7) * (flags & 0x2 ? 1 : -1);
  const lon = round(degrees(lonRaw), 7) * (flags & 0x4 ? 1 : -1);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
  // Some firmwares send the speed byte in binary (0x1b in Traccar's L64): the record is kept without
  // a speed and the byte raw, rather than the whole frame of records refused.
  const speedBcd = b[at + 15] >> 4 <= 9 && (b[at + 15] & 0x0f) <= 9;
  const knots = speedBcd ? bcd(b, at + 15, 2) : null;
  const course = (b[at + 16] * 2) % 360;
  attributes.gnssFix = (flags & 0x1) === 1;
  if (knots === null) attributes.speedRaw = b[at + 15];
  else attributes.speedKnots = knots;
  // A device without a fix since start-up sends 0,0: that is no position.
  if (lat !== 0 || lon !== 0) {
    o.position = { lat: lat || 0, lon: lon || 0, heading: course, source: 'gnss' };
    if (knots !== null) o.position.speed = round(knots * KNOT_KMH, 2);
  }
  return null;
}

/** Reads the 17-byte location block at `at` (as in binary records) into `o`; a string says what is wrong. */
export function readJt600Location(b: Buffer, at: number, o: DecodedObservation, attributes: Record<string, unknown>): string | null {
  if (at + 17 > b.length) return `location block at ${at} runs past the ${b.length}-byte frame`;
  try {
    return readLocation(b, at, o, attributes);
  } catch (e) {
    if (e instanceof NotBcd) return e.message;
    throw e;
  }
}

function readLongRecord(b: Buffer, at: number, id: string, protocolVersion: number): DecodedObservation | string {
  const o = emptyObservation(id);
  const attributes: Record<string, unknown> = { format: 'long', protocolVersion };
  const bad = readLocation(b, at, o, attributes);
  if (bad) return bad;
  attributes.odometer = b.readUInt32BE(at + 17) * 1000; // km on the wire, metres here
  attributes.satellites = b[at + 21];
  attributes.vehicleId = b.readUInt32BE(at + 22);
  const status = b.readUInt16BE(at + 26);
  const flags = readJt600Status(status);
  attributes.status = status;
  Object.assign(attributes, flags);
  attributes.backCover = flags.backCoverClosed ? 'closed' : 'open';
  o.seal = jt600SealReading(flags);
  if (flags.lbsFix && o.position) o.position.source = 'cell';
  const battery = b[at + 28];
  if (battery === 0xff) attributes.charging = true;
  else if (battery <= 100) o.battery = { level: battery };
  else attributes.batteryRaw = battery;
  attributes.cellId = b.readUInt16BE(at + 29);
  attributes.lac = b.readUInt16BE(at + 31);
  attributes.rssi = b[at + 33];
  o.attributes = attributes;
  return o;
}

function readShortRecord(b: Buffer, at: number, id: string, version: number): DecodedObservation | string {
  const o = emptyObservation(id);
  const attributes: Record<string, unknown> = { format: 'short', version };
  const bad = readLocation(b, at, o, attributes);
  if (bad) return bad;
  o.attributes = attributes;
  if (version === 2) {
    const [s0, s1, s2] = [b[at + 18], b[at + 19], b[at + 20]];
    attributes.status = b.readUInt32BE(at + 18);
    attributes.ignition = (s0 & 0x1) !== 0;
    o.door = s0 & 0x40 ? 'open' : 'closed';
    attributes.charging = (s1 & 0x1) !== 0;
    attributes.blocked = (s1 & 0x2) !== 0;
    attributes.alarms = [
      ...(s1 & 0x4 ? ['sos'] : []),
      ...(s1 & 0x18 ? ['gpsAntennaCut'] : []),
      ...(s1 & 0x10 ? ['overspeed'] : []),
      ...(s2 & 0x4 ? ['fatigue'] : []),
      ...(s2 & 0x8 ? ['tow'] : []),
    ];
    attributes.odometer = b.readUInt32BE(at + 22) * 1000;
    attributes.fuel = (b[at + 17] << 8) + b[at + 26];
    return o;
  }
  if (version === 3) {
    // 80 bits, most significant first: fuel1 (12), fuel2 (12), fuel3 (12), odometer km (20), status (24).
    const bits = BigInt(`0x${b.subarray(at + 17, at + 27).toString('hex')}`);
    const field = (from: number, width: number) => Number((bits >> BigInt(80 - from - width)) & ((1n << BigInt(width)) - 1n));
    attributes.fuel1 = field(0, 12);
    attributes.fuel2 = field(12, 12);
    attributes.fuel3 = field(24, 12);
    attributes.odometer = field(36, 20) * 1000;
    const status = field(56, 24);
    attributes.status = status;
    attributes.ignition = (status & 0x1) !== 0;
    return o;
  }
  attributes.satellites = b[at + 17];
  attributes.power = b[at + 18];
  attributes.flags = b[at + 19];
  attributes.altitude = b.readUInt16BE(at + 20);
  attributes.cellId = b.readUInt16BE(at + 22);
  attributes.lac = b.readUInt16BE(at + 24);
  attributes.rssi = b[at + 26];
  return o;
}

/** Decodes one whole binary frame (as cut by Jt600FrameSplitter) into observations and the acknowledgement it needs. */
export function decodeJt600Binary(frame: Buffer): Jt600Decoded {
  const fail = (detail: string): Jt600Decoded => ({ result: { ok: false, detail }, reply: null });
  if (frame.length < 11 || frame[0] !== 0x24) return fail(`not a binary frame of at least 11 bytes starting with "$"`);
  const long = isJt600LongFormat(frame);
  const start = long ? 10 : 9;
  const length = frame.readUInt16BE(long ? 8 : 7);
  if (frame.length !== length + 10) return fail(`length field ${length} does not match the frame of ${frame.length} bytes`);
  try {
    const id = bcd(frame, 1, 10).toString().padStart(10, '0');
    const protocolVersion = long ? frame[6] : 0;
    const version = frame[long ? 7 : 6] >> 4;
    if (!long && (version < 1 || version > 3)) return fail(`short-format version ${version} is not supported (versions 1-3)`);
    const end = frame.length - 1; // the last byte is the index
    const index = frame[end];
    const recordSize = long ? LONG_RECORD : SHORT_RECORD;
    const observations: DecodedObservation[] = [];
    let at = start;
    while (end - at >= recordSize) {
      const o = long ? readLongRecord(frame, at, id, protocolVersion) : readShortRecord(frame, at, id, version);
      if (typeof o === 'string') return fail(`record ${observations.length + 1}: ${o}`);
      o.attributes!.index = index;
      observations.push(o);
      at += recordSize;
    }
    if (observations.length === 0) return fail(`${end - start} bytes of records are shorter than one ${recordSize}-byte record`);
    if (at < end) {
      if (!long) return fail(`${end - at} bytes left over after ${observations.length} records`);
      const last = observations[observations.length - 1].attributes!;
      if (protocolVersion === 0x17 || protocolVersion === 0x19) last.geofenceId = frame[at];
      last.extension = frame.subarray(at, end).toString('hex');
    }
    const ack = long && observations.some((o) => o.attributes!.ackRequested === true);
    return { result: { ok: true, observations }, reply: ack ? jt600BinaryAck(protocolVersion, index) : null };
  } catch (e) {
    if (e instanceof NotBcd) return fail(e.message);
    throw e;
  }
}
