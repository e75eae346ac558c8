import assert from 'node:assert/strict';
import test from 'node:test';
import type { Timestamp } from '../ids';
import type { Incident } from '../incidents/incident';
import { inQuietHours, incidentEmail, notifiedChange, wantsEmail, type NotificationPrefs } from './notification-rules';

const ts = (s: string) => s as Timestamp;
const prefs = (p: Partial<NotificationPrefs> = {}): NotificationPrefs => ({
  user: 'u1',
  email: 'officer@example.test',
  codes: null,
  minSeverity: 'warning',
  quietHours: null,
  updatedAt: ts('2026-01-01T00:00:00.000Z'),
  ...p,
});
const incident = (p: Partial<Incident> = {}): Incident =>
  ({
    id: 'INC-1',
    code: 'seal_broken',
    severity: 'critical',
    movement: 'MOV-1',
    container: 'MSCU1234565',
    seals: ['KE-1'],
    openedAt: ts('2026-03-01T10:00:00.000Z'),
    position: { lat: 0.5, lon: 34.1 },
    types: ['seal_tampered'],
    revision: 1,
    history: [{ action: 'opened', at: ts('2026-03-01T10:00:00.000Z'), by: null }],
    ...p,
  }) as Incident;

test('only an opening and an assignment are told; a grouped alert or a note is not', () => {
  assert.deepEqual(notifiedChange(incident()), { kind: 'opened' });
  const grouped = incident({
    revision: 2,
    history: [...incident().history, { action: 'grouped', at: ts('2026-03-01T10:01:00.000Z'), by: null }],
  });
  assert.equal(notifiedChange(grouped), null);
  const assigned = incident({
    revision: 3,
    history: [...incident().history, { action: 'assigned', at: ts('2026-03-01T10:02:00.000Z'), by: 'u9', assignee: 'u1' }],
  });
  assert.deepEqual(notifiedChange(assigned), { kind: 'assigned', assignee: 'u1' });
});

test('codes and the severity floor choose what is sent; an assignment reaches its assignee only', () => {
  const at = ts('2026-03-01T10:00:00.000Z');
  const opened = { kind: 'opened' } as const;
  assert.equal(wantsEmail(prefs(), incident(), opened, at), true);
  assert.equal(wantsEmail(prefs({ email: null }), incident(), opened, at), false);
  assert.equal(wantsEmail(prefs({ codes: ['route_deviation'] }), incident(), opened, at), false);
  assert.equal(wantsEmail(prefs({ minSeverity: 'critical' }), incident({ severity: 'major' }), opened, at), false);
  assert.equal(wantsEmail(prefs({ minSeverity: 'major' }), incident({ severity: 'critical' }), opened, at), true);
  assert.equal(wantsEmail(prefs({ codes: ['route_deviation'] }), incident(), { kind: 'assigned', assignee: 'u1' }, at), true);
  assert.equal(wantsEmail(prefs(), incident(), { kind: 'assigned', assignee: 'u2' }, at), false);
});

test("quiet hours hold back low severities in the user's own time zone, across midnight", () => {
  const quiet = { from: '22:00', to: '06:00', timeZone: 'Africa/Nairobi', minSeverity: 'critical' as const };
  // 20:30 UTC is 23:30 in Nairobi (UTC+3): quiet; 04:00 UTC is 07:00: not quiet.
  assert.equal(inQuietHours(quiet, ts('2026-03-01T20:30:00.000Z')), true);
  assert.equal(inQuietHours(quiet, ts('2026-03-02T02:59:00.000Z')), true);
  assert.equal(inQuietHours(quiet, ts('2026-03-02T04:00:00.000Z')), false);
  assert.equal(inQuietHours({ ...quiet, from: '09:00', to: '17:00' }, ts('2026-03-02T07:00:00.000Z')), true);
  const night = ts('2026-03-01T20:30:00.000Z');
  assert.equal(wantsEmail(prefs({ quietHours: quiet }), incident({ severity: 'major' }), { kind: 'opened' }, night), false);
  assert.equal(wantsEmail(prefs({ quietHours: quiet }), incident({ severity: 'critical' }), { kind: 'opened' }, night), true);
});

test('the e-mail names the incident, where and which seals, and links it when the console URL is known', () => {
  const m = incidentEmail(incident(), { kind: 'opened' }, 'https://sealwatch.kra.example/incidents/INC-1');
  assert.match(m.subject, /CRITICAL: seal broken on MSCU1234565/);
  assert.match(m.text, /Seals: +KE-1/);
  assert.match(m.text, /0\.50000, 34\.10000/);
  assert.match(m.text, /Open it: https:\/\/sealwatch\.kra\.example\/incidents\/INC-1/);
  assert.doesNotMatch(incidentEmail(incident(), { kind: 'opened' }, null).text, /Open it/);
});
