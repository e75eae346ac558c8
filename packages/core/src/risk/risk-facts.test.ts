import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTrust, deriveRiskFacts, riskFactNames } from './risk-facts';
import { ordinaryMovement, ordinaryTrader } from './test-builders';

const base = { trader: ordinaryTrader, movement: ordinaryMovement, alerts: [], trust: { signed: 10, vendor: 0, passive: 0 } };

test('static facts come from the trader record and the declared movement', () => {
  const f = deriveRiskFacts({
    ...base,
    trader: { aeo: true, movements: 3, inspections: 10, irregularities: 2 },
    movement: { routeRisk: 'high', originRisk: 'medium', hsChapter: null, routeMismatchM: 2500, routeOffShare: 1.7 },
  });
  assert.equal(f.trader_aeo, true);
  assert.equal(f.trader_new, true);
  assert.equal(f.trader_irregularity_rate, 0.2);
  assert.equal(f.route_risk, 'high');
  assert.equal(f.origin_risk, 'medium');
  assert.equal(f.hs_chapter, 0);
  assert.equal(f.route_mismatch_m, 2500);
  assert.equal(f.route_off_share, 1, 'shares are clamped to 1');
});

test('a trader never inspected has an irregularity rate of 0, and 5 prior movements is no longer new', () => {
  const f = deriveRiskFacts({ ...base, trader: { aeo: false, movements: 5, inspections: 0, irregularities: 0 } });
  assert.equal(f.trader_irregularity_rate, 0);
  assert.equal(f.trader_new, false);
});

test('alerts are counted by type with their folded count; false alarms and plain events do not count', () => {
  const f = deriveRiskFacts({
    ...base,
    alerts: [
      { type: 'route_deviation', count: 3 },
      { type: 'route_deviation' },
      { type: 'rope_cut', outcome: 'false_alarm' },
      { type: 'unauthorized_stop', outcome: 'confirmed' },
      { type: 'movement_started' },
    ],
  });
  assert.equal(f.route_deviation, 4);
  assert.equal(f.unauthorized_stop, 1);
  assert.equal(f.rope_cut, 0);
  assert.equal(f.seal_broken, false);
  assert.equal(f.clean_trip, false);
});

test('a rope cut or an unauthorised unlock is a broken seal', () => {
  assert.equal(deriveRiskFacts({ ...base, alerts: [{ type: 'rope_cut' }] }).seal_broken, true);
  assert.equal(deriveRiskFacts({ ...base, alerts: [{ type: 'unlock_unauthorized' }] }).seal_broken, true);
  assert.equal(deriveRiskFacts({ ...base, alerts: [{ type: 'seal_mismatch' }] }).seal_broken, false);
});

test('a trip is clean with only battery warnings, but not without any observation', () => {
  assert.equal(deriveRiskFacts({ ...base, alerts: [{ type: 'battery_low' }] }).clean_trip, true);
  assert.equal(deriveRiskFacts({ ...base, alerts: [{ type: 'signal_lost' }] }).clean_trip, false);
  assert.equal(deriveRiskFacts({ ...base, trust: { signed: 0, vendor: 0, passive: 0 } }).clean_trip, false);
});

test('trust shares: passive-class devices are passive, signed and MAC are signed, the rest vendor', () => {
  const counts = countTrust([
    { trust: 'signed', deviceClass: 'active' },
    { trust: 'hmac', deviceClass: 'semi_active' },
    { trust: 'unverified', deviceClass: 'active' },
    { trust: 'signed', deviceClass: 'passive' },
  ]);
  assert.deepEqual(counts, { signed: 2, vendor: 1, passive: 1 });
  const f = deriveRiskFacts({ ...base, trust: counts });
  assert.equal(f.observation_count, 4);
  assert.equal(f.trust_signed_share, 0.5);
  assert.equal(f.trust_vendor_share, 0.25);
  assert.equal(f.trust_passive_share, 0.25);
  assert.equal(f.trust_passive_only, false);
  assert.equal(deriveRiskFacts({ ...base, trust: { signed: 0, vendor: 0, passive: 6 } }).trust_passive_only, true);
});

test('no observations give zero shares; bad counts are taken as 0', () => {
  const f = deriveRiskFacts({
    ...base,
    trader: { aeo: false, movements: -3, inspections: Number.NaN, irregularities: 2 },
    trust: { signed: 0, vendor: 0, passive: 0 },
  });
  assert.equal(f.trust_signed_share, 0);
  assert.equal(f.trust_passive_only, false);
  assert.equal(f.trader_movements, 0);
  assert.equal(f.trader_irregularity_rate, 0);
});

test('every fact name has a value', () => {
  const f = deriveRiskFacts(base);
  for (const name of riskFactNames) assert.notEqual(f[name], undefined, name);
  assert.equal(Object.keys(f).length, riskFactNames.length);
});
