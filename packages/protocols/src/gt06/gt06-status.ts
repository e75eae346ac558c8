/**
 * The GT06 status block of heartbeat (0x13) and alarm (0x16/0x26) packets, mapped onto the one
 * seal model (DESIGN §5) with every raw value kept as an attribute.
 * Terminal information byte (Concox GT06 protocol): bit 0 defence (armed), bit 1 ACC high,
 * bit 2 charging, bits 3-5 alarm (1 vibration, 2 power cut, 3 low battery, 4 SOS; 6 geofence and
 * 7 removal per Traccar Gt06ProtocolDecoder), bit 6 GPS tracking on, bit 7 oil/electricity cut.
 * Voltage level: 0 (no power) … 6 (very high); some e-lock firmwares send the battery in percent
 * in the same byte (frames G5 and G8 of reference §12.5: 0x3E = 62, 0x5D = 93), so values above 6
 * are read as percent. Alarm codes: Concox's table, with 0x0C/0x13/0x25/0x32 tamper, 0x14 door and
 * 0x33/0x34 lock/unlock from Traccar.
 */
import type { SealReading } from '@sealwatch/core';

const ALARM_CODES: Record<number, string> = {
  0x00: 'none',
  0x01: 'sos',
  0x02: 'powerCut',
  0x03: 'vibration',
  0x04: 'geofenceEnter',
  0x05: 'geofenceExit',
  0x06: 'overspeed',
  0x09: 'vibration',
  0x0e: 'lowBattery',
  0x0f: 'lowBattery',
  0x0c: 'tamper',
  0x11: 'powerOff',
  0x13: 'tamper',
  0x14: 'door',
  0x25: 'tamper',
  0x32: 'tamper',
  0x33: 'lock',
  0x34: 'unlock',
};

/** Alarm codes Traccar reads as tampering (Gt06ProtocolDecoder decodeAlarm: 0x0C, 0x13, 0x25, 0x32). */
const TAMPER_CODES = new Set([0x0c, 0x13, 0x25, 0x32]);
const INFO_ALARMS = ['none', 'vibration', 'powerCut', 'lowBattery', 'sos', 'unknown', 'geofence', 'removal'];

/** The name of an alarm code; `code0x..` for codes no public source names. */
export const gt06AlarmName = (code: number) => ALARM_CODES[code] ?? `code0x${code.toString(16).padStart(2, '0')}`;

export interface Gt06Status {
  attributes: Record<string, unknown>;
  seal: SealReading | null;
  door: 'open' | null;
  batteryLevel: number | null;
}

/** Reads the terminal information byte. */
export function readGt06TerminalInfo(info: number): Record<string, unknown> {
  return {
    terminalInfo: info,
    armed: (info & 0x1) !== 0,
    acc: (info & 0x2) !== 0,
    charging: (info & 0x4) !== 0,
    infoAlarm: INFO_ALARMS[(info >> 3) & 0x7],
    gpsTracking: (info & 0x40) !== 0,
    fuelCut: (info & 0x80) !== 0,
  };
}

/** Reads the voltage byte: a level 0-6 as a percentage of 6, or a percentage sent directly (values 7-100). */
export function gt06BatteryLevel(voltage: number): number | null {
  if (voltage <= 6) return Math.round((voltage * 100) / 6);
  return voltage <= 100 ? voltage : null;
}

/**
 * The seal facts of terminal info and alarm code: tamper (alarms 0x0C, 0x13, 0x25, 0x32) and removal
 * (info alarm 7) make the seal tampered; door (alarm 0x14) opens the door; lock / unlock (0x33 / 0x34)
 * give the lock state. Nothing about a seal otherwise.
 */
export function readGt06Status(info: number, voltage: number, gsm: number, alarm: number | null): Gt06Status {
  const attributes: Record<string, unknown> = { ...readGt06TerminalInfo(info), voltageLevel: voltage, gsmSignal: gsm };
  if (alarm !== null) attributes.alarm = gt06AlarmName(alarm);
  const tampered = (alarm !== null && TAMPER_CODES.has(alarm)) || ((info >> 3) & 0x7) === 7;
  const seal: SealReading = {};
  if (tampered) seal.state = 'tampered';
  if (alarm === 0x33) seal.lock = 'locked';
  if (alarm === 0x34) seal.lock = 'unlocked';
  return {
    attributes,
    seal: Object.keys(seal).length ? seal : null,
    door: alarm === 0x14 ? 'open' : null,
    batteryLevel: gt06BatteryLevel(voltage),
  };
}
