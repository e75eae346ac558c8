/**
 * API tokens made by tokens: a token is never wider than the token or session that makes it, minting
 * needs the tokens.create permission, and no token can enrol or replace a second factor.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('tokens minting tokens', () => {
  let p: P;
  let userId = '';
  const admin = (method: string, url: string, payload?: unknown) =>
    p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const as = (token: string, method: string, url: string, payload?: unknown) =>
    p.http.inject({
      method: method as 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const signIn = async () => {
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'wanjiru', password: 'a long passphrase 77' },
    });
    assert.equal(r.statusCode, 200, r.body);
    const jar = Object.fromEntries(
      ([] as string[]).concat(r.headers['set-cookie'] as string[]).map((c) => c.split(';')[0].split('=') as [string, string]),
    );
    return { cookie: `sw_session=${jar.sw_session}; sw_csrf=${jar.sw_csrf}`, 'x-sealwatch-csrf': jar.sw_csrf };
  };

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
    assert.equal(
      (await admin('POST', '/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' })).statusCode,
      201,
    );
    const u = await admin('POST', '/api/v1/users', {
      username: 'wanjiru',
      name: 'Wanjiru',
      organisation: 'kra',
      roles: ['supervisor'],
      password: 'a long passphrase 77',
    });
    assert.equal(u.statusCode, 201, u.body);
    userId = u.json().id;
  });
  after(() => p.cleanup());

  test('minting a token needs tokens.create: a read-only token cannot mint', async () => {
    const readOnly = (await admin('POST', '/api/v1/tokens', { name: 'dashboard', user: userId, scopes: ['movements.read'] })).json().token;
    const r = await as(readOnly, 'POST', '/api/v1/tokens', { name: 'escalated' });
    assert.equal(r.statusCode, 403, r.body);
    assert.equal(r.json().code, 'forbidden');
  });

  test("a token's child defaults to the token's scopes, not the user's, and cannot ask for more", async () => {
    const parent = await admin('POST', '/api/v1/tokens', { name: 'bridge', user: userId, scopes: ['movements.read', 'tokens.create'] });
    assert.equal(parent.statusCode, 201, parent.body);
    const child = await as(parent.json().token, 'POST', '/api/v1/tokens', { name: 'child' });
    assert.equal(child.statusCode, 201, child.body);
    assert.deepEqual([...child.json().scopes].sort(), ['movements.read', 'tokens.create']);
    assert.equal((await as(child.json().token, 'GET', '/api/v1/alerts')).statusCode, 403, 'the child reads no more than its parent');
    const wider = await as(parent.json().token, 'POST', '/api/v1/tokens', { name: 'wider', scopes: ['movements.read', 'audit.read'] });
    assert.equal(wider.statusCode, 422, wider.body);
    assert.deepEqual(wider.json().details?.beyond ?? wider.json().beyond, ['audit.read']);
  });

  test('a token made by a token expires no later than its maker', async () => {
    const parent = await admin('POST', '/api/v1/tokens', {
      name: 'one day',
      user: userId,
      scopes: ['movements.read', 'tokens.create'],
      expiresInDays: 1,
    });
    assert.equal(parent.statusCode, 201, parent.body);
    const parentExpiry = parent.json().expiresAt;
    assert.ok(parentExpiry, parent.body);
    for (const body of [{ name: 'no expiry asked' }, { name: 'ten years asked', expiresInDays: 3650 }]) {
      const child = await as(parent.json().token, 'POST', '/api/v1/tokens', body);
      assert.equal(child.statusCode, 201, child.body);
      assert.equal(child.json().expiresAt, parentExpiry, body.name);
    }
  });

  test('revoking a token revokes the tokens it made, and theirs, at once', async () => {
    const parent = await admin('POST', '/api/v1/tokens', { name: 'bridge', user: userId, scopes: ['movements.read', 'tokens.create'] });
    const child = await as(parent.json().token, 'POST', '/api/v1/tokens', { name: 'child' });
    const grandchild = await as(child.json().token, 'POST', '/api/v1/tokens', { name: 'grandchild' });
    const sibling = await admin('POST', '/api/v1/tokens', { name: 'other system', user: userId, scopes: ['movements.read'] });
    assert.equal(grandchild.statusCode, 201, grandchild.body);
    assert.equal(child.json().maker, parent.json().id);
    assert.equal(grandchild.json().maker, child.json().id);
    for (const t of [parent, child, grandchild, sibling])
      assert.equal((await as(t.json().token, 'GET', '/api/v1/movements')).statusCode, 200);

    assert.equal((await admin('DELETE', `/api/v1/tokens/${parent.json().id}`)).statusCode, 204);
    for (const t of [parent, child, grandchild]) {
      assert.equal((await as(t.json().token, 'GET', '/api/v1/movements')).statusCode, 401, t.json().name);
      assert.equal((await as(t.json().token, 'POST', '/api/v1/tokens', { name: 'escape' })).statusCode, 401, t.json().name);
    }
    assert.equal((await as(sibling.json().token, 'GET', '/api/v1/movements')).statusCode, 200, 'a token of another chain still works');
    const listed = (await admin('GET', '/api/v1/tokens')).json().items as { id: string; revokedAt: string | null }[];
    const revokedAt = (id: string) => listed.find((t) => t.id === id)?.revokedAt;
    assert.ok(revokedAt(child.json().id) && revokedAt(grandchild.json().id), 'the revocation is written down the chain');
    assert.equal(revokedAt(sibling.json().id), null);
  });

  test("a session mints a token with the user's rights by default", async () => {
    const headers = await signIn();
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'from the console' } });
    assert.equal(r.statusCode, 201, r.body);
    assert.ok(r.json().scopes.includes('audit.read') && !r.json().scopes.includes('users.manage'), r.body);
  });

  test('no token enrols or replaces a second factor; a session needs the password', async () => {
    const full = (await admin('POST', '/api/v1/tokens', { name: 'full', user: userId })).json().token;
    const own = await as(full, 'POST', '/api/v1/auth/totp', { password: 'a long passphrase 77' });
    assert.equal(own.statusCode, 403, own.body);
    assert.equal(own.json().code, 'session_required');
    const headers = await signIn();
    const wrong = await p.http.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload: { password: 'not my password' } });
    assert.equal(wrong.statusCode, 401, wrong.body);
    assert.equal(wrong.json().code, 'invalid_credentials');
    const missing = await p.http.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload: {} });
    assert.equal(missing.statusCode, 400, missing.body);
    const ok = await p.http.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload: { password: 'a long passphrase 77' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.match(ok.json().uri, /^otpauth:\/\/totp\//);
  });

  test("an administrator's API token cannot replace another user's second factor", async () => {
    const adminUser = await admin('POST', '/api/v1/users', {
      username: 'root.person',
      name: 'Root',
      organisation: 'platform',
      roles: ['admin'],
      password: 'admin passphrase 123',
    });
    assert.equal(adminUser.statusCode, 201, adminUser.body);
    const adminToken = (await admin('POST', '/api/v1/tokens', { name: 'automation', user: adminUser.json().id })).json().token;
    const r = await as(adminToken, 'POST', `/api/v1/users/${userId}/totp`);
    assert.equal(r.statusCode, 403, r.body);
    assert.equal(r.json().code, 'session_required');
    assert.equal((await admin('POST', `/api/v1/users/${userId}/totp`)).statusCode, 200, 'the installation token still can');
  });
});
