import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const clock = Date.now();
const t0 = clock - 3 * 3600_000;
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
const route = {
  type: 'LineString',
  coordinates: [
    [39.6, -4.0],
    [39.0, -3.6],
  ],
};
/** A point `f` of the way along the route. */
const along = (f: number) => ({ lat: -4.0 + 0.4 * f, lon: 39.6 - 0.6 * f, accuracy: 5 });

before(async () => {
  p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clock });
  for (const o of [mombasaOffice, malabaOffice])
    await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: o });
});
after(() => p.cleanup());

async function signedDevice(id: string, extra: Record<string, unknown> = {}) {
  const key = generateDeviceKey('HS256');
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id, class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration, reportIntervalS: 7200, ...extra },
  });
  assert.equal(r.statusCode, 201, r.body);
  let seq = 0;
  return (msgs: Array<Record<string, unknown> & { min: number }>) =>
    p.ctx.ingest.ingest(
      msgs.map(({ min, ...rest }) => signMessage(key, { device: id, seq: ++seq, time: at(min), ...rest })),
      { transport: 'test', remote: null },
    );
}

async function movement(devices: string[], overrides: Record<string, unknown> = {}) {
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/movements',
    headers: p.auth,
    payload: buildMovementBody({ devices, route, corridorWidthM: 3000, authorizedStops: [], ...overrides }),
  });
  assert.equal(r.statusCode, 201, r.body);
  await p.http.inject({ method: 'POST', url: `/api/v1/movements/${r.json().id}/start`, headers: p.auth, payload: { time: at(0) } });
  return r.json().id as string;
}

const alertTypesOf = async (movement: string) =>
  (await p.ctx.store.alerts.list({ movement: movement as never }, { limit: 50 })).items.map((a) => a.type).sort();
const eventsOf = async (movement: string) => (await p.ctx.store.events.list({ movement: movement as never }, { limit: 200 })).items;
const settle = async () => {
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
};

test('a lock at 5 % that will not last to the ETA plus margin raises battery_insufficient once', async () => {
  const send = await signedDevice('TD-BAT');
  const m = await movement(['TD-BAT']);
  await send([0, 10, 20, 30].map((min, i) => ({ min, position: along(i * 0.02), battery: { level: 5 } })));
  await settle();
  await p.transit.evaluateAll();
  const alerts = (await p.ctx.store.alerts.list({ movement: m as never, type: 'battery_insufficient' }, { limit: 5 })).items;
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].count, 1);
  assert.equal(alerts[0].device, 'TD-BAT');
  assert.ok(typeof alerts[0].details.emptyAt === 'string');
});

test('a reefer above 8 °C for 15 minutes raises sensor_out_of_range with the worst reading; a short spike does not', async () => {
  const send = await signedDevice('TD-TEMP', { kind: 'container_sensor' });
  const m = await movement(['TD-TEMP'], { sensorThresholds: [{ sensor: 'temperature', max: 8 }] });
  const temps = [4, 12, 4, 4, 9, 11, 10, 9.5, 4]; // one reading at 12 alone (spike), then 9..11 for 15 min
  await send(temps.map((t, i) => ({ min: i * 5, position: along(i * 0.01), sensors: { temperature: t } })));
  await settle();
  const found = (await eventsOf(m)).filter((e) => e.type === 'sensor_out_of_range');
  assert.equal(found.length, 1);
  assert.equal(found[0].time, at(20));
  assert.equal(found[0].details.worstValue, 11);
  assert.deepEqual(await alertTypesOf(m), ['sensor_out_of_range']);
});

test('one fix 300 km away between two on the road raises one gnss_anomaly (a jump), not a clone', async () => {
  const send = await signedDevice('TD-GNSS');
  const m = await movement(['TD-GNSS']);
  await send([
    { min: 0, position: along(0) },
    { min: 5, position: along(0.05) },
    { min: 10, position: { lat: -1.3, lon: 36.8, accuracy: 5 } },
    { min: 15, position: along(0.1) },
    { min: 20, position: along(0.12) },
  ]);
  await settle();
  const found = (await eventsOf(m)).filter((e) => e.type === 'gnss_anomaly');
  assert.equal(found.length, 1);
  assert.equal(found[0].details.kind, 'jump');
  assert.equal(found[0].time, at(10));
  assert.deepEqual(await alertTypesOf(m), ['gnss_anomaly']);
});

test('RFID seal read at the second checkpoint only, and a minute later 600 km away: checkpoint_missed, device_cloned, checkpoint_unexpected', async () => {
  const epc = '3074257bf7194e4000001a85';
  await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id: 'TD-TAG', class: 'passive', kind: 'rfid_seal', protocol: 'epc', identifiers: { epc } },
  });
  const r1 = await signedDevice('TD-R1', { kind: 'reader' });
  const r2 = await signedDevice('TD-R2', { kind: 'reader' });
  const r3 = await signedDevice('TD-R3', { kind: 'reader' });
  const m = await movement(['TD-TAG'], {
    checkpoints: [
      { readerId: 'TD-R1', order: 1, name: 'Mombasa gate' },
      { readerId: 'TD-R2', order: 2 },
    ],
  });
  const read = (min: number, lat: number, lon: number) => ({
    min,
    position: { lat, lon, source: 'reader' },
    reads: [{ epc: epc.toUpperCase(), time: at(min) }],
  });
  await r1([{ min: 5, position: { lat: -4.0, lon: 39.6, source: 'reader' } }]); // R1 reports, but not our tag
  await r2([read(60, -3.6, 39.0)]);
  await r3([read(61, 0.35, 32.58)]);
  await settle();
  const events = await eventsOf(m);
  const missed = events.filter((e) => e.type === 'checkpoint_missed');
  assert.equal(missed.length, 1);
  assert.equal(missed[0].details.readerId, 'TD-R1');
  assert.equal(missed[0].time, at(60));
  assert.equal(events.filter((e) => e.type === 'device_cloned').length, 1);
  assert.equal(events.filter((e) => e.type === 'checkpoint_unexpected').length, 1);
  assert.deepEqual(await alertTypesOf(m), ['checkpoint_missed', 'device_cloned']);
  await p.transit.evaluateAll();
  assert.equal((await eventsOf(m)).length, events.length, 'a re-run finds nothing new');
});

test('two hours queueing inside an office of transit raise nothing; the same queue on a movement without it is an unauthorized_stop', async () => {
  const border = { code: 'KEBRD', name: 'Border post on the way', country: 'KE', area: { center: along(0.5), radiusM: 2000 } };
  assert.equal((await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: border })).statusCode, 201);
  const unknown = await p.http.inject({
    method: 'POST',
    url: '/api/v1/movements',
    headers: p.auth,
    payload: buildMovementBody({ transitOffices: ['NOPE'] }),
  });
  assert.equal(unknown.json().code, 'unknown_office', unknown.body);
  const queue = (min0: number) => [
    ...[0, 10, 20, 30, 40].map((k) => ({ min: min0 + k, position: along(0.1 * (k / 10)) })),
    ...Array.from({ length: 12 }, (_, k) => ({ min: min0 + 50 + k * 10, position: { ...along(0.5), accuracy: 5 } })),
    ...[0, 5, 10].map((k) => ({ min: min0 + 165 + k, position: along(0.6 + 0.1 * (k / 10)) })),
  ];
  // Two devices on two movements, the same track: only the office of transit tells them apart.
  const sendA = await signedDevice('TD-Q1');
  const sendB = await signedDevice('TD-Q2');
  const a = await movement(['TD-Q1'], { transitOffices: ['KEBRD'] });
  const b = await movement(['TD-Q2']);
  assert.deepEqual((await p.http.inject({ url: `/api/v1/movements/${a}`, headers: p.auth })).json().transitOffices, ['KEBRD']);
  assert.deepEqual((await p.http.inject({ url: `/api/v1/movements/${b}`, headers: p.auth })).json().transitOffices, []);
  await sendA(queue(0));
  await sendB(queue(0));
  await settle();
  assert.deepEqual(
    (await eventsOf(a)).filter((e) => e.type === 'unauthorized_stop'),
    [],
  );
  assert.deepEqual(await alertTypesOf(a), []);
  assert.deepEqual(await alertTypesOf(b), ['unauthorized_stop']);
});
