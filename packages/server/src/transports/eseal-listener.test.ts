import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEsealReport, esealGoldenBytes } from '@sealwatch/protocols/eseal/golden-frames';
import { esealProtocol } from '@sealwatch/protocols/eseal/eseal-protocol';
import { startVendorListener } from './listener-host';
import { TcpTestClient, connectDevice, sleep, useListenerUnderTest } from './tcp-test-client';

const t = useListenerUnderTest(
  esealProtocol, // eSeal device ids are short numbers, not IMEIs: the devices are registered under them. 2000001 is a JT600 lock.
  [
    ['1000821', 'eseal'],
    ['1000898', 'eseal'],
    ['2000001', 'jt600'],
  ].map(([id, protocol]) => ({ id, class: 'active', kind: protocol === 'eseal' ? 'e_seal' : 'e_lock', protocol, reportIntervalS: 60 })),
  { settings: { startupConfig: '180,30,30,16,1' } },
);

/** An eSeal device's end of a connection; replies are CR LF ended text lines. */
class DeviceSocket extends TcpTestClient {
  static async open(port = t.listener.port): Promise<DeviceSocket> {
    return new DeviceSocket(await connectDevice(port));
  }
}
const line = (b: Buffer) => Buffer.concat([b, Buffer.from('\r\n')]);

test('the golden Normal report is stored (door, battery, trust unverified) and "Normal ACK,34" is answered only once the row is in the store', async () => {
  const d = await DeviceSocket.open();
  try {
    await t.sendWhileIngestHeld(d, esealGoldenBytes('normal'), '1000821');
    assert.equal(await d.readLine(), '##S,eSeal,1000821,256,3.0.6,Normal ACK,34,E##\r\n');
    const [o] = await t.rowsOf('1000821');
    assert.equal(o.time, '2017-08-31T08:14:40.000Z');
    assert.deepEqual(o.position, { lat: 25.708828, lon: -100.37287, speed: 0, heading: 10, source: 'gnss' });
    assert.equal(o.door, 'closed');
    assert.deepEqual(o.battery, { voltage: 3.8 });
    assert.equal(o.trust, 'unverified');
    assert.equal(o.protocol, 'eseal');
    assert.equal(o.raw, esealGoldenBytes('normal', true).toString('base64'));
    assert.deepEqual([o.attributes?.type, o.attributes?.index, o.attributes?.nfc, o.attributes?.rssi], ['Normal', 34, '0:0:3:0', -73]);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('Startup is answered with the configuration; Startup OK and a command ACK are stored and answered nothing; lock and unlock events change the seal', async () => {
  const d = await DeviceSocket.open();
  await d.write(esealGoldenBytes('startup'));
  assert.equal(await d.readLine(), '##S,eSeal,1000821,256,3.0.6,Startup ACK,1,180,30,30,16,1,E##\r\n');
  await d.write(Buffer.concat([esealGoldenBytes('startupOk'), esealGoldenBytes('commandAck')]));
  await d.write(line(buildEsealReport({ type: 'Event-Lock', index: 40, time: '2017-08-31T10:00:00Z' })));
  assert.equal(
    await d.readLine(),
    '##S,eSeal,1000821,256,3.0.6,Event-Lock ACK,40,E##\r\n',
    'the ACKs of Startup OK / command ACK would have come first',
  );
  await d.write(line(buildEsealReport({ type: 'Event-RC-Unlock', index: 41, time: '2017-08-31T11:00:00Z' })));
  assert.equal(await d.readLine(), '##S,eSeal,1000821,256,3.0.6,Event-RC-Unlock ACK,41,E##\r\n');
  const rows = await t.rowsOf('1000821');
  const byTime = (t: string) => rows.find((o) => o.time === t)!;
  assert.deepEqual(byTime('2017-08-31T10:00:00.000Z').seal, { state: 'closed', lock: 'locked' });
  assert.deepEqual(byTime('2017-08-31T11:00:00.000Z').seal, { state: 'open', lock: 'unlocked' });
  assert.equal(byTime('2017-08-31T11:00:00.000Z').attributes?.alarm, 'unlock');
  assert.ok(rows.some((o) => o.attributes?.type === 'Startup OK' && o.attributes?.timeFromServer === true));
  assert.ok((await t.rowsOf('1000898')).some((o) => o.attributes?.type === 'RC-NFC DEL ACK'));
  assert.equal(d.closed, false);
  d.end();
});

test('a line from an unknown device is quarantined as unknown_device, not answered, and the connection closed; so is a jt600 device id', async () => {
  const d = await DeviceSocket.open();
  const frame = buildEsealReport({ deviceId: '7777777', index: 3 });
  await d.write(line(frame));
  await d.waitClosed();
  assert.equal(d.received.length, 0);
  const entry = (await t.p.ctx.store.quarantine.list({ reason: 'unknown_device' }, { limit: 10 })).items.find(
    (e) => e.raw === frame.toString('base64'),
  );
  assert.ok(entry, 'the line is in the quarantine with its bytes');
  assert.equal(entry.transport, 'tcp:eseal');
  assert.equal(entry.device, '7777777');
  const other = await DeviceSocket.open();
  const jt = buildEsealReport({ deviceId: '2000001', index: 4 });
  await other.write(line(jt));
  await other.waitClosed();
  assert.equal((await t.rowsOf('2000001')).length, 0);
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'protocol_mismatch' }, { limit: 10 })).items.some(
      (e) => e.raw === jt.toString('base64'),
    ),
  );
});

test('a line split across several TCP writes is decoded once whole and acknowledged once', async () => {
  const d = await DeviceSocket.open();
  const frame = line(buildEsealReport({ type: 'Event-Door', door: 'Open', index: 50, time: '2017-09-01T00:00:00Z' }));
  for (const [from, to] of [
    [0, 1],
    [1, 2],
    [2, 30],
    [30, 80],
    [80, frame.length - 1],
    [frame.length - 1, frame.length],
  ]) {
    await d.write(frame.subarray(from, to));
    await sleep(30);
  }
  assert.equal(await d.readLine(), '##S,eSeal,1000821,256,3.0.6,Event-Door ACK,50,E##\r\n');
  await sleep(50);
  assert.equal(d.received.length, 0);
  const o = (await t.rowsOf('1000821')).find((r) => r.time === '2017-09-01T00:00:00.000Z')!;
  assert.deepEqual([o.seal, o.door], [{ state: 'open' }, 'open']);
  d.end();
});

test('a malformed line is quarantined with its reason and the connection stays usable; garbage closes it', async () => {
  const d = await DeviceSocket.open();
  const bad = buildEsealReport({ index: 60 }).toString().replace('2017-08-31', '2017-02-30');
  await d.write(line(Buffer.from(bad)));
  await d.write(line(buildEsealReport({ index: 61, time: '2017-09-02T00:00:00Z' })));
  assert.equal(await d.readLine(), '##S,eSeal,1000821,256,3.0.6,Normal ACK,61,E##\r\n');
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items;
  assert.ok(
    q.some((e) => e.raw === Buffer.from(bad).toString('base64') && e.detail === 'eseal: bad_time: 2017-02-30 09:00:00 is not a time'),
  );
  await d.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await d.waitClosed();
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items.some(
      (e) => e.detail === 'eseal: line starts with 0x4745, not "##"',
    ),
  );
});

test('when ingest is overloaded, reading pauses and the same line is retried until durable, then answered once', async () => {
  const d = await DeviceSocket.open();
  const frame = buildEsealReport({ type: 'Event-Shock', index: 70, time: '2017-09-03T00:00:00Z' });
  const overload = t.ingest.overload(2);
  try {
    await d.write(line(frame));
    assert.equal(await d.readLine(), '##S,eSeal,1000821,256,3.0.6,Event-Shock ACK,70,E##\r\n');
    overload.assertRetried(frame);
    assert.equal((await t.rowsOf('1000821')).filter((o) => o.time === '2017-09-03T00:00:00.000Z').length, 1, 'stored once');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a second listener on a busy port resolves null instead of throwing', async () => {
  assert.equal(await startVendorListener(esealProtocol, { ...t.options, port: t.listener.port }), null);
});
