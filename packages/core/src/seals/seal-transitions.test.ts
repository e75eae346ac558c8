import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sealFacts, isSealBroken, sealRank, worstSeal } from './seal-transitions';

const types = (facts: { type: string }[]) => facts.map((f) => f.type);

test('closed → tampered is seal_tampered, and back to closed is seal_closed', () => {
  assert.deepEqual(types(sealFacts({ state: 'closed' }, { state: 'tampered' }, true)), ['seal_tampered']);
  assert.deepEqual(types(sealFacts({ state: 'tampered' }, { state: 'closed' }, true)), ['seal_closed']);
});

test('closed → open is seal_opened with the from/to details', () => {
  const facts = sealFacts({ state: 'closed' }, { state: 'open' }, true);
  assert.deepEqual(facts, [{ type: 'seal_opened', details: { member: 'state', from: 'closed', to: 'open' } }]);
});

test('a rope cut that opens the seal is one fact, rope_cut, with the state change in its details', () => {
  assert.deepEqual(sealFacts({ state: 'closed', rope: 'inserted' }, { state: 'open', rope: 'cut' }, true), [
    { type: 'rope_cut', details: { member: 'rope', from: 'inserted', to: 'cut', state: { from: 'closed', to: 'open' } } },
  ]);
  assert.deepEqual(sealFacts(null, { rope: 'cut' }, true), [
    { type: 'rope_cut', details: { member: 'rope', from: 'inserted', to: 'cut' } },
  ]);
});

test('the state turning open after the rope was cut or pulled is the same breach: no second fact', () => {
  assert.deepEqual(types(sealFacts({ state: 'closed', rope: 'cut' }, { state: 'open' }, true)), []);
  assert.deepEqual(types(sealFacts({ state: 'open', rope: 'removed' }, { state: 'open', rope: 'removed' }, true)), []);
  assert.deepEqual(types(sealFacts({ state: 'closed', rope: 'removed' }, { state: 'open', rope: 'removed' }, true)), []);
  // A tamper of the device body is another act, and an opening with the rope in place is one.
  assert.deepEqual(types(sealFacts({ state: 'closed', rope: 'cut' }, { state: 'tampered' }, true)), ['seal_tampered']);
  assert.deepEqual(types(sealFacts({ state: 'closed', rope: 'inserted' }, { state: 'open' }, true)), ['seal_opened']);
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
  assert.equal(isSealBroken({ state: 'closed', rope: 'removed' }), true, 'a rope out of an armed seal leaves the doors free');
  assert.equal(
    isSealBroken({ state: 'closed', rope: 'inserted', lock: 'unlocked' }),
    false,
    'an unlock is its own alert, not a broken seal',
  );
});

test('sealRank orders unknown < intact < open or rope removed < cut or tampered; worstSeal picks by it', () => {
  assert.deepEqual(
    [null, { state: 'closed' }, { rope: 'removed' }, { state: 'open' }, { rope: 'cut' }, { state: 'tampered' }].map(sealRank),
    [-1, 0, 1, 1, 2, 2],
  );
  const removed = { state: 'closed', rope: 'removed' };
  assert.equal(worstSeal([null, { state: 'closed', rope: 'inserted' }, removed, { state: 'open' }]), removed, 'first of the worst rank');
  assert.deepEqual(worstSeal([undefined, { state: 'closed' }]), { state: 'closed' });
  assert.equal(worstSeal([null, undefined]), null);
});
