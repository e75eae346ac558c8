/** Storage contract, partition owners and fencing: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionFencedError } from '../partition-owner-ports';
import { buildEvent, type WithStore } from './fixtures';

// A TTL that every lease has outlived: expiry without waiting (no timed tests).
const EXPIRED = -60_000;
const LIVE = 60_000;

export function partitionOwnersContract(withStore: WithStore): void {
  describe('partition owners', () => {
    test(
      'a claim gets a new epoch when the partition is free, its own or expired; never while another owner renews',
      withStore(async (s) => {
        const o = s.partitionOwners;
        assert.equal(await o.claim(3, 'proc-a', LIVE), 1);
        assert.equal(await o.claim(3, 'proc-b', LIVE), null, 'a live lease is not taken');
        assert.equal(await o.renew(3, 'proc-a', 1), true);
        assert.equal(await o.claim(3, 'proc-a', LIVE), 2, 'the owner claiming again moves to a new epoch');
        assert.equal(await o.renew(3, 'proc-a', 1), false, 'the older epoch is fenced');
        assert.equal(await o.claim(3, 'proc-b', EXPIRED), 3, 'an expired lease is taken');
        assert.equal(await o.holds(3, 3), true, 'the current epoch holds');
        assert.equal(await o.holds(3, 2), false, 'an older epoch does not');
        assert.equal(await o.holds(5, 1), false, 'nor one of a partition nobody claimed');
        assert.equal(await o.renew(3, 'proc-a', 2), false);
        await o.release(3, 'proc-a', 2); // not the holder: changes nothing
        assert.equal(await o.claim(3, 'proc-a', LIVE), null);
        await o.release(3, 'proc-b', 3);
        assert.equal(await o.claim(3, 'proc-a', LIVE), 4, 'a released partition is taken at once');
        assert.equal(await o.claim(4, 'proc-b', LIVE), 1, 'partitions are independent');
      }),
    );

    test(
      'a processing commit under a stale epoch is refused and writes nothing; under the current one it applies',
      withStore(async (s) => {
        const old = (await s.partitionOwners.claim(0, 'proc-a', LIVE))!;
        const current = (await s.partitionOwners.claim(0, 'proc-b', EXPIRED))!;
        const effects = (epoch: number, checkpoint: number) => ({
          processor: 'partition-0',
          checkpoint,
          observationIds: [checkpoint],
          events: [buildEvent({ id: `ev-${epoch}` as never })],
          alerts: [],
          deviceStates: [],
          fence: { partition: 0, epoch },
        });
        await assert.rejects(s.processing.commit(effects(old, 5)), PartitionFencedError);
        assert.equal(await s.processing.checkpoint('partition-0'), 0);
        assert.deepEqual(await s.processing.unprocessed([5]), [5], 'nothing of the refused commit was kept');
        assert.equal(await s.processing.commit(effects(current, 6)), true);
        assert.equal(await s.processing.checkpoint('partition-0'), 6);
        const unclaimed = { ...effects(current, 7), fence: { partition: 9, epoch: current } };
        await assert.rejects(s.processing.commit(unclaimed), PartitionFencedError, 'a partition nobody claimed fences every epoch');
      }),
    );
  });
}
