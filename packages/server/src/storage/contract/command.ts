/**
 * The storage contract of the CommandStore (part of `runStoreContract`): commands come back whole,
 * a device's list pages newest first, open commands oldest first, expiry finds only open ones, and
 * a status change happens only over the status it was read at.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asCommandId,
  asDeviceId,
  asMovementId,
  markCommandSent,
  queueCommand,
  recordCommandResult,
  toTimestamp,
  type DeviceCommand,
} from '@sealwatch/core';
import type { Store } from '../ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const minutes = (m: number) => t0 + m * 60_000;

const command = (id: string, at: number, over: Partial<DeviceCommand> = {}): DeviceCommand => ({
  ...queueCommand(
    {
      id: asCommandId(id),
      device: asDeviceId('LOCK-1'),
      movement: asMovementId('MOV-1'),
      type: 'unlock',
      params: { password: '123456' },
      requestedBy: 'u-officer',
      reason: 'released at Malaba',
    },
    at,
    3600_000,
  ),
  ...over,
});

/** Registers the command store tests; `withStore` gives each a fresh store. */
export function commandStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('device commands', () => {
    test(
      'a stored command comes back whole; an unknown id is null',
      withStore(async (s) => {
        const c = command('CMD-1', minutes(0));
        await s.commands.create(c);
        assert.deepEqual(await s.commands.get(c.id), c);
        assert.equal(await s.commands.get(asCommandId('CMD-9')), null);
      }),
    );

    test(
      "a device's commands page newest first; other devices' do not mix in",
      withStore(async (s) => {
        for (let i = 0; i < 5; i++) await s.commands.create(command(`CMD-${i}`, minutes(i)));
        await s.commands.create(command('CMD-X', minutes(2), { device: asDeviceId('LOCK-2') }));
        const first = await s.commands.listByDevice(asDeviceId('LOCK-1'), { limit: 3 });
        assert.deepEqual(
          first.items.map((c) => c.id),
          ['CMD-4', 'CMD-3', 'CMD-2'],
        );
        const second = await s.commands.listByDevice(asDeviceId('LOCK-1'), { limit: 3, cursor: first.nextCursor });
        assert.deepEqual(
          second.items.map((c) => c.id),
          ['CMD-1', 'CMD-0'],
        );
        assert.equal(second.nextCursor, null);
      }),
    );

    test(
      "open lists a device's commands in the given statuses, oldest first",
      withStore(async (s) => {
        const a = command('CMD-A', minutes(0));
        const b = command('CMD-B', minutes(1));
        const c = command('CMD-C', minutes(2));
        for (const x of [c, a, b]) await s.commands.create(x);
        assert.equal(await s.commands.update(markCommandSent(b, minutes(3)), 'queued'), true);
        assert.deepEqual(
          (await s.commands.open(asDeviceId('LOCK-1'), ['queued'])).map((x) => x.id),
          ['CMD-A', 'CMD-C'],
        );
        assert.deepEqual(
          (await s.commands.open(asDeviceId('LOCK-1'), ['sent'])).map((x) => x.id),
          ['CMD-B'],
        );
        assert.deepEqual(
          (await s.commands.open(asDeviceId('LOCK-1'), ['queued', 'sent'])).map((x) => x.id),
          ['CMD-A', 'CMD-B', 'CMD-C'],
        );
        assert.deepEqual(await s.commands.open(asDeviceId('LOCK-2'), ['queued']), []);
      }),
    );

    test(
      'update is a compare-and-set on the status: the second writer of a change loses',
      withStore(async (s) => {
        const c = command('CMD-1', minutes(0));
        await s.commands.create(c);
        const sent = markCommandSent(c, minutes(1));
        assert.equal(await s.commands.update(sent, 'queued'), true);
        assert.equal(await s.commands.update(sent, 'queued'), false, 'already sent by someone else');
        const done = recordCommandResult(
          sent,
          true,
          { detail: 'RC-Unlock ACK', data: { type: 'RC-Unlock ACK', nested: { a: [1, 2] } } },
          minutes(2),
        );
        assert.equal(await s.commands.update(done, 'sent'), true);
        assert.deepEqual(await s.commands.get(c.id), done);
        assert.equal(await s.commands.update({ ...done, id: asCommandId('CMD-9') }, 'acknowledged'), false);
      }),
    );

    test(
      'expiring finds open commands whose expiry has come, oldest expiry first, never final ones',
      withStore(async (s) => {
        const old = command('CMD-OLD', minutes(0));
        const sent = markCommandSent(command('CMD-SENT', minutes(5)), minutes(6));
        const done = recordCommandResult(
          markCommandSent(command('CMD-DONE', minutes(1)), minutes(2)),
          false,
          { detail: 'refused', data: {} },
          minutes(3),
        );
        const fresh = command('CMD-NEW', minutes(50));
        for (const x of [fresh, done, sent, old]) await s.commands.create(x);
        assert.deepEqual(
          (await s.commands.expiring(toTimestamp(minutes(70)), 10)).map((x) => x.id),
          ['CMD-OLD', 'CMD-SENT'],
        );
        assert.deepEqual(
          (await s.commands.expiring(toTimestamp(minutes(70)), 1)).map((x) => x.id),
          ['CMD-OLD'],
        );
        assert.deepEqual(
          (await s.commands.expiring(toTimestamp(minutes(59)), 10)).map((x) => x.id),
          [],
        );
      }),
    );
  });
}
