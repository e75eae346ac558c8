import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident } from '../api/types';
import { filterIncidents, incidentChoices, noIncidentFilter } from './incident-filters';

const incident = (o: Partial<Incident>): Incident => ({
  id: 'I',
  code: 'seal_broken',
  status: 'open',
  movement: 'M1',
  severity: 'critical',
  openedAt: '2026-11-26T10:00:00.000Z',
  lastTime: '2026-11-26T10:00:00.000Z',
  position: null,
  container: null,
  seals: [],
  devices: [],
  alerts: [],
  types: [],
  acknowledgedAt: null,
  assignee: null,
  outcome: null,
  closedAt: null,
  history: [],
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  revision: 1,
  ...o,
});
const movements = new Map([
  ['M1', { departureOffice: 'KEMBA', destinationOffice: 'UGMAL' }],
  ['M2', { departureOffice: 'NLRTM', destinationOffice: 'ITMIL' }],
]);

test('critical first, then not acknowledged, then the oldest; closed ones not in the open queue', () => {
  const items = [
    incident({ id: 'minor', severity: 'minor', code: 'signal_lost', openedAt: '2026-11-26T09:00:00.000Z' }),
    incident({ id: 'seen', acknowledgedAt: '2026-11-26T10:01:00.000Z', openedAt: '2026-11-26T08:00:00.000Z' }),
    incident({ id: 'new-late', openedAt: '2026-11-26T10:05:00.000Z' }),
    incident({ id: 'new-early', openedAt: '2026-11-26T10:01:00.000Z', movement: 'M2' }),
    incident({ id: 'closed', status: 'closed' }),
  ];
  assert.deepEqual(
    filterIncidents(items, noIncidentFilter, movements).map((i) => i.id),
    ['new-early', 'new-late', 'seen', 'minor'],
  );
  assert.deepEqual(
    filterIncidents(items, { ...noIncidentFilter, state: 'new', office: 'KEMBA' }, movements).map((i) => i.id),
    ['new-late', 'minor'],
  );
  assert.deepEqual(
    filterIncidents(items, { ...noIncidentFilter, code: 'signal_lost' }, movements).map((i) => i.id),
    ['minor'],
  );
  assert.deepEqual(incidentChoices(items, movements), {
    offices: ['ITMIL', 'KEMBA', 'NLRTM', 'UGMAL'],
    codes: ['seal_broken', 'signal_lost'],
  });
});

test('closed incidents are shown on request, the latest closed first, and after the open ones in "all"', () => {
  const items = [
    incident({ id: 'open' }),
    incident({ id: 'closed-early', status: 'closed', outcome: 'false_alarm', closedAt: '2026-11-26T11:00:00.000Z' }),
    incident({ id: 'closed-late', status: 'closed', outcome: 'confirmed', closedAt: '2026-11-26T12:00:00.000Z', severity: 'minor' }),
  ];
  assert.deepEqual(
    filterIncidents(items, { ...noIncidentFilter, show: 'closed' }, movements).map((i) => i.id),
    ['closed-late', 'closed-early'],
  );
  assert.deepEqual(
    filterIncidents(items, { ...noIncidentFilter, show: 'all' }, movements).map((i) => i.id),
    ['open', 'closed-late', 'closed-early'],
  );
});
