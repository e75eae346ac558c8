/**
 * A movement's track for display (GET /movements/{id}/track), read in pages of the track's own
 * columns (time, position, seal, speed) rather than whole observations, and never held whole: the
 * simplified line is built as the rows stream past (core's `streamSimplifier`), and the full
 * resolution is written out as it is read (docs/performance.md, "Track for display").
 */
import { streamSimplifier, type DeviceId, type Meters, type Timestamp } from '@sealwatch/core';
import type { ObservationStore, TrackRow } from '../storage/ports';

export type TrackPoint = TrackRow;
export interface TrackWindow {
  from: Timestamp;
  to?: Timestamp;
}
type Rows = Pick<ObservationStore, 'trackPage'>;

const PAGE = 5000;

/** One device's positions in the window, by (time, id), a page at a time. */
async function* devicePages(store: Rows, device: DeviceId, window: TrackWindow): AsyncGenerator<TrackPoint[]> {
  let after: { time: Timestamp; id: number } | null = null;
  for (;;) {
    const page = await store.trackPage(device, window, after, PAGE);
    if (page.length) yield page;
    if (page.length < PAGE) return;
    const last = page[page.length - 1];
    after = { time: last.time, id: last.id };
  }
}

/**
 * The positions of all of a movement's devices in the window, merged by time (a device listed
 * first goes first on equal times), in batches: a whole page when one device remains (the usual
 * case), else the run up to the earliest page end. Holds one page per device; iterating batches,
 * not positions, keeps the async overhead per page.
 */
export async function* trackPoints(store: Rows, devices: readonly DeviceId[], window: TrackWindow): AsyncGenerator<TrackPoint[]> {
  const sources = devices.map((d) => devicePages(store, d, window));
  const pages: (TrackPoint[] | null)[] = await Promise.all(sources.map(async (s) => (await s.next()).value ?? null));
  const at = pages.map(() => 0);
  for (;;) {
    const live = pages.flatMap((p, i) => (p ? [i] : []));
    if (live.length === 0) return;
    if (live.length === 1) {
      const i = live[0];
      yield at[i] ? pages[i]!.slice(at[i]) : pages[i]!;
    } else {
      // Merge up to the earliest last time among the pages held: beyond it a page not yet read may come first.
      const bound = live.reduce((b, i) => (pages[i]!.at(-1)!.time < b ? pages[i]!.at(-1)!.time : b), pages[live[0]]!.at(-1)!.time);
      const out: TrackPoint[] = [];
      for (;;) {
        let pick = -1;
        for (const i of live) {
          const p = pages[i]![at[i]];
          if (p && p.time <= bound && (pick < 0 || p.time < pages[pick]![at[pick]].time)) pick = i;
        }
        if (pick < 0) break;
        out.push(pages[pick]![at[pick]++]);
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

/**
 * The positions a display at `tolerance` needs: the simplified line and every change of seal
 * state (never smoothed away), at most `max` of them; `positions` counts all that were read.
 */
export async function simplifiedTrack(
  points: AsyncIterable<TrackPoint[]>,
  tolerance: Meters,
  max: number,
): Promise<{ kept: TrackPoint[]; positions: number; truncated: boolean }> {
  const kept: TrackPoint[] = [];
  const simplifier = streamSimplifier<TrackPoint>(tolerance, (p) => kept.push(p));
  let positions = 0;
  let state: string | null | undefined;
  for await (const batch of points) {
    for (const p of batch) {
      simplifier.push(p, positions > 0 && p.sealState !== state);
      state = p.sealState;
      positions++;
    }
    if (kept.length > max) break;
  }
  simplifier.end();
  return { kept: kept.slice(0, max), positions, truncated: kept.length > max };
}

/** A kept position as its GeoJSON Point feature. */
export function pointFeature(p: TrackPoint): Record<string, unknown> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    // trust `federated`: a reading a partner administration forwarded (docs/federation.md).
    properties: { time: p.time, device: p.device, seal: p.seal === null ? null : JSON.parse(p.seal), speed: p.speed, trust: p.trust },
  };
}

/**
 * The full-resolution FeatureCollection as text chunks, written while read: a first pass writes
 * the LineString's coordinates, a second the Point features (the order the API promises), each
 * up to `max` positions. The second pass stops where the first did and skips rows stored in
 * between (ids above the first pass's highest), so both describe the same positions. The seal
 * goes out as the JSON text the store holds, never parsed.
 */
export async function* fullTrackJson(
  read: () => AsyncIterable<TrackPoint[]>,
  max: number,
  properties: Record<string, unknown>,
): AsyncGenerator<string> {
  let count = 0;
  let topId = 0;
  let truncated = false;
  let chunk = '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[';
  read: for await (const batch of read()) {
    for (const p of batch) {
      if (count === max) {
        truncated = true;
        break read;
      }
      chunk += `${count ? ',' : ''}[${p.lon},${p.lat}]`;
      if (p.id > topId) topId = p.id;
      count++;
    }
    yield chunk;
    chunk = '';
  }
  yield `${chunk}]},"properties":${JSON.stringify({ ...properties, points: count, positions: count, truncated })}}`;
  let n = 0;
  chunk = '';
  points: for await (const batch of read()) {
    for (const p of batch) {
      if (n === count) break points;
      if (p.id > topId) continue;
      chunk += `,{"type":"Feature","geometry":{"type":"Point","coordinates":[${p.lon},${p.lat}]},"properties":{"time":${JSON.stringify(p.time)},"device":${JSON.stringify(p.device)},"seal":${p.seal ?? 'null'},"speed":${p.speed ?? 'null'},"trust":${JSON.stringify(p.trust)}}}`;
      n++;
    }
    yield chunk;
    chunk = '';
  }
  yield `${chunk}]}`;
}
