/**
 * gnss_anomaly: positions of one device's own track that cannot be true: two
 * consecutive fixes farther apart than any road vehicle could go in the time between (after
 * giving both their accuracy), a lone fix thrown off and back (a jump: multipath, spoofing
 * tests), a cell or Wi-Fi position inconsistent with the GNSS track, and a reader reporting a
 * position away from where it is installed. Two devices sharing one id alternating between two
 * places is `device_cloned` (device-cloned.ts), not this.
 */
import type { Timestamp } from '../ids';
import type { AlertType, LatLon, Position } from '../model';
import { distanceM } from '../geo/distance';
import { msOf, sortTrack, type TrackObservation, type TransitFact } from './track';

/** Fastest plausible road vehicle, km/h: a higher implied speed between two fixes is impossible. */
export const DEFAULT_MAX_SPEED_KMH = 200;

/** Accuracy in metres assumed for a position reported without one, by source (GNSS: 0, as `fixesOf`). */
export const DEFAULT_ACCURACY_BY_SOURCE_M: Readonly<Record<NonNullable<Position['source']>, number>> = {
  gnss: 0,
  cell: 1000,
  wifi: 100,
  reader: 0,
};

/** A position of a device's track with its source; accuracy in metres. */
export interface SourcedFix extends LatLon {
  time: Timestamp;
  t: number;
  accuracyM: number;
  source: NonNullable<Position['source']>;
}

/** Settings of the plausibility rules (km/h, metres). */
export interface GnssAnomalyOptions {
  /** Default 200 km/h (road); raise it for air or rail legs. */
  maxSpeedKmh?: number;
  /** Where each fixed reader is installed, by device id: a reader's `source: 'reader'` positions are checked against it. */
  readerLocations?: Readonly<Record<string, LatLon>>;
  /** Metres (beyond the position's accuracy) a reader's position may be from its installed location; default 200. */
  maxReaderOffsetM?: number;
  /**
   * Metres beyond both accuracies that two fixes may disagree by whatever the time between them
   * (receiver noise: multipath in a town or a port, a fix taken as the antenna loses the sky);
   * default 500. Spoofing, clones and swapped devices move kilometres.
   */
  noiseToleranceM?: number;
  /** Fixes in a row that may stand off the track and still be one jump (the same outlier repeated); default 3. */
  maxJumpFixes?: number;
}

/** How far apart two fixes are and how fast one would have had to go. */
export interface PairSpeed {
  distanceM: number;
  /** Distance over time, km/h; null when both have the same time. */
  impliedSpeedKmh: number | null;
  /** The least speed consistent with both accuracies: (distance − both accuracies) over time, km/h; 0 when the circles meet, Infinity when they don't at one instant (null in JSON). */
  minSpeedKmh: number;
}

/** Distance and speeds between two fixes (order of the arguments does not matter). */
export function pairSpeed(a: SourcedFix, b: SourcedFix): PairSpeed {
  const d = distanceM(a, b),
    dtS = Math.abs(b.t - a.t) / 1000,
    excess = Math.max(0, d - a.accuracyM - b.accuracyM);
  return {
    distanceM: d,
    impliedSpeedKmh: dtS > 0 ? (d / dtS) * 3.6 : null,
    minSpeedKmh: excess === 0 ? 0 : dtS > 0 ? (excess / dtS) * 3.6 : Infinity,
  };
}

/**
 * The positions of each device (the observations' `device`, '' when absent) in total order,
 * leaving out `source: 'reader'` positions (a reader's place is not a track). A missing or
 * non-positive accuracy takes the source's default; a missing source counts as GNSS.
 */
export function tracksByDevice(observations: readonly TrackObservation[]): Map<string, SourcedFix[]> {
  const out = new Map<string, SourcedFix[]>();
  for (const o of sortTrack(observations)) {
    const p = o.position;
    if (!p || !Number.isFinite(p.lat) || !Number.isFinite(p.lon) || p.source === 'reader') continue;
    const source = p.source ?? 'gnss';
    const accuracyM =
      Number.isFinite(p.accuracy) && (p.accuracy as number) > 0 ? (p.accuracy as number) : DEFAULT_ACCURACY_BY_SOURCE_M[source];
    const list = out.get(o.device ?? '') ?? [];
    list.push({ lat: p.lat, lon: p.lon, time: o.time, t: msOf(o.time), accuracyM, source });
    out.set(o.device ?? '', list);
  }
  return out;
}

/** Which plausibility rule a position broke (see `gnssAnomalies`). */
export type GnssAnomalyKind = 'impossible_speed' | 'jump' | 'cell_inconsistent' | 'reader_offset';

/** What a gnss_anomaly reports: the pair of fixes (`from` null for a reader offset) and the speeds. */
export interface GnssAnomalyDetails extends Partial<PairSpeed> {
  device: string | null;
  kind: GnssAnomalyKind;
  from: SourcedFix | null;
  to: SourcedFix;
  distanceM: number;
  /** For a jump: the next fix, back where the track was. */
  returnedAt?: Timestamp;
  /** For a reader offset: where the reader is installed. */
  readerLocation?: LatLon;
}

/** A gnss_anomaly, dated at the second fix of the pair (the implausible one). */
export type GnssAnomaly = TransitFact<Extract<AlertType, 'gnss_anomaly'>, GnssAnomalyDetails>;

/**
 * The anomalies of every device's track, by time then device. Consecutive fixes A, B are
 * impossible when B is beyond A's and its own accuracy at more than `maxSpeedKmh` (at the same
 * instant: when the circles do not meet). An impossible A→B followed by an impossible B→C with
 * A→C possible is one `jump` at B (with `returnedAt` C). The pair is `cell_inconsistent`
 * when B (or, for no jump, A) comes from cell or Wi-Fi, else `jump` or `impossible_speed`.
 * A reader's own `source: 'reader'` position farther than `maxReaderOffsetM` plus its
 * accuracy from its `readerLocations` entry is a `reader_offset`. Input order does not matter.
 */
export function gnssAnomalies(observations: readonly TrackObservation[], options: GnssAnomalyOptions = {}): GnssAnomaly[] {
  const max = options.maxSpeedKmh ?? DEFAULT_MAX_SPEED_KMH,
    noiseM = options.noiseToleranceM ?? 500,
    maxRun = options.maxJumpFixes ?? 3;
  const ok = (a: SourcedFix, b: SourcedFix) => pairSpeed(a, b).minSpeedKmh <= max || distanceM(a, b) - a.accuracyM - b.accuracyM <= noiseM;
  const coarse = (f: SourcedFix) => f.source === 'cell' || f.source === 'wifi';
  const out: GnssAnomaly[] = [];
  const push = (device: string, kind: GnssAnomalyKind, from: SourcedFix, to: SourcedFix, extra: { returnedAt?: Timestamp } = {}) =>
    out.push({
      type: 'gnss_anomaly',
      time: to.time,
      details: { device: device || null, kind, from, to, ...pairSpeed(from, to), ...extra },
    });

  for (const [device, track] of tracksByDevice(observations)) {
    // A position repeated exactly is one reading (a receiver holding its last fix, a resent
    // report): judged once, at its first time, so the way on from it is not a leap.
    const fixes = track.filter(
      (f, i) => i === 0 || f.lat !== track[i - 1].lat || f.lon !== track[i - 1].lon || f.source !== track[i - 1].source,
    );
    for (let i = 1; i < fixes.length; i++) {
      const a = fixes[i - 1],
        b = fixes[i];
      if (ok(a, b)) continue;
      // A jump: B, and up to `maxRun` − 1 fixes after it (the same outlier repeated), off the
      // track, then a fix C back where A left it. One anomaly for the whole excursion.
      let back = -1;
      for (let k = i + 1; k < fixes.length && k <= i + maxRun; k++) {
        if (ok(a, fixes[k])) {
          back = ok(fixes[k - 1], fixes[k]) ? -1 : k;
          break;
        }
      }
      const jump = back > 0;
      // A lone coarse fix off the track is the coarse fix's fault: cell_inconsistent, not a jump.
      const kind = coarse(b) || (!jump && coarse(a)) ? 'cell_inconsistent' : jump ? 'jump' : 'impossible_speed';
      push(device, kind, a, b, jump ? { returnedAt: fixes[back].time } : {});
      if (jump) i = back; // the way back from the jump is the same anomaly
    }
  }

  const limit = options.maxReaderOffsetM ?? 200;
  for (const o of sortTrack(observations)) {
    const p = o.position,
      home = options.readerLocations?.[o.device ?? ''];
    if (!p || p.source !== 'reader' || !home || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
    const accuracyM = Number.isFinite(p.accuracy) && (p.accuracy as number) > 0 ? (p.accuracy as number) : 0;
    const d = distanceM(p, home);
    if (d - accuracyM <= limit) continue;
    const to: SourcedFix = { lat: p.lat, lon: p.lon, time: o.time, t: msOf(o.time), accuracyM, source: 'reader' };
    out.push({
      type: 'gnss_anomaly',
      time: o.time,
      details: { device: o.device ?? null, kind: 'reader_offset', from: null, to, distanceM: d, readerLocation: home },
    });
  }
  const dev = (a: GnssAnomaly) => a.details.device ?? '';
  return out.sort(
    (a, b) =>
      msOf(a.time) - msOf(b.time) ||
      (dev(a) < dev(b) ? -1 : dev(a) > dev(b) ? 1 : 0) ||
      (a.details.kind < b.details.kind ? -1 : a.details.kind > b.details.kind ? 1 : 0),
  );
}
