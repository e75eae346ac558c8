import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { concatKdf, decryptA256Gcm, ecdhEsKey, parseCompactJwe } from './jwe';
import { parseCoseEncrypt0 } from './cose-encrypt0';
import { encryptCoseEncrypt0, encryptJweDir } from '../testing/payload-encrypter';

test('the Concat KDF gives the key of RFC 7518 Appendix C (ECDH-ES, P-256, apu Alice, apv Bob)', () => {
  const alice = {
    kty: 'EC',
    crv: 'P-256',
    x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0',
    y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps',
    d: '0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo',
  };
  const bob = {
    kty: 'EC',
    crv: 'P-256',
    x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
    y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
    d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw',
  };
  const z = diffieHellman({
    privateKey: createPrivateKey({ key: alice as never, format: 'jwk' }),
    publicKey: createPublicKey({ key: bob as never, format: 'jwk' }),
  });
  const key = concatKdf(z, 128, 'A128GCM', Buffer.from('Alice'), Buffer.from('Bob'));
  assert.equal(key.toString('base64url'), 'VqqN6vgjbSBcIijNcacQGg');
  // The same through the header path, with Bob as the server's key:
  const header = { alg: 'ECDH-ES', enc: 'A256GCM', apu: 'QWxpY2U', apv: 'Qm9i', epk: { kty: 'EC', crv: 'P-256', x: alice.x, y: alice.y } };
  const bobKey = {
    'P-256': { kid: 'bob', privateKey: createPrivateKey({ key: bob as never, format: 'jwk' }) },
    X25519: { kid: 'x', privateKey: createPrivateKey({ key: bob as never, format: 'jwk' }) },
  };
  const r = ecdhEsKey(header, bobKey);
  assert.ok(r.ok);
  assert.deepEqual(r.cek, concatKdf(z, 256, 'A256GCM', Buffer.from('Alice'), Buffer.from('Bob')));
});

test('an epk that is not on P-256 is refused before any agreement (invalid-curve attack)', () => {
  const bob = createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
      y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
      d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw',
    } as never,
    format: 'jwk',
  });
  const offCurve = {
    kty: 'EC',
    crv: 'P-256',
    x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0',
    y: 'TLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps',
  }; // first bits of y changed
  const r = ecdhEsKey(
    { alg: 'ECDH-ES', enc: 'A256GCM', epk: offCurve },
    { 'P-256': { kid: 'k', privateKey: bob }, X25519: { kid: 'x', privateKey: bob } },
  );
  assert.equal(r.ok, false);
  assert.equal((r as { reason: string }).reason, 'decryption_failed');
  // X25519: the all-zero u-coordinate is a small-order point; its shared secret would be zero.
  const x = generateKeyPairSync('x25519').privateKey;
  const small = ecdhEsKey(
    { alg: 'ECDH-ES', enc: 'A256GCM', epk: { kty: 'OKP', crv: 'X25519', x: Buffer.alloc(32).toString('base64url') } },
    { 'P-256': { kid: 'k', privateKey: bob }, X25519: { kid: 'x', privateKey: x } },
  );
  assert.equal((small as { reason?: string }).reason, 'decryption_failed');
});

test('parseCompactJwe accepts dir and ECDH-ES with A256GCM only, and no zip, crit or encrypted key', () => {
  const key = randomBytes(32);
  const jwe = (header: Record<string, unknown>) => encryptJweDir('a.b.c', 'D1', key, { header });
  assert.ok(parseCompactJwe(jwe({})).ok);
  const reason = (t: string) => (parseCompactJwe(t) as { reason?: string }).reason;
  assert.equal(reason(jwe({ alg: 'A256KW' })), 'algorithm_not_allowed');
  assert.equal(reason(jwe({ alg: 'RSA-OAEP' })), 'algorithm_not_allowed');
  assert.equal(reason(jwe({ alg: 'none' })), 'algorithm_not_allowed');
  assert.equal(reason(jwe({ enc: 'A128GCM' })), 'algorithm_not_allowed');
  assert.equal(reason(jwe({ enc: 'A256CBC-HS512' })), 'algorithm_not_allowed');
  assert.equal(reason(jwe({ zip: 'DEF' })), 'invalid_header');
  assert.equal(reason(jwe({ crit: ['exp'] })), 'invalid_header');
  assert.equal(reason(jwe({ kid: undefined })), 'invalid_header');
  const [h, , iv, ct, tag] = jwe({}).split('.');
  assert.equal(reason([h, 'AAAA', iv, ct, tag].join('.')), 'invalid_header');
  assert.equal(reason([h, '', iv, ct, tag.slice(0, 11)].join('.')), 'decryption_failed'); // an 8-byte tag
  assert.equal(reason([h, '', iv.slice(0, 8), ct, tag].join('.')), 'decryption_failed');
  assert.equal(reason('a.b.c.d'), 'malformed_jws');
});

test('A256GCM decryption fails closed: wrong key, altered ciphertext, IV, tag or AAD', () => {
  const key = randomBytes(32);
  const { jwe } = parseCompactJwe(encryptJweDir('header.payload.signature', 'D1', key)) as {
    jwe: { iv: Buffer; ciphertext: Buffer; tag: Buffer; aad: Buffer };
  };
  assert.equal(decryptA256Gcm(key, jwe.iv, jwe.ciphertext, jwe.tag, jwe.aad)?.toString(), 'header.payload.signature');
  const flip = (b: Buffer) => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)));
  assert.equal(decryptA256Gcm(randomBytes(32), jwe.iv, jwe.ciphertext, jwe.tag, jwe.aad), null);
  assert.equal(decryptA256Gcm(key, jwe.iv, flip(jwe.ciphertext), jwe.tag, jwe.aad), null);
  assert.equal(decryptA256Gcm(key, flip(jwe.iv), jwe.ciphertext, jwe.tag, jwe.aad), null);
  assert.equal(decryptA256Gcm(key, jwe.iv, jwe.ciphertext, flip(jwe.tag), jwe.aad), null);
  assert.equal(decryptA256Gcm(key, jwe.iv, jwe.ciphertext, jwe.tag, flip(jwe.aad)), null);
  assert.equal(decryptA256Gcm(key, jwe.iv, jwe.ciphertext, jwe.tag.subarray(0, 12), jwe.aad), null);
});

test('COSE_Encrypt0: alg A256GCM in the protected header, kid and a 12-byte IV; the tag ends the ciphertext', () => {
  const key = randomBytes(32);
  const inner = Buffer.from('d28443a10127a0', 'hex');
  const p = parseCoseEncrypt0(encryptCoseEncrypt0(inner, 'SEAL-1', key));
  assert.ok(p.ok);
  assert.equal(p.msg.kid, 'SEAL-1');
  assert.deepEqual(decryptA256Gcm(key, p.msg.iv, p.msg.ciphertext, p.msg.tag, p.msg.aad), inner);
  assert.equal(
    (parseCoseEncrypt0(encryptCoseEncrypt0(inner, 'SEAL-1', key, { alg: 1 })) as { reason?: string }).reason,
    'algorithm_not_allowed',
  );
  assert.equal(
    (parseCoseEncrypt0(encryptCoseEncrypt0(inner, 'SEAL-1', key, { iv: randomBytes(8) })) as { reason?: string }).reason,
    'decryption_failed',
  );
  assert.equal((parseCoseEncrypt0(Buffer.from('d28443a10127a0', 'hex')) as { reason?: string }).reason, 'malformed_cose');
});
