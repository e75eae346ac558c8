/**
 * KPIs summed by the store in one query per grouping (RiskStore.kpiAggregates), on SQLite and on
 * PostgreSQL, at a few thousand assessments: the same rows as core's computeKpis over the records,
 * for every period kind, with and without an office, within a time window; overridden movements
 * count once, with their latest lane.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asMovementId,
  asOfficeCode,
  computeKpis,
  defaultRiskProfile,
  deriveRiskFacts,
  lanes,
  mulberry32,
  scoreMovement,
  selectLane,
  toTimestamp,
  type ClearanceRecord,
  type InspectionResult,
  type KpiPeriod,
  type KpiRow,
  type Lane,
  type Movement,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { RiskAnalytics } from './risk-analytics';
import type { RiskService } from './risk.service';

const N = 3000;
const offices = ['KEMBA', 'UGMAL', 'RWKGL'];
// 2025-12-20 … 2027-01-10: ISO weeks whose year differs from the calendar year at both ends.
const start = Date.UTC(2025, 11, 20),
  span = 387 * 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'sealwatch-kpis-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Planned {
  movement: Movement;
  office: string;
  decisions: { at: Timestamp; lane: Lane; baseline: Lane }[];
  result: InspectionResult | null;
}

/** A reproducible fleet of decided movements: lanes, baselines, overrides, inspections, clearance times with milliseconds. */
function plan(): Planned[] {
  const rnd = mulberry32(20261126);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: Planned[] = [];
  for (let i = 0; i < N; i++) {
    const decided = start + Math.floor(rnd() * span);
    const arrived = decided - Math.floor(rnd() * 600_000);
    const ended = rnd() < 0.75 ? arrived + Math.floor(rnd() * 86_400_000) : null;
    const office = pick(offices);
    const id = asMovementId(`KPI-${String(i).padStart(5, '0')}`);
    const movement: Movement = {
      id,
      reference: `MRN-KPI-${i}`,
      container: null,
      vehicle: null,
      trader: `org-${i % 17}`,
      devices: [],
      seals: [],
      departureOffice: asOfficeCode('KEMBA'),
      destinationOffice: asOfficeCode(office),
      route: null,
      corridorWidthM: 2000,
      authorizedStops: [],
      timeLimit: null,
      sensorThresholds: [],
      checkpoints: [],
      hsChapter: null,
      originCountry: null,
      status: ended ? 'ended' : 'arrived',
      createdAt: toTimestamp(arrived - 86_400_000),
      startedAt: toTimestamp(arrived - 80_000_000),
      arrivedAt: toTimestamp(arrived),
      endedAt: ended === null ? null : toTimestamp(ended),
      updatedAt: toTimestamp(ended ?? arrived),
    };
    const decisions = [{ at: toTimestamp(decided), lane: pick(lanes), baseline: pick(lanes) }];
    // Some are re-routed later (possibly into the next period): only the latest revision counts.
    if (rnd() < 0.1)
      decisions.push({ at: toTimestamp(decided + Math.floor(rnd() * 3 * 86_400_000)), lane: pick(lanes), baseline: decisions[0].baseline });
    const result = rnd() < 0.5 ? pick(['nothing_found', 'nothing_found', 'irregularity', 'seizure'] as const) : null;
    out.push({ movement, office, decisions, result });
  }
  return out;
}

const fleet = plan();

async function fill(store: Store): Promise<void> {
  const facts = deriveRiskFacts({
    trader: { aeo: false, movements: 10, inspections: 0, irregularities: 0 },
    movement: { routeRisk: 'low', originRisk: 'low', hsChapter: null, routeMismatchM: null, routeOffShare: null },
    alerts: [],
    trust: { signed: 1, vendor: 0, passive: 0 },
  });
  const score = scoreMovement(facts, defaultRiskProfile);
  const base = selectLane(score, defaultRiskProfile, facts, mulberry32(1));
  for (let i = 0; i < fleet.length; i += 100) {
    await Promise.all(
      fleet.slice(i, i + 100).map(async (p, j) => {
        await store.movements.create(p.movement);
        for (const [k, d] of p.decisions.entries()) {
          await store.risk.addAssessment({
            id: `RA-${i + j}-${k}`,
            movement: p.movement.id,
            trader: p.movement.trader,
            office: asOfficeCode(p.office),
            cause: k ? 'override' : 'arrival',
            facts,
            score,
            decision: { ...base, lane: d.lane, baselineLane: d.baseline },
            profileVersion: 1,
            seed: 1,
            decidedAt: d.at,
            decidedBy: 'system',
          });
        }
        if (p.result) {
          const last = p.decisions.at(-1)!;
          await store.risk.saveInspection({
            movement: p.movement.id,
            trader: p.movement.trader,
            office: p.office,
            lane: last.lane,
            reason: 'score',
            fired: [],
            profileVersion: 1,
            result: p.result,
            comment: null,
            by: 'officer',
            at: last.at,
          });
        }
      }),
    );
  }
}

function expected(period: KpiPeriod, office?: string, window: { from?: number; to?: number } = {}): KpiRow[] {
  const records: ClearanceRecord[] = [];
  for (const p of fleet) {
    const last = p.decisions.at(-1)!;
    const t = Date.parse(last.at);
    if ((office && p.office !== office) || (window.from !== undefined && t < window.from) || (window.to !== undefined && t >= window.to))
      continue;
    const { arrivedAt, endedAt } = p.movement;
    records.push({
      office: p.office,
      decidedAt: last.at,
      lane: last.lane,
      baselineLane: last.baseline,
      result: p.result,
      clearanceTimeS: arrivedAt && endedAt ? Math.max(0, (Date.parse(endedAt) - Date.parse(arrivedAt)) / 1000) : null,
    });
  }
  return computeKpis(records, period, { totals: !office });
}

/** Equal rows, floating values to 1e-9 relative (the database adds them in another order). */
function assertSameRows(got: KpiRow[], want: KpiRow[], label: string): void {
  const near = (a: unknown, b: unknown): boolean =>
    typeof a === 'number' && typeof b === 'number'
      ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
      : a && b && typeof a === 'object' && typeof b === 'object'
        ? Object.keys(a).length === Object.keys(b).length &&
          Object.keys(a).every((k) => near((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
        : a === b;
  assert.equal(got.length, want.length, `${label}: row count`);
  got.forEach((row, i) => assert.ok(near(row, want[i]), `${label}: row ${i}\n${JSON.stringify(row)}\n${JSON.stringify(want[i])}`));
}

function kpiSuite(label: string, open: () => Promise<Store>): void {
  describe(`KPIs from the store's query (${label}, ${N} movements)`, () => {
    let store: Store;
    let analytics: RiskAnalytics;
    const ready = (async () => {
      store = await open();
      await fill(store);
      analytics = new RiskAnalytics({ store, risk: {} as RiskService });
    })();
    after(async () => {
      await ready.catch(() => undefined);
      await store?.close();
    });

    test('per office and every period kind, with totals, equal to computeKpis over the records', async () => {
      await ready;
      for (const period of ['day', 'week', 'month', 'quarter', 'year'] as const) {
        const got = await analytics.kpis(period);
        assertSameRows(got, expected(period), period);
      }
      const years = await analytics.kpis('year');
      assert.deepEqual(
        years.filter((r) => r.office === '*').map((r) => r.period),
        ['2025', '2026', '2027'],
      );
      assert.equal(
        years.filter((r) => r.office === '*').reduce((n, r) => n + r.movements, 0),
        N,
      );
      assert.ok(
        (await analytics.kpis('week')).some((r) => r.period === '2026-W53'),
        'ISO week 53 of 2026 (it ends on 2027-01-03)',
      );
    });

    test('one office, and a time window, give the same rows as the records filtered', async () => {
      await ready;
      assertSameRows(await analytics.kpis('month', 'UGMAL'), expected('month', 'UGMAL'), 'UGMAL');
      const from = Date.UTC(2026, 3, 1),
        to = Date.UTC(2026, 6, 1);
      assertSameRows(
        await analytics.kpis('quarter', undefined, { from: toTimestamp(from), to: toTimestamp(to) }),
        expected('quarter', undefined, { from, to }),
        'window',
      );
      assert.deepEqual(await analytics.kpis('month', 'NOWHERE'), []);
    });
  });
}

// NORMAL: a test fleet need not wait for an fsync per row.
kpiSuite('sqlite', () => openSqliteStore({ file: join(dir, 'kpis.db'), synchronous: 'NORMAL' }));
kpiSuite('postgresql', () =>
  openPostgresStore({
    url: process.env.SEALWATCH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema: `sw_test_${randomBytes(6).toString('hex')}`,
    poolSize: 8,
    dropSchemaOnClose: true,
  }),
);
