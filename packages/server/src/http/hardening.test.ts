/**
 * Hardening: rate limits per client IP (sign-in, management API) and per device
 * (ingest), request size limits, no stack traces in answers, TLS for HTTP and the TCP device
 * listeners with a certificate made for the test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { ConfigError, loadConfig } from '../config/config';
import { startTestPlatform } from '../testing/test-platform';
import { TokenBuckets } from './rate-limit';
import { readTlsFiles } from './tls';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

test('a token bucket refills at its rate, caps at its burst, and can be charged into debt', () => {
  let now = 0;
  const b = new TokenBuckets({ perMinute: 60, burst: 3, now: () => now });
  assert.deepEqual([b.take('a'), b.take('a'), b.take('a')], [0, 0, 0]);
  assert.equal(b.take('a'), 1);
  now += 1000;
  assert.equal(b.take('a'), 0);
  now += 3_600_000;
  assert.deepEqual([b.take('a'), b.take('a'), b.take('a'), b.take('a')], [0, 0, 0, 1], 'never more than the burst');
  b.charge('a', 10);
  assert.equal(b.wait('a'), 11, 'a debt of 10 tokens at 1/s: 11 s until one is whole');
  assert.equal(b.take('b'), 0, 'keys are independent');
});

describe('rate limits', () => {
  let p: P;
  const key = generateDeviceKey('EdDSA');
  const msg = (device: string, seq: number) =>
    signMessage(device === 'RL-A' ? key : generateDeviceKey('EdDSA'), {
      device,
      seq,
      time: new Date().toISOString(),
      seal: { state: 'closed' },
    });
  const ingest = (jws: string, remoteAddress = '10.1.0.9') =>
    p.http.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': 'application/jose' }, payload: jws, remoteAddress });

  before(async () => {
    p = await startTestPlatform({
      SEALWATCH_RATE_LOGIN_PER_MIN: '3',
      SEALWATCH_RATE_API_PER_MIN: '20',
      SEALWATCH_RATE_DEVICE_PER_MIN: '2',
    });
    for (const [id, registration] of [
      ['RL-A', key.registration],
      ['RL-B', generateDeviceKey('EdDSA').registration],
    ] as const) {
      const r = await p.http.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: p.auth,
        payload: { id, class: 'active', kind: 'e_seal', protocol: 'native', key: registration },
        remoteAddress: '10.9.9.9',
      });
      assert.equal(r.statusCode, 201, r.body);
    }
  });
  after(() => p.cleanup());

  test('sign-in: the fourth attempt in a minute from one address is 429 with Retry-After; another address is not affected', async () => {
    const login = (remoteAddress: string) =>
      p.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'wrong password' },
        remoteAddress,
      });
    for (let i = 0; i < 3; i++) assert.equal((await login('10.0.0.1')).statusCode, 401);
    const limited = await login('10.0.0.1');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(limited.json().code, 'rate_limited');
    assert.ok(
      Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 20,
      String(limited.headers['retry-after']),
    );
    assert.equal((await login('10.0.0.2')).statusCode, 401);
  });

  test('management API: 20 requests a minute per address, then 429', async () => {
    const get = () => p.http.inject({ method: 'GET', url: '/api/v1/devices', headers: p.auth, remoteAddress: '10.0.0.3' });
    for (let i = 0; i < 20; i++) assert.equal((await get()).statusCode, 200, `request ${i + 1}`);
    const r = await get();
    assert.equal(r.statusCode, 429);
    // One request back every 3 s: at most 3 s to wait, less when the 20 took a while to send.
    const wait = Number(r.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= 3, String(r.headers['retry-after']));
    // Health and metrics, device ingest and the console are outside the management limit.
    assert.equal((await p.http.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.3' })).statusCode, 200);
  });

  test('per device: verified messages are charged; over budget is 429; forgeries under its id do not spend it', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await ingest(msg('RL-B', 100 + i))).json().results[0].reason, 'bad_signature');
    assert.equal(
      (await ingest(signMessage(generateDeviceKey('EdDSA'), { device: 'RL-B', seq: 1, time: new Date().toISOString() }))).statusCode,
      200,
    );
    assert.equal((await ingest(msg('RL-A', 1))).json().results[0].status, 'accepted');
    assert.equal((await ingest(msg('RL-A', 2))).json().results[0].status, 'accepted');
    const r = await ingest(msg('RL-A', 3));
    assert.equal(r.statusCode, 429);
    assert.equal(r.json().code, 'rate_limited');
    assert.ok(Number(r.headers['retry-after']) >= 1 && Number(r.headers['retry-after']) <= 30);
    assert.deepEqual(
      (await p.ctx.store.observations.listByDevice('RL-A' as never, {}, { limit: 5 })).items.map((o) => o.seq),
      [2, 1],
      'the refused message was not stored',
    );
  });
});

describe('size limits and errors', () => {
  let p: P;
  before(async () => {
    p = await startTestPlatform();
    p.http.get('/test/boom', async () => {
      throw new Error('secret detail from /etc/sealwatch/internal.ts:42');
    });
  });
  after(() => p.cleanup());

  test('a body over the limit is 413 payload_too_large: 256 KiB on the API, 2 MiB on ingest, 64 KiB per message', async () => {
    const office = await p.http.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: { ...p.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'X', name: 'x'.repeat(300 * 1024) }),
    });
    assert.deepEqual([office.statusCode, office.json().code], [413, 'payload_too_large']);
    const batch = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ messages: ['x'.repeat(3 * 1024 * 1024)] }),
    });
    assert.deepEqual([batch.statusCode, batch.json().code], [413, 'payload_too_large']);
    const one = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { 'content-type': 'application/jose' },
      payload: 'a'.repeat(65 * 1024),
    });
    assert.deepEqual([one.statusCode, one.json().code], [400, 'validation_failed']);
  });

  test('answers never carry a stack trace: an unexpected error is 500 internal_error with a request id only', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/test/boom', headers: { 'x-request-id': 'req-boom-1' } });
    assert.equal(r.statusCode, 500);
    assert.deepEqual(r.json(), {
      type: 'urn:sealwatch:problem:internal_error',
      title: 'internal error',
      status: 500,
      code: 'internal_error',
      detail: 'internal error; quote request id req-boom-1',
      instance: '/test/boom',
      requestId: 'req-boom-1',
    });
    for (const bad of [
      await p.http.inject({
        method: 'POST',
        url: '/api/v1/offices',
        headers: { ...p.auth, 'content-type': 'application/json' },
        payload: '{"code": ',
      }),
      await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: { ...p.auth, 'content-type': 'text/xml' }, payload: '<x/>' }),
      await p.http.inject({ method: 'GET', url: '/api/v1/devices/%E0%A4%A', headers: p.auth }),
    ]) {
      assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, bad.body);
      assert.doesNotMatch(bad.body, /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|stack/i, bad.body);
    }
    assert.doesNotMatch(r.body, /secret detail|\.ts:\d+|stack/i);
    for (const cookie of ['sw_session=%', 'sw_session=%E0%A4%A; sw_csrf=%zz']) {
      const odd = await p.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      assert.equal(odd.statusCode, 401, `${cookie}: ${odd.body}`);
    }
    assert.equal(r.headers['x-powered-by'], undefined);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  });
});

describe('secure defaults', () => {
  test('the HTTP server binds loopback unless SEALWATCH_HTTP_HOST says otherwise', () => {
    assert.equal(loadConfig({}).http.host, '127.0.0.1');
    assert.equal(loadConfig({ SEALWATCH_HTTP_HOST: '0.0.0.0' }).http.host, '0.0.0.0');
  });

  test("the database files are readable by the server's user only (0600)", async () => {
    const p = await startTestPlatform();
    try {
      await p.http.inject({
        method: 'POST',
        url: '/api/v1/offices',
        headers: p.auth,
        payload: { code: 'KEMBA', name: 'Mombasa', country: 'KE', area: { center: { lat: -4.04, lon: 39.67 }, radiusM: 2000 } },
      });
      const files = readdirSync(p.dir).filter((f) => /\.db(-wal|-shm)?$/.test(f));
      assert.ok(
        files.some((f) => f.endsWith('.db')),
        files.join(','),
      );
      for (const f of files) assert.equal((statSync(join(p.dir, f)).mode & 0o777).toString(8), '600', f);
    } finally {
      await p.cleanup();
    }
  });
});

describe(
  'TLS for HTTP and the TCP device listeners',
  { skip: !existsSync('/usr/bin/openssl') && !existsSync('/usr/local/bin/openssl') ? 'openssl not installed' : false },
  () => {
    let p: P;
    let dir: string;
    let cert: Buffer;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sealwatch-tls-'));
      // A self-signed P-256 certificate for 127.0.0.1, made for this test only.
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=sealwatch-test',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      cert = readTlsFiles({ certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') }).cert;
      p = await startTestPlatform({
        SEALWATCH_TLS_CERT: join(dir, 'cert.pem'),
        SEALWATCH_TLS_KEY: join(dir, 'key.pem'),
        SEALWATCH_TLS_LISTENERS: 'jt600,teltonika',
      });
      await p.listen();
    });
    after(async () => {
      await p?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('HTTP is served over HTTPS with the configured certificate', async () => {
      const port = (p.http.server.address() as { port: number }).port;
      const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        httpsRequest({ host: '127.0.0.1', port, path: '/healthz', ca: cert }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(body.status, 200);
      // Signed in over TLS, the session cookies are Secure although SEALWATCH_COOKIE_SECURE is unset.
      assert.equal(
        (
          await p.http.inject({
            method: 'POST',
            url: '/api/v1/organisations',
            headers: p.auth,
            payload: { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' },
          })
        ).statusCode,
        201,
      );
      assert.equal(
        (
          await p.http.inject({
            method: 'POST',
            url: '/api/v1/users',
            headers: p.auth,
            payload: { username: 'tls.user', name: 'T', organisation: 'kra', roles: ['operator'], password: 'a long passphrase 42' },
          })
        ).statusCode,
        201,
      );
      const cookies = await new Promise<string[]>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/auth/login',
            method: 'POST',
            ca: cert,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(([] as string[]).concat(res.headers['set-cookie'] ?? [])));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ username: 'tls.user', password: 'a long passphrase 42' }));
      });
      assert.equal(cookies.length, 2, cookies.join(' | '));
      for (const c of cookies) assert.match(c, /; Secure/, c);
      // Plain HTTP on the same port gets no answer from the API.
      const plain = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      assert.notEqual(plain, 200);
    });

    test('a listener named in SEALWATCH_TLS_LISTENERS completes a verified TLS handshake; the others stay plain TCP', async () => {
      const jt600 = p.listeners().jt600;
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s = tlsConnect({ host: '127.0.0.1', port: jt600, ca: cert, servername: 'localhost' }, () => {
          resolve(s.authorized);
          s.end();
        });
        s.on('error', reject);
      });
      assert.equal(authorized, true);
      const rejectsUnknownCa = await new Promise<string>((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port: jt600 }, () => resolve('connected'));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      assert.equal(rejectsUnknownCa, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      // GT06 is not in the list: a plain TCP connection is accepted and a TLS ClientHello is not answered with a certificate.
      const gt06 = p.listeners().gt06;
      await new Promise<void>((resolve, reject) => {
        const s = netConnect(gt06, '127.0.0.1', () => {
          s.end();
          resolve();
        });
        s.on('error', reject);
      });
    });

    test('TLS settings are checked at start: both files or neither, known listeners only, a key that matches', () => {
      assert.throws(() => loadConfig({ SEALWATCH_TLS_CERT: '/x.pem' }), /SEALWATCH_TLS_CERT, SEALWATCH_TLS_KEY: set both or neither/);
      assert.throws(() => loadConfig({ SEALWATCH_TLS_LISTENERS: 'jt600' }), /needs SEALWATCH_TLS_CERT/);
      assert.throws(
        () => loadConfig({ SEALWATCH_TLS_CERT: '/c', SEALWATCH_TLS_KEY: '/k', SEALWATCH_TLS_LISTENERS: 'jt600,ftp' }),
        (e) => e instanceof ConfigError && /ftp is not a TCP device listener/.test(e.message),
      );
      assert.deepEqual(
        loadConfig({ SEALWATCH_TLS_CERT: '/c', SEALWATCH_TLS_KEY: '/k', SEALWATCH_TLS_LISTENERS: 'jt808, gt06' }).tlsListeners,
        ['jt808', 'gt06'],
      );
      const other = join(dir, 'other.pem');
      execFileSync('openssl', ['genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', other], {
        stdio: 'ignore',
      });
      assert.throws(() => readTlsFiles({ certFile: join(dir, 'cert.pem'), keyFile: other }), /is not the private key of/);
      writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
      assert.throws(() => readTlsFiles({ certFile: join(dir, 'junk.pem'), keyFile: other }), /is not a PEM certificate/);
      assert.throws(() => readTlsFiles({ certFile: join(dir, 'missing.pem'), keyFile: other }), /cannot read the TLS certificate .*ENOENT/);
    });
  },
);
