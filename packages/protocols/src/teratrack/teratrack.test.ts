/** Golden frames from reference §12.3 (Traccar TeraTrackProtocolDecoderTest), the {01} reply, and refusals with their reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedObservation } from '../decoded';
import { decodeTeraTrackFrame, type TeraTrackDecoded } from './teratrack';
import { buildTeraTrackFrame, teraTrackGolden, teraTrackGoldenBytes } from './golden-frames';

const ok = (d: TeraTrackDecoded): DecodedObservation[] => {
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  return d.result.observations;
};

test('T1 sealed: named by the IMEI, UTC time, signed position, km/h, closed/inserted/locked, battery %, card, rssi; reply {01}', () => {
  const d = decodeTeraTrackFrame(teraTrackGoldenBytes('sealed'));
  const [o] = ok(d);
  assert.equal(o.identifier, '860922043756090');
  assert.equal(o.time, '2022-03-09T10:56:01.000Z');
  assert.deepEqual(o.position, { lat: -6.846451, lon: 39.316324, speed: 90, source: 'gnss' });
  assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(o.battery, { level: 79 });
  assert.equal(o.door, null);
  const a = o.attributes!;
  assert.deepEqual([a.mDeviceId, a.rfidCard, a.rssi, a.index], ['022043756090', '60000644', 16, 20]);
  assert.deepEqual(a.alarms, []);
  assert.deepEqual(a.mainLock, { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(a.subLocks, []);
  const vendor = { ...JSON.parse(teraTrackGolden.sealed) };
  delete vendor.Slave;
  assert.deepEqual(a.vendor, vendor, 'every vendor field is kept as sent');
  assert.equal((a.vendor as Record<string, unknown>).DiviceType, '1');
  assert.equal(d.reply!.toString(), '{01}');
});

test('T2 tampered: SealTempered spelling, unlocking, rope out, cover opened, motor stuck; both sub-locks timed out and kept, not counted', () => {
  const d = decodeTeraTrackFrame(teraTrackGoldenBytes('tampered'));
  const [o] = ok(d);
  assert.equal(o.identifier, '861774054558620');
  assert.equal(o.time, '2022-02-22T23:35:35.000Z');
  assert.deepEqual(o.position, { lat: -6.826699, lon: 39.279008, speed: 0, source: 'gnss' });
  assert.deepEqual(o.seal, { state: 'tampered', rope: 'removed', lock: 'unlocked' });
  assert.deepEqual(o.battery, { level: 90 });
  const a = o.attributes!;
  assert.deepEqual(a.alarms, ['seal_tampered', 'back_cover_opened', 'unlocking', 'motor_fault']);
  assert.equal(a.rfidCard, '60060198');
  assert.deepEqual(a.subLocksTimedOut, ['685304', '224779']);
  const subs = a.subLocks as {
    id: string;
    seal: unknown;
    battery: number;
    timedOut: boolean;
    motorFault: boolean;
    vendor: Record<string, string>;
  }[];
  assert.deepEqual(
    subs.map((s) => [s.id, s.seal, s.battery, s.timedOut, s.motorFault]),
    [
      ['685304', { rope: 'removed', lock: 'unlocked', state: 'open' }, 0, true, false],
      ['224779', { rope: 'removed', lock: 'unlocked', state: 'open' }, 0, true, false],
    ],
  );
  assert.equal(subs[0].vendor.SSealTempered, '0');
  assert.equal(d.reply!.toString(), '{01}');
});

test('MessageAck 0 gets no reply; IMEI missing falls back to MDeviceID; numbers as JSON numbers are read too', () => {
  const d = decodeTeraTrackFrame(
    buildTeraTrackFrame({ MessageAck: '0', IMEI: undefined, Power: 55, Speed: 12.5, Latitude: 1.5, Longitude: -2.25 }),
  );
  const [o] = ok(d);
  assert.equal(d.reply, null);
  assert.equal(o.identifier, '022043756090');
  assert.deepEqual(o.battery, { level: 55 });
  assert.deepEqual(o.position, { lat: 1.5, lon: -2.25, speed: 12.5, source: 'gnss' });
});

test('a lock without a fix (0,0) has no position; a Power out of 0-100 is no battery level; an all-zero card is no card', () => {
  const [o] = ok(
    decodeTeraTrackFrame(buildTeraTrackFrame({ Latitude: '0.000000', Longitude: '0.000000', Power: '255', CardNo: '00000000' })),
  );
  assert.equal(o.position, null);
  assert.equal(o.battery, null);
  assert.equal('rfidCard' in o.attributes!, false);
  assert.equal((o.attributes!.vendor as Record<string, unknown>).Power, '255');
});

test('what is not a readable frame is refused with a reason', () => {
  const refuse = (b: Buffer | string) => {
    const d = decodeTeraTrackFrame(typeof b === 'string' ? Buffer.from(b) : b);
    assert.equal(d.reply, null);
    assert.equal(d.result.ok, false);
    const r = d.result as { reason: string; detail: string };
    return `${r.reason}: ${r.detail}`;
  };
  assert.match(refuse('{"IMEI":'), /^not_json: not JSON: /);
  assert.equal(refuse('[1,2]'), 'not_object: a TeraTrack frame is one JSON object');
  assert.equal(
    refuse(buildTeraTrackFrame({ IMEI: '12', MDeviceID: 'abc' })),
    'bad_device_id: neither IMEI "12" nor MDeviceID "abc" is a device id',
  );
  assert.equal(
    refuse(buildTeraTrackFrame({ DateTime: '09/03/2022 10:56' })),
    'bad_time: DateTime "09/03/2022 10:56" is not "YYYY-MM-DD hh:mm:ss"',
  );
  assert.equal(refuse(buildTeraTrackFrame({ DateTime: '2022-02-30 10:56:01' })), 'bad_time: DateTime 2022-02-30 10:56:01 is not a time');
  assert.equal(refuse(buildTeraTrackFrame({ Latitude: 'south' })), 'bad_position: position "south","39.316324" is not two numbers');
  assert.equal(refuse(buildTeraTrackFrame({ Longitude: undefined })), 'bad_position: position "-6.846451",undefined is not two numbers');
  assert.equal(refuse(buildTeraTrackFrame({ Latitude: '-96.8' })), 'bad_position: position -96.8,39.316324 is out of range');
  assert.equal(refuse(buildTeraTrackFrame({ GSM: 'good' })), 'bad_number: GSM "good" is not a number');
  assert.equal(refuse(buildTeraTrackFrame({ SealTempered: 'yes' })), 'bad_flag: SealTempered "yes" is not 0 or 1');
  assert.equal(refuse(buildTeraTrackFrame({ LockStatus: '2' })), 'bad_flag: LockStatus "2" is not 0 or 1');
  assert.equal(refuse(buildTeraTrackFrame({ MessageAck: true })), 'bad_flag: MessageAck true is not 0 or 1');
  assert.equal(refuse(buildTeraTrackFrame({ Slave: {} })), 'bad_sub_lock: Slave is not a list');
  assert.equal(refuse(buildTeraTrackFrame({ Slave: [{ SLockOpen: '1' }] })), 'bad_sub_lock: Slave[0].SDeviceId undefined is missing');
  assert.equal(
    refuse(buildTeraTrackFrame({ Slave: [{ SDeviceId: '1', SSealTampered: 'x' }] })),
    'bad_sub_lock: Slave[0].SSealTampered "x" is not 0 or 1',
  );
});
