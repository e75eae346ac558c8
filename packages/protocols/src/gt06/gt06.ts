/**
 * GT06 / Concox (Traccar port 5023): one entry point for a packet cut by Gt06FrameSplitter.
 * Packets read here (Concox GT06 protocol; Traccar Gt06ProtocolDecoder read for facts, no code copied):
 * - 0x01 login: IMEI as 8 BCD bytes (16 digits, a leading 0), then optional type/time-zone fields;
 *   acknowledged with the same protocol number and the packet's serial;
 * - 0x13 heartbeat: terminal information, voltage level, GSM signal, alarm/language; acknowledged;
 * - location packets (0x12, 0x22 and the others of LAYOUTS): GPS block, then MCC, MNC, LAC, cell id
 *   (0x22 adds ACC, upload mode, re-upload flag and an optional odometer); no answer expected;
 * - alarm packets (0x16, 0x26, 0xA4 …): GPS block (none in 0x19/0xA5), LBS length and LBS, then
 *   the status block (terminal info, voltage, GSM, alarm code, language); acknowledged.
 * - QH302R's 0x12 with its IMEI before the GPS block (recognised by the BCD IMEI where a date cannot be);
 * - model-specific packets (0x21, 0x24, 0x32 long, 0x34, 0x36, 0x38, 0x70, 0x94): gt06-packets.ts.
 * When what follows the GPS block cannot be read (models disagree), the position is kept with
 * `trailingError` saying why. The GPS block: gt06-gps.ts.
 * Packets after the login carry no identifier: the caller passes the IMEI of the login.
 */
import { emptyObservation, type DecodeResult, type DecodedObservation } from '../decoded';
import { gt06Ack, gt06Crc, isGt06Long } from './gt06-frames';
import { readGt06Status } from './gt06-status';
import { GPS_LENGTH, readGps, readGt06Date } from './gt06-gps';
import { decodeGt06Special, gt06SpecialAck, isGt06Special } from './gt06-packets';

export const GT06_MSG = { login: 0x01, location: 0x12, heartbeat: 0x13, alarm: 0x16, location2: 0x22, alarm2: 0x26 } as const;

/**
 * The layout of each packet read here, by protocol number: a GPS block first, then cell data
 * (`lbs`), then the status block (terminal info, voltage, GSM, alarm code). Which numbers carry
 * which parts, and the widths of the cell fields, follow Traccar's reading of Concox and clone
 * models (Gt06ProtocolDecoder, for facts): 0x10 GPS only; 0x11, 0x12, 0x17, 0x1A, 0x1E, 0x22, 0x25,
 * 0x2D, 0x31, 0x37, 0xA0 location; 0x16, 0x26, 0x27, 0x32, 0xA2, 0xA3, 0xA4 location with status
 * (alarm); 0x19, 0xA5 cell and status without GPS (alarm with no fix).
 */
interface Layout {
  gps: boolean;
  lbs: boolean;
  status: boolean;
  /** The cell block starts with its own length byte. */
  lbsLength?: boolean;
  /** MNC is a WORD even without MCC bit 15. */
  mnc2?: boolean;
  /** LAC as a DWORD and the cell id as 8 bytes (4G layouts). */
  wideCell?: boolean;
  /** The cell id is a DWORD (else 3 bytes). */
  cid4?: boolean;
  /** The alarm code takes the high nibble of the next byte as its upper bits. */
  alarmNibble?: boolean;
  /** A network byte before the status block and external power (WORD, 10 mV) after its terminal info (0xA2). */
  power?: boolean;
}

const LAYOUTS: Record<number, Layout> = {
  0x10: { gps: true, lbs: false, status: false },
  0x11: { gps: true, lbs: true, status: false, mnc2: true, cid4: true },
  0x12: { gps: true, lbs: true, status: false },
  0x17: { gps: true, lbs: true, status: false },
  0x1a: { gps: true, lbs: false, status: false },
  0x1e: { gps: true, lbs: false, status: false },
  0x22: { gps: true, lbs: true, status: false },
  0x25: { gps: true, lbs: true, status: false, cid4: true },
  0x2d: { gps: true, lbs: true, status: false },
  0x31: { gps: true, lbs: true, status: false },
  0x37: { gps: true, lbs: true, status: false },
  0xa0: { gps: true, lbs: true, status: false, wideCell: true },
  0x16: { gps: true, lbs: true, status: true, lbsLength: true },
  0x26: { gps: true, lbs: true, status: true, lbsLength: true },
  0x27: { gps: true, lbs: true, status: true, lbsLength: true, alarmNibble: true },
  0x32: { gps: true, lbs: true, status: true, lbsLength: true },
  0xa2: { gps: true, lbs: true, status: true, wideCell: true, power: true },
  0xa3: { gps: true, lbs: true, status: true, lbsLength: true },
  0xa4: { gps: true, lbs: true, status: true, lbsLength: true, alarmNibble: true },
  0x19: { gps: false, lbs: true, status: true },
  0xa5: { gps: false, lbs: true, status: true, wideCell: true },
};

/** The protocol numbers decoded (login and heartbeat besides the layouts). */
export const GT06_SUPPORTED = [GT06_MSG.login, GT06_MSG.heartbeat, ...Object.keys(LAYOUTS).map(Number)].sort((a, b) => a - b);

export interface Gt06Decoded {
  result: DecodeResult;
  /** The protocol number; null when the packet could not be read. */
  protocol: number | null;
  /** The IMEI of a login packet. */
  imei: string | null;
  /** What to send back once the observations are durable; null when the device waits for nothing. */
  reply: Buffer | null;
}

/**
 * Reads the cell block at `at` (MCC, MNC of 1 or 2 bytes, LAC, cell id, widths per layout) into
 * `a`; the offset after it, or a string when the bytes run out.
 */
function readLbs(c: Buffer, at: number, l: Layout, a: Record<string, unknown>, fill = false): number | string {
  let length = 0;
  if (l.lbsLength) {
    if (at >= c.length) return 'no cell block length';
    length = c[at++];
    // A zero length: no cell data (some firmwares still send zeroed bytes, which the status read skips over by position).
    if (length === 0) return at;
  }
  const start = at;
  if (at + 2 > c.length) return 'cell block ends inside MCC';
  const mcc = c.readUInt16BE(at);
  at += 2;
  const mncBytes = mcc & 0x8000 || l.mnc2 ? 2 : 1;
  const lacBytes = l.wideCell ? 4 : 2;
  // `fill`: the cell block ends where the status block starts, and the cell id is what is left (2-4 bytes).
  const left = c.length - at - mncBytes - lacBytes;
  const cidBytes = l.wideCell ? 8 : fill && left >= 2 && left <= 4 ? left : l.cid4 ? 4 : 3;
  if (at + mncBytes + lacBytes + cidBytes > c.length) return `cell block of ${c.length - start} bytes is shorter than its fields`;
  a.mcc = mcc & 0x7fff;
  a.mnc = c.readUIntBE(at, mncBytes);
  at += mncBytes;
  a.lac = c.readUIntBE(at, lacBytes);
  at += lacBytes;
  // An 8-byte cell id is a number above 2^53 only in theory: real ids fit in the low 6 bytes.
  a.cellId = cidBytes === 8 ? c.readUIntBE(at + 2, 6) : c.readUIntBE(at, cidBytes);
  at += cidBytes;
  // The length byte counts itself in the devices Traccar reads (9 for MCC 2 + MNC 1 + LAC 2 + cell 3 + length 1).
  if (l.lbsLength && length > 9) at = start + length - 1;
  return at;
}

function decodeSpecial(protocol: number, c: Buffer, imei: string): DecodedObservation | string {
  const o = emptyObservation(imei);
  const a: Record<string, unknown> = { protocolNumber: protocol };
  o.attributes = a;
  return decodeGt06Special(protocol, c, o, a) ?? o;
}

/** QH302R puts its IMEI (8 BCD bytes) before the GPS block of 0x12: recognised by a BCD IMEI where a date cannot be. */
const imeiBeforeGps = (protocol: number, c: Buffer) =>
  protocol === GT06_MSG.location &&
  c.length >= 8 + GPS_LENGTH &&
  typeof readGt06Date(c, 0) === 'string' &&
  /^0\d{15}$/.test(c.subarray(0, 8).toString('hex'));

function decodeContent(protocol: number, content: Buffer, imei: string): DecodedObservation | string {
  const inPacket = imeiBeforeGps(protocol, content);
  const c = inPacket ? content.subarray(8) : content;
  const o = emptyObservation(imei);
  const a: Record<string, unknown> = { protocolNumber: protocol };
  if (inPacket) a.packetImei = content.subarray(0, 8).toString('hex').slice(1);
  o.attributes = a;
  if (protocol === GT06_MSG.heartbeat) {
    if (c.length < 3) return `heartbeat of ${c.length} content bytes is shorter than 3`;
    const s = readGt06Status(c[0], c[1], c[2], c.length >= 4 ? c[3] : null);
    Object.assign(a, s.attributes);
    o.seal = s.seal;
    if (s.batteryLevel !== null) o.battery = { level: s.batteryLevel };
    return o;
  }
  const l = LAYOUTS[protocol];
  let at = 0;
  if (l.gps) {
    if (c.length < GPS_LENGTH)
      return `packet 0x${protocol.toString(16)} of ${c.length} content bytes is shorter than the ${GPS_LENGTH}-byte GPS block`;
    const bad = readGps(c, 0, o, a);
    if (bad) return bad;
    at = GPS_LENGTH;
  }
  // What follows the GPS block varies by model: when it cannot be read, the position is kept and why is said.
  const rest = readRest(protocol, l, c, at, o, a);
  if (typeof rest === 'string') {
    if (!l.gps) return rest;
    a.trailingError = rest;
  }
  return o;
}

/** Reads cell data and the status block after the GPS block; a string says what could not be read. */
function readRest(protocol: number, l: Layout, c: Buffer, at: number, o: DecodedObservation, a: Record<string, unknown>): string | null {
  // Without a trailer after it, the status block is the last 5 bytes: devices disagree on the cell
  // block (a 4-byte cell id under a length of 9), and its end is what they agree on.
  const statusAtEnd = l.status && !l.alarmNibble && !l.power && c.length - at >= 5;
  if (l.lbs && c.length - at > 6) {
    const next = statusAtEnd ? readLbs(c.subarray(0, c.length - 5), at, l, a, true) : readLbs(c, at, l, a);
    if (typeof next === 'string') {
      if (!l.status) return next;
      a.lbsError = next;
    } else at = next;
  }
  if (protocol === GT06_MSG.location2 && c.length >= at + 3) {
    a.acc = c[at] !== 0;
    a.uploadMode = c[at + 1];
    a.buffered = c[at + 2] !== 0;
    if (c.length >= at + 7) a.odometer = c.readUInt32BE(at + 3);
  }
  if (!l.status) return null;
  if (statusAtEnd) at = c.length - 5;
  let info: number;
  if (l.power) {
    // 0xA2: network indicator, terminal info, external power (WORD, 10 mV), then voltage, GSM, alarm.
    if (at + 7 > c.length) return `status block of ${c.length - at} bytes is shorter than 7`;
    a.networkIndicator = c[at];
    info = c[at + 1];
    a.externalVoltage = c.readUInt16BE(at + 2) / 100;
    at += 3;
  } else {
    if (at + 4 > c.length) return `status block of ${c.length - at} bytes is shorter than 4`;
    info = c[at];
  }
  let alarm = c[at + 3];
  if (l.alarmNibble && at + 4 < c.length) alarm += (c[at + 4] >> 4) << 8;
  const s = readGt06Status(info, c[at + 1], c[at + 2], alarm);
  Object.assign(a, s.attributes);
  if (at + 4 < c.length) a.language = c[at + 4];
  o.seal = s.seal;
  o.door = s.door;
  if (s.batteryLevel !== null) o.battery = { level: s.batteryLevel };
  return null;
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
  const special = isGt06Special(protocol, long, length);
  if (!special && !GT06_SUPPORTED.includes(protocol))
    return fail(
      `protocol number ${name} is not supported (${GT06_SUPPORTED.map((n) => `0x${n.toString(16).padStart(2, '0')}`).join(', ')})`,
      protocol,
    );
  if (imei === null) return fail(`packet ${name} before the login packet`, protocol);
  const o = special ? decodeSpecial(protocol, content, imei) : decodeContent(protocol, content, imei);
  if (typeof o === 'string') return fail(`${name}: ${o}`, protocol);
  o.attributes!.serial = serial;
  // Heartbeats and every packet with a status block (the alarms) wait for the acknowledgement.
  if (special) return { result: { ok: true, observations: [o] }, protocol, imei: null, reply: gt06SpecialAck(protocol, serial) };
  const answered = protocol === GT06_MSG.heartbeat || LAYOUTS[protocol]?.status === true;
  return { result: { ok: true, observations: [o] }, protocol, imei: null, reply: answered ? gt06Ack(protocol, serial, long) : null };
}
