import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident, Observation } from '../api/types';
import { historyOf, readingsAround, sealsConcerned, trackOf } from './incident-view';

const obs = (id: number, device: string, time: string, lat: number | null, state = 'closed'): Observation =>
  ({ id, device, time, position: lat == null ? null : { lat, lon: 39 }, seal: { state }, door: null }) as unknown as Observation;

test('the readings either side of the moment, per device, whatever the order they came in', () => {
  const all = [
    obs(3, 'A', '2026-12-01T10:02:00Z', -3.2, 'tampered'),
    obs(1, 'A', '2026-12-01T09:58:00Z', -3.0),
    obs(2, 'A', '2026-12-01T09:59:00Z', -3.1),
    obs(4, 'B', '2026-12-01T10:05:00Z', -3.3),
  ];
  const [a, b, c] = readingsAround(all, ['A', 'B', 'C'], '2026-12-01T10:00:00Z');
  assert.equal(a.before?.id, 2);
  assert.equal(a.after?.id, 3);
  assert.equal(b.before, null);
  assert.equal(b.after?.id, 4);
  assert.deepEqual(c, { device: 'C', before: null, after: null });
});

test('the track keeps positioned readings in time order, as [lon, lat]', () => {
  const t = trackOf([
    obs(2, 'A', '2026-12-01T10:01:00Z', -3.1),
    obs(1, 'A', '2026-12-01T10:00:00Z', -3.0),
    obs(3, 'A', '2026-12-01T10:02:00Z', null),
  ]);
  assert.deepEqual(
    t.map((p) => p.position),
    [
      [39, -3.0],
      [39, -3.1],
    ],
  );
});

test('history oldest first; which seals of the movement are concerned', () => {
  const i = {
    seals: ['S2'],
    history: [
      { action: 'closed', at: '2026-12-01T10:09:00Z', by: 'u1', outcome: 'confirmed' },
      { action: 'opened', at: '2026-12-01T10:00:00Z', by: null },
      { action: 'noted', at: '2026-12-01T10:05:00Z', by: 'u1', comment: 'unit sent' },
    ],
  } as unknown as Incident;
  assert.deepEqual(
    historyOf(i).map((h) => h.action),
    ['opened', 'noted', 'closed'],
  );
  assert.deepEqual(sealsConcerned(i, ['S1', 'S2', 'S3']), { concerned: ['S2'], others: ['S1', 'S3'] });
});
