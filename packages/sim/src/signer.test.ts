import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { DeviceKey, SigningAlg } from '@sealwatch/core';
import { deriveDemoKey, generateDeviceKey, signMessage } from './signer';

const algs: SigningAlg[] = ['EdDSA', 'ES256', 'HS256'];
const payload = { device: 'KE-ELOCK-0001', seq: 7, time: '2026-11-26T03:22:52.120Z', seal: { state: 'closed' } };

/** Verifies a compact JWS the way a server would: with only the registered key material. */
function verifyJws(jws: string, key: DeviceKey): boolean {
  const [h, p, s] = jws.split('.');
  const input = Buffer.from(`${h}.${p}`, 'ascii');
  const sig = Buffer.from(s, 'base64url');
  if (key.alg === 'HS256') {
    const mac = createHmac('sha256', Buffer.from(key.secret, 'base64url')).update(input).digest();
    return mac.length === sig.length && timingSafeEqual(mac, sig);
  }
  const pub: KeyObject = createPublicKey({ key: key.jwk as never, format: 'jwk' });
  if (key.alg === 'EdDSA') return verify(null, input, pub, sig);
  assert.equal(sig.length, 64, 'ES256 signatures are r||s, 64 bytes');
  return verify('sha256', input, { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
}

const parts = (jws: string) => {
  const [h, p] = jws.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
};

for (const alg of algs) {
  test(`${alg}: a signed message verifies with the registered key and names the device as kid`, () => {
    for (const key of [generateDeviceKey(alg), deriveDemoKey('demo-seed', payload.device, alg)]) {
      const jws = signMessage(key, payload);
      assert.match(jws, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      assert.deepEqual(parts(jws).header, { alg, kid: payload.device });
      assert.deepEqual(parts(jws).payload, payload);
      assert.equal(verifyJws(jws, key.registration), true);
    }
  });

  test(`${alg}: a tampered payload or another device's key does not verify`, () => {
    const key = deriveDemoKey('demo-seed', payload.device, alg);
    const jws = signMessage(key, payload);
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, seq: 8 })).toString('base64url')}.${s}`;
    assert.equal(verifyJws(forged, key.registration), false);
    const other = deriveDemoKey('demo-seed', 'TZ-ESEAL-0001', alg);
    assert.equal(verifyJws(jws, other.registration), false);
  });

  test(`${alg}: the derived key is stable for a seed and differs across devices and seeds`, () => {
    const a = deriveDemoKey('seed-1', 'DEV-1', alg).registration;
    assert.deepEqual(deriveDemoKey('seed-1', 'DEV-1', alg).registration, a);
    assert.notDeepEqual(deriveDemoKey('seed-1', 'DEV-2', alg).registration, a);
    assert.notDeepEqual(deriveDemoKey('seed-2', 'DEV-1', alg).registration, a);
    assert.notDeepEqual(generateDeviceKey(alg).registration, generateDeviceKey(alg).registration);
  });
}

test('registrations have exactly the shape the API takes', () => {
  const ed = deriveDemoKey('s', 'd', 'EdDSA').registration;
  assert.deepEqual(Object.keys(ed), ['alg', 'jwk']);
  assert.ok(ed.alg === 'EdDSA' && ed.jwk.kty === 'OKP' && ed.jwk.crv === 'Ed25519' && Buffer.from(ed.jwk.x, 'base64url').length === 32);
  assert.deepEqual(Object.keys(ed.alg === 'EdDSA' ? ed.jwk : {}), ['kty', 'crv', 'x']);
  const ec = deriveDemoKey('s', 'd', 'ES256').registration;
  assert.ok(ec.alg === 'ES256' && ec.jwk.kty === 'EC' && ec.jwk.crv === 'P-256');
  assert.deepEqual(Object.keys(ec.alg === 'ES256' ? ec.jwk : {}), ['kty', 'crv', 'x', 'y']);
  const hs = deriveDemoKey('s', 'd', 'HS256').registration;
  assert.ok(hs.alg === 'HS256' && Buffer.from(hs.secret, 'base64url').length === 32);
  assert.match(hs.alg === 'HS256' ? hs.secret : '', /^[A-Za-z0-9_-]{43}$/);
});

test('the Ed25519 key is built from HMAC-SHA256(seed, device) as its private seed', () => {
  const key = deriveDemoKey('seed', 'DEV', 'EdDSA');
  const jwk = key.privateKey.export({ format: 'jwk' });
  assert.equal(jwk.d, createHmac('sha256', 'seed').update('DEV').digest('base64url'));
});

test('signing refuses a payload without a device id', () => {
  assert.throws(() => signMessage(generateDeviceKey('HS256'), { device: '' }), /device/);
});
