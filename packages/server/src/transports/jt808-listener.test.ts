import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { jt808GoldenBytes, jt808TraccarBytes } from '@sealwatch/protocols/jt808/golden-frames';
import { readJt808Message } from '@sealwatch/protocols/jt808/jt808-message';
import {
  encodeJt808Authenticate,
  encodeJt808Heartbeat,
  encodeJt808LocationReport,
  encodeJt808Register,
} from '@sealwatch/protocols/jt808/jt808-encoder';
import { jt808Protocol } from '@sealwatch/protocols/jt808/jt808-protocol';
import { startVendorListener } from './listener-host';
import { TcpTestClient, connectDevice, sleep, useListenerUnderTest } from './tcp-test-client';

const t = useListenerUnderTest(
  jt808Protocol, // Terminal phone numbers are 12 digits, not IMEIs: the devices are registered under them as ids.
  [
    ['440061018577', 'jt808'],
    ['200002604323', 'jt808'],
    ['013912344329', 'jt808'],
    ['421030000018', 'jt808'],
    ['012345678901', 'teltonika'],
    ['013900000808', 'jt808'],
    ['010036526447', 'jt808'],
    ['865478070102068', 'jt808'],
  ].map(([id, protocol]) => ({ id, class: 'active', kind: 'e_lock', protocol, reportIntervalS: 60 })),
);

/** A JT/T 808 terminal's end of a connection; replies are read as whole frames up to the closing flag. */
class Terminal extends TcpTestClient {
  static async open(): Promise<Terminal> {
    return new Terminal(await connectDevice(t.listener.port));
  }
  /** The next reply frame: its message id, serial and body as hex. */
  async reply(timeoutMs = 5000): Promise<{ msgId: number; serial: number; body: string }> {
    const until = Date.now() + timeoutMs;
    while (this.received.indexOf(0x7e, 1) === -1) {
      if (Date.now() > until) throw new Error(`no reply frame, got ${this.received.toString('hex') || 'nothing'} (closed: ${this.closed})`);
      await sleep(5);
    }
    const frame = await this.readBytes(this.received.indexOf(0x7e, 1) + 1);
    const m = readJt808Message(frame);
    assert.ok(typeof m !== 'string', String(m));
    return { msgId: m.header.msgId, serial: m.header.serial, body: m.body.toString('hex') };
  }
}

const T = { phone: '013912344329' };
const report = (time: string, items: { id: number; value: Buffer }[] = []) => ({
  time: Date.parse(time),
  lat: 48.2082,
  lon: 16.3738,
  speed: 61.5,
  heading: 90,
  items,
});

test('golden L1 is stored with its padlocks as a closed seal, trust unverified, and 0x8001 is answered only once the row is in the store', async () => {
  const d = await Terminal.open();
  try {
    const frame = jt808GoldenBytes('padlocks');
    await t.sendWhileIngestHeld(d, frame, '440061018577');
    assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 0, body: '001b020000' });
    const [o] = await t.rowsOf('440061018577');
    assert.ok(o, 'the row is in the store when the answer arrives');
    assert.equal(o.time, '2023-09-07T21:13:40.000Z');
    assert.deepEqual(o.seal, { state: 'closed' });
    assert.deepEqual(o.position, { lat: -6.290315, lon: 106.809488, speed: 0, heading: 0, source: 'gnss' });
    assert.equal(o.trust, 'unverified');
    assert.equal(o.protocol, 'jt808');
    assert.equal(o.raw, frame.toString('base64'));
    assert.equal((o.attributes?.padlocks as { voltage: number }[])[1].voltage, 4.038);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a registered terminal registers (0x8100, result 0, auth code), authenticates and beats (0x8001 each), then its report is stored', async () => {
  const d = await Terminal.open();
  await d.write(encodeJt808Register(T, 1));
  const reg = await d.reply();
  assert.equal(reg.msgId, 0x8100);
  assert.equal(reg.body, '000100' + Buffer.from('013912344329').toString('hex'));
  await d.write(encodeJt808Authenticate(T, 2, '013912344329'));
  assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 1, body: '0002010200' });
  await d.write(encodeJt808Heartbeat(T, 3));
  assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 2, body: '0003000200' });
  await d.write(encodeJt808LocationReport(T, 4, { ...report('2026-01-10T08:00:00.000Z'), alarm: 1 << 16 }));
  assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 3, body: '0004020000' });
  const [o] = await t.rowsOf('013912344329');
  assert.equal(o.time, '2026-01-10T08:00:00.000Z');
  assert.deepEqual(o.seal, { state: 'tampered' });
  assert.deepEqual(o.position, { lat: 48.2082, lon: 16.3738, speed: 61.5, heading: 90, source: 'gnss' });
  assert.equal(t.ingest.calls.filter((c) => c.equals(encodeJt808Heartbeat(T, 3))).length, 0, 'heartbeats are not ingested');
  d.end();
});

test('an unknown terminal registering is quarantined as unknown_device, answered 0x8100 result 4, and disconnected', async () => {
  const d = await Terminal.open();
  const frame = encodeJt808Register({ phone: '099999999999' }, 7);
  await d.write(frame);
  assert.deepEqual(await d.reply(), { msgId: 0x8100, serial: 0, body: '000704' });
  await d.waitClosed();
  const q = await t.p.ctx.store.quarantine.list({ reason: 'unknown_device' }, { limit: 20 });
  const entry = q.items.find((e) => e.raw === frame.toString('base64'));
  assert.ok(entry, 'the registration is in the quarantine with its bytes');
  assert.equal(entry.transport, 'tcp:jt808');
  assert.equal(entry.device, '099999999999');
});

test('a report from a terminal registered for another protocol is quarantined (protocol_mismatch), not answered, and the connection closed', async () => {
  const d = await Terminal.open();
  const frame = jt808GoldenBytes('removal');
  await d.write(frame);
  await d.waitClosed();
  assert.equal(d.received.length, 0);
  assert.equal((await t.rowsOf('012345678901')).length, 0);
  const q = await t.p.ctx.store.quarantine.list({ reason: 'protocol_mismatch' }, { limit: 20 });
  assert.ok(q.items.some((e) => e.raw === frame.toString('base64')));
});

test('a frame split across several TCP writes is decoded once whole and answered', async () => {
  const d = await Terminal.open();
  const frame = jt808GoldenBytes('lockList');
  for (const [from, to] of [
    [0, 1],
    [1, 5],
    [5, 40],
    [40, 95],
    [95, frame.length],
  ]) {
    await d.write(frame.subarray(from, to));
    await sleep(30);
  }
  assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 0, body: '0048020000' });
  const [o] = await t.rowsOf('200002604323');
  assert.deepEqual(o.seal, { lock: 'unlocked' });
  assert.deepEqual(o.battery, { level: 83 });
  d.end();
});

test('a frame with a bad check code is quarantined without an answer and the connection stays usable; so is garbage, skipped to the next frame', async () => {
  const d = await Terminal.open();
  const bad = jt808GoldenBytes('tamper');
  bad[20] ^= 0x01;
  await d.write(bad);
  await d.write(jt808GoldenBytes('tamper'));
  assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 1, body: '004c020000' });
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 20 })).items;
  assert.ok(
    q.some(
      (e) => e.raw === bad.toString('base64') && e.detail === 'jt808: check code mismatch: the frame carries 0x7a, its bytes give 0x7b',
    ),
  );
  const [o] = await t.rowsOf('421030000018');
  assert.deepEqual(o.seal, { state: 'tampered' });
  await d.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await d.write(jt808GoldenBytes('tamper'));
  assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 2, body: '004c020000' }, 'the stream resynchronised on the next flag');
  assert.equal(d.closed, false);
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 20 })).items.some((e) =>
      /not the 0x7e flag/.test(e.detail),
    ),
  );
  d.end();
});

test('Jt808ProtocolDecoderTest L197: a 0x0210 vendor batch is stored, all 8 positions, and answered 0x8001 only once they are durable', async () => {
  const d = await Terminal.open();
  try {
    const frame = jt808TraccarBytes('batch0210L197');
    await t.sendWhileIngestHeld(d, frame, '010036526447');
    assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 0, body: '000a021000' });
    const rows = await t.rowsOf('010036526447');
    assert.equal(rows.length, 8, 'every item of the batch is in the store when the answer arrives');
    assert.ok(rows.every((o) => o.position?.lat === 22.607138 && o.protocol === 'jt808'));
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('Jt808ProtocolDecoderTest L62, L264: a non-BCD phone field names the device by its IMEI; a text line is quarantined and the stream kept', async () => {
  const d = await Terminal.open();
  try {
    await d.write(jt808TraccarBytes('textL264'));
    await d.write(jt808TraccarBytes('nonBcdPhoneL62'));
    const r = await d.reply();
    assert.equal(r.msgId, 0x8001);
    assert.equal((await t.rowsOf('865478070102068')).length, 6);
    assert.equal(d.closed, false);
    const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 50 })).items;
    assert.ok(q.some((e) => e.raw === jt808TraccarBytes('textL264').toString('base64') && /text frame/.test(e.detail)));
  } finally {
    d.end();
  }
});

test('when ingest is overloaded, reading pauses and the same frame is retried until durable, then answered once', async () => {
  const d = await Terminal.open();
  const frame = encodeJt808LocationReport(T, 9, report('2026-01-10T09:00:00.000Z'));
  const overload = t.ingest.overload(2);
  try {
    await d.write(frame);
    assert.deepEqual(await d.reply(), { msgId: 0x8001, serial: 0, body: '0009020000' });
    overload.assertRetried(frame);
    assert.equal((await t.rowsOf('013912344329')).filter((o) => o.time === '2026-01-10T09:00:00.000Z').length, 1, 'stored once');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a second listener on a busy port resolves null instead of throwing', async () => {
  assert.equal(await startVendorListener(jt808Protocol, { ...t.options, port: t.listener.port }), null);
});

/** Sends one datagram to the listener's port and collects the answers that come back within `waitMs`. */
async function datagram(bytes: Buffer, waitMs = 400): Promise<{ msgId: number; serial: number; body: string }[]> {
  const udp = createSocket('udp4');
  const answers: { msgId: number; serial: number; body: string }[] = [];
  udp.on('message', (m) => {
    const r = readJt808Message(m);
    assert.ok(typeof r !== 'string', String(r));
    answers.push({ msgId: r.header.msgId, serial: r.header.serial, body: r.body.toString('hex') });
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  udp.send(bytes, t.listener.port, '127.0.0.1');
  await sleep(waitMs);
  udp.close();
  return answers;
}

test('UDP: registration, then a location report and its resend in one datagram: stored once, each answered 0x8001 once durable', async () => {
  const U = { phone: '013900000808' };
  const [reg] = await datagram(encodeJt808Register(U, 1));
  assert.equal(reg.msgId, 0x8100);
  assert.equal(reg.body.slice(0, 6), '000100', 'result 0: registered');
  const frame = encodeJt808LocationReport(U, 2, report('2026-01-11T09:00:00.000Z'));
  const answers = await datagram(Buffer.concat([frame, frame]));
  assert.deepEqual(
    answers.map((a) => [a.msgId, a.body]),
    [
      [0x8001, '0002020000'],
      [0x8001, '0002020000'],
    ],
  );
  const rows = await t.rowsOf('013900000808');
  assert.equal(rows.length, 1, 'the resent report is a duplicate');
  assert.equal(rows[0].time, '2026-01-11T09:00:00.000Z');
  const q = await t.p.ctx.store.quarantine.list({}, { limit: 50 });
  assert.ok(!q.items.some((e) => e.device === '013900000808'));
});

test('UDP: an unknown terminal registering is answered 0x8100 result 4 and quarantined; bytes that are no frame are quarantined unanswered', async () => {
  const frame = encodeJt808Register({ phone: '099999990808' }, 3);
  const [reg] = await datagram(frame);
  assert.deepEqual(reg, { msgId: 0x8100, serial: 0, body: '000304' });
  const q = await t.p.ctx.store.quarantine.list({ reason: 'unknown_device' }, { limit: 50 });
  assert.equal(q.items.find((e) => e.raw === frame.toString('base64'))?.transport, 'udp:jt808');
  assert.deepEqual(await datagram(Buffer.from('hello')), []);
  const bad = await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 50 });
  assert.ok(bad.items.some((e) => e.transport === 'udp:jt808' && Buffer.from(e.raw, 'base64').toString() === 'hello'));
});
