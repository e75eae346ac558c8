import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM, lineLengthM } from '@sealwatch/core';
import { findCorridor, locateOnRoute } from './corridors';
import { hashSeed, mulberry32, planTrip, speedupForDuration, type TripPlan } from './trip';

const corridor = findCorridor('MSA-KLA');
const route = corridor.route.coordinates;
const t0 = Date.parse('2026-11-26T03:00:00.000Z');
const basePlan: TripPlan = {
  route,
  departureMs: t0,
  speedup: 72,
  speedKmh: 60,
  seed: 42,
  incidents: [
    { atS: 25, seal: { state: 'tampered' } },
    { atS: 40, seal: { state: 'closed' } },
    { atS: 90, seal: { state: 'open', rope: 'cut' } },
  ],
};

const distanceToRouteM = (p: { lat: number; lon: number }) => locateOnRoute(route, p).offsetM;

test('positions lie on the route within GNSS noise and move forward', () => {
  const trip = planTrip(basePlan);
  let last = -1;
  for (const s of [0, 60, 300, 600, 777]) {
    const state = trip.stateAt(t0 + s * 1000);
    assert.ok(distanceToRouteM(state.position) < 60, `at ${s} s the device is ${distanceToRouteM(state.position)} m off the route`);
    assert.ok(state.distanceM > last || s === 0, `no progress at ${s} s`);
    last = state.distanceM;
    assert.ok(state.position.accuracy >= 4 && state.position.accuracy <= 40);
    assert.equal(state.position.source, 'gnss');
  }
});

test('the truck advances at speedKmh × speedup and reports its road speed', () => {
  const trip = planTrip(basePlan);
  const state = trip.stateAt(t0 + 100_000); // 100 s wall = 2 h road at 60 km/h
  assert.ok(Math.abs(state.distanceM - 120_000) < 1, `got ${state.distanceM}`);
  assert.ok(Math.abs(state.simElapsedS - 7200) < 1e-6);
  assert.ok(state.position.speed > 40 && state.position.speed < 80, `speed ${state.position.speed}`);
  assert.ok(state.position.heading >= 0 && state.position.heading < 360);
});

test('the trip arrives at the end of the route after its duration and stays there', () => {
  const trip = planTrip(basePlan);
  assert.ok(Math.abs(trip.durationS - trip.lengthM / (60 / 3.6) / 72) < 1e-6);
  assert.equal(trip.stateAt(t0 + (trip.durationS - 1) * 1000).arrived, false);
  const end = trip.stateAt(t0 + (trip.durationS + 1) * 1000);
  assert.equal(end.arrived, true);
  assert.equal(end.position.speed, 0);
  assert.equal(end.progress, 1);
  const last = route[route.length - 1];
  assert.ok(distanceM(end.position, { lat: last[1], lon: last[0] }) < 60);
  assert.deepEqual(trip.stateAt(t0 + 10 * trip.durationS * 1000).distanceM, trip.lengthM);
});

test('before departure the device waits at the start', () => {
  const state = planTrip(basePlan).stateAt(t0 - 60_000);
  assert.equal(state.elapsedS, 0);
  assert.equal(state.distanceM, 0);
});

test('incidents change the seal at their scheduled times and last until the next one', () => {
  const trip = planTrip(basePlan);
  const sealAt = (s: number) => trip.stateAt(t0 + s * 1000).seal;
  assert.deepEqual(sealAt(24.9), { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(sealAt(25), { state: 'tampered', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(sealAt(39), { state: 'tampered', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(sealAt(40), { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(sealAt(90), { state: 'open', rope: 'cut', lock: 'locked' });
  assert.deepEqual(sealAt(500), { state: 'open', rope: 'cut', lock: 'locked' });
});

test('the same seed and time give the same state; another seed gives other noise', () => {
  const a = planTrip(basePlan).stateAt(t0 + 123_456);
  assert.deepEqual(planTrip(basePlan).stateAt(t0 + 123_456), a);
  const b = planTrip({ ...basePlan, seed: 43 }).stateAt(t0 + 123_456);
  assert.equal(b.distanceM, a.distanceM);
  assert.notDeepEqual(b.position, a.position);
});

test('the truck stands still at a planned stop for its dwell time', () => {
  const trip = planTrip({ ...basePlan, stops: [{ atM: 60_000, dwellS: 3600 }] });
  // 60 km at 60 km/h = 3600 s road = 50 s wall; then 3600 s standing = 50 s wall.
  const standing = trip.stateAt(t0 + 70_000);
  assert.equal(standing.stopped, true);
  assert.equal(standing.distanceM, 60_000);
  assert.equal(standing.position.speed, 0);
  const after = trip.stateAt(t0 + 110_000);
  assert.equal(after.stopped, false);
  assert.ok(Math.abs(after.distanceM - 60_000 - 10 * 72 * (60 / 3.6)) < 1);
  assert.ok(Math.abs(trip.simDurationS - (trip.lengthM / (60 / 3.6) + 3600)) < 1e-6);
});

test('sensors and battery stay in realistic ranges and the battery drains', () => {
  const trip = planTrip({ ...basePlan, climate: corridor.climate });
  const start = trip.stateAt(t0);
  const later = trip.stateAt(t0 + 600_000);
  for (const s of [start, later]) {
    assert.ok(s.sensors.temperature > 10 && s.sensors.temperature < 40, `temperature ${s.sensors.temperature}`);
    assert.ok(s.sensors.humidity >= 5 && s.sensors.humidity <= 100);
    assert.ok(s.sensors.shock >= 0 && s.sensors.shock < 1);
    assert.ok(s.battery.voltage > 3.3 && s.battery.voltage < 4.3);
  }
  assert.ok(later.battery.level < start.battery.level);
});

test('speedupForDuration makes the trip last the requested wall time', () => {
  const lengthM = lineLengthM(route);
  const speedup = speedupForDuration(lengthM, 60, 18 * 60, 1800);
  const trip = planTrip({ ...basePlan, speedup, stops: [{ atM: 1000, dwellS: 1800 }] });
  assert.ok(Math.abs(trip.durationS - 18 * 60) < 1e-6);
});

test('mulberry32 is deterministic and uniform enough; hashSeed separates inputs', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  assert.notEqual(hashSeed('a', 1), hashSeed('a', 2));
  assert.equal(hashSeed('a', 1), hashSeed('a', 1));
});
