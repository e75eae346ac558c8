/**
 * checkpoint_missed: passive RFID seals (DESIGN §2) are seen only where a reader
 * reads them, so the itinerary names the readers the cargo must pass, in order. A checkpoint is
 * missed when a later one read the movement's tags first (or alone), or when its `expectedBy`
 * passed with no read; a read at a reader of no checkpoint is reported too. A function of the
 * reads and `now`: reads delivered late (readers buffer too) move or retract findings, and
 * the result does not depend on the order they arrived in.
 */
import type { Timestamp } from '../ids';
import type { AlertType, Checkpoint } from '../model';
import type { ReadObservation } from './device-cloned';
import { msOf, timestampOf, type TransitFact } from './track';

/** Part of the movement model; named here too for the rule's callers. */
export type { Checkpoint } from '../model';

/** Why a checkpoint counts as missed: a later checkpoint read first, or its deadline passed unread. */
export type CheckpointMissReason = 'skipped' | 'overdue';

/** What a checkpoint_missed reports. */
export interface CheckpointMissedDetails {
  readerId: string;
  order: number;
  name: string | null;
  /** Every reason that holds, in the order skipped, overdue. */
  reasons: CheckpointMissReason[];
  expectedBy: Timestamp | null;
  /** For `skipped`: the first read at a later checkpoint. */
  laterCheckpoint: { readerId: string; order: number; readAt: Timestamp } | null;
  /** The first read at this checkpoint if it came after all (late or out of order); null if never. */
  readAt: Timestamp | null;
}

/** A missed checkpoint, dated at its first evidence: the later checkpoint's read or the deadline, whichever came first. */
export type CheckpointMissed = TransitFact<Extract<AlertType, 'checkpoint_missed'>, CheckpointMissedDetails>;

/** A read of the movement's tags at a reader of no checkpoint (model.ts `eventTypes` does not hold this type yet). */
export type CheckpointUnexpected = TransitFact<
  'checkpoint_unexpected',
  { readerId: string; epcs: string[]; reads: number; lastReadAt: Timestamp }
>;

/**
 * The checkpoint findings at `now`, by time, then type, then reader. Only reads of `tags` (the
 * movement's seal EPCs, compared case-insensitively) at or before `now` count; a checkpoint is
 * passed by its first read of any of them. A checkpoint is `skipped` when a checkpoint of
 * higher order was read before it (or it was never read), `overdue` when `expectedBy` < `now`
 * and it was not read by `expectedBy`; one finding per checkpoint with every reason that holds.
 * Each reader of no checkpoint that read a tag gives one `checkpoint_unexpected` at its first read.
 * A read's time is its own `time`, else the observation's.
 */
export function checkpointFindings(
  checkpoints: readonly Checkpoint[],
  tags: readonly string[],
  observations: readonly ReadObservation[],
  now: Timestamp,
): Array<CheckpointMissed | CheckpointUnexpected> {
  const nowMs = msOf(now);
  const wanted = new Set(tags.map((t) => t.toLowerCase()));
  const known = new Set(checkpoints.map((c) => c.readerId));
  const firstAt = new Map<string, number>();
  const unexpected = new Map<string, { first: number; last: number; epcs: Set<string>; reads: number }>();
  for (const o of observations) {
    const reader = o.device ?? '';
    for (const r of o.reads ?? []) {
      const t = msOf(r.time ?? o.time),
        epc = typeof r.epc === 'string' ? r.epc.toLowerCase() : '';
      if (!Number.isFinite(t) || t > nowMs || !wanted.has(epc)) continue;
      if (known.has(reader)) {
        firstAt.set(reader, Math.min(t, firstAt.get(reader) ?? Infinity));
        continue;
      }
      const u = unexpected.get(reader) ?? { first: t, last: t, epcs: new Set<string>(), reads: 0 };
      Object.assign(u, { first: Math.min(u.first, t), last: Math.max(u.last, t), reads: u.reads + 1 });
      u.epcs.add(epc);
      unexpected.set(reader, u);
    }
  }

  const out: Array<CheckpointMissed | CheckpointUnexpected> = [];
  for (const c of checkpoints) {
    const read = firstAt.get(c.readerId);
    const later = checkpoints
      .filter((l) => l.order > c.order && firstAt.has(l.readerId))
      .map((l) => ({ readerId: l.readerId, order: l.order, t: firstAt.get(l.readerId)! }))
      .sort((a, b) => a.t - b.t || a.order - b.order || cmp(a.readerId, b.readerId))[0];
    const skipped = !!later && (read === undefined || read > later.t);
    const deadline = c.expectedBy ? msOf(c.expectedBy) : null;
    const overdue = deadline !== null && deadline < nowMs && (read === undefined || read > deadline);
    if (!skipped && !overdue) continue;
    const reasons: CheckpointMissReason[] = [...(skipped ? ['skipped' as const] : []), ...(overdue ? ['overdue' as const] : [])];
    out.push({
      type: 'checkpoint_missed',
      time: timestampOf(Math.min(skipped ? later.t : Infinity, overdue ? deadline : Infinity)),
      details: {
        readerId: c.readerId,
        order: c.order,
        name: c.name ?? null,
        reasons,
        expectedBy: c.expectedBy ?? null,
        laterCheckpoint: skipped ? { readerId: later.readerId, order: later.order, readAt: timestampOf(later.t) } : null,
        readAt: read === undefined ? null : timestampOf(read),
      },
    });
  }
  for (const [readerId, u] of unexpected) {
    out.push({
      type: 'checkpoint_unexpected',
      time: timestampOf(u.first),
      details: { readerId, epcs: [...u.epcs].sort(), reads: u.reads, lastReadAt: timestampOf(u.last) },
    });
  }
  return out.sort((a, b) => msOf(a.time) - msOf(b.time) || cmp(a.type, b.type) || cmp(a.details.readerId, b.details.readerId));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
