/**
 * Offices and borders: entering and leaving office areas, crossing into another
 * country, and arrival detected at the office of destination. Each change is placed at the
 * first observation on the new side; hysteresis (a margin for offices, a distance travelled for
 * borders) keeps GNSS jitter at an edge from producing a flurry of enter/leave facts.
 */
import type { OfficeCode, Timestamp } from '../ids';
import type { Area, LatLon, Office } from '../model';
import { isInArea } from '../geo/area';
import { EARTH_RADIUS_M, distanceM } from '../geo/distance';
import { fixesOf, type Fix, type TrackObservation, type TransitEpisode, type TransitFact } from './track';

/** The office fields the area rules read. */
export type OfficeArea = Pick<Office, 'code' | 'country' | 'area'>;

/** Hysteresis of the office rules, in metres. */
export interface AreaOptions {
  /** Metres inside the edge a fix (less its accuracy) must be to confirm entering; default 0. */
  enterMarginM?: number;
  /** Metres outside the edge a fix (less its accuracy) must be to confirm leaving; default 50. */
  exitMarginM?: number;
}

/** What an office visit reports. */
export interface OfficeVisitDetails {
  office: OfficeCode;
  country: string;
  /** The last fix inside the area. */
  lastSeenAt: Timestamp;
  /** Seconds from entering to the last fix inside. */
  dwellS: number;
}

/** A stay in an office area: `start` is the first fix inside, `end` the first fix outside (null while there). */
export type OfficeVisit = TransitEpisode<'office_visit', OfficeVisitDetails>;

/**
 * Signed distance in metres from a point to the edge of an area: negative inside, positive
 * outside. Polygon edges are measured in a plane tangent at the point (areas of a few km).
 */
export function signedDistanceToAreaM(p: LatLon, area: Area): number {
  if ('center' in area) return distanceM(p, area.center) - area.radiusM;
  const k = Math.cos((p.lat * Math.PI) / 180),
    m = (EARTH_RADIUS_M * Math.PI) / 180;
  let best = Infinity;
  for (const ring of area.coordinates) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const ax = (ring[i][0] - p.lon) * k * m,
        ay = (ring[i][1] - p.lat) * m;
      const dx = (ring[i + 1][0] - ring[i][0]) * k * m,
        dy = (ring[i + 1][1] - ring[i][1]) * m;
      const len2 = dx * dx + dy * dy;
      const f = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
      best = Math.min(best, Math.hypot(ax + dx * f, ay + dy * f));
    }
  }
  return isInArea(p, area) ? -best : best;
}

/**
 * The visits to each office area, ordered by start then office code. Per office, a fix on the
 * other side of the edge starts a candidate change; the change is confirmed by a fix beyond
 * the margin (its accuracy subtracted) and dated at the first fix of the candidate run. A fix
 * back on the old side cancels the candidate. So a truck parked across an edge, its fixes
 * jittering in and out, enters once and leaves once. Input order does not matter.
 */
export function officeVisits(
  offices: readonly OfficeArea[],
  observations: readonly TrackObservation[],
  options: AreaOptions = {},
): OfficeVisit[] {
  const enter = options.enterMarginM ?? 0,
    exit = options.exitMarginM ?? 50;
  const fixes = fixesOf(observations);
  const visits: OfficeVisit[] = [];
  for (const office of offices) {
    let inside: { start: Fix; last: Fix } | null = null;
    let candidate: Fix | null = null;
    const push = (v: { start: Fix; last: Fix }, end: Fix | null) =>
      visits.push({
        type: 'office_visit',
        start: v.start.time,
        end: end ? end.time : null,
        details: { office: office.code, country: office.country, lastSeenAt: v.last.time, dwellS: (v.last.t - v.start.t) / 1000 },
      });
    for (const f of fixes) {
      const s = signedDistanceToAreaM(f, office.area);
      if (!inside) {
        candidate = s <= 0 ? (candidate ?? f) : null;
        if (candidate && s + f.accuracyM <= -enter) {
          inside = { start: candidate, last: f };
          candidate = null;
        }
      } else if (s > 0) {
        candidate ??= f;
        if (s - f.accuracyM > exit) {
          push(inside, candidate);
          inside = null;
          candidate = null;
        }
      } else {
        candidate = null;
        inside.last = f;
      }
    }
    if (inside) push(inside, null);
  }
  return visits.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.details.office < b.details.office ? -1 : 1));
}

/** Hysteresis of the border rule. */
export interface BorderOptions {
  /** Metres a vehicle must travel inside the new country (from its first fix there) to confirm a crossing; default 200. Fixes less precise than this are not used. */
  confirmDistanceM?: number;
}

/** A confirmed change of country (ISO 3166 alpha-2 as `countryAt` returns it), dated at the first fix in the new one. */
export type BorderCrossing = TransitFact<'border_crossed', { from: string; to: string; position: LatLon }>;

/**
 * Border crossings: the country of each fix comes from `countryAt` (an argument, so the core
 * holds no map; null where unknown, e.g. between two border posts, and such fixes are skipped).
 * A change is dated at the first fix of the run in the new country and confirmed once the
 * vehicle is `confirmDistanceM` from that fix while still in it; the first known country is
 * the start, not a crossing.
 */
export function borderCrossings(
  observations: readonly TrackObservation[],
  countryAt: (p: LatLon) => string | null,
  options: BorderOptions = {},
): BorderCrossing[] {
  const confirm = options.confirmDistanceM ?? 200;
  const crossings: BorderCrossing[] = [];
  let current: string | null = null;
  let run: { country: string; first: Fix } | null = null;
  for (const f of fixesOf(observations)) {
    if (f.accuracyM > confirm) continue;
    const c = countryAt(f);
    if (c === null) continue;
    if (current === null || c === current) {
      current = c;
      run = null;
      continue;
    }
    const candidate: { country: string; first: Fix } = run !== null && run.country === c ? run : { country: c, first: f };
    run = candidate;
    if (distanceM(f, candidate.first) >= confirm) {
      crossings.push({
        type: 'border_crossed',
        time: candidate.first.time,
        details: { from: current, to: c, position: { lat: candidate.first.lat, lon: candidate.first.lon } },
      });
      current = c;
      run = null;
    }
  }
  return crossings;
}

/** Entering or leaving an office area (model.ts `eventTypes` does not hold these types yet). */
export type OfficeFact = TransitFact<'office_entered' | 'office_left', { office: OfficeCode; country: string }>;

/**
 * The office and border facts of a track in time order (ties: left, entered, crossed, then
 * office code): office_entered at each visit's start, office_left at each ended visit's end,
 * border_crossed at each crossing.
 */
export function areaFacts(
  offices: readonly OfficeArea[],
  observations: readonly TrackObservation[],
  countryAt: (p: LatLon) => string | null,
  options: AreaOptions & BorderOptions = {},
): Array<OfficeFact | BorderCrossing> {
  const facts: Array<OfficeFact | BorderCrossing> = [];
  for (const v of officeVisits(offices, observations, options)) {
    const details = { office: v.details.office, country: v.details.country };
    facts.push({ type: 'office_entered', time: v.start, details });
    if (v.end) facts.push({ type: 'office_left', time: v.end, details });
  }
  facts.push(...borderCrossings(observations, countryAt, options));
  const rank = { office_left: 0, office_entered: 1, border_crossed: 2 };
  const code = (f: OfficeFact | BorderCrossing) => ('office' in f.details ? f.details.office : '');
  return facts.sort(
    (a, b) =>
      Date.parse(a.time) - Date.parse(b.time) || rank[a.type] - rank[b.type] || (code(a) < code(b) ? -1 : code(a) > code(b) ? 1 : 0),
  );
}

/** Arrival detected at the destination office area: a fact for the officer, not the lifecycle step `movement_arrived`. */
export type ArrivalFact = TransitFact<'movement_arrived_detected', { office: OfficeCode; dwellS: number; visitEnd: Timestamp | null }>;

/**
 * Arrival detected at the office of destination: the first visit to its area (starting at or
 * after `notBefore`, e.g. the movement's start) that is still under way at the last fix or
 * lasted at least `minDwellS` (default 120 s; a truck driving through is not an arrival).
 * Dated at the visit's start; null when there is none.
 */
export function arrivalAt(
  destination: OfficeArea,
  observations: readonly TrackObservation[],
  options: AreaOptions & { minDwellS?: number; notBefore?: Timestamp } = {},
): ArrivalFact | null {
  const minDwellS = options.minDwellS ?? 120;
  const from = options.notBefore ? Date.parse(options.notBefore) : -Infinity;
  const visit = officeVisits([destination], observations, options).find(
    (v) => Date.parse(v.start) >= from && (v.end === null || v.details.dwellS >= minDwellS),
  );
  return visit
    ? {
        type: 'movement_arrived_detected',
        time: visit.start,
        details: { office: destination.code, dwellS: visit.details.dwellS, visitEnd: visit.end },
      }
    : null;
}
