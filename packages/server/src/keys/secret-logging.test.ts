/**
 * Secrets never leave in logs, and are never stored in clear: with logging at `trace`, device
 * key provisioning (at registration, given, generated), ingest (accepted and forged), rotation and
 * revocation, a webhook registration and a TOTP enrolment are done through the HTTP API; then the
 * captured log and the SQLite files are searched for each secret in every usual encoding: device
 * secrets and content keys, the webhook and TOTP secrets, the server's audit signing key and
 * ECDH-ES encryption keys, and the demo seed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac, createPrivateKey, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let logged = '';
const sink = new Writable({
  write(chunk, _enc, done) {
    logged += chunk.toString();
    done();
  },
});

before(async () => {
  p = await startTestPlatform({ SEALWATCH_LOG_LEVEL: 'trace' }, { logger: { level: 'trace', stream: sink } });
});
after(() => p.cleanup());

const forms = (secret: string) => {
  const bytes = Buffer.from(secret, 'base64url');
  return [secret, bytes.toString('base64'), bytes.toString('hex')];
};
const hsMessage = (secret: string, device: string, seq: number) => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'HS256', kid: device })}.${b64({ device, seq, time: new Date().toISOString(), seal: { state: 'closed' } })}`;
  return `${input}.${createHmac('sha256', Buffer.from(secret, 'base64url')).update(input).digest('base64url')}`;
};

test('no device secret appears in the log or in the database files', async () => {
  const post = (url: string, body: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: body as object });
  const registered = randomBytes(32).toString('base64url');
  const given = randomBytes(32).toString('base64url');
  const contentKey = randomBytes(32).toString('base64url');
  const device = 'HS-LOG-1';
  const r = await post('/api/v1/devices', {
    id: device,
    class: 'active',
    kind: 'e_seal',
    protocol: 'native',
    key: { alg: 'HS256', secret: registered, contentKey },
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.ok(!r.body.includes(registered) && !r.body.includes(contentKey), 'the registration answer does not echo the secret');

  const ingest = (messages: string[]) => p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages } });
  const results = (await ingest([hsMessage(registered, device, 1), hsMessage(randomBytes(32).toString('base64url'), device, 2)])).json()
    .results;
  assert.deepEqual(
    results.map((x: { status: string }) => x.status),
    ['accepted', 'rejected'],
  );

  const k2 = await post(`/api/v1/devices/${device}/keys`, { alg: 'HS256', secret: given });
  assert.equal(k2.statusCode, 201, k2.body);
  assert.ok(!k2.body.includes(given));
  const k3 = await post(`/api/v1/devices/${device}/keys/${k2.json().key.keyId}/rotate`, { alg: 'HS256', generate: true, overlapS: 60 });
  assert.equal(k3.statusCode, 201, k3.body);
  const generated = k3.json().secret as string;
  assert.ok(generated, 'a generated secret is answered once');
  assert.equal((await ingest([hsMessage(generated, device, 3), hsMessage(given, device, 4)])).json().results[0].status, 'accepted');
  assert.equal((await post(`/api/v1/devices/${device}/keys/${k2.json().key.keyId}/revoke`, { reason: 'test' })).statusCode, 200);
  assert.equal((await ingest([hsMessage(given, device, 5)])).json().results[0].reason, 'key_revoked');
  const list = await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}/keys`, headers: p.auth });
  const shown = await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}`, headers: p.auth });

  const webhookSecret = `whsec-${randomBytes(24).toString('base64url')}`;
  assert.equal((await post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', secret: webhookSecret })).statusCode, 201);
  assert.equal((await post('/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' })).statusCode, 201);
  const user = await post('/api/v1/users', {
    username: 'amina',
    name: 'Amina',
    organisation: 'kra',
    roles: ['officer'],
    password: 'a long passphrase 42',
  });
  const totp = (await post(`/api/v1/users/${user.json().id}/totp`, {})).json().secret as string;
  assert.match(totp, /^[A-Z2-7]{32}$/);
  // The server's own secrets, as the process holds them (opened with the master key).
  const serverKeys: string[] = [];
  for (const name of ['audit_signing_key_pkcs8', 'ingest_encryption_key_p256_pkcs8', 'ingest_encryption_key_x25519_pkcs8'] as const) {
    const pkcs8 = (await p.secrets.get(name))!;
    const d = (
      createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }) as { d: string }
    ).d;
    serverKeys.push(pkcs8, Buffer.from(pkcs8, 'base64').toString('hex'), d);
  }
  const demoSeed = await p.secrets.getOrCreate('demo_seed', () => randomBytes(32).toString('base64url'));

  assert.ok(logged.length > 1000, 'the log captured the requests');
  const files = readdirSync(p.dir)
    .filter((f) => f.startsWith('sealwatch.db'))
    .map((f) => readFileSync(join(p.dir, f)).toString('latin1'));
  const text = (s: string) => [s, Buffer.from(s, 'utf8').toString('hex'), Buffer.from(s, 'utf8').toString('base64')];
  const all = [
    ...[registered, given, generated, contentKey, demoSeed].flatMap(forms),
    ...text(webhookSecret),
    ...text(totp),
    ...serverKeys.flatMap((k) => [k, ...(/^[A-Za-z0-9_-]+$/.test(k) ? forms(k) : [])]),
  ];
  for (const form of all) {
    assert.ok(!logged.includes(form), `a secret is in the log: ${form.slice(0, 6)}…`);
    assert.ok(!list.body.includes(form) && !shown.body.includes(form), 'a secret is shown after creation');
    for (const f of files) assert.ok(!f.includes(form), `a secret is stored in clear: ${form.slice(0, 6)}…`);
  }
});
