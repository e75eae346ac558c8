/**
 * Small defaults found by the adversarial pass of 2026-12-07: a device under the protocol reserved
 * for partners' copies, API tokens that outlived an administrator's password reset, and
 * authenticated answers a shared cache or the browser's history could keep.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../testing/test-platform';

let p: Awaited<ReturnType<typeof startTestPlatform>>;
const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });

before(async () => {
  p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
  const r = await admin('POST', '/api/v1/organisations', { id: 'sealtrack', name: 'SealTrack', kind: 'device_provider' });
  assert.equal(r.statusCode, 201, r.body);
});
after(() => p.cleanup());

test('no device is registered under the protocol reserved for federation copies', async () => {
  const u = await admin('POST', '/api/v1/users', {
    username: 'prov',
    name: 'prov',
    organisation: 'sealtrack',
    roles: ['device_provider'],
    password: 'pw-prov-long-enough',
  });
  const token = (await admin('POST', '/api/v1/tokens', { name: 'prov', user: u.json().id })).json().token;
  for (const headers of [{ authorization: `Bearer ${token}` }, p.auth]) {
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers,
      payload: { id: 'FED-LOOKALIKE-1', class: 'active', kind: 'tracker', protocol: 'federation' },
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.match(r.body, /reserved/);
  }
});

test("an administrator's password reset revokes the user's API tokens, as it ends their sessions", async () => {
  const u = await admin('POST', '/api/v1/users', {
    username: 'ops.bot',
    name: 'ops',
    organisation: 'platform',
    roles: ['operator'],
    password: 'pw-ops-long-enough',
  });
  const token = (await admin('POST', '/api/v1/tokens', { name: 'integration', user: u.json().id })).json().token;
  const use = () => p.http.inject({ method: 'GET', url: '/api/v1/movements', headers: { authorization: `Bearer ${token}` } });
  assert.equal((await use()).statusCode, 200);
  assert.equal((await admin('PATCH', `/api/v1/users/${u.json().id}`, { roles: ['operator'] })).statusCode, 200);
  assert.equal((await use()).statusCode, 200, 'other changes leave tokens alone');
  assert.equal((await admin('PATCH', `/api/v1/users/${u.json().id}`, { password: 'a new passphrase 2026' })).statusCode, 200);
  assert.equal((await use()).statusCode, 401);
});

test('authenticated answers carry Cache-Control: no-store, sign-in included', async () => {
  for (const url of ['/api/v1/movements', '/api/v1/devices', '/api/v1/auth/me']) {
    const r = await admin('GET', url);
    assert.equal(r.headers['cache-control'], 'no-store', `${url}: ${r.statusCode}`);
  }
  const refused = await p.http.inject({ method: 'GET', url: '/api/v1/movements' });
  assert.equal(refused.statusCode, 401);
  const login = await p.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'prov', password: 'pw-prov-long-enough' },
  });
  assert.equal(login.statusCode, 200, login.body);
  assert.equal(login.headers['cache-control'], 'no-store');
});
