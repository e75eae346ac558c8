/**
 * Found by the third adversarial pass (2026-12-07): an administration's administrator registered
 * webhooks at the cloud metadata address and at the platform's own ingest, and read the status
 * codes of the server's calls in the delivery log. Receivers must be public addresses unless
 * SEALWATCH_WEBHOOK_ALLOW_PRIVATE says otherwise.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const secret = 'a-receiver-secret-0123456789';

before(async () => {
  p = await startTestPlatform({ SEALWATCH_WEBHOOK_ALLOW_PRIVATE: 'false' });
});
after(async () => {
  await p?.cleanup();
});

test('a webhook on a loopback, private or link-local address is refused with receiver_address_not_allowed; nothing is stored', async () => {
  for (const url of [
    'http://169.254.169.254/latest/meta-data',
    'http://127.0.0.1:8080/api/v1/ingest',
    'http://localhost:8080/',
    'http://[::1]/',
    'https://10.0.0.5/hook',
    'http://0.0.0.0:5432/',
  ]) {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/webhooks', headers: p.auth, payload: { url, secret } });
    assert.equal(r.statusCode, 422, `${url}: ${r.body}`);
    assert.equal(r.json().code, 'receiver_address_not_allowed', url);
  }
  const list = await p.http.inject({ method: 'GET', url: '/api/v1/webhooks', headers: p.auth });
  assert.deepEqual(list.json().items, []);
});
