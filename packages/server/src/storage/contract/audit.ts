/** Storage contract, audit: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyAuditEntries, type NewAuditEntry } from '@sealwatch/core';
import { at, type WithStore } from './fixtures';

export function auditContract(withStore: WithStore): void {
  describe('audit', () => {
    const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
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
        assert.equal(await s.audit.head(), null);
        const first = await s.audit.append([entry('r1'), entry('r2'), entry('r1')]);
        assert.deepEqual(
          first.map((e) => [e.seq, e.ref]),
          [
            [1, 'r1'],
            [2, 'r2'],
          ],
        );
        const again = await s.audit.append([entry('r2'), entry('r3', ['SEAL-B'])]);
        assert.deepEqual(
          again.map((e) => [e.seq, e.ref]),
          [[3, 'r3']],
        );
        assert.deepEqual(await s.audit.head(), { seq: 3, hash: again[0].hash });
        const all = await s.audit.range(1, 10);
        assert.deepEqual(all, [...first, ...again]);
        assert.deepEqual(verifyAuditEntries(null, all, sha256), { ok: true, last: { seq: 3, hash: again[0].hash } });
        assert.deepEqual(
          (await s.audit.range(2, 1)).map((e) => e.seq),
          [2],
        );
        assert.deepEqual(await s.audit.seqsBySubject('MOV-1'), [1, 2]);
        assert.deepEqual(await s.audit.seqsBySubject('SEAL-B'), [3]);
        assert.deepEqual(await s.audit.seqsBySubject('nobody'), []);
      }),
    );

    test(
      'concurrent appends still form one chain without gaps',
      withStore(async (s) => {
        await Promise.all(Array.from({ length: 12 }, (_, i) => s.audit.append([entry(`c${i}a`), entry(`c${i}b`)])));
        const all = await s.audit.range(1, 100);
        assert.equal(all.length, 24);
        assert.equal(verifyAuditEntries(null, all, sha256).ok, true);
      }),
    );

    test(
      'checkpoints are kept by seq and found at or after a position',
      withStore(async (s) => {
        const cp = (seq: number) => ({ seq, hash: `h${seq}`, time: at(seq), keyId: 'k1', signature: `sig${seq}` });
        await s.audit.addCheckpoint(cp(10));
        await s.audit.addCheckpoint(cp(4));
        await s.audit.addCheckpoint(cp(4));
        assert.deepEqual(await s.audit.checkpoints(), [cp(4), cp(10)]);
        assert.deepEqual(await s.audit.checkpointAtOrAfter(5), cp(10));
        assert.deepEqual(await s.audit.checkpointAtOrAfter(4), cp(4));
        assert.equal(await s.audit.checkpointAtOrAfter(11), null);
      }),
    );
  });
}
