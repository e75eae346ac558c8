import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raiseAlert, acknowledgeAlert, assignAlert, resolveAlert, isAlertType, alertSeverity } from './alert-rules';
import { DomainError } from '../errors';
import type { DomainEvent } from '../model';
import { asAlertId, asEventId, asMovementId, asDeviceId, toTimestamp } from '../ids';

const buildEvent = (overrides: Partial<DomainEvent> = {}) =>
  ({
    id: asEventId('e1'),
    type: 'seal_tampered',
    movement: asMovementId('m1'),
    device: asDeviceId('d1'),
    time: toTimestamp('2026-11-26T10:00:00Z'),
    details: { member: 'state' },
    observation: 1,
    createdAt: toTimestamp('2026-11-26T10:00:01Z'),
    ...overrides,
  }) as DomainEvent & { type: 'seal_tampered' };
const now = toTimestamp('2026-11-26T10:00:02Z');

test('a first occurrence opens an alert with the type severity', () => {
  const a = raiseAlert(null, buildEvent(), asAlertId('a1'), now);
  assert.equal(a.status, 'open');
  assert.equal(a.severity, 'critical');
  assert.equal(a.count, 1);
  assert.equal(a.movement, 'm1');
});

test('a later occurrence updates the unresolved alert instead of opening another', () => {
  const a = raiseAlert(null, buildEvent(), asAlertId('a1'), now);
  const b = raiseAlert(a, buildEvent({ id: asEventId('e2'), time: toTimestamp('2026-11-26T10:05:00Z') }), asAlertId('a2'), now);
  assert.equal(b.id, 'a1');
  assert.equal(b.count, 2);
  assert.equal(b.lastTime, '2026-11-26T10:05:00.000Z');
  assert.equal(b.time, '2026-11-26T10:00:00.000Z');
  assert.equal(b.history.at(-1)?.action, 'repeated');
});

test('after resolution a new occurrence opens a new alert', () => {
  const a = resolveAlert(raiseAlert(null, buildEvent(), asAlertId('a1'), now), 'false_alarm', 'vibration', 'op1', now);
  const b = raiseAlert(a, buildEvent(), asAlertId('a2'), now);
  assert.equal(b.id, 'a2');
  assert.equal(b.status, 'open');
});

test('lifecycle: acknowledge, assign, resolve with outcome and comment', () => {
  let a = raiseAlert(null, buildEvent(), asAlertId('a1'), now);
  a = acknowledgeAlert(a, 'op1', now, 'seen');
  assert.equal(a.status, 'acknowledged');
  a = assignAlert(a, 'rapid-response-3', 'op1', now);
  assert.equal(a.status, 'assigned');
  assert.equal(a.assignee, 'rapid-response-3');
  a = resolveAlert(a, 'confirmed', 'seal found broken at Malaba', 'op1', now);
  assert.equal(a.status, 'resolved');
  assert.equal(a.outcome, 'confirmed');
  assert.deepEqual(
    a.history.map((h) => h.action),
    ['opened', 'acknowledged', 'assigned', 'resolved'],
  );
});

test('a resolved alert cannot be acknowledged or resolved again', () => {
  const a = resolveAlert(raiseAlert(null, buildEvent(), asAlertId('a1'), now), 'confirmed', 'x', 'op', now);
  assert.throws(
    () => acknowledgeAlert(a, 'op', now),
    (e) => e instanceof DomainError && e.code === 'invalid_transition',
  );
  assert.throws(() => resolveAlert(a, 'confirmed', 'y', 'op', now), DomainError);
});

test('rope_cut is critical and seal_closed is not an alert type', () => {
  assert.equal(alertSeverity.rope_cut, 'critical');
  assert.equal(isAlertType('seal_closed'), false);
  assert.equal(isAlertType('rope_cut'), true);
});

test('a transit_overdue warning ranks as a warning; the breach that follows raises the same alert to its rank', () => {
  const warning = buildEvent({ type: 'transit_overdue', details: { level: 'warning' } }) as unknown as DomainEvent & {
    type: 'transit_overdue';
  };
  const breach = buildEvent({ id: asEventId('e2'), type: 'transit_overdue', details: { level: 'overdue' } }) as unknown as DomainEvent & {
    type: 'transit_overdue';
  };
  const a = raiseAlert(null, warning, asAlertId('a1'), now);
  assert.equal(a.severity, 'warning');
  const b = raiseAlert(a, breach, asAlertId('a2'), now);
  assert.equal(b.severity, alertSeverity.transit_overdue);
  assert.notEqual(b.severity, 'warning');
  assert.equal(raiseAlert(b, warning, asAlertId('a3'), now).severity, b.severity, 'a rank once reached stays');
});
