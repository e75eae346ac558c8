/**
 * A device answers to its id, IMEI, EPC and seal number; vendor frames and trade documents are
 * stored under the device they name. Found by an adversarial pass: a provider registered a second
 * device with a victim's IMEI (or with the victim's IMEI as its id) and the victim's JT600 frames
 * were stored under the provider's record. Each name now belongs to one device.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const register = (body: Record<string, unknown>) =>
  p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { class: 'active', kind: 'e_lock', protocol: 'jt600', ...body },
  });

before(async () => {
  p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' });
});
after(async () => {
  await p?.cleanup();
});

test('no second device may answer to a name another device answers to', async () => {
  assert.equal((await register({ id: 'VICTIM-1', identifiers: { imei: '356000000000002', sealNumber: 'KE-0001' } })).statusCode, 201);
  assert.equal((await register({ id: '356000000000007' })).statusCode, 201);
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['the same IMEI', { id: 'THIEF-1', identifiers: { imei: '356000000000002' } }, 'identifiers.imei'],
    ['an id that is that IMEI', { id: '356000000000002' }, 'id'],
    ['an IMEI that is its id', { id: 'THIEF-3', identifiers: { imei: '356000000000007' } }, 'identifiers.imei'],
    ['the same seal number', { id: 'THIEF-4', identifiers: { sealNumber: 'KE-0001' } }, 'identifiers.sealNumber'],
  ];
  for (const [why, body, field] of cases) {
    const r = await register(body);
    assert.equal(r.statusCode, 409, `${why}: ${r.body}`);
    assert.equal(r.json().code, 'device_identifier_taken', why);
    assert.equal(r.json().details?.field ?? r.json().field, field, why);
    assert.doesNotMatch(r.body, /VICTIM-1|THIEF/, `${why}: the refusal names no device`);
  }
  // A device whose id is its own IMEI (as approving a pending device registers it) is fine.
  assert.equal((await register({ id: '356000000000009', identifiers: { imei: '356000000000009' } })).statusCode, 201);
  const found = await p.ctx.store.devices.findByIdentifier('imei', '356000000000002');
  assert.equal(found?.id, 'VICTIM-1');
});
