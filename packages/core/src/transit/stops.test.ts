import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findStops, unauthorizedStops, type StopEpisode } from './stops';
import { sortTrack } from './track';
import { distanceM } from '../geo/distance';
import { A109, at, buildTrack, drive, dwell, offsetPoint, routePoint, shuffled, type TrackRow } from './test-builders';
import type { AuthorizedStop } from '../model';

/** The truck park at Mtito Andei, about 240 km from Mombasa on the A109. */
const mtitoAndei = { lat: -2.6905, lon: 38.1662 };
const min = 60;

/** Drives to Mtito Andei, stands there `stayS` with 15 m jitter (a fix a minute), drives on. */
function tripWithStop(stayS: number, o: { outlierAtS?: number; noiseM?: number; rows?: (r: TrackRow[]) => TrackRow[] } = {}): TrackRow[] {
  const before = Array.from({ length: 21 }, (_, k): TrackRow => {
    const p = offsetPoint(mtitoAndei, 225, 21_000 - k * 1000); // 60 km/h up the road, 1 km away at 20 min
    return [p.lat, p.lon, k * 60];
  });
  const stay = dwell(mtitoAndei, { startS: 20 * min + 60, durationS: stayS, intervalS: 60, noiseM: o.noiseM ?? 15 });
  if (o.outlierAtS !== undefined) {
    const k = stay.findIndex((r) => r[2] === o.outlierAtS);
    const p = offsetPoint(mtitoAndei, 80, 300);
    stay[k] = [p.lat, p.lon, o.outlierAtS];
  }
  const leave = stay[stay.length - 1][2] + 60;
  const after = Array.from({ length: 20 }, (_, k): TrackRow => {
    const p = offsetPoint(mtitoAndei, 45, 1000 * (k + 1));
    return [p.lat, p.lon, leave + k * 60];
  });
  return [...before, ...stay, ...after];
}

test('a truck driving at 60 km/h and one crawling at 5 km/h in a queue make no stop', () => {
  assert.deepEqual(findStops(buildTrack(drive(A109, { fromM: 0, toM: 50_000, startS: 0, speedKmh: 60, intervalS: 30, noiseM: 15 }))), []);
  assert.deepEqual(findStops(buildTrack(drive(A109, { fromM: 0, toM: 2_000, startS: 0, speedKmh: 5, intervalS: 60, noiseM: 5 }))), []);
});

test('a 45-minute stop with 15 m of GNSS jitter is one stop from the first fix there to the first fix away', () => {
  const [stop, ...more] = findStops(buildTrack(tripWithStop(45 * min)));
  assert.equal(more.length, 0);
  assert.equal(stop.start, at(21 * min));
  assert.equal(stop.end, at(21 * min + 45 * min + 60));
  assert.equal(stop.details.durationS, 45 * min);
  assert.equal(stop.details.lastSeenAt, at(66 * min));
  assert.equal(stop.details.fixes, 46);
  assert.ok(distanceM(stop.details.center, mtitoAndei) < 10, `centre ${distanceM(stop.details.center, mtitoAndei)} m off`);
});

test('a lone multipath fix 300 m away does not split the stop; two in a row do', () => {
  const [stop, ...more] = findStops(buildTrack(tripWithStop(45 * min, { outlierAtS: 21 * min + 20 * min })));
  assert.equal(more.length, 0);
  assert.equal(stop.details.outliers, 1);
  assert.equal(stop.details.durationS, 45 * min);
  const rows = tripWithStop(45 * min);
  for (const s of [41 * min, 42 * min]) {
    const k = rows.findIndex((r) => r[2] === s);
    const p = offsetPoint(mtitoAndei, 80, 300);
    rows[k] = [p.lat, p.lon, s];
  }
  const split = findStops(buildTrack(rows));
  assert.deepEqual(
    split.map((s) => [s.start, s.end]),
    [
      [at(21 * min), at(41 * min)],
      [at(43 * min), at(67 * min)],
    ],
  );
});

test('the radius widens by the reported accuracy: 90 m of scatter is a stop when fixes say ±100 m', () => {
  const rows = tripWithStop(40 * min, { noiseM: 90 });
  assert.notEqual(findStops(buildTrack(rows)).filter((s) => s.details.durationS >= 40 * min).length, 1);
  const withAccuracy = rows.map(([lat, lon, s]): TrackRow => [lat, lon, s, 100]);
  const long = findStops(buildTrack(withAccuracy)).filter((s) => s.details.durationS >= 40 * min);
  assert.equal(long.length, 1);
});

test('a 4-minute halt is below the 5-minute default; a stop still under way is ongoing', () => {
  assert.deepEqual(findStops(buildTrack(tripWithStop(4 * min))), []);
  const rows = tripWithStop(45 * min).filter(([, , s]) => s <= 50 * min);
  const [stop] = findStops(buildTrack(rows));
  assert.equal(stop.end, null);
  assert.equal(stop.details.durationS, 29 * min);
});

test('stops are the same in order, shuffled, and shuffled then re-sorted', () => {
  const obs = buildTrack(tripWithStop(45 * min, { outlierAtS: 30 * min }));
  const inOrder = findStops(obs);
  assert.equal(inOrder.length, 1);
  for (const seed of [11, 12, 13]) {
    assert.deepEqual(findStops(shuffled(obs, seed)), inOrder);
    assert.deepEqual(findStops(sortTrack(shuffled(obs, seed))), inOrder);
  }
});

test('buffered fixes showing the truck left during a coverage gap turn one long stop into two short ones', () => {
  const rows = tripWithStop(50 * min);
  // Live: seen at the stop until 31 min, then nothing until it is seen there again at 51 min.
  const live = rows.filter(([, , s]) => s <= 31 * min || s >= 51 * min);
  const [long] = findStops(buildTrack(live));
  assert.equal(long.details.durationS, 50 * min);
  // Buffered history: it had driven 3 km up the road and back between 32 and 50 min.
  const gap = rows
    .filter(([, , s]) => s > 31 * min && s < 51 * min)
    .map(([, , s]): TrackRow => {
      const p = offsetPoint(mtitoAndei, 45, 3000 * Math.sin(((s - 31 * min) / (20 * min)) * Math.PI));
      return [p.lat, p.lon, s];
    });
  const stops = findStops(buildTrack([...live, ...gap]));
  assert.deepEqual(
    stops.map((s) => [s.start, s.details.durationS]),
    [
      [at(21 * min), 10 * min],
      [at(51 * min), 20 * min],
    ],
  );
  const auth = unauthorizedStops(stops, [], []);
  assert.deepEqual(auth, []);
  assert.equal(unauthorizedStops(findStops(buildTrack(live)), [], []).length, 1);
});

const stopAt = (durationS: number, center = mtitoAndei): StopEpisode => ({
  type: 'stop',
  start: at(0),
  end: at(durationS + 60),
  details: { center, durationS, lastSeenAt: at(durationS), fixes: 10, outliers: 0 },
});
const truckPark: AuthorizedStop = { name: 'Mtito Andei truck park', area: { center: mtitoAndei, radiusM: 400 }, maxDwellMinutes: 60 };
const nairobiIcd = { code: 'KENBO', area: { center: { lat: -1.3308, lon: 36.9062 }, radiusM: 1500 } };

test('raises unauthorized_stop for a stop over 30 minutes outside every authorised area, with when it went over', () => {
  const roadside = routePoint(A109, 150_000);
  const [e] = unauthorizedStops([stopAt(45 * min, roadside)], [truckPark], [nairobiIcd]);
  assert.equal(e.type, 'unauthorized_stop');
  assert.equal(e.details.reason, 'outside_authorized_areas');
  assert.equal(e.details.limitMinutes, 30);
  assert.equal(e.details.exceededAt, at(30 * min));
  assert.deepEqual([e.start, e.end], [at(0), at(45 * min + 60)]);
  assert.deepEqual(unauthorizedStops([stopAt(30 * min, roadside)], [], []), [], 'exactly the limit is allowed');
  assert.equal(unauthorizedStops([stopAt(45 * min, roadside)], [], [], { maxStopMinutes: 60 }).length, 0);
});

test('at an authorised stop the limit is its maxDwellMinutes, and the alert names the stop', () => {
  assert.deepEqual(unauthorizedStops([stopAt(55 * min)], [truckPark], []), []);
  const [e] = unauthorizedStops([stopAt(75 * min)], [truckPark], []);
  assert.deepEqual([e.details.reason, e.details.authorizedStop, e.details.limitMinutes], ['dwell_exceeded', 'Mtito Andei truck park', 60]);
  const overlapping = { ...truckPark, name: 'Mtito Andei fuel station', maxDwellMinutes: 90 };
  assert.deepEqual(unauthorizedStops([stopAt(75 * min)], [truckPark, overlapping], []), []);
});

test('a three-hour wait inside an office area is not an unauthorized stop', () => {
  assert.deepEqual(unauthorizedStops([stopAt(180 * min, { lat: -1.332, lon: 36.907 })], [truckPark], [nairobiIcd]), []);
});
