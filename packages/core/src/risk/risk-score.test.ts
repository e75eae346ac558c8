import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTimestamp } from '../ids';
import { mulberry32 } from '../random/seeded';
import { defaultRiskProfile } from './default-risk-profile';
import type { RiskProfile } from './risk-profile';
import { applyOverride, evaluateCondition, laneForScore, scoreMovement, selectLane } from './risk-score';
import { buildFacts } from './test-builders';

const p = defaultRiskProfile;
const fired = (s: ReturnType<typeof scoreMovement>) => s.indicators.filter((r) => r.fired).map((r) => r.code);
const never = () => 0.999; // a draw that never selects at random

test('a clean, signed trip of an ordinary trader scores 1.1 (logit -3 - 1.0 - 0.5) and is proposed for release', () => {
  const facts = buildFacts();
  const s = scoreMovement(facts, p);
  assert.deepEqual(fired(s), ['CLEAN_TRIP', 'DATA_SIGNED']);
  assert.equal(s.score, 1.1);
  assert.equal(s.baselineScore, 4.74);
  assert.equal(s.profileVersion, 1);
  const d = selectLane(s, p, facts, never);
  assert.deepEqual([d.lane, d.action, d.reason], ['green', 'release', 'score']);
});

test('every indicator is listed; the fired ones carry their weight and add up to the score', () => {
  const facts = buildFacts({}, { trader: { movements: 2 }, movement: { originRisk: 'high', hsChapter: 24 } });
  const s = scoreMovement(facts, p);
  assert.equal(s.indicators.length, p.indicators.length);
  assert.deepEqual(fired(s), ['TRADER_NEW', 'ORIGIN_HIGH_RISK', 'GOODS_SENSITIVE', 'CLEAN_TRIP', 'DATA_SIGNED']);
  const logit = s.indicators.reduce((a, r) => a + r.contribution, s.intercept);
  assert.ok(Math.abs(logit - -2.1) < 1e-12);
  assert.equal(s.score, 10.91);
  assert.equal(s.baselineScore, 35.43, 'static indicators alone: -3 + 0.6 + 0.9 + 0.9');
  for (const r of s.indicators) assert.equal(r.contribution, r.fired ? r.weight : 0);
});

test('device evidence releases a movement the static profile alone would examine', () => {
  const facts = buildFacts({}, { trader: { movements: 2 }, movement: { originRisk: 'high', hsChapter: 24 } });
  const d = selectLane(scoreMovement(facts, p), p, facts, never);
  assert.equal(d.lane, 'green');
  assert.equal(d.baselineLane, 'yellow');
});

test('a deviation with an unauthorised stop scores 31.0 and goes to documentary check', () => {
  const facts = buildFacts({}, { alerts: [{ type: 'route_deviation' }, { type: 'unauthorized_stop' }] });
  const s = scoreMovement(facts, p);
  assert.equal(s.score, 31);
  assert.deepEqual(selectLane(s, p, facts, never).lane, 'yellow');
});

test('a tampered seal forces red even for an AEO with an otherwise low score', () => {
  const facts = buildFacts({}, { trader: { aeo: true }, alerts: [{ type: 'seal_tampered' }] });
  const s = scoreMovement(facts, p);
  const d = selectLane(s, p, facts, never);
  assert.deepEqual([d.lane, d.reason, d.action], ['red', 'forced', 'physical_examination']);
  assert.deepEqual(d.forcedBy, ['SEAL_TAMPERED', 'seal_broken']);
});

test('a seal mismatch forces red even when the profile forgets to force it', () => {
  const lax: RiskProfile = {
    ...p,
    forcedRed: [],
    indicators: p.indicators.map((i) => ({ ...i, weight: i.code === 'SEAL_MISMATCH' ? 0 : i.weight })),
  };
  const facts = buildFacts({}, { alerts: [{ type: 'seal_mismatch' }] });
  const d = selectLane(scoreMovement(facts, lax), lax, facts, never);
  assert.deepEqual([d.lane, d.reason, d.forcedBy], ['red', 'forced', ['seal_mismatch']]);
  assert.equal(d.scoreLane, 'green');
});

test('thresholds: a score equal to a threshold is in that lane', () => {
  const t = p.thresholds;
  assert.deepEqual(
    [50, 49.99, 25, 24.99, 12, 11.99, 0].map((x) => laneForScore(x, t)),
    ['red', 'yellow', 'yellow', 'blue', 'blue', 'green', 'green'],
  );
});

test('random selection: 5 % of 20 000 clean movements (seed 2026) go to red at random, within 4-6 %', () => {
  const profile: RiskProfile = { ...p, randomRate: 0.05 };
  const facts = buildFacts();
  const s = scoreMovement(facts, profile);
  const rng = mulberry32(2026);
  let random = 0;
  for (let k = 0; k < 20_000; k++) {
    const d = selectLane(s, profile, facts, rng);
    if (d.reason === 'random') {
      random++;
      assert.equal(d.lane, 'red');
      assert.equal(d.randomSelected, true);
    } else assert.equal(d.lane, 'green');
  }
  const rate = random / 20_000;
  assert.ok(rate >= 0.04 && rate <= 0.06, `random rate ${rate}`);
  // within 3 standard errors (0.15 %) of 5 %: a biased draw would show here
  assert.ok(Math.abs(rate - 0.05) < 3 * Math.sqrt((0.05 * 0.95) / 20_000), `random rate ${rate}`);
});

test('the same seed gives the same decisions; a zero rate selects none', () => {
  const facts = buildFacts();
  const s = scoreMovement(facts, p);
  const run = (seed: number, profile: RiskProfile) => {
    const r = mulberry32(seed);
    return Array.from({ length: 2000 }, () => selectLane(s, profile, facts, r).lane).join();
  };
  assert.equal(run(7, p), run(7, p));
  assert.ok(!run(7, { ...p, randomRate: 0 }).includes('red'));
});

test('a random pick never lowers a lane and draws exactly one number per decision', () => {
  const profile: RiskProfile = { ...p, randomRate: 1, randomLane: 'yellow' };
  let draws = 0;
  const rng = () => {
    draws++;
    return 0;
  };
  const redFacts = buildFacts({}, { alerts: [{ type: 'seal_opened' }] });
  assert.equal(selectLane(scoreMovement(redFacts, profile), profile, redFacts, rng).lane, 'red');
  const yellowFacts = buildFacts({}, { alerts: [{ type: 'route_deviation' }, { type: 'unauthorized_stop' }] });
  const d = selectLane(scoreMovement(yellowFacts, profile), profile, yellowFacts, rng);
  assert.deepEqual([d.lane, d.reason, d.randomSelected], ['yellow', 'score', true]);
  assert.equal(draws, 2);
});

test('a score from another profile version is refused', () => {
  const facts = buildFacts();
  assert.throws(() => selectLane(scoreMovement(facts, p), { ...p, version: 2 }, facts, never), /version/);
});

test('an override needs a reason and an officer, and is kept for the audit trail', () => {
  const facts = buildFacts();
  const d = selectLane(scoreMovement(facts, p), p, facts, never);
  const at = toTimestamp('2026-11-26T10:00:00.000Z');
  assert.deepEqual(applyOverride(d, { lane: 'red', reason: '   ', by: 'officer-7', at }), {
    ok: false,
    reason: 'override_reason_required',
  });
  assert.deepEqual(applyOverride(d, { lane: 'red', reason: 'tip-off', by: '', at }), { ok: false, reason: 'override_by_required' });
  const r = applyOverride(d, { lane: 'red', reason: ' tip-off from the border post ', by: 'officer-7', at });
  assert.ok(r.ok);
  assert.deepEqual([r.decision.lane, r.decision.reason, r.decision.action], ['red', 'override', 'physical_examination']);
  assert.deepEqual(r.decision.overrides, [{ from: 'green', to: 'red', reason: 'tip-off from the border post', by: 'officer-7', at }]);
  assert.equal(r.decision.score, d.score, 'the score is not touched');
  const again = applyOverride(r.decision, { lane: 'yellow', reason: 'seal verified intact', by: 'chief-2', at });
  assert.ok(again.ok);
  assert.deepEqual(
    again.decision.overrides.map((o) => `${o.from}>${o.to}`),
    ['green>red', 'red>yellow'],
  );
});

test('conditions: a missing or wrongly typed fact never satisfies a comparison', () => {
  const facts = buildFacts();
  assert.equal(evaluateCondition({ fact: 'route_risk', op: 'gte', value: 0 }, facts), false);
  assert.equal(evaluateCondition({ fact: 'hs_chapter', op: 'in', value: [84, 85] }, facts), true);
  assert.equal(evaluateCondition({ not: { fact: 'trader_aeo', op: 'true' } }, facts), true);
  assert.equal(
    evaluateCondition(
      {
        all: [
          { fact: 'clean_trip', op: 'true' },
          { fact: 'trader_aeo', op: 'true' },
        ],
      },
      facts,
    ),
    false,
  );
});
