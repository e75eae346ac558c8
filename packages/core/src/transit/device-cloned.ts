/**
 * device_cloned: one identity in two places at once. Two rules, one per device class:
 *
 * - An active device's id: its fixes split into two tracks, each plausible on its own, that
 *   the messages alternate between (out, back, out, back), the tracks `minSeparationM` apart.
 *   That alternation is what tells a clone from a gnss_anomaly: a jump goes out and comes back
 *   once, a leap goes out and stays; neither keeps returning to a second track that moves on
 *   plausibly by itself. A leap or a jump closer than `minSeparationM` starts the count afresh.
 * - A passive tag's EPC: read by two different readers farther apart than any vehicle could
 *   go in the time between. A tag has no track of its own, so one such pair is proof.
 *
 * Input order does not matter. The monitor should drop a device's gnss_anomaly findings from
 * the time of its device_cloned finding on: the clone explains them.
 */
import type { Timestamp } from '../ids';
import type { AlertType, LatLon, TagRead } from '../model';
import { DEFAULT_MAX_SPEED_KMH, pairSpeed, tracksByDevice, type SourcedFix } from './gnss-anomaly';
import { msOf, sortTrack, timestampOf, type TrackObservation, type TransitFact } from './track';

/** Settings of the clone rules (km/h, metres, counts). */
export interface CloneOptions {
  /** Fastest plausible vehicle, km/h; default 200. */
  maxSpeedKmh?: number;
  /** Impossible switches between the two tracks that prove a clone; default 4 (out, back, out, back). */
  minSwitches?: number;
  /** Fixes each track must hold from the first switch (the left one counting the fix before it); default 2. */
  minFixesPerPlace?: number;
  /** Metres between the tracks at every switch; default 5000 (nearer: GNSS trouble, not a second device). */
  minSeparationM?: number;
  /** Where each fixed reader is installed, by device id; default the position of the reader's observation. */
  readerLocations?: Readonly<Record<string, LatLon>>;
}

/** What the tag rule reads of an observation (a reader's); a stored `Observation` fits as it is. */
export interface ReadObservation extends TrackObservation {
  reads?: TagRead[] | null;
}

/** One of the two places of a clone; `reader` for a tag read. */
export interface ClonePlace extends LatLon {
  time: Timestamp;
  accuracyM: number;
  reader?: string;
}

/** What a device_cloned finding reports: the first impossible pair, and how often it happened. */
export interface DeviceClonedDetails {
  subject: 'device' | 'tag';
  device: string | null;
  /** Lower-case EPC hex, for a tag. */
  epc: string | null;
  first: ClonePlace;
  second: ClonePlace;
  distanceM: number;
  /** The least speed consistent with both accuracies, km/h (Infinity at one instant). */
  minSpeedKmh: number;
  /** Device: switches between the tracks when proven; tag: impossible pairs of consecutive reads. */
  switches: number;
}

/** A device_cloned finding, dated at the second place of the first impossible pair. */
export type DeviceClonedFinding = TransitFact<Extract<AlertType, 'device_cloned'>, DeviceClonedDetails>;

const place = (f: SourcedFix): ClonePlace => ({ lat: f.lat, lon: f.lon, time: f.time, accuracyM: f.accuracyM });

/** The active devices whose id is cloned (first rule above), one finding per device, by time then device. */
export function clonedDevices(observations: readonly TrackObservation[], options: CloneOptions = {}): DeviceClonedFinding[] {
  const max = options.maxSpeedKmh ?? DEFAULT_MAX_SPEED_KMH,
    minSwitches = options.minSwitches ?? 4;
  const minFixes = options.minFixesPerPlace ?? 2,
    minSep = options.minSeparationM ?? 5000;
  const ok = (a: SourcedFix, b: SourcedFix) => pairSpeed(a, b).minSpeedKmh <= max;
  const out: DeviceClonedFinding[] = [];
  for (const [device, fixes] of tracksByDevice(observations)) {
    if (fixes.length === 0) continue;
    let tracks: SourcedFix[][] = [[fixes[0]]],
      cur = 0,
      switches = 0,
      first: [SourcedFix, SourcedFix] | null = null;
    const last = (k: number) => tracks[k][tracks[k].length - 1];
    for (const f of fixes.slice(1)) {
      if (ok(last(cur), f)) {
        tracks[cur].push(f);
        continue;
      }
      if (pairSpeed(last(cur), f).distanceM < minSep) {
        tracks = [[f]];
        cur = 0;
        switches = 0;
        continue;
      }
      const other = 1 - cur;
      if (tracks[other] && ok(last(other), f)) {
        switches++;
        tracks[other].push(f);
      } else {
        const left = [last(cur)]; // the track left keeps only its last fix: counts start at the first switch
        tracks = cur === 0 ? [left, [f]] : [[f], left];
        first = [left[0], f];
        switches = 1;
      }
      cur = other;
      if (first && switches >= minSwitches && tracks.every((t) => t.length >= minFixes)) {
        out.push({
          type: 'device_cloned',
          time: first[1].time,
          details: {
            subject: 'device',
            device: device || null,
            epc: null,
            first: place(first[0]),
            second: place(first[1]),
            ...speedOf(first[0], first[1]),
            switches,
          },
        });
        break;
      }
    }
  }
  return sortFindings(out);
}

/** The tags whose EPC is cloned (second rule above), one finding per EPC, by time then EPC. Reads without a known reader place are skipped. */
export function clonedTags(observations: readonly ReadObservation[], options: CloneOptions = {}): DeviceClonedFinding[] {
  const max = options.maxSpeedKmh ?? DEFAULT_MAX_SPEED_KMH;
  const reads: Array<SourcedFix & { epc: string; reader: string }> = [];
  for (const o of sortTrack(observations)) {
    const reader = o.device ?? '';
    const at = options.readerLocations?.[reader] ?? o.position;
    if (!o.reads || !at || !Number.isFinite(at.lat) || !Number.isFinite(at.lon)) continue;
    const acc = 'accuracy' in at && Number.isFinite(at.accuracy) && (at.accuracy as number) > 0 ? (at.accuracy as number) : 0;
    for (const r of o.reads) {
      const t = msOf(r.time ?? o.time);
      if (!Number.isFinite(t) || typeof r.epc !== 'string') continue;
      reads.push({ lat: at.lat, lon: at.lon, accuracyM: acc, source: 'reader', t, time: timestampOf(t), epc: r.epc.toLowerCase(), reader });
    }
  }
  reads.sort(
    (a, b) => a.t - b.t || cmp(a.reader, b.reader) || cmp(a.epc, b.epc) || a.lat - b.lat || a.lon - b.lon || a.accuracyM - b.accuracyM,
  );
  const byEpc = new Map<string, typeof reads>();
  for (const r of reads) {
    const list = byEpc.get(r.epc);
    if (list) list.push(r);
    else byEpc.set(r.epc, [r]);
  }
  const out: DeviceClonedFinding[] = [];
  for (const [epc, list] of byEpc) {
    const bad = list
      .slice(1)
      .map((r, i) => [list[i], r] as const)
      .filter(([a, b]) => a.reader !== b.reader && pairSpeed(a, b).minSpeedKmh > max);
    if (bad.length === 0) continue;
    const [a, b] = bad[0];
    out.push({
      type: 'device_cloned',
      time: b.time,
      details: {
        subject: 'tag',
        device: null,
        epc,
        first: { ...place(a), reader: a.reader },
        second: { ...place(b), reader: b.reader },
        ...speedOf(a, b),
        switches: bad.length,
      },
    });
  }
  return sortFindings(out);
}

/** Both rules: the cloned devices and the cloned tags, by time then subject. */
export function deviceClones(observations: readonly ReadObservation[], options: CloneOptions = {}): DeviceClonedFinding[] {
  return sortFindings([...clonedDevices(observations, options), ...clonedTags(observations, options)]);
}

function speedOf(a: SourcedFix, b: SourcedFix): { distanceM: number; minSpeedKmh: number } {
  const s = pairSpeed(a, b);
  return { distanceM: s.distanceM, minSpeedKmh: s.minSpeedKmh };
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const subjectOf = (f: DeviceClonedFinding) => f.details.device ?? f.details.epc ?? '';
function sortFindings(fs: DeviceClonedFinding[]): DeviceClonedFinding[] {
  return fs.sort((a, b) => msOf(a.time) - msOf(b.time) || cmp(a.details.subject, b.details.subject) || cmp(subjectOf(a), subjectOf(b)));
}
