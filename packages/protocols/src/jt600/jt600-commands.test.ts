import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJt600Frame } from './jt600';
import { encodeJt600Text, encodeJt600Unlock, jt600UnlockAnswer } from './jt600-commands';

test('a JT701 remote unlock is (P43,<password>); custom commands are one ( … ) frame', () => {
  assert.equal(encodeJt600Unlock('888888').toString('latin1'), '(P43,888888)');
  assert.throws(() => encodeJt600Unlock('12345'), RangeError);
  assert.throws(() => encodeJt600Unlock('12,456'), RangeError);
  assert.equal(encodeJt600Text('(P06)').toString('latin1'), '(P06)');
  assert.throws(() => encodeJt600Text('(P06))(S17)'), RangeError);
});

test('the P45 event that follows says whether the lock verified the unlock', () => {
  const accepted = decodeJt600Frame(
    Buffer.from('(2050018634,P45,051124,204046,9.861502,N,83.950336,W,A,1,0,3,1,0000000000,1,0,7)', 'latin1'),
  );
  assert.ok(accepted.result.ok);
  assert.equal(jt600UnlockAnswer(accepted.result.observations[0])?.ok, true);
  const refused = decodeJt600Frame(
    Buffer.from('(2050018634,P45,051124,204046,9.861502,N,83.950336,W,A,1,0,3,0,0000000000,0,1,8)', 'latin1'),
  );
  assert.ok(refused.result.ok);
  assert.deepEqual(jt600UnlockAnswer(refused.result.observations[0]), {
    ok: false,
    detail: 'P45 lock event: unlock not verified (unlock verification 0)',
    data: {
      type: 'P45',
      eventSource: 3,
      unlockVerification: 0,
      passwordVerification: 0,
      incorrectPasswordCount: 1,
      index: 8,
      time: '2024-11-05T20:40:46.000Z',
    },
  });
});
