import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRiskProfile } from './risk-profile';
import { defaultRiskProfile } from './default-risk-profile';

const clone = () => JSON.parse(JSON.stringify(defaultRiskProfile));

test('the default profile passes its own schema and survives a JSON round trip', () => {
  const r = parseRiskProfile(clone());
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(r.profile, defaultRiskProfile);
});

test('a condition naming an unknown fact or an unknown op is rejected', () => {
  const p = clone();
  p.indicators[0].condition = { fact: 'trader_shoe_size', op: 'gte', value: 3 };
  p.indicators[1].condition = { fact: 'trader_new', op: 'regex', value: '.*' };
  const r = parseRiskProfile(p);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.ok(
      r.issues.some((i) => i.path.startsWith('indicators.0.condition')),
      JSON.stringify(r.issues),
    );
    assert.ok(
      r.issues.some((i) => i.path.startsWith('indicators.1.condition')),
      JSON.stringify(r.issues),
    );
  }
});

test('a condition must fit the kind of its fact', () => {
  for (const condition of [
    { fact: 'route_risk', op: 'gte', value: 2 },
    { fact: 'route_risk', op: 'eq', value: 'extreme' },
    { fact: 'hs_chapter', op: 'true' },
    { fact: 'hs_chapter', op: 'in', value: [24, 'tobacco'] },
    { fact: 'trader_aeo', op: 'eq', value: 1 },
    {
      all: [
        { fact: 'trader_aeo', op: 'true' },
        { fact: 'seal_mismatch', op: 'true' },
      ],
    },
  ]) {
    const p = clone();
    p.indicators[0].condition = condition;
    assert.equal(parseRiskProfile(p).ok, false, JSON.stringify(condition));
  }
});

test('nested all / any / not conditions are accepted', () => {
  const p = clone();
  p.indicators[0].condition = {
    all: [
      { not: { fact: 'trader_aeo', op: 'true' } },
      {
        any: [
          { fact: 'route_risk', op: 'in', value: ['medium', 'high'] },
          { fact: 'hs_chapter', op: 'eq', value: 24 },
        ],
      },
    ],
  };
  assert.equal(parseRiskProfile(p).ok, true);
});

test('profile invariants: unique codes, ordered thresholds, rates summing to 1, known forced-red codes', () => {
  const p = clone();
  p.indicators[1].code = p.indicators[0].code;
  p.thresholds = { red: 20, yellow: 30, blue: 10 };
  p.laneRates = { red: 0.5, yellow: 0.5, blue: 0.5, green: 0 };
  p.forcedRed = ['SEAL_TAMPERED', 'NO_SUCH_CODE'];
  const r = parseRiskProfile(p);
  assert.equal(r.ok, false);
  if (!r.ok) {
    const paths = r.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ['forcedRed.1', 'indicators.1.code', 'laneRates', 'thresholds']);
  }
});

test('out-of-range numbers and unknown members are rejected with their paths', () => {
  const p = clone();
  p.randomRate = 1.5;
  p.indicators[2].weight = Number.POSITIVE_INFINITY;
  p.indicators[3].colour = 'red';
  p.version = 0;
  const r = parseRiskProfile(p);
  assert.equal(r.ok, false);
  if (!r.ok) {
    const paths = r.issues.map((i) => i.path);
    for (const want of ['randomRate', 'indicators.2.weight', 'indicators.3', 'version'])
      assert.ok(paths.includes(want), `${want} in ${paths}`);
  }
});
