import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { totpCode } from './totp';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('sign-in, sessions and API tokens', () => {
  let p: P;
  let userId = '';
  const admin = (method: string, url: string, payload?: unknown) =>
    p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const login = (username: string, password: string, totp?: string, remoteAddress = '127.0.0.1') =>
    p.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(totp ? { totp } : {}) }, remoteAddress });
  const cookiesOf = (res: { headers: Record<string, unknown> }) => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
    return Object.fromEntries(set.map((c) => c.split(';')[0].split('=') as [string, string]));
  };

  before(async () => {
    // The per-address sign-in rate limit is hardening.test.ts's subject; here only the per-user delay answers 429.
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_RATE_LOGIN_PER_MIN: '10000' });
    assert.equal(
      (await admin('POST', '/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' })).statusCode,
      201,
    );
    const u = await admin('POST', '/api/v1/users', {
      username: 'amina',
      name: 'Amina Odhiambo',
      organisation: 'kra',
      roles: ['officer'],
      password: 'a long passphrase 42',
    });
    assert.equal(u.statusCode, 201, u.body);
    userId = u.json().id;
    assert.equal(JSON.stringify(u.json()).includes('scrypt'), false, 'the password hash never leaves the server');
  });
  after(() => p.cleanup());

  test('a role the organisation cannot give is refused', async () => {
    const r = await admin('POST', '/api/v1/users', {
      username: 'mallory',
      name: 'M',
      organisation: 'kra',
      roles: ['trader'],
      password: 'another long password',
    });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().code, 'invalid_role');
  });

  test('the console session: HttpOnly SameSite cookie, CSRF on changes, logout ends it', async () => {
    assert.equal((await login('amina', 'wrong password')).statusCode, 401);
    const ok = await login('amina', 'a long passphrase 42');
    assert.equal(ok.statusCode, 200, ok.body);
    const setCookies = ([] as string[]).concat(ok.headers['set-cookie'] as string[]);
    assert.match(
      setCookies.find((c) => c.startsWith('sw_session='))!,
      /HttpOnly; ?|; HttpOnly/,
    );
    assert.match(
      setCookies.find((c) => c.startsWith('sw_session='))!,
      /SameSite=Strict/,
    );
    assert.doesNotMatch(
      setCookies.find((c) => c.startsWith('sw_csrf='))!,
      /HttpOnly/,
    );
    const { sw_session: session, sw_csrf: csrf } = cookiesOf(ok);
    const cookie = `sw_session=${session}; sw_csrf=${csrf}`;
    const me = await p.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual([me.json().name, me.json().roles, me.json().organisation.country], ['Amina Odhiambo', ['officer'], 'KE']);
    assert.ok(me.json().permissions.includes('movements.write') && !me.json().permissions.includes('users.manage'));

    const office = { code: 'KEMBA', name: 'Mombasa', country: 'KE', area: { center: { lat: -4.04, lon: 39.67 }, radiusM: 2000 } };
    const noCsrf = await p.http.inject({ method: 'POST', url: '/api/v1/movements/x/start', headers: { cookie }, payload: {} });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'csrf_failed');
    const withCsrf = await p.http.inject({
      method: 'POST',
      url: '/api/v1/movements/x/start',
      headers: { cookie, 'x-sealwatch-csrf': csrf },
      payload: {},
    });
    assert.equal(withCsrf.statusCode, 404, 'past the CSRF check, the unknown movement answers');
    const forbidden = await p.http.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: { cookie, 'x-sealwatch-csrf': csrf },
      payload: office,
    });
    assert.equal(forbidden.statusCode, 403, 'an officer may not register offices');

    const crossSite = await p.http.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    assert.equal(crossSite.statusCode, 403, 'signing out without the CSRF value is refused: another site cannot end the session');
    assert.equal(crossSite.json().code, 'csrf_failed');
    assert.equal((await p.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 200, 'still signed in');
    const out = await p.http.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-sealwatch-csrf': csrf } });
    assert.equal(out.statusCode, 204);
    assert.equal((await p.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
    assert.equal(
      (await p.http.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
      204,
      'an ended session clears its cookies without the CSRF value',
    );
  });

  test('after five failures from one address that address waits, the right password too; another address is not delayed', async () => {
    await admin('POST', '/api/v1/users', {
      username: 'bob',
      name: 'Bob',
      organisation: 'kra',
      roles: ['operator'],
      password: 'bob has a long password',
    });
    for (let i = 0; i < 5; i++) assert.equal((await login('bob', `guess ${i}`, undefined, '10.6.0.1')).statusCode, 401);
    assert.equal((await login('bob', 'guess 5', undefined, '10.6.0.1')).statusCode, 401);
    const delayed = await login('bob', 'bob has a long password', undefined, '10.6.0.1');
    assert.equal(delayed.statusCode, 429);
    assert.equal(delayed.json().code, 'too_many_attempts');
    assert.ok(Number(delayed.headers['retry-after']) >= 1);
    assert.equal(
      (await login('bob', 'bob has a long password', undefined, '10.6.0.2')).statusCode,
      200,
      'a guesser elsewhere does not lock Bob out',
    );
  });

  test('parallel wrong passwords cannot outrun the delay: at most six are checked', async () => {
    await admin('POST', '/api/v1/users', {
      username: 'carol',
      name: 'Carol',
      organisation: 'kra',
      roles: ['operator'],
      password: 'carol has a long password',
    });
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => login('carol', `parallel guess ${i}`, undefined, '10.6.1.1')));
    const codes = answers.map((r) => r.statusCode);
    assert.equal(codes.filter((c) => c === 401).length, 6, codes.join(','));
    assert.equal(codes.filter((c) => c === 429).length, 18, codes.join(','));
  });

  test('a known and an unknown username get the same answers', async () => {
    const run = async (username: string, remoteAddress: string) => {
      const out: string[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await login(username, `wrong ${i}`, undefined, remoteAddress);
        out.push(`${r.statusCode} ${r.json().code}`);
      }
      return out;
    };
    assert.deepEqual(await run('amina', '10.6.2.1'), await run('no-such-person', '10.6.2.2'));
  });

  test('a second factor: enrolled users need the current TOTP code', async () => {
    const enrol = await p.http.inject({ method: 'POST', url: `/api/v1/users/${userId}/totp`, headers: p.auth });
    assert.equal(enrol.statusCode, 200, enrol.body);
    const { secret, uri } = enrol.json();
    assert.match(uri, /^otpauth:\/\/totp\/Sealwatch:amina\?secret=[A-Z2-7]+&issuer=Sealwatch$/);
    assert.equal((await login('amina', 'a long passphrase 42')).json().code, 'totp_required');
    assert.equal((await login('amina', 'a long passphrase 42', '000000')).statusCode, 401);
    const code = totpCode(secret, Date.now());
    assert.equal((await login('amina', 'a long passphrase 42', code)).statusCode, 200);
    const again = await login('amina', 'a long passphrase 42', code);
    assert.equal(again.statusCode, 401, 'a code is used once');
    assert.equal(again.json().code, 'invalid_credentials');
    assert.equal(
      (await login('amina', 'a long passphrase 42', totpCode(secret, Date.now() - 30_000))).statusCode,
      401,
      'nor an older one after it',
    );
  });

  test('API tokens: scoped, never wider than the user, revocable', async () => {
    const narrow = await admin('POST', '/api/v1/tokens', { name: 'NCTS bridge', user: userId, scopes: ['movements.read'] });
    assert.equal(narrow.statusCode, 201, narrow.body);
    assert.match(narrow.json().token, /^swt_/);
    const bearer = { authorization: `Bearer ${narrow.json().token}` };
    assert.equal((await p.http.inject({ method: 'GET', url: '/api/v1/movements', headers: bearer })).statusCode, 200);
    assert.equal((await p.http.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer })).statusCode, 403);
    const wide = await admin('POST', '/api/v1/tokens', { name: 'too much', user: userId, scopes: ['users.manage'] });
    assert.equal(wide.statusCode, 422);
    const listed = (await admin('GET', '/api/v1/tokens')).json().items;
    assert.equal(JSON.stringify(listed).includes(narrow.json().token), false, 'tokens are listed without their secret');
    assert.equal((await admin('DELETE', `/api/v1/tokens/${narrow.json().id}`)).statusCode, 204);
    assert.equal((await p.http.inject({ method: 'GET', url: '/api/v1/movements', headers: bearer })).statusCode, 401);
  });
});
