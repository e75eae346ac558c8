/**
 * Scoring and lane selection (standards §6, ASYCUDA MODSEL). A score is explainable (every
 * indicator with its contribution) and reproducible (the profile version is recorded). Lane
 * selection: forced red for broken or mismatched seals, thresholds on the score, then a random
 * selection at the profile's minimum rate; officers may re-route with a mandatory reason.
 * Pure: randomness is the seeded generator passed in, times come in as arguments.
 */
import type { Timestamp } from '../ids';
import type { RiskFacts } from './risk-facts';
import type { Lane, RiskCondition, RiskIndicator, RiskProfile } from './risk-profile';
import { lanes } from './risk-profile';

/** One indicator of a score: `contribution` is `weight` when fired, else 0 (log-odds). */
export interface IndicatorResult {
  code: string;
  source: RiskIndicator['source'];
  fired: boolean;
  weight: number;
  contribution: number;
}

/** A movement's score under one profile version. */
export interface RiskScore {
  /** 100 × logistic(intercept + Σ contributions), rounded to 0.01: the chance in percent that an examination finds an irregularity. */
  score: number;
  /** The same over the static indicators only: what the movement would score without its devices' data. */
  baselineScore: number;
  intercept: number;
  /** Every indicator of the profile, in profile order, fired or not. */
  indicators: IndicatorResult[];
  profileVersion: number;
}

/** True when the condition holds for the facts. A fact of the wrong kind never satisfies a comparison. */
export function evaluateCondition(c: RiskCondition, facts: RiskFacts): boolean {
  if ('all' in c) return c.all.every((x) => evaluateCondition(x, facts));
  if ('any' in c) return c.any.some((x) => evaluateCondition(x, facts));
  if ('not' in c) return !evaluateCondition(c.not, facts);
  const v: unknown = facts[c.fact];
  switch (c.op) {
    case 'true':
      return v === true;
    case 'eq':
      return v === c.value;
    case 'gte':
      return typeof v === 'number' && v >= c.value;
    case 'lte':
      return typeof v === 'number' && v <= c.value;
    case 'in':
      return (c.value as unknown[]).includes(v);
  }
}

const toScore = (logit: number) => Math.round(10_000 / (1 + Math.exp(-logit))) / 100;

/** Scores a movement's facts with a profile. Deterministic: the same facts and profile give the same result. */
export function scoreMovement(facts: RiskFacts, profile: RiskProfile): RiskScore {
  const indicators = profile.indicators.map((ind): IndicatorResult => {
    const fired = evaluateCondition(ind.condition, facts);
    return { code: ind.code, source: ind.source, fired, weight: ind.weight, contribution: fired ? ind.weight : 0 };
  });
  const sum = (only?: 'static') => indicators.reduce((s, r) => (only && r.source !== only ? s : s + r.contribution), profile.intercept);
  return {
    score: toScore(sum()),
    baselineScore: toScore(sum('static')),
    intercept: profile.intercept,
    indicators,
    profileVersion: profile.version,
  };
}

/** What each lane means at the office. */
export type LaneAction = 'physical_examination' | 'documentary_check' | 'release_with_audit' | 'release';
/** The office action of each lane. */
export const laneActions: Record<Lane, LaneAction> = {
  red: 'physical_examination',
  yellow: 'documentary_check',
  blue: 'release_with_audit',
  green: 'release',
};

/** The lane of a score by the profile's thresholds alone (a score equal to a threshold is in that lane). */
export function laneForScore(score: number, t: RiskProfile['thresholds']): Lane {
  return score >= t.red ? 'red' : score >= t.yellow ? 'yellow' : score >= t.blue ? 'blue' : 'green';
}

const rank = (l: Lane) => lanes.indexOf(l); // 0 = red, most intervention

/** An officer's re-routing, kept in the decision for the audit trail. */
export interface LaneOverride {
  from: Lane;
  to: Lane;
  reason: string;
  by: string;
  at: Timestamp;
}

/** A lane decision. `reason` says what set the lane: forced, score, random or override. */
export interface LaneDecision {
  lane: Lane;
  action: LaneAction;
  reason: 'forced' | 'score' | 'random' | 'override';
  /** The lane of the thresholds alone, and of the static indicators alone (for "inspections avoided"). */
  scoreLane: Lane;
  baselineLane: Lane;
  /** What forced red: indicator codes of `profile.forcedRed`, and the facts `seal_broken` / `seal_mismatch`. */
  forcedBy: string[];
  /** The random draw fell under the random rate (whether or not it changed the lane). */
  randomSelected: boolean;
  score: number;
  profileVersion: number;
  /** Officers' overrides, oldest first; the last one set `lane`. */
  overrides: LaneOverride[];
}

/**
 * Selects the lane. Broken or mismatched seals force red whatever the profile says; so do the
 * profile's forcedRed indicators. Otherwise the thresholds give the lane, and a random draw below
 * `randomRate` promotes it to at least `randomLane` (reason 'random'). Exactly one number is drawn
 * from `rng` per call, so a seeded sequence of decisions is reproducible.
 */
export function selectLane(score: RiskScore, profile: RiskProfile, facts: RiskFacts, rng: () => number): LaneDecision {
  if (score.profileVersion !== profile.version)
    throw new Error(`score of profile version ${score.profileVersion} used with version ${profile.version}`);
  const draw = rng();
  const fired = new Set(score.indicators.filter((r) => r.fired).map((r) => r.code));
  const forcedBy = [
    ...profile.forcedRed.filter((c) => fired.has(c)),
    ...(facts.seal_broken ? ['seal_broken'] : []),
    ...(facts.seal_mismatch > 0 ? ['seal_mismatch'] : []),
  ];
  const scoreLane = laneForScore(score.score, profile.thresholds);
  const randomSelected = draw < profile.randomRate;
  let lane: Lane = scoreLane;
  let reason: LaneDecision['reason'] = 'score';
  if (forcedBy.length) [lane, reason] = ['red', 'forced'];
  else if (randomSelected && rank(profile.randomLane) < rank(scoreLane)) [lane, reason] = [profile.randomLane, 'random'];
  return {
    lane,
    action: laneActions[lane],
    reason,
    scoreLane,
    baselineLane: laneForScore(score.baselineScore, profile.thresholds),
    forcedBy,
    randomSelected,
    score: score.score,
    profileVersion: score.profileVersion,
    overrides: [],
  };
}

/**
 * An officer re-routes a decision. The reason and the officer are mandatory (non-blank); the
 * override is appended to the decision's audit list. Returns a value, never throws.
 */
export function applyOverride(
  decision: LaneDecision,
  o: { lane: Lane; reason: string; by: string; at: Timestamp },
): { ok: true; decision: LaneDecision } | { ok: false; reason: 'override_reason_required' | 'override_by_required' } {
  const reason = o.reason.trim(),
    by = o.by.trim();
  if (!reason) return { ok: false, reason: 'override_reason_required' };
  if (!by) return { ok: false, reason: 'override_by_required' };
  const entry: LaneOverride = { from: decision.lane, to: o.lane, reason, by, at: o.at };
  return {
    ok: true,
    decision: { ...decision, lane: o.lane, action: laneActions[o.lane], reason: 'override', overrides: [...decision.overrides, entry] },
  };
}
