import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildObservation } from '../storage/contract/fixtures';
import { sqliteAuditAppender } from '../storage/sqlite/audit-store';
import { applyMigrations } from '../storage/sqlite/migrations';
import { sqliteObservationStore } from '../storage/sqlite/observation-store';
import { walFlush, type WalFlush } from '../storage/sqlite/wal-flush';
import type { ObservationStore } from '../storage/ports';
import { GroupCommitter } from './group-commit';

const dir = mkdtempSync(join(tmpdir(), 'sealwatch-group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/**
 * The SQLite observation store on a file, as the embedded server opens it (WAL, synchronous=FULL,
 * its WAL synced apart from the commit), with each WAL sync held until the test releases it.
 */
function heldStore() {
  const db = new Database(join(dir, `log-${++files}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  applyMigrations(db);
  const wal = walFlush(db);
  assert.ok(wal, 'a file in WAL mode with synchronous=FULL syncs apart');
  const flushes: { release: () => void; fail: (e: Error) => void }[] = [];
  const held: WalFlush = {
    deferredCommit: (tx) => wal.deferredCommit(tx),
    async flush() {
      await new Promise<void>((release, fail) => flushes.push({ release, fail }));
      await wal.flush();
    },
    close: () => wal.close(),
  };
  const real = sqliteObservationStore(db, sqliteAuditAppender(db), held);
  const commits: number[] = [];
  const store: ObservationStore = {
    ...real,
    async appendAudited(batch, transports) {
      commits.push(batch.length);
      return real.appendAudited!(batch, transports);
    },
  };
  const close = () => {
    wal.close();
    db.close();
  };
  return { db, close, store, commits, flushes };
}
const obs = (seq: number) => buildObservation({ seq, time: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString() as never });
const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
const turn = () => new Promise((r) => setTimeout(r, 20));

test('answers a commit only after the WAL flush; requests arriving during the flush join the next commit, itself flushed before its answers', async () => {
  const { db, close, store, commits, flushes } = heldStore();
  const log = new GroupCommitter(store, { maxPending: 1000, maxRowsPerCommit: 1000, onCommitted: () => {} });
  const first = log.append([obs(1)], 'osmand');
  await turn();
  assert.deepEqual(commits, [1]);
  assert.equal(flushes.length, 1);
  // Committed, and other transactions are FULL again: only the group commit defers its sync.
  assert.equal(db.prepare('SELECT count(*) FROM observations').pluck().get(), 1);
  assert.equal(db.pragma('synchronous', { simple: true }), 2);
  assert.equal(await settled(first), false, 'answered before its commit was flushed');

  const second = log.append([obs(2)], 'osmand');
  const third = log.append([obs(3), obs(4)], 'http');
  await turn();
  assert.deepEqual(commits, [1], 'no commit while the flush of the last one runs');
  flushes[0].release();
  assert.equal((await first)[0].status, 'inserted');
  await turn();
  assert.deepEqual(commits, [1, 3], 'the two requests that came during the flush share the next commit');
  assert.equal(await settled(second), false);
  flushes[1].release();
  assert.deepEqual(
    [...(await second), ...(await third)].map((o) => o.status),
    ['inserted', 'inserted', 'inserted'],
  );
  close();
});

test('a flush that fails answers its callers with the error, not as accepted', async () => {
  const { close, store, flushes } = heldStore();
  const log = new GroupCommitter(store, { maxPending: 1000, maxRowsPerCommit: 1000, onCommitted: () => {} });
  const pending = log.append([obs(1)], 'osmand');
  await turn();
  flushes[0].fail(new Error('EIO'));
  await assert.rejects(pending, /EIO/);
  close();
});
