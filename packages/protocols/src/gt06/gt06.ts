/**
 * GT06 / Concox (Traccar port 5023): one entry point for a packet cut by Gt06FrameSplitter.
 * Packets read here (Concox GT06 protocol; Traccar Gt06ProtocolDecoder read for facts, no code copied):
 * - 0x01 login: IMEI as 8 BCD bytes (16 digits, a leading 0), then optional type/time-zone fields;
 *   acknowledged with the same protocol number and the packet's serial;
 * - 0x13 heartbeat: terminal information, voltage level, GSM signal, alarm/language; acknowledged;
 * - 0x12 and 0x22 location: GPS block, then MCC, MNC, LAC, cell id (0x22 adds ACC, upload mode,
 *   re-upload flag and an optional odometer); no answer expected;
 * - 0x16 and 0x26 alarm: GPS block, LBS length and LBS, then the status block (terminal info,
 *   voltage, GSM, alarm code, language) as the last 5 content bytes; acknowledged.
 * GPS block: date YY MM DD hh mm ss (binary, UTC), GPS info (high nibble length, low nibble
 * satellites), latitude and longitude (DWORD, minutes × 30 000, i.e. degrees × 1 800 000),
 * speed (km/h), course/status WORD (bits 0-9 course, 10 north latitude, 11 west longitude, 12 fixed).
 * Packets after the login carry no identifier: the caller passes the IMEI of the login.
 */
import { emptyObservation, type DecodeResult, type DecodedObservation } from '../decoded';
import { gt06Ack, gt06Crc, isGt06Long } from './gt06-frames';
import { readGt06Status } from './gt06-status';

export const GT06_MSG = { login: 0x01, location: 0x12, heartbeat: 0x13, alarm: 0x16, location2: 0x22, alarm2: 0x26 } as const;

export interface Gt06Decoded {
  result: DecodeResult;
  /** The protocol number; null when the packet could not be read. */
  protocol: number | null;
  /** The IMEI of a login packet. */
  imei: string | null;
  /** What to send back once the observations are durable; null when the device waits for nothing. */
  reply: Buffer | null;
}

const GPS_LENGTH = 18;

/** Reads the GPS block at `at` into `o` and `a`; a string says what is wrong. */
function readGps(c: Buffer, at: number, o: DecodedObservation, a: Record<string, unknown>): string | null {
  const [yy, mo, dd, hh, mi, ss] = c.subarray(at, at + 6);
  const ms = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss);
  if (mo < 1 || mo > 12 || new Date(ms).getUTCDate() !== dd || hh > 23 || mi > 59 || ss > 59)
    return `date ${c.subarray(at, at + 6).toString('hex')} (YYMMDDhhmmss) is not a time`;
  o.time = new Date(ms).toISOString();
  const flags = c.readUInt16BE(at + 16);
  const lat = (c.readUInt32BE(at + 7) / 1_800_000) * (flags & 0x400 ? 1 : -1);
  const lon = (c.readUInt32BE(at + 11) / 1_800_000) * (flags & 0x800 ? -1 : 1);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  a.satellites = c[at + 6] & 0x0f;
  a.gnssFix = (flags & 0x1000) !== 0;
  a.courseStatus = flags;
  if (lat !== 0 || lon !== 0)
    o.position = { lat: round(lat) || 0, lon: round(lon) || 0, speed: c[at + 15], heading: (flags & 0x3ff) % 360, source: 'gnss' };
  return null;
}

/** Reads MCC, MNC (2 bytes when MCC bit 15 is set), LAC and a cell id filling the rest of `lbs`. */
function readLbs(lbs: Buffer, a: Record<string, unknown>): string | null {
  const mcc = lbs.length >= 2 ? lbs.readUInt16BE(0) : 0;
  const mncBytes = mcc & 0x8000 ? 2 : 1;
  const cellBytes = lbs.length - 2 - mncBytes - 2;
  if (cellBytes < 2 || cellBytes > 4) return `cell information of ${lbs.length} bytes is neither 8 nor 9 bytes`;
  a.mcc = mcc & 0x7fff;
  a.mnc = lbs.readUIntBE(2, mncBytes);
  a.lac = lbs.readUInt16BE(2 + mncBytes);
  a.cellId = lbs.readUIntBE(4 + mncBytes, cellBytes);
  return null;
}

function decodeContent(protocol: number, c: Buffer, imei: string): DecodedObservation | string {
  const o = emptyObservation(imei);
  const a: Record<string, unknown> = { protocolNumber: protocol };
  o.attributes = a;
  if (protocol === GT06_MSG.heartbeat) {
    if (c.length < 3) return `heartbeat of ${c.length} content bytes is shorter than 3`;
    const s = readGt06Status(c[0], c[1], c[2], c.length >= 4 ? c[3] : null);
    Object.assign(a, s.attributes);
    o.seal = s.seal;
    if (s.batteryLevel !== null) o.battery = { level: s.batteryLevel };
    return o;
  }
  const isAlarm = protocol === GT06_MSG.alarm || protocol === GT06_MSG.alarm2;
  const minimum = GPS_LENGTH + (isAlarm ? 1 + 8 + 5 : 8);
  if (c.length < minimum) return `packet 0x${protocol.toString(16)} of ${c.length} content bytes is shorter than ${minimum}`;
  const bad = readGps(c, 0, o, a);
  if (bad) return bad;
  if (!isAlarm) {
    const lbsEnd = GPS_LENGTH + 8 + (c.length > GPS_LENGTH + 8 && c.readUInt16BE(GPS_LENGTH) & 0x8000 ? 1 : 0);
    const lbsBad = readLbs(c.subarray(GPS_LENGTH, Math.min(lbsEnd, c.length)), a);
    if (lbsBad) return lbsBad;
    if (protocol === GT06_MSG.location2 && c.length >= lbsEnd + 3) {
      a.acc = c[lbsEnd] !== 0;
      a.uploadMode = c[lbsEnd + 1];
      a.buffered = c[lbsEnd + 2] !== 0;
      if (c.length >= lbsEnd + 7) a.odometer = c.readUInt32BE(lbsEnd + 3);
    }
    return o;
  }
  // The status block is the last 5 bytes: devices disagree on whether the LBS length counts itself.
  const lbsBad = readLbs(c.subarray(GPS_LENGTH + 1, c.length - 5), a);
  if (lbsBad) return lbsBad;
  const st = c.subarray(c.length - 5);
  const s = readGt06Status(st[0], st[1], st[2], st[3]);
  Object.assign(a, s.attributes, { language: st[4] });
  o.seal = s.seal;
  o.door = s.door;
  if (s.batteryLevel !== null) o.battery = { level: s.batteryLevel };
  return o;
}

/**
 * Decodes one packet (start to stop bytes) into observations and the acknowledgement it needs.
 * `imei` is the IMEI of the connection's login; null before the login.
 */
export function decodeGt06Packet(packet: Buffer, imei: string | null): Gt06Decoded {
  const fail = (detail: string, protocol: number | null = null): Gt06Decoded => ({
    result: { ok: false, detail },
    protocol,
    imei: null,
    reply: null,
  });
  const long = isGt06Long(packet);
  const head = long ? 4 : 3;
  if (packet.length < head + 7 || (packet[0] !== 0x78 && packet[0] !== 0x79) || packet[1] !== packet[0])
    return fail('not a GT06 packet (0x7878 or 0x7979, at least 10 bytes)');
  const length = long ? packet.readUInt16BE(2) : packet[2];
  if (packet.length !== head + length + 2) return fail(`length field ${length} does not match the packet of ${packet.length} bytes`);
  if (packet[packet.length - 2] !== 0x0d || packet[packet.length - 1] !== 0x0a) return fail('packet does not end with 0x0d0a');
  const carried = packet.readUInt16BE(packet.length - 4);
  const computed = gt06Crc(packet.subarray(2, packet.length - 4));
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  if (carried !== computed) return fail(`CRC-ITU mismatch: the packet carries ${hex(carried)}, its bytes give ${hex(computed)}`);
  const protocol = packet[head];
  const serial = packet.readUInt16BE(packet.length - 6);
  const content = packet.subarray(head + 1, packet.length - 6);
  const name = `0x${protocol.toString(16).padStart(2, '0')}`;
  if (protocol === GT06_MSG.login) {
    if (content.length < 8) return fail(`login content of ${content.length} bytes is shorter than the 8-byte IMEI`, protocol);
    const digits = content.subarray(0, 8).toString('hex');
    if (!/^\d{16}$/.test(digits)) return fail(`login IMEI ${digits} is not BCD`, protocol);
    return { result: { ok: true, observations: [] }, protocol, imei: digits.replace(/^0/, ''), reply: gt06Ack(protocol, serial, long) };
  }
  if (!Object.values(GT06_MSG).includes(protocol as never))
    return fail(`protocol number ${name} is not supported (0x01, 0x12, 0x13, 0x16, 0x22, 0x26)`, protocol);
  if (imei === null) return fail(`packet ${name} before the login packet`, protocol);
  const o = decodeContent(protocol, content, imei);
  if (typeof o === 'string') return fail(`${name}: ${o}`, protocol);
  o.attributes!.serial = serial;
  const answered = protocol === GT06_MSG.heartbeat || protocol === GT06_MSG.alarm || protocol === GT06_MSG.alarm2;
  return { result: { ok: true, observations: [o] }, protocol, imei: null, reply: answered ? gt06Ack(protocol, serial, long) : null };
}
