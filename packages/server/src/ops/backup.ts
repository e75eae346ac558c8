/**
 * Backup and restore of an embedded installation: the SQLite database, copied with SQLite's
 * online backup (consistent while the server runs and writes), and the master key file beside
 * it, without which the device secrets and the audit signing key in the database cannot be
 * opened. A backup folder is laid out as a data directory, so restoring is copying it into an
 * empty one. PostgreSQL installations use pg_dump (docs/operations.md).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DB_FILE = 'sealwatch.db';
export const KEY_FILE = 'master.key';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  files: string[];
  bytes: number;
}

/** Copies the database (online) and the key file, when there is one, into `out` (new or empty). */
export async function backupEmbedded(o: { sqliteFile: string; keyFile: string | null; out: string }): Promise<BackupResult> {
  if (!existsSync(o.sqliteFile)) throw new BackupError(`no database at ${o.sqliteFile}: nothing to back up (SEALWATCH_DATA_DIR?)`);
  if (existsSync(o.out) && readdirSync(o.out).length > 0) throw new BackupError(`${o.out} is not empty: back up into a new folder`);
  mkdirSync(o.out, { recursive: true, mode: 0o700 });
  const target = join(o.out, DB_FILE);
  const db = new Database(o.sqliteFile, { fileMustExist: true });
  try {
    // The server holds the same file open: wait for its write transactions rather than fail.
    db.pragma('busy_timeout = 5000');
    await db.backup(target);
  } finally {
    db.close();
  }
  chmodSync(target, 0o600);
  const files = [target];
  if (o.keyFile) {
    if (!existsSync(o.keyFile)) throw new BackupError(`no master key file at ${o.keyFile}: the database alone cannot be opened`);
    const key = join(o.out, KEY_FILE);
    copyFileSync(o.keyFile, key);
    chmodSync(key, 0o600);
    files.push(key);
  }
  return { files, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

/**
 * Copies a backup folder into a data directory that holds no database yet (the server
 * stopped). Returns the files written; `hasKey` tells whether the backup carried a key file
 * (otherwise SEALWATCH_MASTER_KEY must be the key it was made under).
 */
export function restoreEmbedded(o: { from: string; dataDir: string }): { files: string[]; hasKey: boolean } {
  const db = join(o.from, DB_FILE);
  if (!existsSync(db)) throw new BackupError(`${o.from} holds no ${DB_FILE}: not a Sealwatch backup`);
  const targetDb = join(o.dataDir, DB_FILE);
  if (existsSync(targetDb))
    throw new BackupError(`${targetDb} exists: restore into an empty data directory (move the old one aside, with the server stopped)`);
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  copyFileSync(db, targetDb);
  chmodSync(targetDb, 0o600);
  const files = [targetDb];
  const key = join(o.from, KEY_FILE);
  const hasKey = existsSync(key);
  if (hasKey) {
    const targetKey = join(o.dataDir, KEY_FILE);
    if (existsSync(targetKey) && !readFileSync(targetKey).equals(readFileSync(key))) {
      rmSync(targetDb);
      throw new BackupError(`${targetKey} holds another master key: move it aside before restoring`);
    }
    copyFileSync(key, targetKey);
    chmodSync(targetKey, 0o600);
    files.push(targetKey);
  }
  return { files, hasKey };
}
