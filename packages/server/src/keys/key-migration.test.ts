/**
 * Upgrading an installation (migration 13 on both engines): each device's registered key becomes
 * its key k1, HS256 secrets and content keys leave the devices table and are sealed with the
 * master key at the next start; messages signed with the old secret are still accepted.
 * Then `sealwatch keys rotate-master` re-encrypts them under a new key.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { applyMigrations as applySqlite, migrations as sqliteSteps } from '../storage/sqlite/migrations';
import { applyMigrations as applyPostgres, migrations as postgresSteps } from '../storage/postgres/migrations';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { TEST_DATABASE_URL } from '../testing/test-cluster';
import { startTestPlatform } from '../testing/test-platform';
import { rotateMasterCommand } from '../cli/keys';
import { DeviceKeyService } from './device-keys.service';
import { SecretBox } from './secret-box';
import { masterKeyFile } from './master-key';

const secret = randomBytes(32).toString('base64url');
const contentKey = randomBytes(32).toString('base64url');
const edJwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const hsMessage = (device: string, seq: number) => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'HS256', kid: device })}.${b64({ device, seq, time: new Date().toISOString(), seal: { state: 'closed' } })}`;
  return `${input}.${createHmac('sha256', Buffer.from(secret, 'base64url')).update(input).digest('base64url')}`;
};

describe('device keys after an upgrade (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-keymig-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('keys move to the key list, secrets are sealed at start, the old secret still signs; rotate-master re-encrypts', async () => {
    const db = new Database(join(dir, 'sealwatch.db'));
    applySqlite(
      db,
      sqliteSteps.filter((s) => s.version <= 12),
    );
    const insert = db.prepare(`INSERT INTO devices (id, class, kind, protocol, identifiers, report_interval_s, key, owner, created_at)
      VALUES (?, 'active', 'e_seal', 'native', '{}', 60, ?, NULL, '2026-01-02T03:04:05.678Z')`);
    insert.run('HS-OLD', JSON.stringify({ alg: 'HS256', secret, contentKey }));
    insert.run('ED-OLD', JSON.stringify({ alg: 'EdDSA', jwk: edJwk }));
    db.close();

    let p = await startTestPlatform({}, { dir });
    const rows = () => {
      const d = new Database(join(dir, 'sealwatch.db'), { readonly: true });
      try {
        return {
          keys: d
            .prepare('SELECT device, key_id, alg, jwk, secret, content_key, status, valid_from FROM device_keys ORDER BY device')
            .all() as Record<string, string | null>[],
          devices: d.prepare('SELECT id, key FROM devices ORDER BY id').all() as { id: string; key: string }[],
        };
      } finally {
        d.close();
      }
    };
    const migrated = rows();
    assert.deepEqual(
      migrated.devices.map((d) => JSON.parse(d.key)),
      [{ alg: 'EdDSA', jwk: edJwk }, { alg: 'HS256' }],
    );
    assert.deepEqual(
      migrated.keys.map((k) => [k.device, k.key_id, k.alg, k.status, k.valid_from]),
      [
        ['ED-OLD', 'k1', 'EdDSA', 'active', '2026-01-02T03:04:05.678Z'],
        ['HS-OLD', 'k1', 'HS256', 'active', '2026-01-02T03:04:05.678Z'],
      ],
    );
    assert.deepEqual(JSON.parse(migrated.keys[0].jwk!), edJwk);
    const hs = migrated.keys[1];
    assert.match(hs.secret!, /^sw1\./);
    assert.match(hs.content_key!, /^sw1\./);
    const ingest = async (seq: number) =>
      (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [hsMessage('HS-OLD', seq)] } })).json().results[0]
        .status;
    assert.equal(await ingest(1), 'accepted');
    await p.stop();

    const before = readFileSync(masterKeyFile(dir), 'utf8');
    const lines: string[] = [];
    const r = await rotateMasterCommand({ SEALWATCH_DATA_DIR: dir }, (l) => lines.push(l));
    // The two device secrets, and the server keys sealed at the first start (audit signing, federation signing, ECDH-ES).
    assert.equal(r.reencrypted, 6);
    const after = readFileSync(masterKeyFile(dir), 'utf8');
    assert.notEqual(after, before);
    assert.equal(after.trim().split('\n').length, 1, 'the key file holds only the new key');
    assert.ok(rows().keys[1].secret!.startsWith(`sw1.${r.keyId}.`));
    assert.match(lines[0], /6 secret\(s\) re-encrypted under master key .*: 2 device secret\(s\), 4 server key\(s\)/);

    p = await startTestPlatform({}, { dir });
    assert.equal(await ingest(2), 'accepted');
    await p.cleanup();
  });
});

describe('device keys after an upgrade (PostgreSQL)', () => {
  test('migration 13 moves keys and strips secrets from devices; the service seals them', async () => {
    const schema = `sw_keymig_${randomBytes(4).toString('hex')}`;
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    try {
      await applyPostgres(
        pool,
        schema,
        postgresSteps.filter((s) => s.version <= 12),
      );
      await pool.query(
        `INSERT INTO devices (id, class, kind, protocol, identifiers, report_interval_s, key, owner, created_at)
        VALUES ('HS-OLD', 'active', 'e_seal', 'native', '{}', 60, $1, NULL, '2026-01-02T03:04:05.678Z'),
               ('ED-OLD', 'active', 'e_seal', 'native', '{}', 60, $2, NULL, '2026-01-02T03:04:05.678Z'),
               ('GT-1', 'active', 'tracker', 'gt06', '{}', 60, NULL, NULL, '2026-01-02T03:04:05.678Z')`,
        [JSON.stringify({ alg: 'HS256', secret, contentKey }), JSON.stringify({ alg: 'EdDSA', jwk: edJwk })],
      );
      const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema });
      try {
        assert.deepEqual((await store.devices.get('HS-OLD' as never))?.key, { alg: 'HS256' });
        assert.deepEqual((await store.devices.get('ED-OLD' as never))?.key, { alg: 'EdDSA', jwk: edJwk });
        const [ed] = await store.deviceKeys.list('ED-OLD' as never);
        assert.deepEqual([ed.keyId, ed.alg, ed.jwk, ed.status, ed.validFrom], ['k1', 'EdDSA', edJwk, 'active', '2026-01-02T03:04:05.678Z']);
        const [hs] = await store.deviceKeys.list('HS-OLD' as never);
        assert.equal(hs.sealedSecret, `plain.${secret}`);
        const box = new SecretBox(randomBytes(32));
        const service = new DeviceKeyService({ store: store.deviceKeys, box, now: Date.now, onChanged: () => {} });
        assert.equal(await service.resealSecrets(), 2);
        const [sealed] = await store.deviceKeys.list('HS-OLD' as never);
        assert.ok(box.isCurrent(sealed.sealedSecret!) && box.isCurrent(sealed.sealedContentKey!));
        const [opened] = await service.keysForIngest('HS-OLD' as never);
        assert.deepEqual(opened.key, { alg: 'HS256', secret, contentKey });
        assert.deepEqual(await store.deviceKeys.list('GT-1' as never), []);
      } finally {
        await store.close();
      }
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
