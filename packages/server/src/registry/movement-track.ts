/**
 * A movement's track for display (GET /movements/{id}/track), read in pages of the track's own
 * columns rather than whole observations, and never held whole. The rows stay the arrays the
 * store reads (no object per position). The simplified line is built from a first pass over
 * only id, time, position and seal state (core's `streamSimplifier`), then what its Point
 * features show is read for the kept positions only; the full resolution is written out as it
 * is read (docs/performance.md, "Track for display").
 */
import { streamSimplifier, type DeviceId, type Meters, type Timestamp } from '@sealwatch/core';
import type { ObservationStore, TrackDetail, TrackLinePoint, TrackPoint } from '../storage/ports';

export interface TrackWindow {
  from: Timestamp;
  to?: Timestamp;
}
type Rows = Pick<ObservationStore, 'trackLinePage' | 'trackPage' | 'trackDetails'>;
/** Both kinds of track page begin [id, time, lon, lat]. */
type Positioned = [number, Timestamp, number, number, ...unknown[]];
/** Consecutive positions of one device: what the merge hands on, so no row has to carry its device. */
export interface TrackRun<R> {
  device: DeviceId;
  rows: R[];
}
type PageReader<R> = (device: DeviceId, after: { time: Timestamp; id: number } | null, limit: number) => Promise<R[]>;

const PAGE = 5000;

/** One device's positions in the window, by (time, id), a page at a time. */
async function* devicePages<R extends Positioned>(read: PageReader<R>, device: DeviceId): AsyncGenerator<R[]> {
  let after: { time: Timestamp; id: number } | null = null;
  for (;;) {
    const page = await read(device, after, PAGE);
    if (page.length) yield page;
    if (page.length < PAGE) return;
    const last = page[page.length - 1];
    after = { time: last[1], id: last[0] };
  }
}

/**
 * The positions of all of a movement's devices, merged by time (a device listed first goes first
 * on equal times), in runs of one device: a whole page when one device remains (the usual case),
 * else the merge up to the earliest page end. Holds one page per device; iterating runs, not
 * positions, keeps the async overhead per page.
 */
async function* merged<R extends Positioned>(read: PageReader<R>, devices: readonly DeviceId[]): AsyncGenerator<TrackRun<R>[]> {
  const sources = devices.map((d) => devicePages(read, d));
  const pages: (R[] | null)[] = await Promise.all(sources.map(async (s) => (await s.next()).value ?? null));
  const at = pages.map(() => 0);
  for (;;) {
    const live = pages.flatMap((p, i) => (p ? [i] : []));
    if (live.length === 0) return;
    if (live.length === 1) {
      const i = live[0];
      yield [{ device: devices[i], rows: at[i] ? pages[i]!.slice(at[i]) : pages[i]! }];
    } else {
      // Merge up to the earliest last time among the pages held: beyond it a page not yet read may come first.
      const bound = live.reduce((b, i) => (pages[i]!.at(-1)![1] < b ? pages[i]!.at(-1)![1] : b), pages[live[0]]!.at(-1)![1]);
      const out: TrackRun<R>[] = [];
      for (;;) {
        let pick = -1;
        for (const i of live) {
          const p = pages[i]![at[i]];
          if (p && p[1] <= bound && (pick < 0 || p[1] < pages[pick]![at[pick]][1])) pick = i;
        }
        if (pick < 0) break;
        const run = out.at(-1);
        if (run?.device === devices[pick]) run.rows.push(pages[pick]![at[pick]++]);
        else out.push({ device: devices[pick], rows: [pages[pick]![at[pick]++]] });
      }
      yield out;
    }
    for (const i of live) {
      if (live.length === 1 || at[i] >= pages[i]!.length) {
        pages[i] = (await sources[i].next()).value ?? null;
        at[i] = 0;
      }
    }
  }
}

/** The devices' positions in the window as the line needs them: [id, time, lon, lat, seal state]. */
export function trackLine(store: Rows, devices: readonly DeviceId[], window: TrackWindow): AsyncGenerator<TrackRun<TrackLinePoint>[]> {
  return merged((device, after, limit) => store.trackLinePage(device, window, after, limit), devices);
}

/** The devices' positions in the window with what their Point features show. */
export function trackPoints(store: Rows, devices: readonly DeviceId[], window: TrackWindow): AsyncGenerator<TrackRun<TrackPoint>[]> {
  return merged((device, after, limit) => store.trackPage(device, window, after, limit), devices);
}

const lonOf = (p: TrackLinePoint) => p[2];
const latOf = (p: TrackLinePoint) => p[3];

/**
 * The positions a display at `tolerance` needs: the simplified line and every change of seal
 * state (never smoothed away), at most `max` of them; `positions` counts all that were read.
 */
export async function simplifiedTrack(
  line: AsyncIterable<TrackRun<TrackLinePoint>[]>,
  tolerance: Meters,
  max: number,
): Promise<{ kept: TrackLinePoint[]; positions: number; truncated: boolean }> {
  const kept: TrackLinePoint[] = [];
  const simplifier = streamSimplifier<TrackLinePoint>(tolerance, (p) => kept.push(p), undefined, { lon: lonOf, lat: latOf });
  let positions = 0;
  let state: string | null | undefined;
  for await (const runs of line) {
    for (const { rows } of runs) {
      for (const p of rows) {
        simplifier.push(p, positions > 0 && p[4] !== state);
        state = p[4];
        positions++;
      }
    }
    if (kept.length > max) break;
  }
  simplifier.end();
  return { kept: kept.slice(0, max), positions, truncated: kept.length > max };
}

/**
 * The simplified FeatureCollection: the line, then one Point feature per kept position with
 * what `trackDetails` reads for those positions alone (the seal parsed, as the API shows it).
 */
export async function simplifiedTrackCollection(
  store: Rows,
  devices: readonly DeviceId[],
  window: TrackWindow,
  tolerance: Meters,
  max: number,
  properties: Record<string, unknown>,
): Promise<{ type: 'FeatureCollection'; features: Record<string, unknown>[] }> {
  const { kept, positions, truncated } = await simplifiedTrack(trackLine(store, devices, window), tolerance, max);
  const details = new Map<number, TrackDetail>();
  for (let i = 0; i < kept.length; i += 5000)
    for (const d of await store.trackDetails(kept.slice(i, i + 5000).map((p) => p[0]))) details.set(d[0], d);
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: kept.map((p) => [p[2], p[3]]) },
        properties: { ...properties, points: kept.length, positions, truncated },
      },
      ...kept.map((p) => {
        const d = details.get(p[0]);
        return {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [p[2], p[3]] },
          // trust `federated`: a reading a partner administration forwarded (docs/federation.md).
          properties: {
            time: p[1],
            device: d?.[1] ?? null,
            seal: d?.[2] == null ? null : JSON.parse(d[2]),
            speed: d?.[3] ?? null,
            trust: d?.[4] ?? null,
          },
        };
      }),
    ],
  };
}

/**
 * The full-resolution FeatureCollection as text chunks, written while read: a first pass over
 * the line's columns writes the LineString's coordinates, a second the Point features (the order
 * the API promises), each up to `max` positions. The second pass stops where the first did and
 * skips rows stored in between (ids above the first pass's highest), so both describe the same
 * positions. The seal goes out as the JSON text the store holds, never parsed.
 */
export async function* fullTrackJson(
  store: Rows,
  devices: readonly DeviceId[],
  window: TrackWindow,
  max: number,
  properties: Record<string, unknown>,
): AsyncGenerator<string> {
  let count = 0;
  let topId = 0;
  let truncated = false;
  let chunk = '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[';
  line: for await (const runs of trackLine(store, devices, window)) {
    for (const { rows } of runs) {
      for (const p of rows) {
        if (count === max) {
          truncated = true;
          break line;
        }
        chunk += `${count ? ',' : ''}[${p[2]},${p[3]}]`;
        if (p[0] > topId) topId = p[0];
        count++;
      }
    }
    yield chunk;
    chunk = '';
  }
  yield `${chunk}]},"properties":${JSON.stringify({ ...properties, points: count, positions: count, truncated })}}`;
  let n = 0;
  chunk = '';
  points: for await (const runs of trackPoints(store, devices, window)) {
    for (const { device, rows } of runs) {
      const about = `},"properties":{"time":"`;
      const deviceJson = `","device":${JSON.stringify(device)},"seal":`;
      for (const p of rows) {
        if (n === count) break points;
        if (p[0] > topId) continue;
        // Times are canonical ISO text and trust a closed word: neither needs escaping.
        chunk += `,{"type":"Feature","geometry":{"type":"Point","coordinates":[${p[2]},${p[3]}]${about}${p[1]}${deviceJson}${p[4] ?? 'null'},"speed":${p[5] ?? 'null'},"trust":"${p[6]}"}}`;
        n++;
      }
    }
    yield chunk;
    chunk = '';
  }
  yield `${chunk}]}`;
}
