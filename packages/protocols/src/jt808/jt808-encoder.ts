/**
 * Encodes JT/T 808 terminal messages as a device sends them: for tests, and for the simulator to
 * speak JT/T 808. The inverse of jt808-location.ts and jt808-message.ts.
 */
import { encodeJt808Message, JT808_MSG } from './jt808-message';

export interface Jt808Terminal {
  /** Phone number digits: 12 for a 2013 header, 20 for a 2019 header. */
  phone: string;
  /** 2019 protocol version byte; absent for a 2013 header. */
  version?: number;
}

export interface Jt808LocationFields {
  alarm?: number;
  /** Status bits other than the hemispheres (set from the sign of lat/lon) and bit 1 (positioned, default set). */
  status?: number;
  lat: number;
  lon: number;
  altitude?: number;
  /** km/h */
  speed?: number;
  heading?: number;
  /** ms since 1970 UTC; written as GMT+8 BCD. */
  time: number;
  /** Additional information items. */
  items?: { id: number; value: Buffer }[];
}

const toBcd = (n: number) => ((Math.floor(n / 10) % 10) << 4) | (n % 10);

/** The location body of 0x0200 (also one item of 0x0704). */
export function encodeJt808Location(f: Jt808LocationFields): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt32BE(f.alarm ?? 0, 0);
  const status = ((f.status ?? 0x2) | (f.lat < 0 ? 0x4 : 0) | (f.lon < 0 ? 0x8 : 0)) >>> 0;
  b.writeUInt32BE(status, 4);
  b.writeUInt32BE(Math.round(Math.abs(f.lat) * 1e6), 8);
  b.writeUInt32BE(Math.round(Math.abs(f.lon) * 1e6), 12);
  b.writeInt16BE(f.altitude ?? 0, 16);
  b.writeUInt16BE(Math.round((f.speed ?? 0) * 10), 18);
  b.writeUInt16BE(f.heading ?? 0, 20);
  const t = new Date(f.time + 8 * 3600_000);
  [t.getUTCFullYear() % 100, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()].forEach((v, i) => {
    b[22 + i] = toBcd(v);
  });
  const items = (f.items ?? []).map(({ id, value }) => Buffer.concat([Buffer.from([id, value.length]), value]));
  return Buffer.concat([b, ...items]);
}

/** A whole terminal frame: header for `terminal`, `serial`, `body`, check code, escaped, flagged. */
export function encodeJt808TerminalMessage(terminal: Jt808Terminal, msgId: number, serial: number, body: Buffer): Buffer {
  const digits = terminal.version === undefined ? 12 : 20;
  const phoneBytes = Buffer.from(terminal.phone.padStart(digits, '0'), 'hex');
  return encodeJt808Message(msgId, { version: terminal.version ?? null, phoneBytes }, serial, body);
}

/** A location report 0x0200. */
export const encodeJt808LocationReport = (terminal: Jt808Terminal, serial: number, f: Jt808LocationFields): Buffer =>
  encodeJt808TerminalMessage(terminal, JT808_MSG.locationReport, serial, encodeJt808Location(f));

/** A batch location upload 0x0704 (type 1: blind-area re-upload). */
export function encodeJt808Batch(terminal: Jt808Terminal, serial: number, type: 0 | 1, reports: Jt808LocationFields[]): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt16BE(reports.length, 0);
  head[2] = type;
  const items = reports.map((r) => {
    const body = encodeJt808Location(r);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length);
    return Buffer.concat([length, body]);
  });
  return encodeJt808TerminalMessage(terminal, JT808_MSG.locationBatch, serial, Buffer.concat([head, ...items]));
}

/** A registration 0x0100 (2013 layout): province, city, manufacturer (5), model (20), terminal id (7), plate colour, plate. */
export function encodeJt808Register(terminal: Jt808Terminal, serial: number, plate = 'SW-001'): Buffer {
  const body = Buffer.alloc(37);
  body.writeUInt16BE(44, 0);
  body.writeUInt16BE(300, 2);
  body.write('SEALW', 4, 'latin1');
  body.write('SIM-808', 9, 'latin1');
  body.write('T000001', 29, 'latin1');
  body[36] = 1;
  return encodeJt808TerminalMessage(terminal, JT808_MSG.register, serial, Buffer.concat([body, Buffer.from(plate, 'latin1')]));
}

/** An authentication 0x0102 (2013 layout: the code is the whole body). */
export const encodeJt808Authenticate = (terminal: Jt808Terminal, serial: number, code: string): Buffer =>
  encodeJt808TerminalMessage(terminal, JT808_MSG.authenticate, serial, Buffer.from(code, 'latin1'));

/** A heartbeat 0x0002 (empty body). */
export const encodeJt808Heartbeat = (terminal: Jt808Terminal, serial: number): Buffer =>
  encodeJt808TerminalMessage(terminal, JT808_MSG.heartbeat, serial, Buffer.alloc(0));
