import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let clock = Date.now();
const t0 = clock - 3 * 3600_000;
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

before(async () => {
  p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clock });
  for (const o of [mombasaOffice, malabaOffice])
    await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: o });
});
after(() => p.cleanup());

/** A device on a movement along a straight road east of Mombasa's port, started at t0. */
async function movementWith(id: string, overrides: Record<string, unknown> = {}) {
  const key = generateDeviceKey('HS256');
  await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id, class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration, reportIntervalS: 60 },
  });
  const route = {
    type: 'LineString',
    coordinates: [
      [39.6, -4.0],
      [39.0, -3.6],
    ],
  };
  const m = (
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/movements',
      headers: p.auth,
      payload: buildMovementBody({ devices: [id], route, corridorWidthM: 1000, authorizedStops: [], ...overrides }),
    })
  ).json();
  await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/start`, headers: p.auth, payload: { time: at(0) } });
  let seq = 0;
  const send = (points: [number, number, number][]) =>
    p.ctx.ingest.ingest(
      points.map(([lat, lon, min]) => signMessage(key, { device: id, seq: ++seq, time: at(min), position: { lat, lon, accuracy: 5 } })),
      { transport: 'test', remote: null },
    );
  return { movement: m.id as string, send };
}

const alertsOf = async (movement: string) => (await p.ctx.store.alerts.list({ movement: movement as never }, { limit: 20 })).items;

test('a truck 5 km off its corridor for 10 minutes raises one route_deviation, and a re-run raises nothing more', async () => {
  const { movement, send } = await movementWith('TM-DEV');
  // On the route for 10 min, then 5 km north of it for 10 min, then back. Sent late, in one batch.
  const on = (min: number, f: number): [number, number, number] => [-4.0 + 0.4 * f, 39.6 - 0.6 * f, min];
  const points = [
    on(0, 0),
    on(5, 0.05),
    on(10, 0.1),
    [-3.9 + 0.045, 39.45, 12],
    [-3.89 + 0.045, 39.44, 16],
    [-3.88 + 0.045, 39.43, 20],
    on(22, 0.3),
    on(25, 0.33),
  ] as [number, number, number][];
  await send(points);
  await p.ctx.processor.idle();
  assert.equal((await p.transit.evaluateAll()) > 0, true);
  const dev = (await alertsOf(movement)).filter((a) => a.type === 'route_deviation');
  assert.equal(dev.length, 1);
  assert.equal(dev[0].count, 1);
  assert.ok((dev[0].details.maxDistanceM as number) > 4000);
  await p.transit.evaluateAll();
  assert.equal((await alertsOf(movement)).filter((a) => a.type === 'route_deviation')[0].count, 1, 'no new occurrence on a re-run');
});

test('silence longer than three report intervals raises signal_lost; past the time limit raises transit_overdue', async () => {
  const { movement, send } = await movementWith('TM-SIG', { timeLimit: at(60) });
  await send([
    [-4.0, 39.6, 0],
    [-3.99, 39.585, 1],
    [-3.98, 39.57, 2],
  ]);
  await p.ctx.processor.idle();
  clock = t0 + 150 * 60_000; // 2.5 h after departure, nothing heard for 148 min, time limit passed
  await p.transit.evaluateAll();
  const types = (await alertsOf(movement)).map((a) => a.type).sort();
  assert.deepEqual(types, ['signal_lost', 'transit_overdue']);
  const lost = (await alertsOf(movement)).find((a) => a.type === 'signal_lost')!;
  assert.equal(lost.device, 'TM-SIG');
});

test('an alert whose condition ends is cleared by the system, not resolved: back in the corridor, signal back', async () => {
  clock = t0 + 40 * 60_000; // before the device is registered: its key is usable from then on
  const { movement, send } = await movementWith('TM-CLR');
  const on = (min: number, f: number): [number, number, number] => [-4.0 + 0.4 * f, 39.6 - 0.6 * f, min];
  // Reports every 2 minutes (the interval is 60 s: silence up to 3 min is normal), 5 km out from minute 6.
  await send([
    on(0, 0),
    on(2, 0.02),
    on(4, 0.04),
    ...[6, 8, 10, 12, 14, 16].map((min, i): [number, number, number] => [-3.9 + 0.045 + i * 0.002, 39.45 - i * 0.003, min]),
  ]);
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
  let dev = (await alertsOf(movement)).find((a) => a.type === 'route_deviation')!;
  assert.equal(dev.details.cleared, undefined, 'still outside the corridor');
  const lost = (await alertsOf(movement)).find((a) => a.type === 'signal_lost')!;
  assert.equal(lost.status, 'open');

  await send([on(41, 0.3), on(42, 0.31)]);
  clock = t0 + 43 * 60_000;
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
  for (const type of ['route_deviation', 'signal_lost']) {
    const a = (await alertsOf(movement)).find((x) => x.type === type)!;
    assert.equal(a.status, 'open', `${type} keeps its status for a person to resolve`);
    assert.equal((a.details.cleared as { reason: string }).reason, 'ended');
    assert.deepEqual(
      a.history.map((h) => h.action),
      ['opened', 'cleared'],
    );
    assert.equal(a.history[1].by, null);
  }
  dev = (await alertsOf(movement)).find((a) => a.type === 'route_deviation')!;
  assert.equal((dev.details.cleared as { at: string }).at, at(41));
  await p.transit.evaluateAll();
  assert.equal((await alertsOf(movement)).find((a) => a.type === 'route_deviation')!.history.length, 2, 'cleared once');
});

test('office and border facts become events: leaving the port, crossing into Uganda, arrival detected at the destination', async () => {
  // Mombasa port (KE) → the Malaba office area (on the Kenyan side at 1:50m) → on into Uganda.
  const { movement, send } = await movementWith('TM-AREA', {
    route: {
      type: 'LineString',
      coordinates: [
        [39.6682, -4.0435],
        [34.2766, 0.6346],
      ],
    },
    corridorWidthM: 100_000,
  });
  // About 800 km in 12 hours: no impossible speed between the fixes.
  clock = t0 + 800 * 60_000;
  await send([
    [-4.0435, 39.6682, 0],
    [-4.03, 39.66, 2],
    [-3.9, 39.5, 10],
    [0.6, 34.2, 700],
    [0.61, 34.24, 705],
    [0.632, 34.27, 710],
    [0.633, 34.271, 720],
    [0.634, 34.272, 725],
    [0.64, 34.2, 740],
    [0.645, 34.17, 745],
    [0.65, 34.15, 750],
  ]);
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
  const events = (await p.ctx.store.events.list({ movement: movement as never }, { limit: 100 })).items;
  const facts = events
    .filter((e) => ['office_entered', 'office_left', 'border_crossed', 'movement_arrived_detected'].includes(e.type))
    .map((e) => [e.time, e.type, e.details.office ?? e.details.to])
    .sort((a, b) => String(a).localeCompare(String(b)));
  assert.deepEqual(facts, [
    [at(0), 'office_entered', 'KEMBA'],
    [at(10), 'office_left', 'KEMBA'],
    [at(710), 'movement_arrived_detected', 'UGMAL'],
    [at(710), 'office_entered', 'UGMAL'],
    [at(740), 'border_crossed', 'UG'],
    [at(740), 'office_left', 'UGMAL'],
  ]);
  const arrived = events.find((e) => e.type === 'movement_arrived_detected')!;
  assert.equal(arrived.time, at(710));
  assert.ok(typeof (arrived.details.detection as { detectedAt: string }).detectedAt === 'string');
});

test('history uploaded late that shows a deviation began earlier moves the alert back to when it began', async () => {
  clock = t0 + 60 * 60_000;
  const { movement, send } = await movementWith('TM-BACK');
  const on = (min: number, f: number): [number, number, number] => [-4.0 + 0.4 * f, 39.6 - 0.6 * f, min];
  const out = (min: number, i: number): [number, number, number] => [-3.9 + 0.045 + i * 0.002, 39.45 - i * 0.003, min];
  // Live: on the road at 0 and 2, then outside from minute 12 (the fixes of 4..10 are still buffered).
  await send([on(0, 0), on(2, 0.02), out(12, 4), out(14, 5), out(16, 6), on(18, 0.2)]);
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
  const before = (await alertsOf(movement)).find((a) => a.type === 'route_deviation')!;
  assert.equal(before.time, at(12));
  await send([out(4, 0), out(6, 1), out(8, 2), out(10, 3)]);
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
  const after = (await alertsOf(movement)).find((a) => a.type === 'route_deviation')!;
  assert.equal(after.id, before.id);
  assert.equal(after.time, at(4));
  assert.equal(after.details.firstReportedTime, at(12));
  assert.equal(
    (await p.ctx.store.events.list({ movement: movement as never, type: 'route_deviation' }, { limit: 5 })).items.length,
    1,
    'the same occurrence, not a second one',
  );
});
