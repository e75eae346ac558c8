/**
 * Abuse of the unauthenticated ingest, through the real HTTP route of a real platform: payloads two
 * parsers could read differently, payloads that exhaust a parser, junk that would fill the disk,
 * replays that would silence a device, and the backlog a device is owed (history is a right).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
type Result = { device: string | null; seq: number | null; status: string; reason?: string; detail?: string };

/** A JWS over exactly these payload bytes (signMessage would re-serialise an object). */
const signText = (key: DeviceSigningKey, kid: string, payload: string) => {
  const input = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
};

describe('ingest abuse', () => {
  let p: P;
  const keys = new Map<string, DeviceSigningKey>();
  const post = (url: string, body: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: body as object });
  const send = (messages: string[], remoteAddress: string) =>
    p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages }, remoteAddress });
  const ingest = async (messages: string[], remoteAddress: string): Promise<Result[]> => {
    const r = await send(messages, remoteAddress);
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results;
  };
  const register = async (id: string, reportIntervalS?: number) => {
    const key = generateDeviceKey('EdDSA');
    keys.set(id, key);
    const r = await post('/api/v1/devices', {
      id,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      key: key.registration,
      ...(reportIntervalS ? { reportIntervalS } : {}),
    });
    assert.equal(r.statusCode, 201, r.body);
  };
  const msg = (device: string, seq: number, extra: Record<string, unknown> = {}) =>
    signMessage(keys.get(device)!, { device, seq, time: new Date().toISOString(), seal: { state: 'closed' }, ...extra });
  const quarantine = async (query: string) => {
    const items: { raw: string; reason: string; device: string | null; remote: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const r: {
        statusCode: number;
        body: string;
        json(): { items: { raw: string; reason: string; device: string | null; remote: string | null }[]; nextCursor: string | null };
      } = await p.http.inject({
        method: 'GET',
        url: `/api/v1/quarantine?limit=500&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        headers: p.auth,
      });
      assert.equal(r.statusCode, 200, r.body);
      items.push(...r.json().items);
      cursor = r.json().nextCursor;
    } while (cursor);
    return items;
  };

  before(async () => {
    p = await startTestPlatform({
      SEALWATCH_RATE_DEVICE_PER_MIN: '120',
      SEALWATCH_RATE_INGEST_PER_MIN: '2500',
      SEALWATCH_QUARANTINE_PER_SOURCE_PER_MIN: '10',
      SEALWATCH_QUARANTINE_PER_DEVICE_PER_MIN: '5',
    });
    for (const id of ['EV-PAYLOAD', 'EV-REPLAY', 'EV-FORGED', 'EV-ADDRESS', 'EV-NAT']) await register(id);
    await register('EV-BACKLOG', 300);
  });
  after(() => p.cleanup());

  test('a payload that repeats a member name is invalid_payload and quarantined: two parsers must not read evidence differently', async () => {
    const twice = signText(
      keys.get('EV-PAYLOAD')!,
      'EV-PAYLOAD',
      `{"device":"EV-PAYLOAD","seq":1,"time":"${new Date().toISOString()}","seal":{"state":"closed","state":"open"}}`,
    );
    const [r] = await ingest([twice], '10.7.0.10');
    assert.deepEqual([r.status, r.reason], ['rejected', 'invalid_payload']);
    assert.match(r.detail!, /"state" appears twice/);
    assert.ok((await quarantine('reason=invalid_payload')).some((q) => Buffer.from(q.raw, 'base64').toString() === twice));
  });

  test('an impossible date is invalid_payload, not the day it would roll over to', async () => {
    const [r] = await ingest([msg('EV-PAYLOAD', 2, { time: '2026-02-30T10:00:00Z' })], '10.7.0.10');
    assert.deepEqual([r.status, r.reason], ['rejected', 'invalid_payload']);
    assert.match(r.detail!, /^time/);
  });

  test('a signed payload nested 5000 deep is refused alone (invalid_payload, quarantined); the rest of its batch is answered', async () => {
    const deep = signText(
      keys.get('EV-PAYLOAD')!,
      'EV-PAYLOAD',
      `{"device":"EV-PAYLOAD","seq":4,"time":"${new Date().toISOString()}","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    );
    const results = await ingest([msg('EV-PAYLOAD', 3), deep, msg('EV-PAYLOAD', 5)], '10.7.0.10');
    assert.deepEqual(
      results.map((r) => [r.status, r.reason ?? null]),
      [
        ['accepted', null],
        ['rejected', 'invalid_payload'],
        ['accepted', null],
      ],
    );
    assert.match(results[1].detail!, /nested deeper than/);
    assert.ok((await quarantine('reason=invalid_payload')).some((q) => Buffer.from(q.raw, 'base64').toString() === deep));
  });

  test('a captured message replayed 1000 times costs its device nothing: its next seal_tampered report is accepted', async () => {
    const captured = msg('EV-REPLAY', 1);
    assert.equal((await ingest([captured], '10.7.0.20'))[0].status, 'accepted');
    const replays = await ingest(
      Array.from({ length: 1000 }, () => captured),
      '10.7.0.21',
    );
    assert.ok(replays.every((r) => r.status === 'duplicate'));
    const next = await send([msg('EV-REPLAY', 2, { seal: { state: 'tampered' } })], '10.7.0.20');
    assert.equal(next.statusCode, 200, next.body);
    assert.equal(next.json().results[0].status, 'accepted');
  });

  test('a device back in coverage uploads an 18-hour backlog at 5-minute reports in batches of 100, and every message is accepted', async () => {
    const now = Date.now();
    const backlog = Array.from({ length: 216 }, (_, i) =>
      signMessage(keys.get('EV-BACKLOG')!, {
        device: 'EV-BACKLOG',
        seq: i + 1,
        time: new Date(now - (216 - i) * 300_000).toISOString(),
        seal: { state: 'closed' },
      }),
    );
    const statuses: string[] = [];
    for (let i = 0; i < backlog.length; i += 100) {
      const r = await send(backlog.slice(i, i + 100), '10.7.0.30');
      assert.equal(r.statusCode, 200, `batch ${i / 100 + 1}: ${r.body}`);
      statuses.push(...r.json().results.map((x: Result) => x.status));
    }
    assert.equal(statuses.filter((s) => s === 'accepted').length, 216);
  });

  test('junk from one address fills a budget, then is counted and sampled, and the address is told 429; others are not', async () => {
    const junk = Array.from({ length: 300 }, (_, i) => `junk.${i}.${'x'.repeat(100)}`);
    const first = await ingest(junk, '10.7.1.1');
    assert.equal(first.length, 300);
    assert.ok(first.every((r) => r.status === 'rejected'));
    assert.equal(first.filter((r) => /not kept: the sender is over its quarantine budget/.test(r.detail ?? '')).length, 198);
    const kept = (await quarantine('')).filter((q) => q.remote === '10.7.1.1');
    assert.equal(kept.length, 102, 'a burst of ten minutes (100) and one in a hundred beyond it');
    const again = await send(junk, '10.7.1.1');
    assert.equal(again.statusCode, 429, again.body);
    assert.ok(Number(again.headers['retry-after']) >= 1);
    assert.equal((await quarantine('')).filter((q) => q.remote === '10.7.1.1').length, 102, 'nothing more was stored');
    assert.equal((await send([junk[0]], '10.7.1.2')).statusCode, 200, 'another address has its own budget');
    const metrics = (await p.http.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /sealwatch_quarantine_over_budget_total\{reason="invalid_header"\} 198/);
  });

  test("forgeries under a device's id fill that device's budget but never refuse the device's own messages", async () => {
    const forger = generateDeviceKey('EdDSA');
    const forged = Array.from({ length: 60 }, (_, i) =>
      signMessage(forger, { device: 'EV-FORGED', seq: 1000 + i, time: new Date().toISOString() }),
    );
    const results = await ingest(forged, '10.7.2.1');
    assert.ok(results.every((r) => r.reason === 'bad_signature'));
    assert.equal((await quarantine('device=EV-FORGED')).length, 51, 'a burst of ten minutes (50) and one in a hundred beyond it');
    const own = await send([msg('EV-FORGED', 1)], '10.7.2.2');
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().results[0].status, 'accepted');
  });

  test('a junk flood from a shared address (127.0.0.1) reaches its limits, and a registered device behind the same address is still accepted', async () => {
    const junk = Array.from({ length: 1000 }, (_, i) => `nat-junk.${i}.${'y'.repeat(50)}`);
    assert.equal((await send(junk, '127.0.0.1')).statusCode, 200);
    const flooded = await send(junk, '127.0.0.1');
    assert.equal(flooded.statusCode, 429, 'the junk is told to wait');
    const valid = await send([msg('EV-NAT', 1)], '127.0.0.1');
    assert.equal(valid.statusCode, 200, valid.body);
    assert.equal(
      valid.json().results[0].status,
      'accepted',
      "a flood by someone else on the address does not hold back the device's report",
    );
    const mixed = await send([msg('EV-NAT', 2), junk[0]], '127.0.0.1');
    assert.equal(mixed.statusCode, 429, 'a request that also names no registered device waits like junk');
  });

  test('ingest per address (SEALWATCH_RATE_INGEST_PER_MIN) charges what proves nothing, replays included; a device proving its messages pays its own budget', async () => {
    const m = msg('EV-ADDRESS', 1);
    for (let i = 0; i < 3; i++) {
      const r = await send(
        Array.from({ length: 1000 }, () => m),
        '10.7.3.1',
      );
      assert.equal(r.statusCode, 200, 'admitted with budget left, paid afterwards');
    }
    const over = await send(['junk.after.replays'], '10.7.3.1');
    assert.equal(over.statusCode, 429, over.body);
    assert.match(over.json().detail, /too many requests from this address; retry after/);
    const own = await send([msg('EV-ADDRESS', 2)], '10.7.3.1');
    assert.equal(own.json().results[0].status, 'accepted', 'the registered device behind the address is still heard');
    assert.equal((await send(['junk.elsewhere'], '10.7.3.2')).statusCode, 200, 'another address is not affected');
  });
});
