import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confirmedSealBreak, markerState } from './movement-state';

const closed = { seal: { state: 'closed', rope: 'inserted', lock: 'locked' } };

test('a confirmed seal break keeps the movement red after the lock reports closed again, at any status', () => {
  const inTransit = { status: 'in_transit', live: closed } as never;
  assert.equal(markerState(inTransit, 0), 'ok');
  const confirmed = confirmedSealBreak([{ type: 'seal_tampered', outcome: 'confirmed' }]);
  assert.equal(confirmed, true);
  assert.equal(markerState(inTransit, 0, confirmed), 'broken');
  assert.equal(markerState({ status: 'arrived', live: closed } as never, 0, confirmed), 'broken');
});

test('a false alarm, or a confirmed incident of another kind, is not a broken seal', () => {
  assert.equal(confirmedSealBreak([{ type: 'seal_tampered', outcome: 'false_alarm' }]), false);
  assert.equal(confirmedSealBreak([{ code: 'route_deviation', outcome: 'confirmed' }]), false);
  assert.equal(confirmedSealBreak([{ code: 'seal_broken', outcome: 'confirmed' }]), true);
  assert.equal(confirmedSealBreak([{ type: 'rope_cut', outcome: null }]), false);
});
