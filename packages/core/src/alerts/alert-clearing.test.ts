import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearAlert, escalateAlert, raiseAlert, acknowledgeAlert, resolveAlert, alertSeverity } from './alert-rules';
import type { DomainEvent } from '../model';
import { asAlertId, asEventId, asMovementId, toTimestamp } from '../ids';

const event = (id: string, time: string) =>
  ({
    id: asEventId(id),
    type: 'route_deviation',
    movement: asMovementId('m1'),
    device: null,
    time: toTimestamp(time),
    details: { maxDistanceM: 900 },
    observation: null,
    createdAt: toTimestamp(time),
  }) as DomainEvent & { type: 'route_deviation' };
const t = (min: number) => toTimestamp(Date.UTC(2026, 10, 26, 10, min));
const opened = raiseAlert(null, event('e1', t(0)), asAlertId('a1'), t(1));

test('clearing keeps the status, marks when and why, and adds one system history entry', () => {
  const c = clearAlert(opened, t(20), 'ended', t(21), 'back in the corridor');
  assert.equal(c.status, 'open');
  assert.deepEqual(c.details.cleared, { at: t(20), reason: 'ended' });
  assert.deepEqual(c.history.at(-1), { action: 'cleared', at: t(21), by: null, comment: 'back in the corridor' });
  assert.equal(c.revision, opened.revision + 1);
  assert.equal(clearAlert(c, t(22), 'ended', t(23)), c, 'a second clear changes nothing');
  assert.equal(clearAlert(resolveAlert(opened, 'confirmed', 'ok', 'op', t(5)), t(20), 'ended', t(21)).details.cleared, undefined);
});

test('a repeat after clearing removes the cleared marker', () => {
  const again = raiseAlert(clearAlert(opened, t(20), 'ended', t(21)), event('e2', t(30)), asAlertId('x'), t(31));
  assert.equal(again.details.cleared, undefined);
  assert.equal(again.count, 2);
});

test("a repeat after a retraction takes the new occurrence's time; after an ended one, the first stays", () => {
  const retracted = raiseAlert(clearAlert(opened, t(0), 'retracted', t(2)), event('e2', t(30)), asAlertId('x'), t(31));
  assert.deepEqual([retracted.time, retracted.lastTime, retracted.count], [t(30), t(30), 2]);
  const ended = raiseAlert(clearAlert(opened, t(20), 'ended', t(21)), event('e2', t(30)), asAlertId('x'), t(31));
  assert.deepEqual([ended.time, ended.lastTime], [t(0), t(30)]);
  // A retraction after several occurrences leaves the earliest: the earlier ones stood.
  const twice = raiseAlert(ended, event('e3', t(40)), asAlertId('x'), t(41));
  assert.equal(raiseAlert(clearAlert(twice, t(40), 'retracted', t(42)), event('e4', t(50)), asAlertId('x'), t(51)).time, t(0));
});

test('escalation: only an open alert older than the limit, once', () => {
  assert.equal(escalateAlert(opened, 600, t(5)), opened, 'not due yet');
  const e = escalateAlert(opened, 600, t(12));
  assert.deepEqual(e.details.escalated, { at: t(12), afterS: 600 });
  assert.equal(e.history.at(-1)?.action, 'escalated');
  assert.equal(escalateAlert(e, 600, t(30)), e);
  assert.equal(escalateAlert(acknowledgeAlert(opened, 'op', t(2)), 600, t(30)).details.escalated, undefined);
});

test('transit alert types have the documented severities', () => {
  assert.deepEqual(
    [
      'route_deviation',
      'unauthorized_stop',
      'device_cloned',
      'transit_overdue',
      'signal_lost',
      'checkpoint_missed',
      'gnss_anomaly',
      'sensor_out_of_range',
      'battery_insufficient',
    ].map((k) => alertSeverity[k as keyof typeof alertSeverity]),
    ['major', 'major', 'major', 'minor', 'minor', 'minor', 'minor', 'minor', 'warning'],
  );
});
