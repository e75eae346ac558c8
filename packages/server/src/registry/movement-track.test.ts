import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asDeviceId, meters, toTimestamp, type DeviceId, type Timestamp } from '@sealwatch/core';
import type { ObservationStore, TrackRow } from '../storage/ports';
import { fullTrackJson, simplifiedTrack, trackPoints } from './movement-track';

/** An in-memory `trackPage` over rows per device, counting the pages asked (to see that nothing reads ahead). */
function fakeStore(rows: Map<DeviceId, TrackRow[]>) {
  const calls = { pages: 0 };
  const store: Pick<ObservationStore, 'trackPage'> = {
    async trackPage(device, q, after, limit) {
      calls.pages++;
      return (rows.get(device) ?? [])
        .filter((r) => (!q.from || r.time >= q.from) && (!q.to || r.time <= q.to))
        .filter((r) => !after || r.time > after.time || (r.time === after.time && r.id > after.id))
        .slice(0, limit)
        .map((r) => ({ ...r, device }));
    },
  };
  return { store, calls };
}
const t = (s: number) => toTimestamp(Date.UTC(2026, 0, 1) + s * 1000);
const row = (id: number, s: number, lon: number, state = 'closed'): TrackRow => ({
  id,
  device: asDeviceId('?'),
  time: t(s),
  lon,
  lat: -1,
  sealState: state,
  seal: JSON.stringify({ state }),
  speed: 50,
  trust: 'signed',
});
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
  const points = (await collect(trackPoints(store, [A, B], { from: t(0), to: t(30_000) }))).flat();
  assert.equal(points.length, 12_000 + 2);
  for (let i = 1; i < points.length; i++) assert.ok(points[i].time >= points[i - 1].time, `time order at ${i}`);
  assert.deepEqual(
    points.slice(0, 5).map((p) => [p.device, p.id]),
    [
      [A, 1],
      [B, 100_000],
      [A, 3],
      [A, 5],
      [B, 100_001],
    ],
  );
  // 12,000 rows of A in pages of 5,000 are three pages; B's rows inside the window one.
  assert.equal(calls.pages, 3 + 1);
});

test('the display line keeps the ends and every change of seal state, and counts every position read', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => row(i + 1, i, 36 + i * 1e-4, i >= 400 && i < 600 ? 'open' : 'closed'));
  const { store } = fakeStore(new Map([[A, rows]]));
  const r = await simplifiedTrack(trackPoints(store, [A], { from: t(0) }), meters(10), 50_000);
  assert.equal(r.positions, 1000);
  assert.equal(r.truncated, false);
  assert.deepEqual(
    r.kept.map((p) => p.id),
    [1, 401, 601, 1000],
  );
  const few = await simplifiedTrack(trackPoints(store, [A], { from: t(0) }), meters(10), 2);
  assert.deepEqual([few.kept.length, few.truncated], [2, true]);
});

test('the full resolution is valid GeoJSON, the line and the points describe the same positions even if rows arrive between the passes', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => row(i + 1, i, 36 + i * 1e-4));
  const { store } = fakeStore(new Map([[A, rows]]));
  let passes = 0;
  const read = () => {
    // A late (store-and-forward) row stored while the first pass ran: earlier in time, higher id.
    if (passes++ === 1) rows.splice(10, 0, row(9999, 9.5, 99));
    return trackPoints(store, [A], { from: t(0) });
  };
  const text = (await collect(fullTrackJson(read, 50_000, { movement: 'MOV-1' }))).join('');
  const fc = JSON.parse(text);
  const [line, ...points] = fc.features;
  assert.equal(line.geometry.coordinates.length, 2500);
  assert.deepEqual(line.properties, { movement: 'MOV-1', points: 2500, positions: 2500, truncated: false });
  assert.deepEqual(
    points.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates),
    line.geometry.coordinates,
  );
  assert.deepEqual(points[3].properties, { time: t(3), device: A, seal: { state: 'closed' }, speed: 50, trust: 'signed' });

  const capped = JSON.parse((await collect(fullTrackJson(() => trackPoints(store, [A], { from: t(0) }), 100, {}))).join(''));
  assert.equal(capped.features.length, 101);
  assert.equal(capped.features[0].properties.truncated, true);
});

test('a track with no positions is an empty line', async () => {
  const { store } = fakeStore(new Map());
  const fc = JSON.parse((await collect(fullTrackJson(() => trackPoints(store, [A], { from: t(0) as Timestamp }), 10, {}))).join(''));
  assert.deepEqual(fc.features, [
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: { points: 0, positions: 0, truncated: false } },
  ]);
});
