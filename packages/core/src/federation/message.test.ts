import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyPurgeDueAt, sharedFeedDevice } from './message';

const DAY = 86_400_000;

test('a copy is due for purging retentionDays after the first of its ends here, and never while it has not ended', () => {
  assert.equal(copyPurgeDueAt([null, null], 30), null);
  const arrived = '2026-12-01T10:00:00.000Z';
  const left = '2026-11-30T08:00:00.000Z';
  assert.equal(copyPurgeDueAt([arrived, null], 30), Date.parse(arrived) + 30 * DAY);
  assert.equal(copyPurgeDueAt([arrived, left], 2), Date.parse(left) + 2 * DAY, 'leaving the territory ends it here');
});

test("a partner's readings for one movement are stored under one feed device named after both", () => {
  assert.equal(sharedFeedDevice('KRA', 'm-1'), 'federation:KRA:m-1');
  assert.notEqual(sharedFeedDevice('KRA', 'm-1'), sharedFeedDevice('RRA', 'm-1'));
});
