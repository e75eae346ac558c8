/**
 * The 16-bit status word of JT600 long-format location frames, as the JT701/JT701D/JT709
 * e-locks and the GL600 lock define it, mapped onto the one seal model (DESIGN §5) with every
 * bit also kept as a named attribute. Bits are 0-based here; the vendor tables count from 1.
 * Sources: Wialon's published JT701D and GL600 "device_status" tables (BIT1…BIT15), which agree
 * with Traccar Jt600ProtocolDecoder where it names a bit (geofence enter/exit, power cut = rope
 * cut, vibration, acknowledgement, blocked = motor locked, low battery, fault).
 */
import type { SealReading } from '@sealwatch/core';

export const JT600_STATUS_BITS = {
  lbsFix: 0,
  geofenceEnter: 1,
  geofenceExit: 2,
  ropeCutAlarm: 3,
  vibrationAlarm: 4,
  /** The device waits for an acknowledgement: set on alarm and re-uploaded data, clear on real-time data. */
  ackRequested: 5,
  ropeInserted: 6,
  motorLocked: 7,
  unlockAlarm: 8,
  /** A wrong password entered more than 5 times. */
  wrongPasswordAlarm: 9,
  unauthorisedCardAlarm: 10,
  lowBatteryAlarm: 11,
  backCoverOpenAlarm: 12,
  /** Status, not alarm: 1 back cover closed, 0 open. */
  backCoverClosed: 13,
  motorFaultAlarm: 14,
} as const;

export type Jt600StatusFlags = { -readonly [K in keyof typeof JT600_STATUS_BITS]: boolean };

/** Every named bit of the status word. */
export function readJt600Status(status: number): Jt600StatusFlags {
  const flags = {} as Jt600StatusFlags;
  for (const [name, bit] of Object.entries(JT600_STATUS_BITS)) flags[name as keyof Jt600StatusFlags] = ((status >> bit) & 1) === 1;
  return flags;
}

/**
 * The seal reading a status word means. Rope: `cut` while the cut alarm is raised, else `inserted`
 * or `removed` by the rope bit. Lock: the motor bit. State: `tampered` when the rope is cut or the
 * back cover was opened (alarm bit), else `closed` when locked with the rope inserted, else `open`.
 * The back-cover status bit alone does not mean tampering: devices without a cover (GL600) leave it 0.
 */
export function jt600SealReading(flags: Jt600StatusFlags): SealReading {
  const rope = flags.ropeCutAlarm ? 'cut' : flags.ropeInserted ? 'inserted' : 'removed';
  const lock = flags.motorLocked ? 'locked' : 'unlocked';
  const state = flags.ropeCutAlarm || flags.backCoverOpenAlarm ? 'tampered' : lock === 'locked' && rope === 'inserted' ? 'closed' : 'open';
  return { state, rope, lock };
}
