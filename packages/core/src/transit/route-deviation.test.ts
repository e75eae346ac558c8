import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeDeviations } from './route-deviation';
import { buildRouteIndex } from './route-index';
import { sortTrack } from './track';
import { A109, at, buildReports, buildTrack, drive, routePoint, shuffled, type TrackRow } from './test-builders';

const route = buildRouteIndex(A109);
const corridor = { corridorWidthM: 500 };
/** 60 km/h with a fix every 30 s: fix k is 500 m × k past `fromM`, at `startS` + 30 s × k. */
const trip = (sideM: (alongM: number) => number, o: { fromM?: number; toM?: number; noiseM?: number } = {}) =>
  drive(A109, { fromM: o.fromM ?? 100_000, toM: o.toM ?? 120_000, startS: 0, speedKmh: 60, intervalS: 30, sideM, noiseM: o.noiseM });
/** 600 m to the right between 105 and 110 km: fixes k = 10..20, 300 s to 600 s. */
const detour = (along: number) => (along >= 105_000 && along <= 110_000 ? 600 : 0);

test('a clean trip with GNSS noise stays inside a 500 m corridor', () => {
  const rows = drive(A109, { fromM: 0, toM: lineEnd(), startS: 0, speedKmh: 70, intervalS: 60, noiseM: 25 });
  assert.deepEqual(routeDeviations(route, buildTrack(rows), corridor), []);
});

test('raises route_deviation once the truck has been 600 m outside the corridor for 5 minutes, and clears when back', () => {
  const [e, ...more] = routeDeviations(route, buildTrack(trip(detour)), corridor);
  assert.equal(more.length, 0);
  assert.equal(e.type, 'route_deviation');
  assert.equal(e.start, at(300));
  assert.equal(e.end, at(630));
  assert.equal(e.details.durationS, 330);
  assert.equal(e.details.confirmedAt, at(420));
  assert.equal(e.details.lastOutsideAt, at(600));
  assert.equal(e.details.fixes, 11);
  assert.ok(Math.abs(e.details.maxDistanceM - 600) < 10, `max ${e.details.maxDistanceM}`);
  assert.equal(e.details.firstOutside.time, at(300));
  const first = routePoint(A109, 105_000, 600);
  assert.ok(Math.abs(e.details.firstOutside.lat - first.lat) < 1e-9 && Math.abs(e.details.firstOutside.lon - first.lon) < 1e-9);
});

test('a single outlier fix 2 km off between fixes inside opens nothing', () => {
  const rows = trip(() => 0);
  const p = routePoint(A109, 107_000, -2000);
  rows[14] = [p.lat, p.lon, rows[14][2]];
  assert.deepEqual(routeDeviations(route, buildTrack(rows), corridor), []);
});

test('90 s outside is within the default 120 s tolerance but a deviation with a 60 s tolerance', () => {
  const rows = trip((a) => (a >= 105_000 && a <= 106_500 ? 800 : 0));
  assert.deepEqual(routeDeviations(route, buildTrack(rows), corridor), []);
  const [e] = routeDeviations(route, buildTrack(rows), { ...corridor, toleranceS: 60 });
  assert.equal(e.start, at(300));
  assert.equal(e.details.durationS, 120);
});

test('a deviation still under way at the last fix is ongoing (end null)', () => {
  const rows = trip((a) => (a >= 110_000 ? 1500 : 0));
  const [e] = routeDeviations(route, buildTrack(rows), corridor);
  assert.equal(e.start, at(600));
  assert.equal(e.end, null);
  assert.equal(e.details.durationS, 1200 - 600);
});

test('an imprecise fix counts neither way; reports without a position are ignored', () => {
  const rows: TrackRow[] = trip(detour);
  const inside = routePoint(A109, 108_000, 700);
  rows[16] = [inside.lat, inside.lon, rows[16][2], 400]; // 700 m off ± 400 m: not clearly outside, not inside
  const lone = routePoint(A109, 115_000, 1500);
  rows[30] = [lone.lat, lone.lon, rows[30][2], 2000];
  const [e, ...more] = routeDeviations(route, [...buildTrack(rows), ...buildReports([400, 500, 900])], corridor);
  assert.equal(more.length, 0);
  assert.deepEqual([e.start, e.end, e.details.fixes], [at(300), at(630), 10]);
});

test('the same fixes give the same episodes in order, shuffled, and shuffled then re-sorted (two devices, equal times)', () => {
  // An e-lock and a tracker on the same truck, reporting at the same seconds with their own noise.
  const a = buildTrack(trip(detour, { noiseM: 20 }), 'LOCK-1');
  const b = buildTrack(
    drive(A109, { fromM: 100_000, toM: 120_000, startS: 0, speedKmh: 60, intervalS: 30, sideM: detour, noiseM: 40, seed: 9 }),
    'TRACKER-2',
  );
  const inOrder = routeDeviations(route, sortTrack([...a, ...b]), corridor);
  assert.equal(inOrder.length, 1);
  assert.equal(inOrder[0].details.fixes, 22);
  for (const seed of [1, 2, 3, 4, 5]) {
    const mixed = shuffled([...a, ...b], seed);
    assert.deepEqual(routeDeviations(route, mixed, corridor), inOrder);
    assert.deepEqual(routeDeviations(route, sortTrack(mixed), corridor), inOrder);
  }
});

test('buffered fixes that arrive late and fill a gap open the deviation they show', () => {
  const all = buildTrack(trip(detour));
  const live = all.filter((_, k) => k <= 10 || k >= 21); // out of coverage between 330 s and 600 s
  assert.deepEqual(routeDeviations(route, live, corridor), []); // one outside fix only
  const [e] = routeDeviations(route, [...live, ...all.filter((_, k) => k > 10 && k < 21)], corridor);
  assert.deepEqual([e.start, e.end, e.details.durationS], [at(300), at(630), 330]);
});

test('buffered fixes that arrive late and show the truck back inside split a deviation into two short excursions', () => {
  const all = buildTrack(trip((a) => ((a >= 105_000 && a <= 105_500) || (a >= 109_500 && a <= 110_000) ? 700 : 0)));
  const live = all.filter((_, k) => k <= 10 || k >= 20);
  const [e] = routeDeviations(route, live, corridor);
  assert.deepEqual([e.start, e.end, e.details.durationS], [at(300), at(630), 330]);
  assert.deepEqual(routeDeviations(route, all, corridor), []);
});

function lineEnd(): number {
  return route.lengthM;
}
