import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import mqtt from 'mqtt';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';
import { startEmbeddedMqtt } from './mqtt-embedded';
import { DeviceRateLimit } from '../ingest/device-rate-limit';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const key = generateDeviceKey('EdDSA');

before(async () => {
  p = await startTestPlatform();
  await p.listen();
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id: 'MQ-1', class: 'active', kind: 'e_seal', protocol: 'native', key: key.registration },
  });
  assert.equal(r.statusCode, 201);
});
after(() => p.cleanup());

test('a QoS 1 publish is acknowledged only once the observation is stored, and the result comes back on the results topic', async () => {
  const broker = p.mqtt();
  assert.ok(broker, 'embedded broker listening');
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'MQ-1', protocolVersion: 4 });
  try {
    const results: unknown[] = [];
    await client.subscribeAsync('sealwatch/v1/devices/MQ-1/results', { qos: 0 });
    client.on('message', (_t, payload) => results.push(JSON.parse(payload.toString())));
    await client.publishAsync(
      'sealwatch/v1/devices/MQ-1/messages',
      signMessage(key, { device: 'MQ-1', seq: 1, time: new Date().toISOString(), seal: { state: 'closed' } }),
      { qos: 1 },
    );
    // PUBACK received: the observation must already be durable.
    const stored = await p.ctx.store.observations.listByDevice('MQ-1' as never, {}, { limit: 5 });
    assert.equal(stored.items.length, 1);
    assert.equal(stored.items[0].seq, 1);
    await client.publishAsync('sealwatch/v1/devices/MQ-1/messages', 'garbage', { qos: 1 });
    const q = await p.ctx.store.quarantine.list({ reason: 'malformed_jws' }, { limit: 5 });
    assert.equal(q.items[0].transport, 'mqtt');
    for (let i = 0; i < 50 && results.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(results, [
      { device: 'MQ-1', seq: 1, status: 'accepted' },
      { device: null, seq: null, status: 'rejected', reason: 'malformed_jws', detail: 'expected 3 dot-separated parts, got 1' },
    ]);
  } finally {
    await client.endAsync();
  }
});

test('a device may not subscribe to another device results, nor publish outside its messages topic', async () => {
  const broker = p.mqtt()!;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'MQ-2', protocolVersion: 4 });
  try {
    // SUBACK 0x80 (refused); mqtt.js turns it into a rejected promise. The connection stays up.
    await assert.rejects(client.subscribeAsync('sealwatch/v1/devices/MQ-1/results', { qos: 0 }), /Subscribe error/);
    assert.equal(client.connected, true);
    const own = await client.subscribeAsync('sealwatch/v1/devices/MQ-2/results', { qos: 0 });
    assert.equal(own[0].qos, 0);
  } finally {
    await client.endAsync();
  }
  const other = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'MQ-3', protocolVersion: 4, reconnectPeriod: 0 });
  const closed = new Promise<void>((r) => other.once('close', () => r()));
  other.publish('some/other/topic', 'x', { qos: 1 });
  await closed;
  assert.equal(other.connected, false);
  other.end(true);
});

test('a busy port does not stop the platform: the broker is skipped with a warning', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  const warnings: string[] = [];
  const broker = await startEmbeddedMqtt({
    port,
    host: '127.0.0.1',
    ingest: p.ctx.ingest,
    log: { info: () => undefined, warn: (_o: unknown, msg?: string) => warnings.push(String(msg)) } as never,
  });
  assert.equal(broker, null);
  assert.match(warnings[0], /busy/);
  blocker.close();
});

test('a device over SEALWATCH_RATE_DEVICE_PER_MIN gets a rate_limited result and is disconnected without a PUBACK; nothing of it is ingested', async () => {
  const limited = await startEmbeddedMqtt({
    port: 0,
    host: '127.0.0.1',
    ingest: p.ctx.ingest,
    log: { info: () => undefined, warn: () => undefined },
    rateLimit: new DeviceRateLimit(2),
  });
  assert.ok(limited);
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${limited.port}`, { clientId: 'MQ-1', protocolVersion: 4, reconnectPeriod: 0 });
  try {
    const results: { status: string; reason?: string; retryAfterS?: number }[] = [];
    await client.subscribeAsync('sealwatch/v1/devices/MQ-1/results', { qos: 0 });
    client.on('message', (_t, payload) => results.push(JSON.parse(payload.toString())));
    const send = (seq: number) =>
      client.publishAsync('sealwatch/v1/devices/MQ-1/messages', signMessage(key, { device: 'MQ-1', seq, time: new Date().toISOString() }), {
        qos: 1,
      });
    await send(101);
    await send(102);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    void send(103).catch(() => undefined);
    await closed;
    for (let i = 0; i < 50 && results.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      results.map((r) => r.status),
      ['accepted', 'accepted', 'rejected'],
    );
    assert.equal(results[2].reason, 'rate_limited');
    assert.ok(results[2].retryAfterS! >= 1);
    const stored = await p.ctx.store.observations.listByDevice('MQ-1' as never, { order: 'asc' }, { limit: 10 });
    assert.deepEqual(
      stored.items.map((o) => o.seq).filter((q) => q! > 100),
      [101, 102],
    );
  } finally {
    client.end(true);
    await limited.close();
  }
});

test('a client id connected from one address is not taken over from another; a message for another device on its topic is refused kid_mismatch', async () => {
  const broker = p.mqtt()!;
  const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'MQ-1', protocolVersion: 4, reconnectPeriod: 0 });
  try {
    // Found by an adversarial pass: anyone could keep a device off the broker by connecting under its id.
    const intruder = new mqtt.MqttClient(() => connect({ port: broker.port, host: '127.0.0.1', localAddress: '127.0.0.2' }), {
      clientId: 'MQ-1',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const refusal = await new Promise<Error & { code?: number }>((resolve) => {
      intruder.once('error', resolve);
      intruder.once('connect', () => resolve(Object.assign(new Error('the intruder was let in'), { code: 0 })));
    });
    intruder.end(true);
    assert.equal(refusal.code, 2, `CONNACK identifier rejected: ${refusal.message}`);
    assert.equal(device.connected, true, 'the device stays connected');

    const results: Array<Record<string, unknown>> = [];
    await device.subscribeAsync('sealwatch/v1/devices/MQ-1/results', { qos: 0 });
    device.on('message', (_t, payload) => results.push(JSON.parse(payload.toString())));
    const other = generateDeviceKey('EdDSA');
    await device.publishAsync(
      'sealwatch/v1/devices/MQ-1/messages',
      signMessage(other, { device: 'MQ-OTHER', seq: 1, time: new Date().toISOString(), seal: { state: 'open' } }),
      { qos: 1 },
    );
    for (let i = 0; i < 50 && results.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(results[0]?.status, 'rejected');
    assert.equal(results[0]?.reason, 'kid_mismatch');
    const q = await p.ctx.store.quarantine.list({ reason: 'kid_mismatch' }, { limit: 5 });
    assert.match(q.items[0].detail ?? '', /published for device MQ-1, but the message's kid is MQ-OTHER/);
    assert.equal(q.items[0].device, null, 'attributed to no device: a captured message on another topic alerts nobody');

    // The device itself reconnecting from its own address takes its session over as MQTT says.
    const again = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'MQ-1', protocolVersion: 4, reconnectPeriod: 0 });
    await again.endAsync();
  } finally {
    device.end(true);
  }
});
