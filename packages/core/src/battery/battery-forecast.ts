/**
 * battery_insufficient: will a device's charge last to the end of the trip? The
 * discharge rate (% per hour) is estimated robustly from the device's own battery history since
 * its last charge (Theil–Sen over a recent window), or taken from a per-kind default while the
 * history is short (at departure). A function of the readings, the ETA and `now`: the readings
 * may arrive in any order.
 */
import type { Timestamp } from '../ids';
import type { AlertType, DeviceKind } from '../model';
import { msOf, timestampOf, type TransitEpisode } from '../transit/track';

/** What the forecast reads of an observation; a stored `Observation` fits as it is. */
export interface BatteryObservation {
  time: Timestamp;
  battery?: { level?: number; voltage?: number } | null;
}

/**
 * Planning discharge rates in % per hour by device kind, used until a device has enough
 * history of its own. Conservative figures for a device reporting every few minutes; override
 * them with the vendor's. Passive tags have no battery and readers are mains-powered: 0.
 */
export const DEFAULT_DISCHARGE_PCT_PER_H: Readonly<Record<DeviceKind, number>> = {
  e_lock: 0.6,
  tracker: 0.4,
  container_sensor: 0.2,
  e_seal: 0.05,
  rfid_seal: 0,
  reader: 0,
};

/** Settings of the rate estimate and of the insufficiency rule (hours and %). */
export interface BatteryForecastOptions {
  /** Hours of history (before the last reading) the rate is estimated from; default 24. */
  windowH?: number;
  /** The observed rate is used once the window spans this many hours; default 2. */
  minSampleH?: number;
  /** ...and holds this many readings; default 3. */
  minReadings?: number;
  /** A rise of more than this many % over an earlier reading is a charge: history before it is dropped; default 3. */
  chargeJumpPct?: number;
  /** Rate used while the history is short; default `DEFAULT_DISCHARGE_PCT_PER_H[kind]`. */
  defaultRatePctPerH?: number;
  /** Level, %, at which the device stops working; default 0. */
  reservePct?: number;
  /** Margin after the ETA, as a fraction of the remaining trip time; default 0.2. */
  marginFraction?: number;
  /** ...but at least this many hours; default 6. The larger of the two is used. */
  minMarginH?: number;
}

/** A discharge rate and where it came from. */
export interface DischargeEstimate {
  /** % per hour, ≥ 0 (a rising or flat history gives 0). */
  ratePctPerH: number;
  source: 'observed' | 'default';
  /** The latest reading, % and time. */
  level: number;
  levelAt: Timestamp;
  /** First reading of the current discharge (after the last charge). */
  dischargeSince: Timestamp;
  /** Readings in the estimation window. */
  readings: number;
}

const H = 3_600_000;
const MAX_POINTS = 200;

/** The battery readings (finite levels 0..100) at or before `now`, by time then level. */
function readingsOf(observations: readonly BatteryObservation[], now: number): Array<{ t: number; level: number }> {
  const out: Array<{ t: number; level: number }> = [];
  for (const o of observations) {
    const level = o.battery?.level;
    const t = msOf(o.time);
    if (typeof level === 'number' && Number.isFinite(level) && level >= 0 && level <= 100 && t <= now) out.push({ t, level });
  }
  return out.sort((a, b) => a.t - b.t || a.level - b.level);
}

/**
 * The discharge rate at `now` from the readings since the last charge: a reading more than
 * `chargeJumpPct` below any later one marks a charge, and history up to it is dropped. Over the
 * last `windowH` of the discharge, the rate is the median slope of the pairs of readings at
 * least half the window's span apart (Theil–Sen on long baselines only, so the 1 % steps of
 * integer levels do not pull the median to zero; at most 200 evenly spaced readings are used).
 * Too short a history gives the default rate. Null without any level reading.
 */
export function estimateDischargeRate(
  kind: DeviceKind,
  observations: readonly BatteryObservation[],
  now: Timestamp,
  options: BatteryForecastOptions = {},
): DischargeEstimate | null {
  const all = readingsOf(observations, msOf(now));
  if (all.length === 0) return null;
  const jump = options.chargeJumpPct ?? 3;
  let from = all.length - 1,
    peak = all[from].level;
  while (from > 0 && all[from - 1].level >= peak - jump) peak = Math.max(peak, all[--from].level);
  const last = all[all.length - 1];
  const windowStart = last.t - (options.windowH ?? 24) * H;
  const window = all.slice(from).filter((r) => r.t >= windowStart);
  const span = last.t - window[0].t;
  const base = { level: last.level, levelAt: timestampOf(last.t), dischargeSince: timestampOf(all[from].t), readings: window.length };
  if (span < (options.minSampleH ?? 2) * H || window.length < (options.minReadings ?? 3)) {
    return { ...base, ratePctPerH: options.defaultRatePctPerH ?? DEFAULT_DISCHARGE_PCT_PER_H[kind], source: 'default' };
  }
  const stride = Math.ceil(window.length / MAX_POINTS);
  const pts = window.filter((_, i) => i % stride === 0 || i === window.length - 1);
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      if (pts[j].t - pts[i].t >= span / 2) slopes.push(((pts[j].level - pts[i].level) * H) / (pts[j].t - pts[i].t));
    }
  }
  slopes.sort((a, b) => a - b);
  const m = slopes.length >> 1;
  const median = slopes.length % 2 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2;
  return { ...base, ratePctPerH: Math.max(0, -median), source: 'observed' };
}

/** A forecast of the charge left: the estimate, the level projected to `now`, and when it runs out. */
export interface BatteryForecast extends DischargeEstimate {
  /** Level projected to `now` at the rate, %, not below 0. */
  levelNow: number;
  /** Hours from `now` until the reserve is reached; null when the rate is 0 (no end in sight). */
  hoursLeft: number | null;
  /** When the reserve is reached: last reading + (level − reserve) / rate; null when the rate is 0. */
  emptyAt: Timestamp | null;
}

/** The charge forecast at `now` (see `estimateDischargeRate`); null without any level reading. */
export function forecastBattery(
  kind: DeviceKind,
  observations: readonly BatteryObservation[],
  now: Timestamp,
  options: BatteryForecastOptions = {},
): BatteryForecast | null {
  const e = estimateDischargeRate(kind, observations, now, options);
  if (!e) return null;
  const reserve = options.reservePct ?? 0,
    nowMs = msOf(now),
    lastMs = msOf(e.levelAt);
  const levelNow = Math.max(0, e.level - (e.ratePctPerH * (nowMs - lastMs)) / H);
  if (!(e.ratePctPerH > 0)) return { ...e, levelNow, hoursLeft: null, emptyAt: null };
  const emptyMs = lastMs + ((e.level - reserve) / e.ratePctPerH) * H;
  return { ...e, levelNow, hoursLeft: Math.max(0, (emptyMs - nowMs) / H), emptyAt: timestampOf(emptyMs) };
}

/** What a battery_insufficient episode reports. */
export interface BatteryInsufficientDetails {
  level: number;
  levelAt: Timestamp;
  ratePctPerH: number;
  rateSource: 'observed' | 'default';
  emptyAt: Timestamp;
  eta: Timestamp;
  /** Hours of margin after the ETA the charge had to last. */
  marginH: number;
  /** ETA + margin. */
  requiredUntil: Timestamp;
}

/** A battery_insufficient: from the first reading of the current discharge that was already short, open while short. */
export type BatteryInsufficientEpisode = TransitEpisode<Extract<AlertType, 'battery_insufficient'>, BatteryInsufficientDetails>;

/**
 * battery_insufficient at `now` for one device: the forecast runs out before the ETA plus a
 * margin of max(`marginFraction` × (ETA − now), `minMarginH`) — by default the larger of 20 %
 * of the remaining trip time and 6 h. Usable at departure (`now` = departure, ETA from the
 * time limit or `forecastEta`; the default rate applies to a short history) and in transit.
 * Returns at most one ongoing episode (`end` null). Its start is the first reading of the
 * trailing run, within the current discharge, of readings that were short at the current rate
 * (so it stays put from one evaluation to the next); a charge that makes it last again ends it
 * by making it disappear.
 */
export function batteryInsufficient(
  kind: DeviceKind,
  observations: readonly BatteryObservation[],
  now: Timestamp,
  eta: Timestamp,
  options: BatteryForecastOptions = {},
): BatteryInsufficientEpisode[] {
  const f = forecastBattery(kind, observations, now, options);
  const nowMs = msOf(now);
  const marginH = Math.max(((options.marginFraction ?? 0.2) * Math.max(0, msOf(eta) - nowMs)) / H, options.minMarginH ?? 6);
  const deadline = Math.max(msOf(eta), nowMs) + marginH * H;
  if (!f || f.emptyAt === null || msOf(f.emptyAt) >= deadline) return [];
  const reserve = options.reservePct ?? 0,
    rate = f.ratePctPerH;
  const short = (r: { t: number; level: number }) => r.level - reserve < (rate * (deadline - r.t)) / H;
  const discharge = readingsOf(observations, nowMs).filter((r) => r.t >= msOf(f.dischargeSince));
  let k = discharge.length - 1;
  while (k > 0 && short(discharge[k - 1])) k--;
  return [
    {
      type: 'battery_insufficient',
      start: timestampOf(discharge[k].t),
      end: null,
      details: {
        level: f.level,
        levelAt: f.levelAt,
        ratePctPerH: rate,
        rateSource: f.source,
        emptyAt: f.emptyAt,
        eta,
        marginH,
        requiredUntil: timestampOf(deadline),
      },
    },
  ];
}
