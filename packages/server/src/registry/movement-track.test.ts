import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asDeviceId, meters, toTimestamp, type DeviceId, type Timestamp } from '@sealwatch/core';
import type { ObservationStore, TrackLinePoint, TrackPoint } from '../storage/ports';
import { fullTrackJson, simplifiedTrack, simplifiedTrackCollection, trackLine, trackPoints, type TrackRun } from './movement-track';

interface Row {
  id: number;
  time: Timestamp;
  lon: number;
  lat: number;
  seal: { state: string } | null;
  speed: number | null;
  trust: 'signed';
}
/** An in-memory store of track rows per device, counting the pages and details asked (to see that nothing reads ahead). */
function fakeStore(rows: Map<DeviceId, Row[]>) {
  const calls = { pages: 0, details: 0 };
  const page = (
    device: DeviceId,
    q: { from?: Timestamp; to?: Timestamp },
    after: { time: Timestamp; id: number } | null,
    limit: number,
  ) => {
    calls.pages++;
    return (rows.get(device) ?? [])
      .filter((r) => (!q.from || r.time >= q.from) && (!q.to || r.time <= q.to))
      .filter((r) => !after || r.time > after.time || (r.time === after.time && r.id > after.id))
      .slice(0, limit);
  };
  const store: Pick<ObservationStore, 'trackLinePage' | 'trackPage' | 'trackDetails'> = {
    async trackLinePage(device, q, after, limit) {
      return page(device, q, after, limit).map((r): TrackLinePoint => [r.id, r.time, r.lon, r.lat, r.seal?.state ?? null]);
    },
    async trackPage(device, q, after, limit) {
      return page(device, q, after, limit).map((r): TrackPoint => [
        r.id,
        r.time,
        r.lon,
        r.lat,
        r.seal && JSON.stringify(r.seal),
        r.speed,
        r.trust,
      ]);
    },
    async trackDetails(ids) {
      calls.details += ids.length;
      return [...rows].flatMap(([device, rs]) =>
        rs.filter((r) => ids.includes(r.id)).map((r) => [r.id, device, r.seal && JSON.stringify(r.seal), r.speed, r.trust] as const),
      ) as Awaited<ReturnType<ObservationStore['trackDetails']>>;
    },
  };
  return { store, calls };
}
const t = (s: number) => toTimestamp(Date.UTC(2026, 0, 1) + s * 1000);
const row = (id: number, s: number, lon: number, state = 'closed'): Row => ({
  id,
  time: t(s),
  lon,
  lat: -1,
  seal: { state },
  speed: 50,
  trust: 'signed',
});
/** A run of runs flattened to [device, id] pairs. */
const flat = <R extends [number, ...unknown[]]>(batches: TrackRun<R>[][]) =>
  batches.flat().flatMap((run) => run.rows.map((r) => [run.device, r[0]] as const));
const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const A = asDeviceId('SEAL-A');
const B = asDeviceId('TRK-B');

test('merges the devices of a movement by time, reading each a page at a time, inside the window', async () => {
  const rows = new Map([
    [A, Array.from({ length: 12_000 }, (_, i) => row(i * 2 + 1, i * 2, 36 + i * 1e-5))],
    [B, [row(100_000, 1, 37), row(100_001, 5, 37.1), row(100_002, 99_999, 37.2)]],
  ]);
  const { store, calls } = fakeStore(rows);
  const runs = (await collect(trackPoints(store, [A, B], { from: t(0), to: t(30_000) }))).flat();
  const times = runs.flatMap((run) => run.rows.map((r) => r[1]));
  assert.equal(times.length, 12_000 + 2);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `time order at ${i}`);
  assert.deepEqual(flat([runs]).slice(0, 5), [
    [A, 1],
    [B, 100_000],
    [A, 3],
    [A, 5],
    [B, 100_001],
  ]);
  // 12,000 rows of A in pages of 5,000 are three pages; B's rows inside the window one.
  assert.equal(calls.pages, 3 + 1);
  // The line's pass reads the same positions in the same order.
  assert.deepEqual(flat(await collect(trackLine(store, [A, B], { from: t(0), to: t(30_000) }))), flat([runs]));
});

test('the display line keeps the ends and every change of seal state, and counts every position read', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => row(i + 1, i, 36 + i * 1e-4, i >= 400 && i < 600 ? 'open' : 'closed'));
  const { store } = fakeStore(new Map([[A, rows]]));
  const r = await simplifiedTrack(trackLine(store, [A], { from: t(0) }), meters(10), 50_000);
  assert.equal(r.positions, 1000);
  assert.equal(r.truncated, false);
  assert.deepEqual(
    r.kept.map((p) => p[0]),
    [1, 401, 601, 1000],
  );
  const few = await simplifiedTrack(trackLine(store, [A], { from: t(0) }), meters(10), 2);
  assert.deepEqual([few.kept.length, few.truncated], [2, true]);
});

test('the simplified collection reads what its Point features show for the kept positions only', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => row(i + 1, i, 36 + i * 1e-4, i >= 400 && i < 600 ? 'open' : 'closed'));
  const { store, calls } = fakeStore(new Map([[A, rows]]));
  const fc = await simplifiedTrackCollection(store, [A], { from: t(0) }, meters(10), 50_000, { movement: 'MOV-1' });
  assert.equal(calls.details, 4);
  assert.deepEqual(fc.features[0], {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: [rows[0], rows[400], rows[600], rows[999]].map((r) => [r.lon, r.lat]) },
    properties: { movement: 'MOV-1', points: 4, positions: 1000, truncated: false },
  });
  assert.deepEqual(fc.features[2], {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [rows[400].lon, -1] },
    properties: { time: t(400), device: A, seal: { state: 'open' }, speed: 50, trust: 'signed' },
  });
});

test('the full resolution is valid GeoJSON, the line and the points describe the same positions even if rows arrive between the passes', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => row(i + 1, i, 36 + i * 1e-4));
  const { store } = fakeStore(new Map([[A, rows]]));
  let late = false;
  const racing = {
    ...store,
    trackPage: (...args: Parameters<typeof store.trackPage>) => {
      // A late (store-and-forward) row stored while the first pass ran: earlier in time, higher id.
      if (!late) rows.splice(10, 0, row(9999, 9.5, 99));
      late = true;
      return store.trackPage(...args);
    },
  };
  const text = (await collect(fullTrackJson(racing, [A], { from: t(0) }, 50_000, { movement: 'MOV-1' }))).join('');
  const fc = JSON.parse(text);
  const [line, ...points] = fc.features;
  assert.equal(line.geometry.coordinates.length, 2500);
  assert.deepEqual(line.properties, { movement: 'MOV-1', points: 2500, positions: 2500, truncated: false });
  assert.deepEqual(
    points.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates),
    line.geometry.coordinates,
  );
  assert.deepEqual(points[3].properties, { time: t(3), device: A, seal: { state: 'closed' }, speed: 50, trust: 'signed' });

  const capped = JSON.parse((await collect(fullTrackJson(store, [A], { from: t(0) }, 100, {}))).join(''));
  assert.equal(capped.features.length, 101);
  assert.equal(capped.features[0].properties.truncated, true);
});

test('a track with no positions is an empty line', async () => {
  const { store } = fakeStore(new Map());
  const fc = JSON.parse((await collect(fullTrackJson(store, [A], { from: t(0) as Timestamp }, 10, {}))).join(''));
  assert.deepEqual(fc.features, [
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: { points: 0, positions: 0, truncated: false } },
  ]);
});
