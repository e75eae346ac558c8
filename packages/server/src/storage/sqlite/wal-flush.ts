/**
 * A commit made durable off the event loop. With `synchronous=FULL` SQLite syncs the WAL inside
 * COMMIT, on the thread that commits: in Node the main thread, which then neither parses nor
 * answers anything until the disk is done. `deferredCommit` runs one transaction with
 * `synchronous=NORMAL` (the WAL frames are written but not synced) and `flush` syncs the WAL file
 * with fdatasync on a libuv worker thread, so the event loop goes on meanwhile. A commit is
 * durable once a `flush` started after it resolves: the WAL is replayed only up to its first bad
 * frame, so what a flush covers is a prefix of the commits, and any later FULL commit (the
 * processor's, an API write) syncs the earlier frames too. Checkpoints still sync the WAL before
 * copying it and the database after (NORMAL does that as FULL does).
 */
import { closeSync, fdatasync, openSync } from 'node:fs';
import type { Db } from './sql';

export interface WalFlush {
  /** Runs `tx` (a better-sqlite3 transaction) without syncing its commit; durable after the next `flush`. */
  deferredCommit<T>(tx: () => T): T;
  /** Syncs the WAL file on a worker thread: every commit made before the call is durable when it resolves. */
  flush(): Promise<void>;
  /** Closes the WAL file's handle (before the database is closed). */
  close(): void;
}

/**
 * The deferred commit for a file database in WAL mode with `synchronous=FULL`; null otherwise
 * (in memory, or a store opened with NORMAL, whose commits are not meant to survive power loss).
 */
export function walFlush(db: Db): WalFlush | null {
  if (db.memory || String(db.pragma('journal_mode', { simple: true })) !== 'wal') return null;
  if (Number(db.pragma('synchronous', { simple: true })) < 2) return null;
  const normal = db.prepare('PRAGMA synchronous = NORMAL');
  const full = db.prepare('PRAGMA synchronous = FULL');
  // Opened once, at the first flush (after a commit, so the file exists): SQLite removes the WAL
  // only when the last connection closes, so while this store is open it is the same file. One
  // fdatasync is then one trip to the thread pool; open and close around it would be three.
  let fd: number | null = null;
  return {
    deferredCommit(tx) {
      normal.run();
      try {
        return tx();
      } finally {
        full.run();
      }
    },
    flush() {
      fd ??= openSync(`${db.name}-wal`, 'r');
      const handle = fd;
      return new Promise((resolve, reject) => fdatasync(handle, (err) => (err ? reject(err) : resolve())));
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
