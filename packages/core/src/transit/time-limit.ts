/**
 * transit_overdue and its warning. The ETA reasons like a dispatcher: the remaining route
 * distance from a fix (route index) at the speed of the road when moving (the observed speed
 * over the recent moving time, stops left out, bounded, for as much road as that window covers;
 * the corridor's planned speed beyond it, or for all of it while too little is known), plus the
 * dwell still budgeted ahead: the authorised stops and the offices
 * of transit (border queues) not yet passed, and what is left of the one the vehicle stands in.
 * A stop therefore does not slow the forecast down by itself: the warning comes when standing
 * still has used up the slack, that is when the limit is really at risk. The warning is
 * reconstructed over time from the fixes (each fix's forecast holds until the next fix), so it
 * starts at the same instant whether the data came live or late.
 */
import type { Timestamp } from '../ids';
import type { AlertType, Area } from '../model';
import { areaCenter, isInArea } from '../geo/area';
import { distanceM } from '../geo/distance';
import type { RouteIndex } from './route-index';
import { fixesOf, msOf, timestampOf, type Fix, type TrackObservation, type TransitEpisode } from './track';

/** A place on the itinerary where waiting is planned: an authorised stop or an office of transit, with its budget. */
export interface DwellBudget {
  area: Area;
  /** Seconds of waiting the itinerary allows there. */
  budgetS: number;
}

/** The time limit, the arrival if any, and the ETA settings (seconds, km/h). */
export interface TimeLimitOptions {
  /** The movement's time limit for arriving at the office of destination. */
  timeLimit: Timestamp;
  /** When the movement arrived (recorded by an officer or detected); null or absent while not arrived, or later than `now`. */
  arrivedAt?: Timestamp | null;
  /** Warn when the ETA plus this many seconds reaches the time limit; default 3600. */
  warningMarginS?: number;
  /** The corridor's planned speed, assumed while too little moving track is known; default 50 km/h. */
  defaultSpeedKmh?: number;
  /** Places ahead where waiting is planned (authorised stops, border queues), each adding its budget to the ETA. */
  dwells?: readonly DwellBudget[];
  /** A step between two fixes slower than this (km/h) is standing still, left out of the moving speed; default 5. */
  movingMinKmh?: number;
  /** Bounds of the observed speed, km/h; defaults 10 and 90. */
  minSpeedKmh?: number;
  maxSpeedKmh?: number;
  /** Seconds of moving time before a fix that make its observed speed; default 3 h. */
  speedWindowS?: number;
  /** The observed speed is used once at least this many seconds of moving time are known; default 900. */
  minSpeedSampleS?: number;
}

/** A forecast made at one fix. */
export interface EtaForecast {
  /** Time of the fix the forecast is made from. */
  from: Timestamp;
  /** Estimated arrival: the fix time plus remaining distance over speed plus the dwell budget ahead (never before the evaluation time in `forecastEta`). */
  eta: Timestamp;
  /** Metres left along the route from the fix's nearest route point, plus its distance from the route. */
  remainingM: number;
  /** The speed of the road when moving: observed (stops left out) or the corridor's planned speed. */
  speedKmh: number;
  speedSource: 'observed' | 'default';
  /** Seconds of planned waiting still ahead (authorised stops, border queues), included in the ETA. */
  dwellS: number;
}

/** What a transit_overdue episode reports: `warning` ahead of the limit, `overdue` after it. */
export interface TransitOverdueDetails {
  level: 'warning' | 'overdue';
  timeLimit: Timestamp;
  warningMarginS: number;
  /** For a warning: the forecast in force when it started (absent when no fix or route gave one). */
  forecast?: EtaForecast;
}

/** A transit_overdue warning or overdue period. */
export type TransitOverdueEpisode = TransitEpisode<Extract<AlertType, 'transit_overdue'>, TransitOverdueDetails>;

/** The forecast of every fix, oldest first; none without a route. */
function forecasts(
  route: RouteIndex | null,
  fixes: readonly Fix[],
  o: TimeLimitOptions,
): Array<EtaForecast & { t: number; etaMs: number }> {
  if (!route) return [];
  const windowMs = (o.speedWindowS ?? 3 * 3600) * 1000,
    minSampleMs = (o.minSpeedSampleS ?? 900) * 1000;
  const [lo, hi, fallback, movingMin] = [o.minSpeedKmh ?? 10, o.maxSpeedKmh ?? 90, o.defaultSpeedKmh ?? 50, o.movingMinKmh ?? 5];
  // Running totals of distance and time over the moving steps only (a step slower than
  // `movingMin` is standing still: a stop, a queue, GNSS jitter while parked).
  const movedM = [0],
    movingMs = [0];
  for (let i = 1; i < fixes.length; i++) {
    const d = distanceM(fixes[i - 1], fixes[i]),
      dt = fixes[i].t - fixes[i - 1].t;
    const moving = dt > 0 && (d / dt) * 3600 >= movingMin;
    movedM.push(movedM[i - 1] + (moving ? d : 0));
    movingMs.push(movingMs[i - 1] + (moving ? dt : 0));
  }
  const dwells = (o.dwells ?? []).map((d) => ({ ...d, alongM: route.nearest(areaCenter(d.area)).alongM }));
  const out: Array<EtaForecast & { t: number; etaMs: number }> = [];
  let j = 0;
  // Since when the vehicle has been inside each dwell area, while it stays there.
  const enteredAt = new Map<number, number>();
  for (let i = 0; i < fixes.length; i++) {
    const f = fixes[i];
    while (movingMs[i] - movingMs[j] > windowMs) j++;
    const sampleMs = movingMs[i] - movingMs[j];
    const observed = sampleMs >= minSampleMs && sampleMs > 0;
    const speedKmh = observed ? Math.min(hi, Math.max(lo, ((movedM[i] - movedM[j]) / sampleMs) * 3600)) : fallback;
    const m = route.nearest(f);
    const remainingM = Math.max(0, route.lengthM - m.alongM) + m.distanceM;
    let dwellMs = 0;
    dwells.forEach((d, k) => {
      if (isInArea(f, d.area)) {
        const since = enteredAt.get(k) ?? f.t;
        enteredAt.set(k, since);
        dwellMs += Math.max(0, d.budgetS * 1000 - (f.t - since));
      } else {
        enteredAt.delete(k);
        if (d.alongM > m.alongM) dwellMs += d.budgetS * 1000;
      }
    });
    // The road just ahead goes at the observed speed (as much of it as the window covers), the
    // rest at the corridor's planned speed: a crawl in traffic says little about the far side.
    const nearM = observed ? Math.min(remainingM, (speedKmh / 3.6) * (windowMs / 1000)) : remainingM;
    const driveMs = (nearM / (speedKmh / 3.6) + (remainingM - nearM) / (fallback / 3.6)) * 1000;
    const etaMs = f.t + driveMs + dwellMs;
    out.push({
      t: f.t,
      etaMs,
      from: f.time,
      eta: timestampOf(etaMs),
      remainingM,
      speedKmh,
      speedSource: observed ? 'observed' : 'default',
      dwellS: dwellMs / 1000,
    });
  }
  return out;
}

/**
 * The ETA at `now` from the last fix at or before it, not earlier than `now` (a vehicle not
 * yet seen at the destination arrives at the soonest now). Null without a route or a fix.
 */
export function forecastEta(
  route: RouteIndex | null,
  observations: readonly TrackObservation[],
  now: Timestamp,
  options: TimeLimitOptions,
): EtaForecast | null {
  const nowMs = msOf(now);
  const all = forecasts(
    route,
    fixesOf(observations).filter((f) => f.t <= nowMs),
    options,
  );
  const last = all[all.length - 1];
  if (!last) return null;
  const { t: _t, etaMs, ...forecast } = last;
  return { ...forecast, eta: timestampOf(Math.max(etaMs, nowMs)) };
}

/**
 * The transit_overdue episodes at `now`: a warning while the ETA plus the margin reaches the
 * time limit (from the fix whose forecast says so, or from limit − margin at the latest; it
 * ends when a later forecast clears it, at arrival, or at the limit), then the overdue itself
 * from the time limit to arrival (end null while not arrived). Nothing after an arrival at or
 * before the limit. Observations after `now` are ignored.
 */
export function transitOverdue(
  route: RouteIndex | null,
  observations: readonly TrackObservation[],
  now: Timestamp,
  options: TimeLimitOptions,
): TransitOverdueEpisode[] {
  const limit = msOf(options.timeLimit),
    nowMs = msOf(now);
  const marginS = options.warningMarginS ?? 3600,
    warnFrom = limit - marginS * 1000;
  const arrivedMs = options.arrivedAt && msOf(options.arrivedAt) <= nowMs ? msOf(options.arrivedAt) : Infinity;
  const horizon = Math.min(nowMs, arrivedMs, limit);
  const fs = forecasts(
    route,
    fixesOf(observations).filter((f) => f.t <= horizon),
    options,
  );
  const details = (forecast: (typeof fs)[number] | undefined, startMs: number): TransitOverdueDetails => {
    const base = { level: 'warning' as const, timeLimit: options.timeLimit, warningMarginS: marginS };
    if (!forecast) return base;
    const { t: _t, etaMs, ...rest } = forecast;
    return { ...base, forecast: { ...rest, eta: timestampOf(Math.max(etaMs, startMs)) } };
  };

  const episodes: TransitOverdueEpisode[] = [];
  let open: { startMs: number; details: TransitOverdueDetails } | null = null;
  const close = (endMs: number | null) => {
    if (open)
      episodes.push({
        type: 'transit_overdue',
        start: timestampOf(open.startMs),
        end: endMs === null ? null : timestampOf(endMs),
        details: open.details,
      });
    open = null;
  };
  // Between fix k and fix k + 1, warn(t) = max(eta_k, t) + margin >= limit: true throughout
  // when eta_k says so, otherwise from limit − margin on. Before the first fix eta is unknown.
  for (let k = -1; k < fs.length; k++) {
    const segStart = k < 0 ? -Infinity : fs[k].t;
    const segEnd = k + 1 < fs.length ? fs[k + 1].t : horizon;
    if (segStart >= horizon) break;
    const f = k < 0 ? undefined : fs[k];
    if (f && f.etaMs + marginS * 1000 >= limit) {
      open ??= { startMs: segStart, details: details(f, segStart) };
    } else if (segStart < warnFrom) {
      close(segStart);
      if (warnFrom < segEnd) open = { startMs: warnFrom, details: details(f, warnFrom) };
    } else {
      open ??= { startMs: segStart, details: details(f, segStart) };
    }
  }
  close(nowMs < limit && nowMs < arrivedMs ? null : horizon);

  if (nowMs > limit && arrivedMs > limit) {
    episodes.push({
      type: 'transit_overdue',
      start: options.timeLimit,
      end: arrivedMs === Infinity ? null : timestampOf(arrivedMs),
      details: { level: 'overdue', timeLimit: options.timeLimit, warningMarginS: marginS },
    });
  }
  return episodes;
}
