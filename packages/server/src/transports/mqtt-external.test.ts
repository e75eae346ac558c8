// Runs against the real Mosquitto of this machine (DESIGN §7). Ingest is a fake: the unit under
// test is the transport. Every run uses its own share groups, client ids and device ids. A share
// group still receives every device's messages on the broker, so the fakes pass other runs'
// messages straight through uncounted, and gateway counters are only compared as differences
// while this run's message holds the connection (mqtt.js handles one delivery at a time).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestContext, IngestResult } from '../ingest/ingest.service';
import { redactUrl, startExternalMqttGateway, type ExternalMqttOptions } from './mqtt-external';
import { resultsTopic } from './mqtt-topics';
import { DeviceRateLimit } from '../ingest/device-rate-limit';

const url = process.env.SEALWATCH_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const run = randomBytes(4).toString('hex');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clientIds = new Set<string>();
const devices: MqttClient[] = [];

before(async () => {
  const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000 }, false).catch((e: Error) => {
    throw new Error(
      `the MQTT broker at ${redactUrl(url)} is not reachable (${e.message}); these tests need a real Mosquitto: start it, or set SEALWATCH_TEST_MQTT_URL`,
    );
  });
  await probe.endAsync();
});

after(async () => {
  for (const d of devices) await d.endAsync();
  // A clean start discards the persistent sessions this run left on the broker.
  for (const clientId of clientIds)
    (await mqtt.connectAsync(url, { clientId, protocolVersion: 5, clean: true, reconnectPeriod: 0 })).end(true);
});

/**
 * An ingest double for this run's messages: records every call, can throw IngestOverloadedError
 * first, resolves after `delayMs` (Infinity: never). Other runs' messages are accepted at once.
 */
function fakeIngest(options: { delayMs?: number; overloadedCalls?: number } = {}) {
  const state = { calls: [] as string[], contexts: [] as IngestContext[], ingested: [] as string[], active: 0, maxActive: 0 };
  return Object.assign(state, {
    async ingest(messages: string[], ctx: IngestContext): Promise<IngestResult[]> {
      if (!messages.every((m) => m.startsWith(`${run}-`))) return messages.map(resultOf);
      state.calls.push(...messages);
      state.contexts.push(ctx);
      state.active++;
      state.maxActive = Math.max(state.maxActive, state.active);
      try {
        if (state.calls.length <= (options.overloadedCalls ?? 0)) throw new IngestOverloadedError(1);
        // Infinity: never resolves, and holds no timer that would keep the test process alive.
        await (options.delayMs === Infinity ? new Promise(() => undefined) : delay(options.delayMs ?? 1));
        state.ingested.push(...messages);
        return messages.map(resultOf);
      } finally {
        state.active--;
      }
    },
  });
}

/** Test payloads are `<device>|<n>`; the fake answers as ingest would for an accepted message. */
const resultOf = (raw: string): IngestResult => {
  const [device, seq] = raw.split('|');
  return { device, seq: Number(seq), status: 'accepted' };
};
const messagesTopicOf = (device: string) => `sealwatch/v1/devices/${device}/messages`;

/** A gateway with a per-run client id and share group (`group` defaults to the gateway's name). */
function startGateway(name: string, ingest: ExternalMqttOptions['ingest'], { group, ...extra }: Partial<ExternalMqttOptions> = {}) {
  const clientId = `sw-test-${run}-${name}`;
  clientIds.add(clientId);
  return startExternalMqttGateway({
    url,
    group: `sw-test-${run}-${group ?? name}`,
    clientId,
    ingest,
    log: silent,
    sessionExpiryS: 60,
    ...extra,
  });
}

async function device(name: string): Promise<{ id: string; client: MqttClient }> {
  const id = `${run}-${name}`;
  const client = await mqtt.connectAsync(url, { clientId: `sw-test-dev-${id}`, protocolVersion: 4, clean: true, reconnectPeriod: 0 });
  devices.push(client);
  return { id, client };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(10);
  }
}

test(
  'a delivery is acknowledged only after ingest resolved: a gateway stopped mid-ingest gets the message again from its session',
  { timeout: 30_000 },
  async () => {
    const { id, client } = await device('d1');
    const slow = fakeIngest({ delayMs: 300 });
    const first = await startGateway('t1', slow, { group: 'g1' });

    await client.publishAsync(messagesTopicOf(id), `${id}|1`, { qos: 1 });
    await waitFor('the first ingest call', () => slow.calls.length === 1);
    const ackedBefore = first.stats().acked;
    await delay(150);
    assert.equal(first.stats().acked, ackedBefore, 'no PUBACK while ingest is pending');
    assert.equal(first.stats().inFlight, 1);
    await waitFor('the first ack', () => first.stats().acked > ackedBefore);
    assert.deepEqual(slow.contexts[0], { transport: 'mqtt', remote: null, device: id }, 'the topic names the device');

    // Crash in the middle of ingest: the broker keeps the unacknowledged delivery for the session.
    await client.publishAsync(messagesTopicOf(id), `${id}|2`, { qos: 1 });
    await waitFor('the second ingest call', () => slow.calls.length === 2);
    await first.close();
    await delay(400); // the pending ingest resolves meanwhile; its ack must not be sent
    assert.deepEqual(slow.ingested, [`${id}|1`, `${id}|2`]);
    assert.equal(first.stats().abandoned, 1, 'the delivery in ingest at close');

    const fast = fakeIngest();
    const second = await startGateway('t1', fast, { group: 'g1' });
    await waitFor('the redelivery', () => fast.ingested.length === 1);
    await delay(200);
    assert.deepEqual(fast.ingested, [`${id}|2`], 'only the unacknowledged message comes back');
    assert.ok(second.stats().redelivered >= 1, 'marked DUP by the broker');
    await waitFor('the redelivery ack', () => second.stats().acked >= 1);
    await second.close();

    // Once acknowledged after ingest, nothing comes back.
    const idle = fakeIngest();
    const third = await startGateway('t1', idle, { group: 'g1' });
    await delay(500);
    await third.close();
    assert.deepEqual(idle.calls, []);
  },
);

test('two gateways in one share group split 200 messages, each ingested exactly once', { timeout: 30_000 }, async () => {
  const ingestA = fakeIngest({ delayMs: 2 });
  const ingestB = fakeIngest({ delayMs: 2 });
  const a = await startGateway('t2-a', ingestA, { group: 'g2' });
  const b = await startGateway('t2-b', ingestB, { group: 'g2' });
  try {
    const { id, client } = await device('d2');
    const sent = Array.from({ length: 200 }, (_, i) => `${id}-${i % 10}|${i}`);
    await Promise.all(sent.map((m) => client.publishAsync(messagesTopicOf(m.split('|')[0]), m, { qos: 1 })));
    const mine = (xs: string[]) => xs.filter((m) => m.startsWith(`${id}-`));
    await waitFor('all 200 messages', () => mine(ingestA.ingested).length + mine(ingestB.ingested).length >= 200, 20_000);
    await delay(300); // a duplicate delivery would arrive in this time
    const all = [...mine(ingestA.ingested), ...mine(ingestB.ingested)];
    assert.equal(all.length, 200, 'no message ingested twice');
    assert.deepEqual([...new Set(all)].sort(), [...sent].sort(), 'no message lost');
    assert.ok(
      mine(ingestA.ingested).length > 0 && mine(ingestB.ingested).length > 0,
      `both gateways took a share (${mine(ingestA.ingested).length} / ${mine(ingestB.ingested).length})`,
    );
    assert.ok(a.stats().acked + b.stats().acked >= 200);
  } finally {
    await a.close();
    await b.close();
  }
});

test(
  'an overloaded ingest is retried without acking, and every message is ingested once with bounded in-flight deliveries',
  { timeout: 30_000 },
  async () => {
    const ingest = fakeIngest({ overloadedCalls: 6 });
    const gateway = await startGateway('t3', ingest, { maxInFlight: 4, retry: { initialMs: 20, maxMs: 100 } });
    try {
      const { id, client } = await device('d3');
      const sent = Array.from({ length: 20 }, (_, i) => `${id}|${i}`);
      for (const m of sent) await client.publishAsync(messagesTopicOf(id), m, { qos: 1 });
      await waitFor('20 messages ingested', () => ingest.ingested.length === 20);
      await waitFor('20 acks', () => gateway.stats().acked >= 20);
      assert.deepEqual(ingest.ingested, sent, 'each once, in order');
      assert.equal(ingest.calls.length, 26, 'the first message was offered 7 times');
      assert.deepEqual(ingest.calls.slice(0, 7), Array(7).fill(`${id}|0`));
      assert.equal(gateway.stats().retries, 6);
      assert.ok(ingest.maxActive <= 4, `at most maxInFlight deliveries in ingest at once (saw ${ingest.maxActive})`);
    } finally {
      await gateway.close();
    }
    // Acknowledged: a restarted session gets nothing back.
    const again = fakeIngest();
    const restarted = await startGateway('t3', again);
    await delay(500);
    await restarted.close();
    assert.deepEqual(again.calls, []);
  },
);

test('the result of each message is published on the device results topic', { timeout: 30_000 }, async () => {
  // Gateways of other runs on this broker answer too: this one signs its answers.
  const detail = `answered by ${run}`;
  const gateway = await startGateway('t4', {
    ingest: async (messages: string[]) =>
      messages.map((m) => ({ ...resultOf(m), status: 'rejected' as const, reason: 'seq_conflict' as const, detail })),
  });
  try {
    const { id, client } = await device('d4');
    const results: IngestResult[] = [];
    client.on('message', (topic, payload) => topic === resultsTopic(id) && results.push(JSON.parse(payload.toString())));
    await client.subscribeAsync(resultsTopic(id), { qos: 0 });
    await client.publishAsync(messagesTopicOf(id), `${id}|7`, { qos: 1 });
    await waitFor('the result', () => results.some((r) => r.detail === detail));
    assert.deepEqual(
      results.filter((r) => r.detail === detail),
      [{ device: id, seq: 7, status: 'rejected', reason: 'seq_conflict', detail }],
    );
  } finally {
    await gateway.close();
  }
});

test(
  'closing while ingest hangs with a backlog behind it returns at once, and the restarted session gets every message',
  { timeout: 30_000 },
  async () => {
    const hung = fakeIngest({ delayMs: Infinity });
    const first = await startGateway('t6', hung);
    const { id, client } = await device('d6');
    // 40 kB each: enough to fill the socket buffers behind the delivery stuck in ingest.
    const sent = Array.from({ length: 12 }, (_, i) => `${id}|${i}|${'x'.repeat(40_000)}`);
    for (const m of sent) await client.publishAsync(messagesTopicOf(id), m, { qos: 1 });
    await waitFor('the first ingest call', () => hung.calls.length === 1);
    await delay(200);
    const started = Date.now();
    await first.close();
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
    assert.equal(hung.calls.length, 1, 'one delivery in ingest at a time');

    const fast = fakeIngest();
    const second = await startGateway('t6', fast);
    try {
      await waitFor('the backlog', () => fast.ingested.length >= sent.length);
      await delay(200);
      assert.deepEqual(fast.ingested, sent, 'every message, once, in order');
    } finally {
      await second.close();
    }
  },
);

test(
  'a connection lost mid-ingest: the gateway reconnects by itself, the session redelivers, and the old connection ack is not sent',
  { timeout: 30_000 },
  async () => {
    const slow = fakeIngest({ delayMs: 300 });
    const gateway = await startGateway('t7', slow, { reconnectPeriodMs: 50 });
    const { id, client } = await device('d7');
    try {
      await client.publishAsync(messagesTopicOf(id), `${id}|1`, { qos: 1 });
      await waitFor('the ingest call', () => slow.calls.length === 1);
      // A client taking over the session cuts the gateway's connection (MQTT 5 reason 0x8E). It
      // gets the unacknowledged delivery itself and never acknowledges it.
      const thief = await mqtt.connectAsync(url, {
        clientId: `sw-test-${run}-t7`,
        protocolVersion: 5,
        clean: false,
        properties: { sessionExpiryInterval: 60 },
        reconnectPeriod: 0,
        customHandleAcks: () => undefined,
      });
      await thief.endAsync(true);
      await waitFor('the redelivery ingested', () => slow.ingested.length === 2);
      await delay(200);
      assert.deepEqual(slow.ingested, [`${id}|1`, `${id}|1`], 'ingested again (a duplicate for real ingest)');
      const stats = gateway.stats();
      assert.equal(stats.connected, true);
      assert.ok(stats.abandoned >= 1, 'the first ingest resolved after its connection was gone: no ack');
      assert.ok(stats.redelivered >= 1);
    } finally {
      await gateway.close();
    }
    const idle = fakeIngest();
    const restarted = await startGateway('t7', idle);
    await delay(500);
    await restarted.close();
    assert.deepEqual(idle.calls, [], 'acknowledged on the new connection');
  },
);

test('an unreachable broker fails the start with a clear error, and the password never reaches the log', { timeout: 10_000 }, async () => {
  const lines: string[] = [];
  const log = {
    info: (o: unknown, m?: string) => lines.push(JSON.stringify([o, m])),
    warn: (o: unknown, m?: string) => lines.push(JSON.stringify([o, m])),
    error: (o: unknown, m?: string) => lines.push(JSON.stringify([o, m])),
  };
  await assert.rejects(
    startExternalMqttGateway({
      url: 'mqtt://gw:s3cret-pw@127.0.0.1:1',
      group: `sw-test-${run}-t5`,
      clientId: `sw-test-${run}-t5`,
      ingest: fakeIngest(),
      log,
      startTimeoutMs: 1500,
      reconnectPeriodMs: 200,
    }),
    /MQTT broker mqtt:\/\/gw:\*\*\*@127\.0\.0\.1:1 not reachable within 1500 ms: .*ECONNREFUSED/,
  );
  assert.ok(lines.length > 0, 'the connection error was logged');
  assert.ok(
    lines.every((l) => !l.includes('s3cret-pw')),
    lines.join('\n'),
  );
});

test(
  'a device over its rate limit is acknowledged without ingest and told rate_limited on its results topic; other devices are not held up',
  { timeout: 30_000 },
  async () => {
    const flood = await device('flood');
    const other = await device('calm');
    const ingest = fakeIngest();
    const gw = await startGateway('rl', ingest, { rateLimit: new DeviceRateLimit(2) });
    const results: { status: string; reason?: string; retryAfterS?: number }[] = [];
    await flood.client.subscribeAsync(resultsTopic(flood.id), { qos: 0 });
    flood.client.on('message', (_t, payload) => results.push(JSON.parse(payload.toString())));
    for (let n = 1; n <= 4; n++) await flood.client.publishAsync(messagesTopicOf(flood.id), `${flood.id}|${n}`, { qos: 1 });
    await other.client.publishAsync(messagesTopicOf(other.id), `${other.id}|1`, { qos: 1 });
    await waitFor('the other device ingested', () => ingest.ingested.includes(`${other.id}|1`));
    await waitFor('four results', () => results.length === 4);
    assert.deepEqual(
      ingest.ingested.filter((m) => m.startsWith(flood.id)),
      [`${flood.id}|1`, `${flood.id}|2`],
    );
    assert.deepEqual(
      results.map((r) => r.reason ?? r.status),
      ['accepted', 'accepted', 'rate_limited', 'rate_limited'],
    );
    assert.ok(results[2].retryAfterS! >= 1);
    assert.equal(gw.stats().rateLimited, 2);
    await gw.close();
  },
);
