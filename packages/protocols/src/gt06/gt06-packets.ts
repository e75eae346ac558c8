/**
 * GT06 packets whose layout is a model's own, recognised from the packet itself (protocol number,
 * start bytes, length) where Traccar chooses by the same marks or by a configured model; Traccar's
 * Gt06ProtocolDecoder was read for the facts, no code copied:
 * - 0x21 string information: server flag, encoding (1 ASCII, else UTF-16BE), text; a "Current
 *   position!Lat:N..,Lon:E..,Course:..,Speed:..,DateTime:.." answer gives a position.
 * - 0x24 of length 0x2E (SR411 mini): GPS block, cell (MCC, MNC, LAC, 3-byte cell), ignition, power, battery.
 * - 0x32 in a 0x7979 packet (AZ735): GPS block with a length byte, cell with a length byte and RSSI,
 *   more cells and Wi-Fi (skipped by their lengths), status (0xA0 armed, 0xA1 disarmed, 0xA5 door
 *   alarm); acknowledged in a 0x7979 packet.
 * - 0x34 (X1): alarm DWORD, GPS block, terminal info, odometer, cell, driver id, battery, power.
 * - 0x36 of length 0x35 (TRX16i, VL103): GPS block, cell with a 4-byte id, ignition, upload mode,
 *   re-upload, odometer, power, battery, hours, RFID card; acknowledged.
 * - 0x38: GPS block, upload mode, re-upload, cell with a cell-type byte (3 and above: 4G widths) and RSSI.
 * - 0x70 modular (JM-LL301 locks and others): modules (type WORD, length WORD, value): 0x33 GPS
 *   (Unix time, satellites, altitude, position), 0x2A inputs (low nibble door, high nibble tamper),
 *   0x34 event (0x10 door, 0x12 removal, 0x23 tampering), 0x7F sensor tag; others kept raw (hex); acknowledged.
 * - 0x94 information (no position): 0x00 external voltage, 0x04 alarm status text, 0x05 door
 *   flags, 0x0A IMSI/ICCID, 0x0B network or external voltage, 0x1B serial text, 0x1E temperature
 *   and humidity; others kept raw (hex).
 */
import type { DecodedObservation } from '../decoded';
import { GPS_LENGTH, placeGt06Fix, readGps } from './gt06-gps';
import { gt06Ack } from './gt06-frames';

/** Which packets are read here: the protocol number, whether it came 0x7979, and its length field. */
export function isGt06Special(protocol: number, long: boolean, length: number): boolean {
  switch (protocol) {
    case 0x21:
    case 0x38:
    case 0x70:
    case 0x94:
      return true;
    case 0x24:
      return !long && length === 0x2e;
    case 0x32:
      return long;
    case 0x34:
      // 0x34 of length 0x37 is SL4X's cell-only report.
      return !long && length !== 0x37;
    case 0x36:
      return !long && length === 0x35;
    default:
      return false;
  }
}

/**
 * The acknowledgement a special packet waits for (as Traccar answers them), or null: AZ735's 0x32
 * in a 0x7979 packet, 0x36 and 0x70 in a 0x7878 one whatever they came in.
 */
export function gt06SpecialAck(protocol: number, serial: number): Buffer | null {
  if (protocol === 0x32) return gt06Ack(protocol, serial, true);
  return protocol === 0x36 || protocol === 0x70 ? gt06Ack(protocol, serial, false) : null;
}

type Reader = (c: Buffer, o: DecodedObservation, a: Record<string, unknown>) => string | null;

/** Reads MCC, MNC (a WORD when MCC bit 15 is set), LAC and a cell id of `cid` bytes at `at`; the offset after, or -1. */
function readCell(c: Buffer, at: number, a: Record<string, unknown>, lac: number, cid: number): number {
  if (at + 2 > c.length) return -1;
  const mcc = c.readUInt16BE(at);
  const mnc = mcc & 0x8000 ? 2 : 1;
  if (at + 2 + mnc + lac + cid > c.length) return -1;
  a.mcc = mcc & 0x7fff;
  a.mnc = c.readUIntBE(at + 2, mnc);
  a.lac = c.readUIntBE(at + 2 + mnc, lac);
  // An 8-byte cell id fits in its low 6 bytes in practice.
  a.cellId = cid === 8 ? c.readUIntBE(at + 2 + mnc + lac + 2, 6) : c.readUIntBE(at + 2 + mnc + lac, cid);
  return at + 2 + mnc + lac + cid;
}

const needs = (c: Buffer, n: number, what: string) => (c.length < n ? `${what} of ${c.length} content bytes is shorter than ${n}` : null);

const LOCATION_TEXT =
  /Lat:([NS])(\d+\.\d+),Lon:([EW])(\d+\.\d+),Course:(\d+\.\d+),Speed:(\d+\.\d+),DateTime:(\d{4}-\d\d-\d\d) +(\d\d:\d\d:\d\d)/;

const stringInfo: Reader = (c, o, a) => {
  const short = needs(c, 5, 'string information');
  if (short) return short;
  // UTF-16BE: swapped on a copy (the packet is not ours to change), an odd last byte dropped.
  const text =
    c[4] === 1
      ? c.subarray(5).toString('latin1')
      : Buffer.from(c.subarray(5, c.length - ((c.length - 5) % 2)))
          .swap16()
          .toString('utf16le');
  a.text = text;
  const m = LOCATION_TEXT.exec(text);
  if (m) {
    const lat = Number(m[2]) * (m[1] === 'S' ? -1 : 1);
    const lon = Number(m[4]) * (m[3] === 'W' ? -1 : 1);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
    o.time = new Date(`${m[7]}T${m[8]}Z`).toISOString();
    o.position = { lat, lon, heading: Number(m[5]) % 360, speed: Number(m[6]), source: 'gnss' };
  }
  return null;
};

const sr411: Reader = (c, o, a) => {
  const bad = needs(c, GPS_LENGTH, 'SR411 location') ?? readGps(c, 0, o, a);
  if (bad) return bad;
  const at = readCell(c, GPS_LENGTH, a, 2, 3);
  if (at !== -1 && at + 5 <= c.length) {
    a.ignition = c[at] > 0;
    a.externalVoltage = c.readUInt16BE(at + 1) / 100;
    o.battery = { voltage: c.readUInt16BE(at + 3) / 100 };
  }
  return null;
};

const az735: Reader = (c, o, a) => {
  const bad =
    needs(c, 7, 'AZ735 location') ?? (c[6] !== 0 ? needs(c, GPS_LENGTH + 1, 'AZ735 location') : null) ?? readGps(c, 0, o, a, true);
  if (bad) return bad;
  let at = c[6] === 0 ? 7 : GPS_LENGTH + 1;
  const cellLength = c[at++];
  if (cellLength > 0) {
    if (readCell(c, at, a, 2, 3) === -1) return null;
    at += cellLength - 1;
    a.rssi = c[at++];
  }
  for (const _ of ['cells', 'wifi']) if (at < c.length) at += 1 + c[at];
  if (at >= c.length) return null;
  const status = c[at];
  a.status = status;
  if (status === 0xa0 || status === 0xa1) a.armed = status === 0xa0;
  if (status === 0xa5) {
    a.alarm = 'door';
    o.door = 'open';
  }
  return null;
};

const x1: Reader = (c, o, a) => {
  const bad = needs(c, 4 + GPS_LENGTH, 'X1 location') ?? readGps(c, 4, o, a);
  if (bad) return bad;
  a.alarmData = c.readUInt32BE(0);
  const at = 4 + GPS_LENGTH;
  if (c.length < at + 6) return null;
  a.terminalInfo = c.readUInt16BE(at);
  a.odometer = c.readUInt32BE(at + 2);
  const next = readCell(c, at + 6, a, 2, 4);
  if (next === -1 || c.length < next + 8) return null;
  const driver = c.readUInt32BE(next);
  if (driver > 0) a.driverUniqueId = String(driver);
  o.battery = { voltage: c.readUInt16BE(next + 4) / 100 };
  a.externalVoltage = c.readUInt16BE(next + 6) / 100;
  return null;
};

const trx16i: Reader = (c, o, a) => {
  const bad = needs(c, GPS_LENGTH, 'TRX16i location') ?? readGps(c, 0, o, a);
  if (bad) return bad;
  const at = readCell(c, GPS_LENGTH, a, 2, 4);
  if (at === -1 || c.length < at + 21) return null;
  a.ignition = c[at] > 0;
  a.uploadMode = c[at + 1];
  a.buffered = c[at + 2] > 0;
  a.odometer = c.readUInt32BE(at + 3);
  a.externalVoltage = c.readUInt16BE(at + 7) / 100;
  o.battery = { voltage: c[at + 9] / 10 };
  a.hoursMinutes = c.readUIntBE(at + 10, 3);
  const card = c.subarray(at + 13, at + 21).toString('hex');
  if (!/^0+$/.test(card)) a.driverUniqueId = card;
  return null;
};

const gpsLbs8: Reader = (c, o, a) => {
  const bad = needs(c, GPS_LENGTH + 3, '0x38 location') ?? readGps(c, 0, o, a);
  if (bad) return bad;
  a.uploadMode = c[GPS_LENGTH];
  a.buffered = c[GPS_LENGTH + 1] > 0;
  const cellType = c[GPS_LENGTH + 2];
  const wide = cellType >= 3;
  const at = readCell(c, GPS_LENGTH + 3, a, wide ? 4 : 2, wide ? 8 : 3);
  if (at !== -1 && at < c.length) a.rssi = wide && at + 2 <= c.length ? c.readUInt16BE(at) : c[at];
  return null;
};

/** Modular events that concern the seal: door opened, device removed, tampering. */
const MODULAR_EVENTS: Record<number, string> = {
  0x10: 'door',
  0x12: 'removal',
  0x1a: 'lowBattery',
  0x20: 'vibration',
  0x21: 'powerCut',
  0x23: 'tamper',
};

const modular: Reader = (c, o, a) => {
  let at = 0;
  while (at + 4 <= c.length) {
    const type = c.readUInt16BE(at);
    const length = c.readUInt16BE(at + 2);
    const v = c.subarray(at + 4, at + 4 + length);
    if (v.length < length) return `module 0x${type.toString(16)} of ${length} bytes runs past the packet`;
    at += 4 + length;
    if (type === 0x33 && length >= 18) {
      // Time 0: the lock has had no fix since it started (all fields zero).
      if (v.readUInt32BE(0) === 0) continue;
      o.time = new Date(v.readUInt32BE(0) * 1000).toISOString();
      a.satellites = v[4];
      a.altitude = v.readInt16BE(5);
      const bad = placeGt06Fix({ lat: v.readUInt32BE(7), lon: v.readUInt32BE(11), speed: v[15], flags: v.readUInt16BE(16) }, o, a);
      if (bad) return bad;
    } else if (type === 0x2a && length >= 1) {
      o.door = (v[0] & 0x0f) > 0 ? 'open' : 'closed';
      if (v[0] >> 4 > 0) o.seal = { state: 'tampered' };
      a.inputs = v[0];
    } else if (type === 0x34 && length >= 1) {
      a.events = [...((a.events as number[] | undefined) ?? []), v[0]];
      const alarm = MODULAR_EVENTS[v[0]];
      if (alarm) a.alarm = alarm;
      if (alarm === 'door') o.door = 'open';
      if (alarm === 'removal' || alarm === 'tamper') o.seal = { state: 'tampered' };
    } else if (type === 0x03 && length >= 10) a.iccid = v.subarray(0, 10).toString('hex');
    else if (type === 0x18 && length >= 2) o.battery = { voltage: v.readUInt16BE(0) / 100 };
    else if (type === 0x29 && length >= 4) a.index = v.readUInt32BE(0);
    else if (type === 0x7f && length >= 14) {
      // A Bluetooth sensor tag: id, battery (mV), battery %, temperature (0.1 °C), humidity (%), status.
      a.tagId = v.subarray(0, 6).toString('hex');
      a.tagBattery = v.readUInt16BE(6) / 1000;
      a.tagBatteryLevel = v[8];
      o.sensors = { temperature: v.readInt16BE(9) / 10 };
      // Humidity's unit is not documented (476 in a sample): kept raw, not as a sensor reading.
      a.tagHumidity = v.readInt16BE(11);
      a.tagStatus = v[13];
    } else a[`module0x${type.toString(16).padStart(4, '0')}`] = v.toString('hex');
  }
  return null;
};

const info: Reader = (c, o, a) => {
  const bad = needs(c, 1, 'information');
  if (bad) return bad;
  const sub = c[0];
  const v = c.subarray(1);
  a.infoType = sub;
  if (sub === 0x00 && v.length >= 2) a.externalVoltage = v.readUInt16BE(0) / 100;
  else if (sub === 0x04 || (sub === 0x1b && v.length > 0 && /[A-Za-z]/.test(String.fromCharCode(v[0])))) a.text = v.toString('latin1');
  else if (sub === 0x05 && v.length >= 1) {
    // Door flags: bit 0 door open; with a leading date when the packet is long enough.
    const flags = v[v.length >= 7 ? 6 : 0];
    o.door = flags & 1 ? 'open' : 'closed';
    a.io1 = (flags & 4) !== 0;
  } else if (sub === 0x0b && v.length === 1) a.networkTechnology = v[0] > 0 ? '4G' : '2G';
  else if (sub === 0x0b && v.length === 2) a.externalVoltage = v.readUInt16BE(0) / 100;
  else if (sub === 0x1e && v.length >= 8) o.sensors = { temperature: v.readInt32BE(0) / 10, humidity: v.readInt32BE(4) / 10 };
  else if (sub === 0x0a && v.length >= 26) a.iccid = v.subarray(16, 26).toString('hex').replace(/f+$/, '');
  else a.infoData = v.toString('hex');
  return null;
};

const READERS: Record<number, Reader> = {
  0x21: stringInfo,
  0x24: sr411,
  0x32: az735,
  0x34: x1,
  0x36: trx16i,
  0x38: gpsLbs8,
  0x70: modular,
  0x94: info,
};

/** Decodes the content of a special packet into `o` (its attributes `a`); a string says why it cannot. */
export function decodeGt06Special(protocol: number, c: Buffer, o: DecodedObservation, a: Record<string, unknown>): string | null {
  return READERS[protocol](c, o, a);
}
