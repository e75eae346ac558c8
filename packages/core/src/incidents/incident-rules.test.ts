import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors';
import { asAlertId, asDeviceId, asEventId, asMovementId, toTimestamp, type Timestamp } from '../ids';
import type { Alert, AlertType, DomainEvent } from '../model';
import { raiseAlert } from '../alerts/alert-rules';
import { asIncidentId, type Incident } from './incident';
import {
  acknowledgeIncident,
  assignIncident,
  closeIncident,
  groupAlert,
  isNotifiable,
  noteIncident,
  quietAlert,
  type GroupingContext,
} from './incident-rules';

const at = (s: number) => toTimestamp(Date.parse('2026-11-26T10:00:00Z') + s * 1000);
const event = (type: AlertType, s: number, device = 'SEAL-1', movement = 'M1'): DomainEvent & { type: AlertType } => ({
  id: asEventId(`E-${type}-${s}`),
  type,
  movement: asMovementId(movement),
  device: asDeviceId(device),
  time: at(s),
  details: { position: { lat: -1.29, lon: 36.82 } },
  observation: 1,
  createdAt: at(s),
});
const alert = (type: AlertType, s: number, device = 'SEAL-1', id = `A-${type}-${device}`): Alert =>
  raiseAlert(null, event(type, s, device), asAlertId(id), at(s));
let n = 0;
const ctx = (over: Partial<GroupingContext> = {}): GroupingContext => ({
  newId: asIncidentId(`I${++n}`),
  now: at(100),
  container: 'MSCU1234565',
  seals: ['KRAE1', 'KRA2'],
  deviceSeal: 'KRAE1',
  ...over,
});

test('a seal opened and its rope cut moments later are one seal_broken incident with both alerts', () => {
  const first = groupAlert(alert('seal_opened', 0), [], ctx());
  assert.ok(first && !first.joined);
  assert.equal(first.incident.code, 'seal_broken');
  assert.equal(first.incident.status, 'open');
  assert.deepEqual(first.incident.seals, ['KRAE1'], 'the seal of the device that raised it');
  assert.equal(first.incident.container, 'MSCU1234565');
  assert.deepEqual(first.incident.position, { lat: -1.29, lon: 36.82 });
  const second = groupAlert(alert('rope_cut', 5), [first.incident], ctx());
  assert.ok(second?.joined, 'the rope cut joins the open incident');
  assert.equal(second.incident.id, first.incident.id);
  assert.deepEqual(second.incident.alerts, ['A-seal_opened-SEAL-1', 'A-rope_cut-SEAL-1']);
  assert.deepEqual(second.incident.types, ['seal_opened', 'rope_cut']);
  assert.equal(second.incident.revision, 2);
  assert.equal(second.incident.history.at(-1)?.action, 'grouped');
});

test('a second seal of the movement broken within the window joins; one broken an hour later on another seal is a new incident', () => {
  const first = groupAlert(alert('seal_opened', 0), [], ctx())!;
  const other = groupAlert(alert('seal_tampered', 120, 'LOCK-2'), [first.incident], ctx({ deviceSeal: 'KRA2' }))!;
  assert.equal(other.incident.id, first.incident.id);
  assert.deepEqual(other.incident.seals, ['KRAE1', 'KRA2']);
  const late = groupAlert(alert('seal_tampered', 3600, 'LOCK-3', 'A-late'), [other.incident], ctx({ deviceSeal: null }))!;
  assert.notEqual(late.incident.id, first.incident.id);
  assert.equal(late.joined, false);
  assert.deepEqual(late.incident.seals, ['KRAE1', 'KRA2'], "no seal known for the device: the movement's seals");
});

test('different causes are different incidents; a repeat of a grouped alert updates its incident', () => {
  const deviation = groupAlert(alert('route_deviation', 0), [], ctx())!;
  const stop = groupAlert(alert('unauthorized_stop', 10), [deviation.incident], ctx())!;
  assert.notEqual(stop.incident.id, deviation.incident.id);
  assert.equal(stop.incident.code, 'unauthorized_stop');
  const repeated = raiseAlert(alert('route_deviation', 0), event('route_deviation', 2000), asAlertId('x'), at(2000));
  const again = groupAlert(repeated, [deviation.incident, stop.incident], ctx())!;
  assert.equal(again.incident.id, deviation.incident.id);
  assert.equal(again.joined, true);
  assert.equal(again.incident.lastTime, at(2000));
  assert.equal(again.incident.alerts.length, 1);
});

test('a closed incident takes no new alert: the same cause opens a new one', () => {
  const first = groupAlert(alert('signal_lost', 0), [], ctx())!;
  const closed = closeIncident(first.incident, 'false_alarm', 'tunnel', 'op', at(50));
  const next = groupAlert(alert('signal_lost', 60, 'SEAL-1', 'A-next'), [closed], ctx())!;
  assert.notEqual(next.incident.id, first.incident.id);
  assert.equal(next.joined, false);
});

test('no incident outside a movement', () => {
  assert.equal(groupAlert({ ...alert('message_forged', 0), movement: null }, [], ctx()), null);
});

test('lifecycle: acknowledge, assign, note, close; closed refuses acknowledge', () => {
  let i: Incident = groupAlert(alert('rope_cut', 0), [], ctx())!.incident;
  i = acknowledgeIncident(i, 'op1', at(10));
  assert.equal(i.acknowledgedAt, at(10));
  i = assignIncident(i, 'Unit 7', 'op1', at(20), 'nearest unit');
  assert.equal(i.assignee, 'Unit 7');
  i = noteIncident(i, 'driver called, stopped at Busia', 'op1', at(30));
  i = closeIncident(i, 'confirmed', 'seal replaced by the office', 'op1', at(40));
  assert.equal(i.status, 'closed');
  assert.equal(i.closedAt, at(40));
  assert.deepEqual(
    i.history.map((h) => h.action),
    ['opened', 'acknowledged', 'assigned', 'noted', 'closed'],
  );
  assert.equal(i.revision, 5);
  assert.throws(
    () => acknowledgeIncident(i, 'op1', at(50)),
    (e: unknown) => e instanceof DomainError && e.code === 'invalid_transition',
  );
  assert.equal(noteIncident(i, 'report filed', 'op2', at(60)).history.at(-1)?.comment, 'report filed');
});

test('duplicate readings within the dedup window are one occurrence, quiet; later ones count again', () => {
  const a = alert('gnss_anomaly', 0);
  const dup = raiseAlert(a, event('gnss_anomaly', 30), asAlertId('x'), at(30), { dedupS: 600 });
  assert.equal(dup.count, 1);
  assert.equal(dup.details.readings, 2);
  assert.equal(dup.lastTime, at(30));
  assert.equal(dup.history.length, 1, 'no history entry');
  assert.equal(isNotifiable(dup), false);
  const later = raiseAlert(dup, event('gnss_anomaly', 3600), asAlertId('x'), at(3600), { dedupS: 600 });
  assert.equal(later.count, 2);
  assert.equal(isNotifiable(later), true, 'a marker of an earlier revision does not hold');
  assert.equal(raiseAlert(a, event('gnss_anomaly', 30), asAlertId('x'), at(30)).count, 2, 'without dedupS every occurrence counts');
});

test('a seal tampered again within the dedup window is a new act: counted and notified', () => {
  const a = alert('seal_tampered', 0);
  const again = raiseAlert(a, event('seal_tampered', 60), asAlertId('x'), at(60), { dedupS: 600 });
  assert.equal(again.count, 2);
  assert.equal(again.history.at(-1)?.action, 'repeated');
  assert.equal(isNotifiable(again), true);
});

test('quietAlert marks only the revision it is given', () => {
  const a = quietAlert(alert('rope_cut', 0), 'muted', { until: at(999) as Timestamp });
  assert.equal(isNotifiable(a), false);
  assert.equal(isNotifiable({ ...a, revision: 2 }), true);
});
