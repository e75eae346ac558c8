/**
 * Building eSeal frames: the commands the server may send (Traccar EsealProtocolEncoder's three),
 * and device reports, which the simulator and the tests use to produce every message type.
 */
import { esealLine, type EsealHeader } from './eseal-frames';

/** The header the server's commands carry (firmware as in Traccar's encoder; the device ignores it). */
const commandHeader = (deviceId: string): EsealHeader => ({ deviceType: 'eSeal', deviceId, customerId: '256', firmware: '3.0.8' });

/** Remote unlock (`RC-Unlock`); the device answers `RC-Unlock ACK` and reports `Event-RC-Unlock`. */
export function encodeEsealUnlock(deviceId: string): Buffer {
  return esealLine(commandHeader(deviceId), 'RC-Unlock', []);
}

/** Remote power-off (`RC-Power Control,Power OFF`). */
export function encodeEsealPowerOff(deviceId: string): Buffer {
  return esealLine(commandHeader(deviceId), 'RC-Power Control', ['Power OFF']);
}

/** A free-form command: `data` is the message type and its fields, e.g. `RC-NFC DEL`. */
export function encodeEsealCommand(deviceId: string, data: string): Buffer {
  return esealLine(commandHeader(deviceId), data, []);
}

export interface EsealReport {
  deviceId: string;
  type: string;
  index: number;
  /** ISO 8601 UTC; sent to the second. */
  time: string;
  fix: boolean;
  lat: number;
  lon: number;
  course: number;
  /** km/h, whole. */
  speed: number;
  door: 'Open' | 'Close';
  acceleration: number;
  nfc: string;
  /** Volts. */
  battery: number;
  rssi: number;
  interval?: number;
  firmware?: string;
}

/** A report line as a device writes it (with CR LF), e.g. to simulate an `Event-Lock`. */
export function encodeEsealReport(r: EsealReport): Buffer {
  const [date, clock] = r.time.slice(0, 19).split('T');
  const hemi = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(6)}${v < 0 ? neg : pos}`;
  return esealLine({ deviceType: 'eSeal', deviceId: r.deviceId, customerId: '256', firmware: r.firmware ?? '3.0.6' }, r.type, [
    String(r.index),
    date,
    clock,
    String(r.interval ?? 15),
    r.fix ? 'A' : 'V',
    `${hemi(r.lat, 'N', 'S')} ${hemi(r.lon, 'E', 'W')}`,
    String(r.course),
    String(r.speed),
    r.door,
    r.acceleration.toFixed(2),
    r.nfc,
    r.battery.toFixed(1),
    String(r.rssi),
  ]);
}
