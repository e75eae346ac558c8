/** Every lock event onto the seal model, both spellings of the tamper flag, and sub-locks deciding the overall state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTeraTrackFrame } from './teratrack';
import { lockSealReading, worstSealReading } from './teratrack-seal';
import { buildSubLock, buildTeraTrackFrame } from './golden-frames';

const decode = (overrides: Record<string, unknown>) => {
  const d = decodeTeraTrackFrame(buildTeraTrackFrame(overrides));
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  const [o] = d.result.observations;
  return { seal: o.seal, alarms: o.attributes!.alarms, subLocks: o.attributes!.subLocks as { id: string; seal: unknown }[] };
};

test('each main-lock event gives its seal reading and alarm', () => {
  const cases: [string, Record<string, string>, unknown, string[]][] = [
    ['sealed', {}, { state: 'closed', rope: 'inserted', lock: 'locked' }, []],
    ['unlocked (lock event off)', { LockStatus: '0' }, { state: 'open', rope: 'inserted', lock: 'unlocked' }, []],
    ['unlocking alarm', { LockStatus: '0', LockOpen: '1' }, { state: 'open', rope: 'inserted', lock: 'unlocked' }, ['unlocking']],
    ['rope pulled out', { LockRope: '0' }, { state: 'open', rope: 'removed', lock: 'locked' }, []],
    ['rope cut', { LockCutOff: '1', LockRope: '0' }, { state: 'tampered', rope: 'cut', lock: 'locked' }, ['rope_cut']],
    ['tamper (SealTampered)', { SealTampered: '1' }, { state: 'tampered', rope: 'inserted', lock: 'locked' }, ['seal_tampered']],
    [
      'back cover opened',
      { UnCoverBack: '1', CoverStatus: '0' },
      { state: 'tampered', rope: 'inserted', lock: 'locked' },
      ['back_cover_opened'],
    ],
    ['wrong password x5', { PasswordError: '1' }, { state: 'closed', rope: 'inserted', lock: 'locked' }, ['wrong_password']],
    ['unauthorised card', { IllegalCard: '1' }, { state: 'closed', rope: 'inserted', lock: 'locked' }, ['illegal_card']],
    ['low battery', { LowPower: '1' }, { state: 'closed', rope: 'inserted', lock: 'locked' }, ['low_power']],
    ['motor stuck', { LockStuck: '1' }, { state: 'closed', rope: 'inserted', lock: 'locked' }, ['motor_fault']],
    ['geofence', { FenceAlarm: '2', AreaAlarmID: '7' }, { state: 'closed', rope: 'inserted', lock: 'locked' }, ['geofence']],
  ];
  for (const [name, overrides, seal, alarms] of cases) {
    const got = decode(overrides);
    assert.deepEqual(got.seal, seal, name);
    assert.deepEqual(got.alarms, alarms, name);
  }
});

test('the tamper flag is read under both spellings, alone or together (either set wins)', () => {
  const spellings: [Record<string, unknown>, string][] = [
    [{ SealTampered: undefined, SealTempered: '1' }, 'tampered'],
    [{ SealTampered: '1', SealTempered: undefined }, 'tampered'],
    [{ SealTampered: '0', SealTempered: '1' }, 'tampered'],
    [{ SealTampered: '1', SealTempered: '0' }, 'tampered'],
    [{ SealTampered: undefined, SealTempered: '0' }, 'closed'],
  ];
  for (const [overrides, state] of spellings) assert.equal(decode(overrides).seal!.state, state, JSON.stringify(overrides));
  for (const key of ['SSealTampered', 'SSealTempered']) {
    const sub = buildSubLock('500001', { SSealTampered: '0', [key]: '1' });
    assert.deepEqual(decode({ Slave: [sub] }).seal, { state: 'tampered', rope: 'inserted', lock: 'locked' }, key);
  }
});

test('sub-locks: any reporting sub-lock open or tampered decides the overall state; each keeps its own reading', () => {
  const sealed = buildSubLock('500001');
  const open = buildSubLock('500002', { SLockOpen: '1' });
  const cut = buildSubLock('500003', { SLockCutOff: '1', SLockRope: '0' });
  const cover = buildSubLock('500004', { SUnCoverBack: '1' });
  assert.deepEqual(decode({ Slave: [sealed] }).seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
  const one = decode({ Slave: [sealed, open] });
  assert.deepEqual(one.seal, { state: 'open', rope: 'inserted', lock: 'unlocked' });
  assert.deepEqual(
    one.subLocks.map((s) => [s.id, s.seal]),
    [
      ['500001', { rope: 'inserted', lock: 'locked', state: 'closed' }],
      ['500002', { rope: 'inserted', lock: 'unlocked', state: 'open' }],
    ],
  );
  assert.deepEqual(decode({ Slave: [open, cut] }).seal, { state: 'tampered', rope: 'cut', lock: 'unlocked' });
  assert.deepEqual(decode({ Slave: [sealed, cover] }).seal, { state: 'tampered', rope: 'inserted', lock: 'locked' });
  // The main lock open with every sub-lock sealed is still open.
  assert.deepEqual(decode({ LockStatus: '0', Slave: [sealed] }).seal, { state: 'open', rope: 'inserted', lock: 'unlocked' });
});

test('a timed-out sub-lock is stale: it is kept and listed, but does not open the seal', () => {
  const lost = buildSubLock('500005', { STimeOut: '1', SLockOpen: '1', SLockRope: '0', SPower: '00' });
  const d = decodeTeraTrackFrame(buildTeraTrackFrame({ Slave: [buildSubLock('500001'), lost] }));
  assert.ok(d.result.ok);
  const [o] = d.result.observations;
  assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(o.attributes!.subLocksTimedOut, ['500005']);
  assert.equal((o.attributes!.subLocks as unknown[]).length, 2);
});

test('lockSealReading and worstSealReading on partial readings', () => {
  assert.equal(lockSealReading({}), null);
  assert.deepEqual(lockSealReading({ opened: false }), { lock: 'locked', state: 'closed' });
  assert.deepEqual(lockSealReading({ tampered: true }), { state: 'tampered' });
  assert.equal(worstSealReading([null, null]), null);
  assert.deepEqual(worstSealReading([{ state: 'closed' }, { rope: 'removed' }, null, { lock: 'unlocked', state: 'open' }]), {
    state: 'open',
    rope: 'removed',
    lock: 'unlocked',
  });
});
