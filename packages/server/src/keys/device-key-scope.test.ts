/**
 * Who manages device keys: a device provider its own devices' keys only (another's device is 404,
 * as for every item outside a scope), an auditor reads public parts and changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const tokens: Record<string, string> = {};
const call = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
  p.http.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

before(async () => {
  p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
  const admin = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });
  for (const o of [
    { id: 'lockco', name: 'LockCo', kind: 'device_provider' },
    { id: 'sealco', name: 'SealCo', kind: 'device_provider' },
    { id: 'court', name: 'Court', kind: 'auditor' },
  ]) {
    assert.equal((await admin('/api/v1/organisations', o)).statusCode, 201);
  }
  for (const [name, org, role] of [
    ['lock', 'lockco', 'device_provider'],
    ['seal', 'sealco', 'device_provider'],
    ['judge', 'court', 'auditor'],
  ]) {
    const u = await admin('/api/v1/users', {
      username: `${name}.user`,
      name,
      organisation: org,
      roles: [role],
      password: `pw-${name}-long-enough`,
    });
    assert.equal(u.statusCode, 201, u.body);
    tokens[name] = (await admin('/api/v1/tokens', { name, user: u.json().id })).json().token;
  }
  const created = await call('POST', '/api/v1/devices', tokens.lock, {
    id: 'LOCK-1',
    class: 'active',
    kind: 'e_lock',
    protocol: 'native',
    key: generateDeviceKey('ES256').registration,
  });
  assert.equal(created.statusCode, 201, created.body);
});
after(() => p.cleanup());

test("a device provider manages its own devices' keys and cannot see or touch another's", async () => {
  const mine = await call('POST', '/api/v1/devices/LOCK-1/keys', tokens.lock, { alg: 'HS256', generate: true });
  assert.equal(mine.statusCode, 201, mine.body);
  const keyId = mine.json().key.keyId;
  assert.equal((await call('GET', '/api/v1/devices/LOCK-1/keys', tokens.lock)).json().items.length, 2);
  assert.equal((await call('GET', '/api/v1/devices/LOCK-1/keys', tokens.seal)).statusCode, 404);
  assert.equal((await call('POST', '/api/v1/devices/LOCK-1/keys', tokens.seal, { alg: 'EdDSA', generate: true })).statusCode, 404);
  assert.equal((await call('POST', `/api/v1/devices/LOCK-1/keys/${keyId}/revoke`, tokens.seal, { reason: 'x' })).statusCode, 404);
  assert.equal(
    (await call('POST', `/api/v1/devices/LOCK-1/keys/${keyId}/revoke`, tokens.lock, { reason: 'retired unit' })).statusCode,
    200,
  );
  assert.equal(
    (await call('POST', '/api/v1/devices/LOCK-1/keys/nope/revoke', tokens.lock, { reason: 'x' })).json().code,
    'unknown_device_key',
  );
});

test('an auditor reads the public parts of keys and changes none', async () => {
  const list = await call('GET', '/api/v1/devices/LOCK-1/keys', tokens.judge);
  assert.equal(list.statusCode, 200, list.body);
  const [k1] = list.json().items;
  assert.ok(k1.jwk.x && !('d' in k1.jwk));
  assert.equal(
    (await call('POST', `/api/v1/devices/LOCK-1/keys/${k1.keyId}/rotate`, tokens.judge, { alg: 'ES256', generate: true })).statusCode,
    403,
  );
});

test('limits: at most three usable keys; only an active key is rotated; bad material is refused', async () => {
  const add = () => call('POST', '/api/v1/devices/LOCK-1/keys', tokens.lock, { alg: 'EdDSA', generate: true });
  assert.equal((await add()).statusCode, 201);
  assert.equal((await add()).statusCode, 201);
  const fourth = await add();
  assert.equal(fourth.statusCode, 409);
  assert.equal(fourth.json().code, 'device_key_limit');
  const revoked = (await call('GET', '/api/v1/devices/LOCK-1/keys', tokens.lock))
    .json()
    .items.find((k: { status: string }) => k.status === 'revoked');
  const r = await call('POST', `/api/v1/devices/LOCK-1/keys/${revoked.keyId}/rotate`, tokens.lock, { alg: 'EdDSA', generate: true });
  assert.equal(r.statusCode, 409);
  assert.equal(r.json().code, 'invalid_transition');
  const short = await call('POST', '/api/v1/devices/LOCK-1/keys', tokens.lock, { alg: 'HS256', secret: 'c2hvcnQ' });
  assert.equal(short.statusCode, 422);
  assert.equal(short.json().code, 'invalid_device_key');
});
