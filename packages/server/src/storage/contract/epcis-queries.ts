/** Storage contract, EPCIS named queries: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Timestamp } from '@sealwatch/core';
import type { EpcisNamedQuery } from '../epcis-query-ports';
import type { WithStore } from './fixtures';

export function epcisQueriesContract(withStore: WithStore): void {
  describe('EPCIS named queries', () => {
    test(
      'a query reads back whole within its organisation only, a name is taken once per organisation, lists by name, and is removed',
      withStore(async (s) => {
        const q: EpcisNamedQuery = {
          organisation: 'acme',
          name: 'broken-seals',
          query: { EQ_disposition: ['container_open'], GE_eventTime: '2026-12-01T00:00:00Z', '@context': [{ ex: 'https://x.example/' }] },
          createdBy: 'u1',
          createdAt: '2026-12-01T00:00:00.000Z' as Timestamp,
        };
        assert.equal(await s.epcisQueries.create(q), true);
        assert.equal(await s.epcisQueries.create({ ...q, query: {} }), false);
        assert.deepEqual(await s.epcisQueries.get('acme', 'broken-seals'), q);
        assert.equal(await s.epcisQueries.get('beta', 'broken-seals'), null);
        assert.equal(await s.epcisQueries.create({ ...q, organisation: 'beta', query: { eventType: ['ObjectEvent'] } }), true);
        assert.deepEqual((await s.epcisQueries.get('beta', 'broken-seals'))?.query, { eventType: ['ObjectEvent'] });
        await s.epcisQueries.create({ ...q, name: 'Arrivals' });
        const first = await s.epcisQueries.list('acme', { limit: 1 });
        assert.deepEqual(
          first.items.map((x) => x.name),
          ['Arrivals'],
        );
        const second = await s.epcisQueries.list('acme', { limit: 1, cursor: first.nextCursor });
        assert.deepEqual(
          second.items.map((x) => x.name),
          ['broken-seals'],
        );
        assert.equal(second.nextCursor, null);
        assert.equal(await s.epcisQueries.remove('acme', 'broken-seals'), true);
        assert.equal(await s.epcisQueries.remove('acme', 'broken-seals'), false);
        assert.equal(await s.epcisQueries.get('acme', 'broken-seals'), null);
        assert.notEqual(await s.epcisQueries.get('beta', 'broken-seals'), null);
      }),
    );
  });
}
