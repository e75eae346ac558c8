import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNativePayload, judgeMessageTime, vendorAttributes } from './native-message';

const example = {
  device: 'SEAL-000123',
  seq: 1842,
  time: '2026-11-26T03:22:52.120Z',
  position: { lat: -1.2921, lon: 36.8219, accuracy: 8, speed: 54.0, heading: 270, source: 'gnss' },
  seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
  door: 'closed',
  sensors: { temperature: 4.2, humidity: 55, shock: 0.1, light: 0 },
  battery: { level: 87, voltage: 3.91 },
  reads: [{ epc: '3074257bf7194e4000001a85', tid: 'e2801160200074cf0e4a0a06', rssi: -61, time: '2026-11-26T03:22:51.990Z' }],
};

test('accepts the DESIGN §5 example payload', () => {
  const r = parseNativePayload(example);
  assert.equal(r.ok, true);
});

test('keeps unknown members as vendor attributes', () => {
  const r = parseNativePayload({ ...example, fw: '2.1.0' });
  assert.ok(r.ok);
  assert.deepEqual(vendorAttributes(r.payload as Record<string, unknown>), { fw: '2.1.0' });
  assert.equal(vendorAttributes(example), null);
});

test('names the failing member: seq missing, bad seal state, latitude out of range, time without zone', () => {
  const { seq: _seq, ...noSeq } = example;
  assert.deepEqual(parseNativePayload(noSeq).ok, false);
  const badSeal = parseNativePayload({ ...example, seal: { state: 'ajar' } });
  assert.ok(!badSeal.ok && badSeal.detail.startsWith('seal.state'));
  const badLat = parseNativePayload({ ...example, position: { lat: 91, lon: 0 } });
  assert.ok(!badLat.ok && badLat.detail.startsWith('position.lat'));
  const badTime = parseNativePayload({ ...example, time: '2026-11-26 03:22:52' });
  assert.ok(!badTime.ok && badTime.detail.startsWith('time'));
  assert.equal(parseNativePayload({ ...example, seq: -1 }).ok, false);
  assert.equal(parseNativePayload({ ...example, seq: 1.5 }).ok, false);
});

test('time more than 5 minutes ahead is clock_skew; long ago is late', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  assert.equal(judgeMessageTime(now + 5 * 60_000 + 1, now, 300_000, 120_000), 'clock_skew');
  assert.equal(judgeMessageTime(now + 5 * 60_000, now, 300_000, 120_000), 'ok');
  assert.equal(judgeMessageTime(now - 10 * 60_000, now, 300_000, 120_000), 'late');
  assert.equal(judgeMessageTime(now - 1000, now, 300_000, 120_000), 'ok');
});

test('a day that does not exist is refused, not rolled over: 2026-02-30 is not 2 March; 2028-02-29 is a day', () => {
  for (const time of [
    '2026-02-30T00:00:00Z',
    '2026-02-29T12:00:00Z',
    '2026-04-31T08:00:00.000+03:00',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-12-06T24:00:00Z',
    '2026-12-06T12:60:00Z',
    '2026-12-06T12:00:00+24:00',
  ]) {
    const r = parseNativePayload({ ...example, time });
    assert.ok(!r.ok && r.detail.startsWith('time'), time);
  }
  assert.equal(parseNativePayload({ ...example, time: '2028-02-29T23:59:59.999Z' }).ok, true);
  assert.equal(parseNativePayload({ ...example, time: '2026-12-31T23:59:59Z' }).ok, true);
});

test('a time more precise than milliseconds is refused, not cut to .123; trailing zeros are only notation', () => {
  const r = parseNativePayload({ ...example, time: '2026-12-07T05:00:00.123456789Z' });
  assert.ok(!r.ok && r.detail.startsWith('time') && /milliseconds/.test(r.detail), JSON.stringify(r));
  assert.equal(parseNativePayload({ ...example, time: '2026-12-07T05:00:00.1234Z' }).ok, false);
  for (const time of ['2026-12-07T05:00:00.120000Z', '2026-12-07T05:00:00.123000000+03:00', '2026-12-07T05:00:00.5Z']) {
    assert.equal(parseNativePayload({ ...example, time }).ok, true, time);
  }
});

test('a time before 2000 is invalid (a reset clock), not a late report', () => {
  for (const time of ['0000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1999-12-31T23:59:59.999Z', '2000-01-01T01:00:00+02:00']) {
    const r = parseNativePayload({ ...example, time });
    assert.ok(!r.ok && r.detail.startsWith('time'), time);
  }
  assert.equal(parseNativePayload({ ...example, time: '2000-01-01T00:00:00Z' }).ok, true);
});
