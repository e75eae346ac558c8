/**
 * Risk facts: the plain record a risk profile's conditions are evaluated over (standards §6,
 * "risk indicators"). Derived from plain inputs: the trader's record, the declared movement,
 * the movement's alerts and the trust of its observations. Pure: no clock, no store.
 */
import type { AlertOutcome, AlertType, DeviceClass, EventType, Trust } from '../model';
import { alertTypes } from '../model';
import { alertSeverity } from '../alerts/alert-rules';

/** A risk level as administrations keep them for routes and origins. */
export type RiskLevel = 'low' | 'medium' | 'high';
/** The risk levels, lowest first. */
export const riskLevels = ['low', 'medium', 'high'] as const;

/** The kind of value each fact holds; conditions are checked against it when a profile is parsed. */
export type FactKind = 'number' | 'boolean' | 'level';

/**
 * Every fact a profile may name, with its kind. A closed set: a profile that names any other
 * fact is rejected. Each alert type is a fact counting that movement's alerts of the type.
 */
export const riskFactKinds = {
  trader_aeo: 'boolean',
  /** Prior movements of the trader (count). */
  trader_movements: 'number',
  /** Prior inspections of the trader that found an irregularity or a seizure (count). */
  trader_irregularities: 'number',
  /** trader_irregularities / trader_inspections, 0 when never inspected (0..1). */
  trader_irregularity_rate: 'number',
  /** Fewer than NEW_TRADER_MOVEMENTS prior movements. */
  trader_new: 'boolean',
  /** Level of the route (departure and destination office pair) in the risk reference. */
  route_risk: 'level',
  /** Level of the goods' origin country in the risk reference. */
  origin_risk: 'level',
  /** Level of the goods' HS chapter in the risk reference. */
  goods_risk: 'level',
  /** Harmonized System chapter of the main goods item, 1..99 (0 when unknown). */
  hs_chapter: 'number',
  /** Greatest distance of the observed track from the declared route, metres. */
  route_mismatch_m: 'number',
  /** Share of the observed track outside the declared corridor, 0..1. */
  route_off_share: 'number',
  ...(Object.fromEntries(alertTypes.map((t) => [t, 'number'])) as Record<AlertType, 'number'>),
  /** Any seal_opened, seal_tampered, rope_cut or unlock_unauthorized. */
  seal_broken: 'boolean',
  /** Observed, and no alert above warning severity (battery warnings do not spoil it): the trip report is clean. */
  clean_trip: 'boolean',
  observation_count: 'number',
  /** Shares of the movement's observations by trust, each 0..1 (all 0 without observations). */
  trust_signed_share: 'number',
  trust_vendor_share: 'number',
  trust_passive_share: 'number',
  /** Every observation is a passive read at a reader (no seal or track data). */
  trust_passive_only: 'boolean',
} as const satisfies Record<string, FactKind>;

/** The name of one risk fact. */
export type RiskFactName = keyof typeof riskFactKinds;
type ValueOf<K extends FactKind> = K extends 'number' ? number : K extends 'boolean' ? boolean : RiskLevel;
/** A movement's risk facts: one value for every fact name. */
export type RiskFacts = { [F in RiskFactName]: ValueOf<(typeof riskFactKinds)[F]> };
/** Every fact name, in declaration order. */
export const riskFactNames = Object.keys(riskFactKinds) as RiskFactName[];

/** A trader with fewer prior movements than this is new (no compliance history to speak of). */
export const NEW_TRADER_MOVEMENTS = 5;

/** The trader's record: AEO status and compliance history counts. */
export interface TraderRecord {
  aeo: boolean;
  movements: number;
  inspections: number;
  /** Inspections that found an irregularity or a seizure. */
  irregularities: number;
}

/** The declared movement and how its observed track compares with the declared route. */
export interface MovementRecord {
  routeRisk: RiskLevel;
  originRisk: RiskLevel;
  /** The HS chapter's level in the risk reference; low when absent. */
  goodsRisk?: RiskLevel;
  /** HS chapter (1..99), null when not declared. */
  hsChapter: number | null;
  /** Metres; null before any position was observed. */
  routeMismatchM: number | null;
  /** 0..1; null before any position was observed. */
  routeOffShare: number | null;
}

/** An alert or event of the movement; alerts resolved as false alarms do not count. */
export interface AlertRecord {
  type: EventType;
  /** Occurrences folded into one alert (Alert.count); 1 when absent. */
  count?: number;
  outcome?: AlertOutcome | null;
}

/** Observation counts by trust: signed = native signed or MAC'd, vendor = unauthenticated vendor protocol, passive = reads of passive tags. */
export interface TrustCounts {
  signed: number;
  vendor: number;
  passive: number;
}

/** Counts observations by trust level: passive-class devices first, then by proof of origin. */
export function countTrust(observations: readonly { trust: Trust; deviceClass: DeviceClass }[]): TrustCounts {
  const c: TrustCounts = { signed: 0, vendor: 0, passive: 0 };
  for (const o of observations) {
    if (o.deviceClass === 'passive') c.passive++;
    else if (o.trust === 'signed' || o.trust === 'hmac') c.signed++;
    else c.vendor++;
  }
  return c;
}

const alertTypeSet = new Set<string>(alertTypes);
const sealBreaks: readonly AlertType[] = ['seal_opened', 'seal_tampered', 'rope_cut', 'unlock_unauthorized'];

/**
 * The risk facts of one movement. Static facts come from `trader` and `movement`; dynamic ones
 * from `alerts` (non-alert event types are ignored) and `trust`. Negative or missing counts are
 * taken as 0; shares are clamped to 0..1.
 */
export function deriveRiskFacts(input: {
  trader: TraderRecord;
  movement: MovementRecord;
  alerts: readonly AlertRecord[];
  trust: TrustCounts;
}): RiskFacts {
  const { trader, movement, trust } = input;
  const counts = Object.fromEntries(alertTypes.map((t) => [t, 0])) as Record<AlertType, number>;
  for (const a of input.alerts) {
    if (!alertTypeSet.has(a.type) || a.outcome === 'false_alarm') continue;
    counts[a.type as AlertType] += Math.max(1, a.count ?? 1);
  }
  const n = nonNegative(trust.signed) + nonNegative(trust.vendor) + nonNegative(trust.passive);
  const share = (k: number) => (n === 0 ? 0 : nonNegative(k) / n);
  const inspections = nonNegative(trader.inspections);
  const movements = nonNegative(trader.movements);
  return {
    trader_aeo: trader.aeo,
    trader_movements: movements,
    trader_irregularities: nonNegative(trader.irregularities),
    trader_irregularity_rate: inspections === 0 ? 0 : Math.min(1, nonNegative(trader.irregularities) / inspections),
    trader_new: movements < NEW_TRADER_MOVEMENTS,
    route_risk: movement.routeRisk,
    origin_risk: movement.originRisk,
    goods_risk: movement.goodsRisk ?? 'low',
    hs_chapter: movement.hsChapter ?? 0,
    route_mismatch_m: nonNegative(movement.routeMismatchM ?? 0),
    route_off_share: Math.min(1, nonNegative(movement.routeOffShare ?? 0)),
    ...counts,
    seal_broken: sealBreaks.some((t) => counts[t] > 0),
    clean_trip: n > 0 && alertTypes.every((t) => counts[t] === 0 || alertSeverity[t] === 'warning'),
    observation_count: n,
    trust_signed_share: share(trust.signed),
    trust_vendor_share: share(trust.vendor),
    trust_passive_share: share(trust.passive),
    trust_passive_only: n > 0 && nonNegative(trust.passive) === n,
  };
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}
