/**
 * Payload encryption end to end on a real platform: JWE dir and ECDH-ES (P-256, X25519)
 * around a JWS, COSE_Encrypt0 around a COSE_Sign1 / COSE_Mac0, over HTTP and the embedded MQTT
 * broker, with real keys. What does not decrypt is quarantined as decryption_failed with the bytes
 * received; what decrypts meets exactly the rules of an unencrypted message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';
import { signCose } from '../testing/cose-signer';
import { encryptCoseEncrypt0, encryptJweDir, encryptJweEcdhEs } from '../testing/payload-encrypter';
import type { EncryptionJwk } from '../ingest/server-encryption-key';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
type Result = { device: string | null; seq: number | null; status: string; reason?: string; detail?: string };

describe('encrypted native messages (JWE, COSE_Encrypt0)', () => {
  let p: P;
  let jwks: { keys: EncryptionJwk[] };
  const keys: Record<string, DeviceSigningKey> = {
    'EN-ED': generateDeviceKey('EdDSA'),
    'EN-HS': generateDeviceKey('HS256'),
    'EN-PLAIN': generateDeviceKey('EdDSA'),
  };
  const contentKeys: Record<string, Buffer> = { 'EN-ED': randomBytes(32), 'EN-HS': randomBytes(32) };
  const payload = (device: string, seq: number, extra: Record<string, unknown> = {}) => ({
    device,
    seq,
    time: new Date().toISOString(),
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    ...extra,
  });
  const jws = (device: string, seq: number, extra: Record<string, unknown> = {}) => signMessage(keys[device], payload(device, seq, extra));
  const post = async (body: string | Buffer, contentType: string): Promise<Result> => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': contentType }, payload: body });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results[0];
  };
  const serverKey = (crv: 'P-256' | 'X25519') => jwks.keys.find((k) => k.crv === crv)!;
  const lastQuarantined = async (reason: string) => (await p.ctx.store.quarantine.list({ reason: reason as never }, { limit: 1 })).items[0];

  before(async () => {
    p = await startTestPlatform();
    await p.listen();
    for (const [id, key] of Object.entries(keys)) {
      const registration = contentKeys[id] ? { ...key.registration, contentKey: contentKeys[id].toString('base64url') } : key.registration;
      const r = await p.http.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: p.auth,
        payload: { id, class: 'active', kind: 'e_seal', protocol: 'native', key: registration },
      });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(JSON.stringify(r.json()).includes(registration.contentKey ?? '<none>'), false, 'the content key is never shown');
    }
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/ingest/encryption-key' });
    assert.equal(r.statusCode, 200);
    jwks = r.json();
  });
  after(() => p.cleanup());

  test('the server publishes one P-256 and one X25519 ECDH-ES key, without private parts, stable across reads', async () => {
    assert.deepEqual(
      jwks.keys.map((k) => [k.kty, k.crv, k.use, k.alg]),
      [
        ['EC', 'P-256', 'enc', 'ECDH-ES'],
        ['OKP', 'X25519', 'enc', 'ECDH-ES'],
      ],
    );
    assert.ok(jwks.keys.every((k) => !('d' in k) && /^[A-Za-z0-9_-]{43}$/.test(k.kid)));
    assert.deepEqual((await p.http.inject({ method: 'GET', url: '/api/v1/ingest/encryption-key' })).json(), jwks);
  });

  test('JWE dir, ECDH-ES P-256 and X25519, and COSE_Encrypt0 are accepted and stored as their inner signed message', async () => {
    const inner = jws('EN-ED', 1);
    assert.deepEqual(await post(encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED']), 'application/jose'), {
      device: 'EN-ED',
      seq: 1,
      status: 'accepted',
    });
    assert.deepEqual(await post(encryptJweEcdhEs(jws('EN-ED', 2), serverKey('P-256')), 'application/jose'), {
      device: 'EN-ED',
      seq: 2,
      status: 'accepted',
    });
    // ECDH-ES needs no content key: a device without one may use it.
    assert.deepEqual(await post(encryptJweEcdhEs(jws('EN-PLAIN', 1), serverKey('X25519')), 'application/jose'), {
      device: 'EN-PLAIN',
      seq: 1,
      status: 'accepted',
    });
    assert.deepEqual(
      await post(encryptCoseEncrypt0(signCose(keys['EN-HS'], payload('EN-HS', 1)), 'EN-HS', contentKeys['EN-HS']), 'application/cose'),
      { device: 'EN-HS', seq: 1, status: 'accepted' },
    );
    const batch = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      payload: { messages: [encryptJweDir(jws('EN-ED', 3), 'EN-ED', contentKeys['EN-ED']), jws('EN-ED', 4)] },
    });
    assert.deepEqual(
      batch.json().results.map((r: Result) => r.status),
      ['accepted', 'accepted'],
    );
    const stored = (await p.ctx.store.observations.listByDevice('EN-ED' as never, {}, { limit: 10 })).items;
    assert.deepEqual(
      stored.map((o) => o.seq),
      [4, 3, 2, 1],
    );
    assert.equal(stored.find((o) => o.seq === 1)!.raw, inner, 'the evidence is the signed JWS, verifiable without the content key');
    const [cose] = (await p.ctx.store.observations.listByDevice('EN-HS' as never, {}, { limit: 1 })).items;
    assert.deepEqual([cose.protocol, cose.trust], ['native-cose', 'hmac']);
  });

  test('a resend encrypted anew (new IV) is a duplicate: identity is the signed payload', async () => {
    const inner = jws('EN-ED', 10);
    assert.equal((await post(encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED']), 'application/jose')).status, 'accepted');
    assert.equal((await post(encryptJweEcdhEs(inner, serverKey('X25519')), 'application/jose')).status, 'duplicate');
  });

  test('tampered ciphertext, a wrong key and bad parameters are decryption_failed, quarantined with the bytes received', async () => {
    const good = encryptJweDir(jws('EN-ED', 20), 'EN-ED', contentKeys['EN-ED']);
    const parts = good.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[5] ^= 0x20;
    const tampered = [...parts.slice(0, 3), ct.toString('base64url'), parts[4]].join('.');
    const cose = encryptCoseEncrypt0(signCose(keys['EN-HS'], payload('EN-HS', 20)), 'EN-HS', contentKeys['EN-HS']);
    const coseTampered = Buffer.from(cose);
    coseTampered[coseTampered.length - 20] ^= 0x01;
    const otherServer = {
      ...serverKey('P-256'),
      ...(generateDeviceKey('ES256').registration as { jwk: { x: string; y: string } }).jwk,
    } as EncryptionJwk;
    const cases: [string, string | Buffer, string, string | null][] = [
      ['tampered JWE ciphertext', tampered, 'decryption_failed', 'EN-ED'],
      [
        "JWE under another device's content key",
        encryptJweDir(jws('EN-ED', 21), 'EN-ED', contentKeys['EN-HS']),
        'decryption_failed',
        'EN-ED',
      ],
      ['JWE under a random key', encryptJweDir(jws('EN-ED', 22), 'EN-ED', randomBytes(32)), 'decryption_failed', 'EN-ED'],
      [
        'JWE dir for a device without a content key',
        encryptJweDir(jws('EN-PLAIN', 23), 'EN-PLAIN', randomBytes(32)),
        'decryption_failed',
        'EN-PLAIN',
      ],
      ["ECDH-ES to a key that is not the server's", encryptJweEcdhEs(jws('EN-ED', 24), otherServer), 'decryption_failed', null],
      [
        'ECDH-ES naming the X25519 key with a P-256 epk',
        encryptJweEcdhEs(jws('EN-ED', 25), serverKey('P-256'), { header: { kid: serverKey('X25519').kid } }),
        'decryption_failed',
        null,
      ],
      ['truncated tag', [...parts.slice(0, 4), parts[4].slice(0, 16)].join('.'), 'decryption_failed', null],
      ['tampered COSE_Encrypt0', coseTampered, 'decryption_failed', 'EN-HS'],
      [
        'COSE_Encrypt0 under a wrong key',
        encryptCoseEncrypt0(signCose(keys['EN-HS'], payload('EN-HS', 21)), 'EN-HS', randomBytes(32)),
        'decryption_failed',
        'EN-HS',
      ],
    ];
    for (const [name, raw, reason, device] of cases) {
      const r = await post(raw, typeof raw === 'string' ? 'application/jose' : 'application/cose');
      assert.deepEqual([r.status, r.reason, r.device], ['rejected', reason, device], name);
      const q = await lastQuarantined(reason);
      assert.equal(q.raw, Buffer.from(raw).toString('base64'), name);
    }
  });

  test('unsupported alg or enc, zip, and a dir JWE for an unknown device are refused with their reason', async () => {
    const inner = jws('EN-ED', 30);
    const cases: [string, string | Buffer, string][] = [
      ['alg A256KW', encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED'], { header: { alg: 'A256KW' } }), 'algorithm_not_allowed'],
      [
        'alg RSA-OAEP-256',
        encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED'], { header: { alg: 'RSA-OAEP-256' } }),
        'algorithm_not_allowed',
      ],
      ['enc A128GCM', encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED'], { header: { enc: 'A128GCM' } }), 'algorithm_not_allowed'],
      [
        'enc A256CBC-HS512',
        encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED'], { header: { enc: 'A256CBC-HS512' } }),
        'algorithm_not_allowed',
      ],
      ['zip DEF', encryptJweDir(inner, 'EN-ED', contentKeys['EN-ED'], { header: { zip: 'DEF' } }), 'invalid_header'],
      [
        'COSE_Encrypt0 with A128GCM (1)',
        encryptCoseEncrypt0(signCose(keys['EN-HS'], payload('EN-HS', 30)), 'EN-HS', contentKeys['EN-HS'], { alg: 1 }),
        'algorithm_not_allowed',
      ],
      ['unknown device', encryptJweDir(jws('EN-ED', 31), 'NOBODY', randomBytes(32)), 'unknown_device'],
    ];
    for (const [name, raw, reason] of cases) {
      const r = await post(raw, typeof raw === 'string' ? 'application/jose' : 'application/cose');
      assert.deepEqual([r.status, r.reason], ['rejected', reason], name);
    }
  });

  test('after decryption the inner message meets every rule: signature, kid binding, clock', async () => {
    const forged = signMessage(generateDeviceKey('EdDSA'), payload('EN-ED', 40));
    const bad = await post(encryptJweDir(forged, 'EN-ED', contentKeys['EN-ED']), 'application/jose');
    assert.deepEqual([bad.status, bad.reason], ['rejected', 'bad_signature']);
    assert.equal((await lastQuarantined('bad_signature')).raw, Buffer.from(forged).toString('base64'), 'the inner message is quarantined');
    // EN-HS's content key carrying EN-ED's (validly signed) message: the outer kid binds the device.
    const crossed = await post(encryptJweDir(jws('EN-ED', 41), 'EN-HS', contentKeys['EN-HS']), 'application/jose');
    assert.deepEqual([crossed.status, crossed.reason, crossed.device], ['rejected', 'kid_mismatch', 'EN-HS']);
    const future = await post(
      encryptJweEcdhEs(jws('EN-ED', 42, { time: new Date(Date.now() + 3_600_000).toISOString() }), serverKey('P-256')),
      'application/jose',
    );
    assert.deepEqual([future.status, future.reason], ['rejected', 'clock_skew']);
    const nested = await post(
      encryptJweDir(encryptJweDir(jws('EN-ED', 43), 'EN-ED', contentKeys['EN-ED']), 'EN-ED', contentKeys['EN-ED']),
      'application/jose',
    );
    assert.deepEqual([nested.status, nested.reason], ['rejected', 'malformed_jws']);
  });

  test('over MQTT: a JWE on …/messages and a COSE_Encrypt0 on …/cose are decrypted and acknowledged once durable', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${p.mqtt()!.port}`, { clientId: 'EN-HS', protocolVersion: 4 });
    try {
      await client.publishAsync('sealwatch/v1/devices/EN-HS/messages', encryptJweDir(jws('EN-HS', 50), 'EN-HS', contentKeys['EN-HS']), {
        qos: 1,
      });
      await client.publishAsync(
        'sealwatch/v1/devices/EN-HS/cose',
        encryptCoseEncrypt0(signCose(keys['EN-HS'], payload('EN-HS', 51)), 'EN-HS', contentKeys['EN-HS']),
        { qos: 1 },
      );
      const stored = (await p.ctx.store.observations.listByDevice('EN-HS' as never, {}, { limit: 5 })).items;
      assert.deepEqual(
        stored.slice(0, 2).map((o) => [o.seq, o.protocol]),
        [
          [51, 'native-cose'],
          [50, 'native'],
        ],
      );
    } finally {
      await client.endAsync();
    }
  });
});
