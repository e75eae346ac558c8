/** Storage contract, audit: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyAuditEntries, type AuditEntry, type NewAuditEntry } from '@sealwatch/core';
import { PartitionFencedError } from '../partition-owner-ports';
import type { AuditCheckpoint, Store } from '../ports';
import { at, type WithStore } from './fixtures';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

/** Every chain of the store, read whole by chainRange. */
async function chainsOf(s: Store): Promise<Map<string, AuditEntry[]>> {
  const out = new Map<string, AuditEntry[]>();
  for (const h of await s.audit.heads()) out.set(h.chain, await s.audit.chainRange(h.chain, 1, 1000));
  return out;
}

export function auditContract(withStore: WithStore): void {
  describe('audit', () => {
    const entry = (ref: string, subjects: string[] = ['SEAL-A', 'MOV-1']): NewAuditEntry => ({
      kind: 'device_message',
      ref,
      time: at(1),
      actor: 'device:SEAL-A',
      subjects,
      action: 'accepted',
      data: { seq: 1, payloadHash: `p-${ref}`, ratio: 0.1, big: 12345678901234, nested: { b: 1, a: [1.5, 'x'] } },
    });

    test(
      'appends a chain that verifies, once per ref, and reads it back exactly',
      withStore(async (s) => {
        assert.deepEqual(await s.audit.heads(), []);
        const first = await s.audit.append([entry('r1'), entry('r2'), entry('r1')]);
        assert.deepEqual(
          first.map((e) => [e.chain, e.pos, e.ref]),
          [
            ['main', 1, 'r1'],
            ['main', 2, 'r2'],
          ],
          'alone, an append continues the chain main',
        );
        const again = await s.audit.append([entry('r2'), entry('r3', ['SEAL-B'])]);
        assert.deepEqual(
          again.map((e) => [e.pos, e.ref]),
          [[3, 'r3']],
        );
        assert.deepEqual(await s.audit.heads(), [{ chain: 'main', pos: 3, hash: again[0].hash }]);
        const all = await s.audit.range(1, 10);
        assert.deepEqual(all, [...first, ...again]);
        assert.deepEqual(await s.audit.chainRange('main', 1, 10), all);
        assert.deepEqual(verifyAuditEntries(null, all, sha256), { ok: true, last: { pos: 3, hash: again[0].hash } });
        assert.deepEqual(
          (await s.audit.chainRange('main', 2, 1)).map((e) => e.pos),
          [2],
        );
        assert.deepEqual(await s.audit.bySeqs([all[2].seq, all[0].seq, 999_999]), [all[0], all[2]]);
        const [m1, m2] = [all[0].seq, all[1].seq];
        assert.deepEqual(await s.audit.seqsBySubject('MOV-1'), [m1, m2]);
        assert.deepEqual(await s.audit.seqsBySubject('SEAL-B'), [all[2].seq]);
        assert.deepEqual(await s.audit.seqsBySubject('nobody'), []);
      }),
    );

    test(
      'concurrent appends: every chain without gaps and verified, every entry once, heads at the ends',
      withStore(async (s) => {
        await Promise.all(Array.from({ length: 12 }, (_, i) => s.audit.append([entry(`c${i}a`), entry(`c${i}b`)])));
        const chains = await chainsOf(s);
        const entries = [...chains.values()].flat();
        assert.equal(entries.length, 24);
        assert.equal(new Set(entries.map((e) => e.seq)).size, 24, 'seqs are unique across chains');
        for (const [chain, list] of chains) {
          assert.equal(verifyAuditEntries(null, list, sha256, chain).ok, true, chain);
          // Each append's two entries are adjacent in one chain.
          for (const e of list.filter((x) => x.ref.endsWith('a'))) assert.equal(list[e.pos]?.ref, e.ref.replace(/a$/, 'b'));
        }
        assert.deepEqual(
          (await s.audit.heads()).map((h) => [h.chain, h.pos]),
          [...chains].map(([c, l]) => [c, l.length]),
        );
      }),
    );

    test(
      "a partition owner's appends: refused once fenced off, leaving nothing; the next owner continues the same chain",
      withStore(async (s) => {
        const first = (await s.partitionOwners.claim(3, 'proc-a', 10_000))!;
        const [a1] = await s.audit.append([entry('p3-a1')], { fence: { partition: 3, epoch: first } });
        await s.partitionOwners.release(3, 'proc-a', first);
        const second = (await s.partitionOwners.claim(3, 'proc-b', 10_000))!;
        assert.ok(second > first);
        await assert.rejects(s.audit.append([entry('p3-stale')], { fence: { partition: 3, epoch: first } }), PartitionFencedError);
        const [b1, b2] = await s.audit.append([entry('p3-b1'), entry('p3-b2')], { fence: { partition: 3, epoch: second } });
        assert.deepEqual(
          [b1, b2].map((e) => [e.chain, e.pos]),
          [
            [a1.chain, a1.pos + 1],
            [a1.chain, a1.pos + 2],
          ],
        );
        const chain = await s.audit.chainRange(a1.chain, 1, 100);
        assert.equal(verifyAuditEntries(null, chain, sha256, a1.chain).ok, true);
        assert.ok(!(await s.audit.range(1, 100)).some((e) => e.ref === 'p3-stale'), 'the fenced append left no entry');
      }),
    );

    test(
      'checkpoints are kept in the order signed, with every head',
      withStore(async (s) => {
        const cp = (n: number): AuditCheckpoint => ({
          version: 2,
          time: at(n),
          heads: [
            { chain: 'main', pos: n, hash: `h${n}` },
            { chain: 'partition:1', pos: 2 * n, hash: `p${n}` },
          ],
          keyId: 'k1',
          signature: `sig${n}`,
        });
        assert.deepEqual(await s.audit.checkpoints(), []);
        await s.audit.addCheckpoint(cp(4));
        await s.audit.addCheckpoint(cp(10));
        assert.deepEqual(await s.audit.checkpoints(), [cp(4), cp(10)]);
      }),
    );
  });
}
