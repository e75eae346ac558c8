import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffEpisodes, diffFacts } from './episode-diff';
import { signalLost } from './signal-loss';
import { at, buildReports } from './test-builders';
import type { TransitEpisode, TransitFact } from './track';

const ep = (type: string, startS: number, endS: number | null, details: Record<string, unknown> = {}): TransitEpisode => ({
  type,
  start: at(startS),
  end: endS === null ? null : at(endS),
  details,
});

test('an episode that ended since the last run is changed, not opened again', () => {
  const d = diffEpisodes([ep('route_deviation', 300, null)], [ep('route_deviation', 300, 630)]);
  assert.deepEqual([d.opened.length, d.changed.length, d.retracted.length, d.unchanged.length], [0, 1, 0, 0]);
  assert.equal(d.changed[0].after.end, at(630));
});

test('late data that moves the start earlier keeps the identity; the same run again is unchanged', () => {
  const d = diffEpisodes([ep('signal_lost', 1200, null)], [ep('signal_lost', 1100, null)]);
  assert.equal(d.changed.length, 1);
  const same = diffEpisodes([ep('signal_lost', 1200, 1800, { gapS: 600 })], [ep('signal_lost', 1200, 1800, { gapS: 600 })]);
  assert.equal(same.unchanged.length, 1);
});

test('buffered history that splits a silence keeps the first part and opens the second; one that fills it retracts it', () => {
  const eLock = { class: 'active' as const, reportIntervalS: 60 };
  const live = buildReports([0, 60, 120, 3000]);
  const before = signalLost(eLock, live, at(3000));
  const split = signalLost(eLock, [...live, ...buildReports([1000, 1060, 1120])], at(3000));
  const d = diffEpisodes(before, split);
  assert.deepEqual([d.changed.length, d.opened.length, d.retracted.length], [1, 1, 0]);
  assert.deepEqual([d.changed[0].after.start, d.opened[0].start], [at(120), at(1120)]);
  const filled = signalLost(eLock, [...live, ...buildReports(Array.from({ length: 48 }, (_, k) => 180 + k * 60))], at(3000));
  assert.deepEqual(diffEpisodes(before, filled).retracted, before);
});

test('episodes of other types or subjects never pair', () => {
  const d = diffEpisodes([ep('office_visit', 0, null, { office: 'KEMBA' })], [ep('office_visit', 0, null, { office: 'KENBO' })], (e) =>
    String(e.details.office),
  );
  assert.deepEqual([d.opened.length, d.retracted.length], [1, 1]);
});

test('facts are added and retracted by type, subject and time', () => {
  const f = (type: string, s: number): TransitFact => ({ type, time: at(s), details: {} });
  const d = diffFacts([f('office_entered', 100), f('border_crossed', 500)], [f('office_entered', 100), f('office_left', 160)]);
  assert.deepEqual(
    d.added.map((x) => x.type),
    ['office_left'],
  );
  assert.deepEqual(
    d.retracted.map((x) => x.type),
    ['border_crossed'],
  );
});
