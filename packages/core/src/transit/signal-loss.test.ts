import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedReportIntervalS, signalLost, type SignalDevice } from './signal-loss';
import { sortTrack } from './track';
import { at, buildReports, shuffled } from './test-builders';

const eLock: SignalDevice = { class: 'active', reportIntervalS: 60 };
const every = (fromS: number, toS: number, stepS = 60) =>
  Array.from({ length: Math.floor((toS - fromS) / stepS) + 1 }, (_, k) => fromS + k * stepS);
const spans = (episodes: { start: string; end: string | null }[]) => episodes.map((e) => [e.start, e.end]);

test('an e-lock reporting every minute has no signal_lost; a 10-minute silence is one, from the last report to the next', () => {
  assert.deepEqual(signalLost(eLock, buildReports(every(0, 3600)), at(3600)), []);
  const [e, ...more] = signalLost(eLock, buildReports([...every(0, 1200), ...every(1800, 3600)]), at(3600));
  assert.equal(more.length, 0);
  assert.deepEqual([e.type, e.start, e.end], ['signal_lost', at(1200), at(1800)]);
  assert.deepEqual(e.details, { lastHeardAt: at(1200), gapS: 600, expectedIntervalS: 60, thresholdS: 180, detectableAt: at(1380) });
});

test('the threshold is strict: a 180 s silence at 60 s × 3 is tolerated, 181 s is not; k is configurable', () => {
  assert.deepEqual(signalLost(eLock, buildReports([0, 180, 240]), at(240)), []);
  assert.equal(signalLost(eLock, buildReports([0, 181, 240]), at(240)).length, 1);
  assert.deepEqual(signalLost(eLock, buildReports([0, 181, 240]), at(240), { k: 5 }), []);
});

test('a silence still running at now is ongoing, once it is longer than the threshold', () => {
  assert.deepEqual(signalLost(eLock, buildReports(every(0, 600)), at(700)), []);
  const [e] = signalLost(eLock, buildReports(every(0, 600)), at(900));
  assert.deepEqual([e.start, e.end, e.details.gapS], [at(600), null, 300]);
});

test('expected intervals by class: active defaults to 300 s, semi-active only with a heartbeat, passive never', () => {
  assert.equal(expectedReportIntervalS({ class: 'active', reportIntervalS: null }), 300);
  assert.equal(expectedReportIntervalS({ class: 'semi_active', reportIntervalS: null }), null);
  assert.equal(expectedReportIntervalS({ class: 'semi_active', reportIntervalS: null }, { heartbeatIntervalS: 3600 }), 3600);
  assert.equal(expectedReportIntervalS({ class: 'passive', reportIntervalS: 60 }), null);
  const days = buildReports([0, 3 * 86_400]);
  assert.deepEqual(signalLost({ class: 'semi_active', reportIntervalS: null }, days, at(4 * 86_400)), []);
  assert.deepEqual(signalLost({ class: 'passive', reportIntervalS: null }, days, at(4 * 86_400)), []);
  const heartbeat = signalLost({ class: 'semi_active', reportIntervalS: 3600 }, days, at(4 * 86_400));
  assert.deepEqual(spans(heartbeat), [
    [at(0), at(3 * 86_400)],
    [at(3 * 86_400), null],
  ]);
});

test('the watch runs from the start of the movement to its arrival: silence outside it does not count', () => {
  const reports = buildReports([0, ...every(7200, 9000), ...every(20_000, 20_600)]);
  const got = signalLost(eLock, reports, at(30_000), { watchFrom: at(3600), watchUntil: at(15_000) });
  assert.deepEqual(spans(got), [
    [at(3600), at(7200)],
    [at(9000), at(15_000)],
  ]);
  assert.equal(got[0].details.lastHeardAt, at(0), 'heard before the movement started');
  assert.equal(signalLost(eLock, buildReports(every(7200, 9000)), at(9000), { watchFrom: at(3600) })[0].details.lastHeardAt, null);
  assert.deepEqual(signalLost(eLock, reports, at(3700), { watchFrom: at(3600) }), []);
});

test('signal_lost is the same in order, shuffled, and shuffled then re-sorted', () => {
  const reports = buildReports([...every(0, 1200, 30), ...every(2000, 2400, 45), ...every(4000, 5000, 60)]);
  const inOrder = signalLost(eLock, reports, at(6000), { watchFrom: at(0) });
  assert.deepEqual(spans(inOrder), [
    [at(1200), at(2000)],
    [at(2360), at(4000)],
    [at(4960), null],
  ]);
  for (const seed of [41, 42, 43]) {
    assert.deepEqual(signalLost(eLock, shuffled(reports, seed), at(6000), { watchFrom: at(0) }), inOrder);
    assert.deepEqual(signalLost(eLock, sortTrack(shuffled(reports, seed)), at(6000), { watchFrom: at(0) }), inOrder);
  }
});

test('buffered history uploaded after a coverage gap splits the episode, or removes it when it covers the gap', () => {
  const live = buildReports([...every(0, 1200), ...every(3000, 3600)]);
  assert.deepEqual(spans(signalLost(eLock, live, at(2400))), [[at(1200), null]]);
  assert.deepEqual(spans(signalLost(eLock, live, at(3600))), [[at(1200), at(3000)]]);
  const someBuffered = buildReports([...every(1260, 1800), ...every(2400, 2940)]);
  assert.deepEqual(spans(signalLost(eLock, [...live, ...someBuffered], at(3600))), [[at(1800), at(2400)]]);
  const allBuffered = buildReports(every(1260, 2940));
  assert.deepEqual(signalLost(eLock, [...live, ...allBuffered], at(3600)), []);
});
