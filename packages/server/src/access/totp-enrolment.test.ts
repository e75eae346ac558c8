/**
 * Changing one's own second factor (`POST /auth/totp`), found by the adversarial pass of 2026-12-07:
 * it was an unthrottled password check beside the login (40 wrong passwords, 40 × 401, never a 429),
 * and it replaced an enrolled factor with the password alone. Failures now count with sign-in's per
 * username and source, and replacing an enrolled factor needs its current code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../testing/test-platform';
import { totpCode } from './totp';

let p: Awaited<ReturnType<typeof startTestPlatform>>;
const password = (u: string) => `pw-${u}-long-enough`;

const signIn = async (username: string, totp?: string) => {
  const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: password(username), totp } });
  assert.equal(r.statusCode, 200, r.body);
  const jar = Object.fromEntries(
    ([] as string[]).concat(r.headers['set-cookie'] as string[]).map((c) => c.split(';')[0].split('=') as [string, string]),
  );
  return { cookie: `sw_session=${jar.sw_session}; sw_csrf=${jar.sw_csrf}`, 'x-sealwatch-csrf': jar.sw_csrf };
};
const enrol = (headers: Record<string, string>, payload: Record<string, string>) =>
  p.http.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload });

before(async () => {
  p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
  for (const username of ['amina', 'baraka']) {
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: p.auth,
      payload: { username, name: username, organisation: 'platform', roles: ['operator'], password: password(username) },
    });
    assert.equal(r.statusCode, 201, r.body);
  }
});
after(() => p.cleanup());

test('wrong passwords on the enrolment are delayed like sign-in (429 with Retry-After), and count for the sign-in too', async () => {
  const headers = await signIn('amina');
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await enrol(headers, { password: `wrong guess ${i}` })).statusCode);
  // As at sign-in: five failures, then a delay; at most six guesses of a burst are checked.
  assert.deepEqual(statuses.slice(0, 6), [401, 401, 401, 401, 401, 401]);
  assert.deepEqual(statuses.slice(6), [429, 429], statuses.join(','));
  const limited = await enrol(headers, { password: password('amina') });
  assert.equal(limited.statusCode, 429, 'even the right password waits its turn');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal(limited.json().code, 'too_many_attempts');
  const login = await p.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'amina', password: password('amina') },
  });
  assert.equal(login.statusCode, 429, 'the same (user, address) pair is delayed at sign-in');
});

test('an enrolled factor is replaced only with its current code, not with the password alone', async () => {
  const headers = await signIn('baraka');
  const first = await enrol(headers, { password: password('baraka') });
  assert.equal(first.statusCode, 200, first.body);
  const secret = first.json().secret as string;

  const passwordOnly = await enrol(headers, { password: password('baraka') });
  assert.equal(passwordOnly.statusCode, 401, passwordOnly.body);
  assert.equal(passwordOnly.json().code, 'totp_required');
  const wrongCode = await enrol(headers, { password: password('baraka'), totp: totpCode(secret, Date.now() + 10 * 60_000) });
  assert.equal(wrongCode.statusCode, 401);
  assert.equal(wrongCode.json().code, 'invalid_credentials');

  const replaced = await enrol(headers, { password: password('baraka'), totp: totpCode(secret, Date.now()) });
  assert.equal(replaced.statusCode, 200, replaced.body);
  assert.notEqual(replaced.json().secret, secret);
});
