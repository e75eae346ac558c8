import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batteryInsufficient, estimateDischargeRate, forecastBattery, type BatteryObservation } from './battery-forecast';
import { at, shuffled } from '../transit/test-builders';

const h = 3600;
/** Readings [seconds after T0, level %]. */
const readings = (rows: ReadonlyArray<[number, number]>): BatteryObservation[] =>
  rows.map(([s, level]) => ({ time: at(s), battery: { level } }));
/** An e-lock draining `ratePctPerH` from `startLevel`, reporting an integer level every `everyS` for `hours`. */
const draining = (startLevel: number, ratePctPerH: number, hours: number, everyS = 600, fromS = 0) =>
  readings(
    Array.from({ length: Math.floor((hours * h) / everyS) + 1 }, (_, k): [number, number] => [
      fromS + k * everyS,
      Math.round(startLevel - (ratePctPerH * k * everyS) / h),
    ]),
  );

test('the rate of a steady 1 %/h discharge reported as integer levels is found within 5 %', () => {
  const e = estimateDischargeRate('e_lock', draining(90, 1, 12), at(12 * h))!;
  assert.equal(e.source, 'observed');
  assert.ok(Math.abs(e.ratePctPerH - 1) < 0.05, `rate ${e.ratePctPerH}`);
  assert.deepEqual([e.level, e.levelAt, e.dischargeSince, e.readings], [78, at(12 * h), at(0), 73]);
});

test('outliers (a 0 % glitch and a 100 % spike) do not move the Theil–Sen rate', () => {
  const obs = draining(90, 0.5, 20);
  obs[30] = { time: obs[30].time, battery: { level: 0 } };
  obs[60] = { time: obs[60].time, battery: { level: 100 } };
  const e = estimateDischargeRate('e_lock', obs, at(20 * h))!;
  assert.ok(Math.abs(e.ratePctPerH - 0.5) < 0.03, `rate ${e.ratePctPerH}`);
});

test('history before a charge is dropped: the rate is that of the discharge since the charge', () => {
  const before = draining(60, 3, 10); // 60 → 30 % at 3 %/h
  const after = draining(95, 0.8, 10, 600, 11 * h); // charged to 95 %, then 0.8 %/h
  const e = estimateDischargeRate('e_lock', [...before, ...after], at(21 * h))!;
  assert.equal(e.dischargeSince, at(11 * h));
  assert.ok(Math.abs(e.ratePctPerH - 0.8) < 0.05, `rate ${e.ratePctPerH}`);
});

test('a short history uses the default rate of the device kind, or the one given', () => {
  const e = estimateDischargeRate(
    'e_lock',
    readings([
      [0, 80],
      [1800, 80],
      [3600, 79],
    ]),
    at(3600),
  )!;
  assert.deepEqual([e.source, e.ratePctPerH], ['default', 0.6]);
  assert.equal(estimateDischargeRate('tracker', readings([[0, 80]]), at(0), { defaultRatePctPerH: 2 })!.ratePctPerH, 2);
  assert.equal(estimateDischargeRate('e_lock', [{ time: at(0), battery: { voltage: 3.9 } }], at(0)), null);
});

test('readings after now and levels outside 0..100 are ignored', () => {
  const obs = [
    ...draining(90, 1, 12),
    ...readings([
      [13 * h, 255],
      [20 * h, 5],
    ]),
  ];
  const e = estimateDischargeRate('e_lock', obs, at(12 * h))!;
  assert.deepEqual([e.level, e.levelAt], [78, at(12 * h)]);
});

test('the forecast projects the level to now and says when the charge runs out', () => {
  const f = forecastBattery(
    'e_lock',
    readings([
      [0, 50],
      [2 * h, 48],
      [4 * h, 46],
    ]),
    at(6 * h),
  )!;
  assert.deepEqual([f.ratePctPerH, f.levelNow, f.hoursLeft, f.emptyAt], [1, 44, 44, at(50 * h)]);
  const flat = forecastBattery(
    'e_lock',
    readings([
      [0, 50],
      [2 * h, 50],
      [4 * h, 51],
    ]),
    at(4 * h),
  )!;
  assert.deepEqual([flat.ratePctPerH, flat.hoursLeft, flat.emptyAt], [0, null, null]);
});

test('at departure with 30 % and the default 0.6 %/h (50 h), a 45 h trip is insufficient (margin 9 h), a 40 h trip is not (margin 8 h)', () => {
  const obs = readings([[0, 30]]);
  const [e, ...more] = batteryInsufficient('e_lock', obs, at(0), at(45 * h));
  assert.equal(more.length, 0);
  assert.deepEqual([e.type, e.start, e.end], ['battery_insufficient', at(0), null]);
  assert.deepEqual(e.details, {
    level: 30,
    levelAt: at(0),
    ratePctPerH: 0.6,
    rateSource: 'default',
    emptyAt: at(50 * h),
    eta: at(45 * h),
    marginH: 9,
    requiredUntil: at(54 * h),
  });
  assert.deepEqual(batteryInsufficient('e_lock', obs, at(0), at(40 * h)), []);
});

test('in transit the observed rate decides; the episode starts at the first reading already short and stays put', () => {
  // 2 %/h from 60 %: empty at 30 h. ETA at 26 h: needed until 32 h (6 h margin beats 20 % of 14 h).
  const obs = draining(60, 2, 12, 1800);
  const [e] = batteryInsufficient('e_lock', obs, at(12 * h), at(26 * h));
  assert.equal(e.details.rateSource, 'observed');
  assert.ok(Math.abs(e.details.ratePctPerH - 2) < 1e-9);
  assert.deepEqual([e.start, e.details.emptyAt, e.details.requiredUntil, e.details.marginH], [at(0), at(30 * h), at(32 * h), 6]);
  const later = batteryInsufficient('e_lock', [...obs, ...draining(36, 2, 2, 1800, 12 * h)], at(14 * h), at(26 * h));
  assert.equal(later[0].start, at(0));
  assert.deepEqual(batteryInsufficient('e_lock', obs, at(12 * h), at(20 * h)), []);
});

test('a charge that makes the battery last again ends the insufficiency', () => {
  const obs = [
    ...draining(60, 2, 12, 1800),
    ...readings([
      [12.5 * h, 100],
      [13 * h, 100],
    ]),
  ];
  assert.deepEqual(batteryInsufficient('e_lock', obs, at(13 * h), at(26 * h)), []);
});

test('the forecast and the episode are the same whatever the order of the readings', () => {
  const obs = [...draining(60, 3, 10), ...draining(95, 2, 10, 900, 11 * h)];
  const inOrder = batteryInsufficient('e_lock', obs, at(21 * h), at(60 * h));
  assert.equal(inOrder.length, 1);
  assert.equal(inOrder[0].start, at(11 * h));
  for (const seed of [1, 2, 3, 4, 5]) {
    assert.deepEqual(batteryInsufficient('e_lock', shuffled(obs, seed), at(21 * h), at(60 * h)), inOrder);
    assert.deepEqual(forecastBattery('e_lock', shuffled(obs, seed), at(21 * h)), forecastBattery('e_lock', obs, at(21 * h)));
  }
});
