/**
 * The rules the processor applies to one observation of a device on a movement: what its seal
 * reading and its battery reading mean, and which of those facts need a person (an alert). Pure:
 * the processor gathers the facts (the device's last state, whether the observation is the
 * newest, whether the movement is in transit, whether the device is inside the office of
 * destination) and commits what this returns.
 */
import type { EventType, SealReading } from '../model';
import { crossesBatteryLow } from '../battery/battery-low';
import { sealFacts } from '../seals/seal-transitions';
import { isAlertType } from './alert-rules';

/** What the processor knows around one observation. */
export interface ObservationContext {
  /** The device's last known seal and battery (null: nothing seen before). */
  previous: { seal: SealReading | null; battery: { level?: number; voltage?: number } | null } | null;
  /** The observation is at least as new as the last one seen (not a late one from the buffer). */
  current: boolean;
  /** The movement is in transit at the observation time (else: after arrival, before the end of control). */
  inTransit: boolean;
  /** The observation's position lies inside the office of destination's area (false without a position). */
  insideDestination: boolean;
}

export interface ObservationFact {
  type: EventType;
  details: Record<string, unknown>;
  /** Raise (or repeat) an alert of this type for the movement. */
  alert: boolean;
}

/** The facts of one observation on a movement, seal first, then battery. */
export function observationFacts(
  o: { seal?: SealReading | null; battery?: { level?: number; voltage?: number } | null },
  ctx: ObservationContext,
): ObservationFact[] {
  const out: ObservationFact[] = [];
  if (o.seal) {
    // After arrival, opening inside the office of destination is the normal end of the seal's
    // watch: recorded, no alert. Anywhere else (or with no position to tell) it is an alert.
    const atDestination = !ctx.inTransit && ctx.insideDestination;
    // A late observation is judged against the intact baseline: it cannot undo a newer state.
    const baseline = ctx.current ? (ctx.previous?.seal ?? null) : null;
    for (const f of sealFacts(baseline, o.seal, !atDestination)) {
      out.push({
        type: f.type,
        details: atDestination ? { ...f.details, atDestination: true } : f.details,
        alert: isAlertType(f.type) && !atDestination,
      });
    }
  }
  // Battery: judged on current readings in transit only (a late reading says nothing about the charge now).
  if (ctx.inTransit && ctx.current && crossesBatteryLow(ctx.previous?.battery?.level, o.battery?.level)) {
    out.push({ type: 'battery_low', details: { level: o.battery!.level, voltage: o.battery!.voltage ?? null }, alert: true });
  }
  return out;
}
