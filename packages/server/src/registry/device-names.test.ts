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
  // Names are compared without case (found by an adversarial pass: a second provider registered a
  // LoRaWAN seal's DevEUI in upper case and the uplinks of the seal on its movement went to it).
  assert.equal((await register({ id: 'TAG-HOLDER', identifiers: { epc: '3074257bf7194e4000001a85' } })).statusCode, 201);
  const twins: Array<[string, Record<string, unknown>, string, string | null]> = [
    ['an id differing only in case', { id: 'victim-1' }, 'device_exists', null],
    ['a DevEUI in upper case', { id: '70B3D57ED0000002' }, 'device_exists', null],
    [
      'a seal number in another case',
      { id: 'THIEF-5', identifiers: { sealNumber: 'ke-0001' } },
      'device_identifier_taken',
      'identifiers.sealNumber',
    ],
    [
      'an EPC in upper case',
      { id: 'THIEF-6', identifiers: { epc: '3074257BF7194E4000001A85' } },
      'device_identifier_taken',
      'identifiers.epc',
    ],
  ];
  assert.equal((await register({ id: '70b3d57ed0000002', protocol: 'lorawan' })).statusCode, 201);
  for (const [why, body, code, field] of twins) {
    const r = await register(body);
    assert.equal(r.statusCode, 409, `${why}: ${r.body}`);
    assert.equal(r.json().code, code, why);
    if (field) assert.equal(r.json().details?.field ?? r.json().field, field, why);
  }
  // A device whose id is its own IMEI (as approving a pending device registers it) is fine.
  assert.equal((await register({ id: '356000000000009', identifiers: { imei: '356000000000009' } })).statusCode, 201);
  const found = await p.ctx.store.devices.findByIdentifier('imei', '356000000000002');
  assert.equal(found?.id, 'VICTIM-1');
  assert.equal((await p.ctx.store.devices.findByIdentifier('id', 'VICTIM-1'.toLowerCase()))?.id, 'VICTIM-1');
});
