import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectableAt, stampDetection, stampOpened } from './late-detection';
import { diffEpisodes } from './episode-diff';
import { routeDeviations } from './route-deviation';
import { buildRouteIndex } from './route-index';
import { A109, at, buildTrack, drive, shuffled } from './test-builders';

const route = buildRouteIndex(A109);
/** 600 m off the route between 105 and 110 km at 60 km/h: outside from 300 s, confirmed at 420 s, back at 630 s. */
const rows = drive(A109, {
  fromM: 100_000,
  toM: 120_000,
  startS: 0,
  speedKmh: 60,
  intervalS: 30,
  sideM: (a) => (a >= 105_000 && a <= 110_000 ? 600 : 0),
});
const deviations = (obs = buildTrack(rows)) => routeDeviations(route, obs, { corridorWidthM: 500 });

test('a deviation is detectable when its tolerance is reached, not when it started', () => {
  const [e] = deviations();
  assert.equal(detectableAt(e), at(420));
  assert.equal(detectableAt({ type: 'checkpoint_missed', time: at(50), details: {} }), at(50));
  assert.equal(detectableAt({ type: 'x', start: at(100), end: null, details: { detectableAt: at(40) } }), at(100));
});

test('found by the first run after it was confirmed, it is on time, however earlier it started', () => {
  const d = stampDetection(deviations()[0], at(400), at(460));
  assert.deepEqual(d, { occurredAt: at(300), detectableAt: at(420), detectedAt: at(460), late: false, delayS: 40 });
  assert.equal(stampDetection(deviations()[0], null, at(5000)).late, false);
});

test('the fixes of a coverage gap uploaded an hour later open it late: occurred at 300 s, detected at 4200 s', () => {
  const all = buildTrack(rows);
  const live = all.filter((_, k) => k <= 10 || k >= 21);
  const before = deviations(live); // one outside fix: nothing yet
  assert.deepEqual(before, []);
  const after = deviations(shuffled(all, 3)); // the buffered fixes arrive, in any order
  const [opened] = stampOpened(diffEpisodes(before, after).opened, at(4140), at(4200));
  assert.deepEqual([opened.type, opened.start, opened.end], ['route_deviation', at(300), at(630)]);
  assert.deepEqual(opened.detection, { occurredAt: at(300), detectableAt: at(420), detectedAt: at(4200), late: true, delayS: 3780 });
});

test('a fact is stamped from its time', () => {
  const [f] = stampOpened([{ type: 'gnss_anomaly', time: at(100), details: {} }], at(200), at(260));
  assert.deepEqual(f.detection, { occurredAt: at(100), detectableAt: at(100), detectedAt: at(260), late: true, delayS: 160 });
});
