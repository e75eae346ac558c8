import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTimestamp } from '../ids';
import { defaultRiskProfile } from './default-risk-profile';
import type { ClearanceRecord, InspectionOutcome, InspectionResult } from './risk-outcomes';
import { computeKpis, hitRates, kpiRowOf, periodKey, recordInspection, totalKpiAggregates } from './risk-outcomes';
import type { KpiAggregate } from './risk-outcomes';
import type { Lane } from './risk-profile';
import { scoreMovement, selectLane } from './risk-score';
import { buildFacts } from './test-builders';

const at = toTimestamp('2026-11-26T10:00:00.000Z');
const outcome = (lane: Lane, reason: InspectionOutcome['reason'], fired: string[], result: InspectionResult): InspectionOutcome => ({
  movement: 'M',
  office: 'KEMBA',
  lane,
  reason,
  fired,
  profileVersion: 1,
  result,
  by: 'officer-1',
  at,
});

test('recording an inspection keeps the lane, the reason and the indicators that fired', () => {
  const facts = buildFacts({}, { alerts: [{ type: 'seal_tampered' }] });
  const score = scoreMovement(facts, defaultRiskProfile);
  const d = selectLane(score, defaultRiskProfile, facts, () => 0.9);
  const o = recordInspection('MOV-1', 'KENBO', score, d, { result: 'seizure', by: 'officer-3', at });
  assert.deepEqual(o, {
    movement: 'MOV-1',
    office: 'KENBO',
    lane: 'red',
    reason: 'forced',
    fired: ['SEAL_TAMPERED', 'DATA_SIGNED'],
    profileVersion: 1,
    result: 'seizure',
    by: 'officer-3',
    at,
  });
});

test('hit rates per lane, per reason and per indicator count irregularities and seizures as hits', () => {
  const r = hitRates([
    outcome('red', 'forced', ['SEAL_TAMPERED'], 'seizure'),
    outcome('red', 'forced', ['SEAL_TAMPERED', 'GNSS_ANOMALY'], 'irregularity'),
    outcome('red', 'random', ['CLEAN_TRIP'], 'nothing_found'),
    outcome('yellow', 'score', ['ROUTE_DEVIATION', 'GNSS_ANOMALY'], 'nothing_found'),
    outcome('yellow', 'score', ['ROUTE_DEVIATION', 'ROUTE_DEVIATION'], 'irregularity'),
  ]);
  assert.deepEqual(r.overall, { inspections: 5, hits: 3, seizures: 1, hitRate: 0.6 });
  assert.deepEqual(r.byLane.red, { inspections: 3, hits: 2, seizures: 1, hitRate: 2 / 3 });
  assert.deepEqual(r.byLane.yellow, { inspections: 2, hits: 1, seizures: 0, hitRate: 0.5 });
  assert.deepEqual(r.byLane.green, { inspections: 0, hits: 0, seizures: 0, hitRate: null });
  assert.equal(r.byReason.random.hitRate, 0);
  assert.equal(r.byReason.forced.hitRate, 1);
  assert.deepEqual(
    r.byIndicator.map((i) => [i.code, i.inspections, i.hits]),
    [
      ['CLEAN_TRIP', 1, 0],
      ['GNSS_ANOMALY', 2, 1],
      ['ROUTE_DEVIATION', 2, 1],
      ['SEAL_TAMPERED', 2, 2],
    ],
  );
});

test('period keys: day, ISO week (with the year turning), month, quarter, year', () => {
  assert.equal(periodKey(at, 'day'), '2026-11-26');
  assert.equal(periodKey(at, 'week'), '2026-W48');
  assert.equal(periodKey(toTimestamp('2021-01-03T23:59:00.000Z'), 'week'), '2020-W53');
  assert.equal(periodKey(toTimestamp('2024-12-30T00:00:00.000Z'), 'week'), '2025-W01');
  assert.equal(periodKey(toTimestamp('2026-01-01T00:00:00.000Z'), 'week'), '2026-W01');
  assert.equal(periodKey(at, 'month'), '2026-11');
  assert.equal(periodKey(at, 'quarter'), '2026-Q4');
  assert.equal(periodKey(toTimestamp('2026-03-31T23:59:59.999Z'), 'quarter'), '2026-Q1');
  assert.equal(periodKey(at, 'year'), '2026');
});

const rec = (
  office: string,
  day: string,
  lane: Lane,
  baselineLane: Lane,
  result: InspectionResult | null,
  clearanceTimeS: number | null,
): ClearanceRecord => ({ office, decidedAt: toTimestamp(`${day}T08:00:00.000Z`), lane, baselineLane, result, clearanceTimeS });

test('KPIs per office and month: inspection rate, hit rate, clearance mean and median, inspections avoided', () => {
  const rows = computeKpis(
    [
      rec('KEMBA', '2026-11-02', 'red', 'red', 'seizure', 7200),
      rec('KEMBA', '2026-11-03', 'yellow', 'yellow', 'nothing_found', 3600),
      rec('KEMBA', '2026-11-04', 'yellow', 'yellow', null, null),
      rec('KEMBA', '2026-11-05', 'green', 'yellow', null, 600),
      rec('KEMBA', '2026-11-06', 'green', 'red', null, 300),
      rec('KEMBA', '2026-11-07', 'blue', 'green', null, 900),
      rec('KEMBA', '2026-12-01', 'green', 'green', null, 400),
      rec('UGMAL', '2026-11-10', 'red', 'green', 'irregularity', 10_800),
    ],
    'month',
    { totals: true },
  );
  assert.deepEqual(
    rows.map((r) => `${r.office} ${r.period} ${r.movements}`),
    ['* 2026-11 7', '* 2026-12 1', 'KEMBA 2026-11 6', 'KEMBA 2026-12 1', 'UGMAL 2026-11 1'],
  );
  const k = rows[2];
  assert.deepEqual(k.lanes, { red: 1, yellow: 2, blue: 1, green: 2 });
  assert.equal(k.inspections, 3);
  assert.equal(k.inspectionRate, 0.5);
  assert.equal(k.hitRate, 0.5, 'one hit of two recorded results');
  assert.equal(k.clearanceMeanS, (7200 + 3600 + 600 + 300 + 900) / 5);
  assert.equal(k.clearanceMedianS, 900);
  assert.equal(k.inspectionsAvoided, 2);
  assert.equal(rows[0].hitRate, 2 / 3);
  assert.equal(rows[0].clearanceMedianS, (900 + 3600) / 2);
  assert.equal(rows[1].hitRate, null);
});

test('totals over some offices add their counts per period; the clearance figures of several offices are not invented', () => {
  const agg = (office: string, period: string, red: number, green: number, judged: number, hits: number): KpiAggregate => ({
    office,
    period,
    lanes: { red, yellow: 0, blue: 0, green },
    judged,
    hits,
    inspectionsAvoided: green,
    clearanceMeanS: 3600,
    clearanceMedianS: 1800,
  });
  const totals = totalKpiAggregates([
    agg('KEMBA', '2026-12', 2, 5, 2, 1),
    agg('KEMAL', '2026-12', 1, 3, 1, 1),
    agg('KEMBA', '2026-11', 0, 4, 0, 0),
  ]);
  const dec = kpiRowOf(totals.find((t) => t.period === '2026-12')!);
  assert.deepEqual([dec.office, dec.movements, dec.inspections, dec.hitRate, dec.inspectionsAvoided], ['*', 11, 3, 2 / 3, 8]);
  assert.deepEqual([dec.clearanceMeanS, dec.clearanceMedianS], [null, null]);
  assert.equal(kpiRowOf(totals.find((t) => t.period === '2026-11')!).movements, 4);
});
