/**
 * Events found late. A detector dates what it finds when it happened (`start`, `time`); the
 * monitor finds it when it runs. With store-and-forward data the two can be hours apart, and
 * an operator must see both: when it occurred, and that it was only detected now because the
 * data came late. A `DomainEvent` carries them as `time` (occurred) and `createdAt` (detected);
 * this says which time goes where, and whether the finding was late.
 */
import type { Timestamp } from '../ids';
import { msOf, timestampOf, type TransitEpisode, type TransitFact } from './track';

/** When a finding occurred, when it could first be detected, and when it was. */
export interface Detection {
  /** When it happened: the episode's `start` or the fact's `time`. */
  occurredAt: Timestamp;
  /** When its rule fired on the data: the latest of `occurredAt` and the detector's own moment (`confirmedAt`, `detectableAt`, `exceededAt` in details). */
  detectableAt: Timestamp;
  /** The evaluation that found it (`now`). */
  detectedAt: Timestamp;
  /** True when it was detectable before the previous evaluation, which did not see it: its data came late. */
  late: boolean;
  /** Seconds from `detectableAt` to `detectedAt` (≥ 0): the delay the data's lateness caused, plus at most one evaluation interval. */
  delayS: number;
}

/** The detail fields in which detectors record when their rule fired (route_deviation, signal_lost, unauthorized_stop, sensor_out_of_range). */
const FIRED_AT = ['confirmedAt', 'detectableAt', 'exceededAt'] as const;

/** When a finding became detectable: its start or time, or later where its details say the rule fired later. */
export function detectableAt(found: TransitEpisode<string, unknown> | TransitFact<string, unknown>): Timestamp {
  const occurred = 'start' in found ? found.start : found.time;
  let t = msOf(occurred);
  const details = (found.details ?? {}) as Record<string, unknown>;
  for (const k of FIRED_AT) {
    const v = details[k];
    if (typeof v === 'string' && Number.isFinite(msOf(v))) t = Math.max(t, msOf(v));
  }
  return timestampOf(t);
}

/**
 * The detection stamp of a finding opened at the evaluation `now`, the previous evaluation
 * having been at `previousEvaluationAt` (null: this is the first). It is late when it was
 * detectable strictly before the previous evaluation: that run would have found it had the data
 * been there. Findings detectable since then are on time, however old their `occurredAt`
 * (a deviation confirmed after a two-minute tolerance is not late).
 */
export function stampDetection(
  found: TransitEpisode<string, unknown> | TransitFact<string, unknown>,
  previousEvaluationAt: Timestamp | null,
  now: Timestamp,
): Detection {
  const occurredAt = 'start' in found ? found.start : found.time;
  const fired = detectableAt(found);
  return {
    occurredAt,
    detectableAt: fired,
    detectedAt: now,
    late: previousEvaluationAt !== null && msOf(fired) < msOf(previousEvaluationAt),
    delayS: Math.max(0, (msOf(now) - msOf(fired)) / 1000),
  };
}

/** `stampDetection` over the episodes a diff opened (or facts it added), each with its stamp. */
export function stampOpened<E extends TransitEpisode<string, unknown> | TransitFact<string, unknown>>(
  opened: readonly E[],
  previousEvaluationAt: Timestamp | null,
  now: Timestamp,
): Array<E & { detection: Detection }> {
  return opened.map((e) => ({ ...e, detection: stampDetection(e, previousEvaluationAt, now) }));
}
