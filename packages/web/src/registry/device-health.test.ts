import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceHealth, healthCounts } from './device-health';

const now = Date.parse('2026-11-26T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();

test('a device is silent after three report intervals without a message, as the signal-loss rule says', () => {
  assert.equal(deviceHealth({ lastSeenAt: ago(89), reportIntervalS: 30, battery: { level: 80 } }, now), 'ok');
  assert.equal(deviceHealth({ lastSeenAt: ago(91), reportIntervalS: 30, battery: { level: 80 } }, now), 'silent');
  assert.equal(deviceHealth({ lastSeenAt: ago(3000), reportIntervalS: null }, now), 'ok');
  assert.equal(deviceHealth({ lastSeenAt: ago(3700), reportIntervalS: null }, now), 'silent');
});

test('never seen, and battery low below 20 % for a device that reports', () => {
  assert.equal(deviceHealth({ lastSeenAt: null, reportIntervalS: 30 }, now), 'never_seen');
  assert.equal(deviceHealth({ lastSeenAt: ago(10), reportIntervalS: 30, battery: { level: 19 } }, now), 'battery_low');
  assert.equal(deviceHealth({ lastSeenAt: ago(10), reportIntervalS: 30, battery: { level: 20 } }, now), 'ok');
  assert.deepEqual(healthCounts([{ lastSeenAt: null }, { lastSeenAt: ago(1), battery: { level: 5 } }, { lastSeenAt: ago(1) }], now), {
    never_seen: 1,
    silent: 0,
    battery_low: 1,
    ok: 1,
  });
});
