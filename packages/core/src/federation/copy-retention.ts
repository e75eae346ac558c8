/**
 * How long the receiver keeps each data class of a partner's movement copied to it. The agreement's
 * `retentionDays` is the most the partner allows; the receiver's own law may keep a class for less
 * (positions a week, the trader a month …). Each class is purged on its own day after the movement
 * ended here, and the whole copy's shared data on the agreement's day (docs/federation.md).
 */
import { sharedFields, type Agreement, type SharedField } from './agreement';

const DAY_MS = 86_400_000;

/** The receiver's own days per data class for one partner's copies; a class not named is kept `retentionDays`. */
export type CopyRetention = Partial<Record<SharedField, number>>;

/**
 * When a movement ended at the receiver (ms since the epoch): the earliest of its arrival there,
 * its end, and its leaving the receiver's territory; null while it has not ended there.
 */
export function copyEndedAt(ends: readonly (string | null)[]): number | null {
  const times = ends.filter((t): t is string => t !== null).map((t) => Date.parse(t));
  return times.length ? Math.min(...times) : null;
}

/**
 * When the receiver's copy of a partner's movement is due for purging (ms since the epoch): its
 * agreement's `retentionDays` after the movement ended there, or null while it has not ended there.
 */
export function copyPurgeDueAt(ends: readonly (string | null)[], retentionDays: number): number | null {
  const ended = copyEndedAt(ends);
  return ended === null ? null : ended + retentionDays * DAY_MS;
}

/** The days a class is kept: the receiver's own number, never more than the agreement's. */
export function classRetentionDays(field: SharedField, agreement: Agreement, retention: CopyRetention): number {
  return Math.min(retention[field] ?? agreement.retentionDays, agreement.retentionDays);
}

/** Why a receiver's retention cannot stand beside its agreement (a class kept longer than it allows), or null. */
export function retentionBeyondAgreement(retention: CopyRetention, agreement: Agreement): string | null {
  const longer = sharedFields.filter((f) => (retention[f] ?? 0) > agreement.retentionDays);
  return longer.length ? `${longer.join(', ')} kept longer than the agreement's ${agreement.retentionDays} days` : null;
}

export interface CopyPurgePlan {
  /** The agreement's day has come: every shared reading goes, and the copy takes no more. */
  whole: boolean;
  /** Classes whose own day has come and that are not purged yet (empty when `whole`). */
  classes: SharedField[];
}

/**
 * What to purge of one copy at `now`: the whole copy once the agreement's days have run since it
 * ended here, else each class whose own (shorter) days have, less those already purged.
 */
export function copyPurgePlan(
  ends: readonly (string | null)[],
  agreement: Agreement,
  retention: CopyRetention,
  purged: readonly SharedField[],
  now: number,
): CopyPurgePlan {
  const ended = copyEndedAt(ends);
  if (ended === null) return { whole: false, classes: [] };
  if (ended + agreement.retentionDays * DAY_MS <= now) return { whole: true, classes: [] };
  const classes = sharedFields.filter((f) => !purged.includes(f) && ended + classRetentionDays(f, agreement, retention) * DAY_MS <= now);
  return { whole: false, classes };
}
