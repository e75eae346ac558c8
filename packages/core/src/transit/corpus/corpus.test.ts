import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlertType } from '../../alerts/alert-rules';
import { toTimestamp } from '../../ids';
import type { EventType, Observation } from '../../model';
import { shuffled } from '../test-builders';
import { findTransit, type TransitFindings } from '../transit-findings';
import { buildRouteIndex, type RouteIndex } from '../route-index';
import { T0, corridor, faultyTrips, honestTrips, offices, type CorpusTrip } from './honest-corpus';

const STEP_S = 15 * 60;
const routes = new Map<string, RouteIndex>();
const routeOf = (trip: CorpusTrip): RouteIndex => {
  const coordinates = trip.movement.route!.coordinates as number[][];
  if (coordinates.length === corridor.vertexCount) return corridor;
  if (!routes.has(trip.name)) routes.set(trip.name, buildRouteIndex(coordinates as never));
  return routes.get(trip.name)!;
};

/** The detectors as the live monitor runs them at `s` seconds: only the data received by then, in the given order. */
function evaluate(trip: CorpusTrip, s: number, order: (o: Observation[]) => Observation[] = (o) => o): TransitFindings {
  const now = toTimestamp(T0 + s * 1000);
  const known = order(trip.observations.filter((o) => o.receivedS <= s && o.time <= now));
  const tracks = new Map(trip.devices.map((d) => [d.id as string, known.filter((o) => o.device === d.id)]));
  const tagReads = trip.tagReads.filter((o) => o.receivedS <= s);
  return findTransit({
    movement: trip.movement,
    devices: trip.devices,
    tracks,
    tagReads,
    tags: trip.tags,
    route: routeOf(trip),
    offices,
    countryAt: () => null,
    now,
  });
}

/** Every alert-raising finding seen over a live run (every 15 minutes and at the end), first sighting per type and subject time. */
function alertsOverRun(trip: CorpusTrip): Map<string, number> {
  const firstSeen = new Map<string, number>();
  for (let s = 0; ; s = Math.min(s + STEP_S, trip.endS)) {
    const found = evaluate(trip, s);
    for (const f of [...found.episodes, ...found.facts]) {
      if (!isAlertType(f.type as EventType)) continue;
      const t = (Date.parse('start' in f ? f.start : f.time) - T0) / 1000;
      if (!firstSeen.has(f.type) || t < firstSeen.get(f.type)!) firstSeen.set(f.type, t);
    }
    if (s >= trip.endS) break;
  }
  return firstSeen;
}

const honest = honestTrips();
const faulty = faultyTrips();
const totalKm = honest.reduce((n, t) => n + t.km, 0);

for (const trip of honest) {
  test(`honest trip "${trip.name}" (${trip.story}) raises no alert at any evaluation`, () => {
    assert.ok(trip.observations.length > 20, 'the trip has data');
    assert.deepEqual(Object.fromEntries(alertsOverRun(trip)), {});
  });
}

for (const trip of faulty) {
  test(`trip "${trip.name}" (${trip.story}) raises exactly ${trip.expected.map((e) => e.type).join(', ')}, at the right time`, () => {
    const seen = alertsOverRun(trip);
    assert.deepEqual([...seen.keys()].sort(), trip.expected.map((e) => e.type).sort());
    for (const e of trip.expected) {
      const got = seen.get(e.type)!;
      assert.ok(Math.abs(got - e.atS) <= e.toleranceS, `${e.type} at ${got} s, expected ${e.atS} ± ${e.toleranceS} s`);
    }
  });
}

test('the findings at the end do not depend on the arrival order (honest and faulty trips, shuffled)', () => {
  for (const trip of [...honest, ...faulty]) {
    const inOrder = evaluate(trip, trip.endS);
    for (const seed of [7, 8])
      assert.deepEqual(
        evaluate(trip, trip.endS, (o) => shuffled(o, seed)),
        inOrder,
        `${trip.name}, seed ${seed}`,
      );
  }
});

test(`false alerts per 1,000 km of honest trips: 0 over ${Math.round(totalKm)} km`, () => {
  const falseAlerts = honest.reduce((n, t) => n + alertsOverRun(t).size, 0);
  const per1000 = (falseAlerts / totalKm) * 1000;
  console.log(
    `honest corpus: ${honest.length} trips, ${Math.round(totalKm)} km, ${falseAlerts} false alerts, ${per1000.toFixed(2)} per 1,000 km`,
  );
  assert.ok(totalKm > 2500, `${totalKm} km`);
  assert.equal(per1000, 0);
});
