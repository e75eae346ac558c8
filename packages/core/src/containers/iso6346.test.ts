import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerCheckDigit, isValidContainerNumber } from './iso6346';

test('computes the check digit 3 for CSQU305438 (weighted sum 6185)', () => {
  assert.equal(containerCheckDigit('CSQU305438'), 3);
});

test('accepts the DCSA example numbers and rejects a corrupted last digit', () => {
  assert.equal(isValidContainerNumber('MSKU9070323'), true);
  assert.equal(isValidContainerNumber('APZU4812090'), true);
  assert.equal(isValidContainerNumber('CSQU3054383'), true);
  assert.equal(isValidContainerNumber('MSKU9070324'), false);
});

test('rejects a number whose owner code starts with a digit, lower-case, or wrong length', () => {
  assert.equal(containerCheckDigit('7SQU305438'), null);
  assert.equal(isValidContainerNumber('csqu3054383'), false);
  assert.equal(isValidContainerNumber('CSQU305438'), false);
  assert.equal(isValidContainerNumber('CSQU30543830'), false);
});

test('a remainder of 10 gives the check digit 0', () => {
  // Search a serial whose weighted sum mod 11 is 10, and check it maps to 0.
  let found = false;
  for (let n = 0; n < 1000 && !found; n++) {
    const first10 = `ABCU${String(n).padStart(6, '0')}`;
    const d = containerCheckDigit(first10);
    let sum = 0;
    const vals: Record<string, number> = { A: 10, B: 12, C: 13, U: 32 };
    for (let i = 0; i < 10; i++) sum += (i < 4 ? vals[first10[i]] : Number(first10[i])) * 2 ** i;
    if (sum % 11 === 10) {
      assert.equal(d, 0);
      found = true;
    }
  }
  assert.ok(found);
});
