/** What the trader portal says of an ended movement, from the state its badge shows. */
import type { MarkerState } from '../live/movement-state';

export type OutcomeKey = 'trader.outcome.broken' | 'trader.outcome.review' | 'trader.outcome.clean';

/**
 * A seal break confirmed is said as such; an alert still open at the end is no clean outcome (the
 * badge says "under review by customs", and the headline must not say "no seal break" beside it).
 */
export function endedOutcome(state: MarkerState): OutcomeKey {
  if (state === 'broken') return 'trader.outcome.broken';
  if (state === 'alert') return 'trader.outcome.review';
  return 'trader.outcome.clean';
}
