/**
 * The JT/T 808 message header, and the platform messages the server sends back.
 * Header (JT/T 808-2013 §4.4.3, table 2; 2019 edition §4.4.3, table 2):
 * message id (WORD); body properties (WORD: bits 0-9 body length, 10-12 encryption, 13 subpackage,
 * 14 version flag (2019), 15 reserved); [2019: protocol version (BYTE)]; terminal phone number
 * (BCD[6] in 2013, BCD[10] in 2019); message serial number (WORD); [subpackage: total packets
 * (WORD), packet number (WORD)]. All integers big-endian.
 */
import { jt808Checksum, jt808Frame, jt808Unescape, JT808_FLAG } from './jt808-frames';

export const JT808_MSG = {
  terminalGeneralResponse: 0x0001,
  heartbeat: 0x0002,
  logout: 0x0003,
  register: 0x0100,
  authenticate: 0x0102,
  locationReport: 0x0200,
  locationBatch: 0x0704,
  /** Uplink transparent data (§8.62): a type byte and vendor content; type 0xF0 carries a position (jt808-transparent.ts). */
  transparentUp: 0x0900,
  /**
   * A vendor batch of location reports (not in the standard): items of a 1-byte length and a
   * location body; a 7-byte body is instead battery % and a BCD time (Traccar MSG_LOCATION_BATCH_2).
   */
  locationBatchVendor: 0x0210,
  /** Jointech JT701/JT709 e-locks: location in the JT600 binary layout, over JT/T 808 framing. */
  jointechLocation: 0x5501,
  /** The same, re-uploaded from the lock's memory (blind area). */
  jointechLocationBlind: 0x5502,
  platformGeneralResponse: 0x8001,
  registerResponse: 0x8100,
  /** Jointech's short general response, answered when bit 15 of a 0x5501/0x5502 header asks for it. */
  jointechGeneralResponse: 0x4401,
} as const;

export interface Jt808Header {
  msgId: number;
  bodyLength: number;
  /** Bits 10-12: 0 plain, bit 10 RSA. */
  encryption: number;
  subpackage: { total: number; index: number } | null;
  /** Protocol version from the 2019 header; null for a 2013 header. */
  version: number | null;
  /** The terminal phone number as sent: its BCD bytes, for the reply header. */
  phoneBytes: Buffer;
  /** The device identifier: the phone number's BCD digits (12 in 2013, 20 in 2019), or the IMEI a non-BCD number encodes. */
  phone: string;
  serial: number;
  /** Bit 15, reserved by the standard; Jointech uses it to ask for an answer. */
  reservedBit: boolean;
  /** Jointech 0x5501/0x5502 carry a 1-byte serial number instead of a WORD. */
  shortSerial: boolean;
}

export interface Jt808Message {
  header: Jt808Header;
  body: Buffer;
}

const isJointech = (msgId: number) => msgId === JT808_MSG.jointechLocation || msgId === JT808_MSG.jointechLocationBlind;

/** The Luhn check digit of a number given as its digits (the 15th digit of an IMEI). */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The identifier a terminal's phone number field gives: its BCD digits as sent; terminals that
 * fill the field with binary (not BCD) carry their IMEI's first 14 digits as a 48-bit number in the
 * first 6 bytes, completed with the Luhn digit (the reading Traccar's Jt808ProtocolDecoder has, and
 * the one its test frames of such terminals need).
 */
export function jt808PhoneId(phoneBytes: Buffer): string {
  const hex = phoneBytes.toString('hex');
  if (/^\d+$/.test(hex)) return hex;
  const n = phoneBytes.readUInt16BE(0) * 2 ** 32 + phoneBytes.readUInt32BE(2);
  const digits = String(n);
  return digits + luhnDigit(digits);
}

/**
 * Reads one frame as cut by Jt808FrameSplitter (flags included): unescapes, verifies the check
 * code, reads the header. A string says why the frame is refused.
 */
export function readJt808Message(frame: Buffer): Jt808Message | string {
  if (frame.length < 2 || frame[0] !== JT808_FLAG || frame[frame.length - 1] !== JT808_FLAG) return 'frame is not enclosed in 0x7e flags';
  const data = jt808Unescape(frame.subarray(1, -1));
  if (typeof data !== 'string') return readUnescaped(data);
  // Some terminals send a 0x7d of their data unescaped (Traccar's JT808 L188): read as sent, such a
  // frame is taken only when its check code and body length both agree; otherwise the escape is the reason.
  const literal = readUnescaped(jt808Unescape(frame.subarray(1, -1), true) as Buffer);
  return typeof literal === 'string' ? data : literal;
}

function readUnescaped(data: Buffer): Jt808Message | string {
  if (data.length < 13) return `frame of ${data.length} unescaped bytes is shorter than a header and a check code`;
  const carried = data[data.length - 1];
  const computed = jt808Checksum(data.subarray(0, -1));
  const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
  if (carried !== computed) return `check code mismatch: the frame carries ${hex(carried)}, its bytes give ${hex(computed)}`;
  const msgId = data.readUInt16BE(0);
  const props = data.readUInt16BE(2);
  const v2019 = (props & 0x4000) !== 0;
  const shortSerial = isJointech(msgId);
  const phoneLength = v2019 ? 10 : 6;
  let at = v2019 ? 5 : 4;
  const version = v2019 ? data[4] : null;
  const headerEnd = at + phoneLength + (shortSerial ? 1 : 2);
  if (data.length - 1 < headerEnd) return `header of ${headerEnd} bytes does not fit the frame`;
  const phoneBytes = Buffer.from(data.subarray(at, at + phoneLength));
  const phone = jt808PhoneId(phoneBytes);
  at += phoneLength;
  const serial = shortSerial ? data[at] : data.readUInt16BE(at);
  at = headerEnd;
  let subpackage: Jt808Header['subpackage'] = null;
  if (props & 0x2000 && !shortSerial) {
    if (data.length - 1 < at + 4) return 'subpackage fields do not fit the frame';
    subpackage = { total: data.readUInt16BE(at), index: data.readUInt16BE(at + 2) };
    at += 4;
  }
  const bodyLength = props & 0x3ff;
  const body = Buffer.from(data.subarray(at, data.length - 1));
  if (body.length !== bodyLength) return `body length field ${bodyLength} does not match the ${body.length} body bytes`;
  return {
    header: {
      msgId,
      bodyLength,
      encryption: (props >> 10) & 0x7,
      subpackage,
      version,
      phoneBytes,
      phone,
      serial,
      reservedBit: (props & 0x8000) !== 0,
      shortSerial,
    },
    body,
  };
}

/**
 * Encodes a message with a 2013 or 2019 header (as `to` has), escaped and framed: what the
 * platform sends (replies, with its own serial number) and what the test encoder sends as a terminal.
 */
export function encodeJt808Message(msgId: number, to: Pick<Jt808Header, 'version' | 'phoneBytes'>, serial: number, body: Buffer): Buffer {
  const v2019 = to.version !== null;
  const head = Buffer.alloc((v2019 ? 5 : 4) + to.phoneBytes.length + 2);
  head.writeUInt16BE(msgId, 0);
  head.writeUInt16BE((body.length & 0x3ff) | (v2019 ? 0x4000 : 0), 2);
  if (v2019) head[4] = to.version!;
  to.phoneBytes.copy(head, v2019 ? 5 : 4);
  head.writeUInt16BE(serial & 0xffff, head.length - 2);
  return jt808Frame(Buffer.concat([head, body]));
}

/** Platform general response 0x8001 (§8.2): answered serial, answered message id, result (0 success). */
export function jt808GeneralResponse(to: Jt808Header, platformSerial: number, result = 0): Buffer {
  const body = Buffer.alloc(5);
  body.writeUInt16BE(to.serial, 0);
  body.writeUInt16BE(to.msgId, 2);
  body[4] = result;
  return encodeJt808Message(JT808_MSG.platformGeneralResponse, to, platformSerial, body);
}

/**
 * Registration response 0x8100 (§8.6): answered serial, result (0 success; 1 vehicle already
 * registered; 2 no such vehicle; 3 terminal already registered; 4 no such terminal), and on
 * success the authentication code the terminal sends back in 0x0102.
 */
export function jt808RegisterResponse(to: Jt808Header, platformSerial: number, result: number, authCode: string): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt16BE(to.serial, 0);
  head[2] = result;
  const body = result === 0 ? Buffer.concat([head, Buffer.from(authCode, 'latin1')]) : head;
  return encodeJt808Message(JT808_MSG.registerResponse, to, platformSerial, body);
}

/**
 * Jointech's general response 0x4401 to a 0x5501/0x5502 report: answered message id and result,
 * with a 1-byte serial number in the header (Traccar Jt808ProtocolDecoder, the only public source).
 */
export function jt808JointechResponse(to: Jt808Header): Buffer {
  const head = Buffer.alloc(4 + to.phoneBytes.length + 1);
  head.writeUInt16BE(JT808_MSG.jointechGeneralResponse, 0);
  head.writeUInt16BE(3, 2);
  to.phoneBytes.copy(head, 4);
  head[head.length - 1] = to.serial & 0xff;
  const body = Buffer.alloc(3);
  body.writeUInt16BE(to.msgId, 0);
  return jt808Frame(Buffer.concat([head, body]));
}
