import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkContainer, containerAcceptable, normaliseContainer } from './container-number';

test('accepts CSQU3054383 and says so, whatever the case and spacing typed', () => {
  assert.deepEqual(checkContainer('CSQU3054383'), { status: 'ok', value: 'CSQU3054383' });
  assert.deepEqual(checkContainer('csqu 305438-3'), { status: 'ok', value: 'CSQU3054383' });
  assert.equal(normaliseContainer(' msku 907032 3 '), 'MSKU9070323');
});

test('names the right check digit when the last digit is wrong', () => {
  assert.deepEqual(checkContainer('CSQU3054384'), { status: 'check_digit', expected: 3, actual: 4 });
  assert.equal(containerAcceptable(checkContainer('CSQU3054384')), false);
});

test('asks to keep typing while the number is a valid prefix, and rejects a wrong shape at once', () => {
  assert.equal(checkContainer('CSQ').status, 'short');
  assert.equal(checkContainer('CSQU30').status, 'short');
  assert.equal(checkContainer('CSQX3').status, 'shape');
  assert.equal(checkContainer('1SQU3054383').status, 'shape');
  assert.equal(checkContainer('CSQU30543833').status, 'shape');
});

test('an empty field is acceptable (the container is optional, e.g. for a truck)', () => {
  assert.deepEqual(checkContainer('  '), { status: 'empty' });
  assert.equal(containerAcceptable(checkContainer('')), true);
});
