import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedFeedDevice } from './message';

test("a partner's readings for one movement are stored under one feed device named after both", () => {
  assert.equal(sharedFeedDevice('KRA', 'm-1'), 'federation:KRA:m-1');
  assert.notEqual(sharedFeedDevice('KRA', 'm-1'), sharedFeedDevice('RRA', 'm-1'));
});
