/**
 * Device custody: who may put a device on a movement, and which movement its observations
 * belong to. A device is owned by its provider; the owner (or the platform) hands it to a trader
 * or an administration for a period (a custody grant); a party declares and starts a movement
 * only with devices it holds. A device is armed on at most one movement at a time: its arming
 * is claimed when the movement is declared, starts when the movement starts and ends when the
 * movement ends, so arming periods never overlap and an observation belongs to the one
 * movement whose period covers its time. Pure: the caller loads grants and armings.
 */
import { DomainError } from '../errors';
import { areaCenter } from '../geo/area';
import { distanceM } from '../geo/distance';
import type { DeviceId, MovementId, Timestamp } from '../ids';
import type { Area, LatLon } from '../model';
import { areaRadiusM } from './office-area';

/** A device handed to `holder` (an organisation id) from `from` until `to` (null: until ended). */
export interface CustodyGrant {
  id: string;
  device: DeviceId;
  holder: string;
  from: Timestamp;
  to: Timestamp | null;
  /** Who recorded the grant (a user id, or `admin`). */
  grantedBy: string;
  createdAt: Timestamp;
}

/**
 * A device's place on one movement: claimed at declaration (`from` null until the movement
 * starts), armed from the recorded start, released at the recorded end (`to`). `released` is
 * false while the movement is not ended: at most one such arming per device.
 */
export interface Arming {
  device: DeviceId;
  movement: MovementId;
  from: Timestamp | null;
  to: Timestamp | null;
  released: boolean;
}

/** True when `holder` held the device at time `at` under one of the grants. */
export function holdsCustody(grants: readonly CustodyGrant[], holder: string, at: Timestamp): boolean {
  return grants.some((g) => g.holder === holder && g.from <= at && (g.to === null || at < g.to));
}

/**
 * Throws `device_not_in_custody` unless one of `holders` (the acting organisation, the
 * movement's trader) held the device at `at`.
 */
export function assertCustody(device: DeviceId, grants: readonly CustodyGrant[], holders: readonly (string | null)[], at: Timestamp): void {
  if (holders.some((h) => h !== null && holdsCustody(grants, h, at))) return;
  throw new DomainError(
    'device_not_in_custody',
    `device ${device} is not in the custody of ${holders.filter(Boolean).join(' or ') || 'this party'} at ${at}`,
    { device, at },
  );
}

/** Throws `invalid_time` for a grant whose end is not after its start. */
export function assertGrantPeriod(from: Timestamp, to: Timestamp | null): void {
  if (to !== null && to <= from)
    throw new DomainError('invalid_time', `a custody grant must end after it starts (${from} → ${to})`, { from, to });
}

/**
 * The movement a device's observation made at `time` belongs to: the arming whose period
 * [from, to) covers it, or null. Periods never overlap (see assertStartTime), so at most one does.
 */
export function movementArmedAt(armings: readonly Arming[], time: Timestamp): MovementId | null {
  for (const a of armings) if (a.from !== null && a.from <= time && (a.to === null || time < a.to)) return a.movement;
  return null;
}

/**
 * The movement a reading made at `time` would be evidence of, to decide who may submit it (a
 * capture by a person or a system, not a device): the movement armed at `time`, or, for a time
 * after the device's last released arming and before the start of the movement it is claimed by
 * now, that movement (`armed: false`: the seal applied at the office between declaration and
 * departure, which belongs to no armed period). Null for any other time: a reading between two past
 * movements, or before the device's previous movement ended, is nobody's to add.
 */
export function movementOfReading(armings: readonly Arming[], time: Timestamp): { movement: MovementId; armed: boolean } | null {
  const armed = movementArmedAt(armings, time);
  if (armed) return { movement: armed, armed: true };
  const current = armings.find((a) => !a.released);
  if (!current) return null;
  const lastEnd = armings.reduce<Timestamp | null>(
    (end, a) => (a.released && a.to !== null && (end === null || a.to > end) ? a.to : end),
    null,
  );
  if (lastEnd !== null && time < lastEnd) return null;
  return current.from === null || time < current.from ? { movement: current.movement, armed: false } : null;
}

/**
 * The ended movement whose armed period [from, to) covers `time`, or null: an arming released at
 * the movement's recorded end. An unsigned reading dated there, arriving after the end, must not
 * change that movement's evidence (vendor-ingest refuses it as `movement_ended`).
 */
export function endedMovementAt(armings: readonly Arming[], time: Timestamp): MovementId | null {
  for (const a of armings) if (a.released && a.from !== null && a.to !== null && a.from <= time && time < a.to) return a.movement;
  return null;
}

/** Default of the window a recorded departure may reach back from the moment it is recorded. */
export const DEFAULT_MAX_START_BACKDATE_MS = 24 * 3600_000;

/**
 * Throws `backdated_start` when a recorded departure time `at` reaches before the end of the
 * device's previous arming (`previousEnd`, the latest `to` of its released armings) or more than
 * `maxBackdateMs` before `now` (when it was recorded). Either would let a new movement claim
 * observations, and alerts, that belong to another movement or to no movement at all.
 */
export function assertStartTime(f: {
  device: DeviceId;
  at: Timestamp;
  now: Timestamp;
  previousEnd: Timestamp | null;
  maxBackdateMs: number;
}): void {
  if (f.previousEnd !== null && f.at < f.previousEnd) {
    throw new DomainError(
      'backdated_start',
      `device ${f.device} was on another movement until ${f.previousEnd}; a departure cannot be recorded at ${f.at}`,
      { device: f.device, time: f.at, previousEnd: f.previousEnd },
    );
  }
  if (Date.parse(f.now) - Date.parse(f.at) > f.maxBackdateMs) {
    throw new DomainError(
      'backdated_start',
      `a departure may be recorded at most ${Math.round(f.maxBackdateMs / 60_000)} minutes back; ${f.at} is earlier`,
      { time: f.at, maxBackdateS: Math.round(f.maxBackdateMs / 1000) },
    );
  }
}

/** The latest end among a device's released armings (null if it was never on a movement). */
export function previousArmingEnd(armings: readonly Arming[], except: MovementId): Timestamp | null {
  let latest: Timestamp | null = null;
  for (const a of armings) if (a.movement !== except && a.to !== null && (latest === null || a.to > latest)) latest = a.to;
  return latest;
}

/** How fast a truck is taken to have driven from its office of departure to its first report after it: 108 km/h. */
export const DEPARTURE_SPEED_BOUND_MPS = 30;
/** Room for a fix's error and the yard around an office. */
export const DEPARTURE_MARGIN_M = 2000;

/**
 * Throws `backdated_start` when a departure recorded at `at`, earlier than the movement was
 * declared, is contradicted by the device itself: its first fix after `at` (`firstFix`, up to the
 * declaration) lies farther from the office of departure than a truck could have driven since, or
 * its last fix before `at` (`lastFix`) farther than a truck could have driven to the office by
 * then (a device that reported from Nairobi at 07:00 did not leave Mombasa at 07:01, even if it
 * reported nothing after). A party may record a departure late; it may not reach back to when the
 * device was elsewhere, which would open to it the device's positions from before the declaration,
 * another party's cargo or nobody's (found by the adversarial passes of 2026-12-07). No fix on
 * either side: there is nothing to check.
 */
export function assertDepartedFrom(f: {
  device: DeviceId;
  at: Timestamp;
  office: { code: string; area: Area };
  firstFix: (LatLon & { time: Timestamp }) | null;
  lastFix?: (LatLon & { time: Timestamp }) | null;
}): void {
  const reachable = (fix: LatLon & { time: Timestamp }) => {
    const elapsedS = Math.abs(Date.parse(fix.time) - Date.parse(f.at)) / 1000;
    const reach = areaRadiusM(f.office.area) + DEPARTURE_MARGIN_M + DEPARTURE_SPEED_BOUND_MPS * elapsedS;
    return distanceM(fix, areaCenter(f.office.area)) <= reach;
  };
  if ((!f.firstFix || reachable(f.firstFix)) && (!f.lastFix || reachable(f.lastFix))) return;
  throw new DomainError(
    'backdated_start',
    `device ${f.device} was not near office ${f.office.code} at ${f.at}: a departure from there cannot be recorded at that time`,
    { device: f.device, time: f.at, office: f.office.code },
  );
}
