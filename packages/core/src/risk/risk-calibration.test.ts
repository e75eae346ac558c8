import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../random/seeded';
import { defaultRiskProfile } from './default-risk-profile';
import type { CalibrationSample } from './risk-calibration';
import { calibrateWeights, calibrationSamples, proposeProfile, thresholdsForRates } from './risk-calibration';
import { parseRiskProfile, type RiskProfile } from './risk-profile';
import { toTimestamp } from '../ids';

/** A 7-indicator profile whose weights the synthetic outcomes are drawn from. */
const truth = {
  intercept: -2.2,
  weights: {
    TRADER_NEW: 0.8,
    ORIGIN_HIGH_RISK: 1.2,
    GOODS_SENSITIVE: 0.6,
    ROUTE_DEVIATION: 1.5,
    SIGNAL_GAP: 0.4,
    CLEAN_TRIP: -1.1,
    TRADER_AEO: -0.7,
  },
};
const fireProb: Record<string, number> = {
  TRADER_NEW: 0.3,
  ORIGIN_HIGH_RISK: 0.2,
  GOODS_SENSITIVE: 0.25,
  ROUTE_DEVIATION: 0.15,
  SIGNAL_GAP: 0.2,
  CLEAN_TRIP: 0.5,
  TRADER_AEO: 0.3,
};
const codes = Object.keys(truth.weights) as (keyof typeof truth.weights)[];
const start: RiskProfile = {
  ...defaultRiskProfile,
  indicators: defaultRiskProfile.indicators.filter((i) => codes.includes(i.code as never)),
  forcedRed: [],
};

function synthetic(n: number, seed: number): CalibrationSample[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const fired = codes.filter((c) => rnd() < fireProb[c]);
    const logit = fired.reduce((s, c) => s + truth.weights[c], truth.intercept);
    return { fired, hit: rnd() < 1 / (1 + Math.exp(-logit)) };
  });
}

test('calibration recovers the generating weights of 20 000 synthetic outcomes within 0.25 (seed 11)', () => {
  const fit = calibrateWeights(start, synthetic(20_000, 11), { l2: 1 });
  assert.ok(fit.converged);
  assert.equal(fit.samples, 20_000);
  assert.ok(Math.abs(fit.intercept - truth.intercept) < 0.25, `intercept ${fit.intercept}`);
  for (const w of fit.weights) {
    const want = truth.weights[w.code as keyof typeof truth.weights];
    assert.ok(Math.abs(w.weight - want) < 0.25, `${w.code}: fitted ${w.weight.toFixed(3)}, true ${want}`);
    // the stated standard error is honest: the error is within 4 of them
    assert.ok(Math.abs(w.weight - want) < 4 * w.standardError, `${w.code}: error ${w.weight - want} vs se ${w.standardError}`);
    assert.ok(w.standardError > 0 && w.standardError < 0.15, `${w.code}: se ${w.standardError}`);
  }
});

test('calibration is deterministic: the same samples give the same fit bit for bit', () => {
  const samples = synthetic(3000, 5);
  assert.deepEqual(calibrateWeights(start, samples), calibrateWeights(start, samples));
});

test('L2 shrinks weights towards 0; an indicator that never fired gets weight 0 and support 0', () => {
  const samples = synthetic(400, 3).map((s) => ({ ...s, fired: s.fired.filter((c) => c !== 'SIGNAL_GAP') }));
  const loose = calibrateWeights(start, samples, { l2: 0.01 });
  const tight = calibrateWeights(start, samples, { l2: 200 });
  const size = (f: typeof loose) => f.weights.reduce((s, w) => s + Math.abs(w.weight), 0);
  assert.ok(size(tight) < size(loose) / 2, `${size(tight)} vs ${size(loose)}`);
  const gap = loose.weights.find((w) => w.code === 'SIGNAL_GAP')!;
  assert.equal(gap.support, 0);
  assert.ok(Math.abs(gap.weight) < 1e-9);
});

test('a proposal is the next version with the fitted weights; rarely fired indicators keep theirs', () => {
  const samples = synthetic(20_000, 11).map((s) => ({ ...s, fired: s.fired.filter((c) => c !== 'SIGNAL_GAP' || s.hit) }));
  const fit = calibrateWeights(start, samples.slice(0, 2000));
  const { profile, changes } = proposeProfile(start, fit, { minSupport: 100 });
  assert.equal(profile.version, 2);
  assert.equal(profile.basedOn, 1);
  assert.match(profile.note, /2000 inspections/);
  const gap = changes.find((c) => c.code === 'SIGNAL_GAP')!;
  assert.ok(gap.support < 100 && gap.kept);
  assert.equal(profile.indicators.find((i) => i.code === 'SIGNAL_GAP')!.weight, gap.from);
  const route = changes.find((c) => c.code === 'ROUTE_DEVIATION')!;
  assert.equal(route.kept, false);
  assert.equal(route.to, Math.round(fit.weights.find((w) => w.code === 'ROUTE_DEVIATION')!.weight * 1000) / 1000);
  assert.equal(parseRiskProfile(JSON.parse(JSON.stringify(profile))).ok, true, 'the proposal is a valid profile');
});

test('samples can be restricted to random selections, the unbiased ones', () => {
  const base = { movement: 'M', office: 'O', lane: 'red' as const, profileVersion: 1, by: 'x', at: toTimestamp(0) };
  const samples = calibrationSamples(
    [
      { ...base, reason: 'random', fired: ['A'], result: 'seizure' },
      { ...base, reason: 'score', fired: ['B'], result: 'nothing_found' },
    ],
    { reasons: ['random'] },
  );
  assert.deepEqual(samples, [{ fired: ['A'], hit: true }]);
});

test('thresholds for the expected lane rates split a score sample at 5 / 10 / 15 %', () => {
  const scores = Array.from({ length: 100 }, (_, k) => k + 0.5); // 0.5 .. 99.5
  assert.deepEqual(thresholdsForRates(scores, { red: 0.05, yellow: 0.1, blue: 0.15, green: 0.7 }), { red: 95.5, yellow: 85.5, blue: 70.5 });
  assert.deepEqual(thresholdsForRates(new Array(50).fill(3), { red: 0.05, yellow: 0.1, blue: 0.15, green: 0.7 }), {
    red: 3,
    yellow: 2.99,
    blue: 2.98,
  });
  assert.equal(thresholdsForRates([], defaultRiskProfile.laneRates), null);
});
