/**
 * The audit trail in chains on the real PostgreSQL of this machine: two processor processes (two
 * stores, two pools) append to their partitions' chains at once without a cluster-wide lock, and
 * the whole trail verifies; tampering with one chain, or cutting it short, is found and named;
 * a trail written before chains (one chain, checkpoints of its head) continues as the chain
 * `main` and still verifies, old checkpoints included.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairSync, randomBytes, sign, createHash } from 'node:crypto';
import pg from 'pg';
import { auditCheckpointMessage, sealAuditEntries, toTimestamp, type NewAuditEntry } from '@sealwatch/core';
import { applyMigrations, migrations } from '../storage/postgres/migrations';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import type { Store } from '../storage/ports';
import { TEST_DATABASE_URL } from '../testing/test-cluster';
import { AuditTrail } from './audit-trail';
import { verifyAuditTrail } from './audit-verify';
import { jwkThumbprint, type ServerKey } from './server-key';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

function testServerKey(): ServerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: (publicKey.export({ format: 'jwk' }) as { x: string }).x };
  return { keyId: jwkThumbprint(publicJwk), publicJwk, sign: (m) => sign(null, Buffer.from(m, 'utf8'), privateKey).toString('base64url') };
}

const entry = (ref: string, minute = 0): NewAuditEntry => ({
  kind: 'event',
  ref,
  time: toTimestamp(Date.UTC(2026, 11, 7, 8, minute)),
  actor: 'system',
  subjects: ['SEAL-A'],
  action: 'seal_opened',
  data: { ref },
});

async function client(schema: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await c.connect();
  return c;
}

describe('audit chains (PostgreSQL)', () => {
  const schema = `sw_chains_${randomBytes(5).toString('hex')}`;
  const key = testServerKey();
  let one: Store;
  let two: Store;
  let sql: pg.Client;
  /** Holds a transaction open during the first test; ended here too, so a failing test cannot leave it open. */
  let holder: pg.Client | undefined;

  before(async () => {
    one = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
    two = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize: 4, dropSchemaOnClose: true });
    sql = await client(schema);
  });
  after(async () => {
    await holder?.end().catch(() => {});
    await sql.end();
    await one.close();
    await two.close();
  });

  test(
    'two processors append to their partitions while another append waits inside its transaction: no global lock, and the trail verifies',
    { timeout: 120_000 },
    async () => {
      const epoch1 = (await one.partitionOwners.claim(1, 'proc-1', 60_000))!;
      const epoch2 = (await two.partitionOwners.claim(2, 'proc-2', 60_000))!;
      const trail1 = new AuditTrail(one.audit, key);
      const trail2 = new AuditTrail(two.audit, key);

      // A transaction of our own holds a uncommitted entry with the ref 'held': processor 1's
      // append of that ref waits on the unique index, inside its transaction, with whatever locks
      // it has taken. Processor 2 and a shared append must still go through meanwhile.
      holder = await client(schema);
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO audit_entries (seq, chain, pos, kind, ref, time, actor, subjects, action, data, content_hash, prev_hash, hash)
         VALUES (nextval('audit_entry_seq'), 'test:hold', 1, 'event', 'held', 't', 'a', '[]', 'x', '{}', 'c', 'p', 'h')`,
      );
      const waiting = one.audit.append([entry('held')], { fence: { partition: 1, epoch: epoch1 } });
      for (;;) {
        const { rows } = await sql.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND a.datname = current_database() AND a.query LIKE 'INSERT INTO audit_entries%'",
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [p2] = await two.audit.append([entry('p2-while-held')], { fence: { partition: 2, epoch: epoch2 } });
      assert.equal(p2.chain, 'partition:2');
      const [shared] = await two.audit.append([entry('shared-while-held')]);
      assert.match(shared.chain, /^(main|shared:\d+)$/);
      await holder.query('ROLLBACK');
      await holder.end();
      holder = undefined;
      const [held] = await waiting;
      assert.deepEqual([held.chain, held.pos], ['partition:1', 1]);

      // Then both processors, and shared writers on both, all at once.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => [
          trail1.record([entry(`p1-${i}`), entry(`p1-${i}b`)], { fence: { partition: 1, epoch: epoch1 } }),
          trail2.record([entry(`p2-${i}`)], { fence: { partition: 2, epoch: epoch2 } }),
          trail1.record([entry(`api-1-${i}`)]),
          two.audit.append([entry(`api-2-${i}`)]),
        ]).flat(),
      );
      const heads = await one.audit.heads();
      const p1 = await one.audit.chainRange('partition:1', 1, 1000);
      assert.equal(p1.length, 41);
      assert.ok(
        p1.slice(1).every((e) => e.ref.startsWith('p1-')),
        "partition 1's chain holds partition 1's entries only",
      );
      assert.equal((await one.audit.chainRange('partition:2', 1, 1000)).length, 21);
      assert.equal(
        heads.reduce((n, h) => n + h.pos, 0),
        41 + 21 + 41,
      );
      assert.ok(await trail2.checkpoint(), 'a checkpoint names every head');
      assert.equal(await trail1.checkpoint(), null, 'nothing new to sign');
      const report = await verifyAuditTrail(one.audit, [key]);
      assert.deepEqual(report, { ok: true, entries: 103, chains: heads.length, checkpoints: 1 });
    },
  );

  test('tampering with one chain, or cutting it short and writing it again, is named', async () => {
    const trail = new AuditTrail(one.audit, key);
    const ok = await verifyAuditTrail(one.audit, [key]);
    assert.equal(ok.ok, true, JSON.stringify(ok.problem));

    // Each change is committed (the verifier reads through the store's own pool), then undone.
    const original = (await sql.query<{ data: string }>(`SELECT data FROM audit_entries WHERE chain = 'partition:2' AND pos = 7`)).rows[0];
    await sql.query(`UPDATE audit_entries SET data = '{"ref":"forged"}' WHERE chain = 'partition:2' AND pos = 7`);
    assert.deepEqual((await verifyAuditTrail(one.audit, [key])).problem, {
      chain: 'partition:2',
      seq: 7,
      code: 'content_altered',
      detail: 'the content of entry 7 of chain partition:2 differs from what was sealed',
    });
    await sql.query(`UPDATE audit_entries SET data = $1 WHERE chain = 'partition:2' AND pos = 7`, [original.data]);

    // Two entries of partition 1 swapped (positions exchanged).
    const swap = async () => {
      await sql.query(`UPDATE audit_entries SET pos = -1 WHERE chain = 'partition:1' AND pos = 3`);
      await sql.query(`UPDATE audit_entries SET pos = 3 WHERE chain = 'partition:1' AND pos = 4`);
      await sql.query(`UPDATE audit_entries SET pos = 4 WHERE chain = 'partition:1' AND pos = -1`);
    };
    await swap();
    const swapped = await verifyAuditTrail(one.audit, [key]);
    assert.equal(swapped.problem?.chain, 'partition:1');
    assert.equal(swapped.problem?.seq, 3);
    assert.equal(swapped.problem?.code, 'prev_hash_mismatch');
    await swap();
    assert.equal((await verifyAuditTrail(one.audit, [key])).ok, true, 'undone');
    assert.equal(await trail.checkpoint(), null);

    // The last entries of partition 2 removed, head and all: the signed checkpoint still names them.
    await sql.query(`DELETE FROM audit_entries WHERE chain = 'partition:2' AND pos > 19`);
    await sql.query(`UPDATE audit_chains SET pos = 19, hash = (SELECT hash FROM audit_entries WHERE chain = 'partition:2' AND pos = 19)
      WHERE chain = 'partition:2'`);
    const cut = await verifyAuditTrail(one.audit, [key]);
    assert.equal(cut.problem?.code, 'checkpoint_beyond_trail');
    assert.equal(cut.problem?.chain, 'partition:2');
    // ...and written again past the signed head, links recomputed: the signed hash no longer matches.
    const epoch2 = (await two.partitionOwners.claim(2, 'proc-2', 60_000))!;
    await two.audit.append([entry('rewrite-a'), entry('rewrite-b'), entry('rewrite-c')], { fence: { partition: 2, epoch: epoch2 } });
    const rewritten = await verifyAuditTrail(one.audit, [key]);
    assert.equal(rewritten.problem?.code, 'checkpoint_mismatch');
    assert.equal(rewritten.problem?.chain, 'partition:2');
    assert.equal(rewritten.problem?.seq, 21);

    // A whole chain removed: the checkpoint still names it.
    await sql.query(`DELETE FROM audit_entries WHERE chain = 'partition:1'`);
    await sql.query(`DELETE FROM audit_chains WHERE chain = 'partition:1'`);
    const gone = await verifyAuditTrail(one.audit, [key]);
    assert.equal(gone.problem?.code, 'checkpoint_beyond_trail');
    assert.equal(gone.problem?.chain, 'partition:1');
  });
});

describe('a trail written before chains (PostgreSQL)', () => {
  test('continues as the chain main after the migration; its old checkpoints and the new ones verify', async () => {
    const schema = `sw_legacy_${randomBytes(5).toString('hex')}`;
    const key = testServerKey();
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    try {
      await applyMigrations(
        pool,
        schema,
        migrations.filter((m) => m.version < 52),
      );
      // Five entries and a checkpoint as the single-chain trail wrote them (seq = position, checkpoint version 1).
      const legacy = sealAuditEntries(
        null,
        [1, 2, 3, 4, 5].map((i) => entry(`old-${i}`, i)),
        sha256,
      );
      for (const e of legacy)
        await pool.query(
          `INSERT INTO audit_entries (seq, kind, ref, time, actor, subjects, action, data, content_hash, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            e.pos,
            e.kind,
            e.ref,
            e.time,
            e.actor,
            JSON.stringify(e.subjects),
            e.action,
            JSON.stringify(e.data),
            e.contentHash,
            e.prevHash,
            e.hash,
          ],
        );
      const time = toTimestamp(Date.UTC(2026, 11, 1));
      const v1 = { version: 1 as const, time, heads: [{ chain: 'main', pos: 5, hash: legacy[4].hash }] };
      await pool.query('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES ($1, $2, $3, $4, $5)', [
        5,
        legacy[4].hash,
        time,
        key.keyId,
        key.sign(auditCheckpointMessage(v1)),
      ]);
    } finally {
      await pool.end();
    }

    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize: 4, dropSchemaOnClose: true });
    try {
      assert.deepEqual(await store.audit.heads(), [{ chain: 'main', pos: 5, hash: (await store.audit.chainRange('main', 5, 1))[0].hash }]);
      assert.deepEqual(
        (await store.audit.checkpoints()).map((c) => [c.version, c.heads.map((h) => [h.chain, h.pos])]),
        [[1, [['main', 5]]]],
      );
      assert.equal((await verifyAuditTrail(store.audit, [key])).ok, true, 'the old trail verifies as it is');

      // An export made before chains (format 1), and one made now over the same old checkpoint
      // (format 2, checkpoint version 1), both verify offline; a changed entry in either does not.
      const [v1cp] = await store.audit.checkpoints();
      const old = await store.audit.chainRange('main', 2, 10);
      const server = { keyId: key.keyId, publicJwk: key.publicJwk };
      const base = {
        movement: { id: 'MOV-OLD', reference: 'R' },
        generatedAt: v1cp.time,
        server,
        serverKeys: [server],
        devices: [],
        observations: [],
      };
      const formats = {
        1: {
          ...base,
          format: 'sealwatch-evidence/1',
          entries: old.map(({ chain: _c, pos: _p, ...e }) => e),
          chain: {
            fromSeq: 2,
            prevHash: old[0].prevHash,
            links: old.map((e) => ({ seq: e.seq, contentHash: e.contentHash, hash: e.hash })),
          },
          checkpoint: { seq: 5, hash: v1cp.heads[0].hash, time: v1cp.time, keyId: v1cp.keyId, signature: v1cp.signature },
        },
        2: {
          ...base,
          format: 'sealwatch-evidence/2',
          entries: old,
          chains: [
            {
              chain: 'main',
              fromPos: 2,
              prevHash: old[0].prevHash,
              links: old.map((e) => ({ pos: e.pos, seq: e.seq, contentHash: e.contentHash, hash: e.hash })),
            },
          ],
          checkpoint: v1cp,
        },
      };
      const dir = mkdtempSync(join(tmpdir(), 'sealwatch-legacy-'));
      const verifier = join(import.meta.dirname, '../../../../scripts/verify-evidence.mjs');
      for (const [n, ev] of Object.entries(formats)) {
        const file = join(dir, `evidence-${n}.json`);
        writeFileSync(file, JSON.stringify(ev));
        const { stdout } = await promisify(execFile)(process.execPath, [verifier, file, '--key', key.keyId]);
        assert.match(stdout, /4 entries about the movement are unaltered[\s\S]*VERIFIED/, `format ${n}`);
        writeFileSync(
          file,
          JSON.stringify({ ...ev, entries: ev.entries.map((e, i) => (i === 1 ? { ...e, data: { ref: 'forged' } } : e)) }),
        );
        await assert.rejects(promisify(execFile)(process.execPath, [verifier, file]), /was altered/, `format ${n}, altered`);
      }
      const [next] = await store.audit.append([entry('new-1')]);
      assert.deepEqual([next.chain, next.pos, next.seq], ['main', 6, 6], 'the old chain continues');
      const epoch = (await store.partitionOwners.claim(0, 'proc', 60_000))!;
      await store.audit.append([entry('new-p0')], { fence: { partition: 0, epoch } });
      const trail = new AuditTrail(store.audit, key);
      const cp = await trail.checkpoint();
      assert.deepEqual(
        cp?.heads.map((h) => [h.chain, h.pos]),
        [
          ['main', 6],
          ['partition:0', 1],
        ],
      );
      assert.deepEqual(await verifyAuditTrail(store.audit, [key]), { ok: true, entries: 7, chains: 2, checkpoints: 2 });
    } finally {
      await store.close();
    }
  });
});
