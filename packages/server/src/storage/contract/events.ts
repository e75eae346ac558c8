/** Storage contract, events: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asEventId } from '@sealwatch/core';
import { at, dev, mov, buildEvent, allPages, ids, type WithStore } from './fixtures';
import type { Store } from '../ports';

export function eventsContract(withStore: WithStore): void {
  describe('events', () => {
    test(
      'lists events by time then id, filtered by movement, device or type',
      withStore(async (s) => {
        const events = [
          buildEvent({ id: asEventId('E3'), time: at(30), type: 'seal_opened' }),
          buildEvent({ id: asEventId('E1'), time: at(10), type: 'movement_started', device: null }),
          buildEvent({ id: asEventId('E5'), time: at(20), movement: mov('MOV-2'), device: dev('SEAL-B') }),
          buildEvent({ id: asEventId('E2'), time: at(20), type: 'route_deviation' }),
          buildEvent({ id: asEventId('E4'), time: at(40), movement: null, type: 'seq_conflict', observation: null }),
        ];
        await s.processing.record(events, []);
        const list = async (filter: Parameters<Store['events']['list']>[0]) =>
          (await s.events.list(filter, { limit: 10 })).items.map((e) => e.id);
        assert.deepEqual(await list({}), ['E1', 'E2', 'E5', 'E3', 'E4']);
        assert.deepEqual(await list({ movement: mov('MOV-1') }), ['E1', 'E2', 'E3']);
        assert.deepEqual(await list({ device: dev('SEAL-A') }), ['E2', 'E3', 'E4']);
        assert.deepEqual(await list({ type: 'seal_opened' }), ['E5', 'E3']);
        assert.deepEqual(await list({ movement: mov('MOV-1'), type: 'seal_opened' }), ['E3']);
        const page = await s.events.list({ type: 'seq_conflict' }, { limit: 10 });
        assert.deepEqual(page.items, [events[4]]);
      }),
    );

    test(
      'pages through events 2 at a time, each once',
      withStore(async (s) => {
        await s.processing.record(
          [5, 1, 4, 2, 3].map((n) => buildEvent({ id: asEventId(`E${n}`), time: at(n) })),
          [],
        );
        const pages = await allPages((cursor) => s.events.list({ movement: mov('MOV-1') }, { limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['E1', 'E2'], ['E3', 'E4'], ['E5']]);
      }),
    );
  });
}
