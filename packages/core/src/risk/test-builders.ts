/**
 * Builders for the risk tests: facts of a typical movement with overrides. Test support only
 * (not exported from the package index).
 */
import type { AlertRecord, MovementRecord, RiskFacts, TraderRecord, TrustCounts } from './risk-facts';
import { deriveRiskFacts } from './risk-facts';

/** An established, compliant, non-AEO trader. */
export const ordinaryTrader: TraderRecord = { aeo: false, movements: 40, inspections: 8, irregularities: 0 };
/** A low-risk route and origin, ordinary goods (HS 84, machinery), track on the declared route. */
export const ordinaryMovement: MovementRecord = {
  routeRisk: 'low',
  originRisk: 'low',
  hsChapter: 84,
  routeMismatchM: 120,
  routeOffShare: 0,
};

/** Facts of a clean, fully signed trip by an ordinary trader, then `overrides` on top. */
export function buildFacts(
  overrides: Partial<RiskFacts> = {},
  input: { trader?: Partial<TraderRecord>; movement?: Partial<MovementRecord>; alerts?: AlertRecord[]; trust?: TrustCounts } = {},
): RiskFacts {
  const facts = deriveRiskFacts({
    trader: { ...ordinaryTrader, ...input.trader },
    movement: { ...ordinaryMovement, ...input.movement },
    alerts: input.alerts ?? [],
    trust: input.trust ?? { signed: 200, vendor: 0, passive: 0 },
  });
  return { ...facts, ...overrides };
}
