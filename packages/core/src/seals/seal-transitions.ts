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

  if (next.state && next.state !== before.state) {
    const d = details('state', before.state, next.state);
    if (next.state === 'open') facts.push({ type: 'seal_opened', details: d });
    else if (next.state === 'tampered') facts.push({ type: 'seal_tampered', details: d });
    else facts.push({ type: 'seal_closed', details: d });
  }
  if (next.rope && next.rope !== before.rope) {
    const d = details('rope', before.rope, next.rope);
    if (next.rope === 'cut') facts.push({ type: 'rope_cut', details: d });
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

/** True when the reading shows a seal that no longer protects the cargo. */
export function isSealBroken(seal: SealReading | null | undefined): boolean {
  if (!seal) return false;
  return seal.state === 'open' || seal.state === 'tampered' || seal.rope === 'cut' || seal.rope === 'removed';
}
