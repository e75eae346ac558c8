/**
 * The storage contract of the WebhookStore (part of `runStoreContract`): receivers keep their
 * secret and type filter, a delivery is queued once per (webhook, event key), due deliveries
 * come oldest first, attempts are kept, and removing a webhook removes its log.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toTimestamp, type Timestamp } from '@sealwatch/core';
import type { Store } from '../ports';
import type { Webhook, WebhookDelivery } from '../webhook-ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);
const hook = (id: string, types: string[] | null = null): Webhook => ({
  id,
  url: `https://soc.example/hooks/${id}`,
  secret: `s3cret-${id}`,
  types,
  createdAt: at(0),
  createdBy: 'admin',
});
const delivery = (id: string, webhook: string, minutes: number, eventKey = `alert:${id}:1`): WebhookDelivery => ({
  id,
  webhook,
  eventKey,
  payload: { kind: 'alert', alert: { id, type: 'seal_tampered' } },
  status: 'pending',
  attempts: [],
  nextAttemptAt: at(minutes),
  createdAt: at(minutes),
  updatedAt: at(minutes),
});

/** Registers the webhook store tests; `withStore` gives each a fresh store. */
export function webhookStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('webhooks', () => {
    test(
      'a list by makers is filtered before it is paged: full pages, and a cursor only while more of theirs exist',
      withStore(async (s) => {
        for (const [id, by] of [
          ['wh-1', 'u-other'],
          ['wh-2', 'u-ke'],
          ['wh-3', 'admin'],
          ['wh-4', 'u-other'],
          ['wh-5', 'u-ke2'],
          ['wh-6', null],
          ['wh-7', 'u-ke'],
        ] as const)
          await s.webhooks.create({ ...hook(id), createdBy: by });
        const makers = { createdBy: ['u-ke', 'u-ke2'] };
        const first = await s.webhooks.list({ limit: 2 }, makers);
        assert.deepEqual(
          first.items.map((w) => w.id),
          ['wh-2', 'wh-5'],
        );
        const second = await s.webhooks.list({ limit: 2, cursor: first.nextCursor }, makers);
        assert.deepEqual(
          second.items.map((w) => w.id),
          ['wh-7'],
        );
        assert.equal(second.nextCursor, null);
        assert.deepEqual((await s.webhooks.list({ limit: 10 }, { createdBy: [] })).items, []);
        assert.equal((await s.webhooks.list({ limit: 10 })).items.length, 7);
      }),
    );
    test(
      'webhooks are stored with secret and types, listed by id in pages, removed with their deliveries',
      withStore(async (s) => {
        await s.webhooks.create(hook('wh-b', ['seal_tampered', 'route_deviation']));
        await s.webhooks.create(hook('wh-a'));
        await s.webhooks.create(hook('wh-c'));
        assert.deepEqual(await s.webhooks.get('wh-b'), hook('wh-b', ['seal_tampered', 'route_deviation']));
        const first = await s.webhooks.list({ limit: 2 });
        assert.deepEqual(
          first.items.map((w) => w.id),
          ['wh-a', 'wh-b'],
        );
        assert.deepEqual(
          (await s.webhooks.list({ limit: 2, cursor: first.nextCursor })).items.map((w) => w.id),
          ['wh-c'],
        );
        assert.equal(await s.webhooks.setSecret('wh-c', 'sw1.resealed'), true);
        assert.equal((await s.webhooks.get('wh-c'))!.secret, 'sw1.resealed');
        assert.equal(await s.webhooks.setSecret('wh-none', 'x'), false);
        await s.webhooks.enqueue([delivery('d1', 'wh-a', 1)]);
        assert.equal(await s.webhooks.remove('wh-a'), true);
        assert.equal(await s.webhooks.remove('wh-a'), false);
        assert.equal(await s.webhooks.get('wh-a'), null);
        assert.deepEqual((await s.webhooks.deliveries('wh-a', { limit: 10 })).items, []);
      }),
    );

    test(
      'a delivery is queued once per event key; due ones come oldest first; attempts and status are kept',
      withStore(async (s) => {
        await s.webhooks.create(hook('wh-a'));
        const queued = await s.webhooks.enqueue([delivery('d2', 'wh-a', 2), delivery('d1', 'wh-a', 1)]);
        assert.deepEqual(
          queued.map((d) => d.id),
          ['d2', 'd1'],
        );
        assert.deepEqual(await s.webhooks.enqueue([delivery('d9', 'wh-a', 3, 'alert:d1:1')]), [], 'same event key: skipped');
        assert.deepEqual(
          (await s.webhooks.due(at(1), 10)).map((d) => d.id),
          ['d1'],
        );
        assert.deepEqual(
          (await s.webhooks.due(at(5), 10)).map((d) => d.id),
          ['d1', 'd2'],
        );
        const tried = {
          ...delivery('d1', 'wh-a', 1),
          attempts: [{ at: at(1), status: 500, error: 'HTTP 500' }],
          nextAttemptAt: at(9),
          updatedAt: at(1),
        };
        await s.webhooks.saveDelivery(tried);
        assert.deepEqual(
          (await s.webhooks.due(at(5), 10)).map((d) => d.id),
          ['d2'],
        );
        await s.webhooks.saveDelivery({
          ...tried,
          status: 'delivered',
          nextAttemptAt: null,
          attempts: [...tried.attempts, { at: at(9), status: 204, error: null }],
          updatedAt: at(9),
        });
        assert.deepEqual(
          (await s.webhooks.due(at(60), 10)).map((d) => d.id),
          ['d2'],
        );
        const log = await s.webhooks.deliveries('wh-a', { limit: 1 });
        assert.deepEqual(
          log.items.map((d) => d.id),
          ['d2'],
        );
        const rest = await s.webhooks.deliveries('wh-a', { limit: 1, cursor: log.nextCursor });
        assert.equal(rest.items[0].status, 'delivered');
        assert.deepEqual(
          rest.items[0].attempts.map((a) => a.status),
          [500, 204],
        );
        assert.deepEqual(rest.items[0].payload, delivery('d1', 'wh-a', 1).payload);
      }),
    );
  });
}
