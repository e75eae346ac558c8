import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeApi } from './fake-api';
import { simulateFleet, type FleetProgress } from './fleet';

const T0 = Date.parse('2026-11-26T03:00:00.000Z');

/** A clock that only moves when the fleet sleeps. */
function fakeTime() {
  let t = T0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

test('registers N devices, sends one signed message per device per interval and counts the results', async () => {
  const time = fakeTime();
  const { api, state } = fakeApi(time);
  const progress: FleetProgress[] = [];
  const result = await simulateFleet({
    client: api,
    devices: 25,
    intervalMs: 1000,
    durationS: 5,
    alg: 'EdDSA',
    seed: 'load',
    batchSize: 10,
    now: time.now,
    sleep: time.sleep,
    onProgress: (p) => progress.push(p),
  });
  assert.equal(state.devices.size, 25);
  assert.ok(state.devices.has('SIM-000001') && state.devices.has('SIM-000025'));
  assert.equal(result.devices, 25);
  assert.equal(result.sent, 25 * 5);
  assert.equal(result.accepted, 25 * 5);
  assert.equal(result.rejected + result.duplicate + result.failed, 0);
  assert.ok(
    state.ingestCalls.every((c) => c.length <= 10),
    'batches of at most batchSize',
  );
  const seqs = state.received.filter((p) => p.device === 'SIM-000007').map((p) => p.seq);
  assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
  assert.ok(
    progress.some((p) => p.registered === 25 && p.sent === 0),
    'progress after registering',
  );
  assert.ok(
    progress.every((p) => Object.values(p).every((v) => typeof v === 'number')),
    'progress is all numbers',
  );
  assert.equal(progress[progress.length - 1].sent, 125);
});

test('devices from an earlier run continue their seq; failed requests and rejections are counted', async () => {
  const time = fakeTime();
  const { api, state } = fakeApi(time);
  await simulateFleet({
    client: api,
    devices: 3,
    intervalMs: 1000,
    durationS: 2,
    alg: 'HS256',
    seed: 'load',
    now: time.now,
    sleep: time.sleep,
  });
  const last = Math.max(...state.received.filter((p) => p.device === 'SIM-000002').map((p) => p.seq));
  // Second run: the "server" now answers lastSeq from what it received; one request fails.
  const { api: api2, state: state2 } = fakeApi(time, { 'SIM-000001': last, 'SIM-000002': last, 'SIM-000003': last });
  for (const [id, d] of state.devices) state2.devices.set(id, d);
  state2.failNextIngest = true;
  const r = await simulateFleet({
    client: api2,
    devices: 3,
    intervalMs: 1000,
    durationS: 3,
    alg: 'HS256',
    seed: 'other-seed',
    now: time.now,
    sleep: time.sleep,
  });
  assert.equal(r.failed, 3);
  assert.equal(r.rejected, 6, 'a different seed gives keys the registered devices do not have');
  assert.deepEqual(r.reasons, { bad_signature: 6 });
  assert.ok(state2.ingestCalls[0].every((m) => JSON.parse(Buffer.from(m.split('.')[1], 'base64url').toString()).seq > last));
});

test('with movements, each device gets a started movement that is ended at the end', async () => {
  const time = fakeTime();
  const { api, state } = fakeApi(time);
  const r = await simulateFleet({
    client: api,
    devices: 4,
    intervalMs: 2000,
    durationS: 4,
    alg: 'ES256',
    seed: 's',
    movements: true,
    now: time.now,
    sleep: time.sleep,
  });
  assert.equal(state.movements.length, 4);
  assert.ok(state.movements.every((m) => m.reference.startsWith('SIM-') && m.status === 'ended' && m.devices.length === 1));
  assert.equal(r.accepted, 8);
});

test('an abort signal stops sending early', async () => {
  const time = fakeTime();
  const { api } = fakeApi(time);
  const abort = new AbortController();
  const r = await simulateFleet({
    client: api,
    devices: 2,
    intervalMs: 1000,
    durationS: 60,
    alg: 'EdDSA',
    seed: 's',
    now: time.now,
    sleep: time.sleep,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.sent >= 4) abort.abort();
    },
  });
  assert.equal(r.sent, 4);
});
