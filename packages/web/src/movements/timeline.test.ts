import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert, DomainEvent, Observation } from '../api/types';
import { buildTimeline, positionOfEntry, timelineRuns } from './timeline';

const event = (id: string, type: string, time: string, details: Record<string, unknown> = {}, observation: number | null = null) =>
  ({ id, type, time, details, observation, device: null, movement: 'M' }) as unknown as DomainEvent;
const alert = (id: string, type: string, time: string, details: Record<string, unknown> = {}) =>
  ({ id, type, time, details, status: 'open', device: 'D', severity: 'minor' }) as unknown as Alert;
const reading = (id: number, time: string, state: string, lat = -3.9) =>
  ({ id, device: 'D', time, seal: { state }, door: null, position: { lat, lon: 39.5 } }) as unknown as Observation;

test('oldest first, and the declaration first even when the start was backdated before it', () => {
  const entries = buildTimeline(
    [],
    [
      event('2', 'movement_started', '2026-12-01T08:00:00Z'),
      event('1', 'movement_declared', '2026-12-01T09:00:00Z'),
      event('3', 'office_left', '2026-12-01T09:30:00Z', { office: 'KEMBA' }),
    ],
    [],
  );
  assert.deepEqual(
    entries.map((e) => (e.kind === 'event' ? e.event.type : e.kind)),
    ['movement_declared', 'movement_started', 'office_left'],
  );
});

test('repeats in a row fold into one row with their count and last time; a kind filter keeps only that kind', () => {
  const entries = buildTimeline(
    [reading(1, '2026-12-01T10:00:00Z', 'closed'), reading(2, '2026-12-01T10:20:00Z', 'open')],
    [],
    [
      alert('a1', 'gnss_anomaly', '2026-12-01T10:01:00Z'),
      alert('a2', 'gnss_anomaly', '2026-12-01T10:02:00Z'),
      alert('a3', 'gnss_anomaly', '2026-12-01T10:03:00Z'),
      alert('a4', 'seal_opened', '2026-12-01T10:20:00Z', { position: { lat: -3.8, lon: 39.4 } }),
    ],
  );
  const runs = timelineRuns(entries);
  assert.deepEqual(
    runs.map((r) => [r.entry.key, r.count]),
    [
      ['o1', 1],
      ['aa1', 3],
      ['aa4', 1],
      ['o2', 1],
    ],
  );
  assert.equal(runs[1].last, '2026-12-01T10:03:00Z');
  assert.deepEqual(
    timelineRuns(entries, new Set(['observation'])).map((r) => r.entry.key),
    ['o1', 'o2'],
  );
  assert.deepEqual(positionOfEntry(runs[2].entry, new Map()), { lat: -3.8, lon: 39.4 });
  assert.deepEqual(positionOfEntry(runs[0].entry, new Map()), { lat: -3.9, lon: 39.5 });
});

test('an event without a position of its own is placed at the reading that caused it', () => {
  const r = reading(7, '2026-12-01T10:00:00Z', 'closed', -1.5);
  const [e] = buildTimeline([], [event('9', 'border_crossed', '2026-12-01T10:00:00Z', { from: 'KE', to: 'UG' }, 7)], []);
  assert.deepEqual(positionOfEntry(e, new Map([[7, r]])), { lat: -1.5, lon: 39.5 });
  assert.equal(positionOfEntry(e, new Map()), null);
});
