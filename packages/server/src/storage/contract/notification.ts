/**
 * The storage contract of the NotificationStore (part of `runStoreContract`): settings come back
 * whole and are replaced; an e-mail is queued once per (user, change); due e-mails come oldest
 * first and leave the queue once sent or failed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toTimestamp, type NotificationPrefs } from '@sealwatch/core';
import type { Store } from '../ports';
import type { OutboxEmail } from '../notification-ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (m: number) => toTimestamp(t0 + m * 60_000);
const prefs = (user: string, email: string | null): NotificationPrefs => ({
  user,
  email,
  codes: ['seal_broken'],
  minSeverity: 'major',
  quietHours: { from: '22:00', to: '06:00', timeZone: 'Africa/Nairobi', minSeverity: 'critical' },
  updatedAt: at(0),
});
const email = (id: string, user: string, eventKey: string, minute: number): OutboxEmail => ({
  id,
  user,
  eventKey,
  to: `${user}@example.test`,
  subject: 's',
  text: 't',
  status: 'pending',
  attempts: [],
  nextAttemptAt: at(minute),
  createdAt: at(minute),
  updatedAt: at(minute),
});

/** Registers the notification store tests; `withStore` gives each a fresh store. */
export function notificationStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('notifications', () => {
    test(
      "a user's settings come back whole and are replaced; only those with an address are listed for e-mail",
      withStore(async (s) => {
        assert.equal(await s.notifications.getPrefs('u1'), null);
        await s.notifications.setPrefs(prefs('u1', 'a@example.test'));
        await s.notifications.setPrefs(prefs('u2', null));
        assert.deepEqual(await s.notifications.getPrefs('u1'), prefs('u1', 'a@example.test'));
        await s.notifications.setPrefs({ ...prefs('u1', 'b@example.test'), codes: null });
        assert.deepEqual(await s.notifications.getPrefs('u1'), { ...prefs('u1', 'b@example.test'), codes: null });
        assert.deepEqual(
          (await s.notifications.listEmailPrefs()).map((p) => p.user),
          ['u1'],
        );
      }),
    );
    test(
      'an e-mail is queued once per user and change; due ones come oldest first until sent or failed',
      withStore(async (s) => {
        const queued = await s.notifications.enqueue([email('E2', 'u1', 'incident:I1:1', 2), email('E1', 'u2', 'incident:I1:1', 1)]);
        assert.deepEqual(
          queued.map((e) => e.id),
          ['E2', 'E1'],
        );
        assert.deepEqual(await s.notifications.enqueue([email('E3', 'u1', 'incident:I1:1', 3)]), []);
        assert.deepEqual(
          (await s.notifications.due(at(5), 10)).map((e) => e.id),
          ['E1', 'E2'],
        );
        assert.deepEqual(await s.notifications.due(at(0), 10), []);
        const sent: OutboxEmail = {
          ...email('E1', 'u2', 'incident:I1:1', 1),
          status: 'sent',
          attempts: [{ at: at(5), error: null }],
          nextAttemptAt: null,
        };
        await s.notifications.save(sent);
        assert.deepEqual(
          (await s.notifications.due(at(5), 10)).map((e) => e.id),
          ['E2'],
        );
        assert.deepEqual(await s.notifications.recent('u2', 5), [sent]);
      }),
    );
  });
}
