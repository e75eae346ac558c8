/**
 * Content keys during a key rotation: a device behind on its rotation still encrypts
 * with its old key's content key, and the new key's content key works at once; once the old key
 * is revoked, its content key opens nothing any more.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';
import { encryptCoseEncrypt0, encryptJweDir } from '../testing/payload-encrypter';
import { signCose } from '../testing/cose-signer';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const device = 'ROT-CK-1';
const oldKey = generateDeviceKey('EdDSA');
const newKey = generateDeviceKey('EdDSA');
const oldCek = randomBytes(32);
const newCek = randomBytes(32);
const payload = (seq: number) => ({ device, seq, time: new Date().toISOString(), seal: { state: 'closed' } });
const ingest = async (body: string | Buffer, type = 'application/jose') =>
  (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': type }, payload: body })).json().results[0];

before(async () => {
  p = await startTestPlatform();
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: {
      id: device,
      class: 'active',
      kind: 'e_seal',
      protocol: 'native',
      key: { ...oldKey.registration, contentKey: oldCek.toString('base64url') },
    },
  });
  assert.equal(r.statusCode, 201, r.body);
});
after(() => p.cleanup());

test('during the overlap, messages under the retiring and the new content key both decrypt; after revocation the old one is decryption_failed', async () => {
  const keyId = (await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}/keys`, headers: p.auth })).json().items[0].keyId;
  const rot = await p.http.inject({
    method: 'POST',
    url: `/api/v1/devices/${device}/keys/${keyId}/rotate`,
    headers: p.auth,
    payload: { ...newKey.registration, contentKey: newCek.toString('base64url'), overlapS: 3600 },
  });
  assert.equal(rot.statusCode, 201, rot.body);

  assert.equal(
    (await ingest(encryptJweDir(signMessage(oldKey, payload(1)), device, oldCek))).status,
    'accepted',
    'the old content key still opens',
  );
  assert.equal(
    (await ingest(encryptJweDir(signMessage(newKey, payload(2)), device, newCek))).status,
    'accepted',
    'the new content key opens',
  );
  const cose = encryptCoseEncrypt0(signCose(oldKey, payload(3)), device, oldCek);
  assert.equal((await ingest(cose, 'application/cose')).status, 'accepted', 'COSE_Encrypt0 under the old content key opens too');

  assert.equal(
    (
      await p.http.inject({
        method: 'POST',
        url: `/api/v1/devices/${device}/keys/${keyId}/revoke`,
        headers: p.auth,
        payload: { reason: 'lost' },
      })
    ).statusCode,
    200,
  );
  const late = await ingest(encryptJweDir(signMessage(oldKey, payload(4)), device, oldCek));
  assert.deepEqual([late.status, late.reason], ['rejected', 'decryption_failed']);
  assert.equal((await ingest(encryptJweDir(signMessage(newKey, payload(5)), device, newCek))).status, 'accepted');
});
