import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRiskProfile } from './default-risk-profile';
import type { RiskCondition } from './risk-profile';

const factsOf = (c: RiskCondition): string[] =>
  'all' in c ? c.all.flatMap(factsOf) : 'any' in c ? c.any.flatMap(factsOf) : 'not' in c ? factsOf(c.not) : [c.fact];

test('the default profile covers every indicator the issue lists', () => {
  const used = new Set(defaultRiskProfile.indicators.flatMap((i) => factsOf(i.condition)));
  const required = [
    'trader_aeo',
    'trader_irregularity_rate',
    'route_risk',
    'origin_risk',
    'hs_chapter',
    'route_mismatch_m',
    'seal_tampered',
    'seal_opened',
    'seal_mismatch',
    'route_deviation',
    'unauthorized_stop',
    'signal_lost',
    'battery_low',
    'gnss_anomaly',
    'trust_signed_share',
    'trust_vendor_share',
    'trust_passive_only',
  ];
  for (const f of required) assert.ok(used.has(f), `no default indicator on ${f}`);
});

test('the default forces red on tampered, opened and mismatched seals, and is version 1', () => {
  assert.deepEqual(defaultRiskProfile.forcedRed, ['SEAL_TAMPERED', 'SEAL_OPENED', 'SEAL_MISMATCH']);
  assert.equal(defaultRiskProfile.version, 1);
  assert.equal(defaultRiskProfile.basedOn, null);
});

test('static and device indicators are told apart: trader, route and goods are static', () => {
  const source = Object.fromEntries(defaultRiskProfile.indicators.map((i) => [i.code, i.source]));
  for (const c of ['TRADER_AEO', 'ROUTE_HIGH_RISK', 'ORIGIN_HIGH_RISK', 'GOODS_SENSITIVE']) assert.equal(source[c], 'static', c);
  for (const c of ['SEAL_TAMPERED', 'CLEAN_TRIP', 'DATA_SIGNED', 'ROUTE_MISMATCH']) assert.equal(source[c], 'device', c);
});
