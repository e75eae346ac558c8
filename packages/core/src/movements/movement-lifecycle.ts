/**
 * Movement lifecycle (DESIGN §6): declared → in_transit → arrived → ended, or held.
 * Each step may carry the time the officer recorded it, so a late entry is placed correctly.
 */
import { DomainError } from '../errors';
import type { Timestamp } from '../ids';
import type { EventType, Movement, MovementStatus } from '../model';

export type MovementAction = 'start' | 'arrive' | 'end';

const steps: Record<MovementAction, { from: MovementStatus[]; to: MovementStatus; event: EventType }> = {
  start: { from: ['declared'], to: 'in_transit', event: 'movement_started' },
  arrive: { from: ['in_transit'], to: 'arrived', event: 'movement_arrived' },
  end: { from: ['arrived', 'held'], to: 'ended', event: 'movement_ended' },
};

/**
 * Largest distance of a time recorded by a person or a system (a step's `time`, an EPCIS
 * `eventTime`) ahead of the server clock. Those clocks are set by NTP and a minute covers a
 * terminal a few seconds off and the request's transit; a device's 5 minutes (clock_skew) are for
 * device clocks, not people's. A step within it is recorded at the server's now, never later: a
 * step in the future would run the movement's armed period on past its end (and keep its devices
 * from another start).
 */
export const MAX_RECORDED_AHEAD_MS = 60_000;

/**
 * Applies a lifecycle action. `time` is when it happened (defaults to `now`); it may not be
 * ahead of now by more than MAX_RECORDED_AHEAD_MS (within it, it is recorded as now) nor before
 * the previous step. Throws invalid_transition
 * or invalid_time.
 */
export function applyMovementAction(
  m: Movement,
  action: MovementAction,
  now: Timestamp,
  time?: Timestamp,
): { movement: Movement; event: EventType; time: Timestamp } {
  const step = steps[action];
  if (!step.from.includes(m.status)) {
    throw new DomainError('invalid_transition', `cannot ${action} a movement that is ${m.status}`, { status: m.status, action });
  }
  if (time && Date.parse(time) - Date.parse(now) > MAX_RECORDED_AHEAD_MS) {
    throw new DomainError('invalid_time', `the recorded time ${time} is in the future`, { time });
  }
  const at = time && time < now ? time : now;
  const previous = action === 'arrive' ? m.startedAt : action === 'end' ? (m.arrivedAt ?? m.startedAt) : m.createdAt;
  if (previous && at < previous && action !== 'start') {
    throw new DomainError('invalid_time', `the recorded time ${at} is before the previous step (${previous})`, { time: at, previous });
  }
  const field = action === 'start' ? 'startedAt' : action === 'arrive' ? 'arrivedAt' : 'endedAt';
  return { movement: { ...m, status: step.to, [field]: at, updatedAt: now }, event: step.event, time: at };
}

/**
 * True when the movement was under way (departed, not yet arrived) at time t. A late
 * observation is judged by when it was made, not when it arrived.
 */
export function isInTransitAt(m: Movement, t: Timestamp): boolean {
  if (!m.startedAt || t < m.startedAt) return false;
  if (m.status === 'in_transit') return true;
  const arrivedOrEnded = m.arrivedAt ?? m.endedAt;
  return !!arrivedOrEnded && t < arrivedOrEnded;
}
