/**
 * The filtered lists of the store, declared once for both engines: which table, which filters,
 * which sort key. Each engine's store pages through them with `keysetPage`.
 */
import type { DeviceId } from '@sealwatch/core';
import type { KeysetList, SortColumn } from './keyset-list';
import type { IncidentFilter } from './incident-ports';
import type { AlertFilter, EventFilter, MovementFilter, ObservationQuery, QuarantineFilter } from './ports';

const newestFirst = (column: string): SortColumn[] => [
  { column, type: 'string', pgCast: 'timestamptz' },
  { column: 'id', type: 'string' },
];

/** Movements, newest declared first. */
export const movementList = (f: MovementFilter): KeysetList => ({
  select: 'SELECT * FROM movements',
  equal: { status: f.status },
  where: f.device ? [(p) => `id IN (SELECT movement_id FROM movement_devices WHERE device = ${p(f.device)})`] : [],
  visible: { column: 'id', to: f.visibleTo },
  sortKey: newestFirst('created_at'),
  descending: true,
});

/** Alerts, most recently changed first. */
export const alertList = (f: AlertFilter): KeysetList => ({
  select: 'SELECT * FROM alerts',
  equal: { type: f.type, movement: f.movement, device: f.device, status: f.status },
  visible: { column: 'movement', to: f.visibleTo },
  sortKey: newestFirst('updated_at'),
  descending: true,
});

/** Incidents, most recently changed first. */
export const incidentList = (f: IncidentFilter): KeysetList => ({
  select: 'SELECT doc FROM incidents',
  equal: { movement: f.movement, status: f.status },
  visible: { column: 'movement', to: f.visibleTo },
  sortKey: newestFirst('updated_at'),
  descending: true,
});

/** Events in the order they happened. */
export const eventList = (f: EventFilter): KeysetList => ({
  select: 'SELECT * FROM events',
  equal: { movement: f.movement, device: f.device, type: f.type },
  sortKey: [
    { column: 'time', type: 'string', pgCast: 'timestamptz' },
    { column: 'id', type: 'string' },
  ],
  descending: false,
});

/** Rejected inputs, newest first. */
export const quarantineList = (f: QuarantineFilter): KeysetList => ({
  select: 'SELECT * FROM quarantine',
  equal: { reason: f.reason, device: f.device },
  sortKey: [{ column: 'id', type: 'number' }],
  descending: true,
});

/** One device's observations in [from, to], by (time, id); `columns` is the engine's select list. */
export const observationList = (device: DeviceId, q: ObservationQuery, columns = '*'): KeysetList => ({
  select: `SELECT ${columns} FROM observations`,
  equal: { device },
  where: [
    ...(q.from ? [(p: (v: unknown) => string) => `time >= ${p(q.from)}`] : []),
    ...(q.to ? [(p: (v: unknown) => string) => `time <= ${p(q.to)}`] : []),
  ],
  sortKey: [
    { column: 'time', type: 'string', pgCast: 'timestamptz' },
    { column: 'id', type: 'number', pgCast: 'bigint' },
  ],
  descending: (q.order ?? 'desc') === 'desc',
});
