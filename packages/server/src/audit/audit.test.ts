import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import type { AuditEntry } from '@sealwatch/core';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { TEST_DATABASE_URL } from '../testing/test-cluster';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../../..');
type P = Awaited<ReturnType<typeof startTestPlatform>>;

/** A movement with one signed e-lock that reports twice, resends once, is forged once and tampered once. */
async function buildHistory(p: P, key: DeviceSigningKey, device: string) {
  const post = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });
  for (const office of [mombasaOffice, malabaOffice]) assert.equal((await post('/api/v1/offices', office)).statusCode, 201);
  assert.equal(
    (await post('/api/v1/devices', { id: device, class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration })).statusCode,
    201,
  );
  const m = await post('/api/v1/movements', buildMovementBody({ devices: [device] }));
  const movement = m.json().id as string;
  assert.equal((await post(`/api/v1/movements/${movement}/start`, {})).statusCode, 200);
  const msg = (seq: number, state: string) =>
    signMessage(key, {
      device,
      seq,
      time: new Date().toISOString(),
      position: { lat: -3.9, lon: 39.5 },
      seal: { state, rope: 'inserted', lock: 'locked' },
    });
  const first = msg(1, 'closed');
  const forged = `${msg(2, 'closed').split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`;
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: { messages: [first, first, forged, msg(3, 'closed'), msg(4, 'tampered')] },
  });
  assert.deepEqual(
    r.json().results.map((x: { status: string }) => x.status),
    ['accepted', 'duplicate', 'rejected', 'accepted', 'accepted'],
  );
  let alert: { id: string } | undefined;
  for (let i = 0; i < 100 && !alert; i++) {
    await new Promise((res) => setTimeout(res, 50));
    alert = (await p.http.inject({ method: 'GET', url: `/api/v1/alerts?movement=${movement}`, headers: p.auth })).json().items[0];
  }
  assert.ok(alert, 'the tamper raised an alert');
  assert.equal((await post(`/api/v1/alerts/${alert.id}/acknowledge`, { comment: 'unit dispatched' })).statusCode, 200);
  return { movement, alert: alert.id };
}

async function allEntries(p: P): Promise<AuditEntry[]> {
  return (await p.http.inject({ method: 'GET', url: '/api/v1/audit/entries?limit=1000', headers: p.auth })).json().items;
}
const verify = async (p: P) => (await p.http.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: p.auth })).json();

describe('audit trail (SQLite)', () => {
  let p: P;
  let history: { movement: string; alert: string };
  const key = generateDeviceKey('ES256');

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
    history = await buildHistory(p, key, 'KE-LOCK-A1');
  });
  after(() => p.cleanup());

  test('records device messages once each, rejections, events, alert changes and API actions', async () => {
    const entries = await allEntries(p);
    // The three messages stored by one commit are one entry with the Merkle root of their leaves,
    // written in that commit; the resend (duplicate) adds nothing.
    const batches = entries.filter((e) => e.kind === 'device_message' && e.action === 'accepted_batch');
    assert.equal(batches.length, 1, JSON.stringify(batches));
    assert.equal(batches[0].data.count, 3);
    assert.deepEqual(batches[0].data.transports, ['http']);
    assert.equal((batches[0].data.lastId as number) - (batches[0].data.firstId as number), 2);
    assert.equal(entries.filter((e) => e.action === 'accepted').length, 0);
    assert.deepEqual(
      entries.filter((e) => e.action.startsWith('rejected:')).map((e) => e.action),
      ['rejected:bad_signature'],
    );
    const alertActions = entries.filter((e) => e.kind === 'alert' && e.data.alert === history.alert).map((e) => [e.action, e.actor]);
    assert.deepEqual(alertActions, [
      ['alert_opened', 'system'],
      ['alert_acknowledged', 'user:admin'],
    ]);
    assert.ok(entries.some((e) => e.kind === 'event' && e.subjects.includes(history.movement)));
    const ops = entries.filter((e) => e.kind === 'user_action').map((e) => e.action);
    assert.deepEqual(ops, ['createOffice', 'createOffice', 'createDevice', 'createMovement', 'startMovement', 'acknowledgeAlert']);
    assert.ok(entries.find((e) => e.action === 'createMovement')!.subjects.includes(history.movement));
    // No secret in the trail: the registration body is there only as a hash.
    assert.equal(JSON.stringify(entries).includes((key.registration as { jwk: { x: string } }).jwk.x), false);
  });

  test('an evidence export verifies offline, and fails when an entry in it is changed', async () => {
    const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${history.movement}/evidence`, headers: p.auth });
    assert.equal(r.statusCode, 200, r.body);
    const evidence = r.json();
    assert.equal(evidence.observations.length, 3);
    const file = join(p.dir, 'evidence.json');
    writeFileSync(file, r.body);
    const keyId = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/key', headers: p.auth })).json().keyId;
    const good = await run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file, '--key', keyId]);
    assert.match(good.stdout, /3 observations are in the trail \(3 by inclusion proof\); 3 device signatures verify\nVERIFIED/);

    // A message whose recorded facts are changed no longer proves to its batch entry's root.
    const moved = JSON.parse(r.body);
    moved.observations[1].receivedAt = moved.observations[0].receivedAt.replace(/^\d{4}/, '2020');
    writeFileSync(file, JSON.stringify(moved));
    await assert.rejects(
      run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file]),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, /FAILED: observation KE-LOCK-A1#3 is not in the batch entry \d+ it names/);
        return true;
      },
    );

    const altered = JSON.parse(readFileSync(file, 'utf8'));
    const tamperEntry = altered.entries.find((e: AuditEntry) => e.action === 'alert_acknowledged');
    tamperEntry.data.comment = 'nothing to see';
    writeFileSync(file, JSON.stringify(altered));
    await assert.rejects(
      run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file]),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, new RegExp(`FAILED: entry ${tamperEntry.seq} \\(alert:`));
        return true;
      },
    );
  });

  test('a row changed in the database file makes verify fail at that entry (API and CLI)', async () => {
    assert.equal((await verify(p)).ok, true);
    const target = (await allEntries(p)).find((e) => e.action === 'rejected:bad_signature')!;
    const db = new Database(join(p.dir, 'sealwatch.db'));
    db.prepare("UPDATE audit_entries SET action = 'accepted' WHERE seq = ?").run(target.seq);
    db.close();
    const report = await verify(p);
    assert.equal(report.ok, false);
    assert.deepEqual(report.problem, {
      chain: 'main',
      seq: target.seq,
      code: 'content_altered',
      detail: `the content of entry ${target.seq} differs from what was sealed`,
    });
    await assert.rejects(
      run(process.execPath, [join(root, 'bin/sealwatch.mjs'), 'audit', 'verify'], { env: { ...process.env, SEALWATCH_DATA_DIR: p.dir } }),
      (e: { code: number; stdout: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stdout, new RegExp(`AUDIT TRAIL ALTERED at entry ${target.seq}: content_altered`));
        return true;
      },
    );
  });
});

describe('audit trail (PostgreSQL)', () => {
  let p: P;
  let movement: string;
  const schema = `audit_${process.pid}_${Date.now() % 100000}`;

  before(async () => {
    p = await startTestPlatform({ DATABASE_URL: TEST_DATABASE_URL, SEALWATCH_DB_SCHEMA: schema, SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
    movement = (await buildHistory(p, generateDeviceKey('EdDSA'), 'KE-LOCK-P1')).movement;
  });
  after(async () => {
    await p.cleanup();
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  test('where the trail is written apart from the log, each message has its own entry, and an export still verifies', async () => {
    const entries = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/entries?limit=1000', headers: p.auth })).json().items;
    assert.deepEqual(
      entries.filter((e: AuditEntry) => e.action === 'accepted').map((e: AuditEntry) => e.data.seq),
      [1, 3, 4],
    );
    const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${movement}/evidence`, headers: p.auth });
    assert.equal(r.statusCode, 200, r.body);
    const file = join(p.dir, 'evidence.json');
    writeFileSync(file, r.body);
    const good = await run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file]);
    assert.match(good.stdout, /3 observations are in the trail \(0 by inclusion proof\); 3 device signatures verify\nVERIFIED/);
  });

  test('a row deleted directly in PostgreSQL makes verify fail at that position', async () => {
    const cp = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/entries?limit=1000', headers: p.auth })).json().items.length;
    assert.ok(cp > 10);
    assert.equal((await verify(p)).ok, true);
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(`DELETE FROM ${schema}.audit_entries WHERE seq = 5`);
      const report = await verify(p);
      assert.deepEqual(report.problem, { chain: 'main', seq: 5, code: 'seq_gap', detail: 'entry 5 is missing (next stored is 6)' });
    } finally {
      await c.end();
    }
  });
});
