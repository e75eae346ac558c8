/**
 * Secrets stored in clear by an earlier version (settings: the audit signing key, the ECDH-ES
 * encryption keys, the demo seed; webhook secrets; users' TOTP secrets) are sealed with the master
 * key at the next start, once (a second start changes nothing), keep working, and are
 * re-encrypted by `sealwatch keys rotate-master`.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { startTestPlatform } from '../testing/test-platform';
import { rotateMasterCommand } from '../cli/keys';
import { jwkThumbprint } from '../audit/server-key';
import { newTotpSecret, totpCode } from '../access/totp';
import { SECRET_SETTINGS } from './sealed-settings';

const dir = mkdtempSync(join(tmpdir(), 'sealwatch-atrest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Stored = { settings: Record<string, string>; webhook: string; totp: string };
function stored(): Stored {
  const db = new Database(join(dir, 'sealwatch.db'), { readonly: true });
  try {
    const settings = Object.fromEntries(
      (
        db
          .prepare(`SELECT key, value FROM settings WHERE key IN (${SECRET_SETTINGS.map(() => '?').join(',')})`)
          .all(...SECRET_SETTINGS) as { key: string; value: string }[]
      ).map((r) => [r.key, r.value]),
    );
    const webhook = (db.prepare("SELECT secret FROM webhooks WHERE id = 'wh-old'").get() as { secret: string }).secret;
    const totp = (db.prepare("SELECT totp_secret FROM users WHERE username = 'amina'").get() as { totp_secret: string }).totp_secret;
    return { settings, webhook, totp };
  } finally {
    db.close();
  }
}

test('clear secrets of an earlier version are sealed once at start, keep working, and rotate-master re-encrypts them', async () => {
  let p = await startTestPlatform({}, { dir });
  const admin = (method: 'POST', url: string, payload: object) => p.http.inject({ method, url, headers: p.auth, payload });
  assert.equal((await admin('POST', '/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' })).statusCode, 201);
  assert.equal(
    (
      await admin('POST', '/api/v1/users', {
        username: 'amina',
        name: 'Amina',
        organisation: 'kra',
        roles: ['officer'],
        password: 'a long passphrase 42',
      })
    ).statusCode,
    201,
  );
  await p.stop();

  // What an installation from before sealing holds: every one of these in clear.
  const auditKey = generateKeyPairSync('ed25519').privateKey;
  const clear = {
    audit_signing_key_pkcs8: auditKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    ingest_encryption_key_p256_pkcs8: generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64'),
    ingest_encryption_key_x25519_pkcs8: generateKeyPairSync('x25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64'),
    demo_seed: randomBytes(32).toString('base64url'),
  };
  const webhookSecret = 'an old clear webhook secret';
  const totpSecret = newTotpSecret();
  const db = new Database(join(dir, 'sealwatch.db'));
  for (const [k, v] of Object.entries(clear))
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(k, v);
  db.prepare(
    "INSERT INTO webhooks (id, url, secret, types, created_at, created_by) VALUES ('wh-old', 'http://127.0.0.1:9/hook', ?, NULL, '2026-01-01T00:00:00.000Z', NULL)",
  ).run(webhookSecret);
  db.prepare("UPDATE users SET totp_secret = ? WHERE username = 'amina'").run(totpSecret);
  db.close();

  // Each sign-in uses a code of its own step: sign-in accepts a code once.
  const works = async (label: string, stepOffset: number) => {
    const key = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/key', headers: p.auth })).json();
    const x = (createPublicKey(auditKey).export({ format: 'jwk' }) as { x: string }).x;
    assert.equal(key.keyId, jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }), `${label}: the audit key is the one stored before`);
    assert.equal((await p.ctx.store.webhooks.get('wh-old'))!.secret, webhookSecret, `${label}: the webhook secret opens`);
    assert.equal(await p.secrets.get('demo_seed'), clear.demo_seed, `${label}: the demo seed opens`);
    const login = await p.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password: 'a long passphrase 42', totp: totpCode(totpSecret, Date.now() + stepOffset * 30_000) },
    });
    assert.equal(login.statusCode, 200, `${label}: TOTP sign-in works: ${login.body}`);
  };
  const allSealed = (s: Stored, keyId?: string) => {
    const prefix = keyId ? `sw1.${keyId}.` : 'sw1.';
    for (const v of [...Object.values(s.settings), s.webhook, s.totp]) assert.ok(v.startsWith(prefix), `stored as ${v.slice(0, 20)}…`);
    assert.equal(Object.keys(s.settings).length, SECRET_SETTINGS.length);
    const text = JSON.stringify(s);
    for (const c of [...Object.values(clear), webhookSecret, totpSecret]) assert.ok(!text.includes(c), 'a clear secret remains');
  };

  p = await startTestPlatform({}, { dir });
  const first = stored();
  allSealed(first);
  await works('after the upgrade', -1);
  await p.stop();

  p = await startTestPlatform({}, { dir });
  assert.deepEqual(stored(), first, 'a second start re-seals nothing');
  await p.stop();

  const lines: string[] = [];
  const r = await rotateMasterCommand({ SEALWATCH_DATA_DIR: dir }, (l) => lines.push(l));
  // audit and federation signing keys, the two ingest encryption keys, the demo seed
  assert.match(lines[0], /5 server key\(s\) and seed\(s\), 1 webhook secret\(s\), 1 TOTP secret\(s\)/);
  allSealed(stored(), r.keyId);

  p = await startTestPlatform({}, { dir });
  await works('after rotate-master', 0);
  await p.cleanup();
});
