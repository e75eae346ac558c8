import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SealwatchApiError, SealwatchClient, type FetchInit } from './client';

interface Call {
  url: string;
  init: FetchInit;
}
type Reply = { status: number; body?: unknown };

/** A fetch that records requests and answers from a queue (or a function of the request). */
function fakeFetch(answer: Reply[] | ((c: Call) => Reply)) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: FetchInit) => {
    calls.push({ url, init });
    const r = Array.isArray(answer) ? answer.shift() : answer({ url, init });
    if (!r) throw new Error(`unexpected request ${init.method} ${url}`);
    return {
      status: r.status,
      json: async () => {
        if (r.body === undefined) throw new SyntaxError('empty body');
        return r.body;
      },
    };
  };
  return { fetch, calls };
}

const token = 'sw_admin_s3cret';

test('sends JSON with the bearer token to the base path', async () => {
  const { fetch, calls } = fakeFetch([{ status: 201, body: { code: 'KEMBA' } }]);
  const client = new SealwatchClient(fetch, 'http://localhost:8080/', token);
  const office = { code: 'KEMBA', name: 'Mombasa', country: 'KE', area: { center: { lat: -4, lon: 39.6 }, radiusM: 3000 } };
  assert.deepEqual(await client.createOffice(office), { code: 'KEMBA' });
  assert.equal(calls[0].url, 'http://localhost:8080/api/v1/offices');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.Authorization, `Bearer ${token}`);
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].init.body ?? ''), office);
});

test('a 409 "already exists" problem is null; any other problem throws with its code and detail, never the token', async () => {
  const { fetch } = fakeFetch([
    { status: 409, body: { code: 'device_exists', detail: 'device KE-1 exists' } },
    { status: 409, body: { code: 'movement_exists', detail: 'reference exists' } },
    { status: 409, body: { code: 'device_in_use', detail: 'KE-1 is on movement m1' } },
    { status: 400, body: { code: 'invalid_container_number', detail: 'check digit' } },
    { status: 500 },
  ]);
  const client = new SealwatchClient(fetch, 'http://x', token);
  assert.equal(await client.createDevice({ id: 'KE-1', class: 'active', kind: 'e_lock', protocol: 'native' }), null);
  const movement = {
    reference: 'R',
    container: 'MSKU9070323',
    devices: ['KE-1'],
    seals: [],
    departureOffice: 'A',
    destinationOffice: 'B',
    route: {
      type: 'LineString' as const,
      coordinates: [
        [0, 0],
        [1, 1],
      ],
    },
    corridorWidthM: 2000,
    authorizedStops: [],
    timeLimit: '2026-11-30T00:00:00.000Z',
  };
  assert.equal(await client.createMovement(movement), null);
  await assert.rejects(
    client.createMovement(movement),
    (e: unknown) =>
      e instanceof SealwatchApiError &&
      e.status === 409 &&
      e.code === 'device_in_use' &&
      /device_in_use: KE-1 is on movement m1/.test(e.message),
  );
  await assert.rejects(
    client.createMovement(movement),
    (e: unknown) => e instanceof SealwatchApiError && e.code === 'invalid_container_number' && !e.message.includes(token),
  );
  await assert.rejects(
    client.startMovement('m1'),
    (e: unknown) => e instanceof SealwatchApiError && e.status === 500 && e.code === 'http_error',
  );
});

test('lifecycle steps post the optional recorded time', async () => {
  const { fetch, calls } = fakeFetch(() => ({ status: 200, body: { id: 'm/1', status: 'in_transit' } }));
  const client = new SealwatchClient(fetch, 'http://x', token);
  await client.startMovement('m/1', '2026-11-26T03:00:00.000Z');
  await client.arriveMovement('m/1');
  await client.endMovement('m/1');
  assert.deepEqual(
    calls.map((c) => c.url),
    ['http://x/api/v1/movements/m%2F1/start', 'http://x/api/v1/movements/m%2F1/arrive', 'http://x/api/v1/movements/m%2F1/end'],
  );
  assert.deepEqual(JSON.parse(calls[0].init.body ?? ''), { time: '2026-11-26T03:00:00.000Z' });
  assert.deepEqual(JSON.parse(calls[1].init.body ?? ''), {});
});

test('listMovements follows nextCursor until the last page', async () => {
  const { fetch, calls } = fakeFetch([
    { status: 200, body: { items: [{ id: '1' }, { id: '2' }], nextCursor: 'c2' } },
    { status: 200, body: { items: [{ id: '3' }], nextCursor: null } },
  ]);
  const items = await new SealwatchClient(fetch, 'http://x', token).listMovements({ status: 'in_transit', limit: 2 });
  assert.deepEqual(
    items.map((m) => m.id),
    ['1', '2', '3'],
  );
  assert.equal(calls[0].url, 'http://x/api/v1/movements?status=in_transit&limit=2');
  assert.equal(calls[1].url, 'http://x/api/v1/movements?status=in_transit&limit=2&cursor=c2');
});

test('lastSeq reads the newest observation, and is null for an unknown device or none yet', async () => {
  const { fetch, calls } = fakeFetch([
    { status: 200, body: { items: [{ seq: 1841 }], nextCursor: 'x' } },
    { status: 200, body: { items: [], nextCursor: null } },
    { status: 404, body: { code: 'unknown_device', detail: 'no such device' } },
  ]);
  const client = new SealwatchClient(fetch, 'http://x', token);
  assert.equal(await client.lastSeq('KE-ELOCK-0001'), 1841);
  assert.equal(calls[0].url, 'http://x/api/v1/devices/KE-ELOCK-0001/observations?limit=1');
  assert.equal(calls[0].init.method, 'GET');
  assert.equal(await client.lastSeq('KE-ELOCK-0001'), null);
  assert.equal(await client.lastSeq('NOPE'), null);
});

test('ingest posts {messages} in requests of at most 1000 and returns the results in order', async () => {
  const { fetch, calls } = fakeFetch(({ init }) => {
    const { messages } = JSON.parse(init.body ?? '') as { messages: string[] };
    return { status: 200, body: { results: messages.map((m) => ({ device: 'D', seq: Number(m), status: 'accepted' })) } };
  });
  const messages = Array.from({ length: 2500 }, (_, i) => String(i));
  const results = await new SealwatchClient(fetch, 'http://x', token).ingest(messages);
  assert.equal(calls.length, 3);
  assert.equal(calls[0].url, 'http://x/api/v1/ingest');
  assert.deepEqual(
    results.map((r) => r.seq),
    messages.map(Number),
  );
});
