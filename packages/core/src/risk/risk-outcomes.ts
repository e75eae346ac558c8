/**
 * Inspection outcomes and the numbers a risk analyst watches (standards §6, "evaluate, treat,
 * monitor"): hit rates per indicator, per lane and per selection reason, and KPIs per office and
 * period (inspection rate, hit rate, clearance time, inspections avoided). Pure: plain records in.
 */
import type { Timestamp } from '../ids';
import type { Lane } from './risk-profile';
import { lanes } from './risk-profile';
import type { LaneDecision, RiskScore } from './risk-score';

/** What an officer found: a hit is an irregularity or a seizure. */
export const inspectionResults = ['nothing_found', 'irregularity', 'seizure'] as const;
/** An inspection's result, as the officer records it. */
export type InspectionResult = (typeof inspectionResults)[number];
/** True for an irregularity or a seizure. */
export const isHit = (r: InspectionResult): boolean => r !== 'nothing_found';

/** One recorded inspection, with what the engine knew when it selected the movement. */
export interface InspectionOutcome {
  movement: string;
  office: string;
  lane: Lane;
  reason: LaneDecision['reason'];
  /** Codes of the indicators that fired in the score the lane was decided on. */
  fired: string[];
  profileVersion: number;
  result: InspectionResult;
  by: string;
  at: Timestamp;
}

/** Builds the outcome record of an inspection from the decision and score it followed. */
export function recordInspection(
  movement: string,
  office: string,
  score: RiskScore,
  decision: LaneDecision,
  found: { result: InspectionResult; by: string; at: Timestamp },
): InspectionOutcome {
  const fired = score.indicators.filter((r) => r.fired).map((r) => r.code);
  return { movement, office, lane: decision.lane, reason: decision.reason, fired, profileVersion: score.profileVersion, ...found };
}

/** Inspections and hits of one group; `hitRate` is hits / inspections, null without inspections. */
export interface HitRate {
  inspections: number;
  hits: number;
  seizures: number;
  hitRate: number | null;
}

const emptyRate = (): HitRate => ({ inspections: 0, hits: 0, seizures: 0, hitRate: null });
function add(r: HitRate, result: InspectionResult): void {
  r.inspections++;
  if (isHit(result)) r.hits++;
  if (result === 'seizure') r.seizures++;
  r.hitRate = r.hits / r.inspections;
}

/**
 * Hit rates of recorded inspections: overall, per lane (all four present), per selection reason
 * (the random ones are the unbiased baseline) and per indicator that fired (sorted by code).
 */
export function hitRates(outcomes: readonly InspectionOutcome[]): {
  overall: HitRate;
  byLane: Record<Lane, HitRate>;
  byReason: Record<LaneDecision['reason'], HitRate>;
  byIndicator: ({ code: string } & HitRate)[];
} {
  const overall = emptyRate();
  const byLane = Object.fromEntries(lanes.map((l) => [l, emptyRate()])) as Record<Lane, HitRate>;
  const byReason = { forced: emptyRate(), score: emptyRate(), random: emptyRate(), override: emptyRate() };
  const byIndicator = new Map<string, HitRate>();
  for (const o of outcomes) {
    add(overall, o.result);
    add(byLane[o.lane], o.result);
    add(byReason[o.reason], o.result);
    for (const code of new Set(o.fired)) {
      if (!byIndicator.has(code)) byIndicator.set(code, emptyRate());
      add(byIndicator.get(code)!, o.result);
    }
  }
  const list = [...byIndicator].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, r]) => ({ code, ...r }));
  return { overall, byLane, byReason, byIndicator: list };
}

/** One movement's clearance at an office: the lane decided, what the static profile alone would have decided, the result and the time to release. */
export interface ClearanceRecord {
  office: string;
  /** When the lane was decided (arrival), UTC. */
  decidedAt: Timestamp;
  lane: Lane;
  baselineLane: Lane;
  /** Null when not inspected, or the result is not recorded yet. */
  result: InspectionResult | null;
  /** Seconds from arrival to release; null while not released. */
  clearanceTimeS: number | null;
}

/** The UTC period KPIs are grouped by. */
export type KpiPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** The UTC period of a time: 2026-11-26, 2026-W48 (ISO 8601 week), 2026-11, 2026-Q4, 2026. */
export function periodKey(t: Timestamp, period: KpiPeriod): string {
  const iso = new Date(t).toISOString();
  if (period === 'day') return iso.slice(0, 10);
  if (period === 'month') return iso.slice(0, 7);
  if (period === 'year') return iso.slice(0, 4);
  const d = new Date(iso.slice(0, 10) + 'T00:00:00Z');
  if (period === 'quarter') return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - weekday + 3); // the Thursday of this week decides its year
  const week = 1 + Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** KPIs of one office (or '*' for all) in one period. Rates are 0..1, null when undefined; times in seconds. */
export interface KpiRow {
  office: string;
  period: string;
  movements: number;
  lanes: Record<Lane, number>;
  /** Red and yellow: movements held for a physical or documentary check. */
  inspections: number;
  inspectionRate: number;
  /** Hits over inspections with a recorded result. */
  hitRate: number | null;
  clearanceMeanS: number | null;
  clearanceMedianS: number | null;
  /** Released (blue or green) although the static profile alone would have sent them to red or yellow. */
  inspectionsAvoided: number;
}

/** KPIs per office and period, sorted by office then period; with `totals`, rows for office '*' too. */
export function computeKpis(records: readonly ClearanceRecord[], period: KpiPeriod, options: { totals?: boolean } = {}): KpiRow[] {
  const groups = new Map<string, ClearanceRecord[]>();
  for (const r of records) {
    const p = periodKey(r.decidedAt, period);
    for (const office of options.totals ? [r.office, '*'] : [r.office]) {
      const key = JSON.stringify([office, p]);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(r);
    }
  }
  const held = (l: Lane) => l === 'red' || l === 'yellow';
  const rows = [...groups].map(([key, rs]): KpiRow => {
    const [office, p] = JSON.parse(key) as [string, string];
    const counts = Object.fromEntries(lanes.map((l) => [l, rs.filter((r) => r.lane === l).length])) as Record<Lane, number>;
    const inspections = counts.red + counts.yellow;
    const judged = rs.filter((r) => held(r.lane) && r.result !== null);
    const times = rs
      .map((r) => r.clearanceTimeS)
      .filter((s): s is number => s !== null && Number.isFinite(s))
      .sort((a, b) => a - b);
    const mid = times.length >> 1;
    return {
      office,
      period: p,
      movements: rs.length,
      lanes: counts,
      inspections,
      inspectionRate: inspections / rs.length,
      hitRate: judged.length ? judged.filter((r) => isHit(r.result!)).length / judged.length : null,
      clearanceMeanS: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
      clearanceMedianS: times.length ? (times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2) : null,
      inspectionsAvoided: rs.filter((r) => held(r.baselineLane) && !held(r.lane)).length,
    };
  });
  return rows.sort((a, b) => (a.office === b.office ? (a.period < b.period ? -1 : 1) : a.office < b.office ? -1 : 1));
}

/**
 * The sums a store computes per office and period in one query (so KPIs never load every
 * assessment): movements per lane, held movements with a recorded result and their hits,
 * released movements the static profile alone would have held, and clearance-time mean and median.
 */
export interface KpiAggregate {
  office: string;
  period: string;
  lanes: Record<Lane, number>;
  /** Red or yellow movements whose inspection result is recorded. */
  judged: number;
  /** Of those, results that were an irregularity or a seizure. */
  hits: number;
  inspectionsAvoided: number;
  clearanceMeanS: number | null;
  clearanceMedianS: number | null;
}

/** The KPI row of a store's aggregate: the same numbers `computeKpis` gives over the records. */
export function kpiRowOf(a: KpiAggregate): KpiRow {
  const movements = lanes.reduce((n, l) => n + a.lanes[l], 0);
  const inspections = a.lanes.red + a.lanes.yellow;
  return {
    office: a.office,
    period: a.period,
    movements,
    lanes: a.lanes,
    inspections,
    inspectionRate: movements ? inspections / movements : 0,
    hitRate: a.judged ? a.hits / a.judged : null,
    clearanceMeanS: a.clearanceMeanS,
    clearanceMedianS: a.clearanceMedianS,
    inspectionsAvoided: a.inspectionsAvoided,
  };
}

/**
 * The totals of some offices' aggregates per period, as office `*`: each movement is counted at
 * one office, so lanes, judged, hits and inspections avoided add up exactly. The clearance mean and
 * median of the offices together cannot be derived from theirs: they are null (shown per office).
 */
export function totalKpiAggregates(rows: readonly KpiAggregate[]): KpiAggregate[] {
  const byPeriod = new Map<string, KpiAggregate>();
  for (const r of rows) {
    const t = byPeriod.get(r.period) ?? {
      office: '*',
      period: r.period,
      lanes: { red: 0, yellow: 0, blue: 0, green: 0 },
      judged: 0,
      hits: 0,
      inspectionsAvoided: 0,
      clearanceMeanS: null,
      clearanceMedianS: null,
    };
    for (const l of lanes) t.lanes[l] += r.lanes[l];
    t.judged += r.judged;
    t.hits += r.hits;
    t.inspectionsAvoided += r.inspectionsAvoided;
    byPeriod.set(r.period, t);
  }
  return [...byPeriod.values()];
}

/** Sorts KPI rows as `computeKpis` does: by office, then period. */
export function sortKpiRows(rows: KpiRow[]): KpiRow[] {
  return rows.sort((a, b) =>
    a.office === b.office ? (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) : a.office < b.office ? -1 : 1,
  );
}
