import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSubLock, buildTeraTrackFrame, teraTrackGoldenBytes } from '@sealwatch/protocols/teratrack/golden-frames';
import { teraTrackProtocol } from '@sealwatch/protocols/teratrack/teratrack-protocol';
import { startVendorListener } from './listener-host';
import { TextTestClient, connectDevice, sleep, useListenerUnderTest } from './tcp-test-client';

const t = useListenerUnderTest(
  teraTrackProtocol, // TeraTrack frames carry a 15-digit IMEI: the locks are registered with it as their imei identifier.
  [
    ['LOCK-T1', '860922043756090', 'teratrack'],
    ['LOCK-T2', '861774054558620', 'teratrack'],
    ['TRK-9', '356307042441013', 'teltonika'],
  ].map(([id, imei, protocol]) => ({
    id,
    class: 'active',
    kind: protocol === 'teratrack' ? 'e_lock' : 'tracker',
    protocol,
    identifiers: { imei },
    reportIntervalS: 60,
  })),
);

/** A TeraTrack lock's end of a connection; the only reply is the 4 ASCII bytes {01}. */
const DeviceSocket = { open: async (port = t.listener.port) => new TextTestClient(await connectDevice(port)) };

test('the golden T1 frame is stored under the lock its IMEI names (sealed, 79 %, trust unverified) and {01} is answered only once the row is in the store', async () => {
  const d = await DeviceSocket.open();
  try {
    await t.sendWhileIngestHeld(d, teraTrackGoldenBytes('sealed'), 'LOCK-T1');
    assert.equal(await d.read(4), '{01}');
    const [o] = await t.rowsOf('LOCK-T1');
    assert.equal(o.time, '2022-03-09T10:56:01.000Z');
    assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
    assert.deepEqual(o.battery, { level: 79 });
    assert.deepEqual(o.position, { lat: -6.846451, lon: 39.316324, speed: 90, source: 'gnss' });
    assert.equal(o.trust, 'unverified');
    assert.equal(o.protocol, 'teratrack');
    assert.equal(o.raw, teraTrackGoldenBytes('sealed').toString('base64'));
    assert.equal(o.attributes?.rfidCard, '60000644');
    assert.equal((o.attributes?.vendor as Record<string, unknown>).MDeviceID, '022043756090');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('T2 (SealTempered, two sub-locks) is stored tampered with each sub-lock kept; a frame without MessageAck is stored and answered nothing', async () => {
  const d = await DeviceSocket.open();
  await d.write(teraTrackGoldenBytes('tampered'));
  assert.equal(await d.read(4), '{01}');
  const [o] = await t.rowsOf('LOCK-T2');
  assert.deepEqual(o.seal, { state: 'tampered', rope: 'removed', lock: 'unlocked' });
  assert.deepEqual(
    (o.attributes?.subLocks as { id: string }[]).map((s) => s.id),
    ['685304', '224779'],
  );
  assert.deepEqual(o.attributes?.subLocksTimedOut, ['685304', '224779']);
  // A sub-lock reporting open opens the whole seal, though the main lock is sealed.
  const noAck = buildTeraTrackFrame({
    MessageAck: '0',
    DateTime: '2022-03-10 08:00:00',
    Slave: [buildSubLock('700001', { SLockOpen: '1' })],
  });
  await d.write(noAck);
  await d.write(buildTeraTrackFrame({ DateTime: '2022-03-10 09:00:00' }));
  assert.equal(await d.read(4), '{01}');
  await sleep(50);
  assert.equal(d.received.length, 0, 'one {01}, for the frame that asked');
  const rows = await t.rowsOf('LOCK-T1');
  const open = rows.find((r) => r.time === '2022-03-10T08:00:00.000Z')!;
  assert.deepEqual(open.seal, { state: 'open', rope: 'inserted', lock: 'unlocked' });
  assert.ok(rows.some((r) => r.time === '2022-03-10T09:00:00.000Z'));
  d.end();
});

test('a frame from an unknown device is quarantined as unknown_device, not answered, and the connection closed; so is a teltonika IMEI', async () => {
  const d = await DeviceSocket.open();
  const frame = buildTeraTrackFrame({ IMEI: '869999999999990', Index: '1' });
  await d.write(frame);
  await d.waitClosed();
  assert.equal(d.received.length, 0);
  const entry = (await t.p.ctx.store.quarantine.list({ reason: 'unknown_device' }, { limit: 10 })).items.find(
    (e) => e.raw === frame.toString('base64'),
  );
  assert.ok(entry, 'the frame is in the quarantine with its bytes');
  assert.equal(entry.transport, 'tcp:teratrack');
  assert.equal(entry.device, '869999999999990');
  const other = await DeviceSocket.open();
  const wrong = buildTeraTrackFrame({ IMEI: '356307042441013' });
  await other.write(wrong);
  await other.waitClosed();
  assert.equal((await t.rowsOf('TRK-9')).length, 0);
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'protocol_mismatch' }, { limit: 10 })).items.some(
      (e) => e.raw === wrong.toString('base64'),
    ),
  );
});

test('a frame split across several TCP writes is decoded once whole and acknowledged once', async () => {
  const d = await DeviceSocket.open();
  const frame = buildTeraTrackFrame({ DateTime: '2022-03-11 00:00:00', LockCutOff: '1' });
  for (const [from, to] of [
    [0, 1],
    [1, 40],
    [40, 41],
    [41, 300],
    [300, frame.length - 1],
    [frame.length - 1, frame.length],
  ]) {
    await d.write(frame.subarray(from, to));
    await sleep(30);
  }
  assert.equal(await d.read(4), '{01}');
  const o = (await t.rowsOf('LOCK-T1')).find((r) => r.time === '2022-03-11T00:00:00.000Z')!;
  assert.deepEqual(o.seal, { state: 'tampered', rope: 'cut', lock: 'locked' });
  d.end();
});

test('a malformed frame is quarantined with its reason and the connection stays usable; garbage closes it', async () => {
  const d = await DeviceSocket.open();
  const bad = buildTeraTrackFrame({ DateTime: '2022-02-30 10:00:00' });
  await d.write(bad);
  await d.write(buildTeraTrackFrame({ DateTime: '2022-03-12 00:00:00' }));
  assert.equal(await d.read(4), '{01}');
  const q = (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items;
  assert.ok(
    q.some((e) => e.raw === bad.toString('base64') && e.detail === 'teratrack: bad_time: DateTime 2022-02-30 10:00:00 is not a time'),
  );
  await d.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await d.waitClosed();
  assert.ok(
    (await t.p.ctx.store.quarantine.list({ reason: 'malformed_frame' }, { limit: 10 })).items.some(
      (e) => e.detail === 'teratrack: byte 0x47 outside a JSON object',
    ),
  );
});

test('when ingest is overloaded, reading pauses and the same frame is retried until durable, then answered once', async () => {
  const d = await DeviceSocket.open();
  const frame = buildTeraTrackFrame({ DateTime: '2022-03-13 00:00:00' });
  const overload = t.ingest.overload(2);
  try {
    await d.write(frame);
    assert.equal(await d.read(4), '{01}');
    overload.assertRetried(frame);
    assert.equal((await t.rowsOf('LOCK-T1')).filter((o) => o.time === '2022-03-13T00:00:00.000Z').length, 1, 'stored once');
  } finally {
    t.ingest.beforeIngest = null;
    d.end();
  }
});

test('a second listener on a busy port resolves null instead of throwing', async () => {
  assert.equal(await startVendorListener(teraTrackProtocol, { ...t.options, port: t.listener.port }), null);
});
