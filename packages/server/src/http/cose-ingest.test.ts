/**
 * Native protocol v1 as COSE over HTTP (application/cose) and MQTT (…/cose): real EdDSA, ES256
 * and HMAC signatures from node:crypto; the same duplicate, seq_conflict and clock_skew rules as
 * JWS; forged messages (wrong alg, kid mismatch, tampered payload) quarantined with their reason.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { generateDeviceKey, type DeviceSigningKey } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';
import { signCose, type CoseSignOptions } from '../testing/cose-signer';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
type Result = { device: string | null; seq: number | null; status: string; reason?: string };

describe('native protocol v1 as COSE', () => {
  let p: P;
  const keys: Record<string, DeviceSigningKey> = {
    'CO-ED': generateDeviceKey('EdDSA'),
    'CO-ES': generateDeviceKey('ES256'),
    'CO-HS': generateDeviceKey('HS256'),
  };
  const message = (device: string, seq: number, extra: Record<string, unknown> = {}) => ({
    device,
    seq,
    time: new Date().toISOString(),
    position: { lat: -1.2921, lon: 36.8219, accuracy: 8 },
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    battery: { level: 87 },
    ...extra,
  });
  const send = async (bytes: Buffer, contentType = 'application/cose'): Promise<Result> => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': contentType }, payload: bytes });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results[0];
  };
  const signed = (device: string, seq: number, extra: Record<string, unknown> = {}, options: CoseSignOptions = {}) =>
    signCose(keys[device], message(device, seq, extra), options);

  before(async () => {
    p = await startTestPlatform();
    await p.listen();
    for (const [id, key] of Object.entries(keys)) {
      const r = await p.http.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: p.auth,
        payload: { id, class: 'active', kind: 'e_seal', protocol: 'native', key: key.registration },
      });
      assert.equal(r.statusCode, 201, r.body);
    }
  });
  after(() => p.cleanup());

  test('EdDSA and ES256 COSE_Sign1 and an HMAC COSE_Mac0 are accepted and stored with their trust', async () => {
    assert.deepEqual(await send(signed('CO-ED', 1)), { device: 'CO-ED', seq: 1, status: 'accepted' });
    assert.deepEqual(await send(signed('CO-ES', 1, {}, { kidIn: 'protected' }), 'application/cose; cose-type="cose-sign1"'), {
      device: 'CO-ES',
      seq: 1,
      status: 'accepted',
    });
    assert.deepEqual(await send(signed('CO-HS', 1)), { device: 'CO-HS', seq: 1, status: 'accepted' });
    for (const [id, trust] of [
      ['CO-ED', 'signed'],
      ['CO-ES', 'signed'],
      ['CO-HS', 'hmac'],
    ]) {
      const [o] = (await p.ctx.store.observations.listByDevice(id as never, {}, { limit: 5 })).items;
      assert.deepEqual(
        [o.trust, o.protocol, o.seal, o.battery],
        [trust, 'native-cose', { state: 'closed', rope: 'inserted', lock: 'locked' }, { level: 87 }],
      );
    }
  });

  test('the same bytes again are a duplicate; the same seq with other content is a seq_conflict, quarantined', async () => {
    const first = signed('CO-ED', 2);
    assert.equal((await send(first)).status, 'accepted');
    assert.equal((await send(first)).status, 'duplicate');
    assert.deepEqual(await send(signed('CO-ED', 2, { seal: { state: 'open' } })), {
      device: 'CO-ED',
      seq: 2,
      status: 'rejected',
      reason: 'seq_conflict',
      detail: 'seq 2 was already received with different content',
    });
    assert.equal((await p.ctx.store.observations.listByDevice('CO-ED' as never, {}, { limit: 10 })).items.length, 2);
  });

  test('a time more than 5 minutes ahead is clock_skew', async () => {
    const r = await send(signed('CO-ES', 2, { time: new Date(Date.now() + 10 * 60_000).toISOString() }));
    assert.deepEqual([r.status, r.reason], ['rejected', 'clock_skew']);
  });

  test('forged messages are rejected and quarantined with their reason and raw bytes', async () => {
    const tampered = signed('CO-ED', 3);
    tampered[tampered.indexOf(Buffer.from('closed')) + 1] ^= 0x01; // 'closed' → 'cnosed' inside the signed payload
    const hsAsSign1 = signCose(keys['CO-HS'], message('CO-HS', 3), { structure: 'Sign1' });
    const cases: [string, Buffer, string][] = [
      ['EdDSA device, ES256 claimed', signCose(keys['CO-ES'], message('CO-ED', 4), { kid: 'CO-ED' }), 'algorithm_not_allowed'],
      ['HMAC device, COSE_Sign1', hsAsSign1, 'algorithm_not_allowed'],
      ['EdDSA device, alg -7 claimed', signed('CO-ED', 5, {}, { alg: -7 }), 'algorithm_not_allowed'],
      ['kid names another device than the payload', signCose(keys['CO-ED'], message('CO-ES', 6), { kid: 'CO-ED' }), 'kid_mismatch'],
      ['tampered payload', tampered, 'bad_signature'],
      ['signed by another key', signCose(generateDeviceKey('EdDSA'), message('CO-ED', 7)), 'bad_signature'],
      ['alg unprotected', signed('CO-ED', 8, {}, { algUnprotected: true }), 'invalid_header'],
      ['not COSE', Buffer.from('a1646a756e6b01', 'hex'), 'malformed_cose'],
      ['payload not the native schema', signCose(keys['CO-ED'], { device: 'CO-ED', seq: -1, time: 'soon' }), 'invalid_payload'],
    ];
    for (const [name, bytes, reason] of cases) {
      const r = await send(bytes);
      assert.deepEqual([r.status, r.reason], ['rejected', reason], name);
      const [q] = (await p.ctx.store.quarantine.list({ reason: reason as never }, { limit: 1 })).items;
      assert.equal(q.raw, bytes.toString('base64'), name);
    }
  });

  test('over MQTT: a COSE publish to …/cose is acknowledged once durable and answered on …/results', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${p.mqtt()!.port}`, { clientId: 'CO-HS', protocolVersion: 4 });
    try {
      const results: Result[] = [];
      await client.subscribeAsync('sealwatch/v1/devices/CO-HS/results', { qos: 0 });
      client.on('message', (_t, payload) => results.push(JSON.parse(payload.toString())));
      await client.publishAsync('sealwatch/v1/devices/CO-HS/cose', signed('CO-HS', 9), { qos: 1 });
      const stored = (await p.ctx.store.observations.listByDevice('CO-HS' as never, {}, { limit: 5 })).items;
      assert.deepEqual(
        stored.map((o) => o.seq),
        [9, 1],
      );
      for (let i = 0; i < 50 && results.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(results, [{ device: 'CO-HS', seq: 9, status: 'accepted' }]);
    } finally {
      await client.endAsync();
    }
  });
});
