/**
 * The JT/T 808 location report body (0x0200, and each item of the batch 0x0704), JT/T 808-2013
 * §8.18 table 23: alarm flags (DWORD, table 24), status (DWORD, table 25), latitude and longitude
 * (DWORD, degrees × 10^6, hemisphere in status bits 2 and 3), altitude (WORD, m), speed (WORD,
 * 1/10 km/h), direction (WORD, 0-359), time (BCD[6] YYMMDDhhmmss, GMT+8), then additional items.
 * The alarm and lock facts become the one seal model (DESIGN §5); every raw field stays in the
 * vendor attributes.
 */
import type { SealReading } from '@sealwatch/core';
import { emptyObservation, type DecodedObservation } from '../decoded';
import { noLockFacts, readJt808Items, type Jt808LockFacts } from './jt808-tlv';

/**
 * Alarm bits of table 24 with the names we keep. Bits 15-17 are reserved in 2013; terminals in the
 * field use 15 for vibration and 16/17 for tampering (Traccar's reading, frame L4 of reference §12.4).
 */
const ALARM_BITS: [number, string][] = [
  [0, 'emergency'],
  [1, 'overspeed'],
  [2, 'fatigue'],
  [3, 'dangerWarning'],
  [4, 'gnssFault'],
  [5, 'gnssAntennaCut'],
  [6, 'gnssAntennaShort'],
  [7, 'mainPowerLow'],
  [8, 'mainPowerOff'],
  [9, 'displayFault'],
  [10, 'ttsFault'],
  [11, 'cameraFault'],
  [12, 'icCardFault'],
  [13, 'overspeedWarning'],
  [14, 'fatigueWarning'],
  [15, 'vibration'],
  [16, 'tamper'],
  [17, 'tamper'],
  [18, 'drivingTimeout'],
  [19, 'parkingTimeout'],
  [20, 'areaInOut'],
  [21, 'routeInOut'],
  [22, 'routeTime'],
  [23, 'routeDeviation'],
  [24, 'vssFault'],
  [25, 'fuelAbnormal'],
  [26, 'stolen'],
  [27, 'illegalIgnition'],
  [28, 'illegalMovement'],
  [29, 'collision'],
  [30, 'rollover'],
  [31, 'illegalDoorOpen'],
];

/** GMT+8: the standard's time base for the BCD time (§8.18, table 23 "GMT+8"). */
const GMT8_MS = 8 * 3600_000;
export const JT808_LOCATION_LENGTH = 28;

const bcd2 = (b: number) => (b >> 4 > 9 || (b & 0xf) > 9 ? NaN : (b >> 4) * 10 + (b & 0xf));

/** The BCD time YYMMDDhhmmss (GMT+8) as UTC ISO 8601, or null when it is not a time. */
export function readJt808Time(b: Buffer, at: number): string | null {
  const [yy, mo, dd, hh, mi, ss] = [0, 1, 2, 3, 4, 5].map((i) => bcd2(b[at + i]));
  if ([yy, mo, dd, hh, mi, ss].some(Number.isNaN) || mo < 1 || mo > 12 || hh > 23 || mi > 59 || ss > 59) return null;
  const local = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss);
  if (new Date(local).getUTCDate() !== dd) return null;
  return new Date(local - GMT8_MS).toISOString();
}

/** The alarm names of a flags word (table 24). */
export function jt808AlarmNames(alarm: number): string[] {
  return [...new Set(ALARM_BITS.filter(([bit]) => (alarm >>> bit) & 1).map(([, name]) => name))];
}

/**
 * The seal reading from the alarm flags and the lock items: tampered when the alarm says so or the
 * device reports its removal; open when a padlock reports itself unsealed; lock from the lock list.
 * Null when the device said nothing about a seal (a plain vehicle terminal).
 */
export function jt808SealReading(alarm: number, f: Jt808LockFacts): SealReading | null {
  const seal: SealReading = {};
  const tampered = f.tampered || f.removed || ((alarm >>> 16) & 0x3) !== 0;
  if (tampered) seal.state = 'tampered';
  else if (f.sealed.length) seal.state = f.sealed.every(Boolean) ? 'closed' : 'open';
  if (f.locked.length) seal.lock = f.locked.every(Boolean) ? 'locked' : 'unlocked';
  return Object.keys(seal).length ? seal : null;
}

/** Decodes one location body (from `at` to the end of `body`) into an observation; a string says what is wrong. */
export function readJt808Location(body: Buffer, identifier: string): DecodedObservation | string {
  if (body.length < JT808_LOCATION_LENGTH)
    return `location body of ${body.length} bytes is shorter than the ${JT808_LOCATION_LENGTH}-byte basic information`;
  const alarm = body.readUInt32BE(0);
  const status = body.readUInt32BE(4);
  const time = readJt808Time(body, 22);
  if (!time) return `time ${body.subarray(22, 28).toString('hex')} (BCD YYMMDDhhmmss) is not a time`;
  const lat = (body.readUInt32BE(8) / 1e6) * (status & 0x4 ? -1 : 1);
  const lon = (body.readUInt32BE(12) / 1e6) * (status & 0x8 ? -1 : 1);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
  const o = emptyObservation(identifier);
  o.time = time;
  const speed = body.readUInt16BE(18) / 10;
  // A terminal without a fix since start-up sends 0,0: that is no position.
  if (lat !== 0 || lon !== 0) o.position = { lat: lat || 0, lon: lon || 0, speed, heading: body.readUInt16BE(20) % 360, source: 'gnss' };
  const doors = (status >>> 13) & 0x1f;
  o.door = doors ? 'open' : 'closed';
  const a: Record<string, unknown> = {
    alarm,
    status,
    alarms: jt808AlarmNames(alarm),
    altitude: body.readInt16BE(16),
    acc: (status & 0x1) !== 0,
    gnssFix: (status & 0x2) !== 0,
    fuelCut: (status & 0x400) !== 0,
    doorLocked: (status & 0x1000) !== 0,
    doors,
  };
  const f = noLockFacts();
  // One malformed item must not cost the position: what was read before it is kept, and why reading stopped.
  const bad = readJt808Items(body, JT808_LOCATION_LENGTH, a, f);
  if (bad) a.itemsError = bad;
  o.seal = jt808SealReading(alarm, f);
  if (f.vibration) a.vibration = true;
  if (f.batteryLevel !== null || f.batteryVoltage !== null) {
    o.battery = {};
    if (f.batteryLevel !== null) o.battery.level = f.batteryLevel;
    if (f.batteryVoltage !== null) o.battery.voltage = f.batteryVoltage;
  }
  if (f.removed) a.removed = true;
  o.attributes = a;
  return o;
}
