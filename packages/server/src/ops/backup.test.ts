import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestPlatform, mombasaOffice, malabaOffice } from '../testing/test-platform';
import { backupCommand, restoreCommand } from '../cli/backup';
import { BackupError } from './backup';

const temp = () => mkdtempSync(join(tmpdir(), 'sealwatch-backup-'));

/** A running platform with some audited history: two offices and a signed checkpoint. */
async function platformWithHistory() {
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  for (const office of [mombasaOffice, malabaOffice]) {
    assert.equal((await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: office })).statusCode, 201);
  }
  const verified = (await p.http.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: p.auth })).json();
  assert.equal(verified.ok, true);
  // Asking for a verification is itself recorded: count the trail after it.
  const entries = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/entries?limit=1000', headers: p.auth })).json().items
    .length as number;
  return { p, entries };
}

test('a backup taken while the server runs, restored into another data directory, verifies its audit trail', async () => {
  const { p, entries } = await platformWithHistory();
  const out = join(temp(), 'backup');
  const restored = join(temp(), 'data');
  try {
    const said: string[] = [];
    await backupCommand({ out }, { SEALWATCH_DATA_DIR: p.dir }, (l) => said.push(l));
    assert.match(said[0], /backup written .*sealwatch\.db, .*master\.key/);
    assert.equal(statSync(join(out, 'master.key')).mode & 0o077, 0, 'the key copy is private');

    const lines: string[] = [];
    const ok = await restoreCommand({ from: out }, { SEALWATCH_DATA_DIR: restored }, (l) => lines.push(l));
    assert.equal(ok, true, lines.join('\n'));
    assert.match(lines.at(-1)!, new RegExp(`^audit trail intact: ${entries} entries`));
    assert.ok(entries >= 2);

    // The restored directory is a working installation: a server starts on it and sees the offices.
    const q = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' }, { dir: restored });
    try {
      const offices = (await q.http.inject({ method: 'GET', url: '/api/v1/offices', headers: q.auth })).json();
      assert.deepEqual(offices.items.map((o: { code: string }) => o.code).sort(), ['KEMBA', 'UGMAL']);
    } finally {
      await q.stop();
    }
  } finally {
    await p.cleanup();
    rmSync(out, { recursive: true, force: true });
    rmSync(restored, { recursive: true, force: true });
  }
});

test('a restored backup whose audit trail was altered does not verify, and names the entry', async () => {
  const { p } = await platformWithHistory();
  const out = join(temp(), 'backup');
  const restored = join(temp(), 'data');
  try {
    await backupCommand({ out }, { SEALWATCH_DATA_DIR: p.dir }, () => {});
    const db = new Database(join(out, 'sealwatch.db'));
    db.prepare("UPDATE audit_entries SET action = 'nothing happened' WHERE seq = 1").run();
    db.close();
    const lines: string[] = [];
    assert.equal(await restoreCommand({ from: out }, { SEALWATCH_DATA_DIR: restored }, (l) => lines.push(l)), false);
    assert.match(lines.join('\n'), /AUDIT TRAIL ALTERED at entry 1/);
  } finally {
    await p.cleanup();
    rmSync(out, { recursive: true, force: true });
    rmSync(restored, { recursive: true, force: true });
  }
});

test('backup and restore refuse to overwrite: a non-empty backup folder, a data directory that has a database', async () => {
  const { p } = await platformWithHistory();
  const out = join(temp(), 'backup');
  try {
    await backupCommand({ out }, { SEALWATCH_DATA_DIR: p.dir }, () => {});
    await assert.rejects(
      backupCommand({ out }, { SEALWATCH_DATA_DIR: p.dir }, () => {}),
      (e) => e instanceof BackupError && /is not empty/.test(e.message),
    );
    await assert.rejects(
      restoreCommand({ from: out }, { SEALWATCH_DATA_DIR: p.dir }, () => {}),
      (e) => e instanceof BackupError && /sealwatch\.db exists/.test(e.message),
    );
    await assert.rejects(
      restoreCommand({ from: p.dir + '-nothing' }, { SEALWATCH_DATA_DIR: temp() }, () => {}),
      (e) => e instanceof BackupError && /not a Sealwatch backup/.test(e.message),
    );
    assert.ok(existsSync(join(p.dir, 'sealwatch.db')));
  } finally {
    await p.cleanup();
    rmSync(out, { recursive: true, force: true });
  }
});
