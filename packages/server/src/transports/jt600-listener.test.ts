import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jt600GoldenBytes } from '@sealwatch/protocols/jt600/golden-frames';
import { jt600Protocol } from '@sealwatch/protocols/jt600/jt600-protocol';
import { startVendorListener } from './listener-host';
import { TextTestClient, connectDevice, sleep, useListenerUnderTest } from './tcp-test-client';

const t = useListenerUnderTest(
  jt600Protocol, // JT600 device ids are 10 BCD digits, not 15-digit IMEIs (the API's imei identifier refuses them), so the
  // devices are registered under the frame's device id; the short frame's id belongs to a teltonika device.
  [
    ['8041300978', 'jt600'],
    ['2050018634', 'jt600'],
    ['8043396604', 'jt600'],
    ['3110216001', 'teltonika'],
    ['3301210003', 'jt600'],
  ].map(([id, protocol]) => ({ id, class: 'active', kind: protocol === 'jt600' ? 'e_lock' : 'tracker', protocol, reportIntervalS: 60 })),
);

/** A JT600 device's end of a connection; JT600 replies are ASCII, so reads give text. */
const DeviceSocket = { open: async (port = t.listener.port) => new TextTestClient(await connectDevice(port)) };

test('a golden JT701 frame is stored with its seal state and trust unverified, and (P69,0,110) is answered only once the row is in the store', async () => {
  const d = await DeviceSocket.open();
  try {
    const frame = jt600GoldenBytes('jt701');
    await t.sendWhileIngestHeld(d, frame, '8041300978');
    assert.equal(await d.read('(P69,0,110)'.length), '(P69,0,110)');
    const [o] = await t.rowsOf('8041300978');
    assert.ok(o, 'the row is in the store when the answer arrives');
    assert.equal(o.time, '2021-10-06T07:54:43.000Z');
    assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
    assert.deepEqual(o.battery, { level: 100 });
    assert.equal(o.trust, 'unverified');
    assert.equal(o.protocol, 'jt600');
    assert.equal(o.raw, frame.toString('base64'));
    assert.equal(o.attributes?.status, 0x20e0);
    assert.equal(o.attributes?.motorLocked, true);
    assert.ok(Math.abs(o.position!.lat - 54.32272) < 1e-5 && Math.abs(o.position!.lon + 6.35571) < 1e-5);
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a P45 lock/unlock event is stored with its RFID card and password checks, and answered (P69,0,0); a heartbeat on the same connection is answered nothing', async () => {
  const d = await DeviceSocket.open();
  await d.write(jt600GoldenBytes('heartbeat'));
  await d.write(jt600GoldenBytes('p45Card'));
  assert.equal(await d.read('(P69,0,0)'.length), '(P69,0,0)');
  await sleep(50);
  assert.equal(d.received.length, 0, 'exactly one answer');
  const [o] = await t.rowsOf('2050018634');
  assert.equal(o.time, '2024-11-05T20:40:46.000Z');
  assert.equal(o.attributes?.type, 'P45');
  assert.equal(o.attributes?.rfidCard, '0012260888');
  assert.equal(o.attributes?.eventSource, 1);
  assert.equal(o.attributes?.unlockVerification, 1);
  assert.equal(o.attributes?.incorrectPasswordCount, 0);
  assert.equal(o.trust, 'unverified');
  assert.equal(d.closed, false);
  d.end();
});

test('a frame from an unknown device is quarantined as unknown_device, not answered, and the connection closed', async () => {
  const d = await DeviceSocket.open();
  const frame = jt600GoldenBytes('jt701Charging'); // 7880703537 is registered nowhere
  frame[frame.length - 1] = 0x22; // distinct raw bytes for this test
  await d.write(frame);
  await d.waitClosed();
  assert.equal(d.received.length, 0);
  const q = await t.p.ctx.store.quarantine.list({ reason: 'unknown_device' }, { limit: 10 });
  const entry = q.items.find((e) => e.raw === frame.toString('base64'));
  assert.ok(entry, 'the frame is in the quarantine with its bytes');
  assert.equal(entry.transport, 'tcp:jt600');
  assert.equal(entry.device, '7880703537');
  // A device registered for another protocol cannot be fed JT600 frames under its identifier.
  const other = await DeviceSocket.open();
  await other.write(jt600GoldenBytes('shortV1'));
  await other.waitClosed();
  assert.equal((await t.rowsOf('3110216001')).length, 0);
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'protocol_mismatch' }, { limit: 10 })).items.some(
      (e) => e.raw === jt600GoldenBytes('shortV1').toString('base64'),
    ),
  );
});

test('a frame split across several TCP writes is decoded once whole and acknowledged (P35 below protocol 0x19)', async () => {
  const d = await DeviceSocket.open();
  const frame = jt600GoldenBytes('gl600');
  for (const [from, to] of [
    [0, 1],
    [1, 9],
    [9, 10],
    [10, 30],
    [30, 48],
    [48, 49],
  ]) {
    await d.write(frame.subarray(from, to));
    await sleep(30);
  }
  assert.equal(await d.read(5), '(P35)');
  const [o] = await t.rowsOf('8043396604');
  assert.equal(o.time, '2019-03-18T19:19:58.000Z');
  assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
  d.end();
});

test('a malformed frame is quarantined and the connection stays usable; garbage closes it', async () => {
  const d = await DeviceSocket.open();
  const bad = Buffer.from('(2050018634,P45,311124,204046,9.86,N,83.95,W,A,1,0,1,1,0012260888,0,0,7)', 'latin1');
  await d.write(bad);
  await d.write(Buffer.from('(2050018634,P45,061124,204046,9.86,N,83.95,W,A,1,0,2,1,0000000000,1,2,7)', 'latin1'));
  assert.equal(await d.read('(P69,0,7)'.length), '(P69,0,7)');
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items;
  assert.ok(q.some((e) => e.raw === bad.toString('base64') && e.detail === 'jt600: P45: 311124 204046 is not a time'));
  await d.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await d.waitClosed();
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items.some((e) =>
      /neither "\$" \(binary\) nor "\("/.test(e.detail),
    ),
  );
});

test('when ingest is overloaded, reading pauses and the same frame is retried until durable, then answered once', async () => {
  const d = await DeviceSocket.open();
  const frame = Buffer.from('(2050018634,P45,071124,204046,9.86,N,83.95,W,A,1,0,1,1,0000000000,0,0,42)', 'latin1');
  const overload = t.ingest.overload(2);
  try {
    await d.write(frame);
    assert.equal(await d.read('(P69,0,42)'.length), '(P69,0,42)');
    overload.assertRetried(frame);
    assert.equal((await t.rowsOf('2050018634')).filter((o) => o.time === '2024-11-07T20:40:46.000Z').length, 1, 'stored once');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a second listener on a busy port resolves null instead of throwing', async () => {
  assert.equal(await startVendorListener(jt600Protocol, { ...t.options, port: t.listener.port }), null);
});

test('a U01 text report is stored and answered (S39) once durable; the same report resent is stored once and answered again', async () => {
  const d = await DeviceSocket.open();
  const frame = jt600GoldenBytes('u01');
  await d.write(frame);
  assert.equal(await d.read(5), '(S39)');
  await d.write(frame);
  assert.equal(await d.read(5), '(S39)');
  const rows = await t.rowsOf('3301210003');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].time, '2012-08-04T18:53:02.000Z');
  assert.deepEqual(rows[0].battery, { level: 32 });
  assert.equal(rows[0].trust, 'unverified');
  d.end();
});
