import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gt06GoldenBytes, gt06TraccarBytes } from '@sealwatch/protocols/gt06/golden-frames';
import { encodeGt06Heartbeat, encodeGt06Location, encodeGt06Login } from '@sealwatch/protocols/gt06/gt06-encoder';
import { gt06Protocol } from '@sealwatch/protocols/gt06/gt06-protocol';
import { gt06TraccarCases } from '@sealwatch/protocols/gt06/traccar-cases';
import { traccarCaseBytes } from '@sealwatch/protocols/testing/traccar-case';
import { startVendorListener } from './listener-host';
import { TcpTestClient, connectDevice, sleep, useListenerUnderTest } from './tcp-test-client';

const t = useListenerUnderTest(
  gt06Protocol,
  [
    ['GT-GOLDEN', 'gt06', '864717003283581'],
    ['GT-SPLIT', 'gt06', '359000000000001'],
    ['GT-BUSY', 'gt06', '359000000000002'],
    ['GT-A4', 'gt06', '359000000000004'],
    ['GT-LOCK', 'gt06', '359000000000005'],
    ['TL-OTHER', 'teltonika', '359000000000003'],
  ].map(([id, protocol, imei]) => ({ id, class: 'active', kind: 'tracker', protocol, identifiers: { imei }, reportIntervalS: 60 })),
);

/** A GT06 device's end of a connection; acknowledgements are 10-byte packets, read as hex. */
class Device extends TcpTestClient {
  static async open(): Promise<Device> {
    return new Device(await connectDevice(t.listener.port));
  }
  async ack(): Promise<string> {
    return (await this.readBytes(10)).toString('hex');
  }
}

const loggedIn = async (imei: string) => {
  const d = await Device.open();
  await d.write(encodeGt06Login(imei, 1));
  assert.equal((await d.ack()).slice(0, 12), '787805010001', `login of ${imei}`);
  return d;
};
const fix = (time: string) => ({ time: Date.parse(time), lat: -33.8688, lon: 151.2093, speed: 40, heading: 180 });
const cell = { mcc: 505, mnc: 1, lac: 0x10, cellId: 0x2030 };

test('golden G3 login is acknowledged; golden G8 tamper alarm is stored as a tampered seal and acknowledged only once the row is in the store', async () => {
  const d = await Device.open();
  await d.write(gt06GoldenBytes('login'));
  assert.equal(await d.ack(), '78780501000955940d0a');
  try {
    const packet = gt06GoldenBytes('tamper');
    await t.sendWhileIngestHeld(d, packet, 'GT-GOLDEN');
    assert.equal(await d.ack(), '787805161ec33ad30d0a');
    const [o] = await t.rowsOf('GT-GOLDEN');
    assert.ok(o, 'the row is in the store when the answer arrives');
    assert.equal(o.time, '2023-10-08T12:14:36.000Z');
    assert.deepEqual(o.seal, { state: 'tampered' });
    assert.deepEqual(o.battery, { level: 93 });
    assert.equal(o.attributes?.alarm, 'tamper');
    assert.equal(o.trust, 'unverified');
    assert.equal(o.protocol, 'gt06');
    assert.equal(o.raw, packet.toString('base64'));
    // A location is stored and not answered.
    await d.write(gt06GoldenBytes('location'));
    await sleep(150);
    assert.equal(d.received.length, 0);
    assert.equal((await t.rowsOf('GT-GOLDEN')).length, 2);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a login from an unknown IMEI, or one registered for another protocol, is quarantined and closed without an answer', async () => {
  for (const [imei, reason] of [
    ['359999999999999', 'unknown_device'],
    ['359000000000003', 'protocol_mismatch'],
  ] as const) {
    const d = await Device.open();
    const packet = encodeGt06Login(imei, 4);
    await d.write(packet);
    await d.waitClosed();
    assert.equal(d.received.length, 0, imei);
    const q = await t.p.ctx.store.quarantine.list({ reason }, { limit: 20 });
    const entry = q.items.find((e) => e.raw === packet.toString('base64'));
    assert.ok(entry, `${imei} is quarantined as ${reason}`);
    assert.equal(entry.transport, 'tcp:gt06');
  }
});

test('a packet before the login is quarantined and the connection closed', async () => {
  const d = await Device.open();
  await d.write(gt06GoldenBytes('sos'));
  await d.waitClosed();
  assert.equal(d.received.length, 0);
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 20 })).items;
  assert.ok(q.some((e) => e.detail === 'gt06: packet before the login packet' && e.raw === gt06GoldenBytes('sos').toString('base64')));
});

test('a packet split across writes is decoded once whole; a bad CRC is quarantined and the connection stays usable; so is junk, skipped to the next packet', async () => {
  const d = await loggedIn('359000000000001');
  const packet = encodeGt06Location(2, fix('2026-02-01T10:00:00.000Z'), cell);
  for (const [from, to] of [
    [0, 1],
    [1, 3],
    [3, 20],
    [20, packet.length],
  ]) {
    await d.write(packet.subarray(from, to));
    await sleep(30);
  }
  const bad = encodeGt06Heartbeat(3, 0x46, 4, 3);
  bad[5] ^= 0x01;
  await d.write(bad);
  await d.write(encodeGt06Heartbeat(4, 0x46, 4, 3));
  assert.equal((await d.ack()).slice(0, 12), '787805130004', 'heartbeat 4 acknowledged with its serial; the bad one is not');
  const rows = await t.rowsOf('GT-SPLIT');
  assert.deepEqual(
    rows.map((o) => o.position && [o.position.lat, o.position.lon, o.position.speed]),
    [[-33.8688, 151.2093, 40], null],
  );
  assert.deepEqual(rows[1].battery, { level: 67 });
  assert.equal(rows[1].attributes?.timeFromServer, true);
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 20 })).items;
  assert.ok(q.some((e) => e.raw === bad.toString('base64') && /^gt06: CRC-ITU mismatch/.test(e.detail)));
  await d.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await d.write(encodeGt06Heartbeat(5, 0x46, 4, 3));
  assert.equal((await d.ack()).slice(0, 12), '787805130005', 'the stream resynchronised on the next start bytes');
  assert.equal(d.closed, false);
  d.end();
});

test('Gt06ProtocolDecoderTest L25: a 0xA4 alarm with code 0x13 is stored as a tampered seal with its position, acknowledged only once durable', async () => {
  const d = await loggedIn('359000000000004');
  try {
    const packet = gt06TraccarBytes('fenceTamperA4L25');
    await t.sendWhileIngestHeld(d, packet, 'GT-A4');
    assert.equal((await d.ack()).slice(0, 12), '787805a40009');
    const [o] = await t.rowsOf('GT-A4');
    assert.ok(o, 'the row is in the store when the answer arrives');
    assert.deepEqual(o.seal, { state: 'tampered' });
    assert.deepEqual([o.position?.lat, o.position?.lon], [53.528173, -113.610124]);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('Gt06ProtocolDecoderTest L271: a modular (0x70) lock report with a removal event is stored tampered with its door open, acknowledged (0x7878 0x70) only once durable', async () => {
  const d = await loggedIn('359000000000005');
  try {
    await t.sendWhileIngestHeld(d, traccarCaseBytes(gt06TraccarCases, 271), 'GT-LOCK');
    assert.equal((await d.ack()).slice(0, 8), '78780570');
    const [o] = await t.rowsOf('GT-LOCK');
    assert.ok(o, 'the row is in the store when the answer arrives');
    assert.deepEqual(o.seal, { state: 'tampered' });
    assert.equal(o.door, 'open');
    assert.deepEqual([o.position?.lat, o.position?.lon], [43.894466, -79.27285]);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('when ingest is overloaded, reading pauses and the same alarm is retried until durable, then acknowledged once', async () => {
  const d = await loggedIn('359000000000002');
  const packet = gt06GoldenBytes('sos');
  const overload = t.ingest.overload(2);
  try {
    await d.write(packet);
    assert.equal(await d.ack(), '78780516035f41df0d0a');
    overload.assertRetried(packet);
    const rows = await t.rowsOf('GT-BUSY');
    assert.equal(rows.length, 1, 'stored once');
    assert.equal(rows[0].attributes?.alarm, 'sos');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a second listener on a busy port resolves null instead of throwing', async () => {
  assert.equal(await startVendorListener(gt06Protocol, { ...t.options, port: t.listener.port }), null);
});
