/**
 * Property: every transit detector gives the same final result whatever order, delay or
 * batching the observations arrived in (DESIGN §3). One scenario exercises them all; it is
 * re-run over 50 seeded shuffles and over deliveries where a prefix or a coverage gap is held
 * back and delivered after the rest (incrementally, as the monitor would see it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouteIndex } from './route-index';
import { routeDeviations } from './route-deviation';
import { findStops, unauthorizedStops } from './stops';
import { signalLost } from './signal-loss';
import { transitOverdue } from './time-limit';
import { officeVisits } from './areas';
import { sensorsOutOfRange, type SensorObservation, type SensorThreshold } from './sensor-range';
import { gnssAnomalies } from './gnss-anomaly';
import { deviceClones, type ReadObservation } from './device-cloned';
import { checkpointFindings, type Checkpoint } from './checkpoints';
import { diffEpisodes } from './episode-diff';
import { batteryInsufficient, type BatteryObservation } from '../battery/battery-forecast';
import { asOfficeCode } from '../ids';
import { A109, at, buildTrack, drive, dwell, routePoint, shuffled, type TrackRow } from './test-builders';

type Obs = ReadObservation & SensorObservation & BatteryObservation;
const route = buildRouteIndex(A109);
const now = at(6400);
const SEAL = '3074257bf7194e4000001a85';

/**
 * LOCK-1 at 60 km/h, a fix a minute, from 100 km: 800 m off the road between 110 and 115 km
 * (600–900 s), a 46-minute stop on the road at 130 km (1800–4560 s), then on to 160 km with no
 * message between 5040 s and 6000 s. One fix is thrown 6 km off at 1200 s. Temperature 12 °C
 * during the stop (limit 8 °C), light at 3000 s (the door). The battery drains 1.5 %/h.
 * Time limit 3 h (a warning from the start), ETA 48 h for the battery. Readers: the port gate at 100 km reads the seal; Voi (order 3) reads it at 6300 s, Mariakani
 * (order 2) never; an unknown reader 200 km away reads it at 400 s (a cloned tag).
 */
function scenario(): Obs[] {
  const rows: TrackRow[] = [
    ...drive(A109, {
      fromM: 100_000,
      toM: 130_000,
      startS: 0,
      speedKmh: 60,
      intervalS: 60,
      sideM: (a) => (a >= 110_000 && a <= 115_000 ? 800 : 0),
      noiseM: 10,
    }),
    ...dwell(routePoint(A109, 130_000, 40), { startS: 1860, durationS: 2700, intervalS: 60, noiseM: 12 }),
    ...drive(A109, { fromM: 131_000, toM: 160_000, startS: 4620, speedKmh: 60, intervalS: 60, noiseM: 10 }).filter(
      (r) => r[2] <= 5040 || r[2] >= 6000,
    ),
  ];
  const jump = routePoint(A109, 120_000, -6000);
  rows[20] = [jump.lat, jump.lon, 1200];
  const lock: Obs[] = buildTrack(rows).map((o) => {
    const s = (Date.parse(o.time) - Date.parse(at(0))) / 1000;
    return {
      ...o,
      battery: { level: Math.round(80 - (1.5 * s) / 3600) },
      sensors: { temperature: s >= 2400 && s <= 3300 ? 12 : 5, light: s === 3000 ? 300 : 0 },
    };
  });
  const reader = (device: string, km: number, s: number, seq: number): Obs => ({
    time: at(s),
    device,
    seq,
    position: { ...routePoint(A109, km * 1000, 30), source: 'reader' },
    reads: [{ epc: SEAL, time: at(s) }],
  });
  return [...lock, reader('RD-PORT', 100, 30, 1), reader('RD-VOI', 160, 6300, 1), reader('RD-X', 300, 400, 1)];
}

const thresholds: SensorThreshold[] = [
  { sensor: 'temperature', max: 8 },
  { sensor: 'light', max: 10 },
];
const checkpoints: Checkpoint[] = [
  { readerId: 'RD-PORT', order: 1 },
  { readerId: 'RD-MARIAKANI', order: 2 },
  { readerId: 'RD-VOI', order: 3 },
];
const office = { code: asOfficeCode('KEMBA'), country: 'KE', area: { center: routePoint(A109, 100_000), radiusM: 1500 } };

/** Every transit detector over the observations as they stand. */
function runAll(obs: readonly Obs[]) {
  const lock = obs.filter((o) => o.device === 'LOCK-1');
  return {
    deviations: routeDeviations(route, lock, { corridorWidthM: 500 }),
    stops: unauthorizedStops(findStops(lock), [], [office]),
    signal: signalLost({ class: 'active', reportIntervalS: 60 }, lock, now, { watchFrom: at(0) }),
    overdue: transitOverdue(route, lock, now, { timeLimit: at(3 * 3600) }),
    visits: officeVisits([office], lock),
    sensors: sensorsOutOfRange(thresholds, obs),
    anomalies: gnssAnomalies(obs),
    clones: deviceClones(obs),
    checkpoints: checkpointFindings(checkpoints, [SEAL], obs, now),
    battery: batteryInsufficient('e_lock', lock, now, at(48 * 3600), { minSampleH: 1 }),
  };
}

const inOrder = runAll(scenario());

test('the scenario raises what it was built to raise, with its concrete times', () => {
  const r = inOrder;
  assert.deepEqual(
    r.deviations.map((e) => [e.start, e.end]),
    [[at(600), at(960)]],
  );
  assert.ok(Math.abs(r.deviations[0].details.maxDistanceM - 800) < 30, `max ${r.deviations[0].details.maxDistanceM}`);
  assert.deepEqual(
    r.stops.map((e) => [e.start, e.end, e.details.durationS, e.details.reason]),
    [[at(1800), at(4620), 2760, 'outside_authorized_areas']],
  );
  assert.deepEqual(
    r.signal.map((e) => [e.start, e.end, e.details.gapS]),
    [[at(5040), at(6000), 960]],
  );
  assert.deepEqual(
    r.overdue.map((e) => [e.start, e.end, e.details.level, e.details.forecast?.speedSource]),
    [[at(0), null, 'warning', 'default']],
  );
  assert.deepEqual(
    r.visits.map((e) => [e.start, e.end]),
    [[at(0), at(120)]],
  );
  assert.deepEqual(
    r.sensors.map((e) => [e.details.sensor, e.start, e.end, e.details.worstValue]),
    [
      ['temperature', at(2400), at(3360), 12],
      ['light', at(3000), at(3060), 300],
    ],
  );
  assert.deepEqual(
    r.anomalies.map((a) => [a.time, a.details.device, a.details.kind]),
    [[at(1200), 'LOCK-1', 'jump']],
  );
  assert.deepEqual(
    r.clones.map((c) => [c.time, c.details.subject, c.details.epc]),
    [[at(400), 'tag', SEAL]],
  );
  assert.deepEqual(
    r.checkpoints.map((c) => [c.time, c.type, c.details.readerId]),
    [
      [at(400), 'checkpoint_unexpected', 'RD-X'],
      [at(6300), 'checkpoint_missed', 'RD-MARIAKANI'],
    ],
  );
  assert.deepEqual(
    r.battery.map((e) => [e.start, e.end, e.details.rateSource, e.details.level, e.details.levelAt]),
    [[at(0), null, 'observed', 77, at(6360)]],
  );
  assert.ok(Math.abs(r.battery[0].details.ratePctPerH - 1.5) < 0.4, `rate ${r.battery[0].details.ratePctPerH}`);
});

test('50 seeded shuffles give the same episodes and findings', () => {
  const obs = scenario();
  for (let seed = 1; seed <= 50; seed++) assert.deepEqual(runAll(shuffled(obs, seed)), inOrder, `seed ${seed}`);
});

test('a prefix or a coverage gap held back and delivered after the rest ends with the same result, batch by batch', () => {
  const obs = scenario();
  const held: Array<[string, (o: Obs, k: number) => boolean]> = [
    ...[10, 30, 60, 90].map((n): [string, (o: Obs, k: number) => boolean] => [`first ${n}`, (_o, k) => k < n]),
    ['the deviation', (o) => o.time >= at(600) && o.time <= at(960)],
    ['the stop', (o) => o.time > at(1860) && o.time < at(4560)],
    ['the readers', (o) => o.device !== 'LOCK-1'],
  ];
  for (const [name, isHeld] of held) {
    const sorted = obs.slice().sort((a, b) => a.time.localeCompare(b.time) || (a.device ?? '').localeCompare(b.device ?? ''));
    const live = sorted.filter((o, k) => !isHeld(o, k)),
      late = sorted.filter((o, k) => isHeld(o, k));
    assert.ok(late.length > 0 && live.length > 0, name);
    let seen: Obs[] = [],
      before = runAll(seen);
    for (const batch of [live, ...chunks(shuffled(late, name.length), 17)]) {
      seen = [...seen, ...batch];
      const after = runAll(seen);
      diffEpisodes(before.deviations, after.deviations); // the monitor's step; must not throw on partial data
      before = after;
    }
    assert.deepEqual(before, inOrder, name);
    const d = diffEpisodes(inOrder.stops, before.stops);
    assert.deepEqual([d.opened.length, d.changed.length, d.retracted.length], [0, 0, 0], name);
  }
});

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
