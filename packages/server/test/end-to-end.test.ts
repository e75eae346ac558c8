/**
 * End to end over real sockets: a device signs with node:crypto, posts to the listening server,
 * and the seal_tampered alert arrives on the SSE stream read by a real HTTP client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let base: string;
const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

before(async () => {
  p = await startTestPlatform();
  await p.listen();
  base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
});
after(() => p.cleanup());

const b64 = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

test('a signed tamper message posted over TCP reaches the SSE stream as a critical alert', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const post = async (path: string, body: unknown) => {
    const r = await fetch(base + path, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    assert.ok(r.status < 300, `${path}: ${r.status} ${await r.clone().text()}`);
    return r.json();
  };
  for (const o of [mombasaOffice, malabaOffice]) await post('/api/v1/offices', o);
  await post('/api/v1/devices', {
    id: 'E2E-1',
    class: 'active',
    kind: 'e_lock',
    protocol: 'native',
    key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } },
  });
  const movement = await post('/api/v1/movements', buildMovementBody({ devices: ['E2E-1'] }));
  await post(`/api/v1/movements/${movement.id}/start`, {});

  // Subscribe first, then send.
  const abort = new AbortController();
  const stream = await fetch(`${base}/api/v1/stream?kinds=alert,observation`, {
    headers: { authorization: auth.authorization },
    signal: abort.signal,
  });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
  const seen: { event: string; data: any }[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) seen.push({ event, data: JSON.parse(data) });
        if (event === 'alert') return;
      }
    }
  })();

  const jws = (payload: object) => {
    const input = `${b64({ alg: 'EdDSA', kid: 'E2E-1' })}.${b64(payload)}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };
  const time = new Date().toISOString();
  const r = await fetch(`${base}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: jws({
      device: 'E2E-1',
      seq: 1,
      time,
      position: { lat: -3.5, lon: 38.9 },
      seal: { state: 'tampered', rope: 'inserted', lock: 'locked' },
    }),
  });
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).results, [{ device: 'E2E-1', seq: 1, status: 'accepted' }]);

  const timeout = setTimeout(() => abort.abort(), 10_000);
  await reading.catch(() => undefined);
  clearTimeout(timeout);
  abort.abort();
  const alert = seen.find((s) => s.event === 'alert');
  assert.ok(alert, `alert on the stream; saw ${seen.map((s) => s.event).join(',')}`);
  assert.equal(alert.data.type, 'seal_tampered');
  assert.equal(alert.data.severity, 'critical');
  assert.equal(alert.data.movement, movement.id);
  assert.equal(alert.data.device, 'E2E-1');
  const obs = seen.find((s) => s.event === 'observation');
  assert.equal(obs?.data.seal.state, 'tampered');
  assert.equal(obs?.data.trust, 'signed');
});
