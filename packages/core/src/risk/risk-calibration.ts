/**
 * Calibration (standards §6, "evaluate … monitor"): fits a profile's indicator weights to recorded
 * inspection outcomes by L2-regularised logistic regression, and proposes the next profile version
 * for the analyst to accept. The fitted score then reads as the chance in percent that an
 * examination finds an irregularity.
 *
 * Selection bias: outcomes exist only for inspected movements, and movements selected by score are
 * those the old weights already called risky. Inspections selected at random are the unbiased
 * sample; `calibrationSamples(outcomes, { reasons: ['random'] })` keeps only those.
 */
import type { InspectionOutcome } from './risk-outcomes';
import { isHit } from './risk-outcomes';
import type { Lane, RiskProfile } from './risk-profile';
import type { LaneDecision } from './risk-score';
import { fitLogistic } from './logistic-regression';

/** One training sample: the indicator codes that fired, and whether the inspection was a hit. */
export interface CalibrationSample {
  fired: readonly string[];
  hit: boolean;
}

/** Samples from recorded inspections, optionally only those selected for the given reasons. */
export function calibrationSamples(
  outcomes: readonly InspectionOutcome[],
  options: { reasons?: readonly LaneDecision['reason'][] } = {},
): CalibrationSample[] {
  return outcomes
    .filter((o) => !options.reasons || options.reasons.includes(o.reason))
    .map((o) => ({ fired: o.fired, hit: isHit(o.result) }));
}

/** A fitted weight with its standard error (log-odds) and how often its indicator fired in the samples. */
export interface FittedWeight {
  code: string;
  weight: number;
  standardError: number;
  support: number;
}

/** The result of a calibration: what was fitted, on how much data. */
export interface CalibrationFit {
  profileVersion: number;
  intercept: number;
  weights: FittedWeight[];
  samples: number;
  hits: number;
  l2: number;
  iterations: number;
  converged: boolean;
  logLikelihood: number;
}

/**
 * Fits the intercept and one weight per indicator of `profile` (codes not in the profile are
 * ignored). `l2` (default 1) shrinks weights of rarely firing indicators towards 0. Deterministic.
 */
export function calibrateWeights(
  profile: RiskProfile,
  samples: readonly CalibrationSample[],
  options: { l2?: number } = {},
): CalibrationFit {
  const l2 = options.l2 ?? 1;
  const column = new Map(profile.indicators.map((ind, j) => [ind.code, j]));
  const support = new Array<number>(column.size).fill(0);
  const rows = samples.map((s) => {
    const features = [...new Set(s.fired)].map((c) => column.get(c)).filter((j): j is number => j !== undefined);
    for (const j of features) support[j]++;
    return { features, y: s.hit };
  });
  const fit = fitLogistic(rows, column.size, { l2 });
  return {
    profileVersion: profile.version,
    intercept: fit.intercept,
    weights: profile.indicators.map((ind, j) => ({
      code: ind.code,
      weight: fit.weights[j],
      standardError: fit.standardErrors[j + 1],
      support: support[j],
    })),
    samples: samples.length,
    hits: rows.filter((r) => r.y).length,
    l2,
    iterations: fit.iterations,
    converged: fit.converged,
    logLikelihood: fit.logLikelihood,
  };
}

/** A weight change a proposal makes; `kept` when the indicator fired too rarely to refit. */
export interface WeightChange {
  code: string;
  from: number;
  to: number;
  support: number;
  kept: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const clampWeight = (x: number) => Math.min(20, Math.max(-20, x));

/**
 * The next profile version with the fitted intercept and weights (rounded to 0.001), for the
 * analyst to review and accept; nothing else changes unless `thresholds` is given. Indicators that
 * fired fewer than `minSupport` times (default 30) keep their weight. `version` defaults to
 * profile.version + 1 (the store should pass its next free version).
 */
export function proposeProfile(
  profile: RiskProfile,
  fit: CalibrationFit,
  options: { minSupport?: number; version?: number; thresholds?: RiskProfile['thresholds'] } = {},
): { profile: RiskProfile; changes: WeightChange[] } {
  const minSupport = options.minSupport ?? 30;
  const byCode = new Map(fit.weights.map((w) => [w.code, w]));
  const changes: WeightChange[] = [];
  const indicators = profile.indicators.map((ind) => {
    const f = byCode.get(ind.code);
    const kept = !f || f.support < minSupport;
    const to = kept ? ind.weight : clampWeight(round3(f.weight));
    changes.push({ code: ind.code, from: ind.weight, to, support: f?.support ?? 0, kept });
    return { ...ind, weight: to };
  });
  const version = options.version ?? profile.version + 1;
  const note = `Calibrated from version ${profile.version} on ${fit.samples} inspections (${fit.hits} hits), L2 ${fit.l2}.`;
  return {
    profile: {
      ...profile,
      version,
      basedOn: profile.version,
      note,
      intercept: clampWeight(round3(fit.intercept)),
      indicators,
      thresholds: options.thresholds ?? profile.thresholds,
    },
    changes,
  };
}

/**
 * Thresholds that would give the expected lane rates on a past distribution of scores (0..100):
 * the top `red` share scores red, the next `yellow` share yellow, the next `blue` share blue. Each
 * threshold is a score of the sample; ties are split by 0.01 so that red > yellow > blue holds.
 * Returns null for an empty sample.
 */
export function thresholdsForRates(scores: readonly number[], rates: Record<Lane, number>): RiskProfile['thresholds'] | null {
  if (!scores.length) return null;
  const desc = [...scores].sort((a, b) => b - a);
  const at = (share: number) => desc[Math.min(desc.length - 1, Math.max(0, Math.ceil(share * desc.length - 1e-9) - 1))];
  const red = Math.min(100, at(rates.red) + (rates.red === 0 ? 0.01 : 0));
  const yellow = Math.min(red - 0.01, at(rates.red + rates.yellow));
  const blue = Math.max(0, Math.min(yellow - 0.01, at(rates.red + rates.yellow + rates.blue)));
  return { red: round2(red), yellow: round2(yellow), blue: round2(blue) };
}
const round2 = (x: number) => Math.round(x * 100) / 100;
