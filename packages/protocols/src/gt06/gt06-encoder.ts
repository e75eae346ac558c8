/**
 * Encodes GT06 packets as a device sends them: for tests, and for the simulator to speak GT06.
 * The inverse of gt06.ts.
 */
import { encodeGt06Packet } from './gt06-frames';
import { GT06_MSG } from './gt06';

export interface Gt06Fix {
  /** ms since 1970 UTC */
  time: number;
  lat: number;
  lon: number;
  /** km/h, 0-255 */
  speed?: number;
  heading?: number;
  satellites?: number;
  fixed?: boolean;
}

export interface Gt06Cell {
  mcc: number;
  mnc: number;
  lac: number;
  cellId: number;
}

const cellOf = (c: Gt06Cell) => {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(c.mcc, 0);
  b[2] = c.mnc;
  b.writeUInt16BE(c.lac, 3);
  b.writeUIntBE(c.cellId, 5, 3);
  return b;
};

/** The 18-byte GPS block. */
export function encodeGt06Gps(f: Gt06Fix): Buffer {
  const b = Buffer.alloc(18);
  const t = new Date(f.time);
  [t.getUTCFullYear() - 2000, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()].forEach(
    (v, i) => {
      b[i] = v;
    },
  );
  b[6] = 0xc0 | ((f.satellites ?? 8) & 0x0f);
  b.writeUInt32BE(Math.round(Math.abs(f.lat) * 1_800_000), 7);
  b.writeUInt32BE(Math.round(Math.abs(f.lon) * 1_800_000), 11);
  b[15] = f.speed ?? 0;
  const flags = ((f.heading ?? 0) & 0x3ff) | (f.lat >= 0 ? 0x400 : 0) | (f.lon < 0 ? 0x800 : 0) | (f.fixed === false ? 0 : 0x1000);
  b.writeUInt16BE(flags, 16);
  return b;
}

/** A login packet: IMEI as 8 BCD bytes (leading 0). */
export const encodeGt06Login = (imei: string, serial: number): Buffer =>
  encodeGt06Packet(GT06_MSG.login, Buffer.from(imei.padStart(16, '0'), 'hex'), serial);

/** A location packet 0x22: GPS, cell, ACC, upload mode, re-upload flag. */
export const encodeGt06Location = (serial: number, f: Gt06Fix, cell: Gt06Cell, buffered = false): Buffer =>
  encodeGt06Packet(GT06_MSG.location2, Buffer.concat([encodeGt06Gps(f), cellOf(cell), Buffer.from([1, 0, buffered ? 1 : 0])]), serial);

/** A heartbeat 0x13: terminal info, voltage level, GSM signal, alarm, language. */
export const encodeGt06Heartbeat = (serial: number, info: number, voltage: number, gsm: number): Buffer =>
  encodeGt06Packet(GT06_MSG.heartbeat, Buffer.from([info, voltage, gsm, 0, 2]), serial);

/** An alarm packet 0x26 (GT06 layout: LBS length 9 counting itself, 8 LBS bytes, status block). */
export const encodeGt06Alarm = (
  serial: number,
  f: Gt06Fix,
  cell: Gt06Cell,
  info: number,
  voltage: number,
  gsm: number,
  alarm: number,
): Buffer =>
  encodeGt06Packet(
    GT06_MSG.alarm2,
    Buffer.concat([encodeGt06Gps(f), Buffer.from([9]), cellOf(cell), Buffer.from([info, voltage, gsm, alarm, 2])]),
    serial,
  );
