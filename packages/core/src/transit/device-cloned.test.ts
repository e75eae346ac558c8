import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clonedDevices, clonedTags, deviceClones, type ReadObservation } from './device-cloned';
import { distanceM } from '../geo/distance';
import type { LatLon } from '../model';
import { A109, at, buildTrack, drive, routePoint, shuffled, type TrackRow } from './test-builders';

/** The genuine e-lock drives from 100 km at 60 km/h with a fix a minute (at 0, 60, …). */
const genuine = drive(A109, { fromM: 100_000, toM: 130_000, startS: 0, speedKmh: 60, intervalS: 60 });
/** A copy of it standing at `p`, reporting half a minute after each genuine fix. */
const copyAt = (p: LatLon, n: number): TrackRow[] => Array.from({ length: n }, (_, k): TrackRow => [p.lat, p.lon, 30 + k * 60]);
const port = routePoint(A109, 0);
const near = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} not within ${tol} of ${b}`);

test('an e-lock id reporting alternately from the road and from the port is cloned, dated at the first report from the port', () => {
  const obs = buildTrack([...genuine, ...copyAt(port, 20)]);
  const [f, ...more] = clonedDevices(obs);
  assert.equal(more.length, 0);
  assert.deepEqual(
    [f.type, f.time, f.details.subject, f.details.device, f.details.epc, f.details.switches],
    ['device_cloned', at(30), 'device', 'LOCK-1', null, 4],
  );
  assert.deepEqual([f.details.first.time, f.details.second.time], [at(0), at(30)]);
  near(f.details.distanceM, distanceM(routePoint(A109, 100_000), port), 1);
  near(f.details.minSpeedKmh, (f.details.distanceM / 30) * 3.6, 1);
});

test('three alternations are not yet proof with the default of four switches', () => {
  const rows = [...genuine.slice(0, 2), ...copyAt(port, 2)]; // g0, c30, g60, c90
  assert.deepEqual(clonedDevices(buildTrack(rows)), []);
  assert.equal(clonedDevices(buildTrack(rows), { minSwitches: 3 }).length, 1);
});

test('a jump out and back, and a leap that stays, are gnss anomalies, not clones', () => {
  const jump = genuine.slice();
  const off = routePoint(A109, 110_000, 20_000);
  jump[10] = [off.lat, off.lon, 600];
  assert.deepEqual(clonedDevices(buildTrack(jump)), []);
  const leap = [...genuine.slice(0, 10), ...drive(A109, { fromM: 200_000, toM: 220_000, startS: 600, speedKmh: 60, intervalS: 60 })];
  assert.deepEqual(clonedDevices(buildTrack(leap)), []);
});

test('alternating between two spots 2 km apart is GNSS trouble, unless the separation is lowered', () => {
  const a = routePoint(A109, 300_000),
    b = routePoint(A109, 302_000);
  const rows: TrackRow[] = Array.from({ length: 12 }, (_, k) => {
    const p = k % 2 ? b : a;
    return [p.lat, p.lon, k * 10];
  });
  assert.deepEqual(clonedDevices(buildTrack(rows)), []);
  assert.equal(clonedDevices(buildTrack(rows), { minSeparationM: 1000 })[0].time, at(10));
});

const mariakani = routePoint(A109, 50_000),
  voi = routePoint(A109, 150_000);
const reader = (id: string, p: LatLon, s: number, epcs: string[], seq = s): ReadObservation => ({
  time: at(s),
  device: id,
  seq,
  position: { ...p, source: 'reader' },
  reads: epcs.map((epc) => ({ epc, time: at(s - 1) })),
});

test('a tag read at Mariakani and 10 minutes later at Voi, 100 km on, is cloned; one read 3 hours later is not', () => {
  const obs = [
    reader('RD-MARIAKANI', mariakani, 0, ['3074257BF7194E4000001A85', '3074257bf7194e4000001a86']),
    reader('RD-VOI', voi, 601, ['3074257bf7194e4000001a85']),
    reader('RD-VOI', voi, 3 * 3600 + 1, ['3074257bf7194e4000001a86']),
    reader('RD-MARIAKANI', mariakani, 120, ['3074257bf7194e4000001a86']),
  ];
  const [f, ...more] = clonedTags(obs);
  assert.equal(more.length, 0);
  assert.deepEqual(
    [f.time, f.details.subject, f.details.epc, f.details.first.reader, f.details.second.reader, f.details.switches],
    [at(600), 'tag', '3074257bf7194e4000001a85', 'RD-MARIAKANI', 'RD-VOI', 1],
  );
  near(f.details.distanceM, distanceM(mariakani, voi), 1);
  near(f.details.minSpeedKmh, (distanceM(mariakani, voi) / 601) * 3.6, 0.01);
});

test('installed reader locations override the reported position; reads without a place are skipped', () => {
  const obs = [
    reader('RD-A', mariakani, 0, ['aa']),
    reader('RD-B', mariakani, 60, ['aa']),
    { time: at(90), device: 'RD-C', seq: 1, position: null, reads: [{ epc: 'aa' }] },
  ];
  assert.deepEqual(clonedTags(obs), []);
  assert.equal(clonedTags(obs, { readerLocations: { 'RD-B': voi } })[0].time, at(59));
});

test('the findings are the same in order and shuffled (a cloned lock and a cloned tag)', () => {
  const obs: ReadObservation[] = [
    ...buildTrack([...genuine, ...copyAt(port, 20)]),
    reader('RD-MARIAKANI', mariakani, 100, ['beef']),
    reader('RD-VOI', voi, 700, ['beef']),
  ];
  const inOrder = deviceClones(obs);
  assert.deepEqual(
    inOrder.map((f) => [f.time, f.details.subject]),
    [
      [at(30), 'device'],
      [at(699), 'tag'],
    ],
  );
  for (const seed of [31, 32, 33, 34, 35]) assert.deepEqual(deviceClones(shuffled(obs, seed)), inOrder);
});
