import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../api/types';
import { filterAlerts, filterChoices, noFilter, severityCounts } from './alert-filters';

let n = 0;
function buildAlert(overrides: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `al-${n}`,
    type: 'seal_tampered',
    severity: 'critical',
    status: 'open',
    movement: 'm1',
    device: 'D1',
    time: `2026-11-26T03:${String(10 + n).padStart(2, '0')}:00.000Z`,
    lastTime: '2026-11-26T03:30:00.000Z',
    count: 1,
    details: {},
    assignee: null,
    outcome: null,
    comment: null,
    history: [],
    createdAt: '2026-11-26T03:00:00.000Z',
    updatedAt: '2026-11-26T03:00:00.000Z',
    revision: 1,
    ...overrides,
  };
}
const movements = new Map([
  ['m1', { departureOffice: 'KEMBA', destinationOffice: 'UGMAL' }],
  ['m2', { departureOffice: 'NLRTM', destinationOffice: 'ITMIL' }],
]);

test('the queue puts critical first and, within a severity, the alert waiting longest first', () => {
  const late = buildAlert({ severity: 'critical', time: '2026-11-26T05:00:00.000Z' });
  const early = buildAlert({ severity: 'critical', time: '2026-11-26T04:00:00.000Z' });
  const minor = buildAlert({ severity: 'minor', time: '2026-11-26T01:00:00.000Z' });
  assert.deepEqual(
    filterAlerts([minor, late, early], noFilter, movements).map((a) => a.id),
    [early.id, late.id, minor.id],
  );
});

test('filters by office of departure or destination, by type and by status', () => {
  const a = buildAlert({ movement: 'm1', type: 'rope_cut' });
  const b = buildAlert({ movement: 'm2', type: 'route_deviation', status: 'acknowledged' });
  const c = buildAlert({ movement: null, type: 'message_forged' });
  const all = [a, b, c];
  assert.deepEqual(filterAlerts(all, { ...noFilter, office: 'UGMAL' }, movements), [a]);
  assert.deepEqual(filterAlerts(all, { ...noFilter, office: 'NLRTM' }, movements), [b]);
  assert.deepEqual(filterAlerts(all, { ...noFilter, type: 'message_forged' }, movements), [c]);
  assert.deepEqual(filterAlerts(all, { ...noFilter, status: 'acknowledged' }, movements), [b]);
  assert.deepEqual(filterAlerts(all, { office: 'KEMBA', type: 'rope_cut', status: 'open' }, movements), [a]);
});

test('resolved alerts leave the unresolved queue', () => {
  const open = buildAlert();
  const done = buildAlert({ status: 'resolved', outcome: 'false_alarm' });
  assert.deepEqual(filterAlerts([open, done], noFilter, movements), [open]);
  assert.deepEqual(severityCounts([open, done]), { critical: 1, major: 0, minor: 0, warning: 0 });
});

test('the filter choices are the offices and types present in the queue', () => {
  const choices = filterChoices([buildAlert({ movement: 'm2', type: 'signal_lost' }), buildAlert({ movement: 'm1' })], movements);
  assert.deepEqual(choices, { offices: ['ITMIL', 'KEMBA', 'NLRTM', 'UGMAL'], types: ['seal_tampered', 'signal_lost'] });
});
