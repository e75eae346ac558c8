/**
 * The lock flags of TeraTrack frames mapped onto the one seal model (DESIGN §5), for the main lock
 * and for each sub-lock (`Slave[]`), and the overall reading of the device. Flag meanings follow
 * the bit table Wialon publishes for the Huabao HB-1AL, which uses the same names: LockCutOff steel
 * rope cut (alarm), LockRope rope inserted, LockStatus motor locked, LockOpen unlocking (alarm),
 * UnCoverBack back cover opened (alarm), CoverStatus back cover closed, LockStuck motor fault.
 * SealTampered is spelt SealTempered by some firmware (reference §12.2 T1/T2): both are read, and
 * either set means tampered. (The HB-1AL table groups that bit with vibration; the field's name and
 * the e-lock's purpose make it a tamper alarm for customs.)
 */
import type { SealReading } from '@sealwatch/core';

export type Flags = Record<string, unknown>;

/** A "0"/"1" flag (string or number); undefined when absent; `null` when present but not a flag. */
export function readFlag(fields: Flags, ...names: string[]): boolean | undefined | null {
  let out: boolean | undefined;
  for (const n of names) {
    const v = fields[n];
    if (v === undefined) continue;
    if (v !== '0' && v !== '1' && v !== 0 && v !== 1) return null;
    out = out || v === '1' || v === 1;
  }
  return out;
}

/** The flags one lock (main or sub) reports, under neutral names. */
export interface LockFlags {
  cut?: boolean;
  tampered?: boolean;
  coverOpened?: boolean;
  ropeInserted?: boolean;
  /** Motor status; sub-locks report none. */
  locked?: boolean;
  /** The unlocking alarm. */
  opened?: boolean;
}

/**
 * The seal reading of one lock. Rope: `cut` on the cut alarm, else inserted/removed. Lock: the motor
 * status, or (sub-locks, which report no status) the negation of the unlocking alarm. State:
 * `tampered` on a cut, tamper or back-cover alarm; `open` when unlocked, unlocking or the rope is out;
 * `closed` when locked with the rope not out; absent when the frame does not say.
 */
export function lockSealReading(f: LockFlags): SealReading | null {
  const r: SealReading = {};
  if (f.cut) r.rope = 'cut';
  else if (f.ropeInserted !== undefined) r.rope = f.ropeInserted ? 'inserted' : 'removed';
  if (f.locked !== undefined) r.lock = f.locked ? 'locked' : 'unlocked';
  else if (f.opened !== undefined) r.lock = f.opened ? 'unlocked' : 'locked';
  if (f.cut || f.tampered || f.coverOpened) r.state = 'tampered';
  else if (f.opened || r.lock === 'unlocked' || r.rope === 'removed') r.state = 'open';
  else if (r.lock === 'locked') r.state = 'closed';
  return Object.keys(r).length ? r : null;
}

const RANK = { state: ['closed', 'open', 'tampered'], rope: ['inserted', 'removed', 'cut'], lock: ['locked', 'unlocked'] } as const;

/**
 * The overall reading of several locks sealing one movement: for each member the worst any lock
 * reports (tampered over open over closed; cut over removed over inserted; unlocked over locked),
 * since the cargo is exposed as soon as one lock is. Null when no lock says anything.
 */
export function worstSealReading(readings: (SealReading | null)[]): SealReading | null {
  const out: SealReading = {};
  for (const r of readings) {
    if (!r) continue;
    for (const member of ['state', 'rope', 'lock'] as const) {
      const v = r[member];
      if (v === undefined) continue;
      const order = RANK[member] as readonly string[];
      const cur = out[member];
      if (cur === undefined || order.indexOf(v) > order.indexOf(cur)) (out as Record<string, string>)[member] = v;
    }
  }
  return Object.keys(out).length ? out : null;
}

/** The main lock's flags; a string names the first field that is not a 0/1 flag. */
export function mainLockFlags(fields: Flags): LockFlags | string {
  const spec: [keyof LockFlags, string[]][] = [
    ['cut', ['LockCutOff']],
    ['tampered', ['SealTampered', 'SealTempered']],
    ['coverOpened', ['UnCoverBack']],
    ['ropeInserted', ['LockRope']],
    ['locked', ['LockStatus']],
    ['opened', ['LockOpen']],
  ];
  return readLockFlags(fields, spec);
}

/** A sub-lock's flags (the main lock's names with an `S` prefix, no motor status). */
export function subLockFlags(fields: Flags): LockFlags | string {
  const spec: [keyof LockFlags, string[]][] = [
    ['cut', ['SLockCutOff']],
    ['tampered', ['SSealTampered', 'SSealTempered']],
    ['coverOpened', ['SUnCoverBack']],
    ['ropeInserted', ['SLockRope']],
    ['opened', ['SLockOpen']],
  ];
  return readLockFlags(fields, spec);
}

function readLockFlags(fields: Flags, spec: [keyof LockFlags, string[]][]): LockFlags | string {
  const f: LockFlags = {};
  for (const [key, names] of spec) {
    const v = readFlag(fields, ...names);
    if (v === null) return names.find((n) => fields[n] !== undefined && readFlag(fields, n) === null)!;
    if (v !== undefined) f[key] = v;
  }
  return f;
}
