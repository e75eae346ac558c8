import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gnssAnomalies, pairSpeed, tracksByDevice } from './gnss-anomaly';
import type { TrackObservation } from './track';
import { A109, at, buildTrack, drive, routePoint, shuffled, type TrackRow } from './test-builders';

/** 60 km/h, a fix every 30 s: fix k is 500 m × k past 100 km, at 30 s × k. */
const trip = (toM = 110_000) => drive(A109, { fromM: 100_000, toM, startS: 0, speedKmh: 60, intervalS: 30 });
const near = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} not within ${tol} of ${b}`);

test('a clean trip at 90 km/h with 25 m of noise, and two devices far apart, have no anomaly', () => {
  const rows = drive(A109, { fromM: 0, toM: 200_000, startS: 0, speedKmh: 90, intervalS: 60, noiseM: 25 });
  const other = buildTrack(drive(A109, { fromM: 300_000, toM: 320_000, startS: 0, speedKmh: 90, intervalS: 60 }), 'LOCK-2');
  assert.deepEqual(gnssAnomalies([...buildTrack(rows), ...other]), []);
});

test('a fix thrown 5 km off and back is one jump, with the pair, the implied speed and the return', () => {
  const rows = trip();
  const off = routePoint(A109, 105_000, 5000);
  rows[10] = [off.lat, off.lon, 300];
  const [a, ...more] = gnssAnomalies(buildTrack(rows));
  assert.equal(more.length, 0);
  assert.deepEqual(
    [a.type, a.time, a.details.kind, a.details.device, a.details.from!.time, a.details.to.time, a.details.returnedAt],
    ['gnss_anomaly', at(300), 'jump', 'LOCK-1', at(270), at(300), at(330)],
  );
  near(a.details.distanceM, Math.hypot(500, 5000), 60);
  near(a.details.impliedSpeedKmh!, (Math.hypot(500, 5000) / 30) * 3.6, 8);
});

test('the same outlier repeated (a fix resent, or held for a few reports) is one jump, not one per report', () => {
  const rows = trip();
  const off = routePoint(A109, 105_000, 5000);
  rows[10] = [off.lat, off.lon, 300];
  rows[11] = [off.lat, off.lon, 330];
  rows[12] = [off.lat, off.lon, 360];
  const found = gnssAnomalies(buildTrack(rows));
  assert.deepEqual(
    found.map((a) => [a.time, a.details.kind, a.details.returnedAt]),
    [[at(300), 'jump', at(390)]],
  );
});

test('receiver noise (a fix 400 m off in a town, 5 s after the last, no accuracy reported) is no anomaly; 3 km off is', () => {
  const rows = drive(A109, { fromM: 100_000, toM: 103_000, startS: 0, speedKmh: 36, intervalS: 5 });
  const noisy = rows.slice();
  const p = routePoint(A109, 101_500, 400);
  noisy[30] = [p.lat, p.lon, 150];
  assert.deepEqual(gnssAnomalies(buildTrack(noisy)), []);
  const q = routePoint(A109, 101_500, 3000);
  noisy[30] = [q.lat, q.lon, 150];
  assert.deepEqual(
    gnssAnomalies(buildTrack(noisy)).map((a) => a.details.kind),
    ['jump'],
  );
});

test('a one-way leap of 30 km in 30 s is an impossible_speed; a fix 1 km off with 1.2 km accuracy is not', () => {
  const rows: TrackRow[] = [...trip(105_000), ...drive(A109, { fromM: 135_500, toM: 140_000, startS: 330, speedKmh: 60, intervalS: 30 })];
  const [a, ...more] = gnssAnomalies(buildTrack(rows));
  assert.equal(more.length, 0);
  assert.deepEqual([a.time, a.details.kind, a.details.from!.time], [at(330), 'impossible_speed', at(300)]);
  near(a.details.distanceM, 30_500, 300);
  near(a.details.minSpeedKmh!, 3660, 40);
  const fuzzy = trip();
  const p = routePoint(A109, 105_000, 1000);
  fuzzy[10] = [p.lat, p.lon, 300, 1200];
  assert.deepEqual(gnssAnomalies(buildTrack(fuzzy)), []);
});

test('a cell position 15 km off the GNSS track is cell_inconsistent; one 800 m off with no accuracy (1 km assumed) is fine', () => {
  const gnss = buildTrack(trip());
  const far = routePoint(A109, 105_000, 15_000),
    close = routePoint(A109, 102_500, 800);
  const cell = (s: number, lat: number, lon: number, accuracy?: number): TrackObservation => ({
    time: at(s),
    device: 'LOCK-1',
    seq: 900 + s,
    position: { lat, lon, source: 'cell', ...(accuracy ? { accuracy } : {}) },
  });
  const [a, ...more] = gnssAnomalies([...gnss, cell(305, far.lat, far.lon, 1500), cell(155, close.lat, close.lon)]);
  assert.equal(more.length, 0);
  assert.deepEqual(
    [a.time, a.details.kind, a.details.from!.time, a.details.to.source, a.details.to.accuracyM, a.details.returnedAt],
    [at(305), 'cell_inconsistent', at(300), 'cell', 1500, at(330)],
  );
});

test('two fixes of one device at the same instant 2 km apart are impossible (no implied speed, infinite minimum)', () => {
  const p = routePoint(A109, 100_000),
    q = routePoint(A109, 102_000);
  const [a] = gnssAnomalies(
    buildTrack([
      [p.lat, p.lon, 0],
      [q.lat, q.lon, 0],
    ]),
  );
  assert.deepEqual([a.details.kind, a.details.impliedSpeedKmh, a.details.minSpeedKmh], ['impossible_speed', null, Infinity]);
  assert.equal(
    pairSpeed({ ...p, t: 0, time: at(0), accuracyM: 1500, source: 'gnss' }, { ...q, t: 0, time: at(0), accuracyM: 600, source: 'gnss' })
      .minSpeedKmh,
    0,
  );
});

test('a reader reporting a position 3 km from where it is installed is a reader_offset; its positions are not a track', () => {
  const gate = routePoint(A109, 50_000),
    moved = routePoint(A109, 53_000);
  const reads: TrackObservation[] = [
    { time: at(0), device: 'READER-MARIAKANI', seq: 1, position: { ...gate, source: 'reader' } },
    { time: at(10), device: 'READER-MARIAKANI', seq: 2, position: { ...moved, source: 'reader' } },
  ];
  assert.equal(tracksByDevice(reads).size, 0);
  assert.deepEqual(gnssAnomalies(reads), []);
  const [a, ...more] = gnssAnomalies(reads, { readerLocations: { 'READER-MARIAKANI': gate } });
  assert.equal(more.length, 0);
  assert.deepEqual([a.time, a.details.kind, a.details.from, a.details.readerLocation], [at(10), 'reader_offset', null, gate]);
  near(a.details.distanceM, 3000, 30);
});

test('the anomalies are the same in order and shuffled (two devices, equal times)', () => {
  const rows = trip();
  const off = routePoint(A109, 104_000, -8000);
  rows[8] = [off.lat, off.lon, 240];
  const obs = [
    ...buildTrack(rows, 'LOCK-1'),
    ...buildTrack([...trip(104_000), ...drive(A109, { fromM: 150_000, toM: 152_000, startS: 270, intervalS: 30 })], 'TRACKER-2'),
  ];
  const inOrder = gnssAnomalies(obs);
  assert.deepEqual(
    inOrder.map((a) => [a.time, a.details.device, a.details.kind]),
    [
      [at(240), 'LOCK-1', 'jump'],
      [at(270), 'TRACKER-2', 'impossible_speed'],
    ],
  );
  for (const seed of [21, 22, 23, 24, 25]) assert.deepEqual(gnssAnomalies(shuffled(obs, seed)), inOrder);
});
