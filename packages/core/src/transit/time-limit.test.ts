import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastEta, transitOverdue, type TimeLimitOptions } from './time-limit';
import { buildRouteIndex } from './route-index';
import { sortTrack } from './track';
import { A109, at, buildTrack, drive, dwell, routePoint, shuffled, type TrackRow } from './test-builders';

const route = buildRouteIndex(A109);
const h = 3600;
const L = route.lengthM;

/** 80 km/h for 2 h (160 km), parked 8 h overnight, then 80 km/h to Nairobi (445 km); a fix every 5 min. */
function delayedTrip(): TrackRow[] {
  const leg1 = drive(A109, { fromM: 0, toM: 160_000, startS: 0, speedKmh: 80, intervalS: 300 });
  const stay = dwell(routePoint(A109, 160_000), { startS: 2 * h + 300, durationS: 8 * h - 600, intervalS: 300, noiseM: 10 });
  const leg2 = drive(A109, { fromM: 160_000, toM: L, startS: 10 * h, speedKmh: 80, intervalS: 300 });
  return [...leg1, ...stay, ...leg2];
}
const arrivalS = 10 * h + Math.floor((L - 160_000) / (80 / 3.6) / 300) * 300;
/**
 * When standing still at 160 km has used up the slack: from then on the rest of the road (the
 * next 3 hours' worth at the observed moving speed of 80 km/h, the rest at the planned 50 km/h),
 * plus the 1-hour margin, reaches the 12-hour limit.
 */
const atRiskS = 11 * h - 3 * h - (L - 160_000 - 240_000) / (50 / 3.6); // 3 h (240 km) at 80 km/h, the rest at the planned 50
const limits: TimeLimitOptions = { timeLimit: at(12 * h) };

test('an on-time trip raises nothing, during the trip or after the time limit once arrived', () => {
  const rows = drive(A109, { fromM: 0, toM: L, startS: 0, speedKmh: 80, intervalS: 300, noiseM: 20 });
  const obs = buildTrack(rows);
  for (let s = 0; s <= rows[rows.length - 1][2]; s += 1800) assert.deepEqual(transitOverdue(route, obs, at(s), limits), [], `at ${s} s`);
  const arrived = at(rows[rows.length - 1][2]);
  assert.deepEqual(transitOverdue(route, obs, at(12 * h), { ...limits, arrivedAt: arrived }), []);
});

test('an 8-hour stop warns once the stop has used up the slack, the warning becomes transit_overdue at the limit, which ends at arrival', () => {
  const obs = buildTrack(delayedTrip());
  const [warning, overdue, ...more] = transitOverdue(route, obs, at(15 * h), { ...limits, arrivedAt: at(arrivalS) });
  assert.equal(more.length, 0);
  assert.equal(warning.details.level, 'warning');
  assert.ok(
    warning.start >= at(atRiskS) && warning.start < at(atRiskS + 300),
    `warning from ${warning.start}, at risk from ${at(atRiskS)}`,
  );
  assert.equal(warning.end, at(12 * h));
  assert.equal(warning.details.forecast?.speedSource, 'observed');
  assert.ok(Math.abs(warning.details.forecast!.speedKmh - 80) < 1, 'the speed of the road when moving, the stop left out');
  assert.ok(warning.details.forecast!.eta >= at(11 * h - 300), `eta ${warning.details.forecast!.eta}`);
  assert.ok(Math.abs(warning.details.forecast!.remainingM - (L - 160_000)) < 100);
  assert.deepEqual([overdue.details.level, overdue.start, overdue.end], ['overdue', at(12 * h), at(arrivalS)]);
});

test('evaluated at any earlier time, with the data known by then, the episodes are a prefix of the final ones', () => {
  const obs = buildTrack(delayedTrip());
  const final = transitOverdue(route, obs, at(13 * h), limits);
  assert.deepEqual(
    final.map((e) => [e.details.level, e.end]),
    [
      ['warning', at(12 * h)],
      ['overdue', null],
    ],
  );
  let seen = 0;
  for (let s = 0; s <= 13 * h; s += 600) {
    const now = at(s);
    const then = transitOverdue(
      route,
      obs.filter((o) => o.time <= now),
      now,
      limits,
    );
    then.forEach((e, i) => {
      assert.deepEqual([e.start, e.details], [final[i].start, final[i].details], `at ${s} s`);
      assert.ok(e.end === null || e.end === final[i].end);
    });
    seen += then.length;
  }
  assert.ok(seen > 10);
});

test('without a route or a fix the warning starts at limit − margin, and overdue follows at the limit', () => {
  assert.deepEqual(transitOverdue(null, [], at(10 * h), limits), []);
  const before = transitOverdue(null, [], at(11 * h + 1800), limits);
  assert.deepEqual(
    before.map((e) => [e.details.level, e.start, e.end]),
    [['warning', at(11 * h), null]],
  );
  assert.equal(before[0].details.forecast, undefined);
  const after = transitOverdue(null, [], at(13 * h), { ...limits, warningMarginS: 2 * h });
  assert.deepEqual(
    after.map((e) => [e.details.level, e.start, e.end]),
    [
      ['warning', at(10 * h), at(12 * h)],
      ['overdue', at(12 * h), null],
    ],
  );
});

test('an arrival before the time limit ends the warning and there is no overdue', () => {
  const got = transitOverdue(null, [], at(15 * h), { ...limits, arrivedAt: at(11 * h + 1200) });
  assert.deepEqual(
    got.map((e) => [e.details.level, e.start, e.end]),
    [['warning', at(11 * h), at(11 * h + 1200)]],
  );
  assert.deepEqual(transitOverdue(null, [], at(15 * h), { ...limits, arrivedAt: at(10 * h) }), []);
});

test('the ETA uses the observed speed when 15 minutes of track are known, bounded, else 50 km/h', () => {
  const first = buildTrack(drive(A109, { fromM: 0, toM: 20_000, startS: 0, speedKmh: 60, intervalS: 60 }));
  const early = forecastEta(route, first, at(600), limits)!;
  assert.deepEqual([early.speedKmh, early.speedSource], [50, 'default']);
  const later = forecastEta(route, first, at(1200), limits)!;
  assert.equal(later.speedSource, 'observed');
  assert.ok(Math.abs(later.speedKmh - 60) < 1, `speed ${later.speedKmh}`);
  const remaining = L - 20_000;
  assert.ok(Math.abs(later.remainingM - remaining) < 50);
  // The next 3 hours of road at the observed speed, the rest at the planned 50 km/h.
  const nearM = Math.min(later.remainingM, (later.speedKmh / 3.6) * 3 * h);
  const driveS = nearM / (later.speedKmh / 3.6) + (later.remainingM - nearM) / (50 / 3.6);
  assert.ok(Math.abs(Date.parse(later.eta) - (Date.parse(at(1200)) + driveS * 1000)) < 1);
  const racing = forecastEta(
    route,
    buildTrack(drive(A109, { fromM: 0, toM: 100_000, startS: 0, speedKmh: 200, intervalS: 60 })),
    at(1800),
    limits,
  )!;
  assert.equal(racing.speedKmh, 90);
  const stale = forecastEta(route, first, at(20 * h), limits)!;
  assert.equal(stale.eta, at(20 * h), 'an ETA is never in the past');
});

test('the same fixes give the same episodes in order, shuffled, and shuffled then re-sorted', () => {
  const obs = buildTrack(delayedTrip());
  const inOrder = transitOverdue(route, obs, at(13 * h), limits);
  assert.equal(inOrder.length, 2);
  for (const seed of [31, 32, 33]) {
    assert.deepEqual(transitOverdue(route, shuffled(obs, seed), at(13 * h), limits), inOrder);
    assert.deepEqual(transitOverdue(route, sortTrack(shuffled(obs, seed)), at(13 * h), limits), inOrder);
  }
});

test('buffered fixes that show a long stop during a coverage gap raise the warning from within the gap', () => {
  const rows = delayedTrip();
  const live = buildTrack(rows.filter(([, , s]) => s <= 2 * h));
  // At 8 h the last live fix (2 h, 160 km, 80 km/h) forecasts Nairobi at 5.6 h, well within the limit.
  assert.deepEqual(transitOverdue(route, live, at(8 * h), limits), []);
  const buffered = buildTrack(rows.filter(([, , s]) => s > 2 * h && s <= 8 * h));
  const [warning] = transitOverdue(route, [...live, ...buffered], at(8 * h), limits);
  assert.ok(
    warning.start >= at(atRiskS) && warning.start < at(atRiskS + 300) && warning.end === null,
    `warning ${warning.start}–${warning.end}`,
  );
});
