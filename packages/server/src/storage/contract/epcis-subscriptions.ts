/** Storage contract, EPCIS subscriptions: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Timestamp } from '@sealwatch/core';
import type { EpcisSubscription } from '../epcis-subscription-ports';
import type { WithStore } from './fixtures';

export function epcisSubscriptionsContract(withStore: WithStore): void {
  describe('EPCIS subscriptions', () => {
    test(
      'a subscription on its webhook reads back whole, lists by id, moves its lower bound, and goes with its webhook',
      withStore(async (s) => {
        const t = (iso: string) => iso as Timestamp;
        for (const id of ['sub-a', 'sub-b'])
          await s.webhooks.create({
            id,
            url: 'https://x.example/cb',
            secret: 's'.repeat(16),
            types: ['epcis'],
            createdAt: t('2026-12-01T00:00:00.000Z'),
            createdBy: 'u1',
          });
        const a: EpcisSubscription = {
          id: 'sub-a',
          queryName: 'SimpleEventQuery',
          base: 'https://sealwatch.kra.go.ke',
          stream: false,
          schedule: { second: '0', minute: '5', hour: '1' },
          reportIfEmpty: true,
          initialRecordTime: t('2026-12-01T00:00:00.000Z'),
          minRecordTime: t('2026-12-01T00:00:00.000Z'),
        };
        const b: EpcisSubscription = { ...a, id: 'sub-b', stream: true, schedule: null, reportIfEmpty: false };
        await s.epcisSubscriptions.create(b);
        await s.epcisSubscriptions.create(a);
        assert.deepEqual(await s.epcisSubscriptions.get('sub-a'), a);
        assert.deepEqual(await s.epcisSubscriptions.get('sub-b'), b);
        const first = await s.epcisSubscriptions.list({ limit: 1 });
        assert.deepEqual(
          first.items.map((x) => x.id),
          ['sub-a'],
        );
        assert.deepEqual(
          (await s.epcisSubscriptions.list({ limit: 1, cursor: first.nextCursor })).items.map((x) => x.id),
          ['sub-b'],
        );
        assert.equal(await s.epcisSubscriptions.setMinRecordTime('sub-a', t('2026-12-02T01:05:00.000Z')), true);
        assert.equal((await s.epcisSubscriptions.get('sub-a'))?.minRecordTime, '2026-12-02T01:05:00.000Z');
        assert.equal(await s.epcisSubscriptions.setMinRecordTime('nope', t('2026-12-02T01:05:00.000Z')), false);
        await s.webhooks.remove('sub-a');
        assert.equal(await s.epcisSubscriptions.get('sub-a'), null);
        assert.equal(await s.epcisSubscriptions.get('nope'), null);
      }),
    );
  });
}
