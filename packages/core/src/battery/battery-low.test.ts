import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossesBatteryLow } from './battery-low';

test('crossing to 20 % or below is low once; staying low or climbing back is not', () => {
  assert.equal(crossesBatteryLow(25, 20), true);
  assert.equal(crossesBatteryLow(20, 18), false);
  assert.equal(crossesBatteryLow(18, 35), false);
  assert.equal(crossesBatteryLow(35, 19), true);
});

test('a first reading that is already low counts; no level, no fact; the threshold is a parameter', () => {
  assert.equal(crossesBatteryLow(null, 10), true);
  assert.equal(crossesBatteryLow(50, undefined), false);
  assert.equal(crossesBatteryLow(50, 40, 45), true);
});
