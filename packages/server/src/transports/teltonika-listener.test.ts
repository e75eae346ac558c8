import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { decodeTeltonikaPacket, encodeTeltonikaImei } from '@sealwatch/protocols';
import { goldenBytes, teltonikaTraccarBytes } from '@sealwatch/protocols/teltonika/golden-frames';
import { teltonikaProtocol } from '@sealwatch/protocols/teltonika/teltonika-protocol';
import { startVendorListener } from './listener-host';
import { TcpTestClient, connectDevice, sleep, useListenerUnderTest } from './tcp-test-client';
import { teltonikaTraccarCases } from '@sealwatch/protocols/teltonika/traccar-cases';
import { traccarCaseBytes } from '@sealwatch/protocols/testing/traccar-case';

const t = useListenerUnderTest(
  teltonikaProtocol,
  [
    ['TL-GOLDEN', 'teltonika', '123456789012345'],
    ['TL-SPLIT', 'teltonika', '350000000000001'],
    ['TL-BADCRC', 'teltonika', '350000000000002'],
    ['TL-BUSY', 'teltonika', '350000000000003'],
    ['TL-UDP', 'teltonika', '357454072713975'],
    ['TL-BOUND', 'teltonika', '350000000000004'],
    ['TL-RESEND', 'teltonika', '350000000000005'],
    ['TL-C16', 'teltonika', '350000000000016'],
    ['TL-C7', 'teltonika', '350000000000007'],
    ['OSM-1', 'osmand', '356307042441013'],
  ].map(([id, protocol, imei]) => ({ id, class: 'active', kind: 'tracker', protocol, identifiers: { imei }, reportIntervalS: 30 })),
);

/** A Teltonika device's end of a connection; replies are binary, so reads give bytes. */
class DeviceSocket extends TcpTestClient {
  static async open(port = t.listener.port): Promise<DeviceSocket> {
    return new DeviceSocket(await connectDevice(port));
  }
  read(n: number, timeoutMs = 5000): Promise<Buffer> {
    return this.readBytes(n, timeoutMs);
  }
}

const handshake = async (imei: string) => {
  const d = await DeviceSocket.open();
  await d.write(encodeTeltonikaImei(imei));
  assert.deepEqual(await d.read(1), Buffer.from([0x01]), `handshake of ${imei}`);
  return d;
};

test('the handshake is answered 0x01 for a registered teltonika IMEI; 0x00 and closed for an unknown one or one registered for another protocol', async () => {
  const known = await DeviceSocket.open();
  await known.write(goldenBytes('imei'));
  assert.deepEqual(await known.read(1), Buffer.from([0x01]));
  await sleep(50);
  assert.equal(known.closed, false);
  known.end();
  for (const imei of ['999999999999999', '356307042441013']) {
    const d = await DeviceSocket.open();
    await d.write(encodeTeltonikaImei(imei));
    assert.deepEqual(await d.read(1), Buffer.from([0x00]), imei);
    await d.waitClosed();
  }
});

test('a golden Codec 8 packet is stored as unverified teltonika observations, and its record count is answered only once the rows are in the store', async () => {
  const d = await handshake('123456789012345');
  try {
    const packet = goldenBytes('codec8ThreeRecords');
    await t.sendWhileIngestHeld(d, packet, 'TL-GOLDEN', 200);
    assert.deepEqual(await d.read(4), Buffer.from('00000003', 'hex'));
    const rows = await t.rowsOf('TL-GOLDEN');
    assert.equal(rows.length, 3, 'the rows are in the store when the answer arrives');
    assert.deepEqual(
      rows.map((o) => o.time),
      ['2021-06-04T03:19:23.160Z', '2022-03-28T04:52:53.270Z', '2022-03-28T04:53:34.230Z'],
    );
    assert.deepEqual(
      rows.map((o) => [o.position!.lat, o.position!.lon]),
      [
        [24.893493, 67.0457151],
        [24.9484253, 67.1363591],
        [24.9484381, 67.1363518],
      ],
    );
    for (const o of rows) {
      assert.equal(o.trust, 'unverified');
      assert.equal(o.protocol, 'teltonika');
      assert.equal(o.seq, null);
      assert.equal(o.late, true);
      assert.equal(o.raw, packet.toString('base64'));
    }
    assert.equal(rows[2].attributes?.externalVoltage, 12.961);
    assert.equal(rows[0].position!.speed, 97);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a packet sent again (twice on one connection, then after a reconnect) is stored once and acknowledged each time', async () => {
  const packet = goldenBytes('codec8eTwoRecords');
  const d = await handshake('350000000000005');
  await d.write(packet);
  assert.deepEqual(await d.read(4), Buffer.from('00000002', 'hex'));
  await d.write(packet);
  assert.deepEqual(await d.read(4), Buffer.from('00000002', 'hex'), 'the resend is acknowledged too');
  d.end();
  const again = await handshake('350000000000005');
  await again.write(packet);
  assert.deepEqual(await again.read(4), Buffer.from('00000002', 'hex'));
  again.end();
  const rows = await t.rowsOf('TL-RESEND');
  assert.equal(rows.length, 2, 'two records, each stored once');
  assert.equal(new Set(rows.map((o) => o.time)).size, 2);
  const results = await t.ingest.vendor!.ingest('teltonika', packet, decodeTeltonikaPacket(packet, '350000000000005'), {
    transport: 'tcp:teltonika',
    remote: null,
  });
  assert.deepEqual(
    results.map((r) => r.status),
    ['duplicate', 'duplicate'],
  );
});

test('a packet split across several TCP writes is decoded once whole and acknowledged', async () => {
  const d = await handshake('350000000000001');
  const packet = goldenBytes('codec8');
  for (const [from, to] of [
    [0, 3],
    [3, 9],
    [9, 30],
    [30, 54],
    [54, 55],
  ]) {
    await d.write(packet.subarray(from, to));
    await sleep(30);
  }
  assert.deepEqual(await d.read(4), Buffer.from('00000001', 'hex'));
  const [o] = await t.rowsOf('TL-SPLIT');
  assert.equal(o.time, '2013-08-31T15:00:41.710Z');
  assert.deepEqual(o.position, { lat: 37.6743392, lon: 21.432776, speed: 0, heading: 0, source: 'gnss' });
  assert.equal(o.attributes?.io66, 12835);
  d.end();
});

test('a packet with a bad CRC is quarantined as malformed_frame, not acknowledged, and the connection closed', async () => {
  const d = await handshake('350000000000002');
  const packet = goldenBytes('codec8');
  packet[20] ^= 0x01;
  await d.write(packet);
  await d.waitClosed();
  assert.equal(d.received.length, 0, 'no acknowledgement');
  const q = await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 5 });
  const entry = q.items.find((e) => e.raw === packet.toString('base64'));
  assert.ok(entry, 'the packet is in the quarantine with its bytes');
  assert.equal(entry.transport, 'tcp:teltonika');
  assert.equal(entry.detail, 'teltonika: CRC-16 mismatch: the packet carries 0x7a04, the data field gives 0xba95');
  assert.equal((await t.rowsOf('TL-BADCRC')).length, 0);
});

test('garbage and packets before the handshake are quarantined and the connection closed', async () => {
  const http = await DeviceSocket.open();
  await http.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await http.waitClosed();
  const early = await DeviceSocket.open();
  await early.write(goldenBytes('codec8'));
  await early.waitClosed();
  assert.equal(early.received.length + http.received.length, 0);
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items;
  assert.ok(q.some((e) => /neither an IMEI length/.test(e.detail) && Buffer.from(e.raw, 'base64').toString().startsWith('GET /')));
  assert.ok(q.some((e) => e.detail === 'teltonika: AVL packet before the IMEI handshake'));
});

test('when ingest is overloaded, reading pauses and the same packet is retried until durable, then acknowledged once', async () => {
  const d = await handshake('350000000000003');
  const packet = goldenBytes('codec8eTwoRecords');
  const overload = t.ingest.overload(2);
  try {
    await d.write(packet);
    assert.deepEqual(await d.read(4), Buffer.from('00000002', 'hex'));
    overload.assertRetried(packet);
    assert.equal((await t.rowsOf('TL-BUSY')).length, 2, 'stored once');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a connection that buffers more than its bound is closed without an answer', async () => {
  const small = await startVendorListener(teltonikaProtocol, { ...t.options, knows: async () => true, maxBufferBytes: 300, udp: false });
  assert.ok(small);
  let release!: () => void;
  t.ingest.beforeIngest = () =>
    new Promise<void>((r) => {
      release = r;
    });
  try {
    const d = await DeviceSocket.open(small.port);
    await d.write(encodeTeltonikaImei('350000000000004'));
    assert.deepEqual(await d.read(1), Buffer.from([0x01]));
    const packet = goldenBytes('codec8');
    await d.write(packet); // held in ingest
    await sleep(50);
    await d.write(Buffer.concat(Array.from({ length: 6 }, () => packet))); // 330 bytes waiting: over the bound
    await d.waitClosed();
    release();
    assert.equal(d.received.length, 0);
  } finally {
    t.ingest.beforeIngest = null;
    await small.close();
  }
});

test('UDP: the golden datagram is stored and answered with its packet ids and record count', async () => {
  const udp = createSocket('udp4');
  try {
    const answer = new Promise<Buffer>((resolve) => udp.once('message', (m) => resolve(m)));
    udp.send(goldenBytes('udpCodec8'), t.listener.port, '127.0.0.1');
    assert.equal((await answer).toString('hex'), '0005cafe012201');
    const [o] = await t.rowsOf('TL-UDP');
    assert.equal(o.time, '2017-07-12T15:24:41.000Z');
    assert.deepEqual(o.position, { lat: 51.630115, lon: 0.4124566, speed: 49, heading: 109, source: 'gnss' });
    assert.equal(o.protocol, 'teltonika');
    assert.equal(o.trust, 'unverified');
  } finally {
    udp.close();
  }
});

test('TeltonikaProtocolDecoderTest L82: a Codec 16 packet is stored and its record count answered only once durable; a Codec 12 answer is stored unanswered', async () => {
  const d = await handshake('350000000000016');
  try {
    await t.sendWhileIngestHeld(d, teltonikaTraccarBytes('codec16L82'), 'TL-C16', 200);
    assert.deepEqual(await d.read(4), Buffer.from('00000001', 'hex'));
    const [o] = await t.rowsOf('TL-C16');
    assert.ok(o, 'the row is in the store when the answer arrives');
    assert.deepEqual([o.position?.lat, o.position?.lon], [-33.4379166, -70.64967]);
    await d.write(goldenBytes('codec12'));
    await sleep(150);
    assert.equal(d.received.length, 0, 'a Codec 12 answer is not acknowledged');
    const rows = await t.rowsOf('TL-C16');
    assert.equal(rows.length, 2);
    assert.equal(rows[1].attributes?.responseHex, '010300010015d5c5');
    assert.equal(d.closed, false);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('TeltonikaProtocolDecoderTest L130: a Codec 7 (GH3000) packet is stored, both records, and its record count answered only once durable; an empty packet before it is skipped', async () => {
  const d = await handshake('350000000000007');
  try {
    await d.write(Buffer.alloc(12));
    await t.sendWhileIngestHeld(d, traccarCaseBytes(teltonikaTraccarCases, 130), 'TL-C7', 200);
    assert.deepEqual(await d.read(4), Buffer.from('00000002', 'hex'));
    const rows = await t.rowsOf('TL-C7');
    assert.equal(rows.length, 2, 'the rows are in the store when the answer arrives');
    assert.deepEqual([rows[0].position?.lat, rows[0].position?.lon], [44.440189, 26.093126]);
    assert.equal(d.closed, false);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});
