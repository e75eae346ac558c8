/**
 * Seal semantics: what a change of seal reading means. Pure: the previous reading and the new
 * one in, the facts out. Whether a fact becomes an alert depends on the movement (see alerts/).
 */
import type { EventType, SealReading } from '../model';

export interface SealFact {
  type: EventType;
  details: Record<string, unknown>;
}

/** The reading of a seal that is armed and intact: the baseline when nothing was seen before. */
export const intactSeal: Required<SealReading> = { state: 'closed', rope: 'inserted', lock: 'locked' };

/**
 * Facts from one seal reading compared with the last known one (or the intact baseline).
 * Members absent from `next` are unchanged. `inTransit` decides whether an unlock is
 * unauthorised (under customs control) or a plain fact.
 */
export function sealFacts(prev: SealReading | null, next: SealReading, inTransit: boolean): SealFact[] {
  const before = { ...intactSeal, ...(prev ?? {}) };
  const facts: SealFact[] = [];
  const details = (member: string, from: string, to: string) => ({ member, from, to });
  const ropeCut = !!next.rope && next.rope !== before.rope && next.rope === 'cut';
  // A rope already out or cut: the seal was reported broken when that happened.
  const ropeGone = before.rope === 'cut' || before.rope === 'removed';

  if (next.state && next.state !== before.state) {
    const d = details('state', before.state, next.state);
    // One physical act, one fact: a cut rope is what opened the seal (the device reports both
    // in one reading), and an opening after the rope was cut or pulled is that same breach seen
    // again. The state change stays in the details of the rope fact, or in the event log only.
    if (next.state === 'open') {
      if (!ropeCut && !ropeGone) facts.push({ type: 'seal_opened', details: d });
    } else if (next.state === 'tampered') facts.push({ type: 'seal_tampered', details: d });
    else facts.push({ type: 'seal_closed', details: d });
  }
  if (next.rope && next.rope !== before.rope) {
    const d = details('rope', before.rope, next.rope);
    if (next.rope === 'cut') {
      const opened = next.state === 'open' && before.state !== 'open';
      facts.push({ type: 'rope_cut', details: opened ? { ...d, state: { from: before.state, to: 'open' } } : d });
    }
    // A rope pulled out of an armed seal opens it as surely as a state change does.
    else if (next.rope === 'removed' && next.state !== 'open' && before.state !== 'open') facts.push({ type: 'seal_opened', details: d });
    else if (next.rope === 'inserted') facts.push({ type: 'rope_inserted', details: d });
  }
  if (next.lock && next.lock !== before.lock) {
    const d = details('lock', before.lock, next.lock);
    if (next.lock === 'unlocked') facts.push({ type: inTransit ? 'unlock_unauthorized' : 'seal_unlocked', details: d });
    else facts.push({ type: 'seal_locked', details: d });
  }
  return facts;
}

/** A seal reading as the domain or a client sees it (the API's members are plain strings). */
export type SealLike = { [K in keyof SealReading]?: string };

/**
 * How broken a seal reading is, the one rule behind every "worst seal" (the API's movement view,
 * the console's markers and live store, reports): -1 nothing known, 0 intact, 1 open, 2 forced.
 *
 * For an armed seal the rope is the seal: a rope pulled out (`removed`) leaves the doors free as
 * surely as an open state does, so it ranks with `open` and counts as broken; a cut rope or a
 * tampered state is forced entry, the worst. The lock alone is not ranked: an e-lock unlocks by
 * command at the office of destination, and an unlock in transit is its own alert
 * (unlock_unauthorized), not a broken seal.
 */
export function sealRank(seal: SealLike | null | undefined): -1 | 0 | 1 | 2 {
  if (!seal) return -1;
  if (seal.state === 'tampered' || seal.rope === 'cut') return 2;
  if (seal.state === 'open' || seal.rope === 'removed') return 1;
  return 0;
}

/** True when the reading shows a seal that no longer protects the cargo (open, removed, cut, tampered). */
export function isSealBroken(seal: SealLike | null | undefined): boolean {
  return sealRank(seal) >= 1;
}

/** The worst of several readings (a movement with several seals), by sealRank; null when none is known. */
export function worstSeal<S extends SealLike>(seals: ReadonlyArray<S | null | undefined>): S | null {
  let worst: S | null = null;
  for (const s of seals) if (s && sealRank(s) > sealRank(worst)) worst = s;
  return worst;
}
