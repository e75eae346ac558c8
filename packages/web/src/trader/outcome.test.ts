import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endedOutcome } from './outcome';

test('an ended movement with an alert still open is not said to have ended clean', () => {
  assert.equal(endedOutcome('alert'), 'trader.outcome.review');
  assert.equal(endedOutcome('broken'), 'trader.outcome.broken');
  assert.equal(endedOutcome('ok'), 'trader.outcome.clean');
  assert.equal(endedOutcome('idle'), 'trader.outcome.clean');
});
