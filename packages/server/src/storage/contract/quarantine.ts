/** Storage contract, quarantine: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, buildQuarantineEntry, allPages, ids, type WithStore } from './fixtures';
import type { Store } from '../ports';

export function quarantineContract(withStore: WithStore): void {
  describe('quarantine', () => {
    test(
      'purgeBefore removes the entries received before the time and keeps the rest',
      withStore(async (s) => {
        await s.quarantine.add([1, 2, 3, 4].map((m) => buildQuarantineEntry({ receivedAt: at(m) })));
        assert.equal(await s.quarantine.purgeBefore(at(3)), 2);
        assert.deepEqual((await s.quarantine.list({}, { limit: 10 })).items.map((q) => q.receivedAt).sort(), [at(3), at(4)]);
      }),
    );

    test(
      'adds entries, returns their ids in input order, and keeps raw bytes exactly',
      withStore(async (s) => {
        const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x0d, 0x00, 0xc3, 0x28, 0x7f]);
        const entries = [
          buildQuarantineEntry({ raw: bytes.toString('base64') }),
          buildQuarantineEntry({ reason: 'unknown_device', device: null, seq: null, remote: null, transport: 'tcp:gt06' }),
        ];
        const added = await s.quarantine.add(entries);
        assert.equal(added.length, 2);
        assert.ok(added[1] > added[0]);
        const first = await s.quarantine.get(added[0]);
        assert.deepEqual(first, { id: added[0], ...entries[0] });
        assert.deepEqual(Buffer.from(first!.raw, 'base64'), bytes);
        assert.deepEqual(await s.quarantine.get(added[1]), { id: added[1], ...entries[1] });
        assert.equal(await s.quarantine.get(added[1] + 1000), null);
      }),
    );

    test(
      'lists entries newest first in pages of 2, each once',
      withStore(async (s) => {
        const added = await s.quarantine.add([1, 2, 3].map((m) => buildQuarantineEntry({ receivedAt: at(m) })));
        added.push(...(await s.quarantine.add([4, 5].map((m) => buildQuarantineEntry({ receivedAt: at(m) })))));
        const pages = await allPages((cursor) => s.quarantine.list({}, { limit: 2, cursor }));
        const newest = [...added].reverse();
        assert.deepEqual(ids(pages), [newest.slice(0, 2), newest.slice(2, 4), newest.slice(4)]);
      }),
    );

    test(
      'filters entries by reason and by device',
      withStore(async (s) => {
        const [a, b, c] = await s.quarantine.add([
          buildQuarantineEntry({ reason: 'bad_signature', device: 'SEAL-A' }),
          buildQuarantineEntry({ reason: 'clock_skew', device: 'SEAL-A' }),
          buildQuarantineEntry({ reason: 'bad_signature', device: 'SEAL-B' }),
        ]);
        const list = async (filter: Parameters<Store['quarantine']['list']>[0]) =>
          (await s.quarantine.list(filter, { limit: 10 })).items.map((e) => e.id);
        assert.deepEqual(await list({ reason: 'bad_signature' }), [c, a]);
        assert.deepEqual(await list({ device: 'SEAL-A' }), [b, a]);
        assert.deepEqual(await list({ reason: 'bad_signature', device: 'SEAL-A' }), [a]);
        assert.deepEqual(await list({ reason: 'too_large' }), []);
      }),
    );

    test(
      'counts entries by reason',
      withStore(async (s) => {
        assert.deepEqual(await s.quarantine.countByReason(), {});
        await s.quarantine.add([
          buildQuarantineEntry({ reason: 'bad_signature' }),
          buildQuarantineEntry({ reason: 'clock_skew' }),
          buildQuarantineEntry({ reason: 'bad_signature' }),
        ]);
        assert.deepEqual(await s.quarantine.countByReason(), { bad_signature: 2, clock_skew: 1 });
      }),
    );
  });
}
