import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sealFacts, isSealBroken } from './seal-transitions';

const types = (facts: { type: string }[]) => facts.map((f) => f.type);

test('closed → tampered is seal_tampered, and back to closed is seal_closed', () => {
  assert.deepEqual(types(sealFacts({ state: 'closed' }, { state: 'tampered' }, true)), ['seal_tampered']);
  assert.deepEqual(types(sealFacts({ state: 'tampered' }, { state: 'closed' }, true)), ['seal_closed']);
});

test('closed → open is seal_opened with the from/to details', () => {
  const facts = sealFacts({ state: 'closed' }, { state: 'open' }, true);
  assert.deepEqual(facts, [{ type: 'seal_opened', details: { member: 'state', from: 'closed', to: 'open' } }]);
});

test('rope cut is rope_cut, even together with an open state', () => {
  assert.deepEqual(types(sealFacts({ state: 'closed', rope: 'inserted' }, { state: 'open', rope: 'cut' }, true)), ['seal_opened', 'rope_cut']);
});

test('a first reading is compared with the intact baseline', () => {
  assert.deepEqual(types(sealFacts(null, { state: 'closed', rope: 'inserted', lock: 'locked' }, true)), []);
  assert.deepEqual(types(sealFacts(null, { state: 'tampered' }, true)), ['seal_tampered']);
});

test('the same reading again gives no fact', () => {
  assert.deepEqual(sealFacts({ state: 'open' }, { state: 'open' }, true), []);
});

test('unlocking in transit is unauthorised, outside transit a plain fact', () => {
  assert.deepEqual(types(sealFacts({ lock: 'locked' }, { lock: 'unlocked' }, true)), ['unlock_unauthorized']);
  assert.deepEqual(types(sealFacts({ lock: 'locked' }, { lock: 'unlocked' }, false)), ['seal_unlocked']);
});

test('rope removed from an armed seal counts as an opening', () => {
  assert.deepEqual(types(sealFacts({}, { rope: 'removed' }, true)), ['seal_opened']);
});

test('isSealBroken', () => {
  assert.equal(isSealBroken({ state: 'closed', rope: 'inserted' }), false);
  assert.equal(isSealBroken({ rope: 'cut' }), true);
  assert.equal(isSealBroken({ state: 'tampered' }), true);
  assert.equal(isSealBroken(null), false);
});
