import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarantineBudget } from './quarantine-budget';

const kept = (b: QuarantineBudget, source: string, bytes: number, n: number) => {
  let keep = 0;
  for (let i = 0; i < n; i++) if (b.judge(source, null, bytes) === 'keep') keep++;
  return keep;
};

test('the quarantine budget of an address pays for bytes: large junk is kept far less often than small', () => {
  const now = () => 0;
  // 6 a minute, a burst of 60 units.
  const small = kept(new QuarantineBudget({ perSourcePerMin: 6, perDevicePerMin: 0, now }), '127.0.0.7', 300, 200);
  const large = kept(new QuarantineBudget({ perSourcePerMin: 6, perDevicePerMin: 0, now }), '127.0.0.7', 60_000, 200);
  assert.equal(small, 60, 'small refusals: one unit each, the burst');
  assert.equal(large, 4, '60 KB refusals: 15 units each');
});

test('over its budget an address waits, and other addresses are kept meanwhile', () => {
  let t = 0;
  const b = new QuarantineBudget({ perSourcePerMin: 6, perDevicePerMin: 0, now: () => t });
  kept(b, '127.0.0.7', 60_000, 10);
  assert.ok(b.sourceWait('127.0.0.7') > 0);
  assert.equal(b.sourceWait('127.0.0.8'), 0);
  assert.equal(b.judge('127.0.0.8', null, 200), 'keep');
  t += 60 * 60_000;
  assert.equal(b.sourceWait('127.0.0.7'), 0, 'refilled after an hour');
});
