/**
 * Device-message attacks, each through the real HTTP ingest of a real
 * platform: rejected or deduplicated as the native protocol says, every rejection quarantined
 * with its reason and raw bytes, and the forgery attempts alerted (message_forged).
 *
 * Alerted (someone spoke for a registered device): kid_mismatch, seq_conflict and key_revoked (under
 * the device's own valid signature); bad_signature and algorithm_not_allowed (alg:none, HS256 made of
 * the public key) only when they repeat from the device's own source address: from anywhere else
 * anyone could send them, so they are quarantined and counted, not alerted.
 * Not alerted: a replay (an idempotent duplicate, DESIGN §5), key_expired (the device's own old
 * key after its overlap: a device behind on rotation), clock_skew (a device clock fault).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
type Result = { device: string; seq: number; status: string; reason?: string };

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A JWS with any header, signed (or not) by `signer` over the signing input. */
const craft = (header: Record<string, unknown>, payload: Record<string, unknown>, signer: (input: string) => Buffer) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer(input).toString('base64url')}`;
};
const edSign = (k: DeviceSigningKey) => (input: string) => sign(null, Buffer.from(input), k.privateKey);

describe('device-message attacks through HTTP ingest', () => {
  let p: P;
  let clock = Date.now();
  let key: DeviceSigningKey;
  let movementId: string;
  let captured = '';
  let seq = 0;
  const device = 'KE-ATTACK-01';
  const payload = (o: Record<string, unknown> = {}) => ({
    device,
    seq: ++seq,
    time: new Date(clock).toISOString(),
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    ...o,
  });
  const post = (url: string, body: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: body as object });
  const get = async (url: string) => {
    const r = await p.http.inject({ method: 'GET', url, headers: p.auth });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };
  const ingest = async (messages: string[]): Promise<Result[]> => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages } });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results;
  };
  /** The quarantine entry holding exactly these raw bytes. */
  const quarantined = async (raw: string) => {
    const q = await get('/api/v1/quarantine?limit=200');
    return q.items.find((e: { raw: string }) => Buffer.from(e.raw, 'base64').toString() === raw) as
      { reason: string; detail: string; device: string | null } | undefined;
  };
  const forgedCauses = async () => {
    const events = await get(`/api/v1/movements/${movementId}/events?limit=200`);
    return events.items
      .filter((e: { type: string }) => e.type === 'message_forged')
      .map((e: { details: { cause: string } }) => e.details.cause) as string[];
  };
  /** Rejected with `reason`, quarantined with it and the exact raw bytes. */
  const expectRejected = async (jws: string, reason: string) => {
    const [r] = await ingest([jws]);
    assert.equal(r.status, 'rejected');
    assert.equal(r.reason, reason);
    const q = await quarantined(jws);
    assert.ok(q, `the ${reason} message is in the quarantine with its raw bytes`);
    assert.equal(q.reason, reason);
    assert.ok(q.detail.length > 0);
  };

  before(async () => {
    p = await startTestPlatform({}, { now: () => clock });
    key = generateDeviceKey('EdDSA');
    for (const office of [mombasaOffice, malabaOffice]) assert.equal((await post('/api/v1/offices', office)).statusCode, 201);
    assert.equal(
      (await post('/api/v1/devices', { id: device, class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration }))
        .statusCode,
      201,
    );
    assert.equal(
      (
        await post('/api/v1/devices', {
          id: 'KE-OTHER-02',
          class: 'active',
          kind: 'e_lock',
          protocol: 'native',
          key: generateDeviceKey('EdDSA').registration,
        })
      ).statusCode,
      201,
    );
    const m = await post('/api/v1/movements', buildMovementBody({ devices: [device] }));
    movementId = m.json().id;
    assert.equal((await post(`/api/v1/movements/${movementId}/start`, {})).statusCode, 200);
    captured = signMessage(key, payload());
    assert.equal((await ingest([captured]))[0].status, 'accepted');
  });
  after(() => p.cleanup());

  test('bad signatures from anywhere are quarantined and counted, not alerted: anyone knowing a device id could flood officers', async () => {
    const attacker = generateDeviceKey('EdDSA');
    const jws = Array.from({ length: 10 }, () => signMessage(attacker, payload()));
    // A replayed capture of the device's own message does not make the attacker's address the device's.
    const replay = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      payload: { messages: [captured] },
      remoteAddress: '203.0.113.9',
    });
    assert.equal(replay.json().results[0].status, 'duplicate');
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: jws }, remoteAddress: '203.0.113.9' });
    assert.deepEqual(new Set(r.json().results.map((x: Result) => x.reason)), new Set(['bad_signature']));
    const q = await quarantined(jws[0]);
    assert.equal(q?.reason, 'bad_signature', 'kept in the quarantine with its reason');
    assert.deepEqual(await forgedCauses(), [], 'no event');
    assert.equal((await get(`/api/v1/alerts?movement=${movementId}&type=message_forged`)).items.length, 0, 'no alert');
    assert.equal((await get(`/api/v1/incidents?movement=${movementId}`)).items.length, 0, 'no incident');
    assert.match((await p.http.inject({ method: 'GET', url: '/metrics' })).body, /result="rejected",reason="bad_signature"} 10\n/);
  });

  test("bad signatures from the device's own source address are alerted once they repeat (evidence on its own path)", async () => {
    const attacker = generateDeviceKey('EdDSA');
    // The device's verified messages came from the test client's address, as these do.
    for (let i = 0; i < 2; i++) await expectRejected(signMessage(attacker, payload()), 'bad_signature');
    assert.deepEqual(await forgedCauses(), [], 'not yet: two could be chance');
    await expectRejected(signMessage(attacker, payload()), 'bad_signature');
    assert.deepEqual(await forgedCauses(), ['bad_signature']);
    const events = await get(`/api/v1/movements/${movementId}/events?limit=200`);
    assert.equal(events.items.find((e: { type: string }) => e.type === 'message_forged').details.evidence, 'device_source');
    await expectRejected(signMessage(attacker, payload()), 'bad_signature');
    const alerts = await get(`/api/v1/alerts?movement=${movementId}&type=message_forged`);
    assert.equal(alerts.items.length, 1, 'one open message_forged alert for the movement');
  });

  test('alg:none (empty or any signature) is rejected algorithm_not_allowed, quarantined, and alerted', async () => {
    const body = payload();
    await expectRejected(`${b64({ alg: 'none', kid: device })}.${b64(body)}.AA`, 'algorithm_not_allowed');
    await expectRejected(
      `${b64({ alg: 'none', kid: device })}.${b64({ ...body, seq: ++seq })}.${Buffer.alloc(64).toString('base64url')}`,
      'algorithm_not_allowed',
    );
    assert.ok((await forgedCauses()).includes('algorithm_not_allowed'));
  });

  test("HS256 signed with the device's Ed25519 public key as the secret is rejected algorithm_not_allowed", async () => {
    const jwk = key.registration as { jwk: { x: string } };
    const publicSecrets = [
      Buffer.from(jwk.jwk.x, 'base64url'),
      Buffer.from(jwk.jwk.x),
      Buffer.from(createPublicKey(key.privateKey).export({ format: 'pem', type: 'spki' }) as string),
      Buffer.from(JSON.stringify(jwk.jwk)),
    ];
    for (const secret of publicSecrets) {
      await expectRejected(
        craft({ alg: 'HS256', kid: device }, payload(), (input) => createHmac('sha256', secret).update(input).digest()),
        'algorithm_not_allowed',
      );
    }
  });

  test('kid ≠ device: signed for another device is bad_signature there; a payload naming another device is kid_mismatch, alerted', async () => {
    // The header names another registered device: its key does not verify ours.
    await expectRejected(
      craft({ alg: 'EdDSA', kid: 'KE-OTHER-02' }, { ...payload(), device: 'KE-OTHER-02' }, edSign(key)),
      'bad_signature',
    );
    // Our device's valid signature over a payload that claims to be another device.
    await expectRejected(craft({ alg: 'EdDSA', kid: device }, { ...payload(), device: 'KE-OTHER-02' }, edSign(key)), 'kid_mismatch');
    assert.ok((await forgedCauses()).includes('kid_mismatch'));
  });

  test('a replayed valid message is a duplicate, stored once, not alerted', async () => {
    const before = (await forgedCauses()).length;
    const body = payload();
    const jws = signMessage(key, body);
    assert.deepEqual(
      (await ingest([jws])).map((r) => r.status),
      ['accepted'],
    );
    assert.deepEqual(
      (await ingest([jws, jws])).map((r) => r.status),
      ['duplicate', 'duplicate'],
    );
    const obs = await get(`/api/v1/devices/${device}/observations?limit=1000`);
    assert.equal(obs.items.filter((o: { seq: number }) => o.seq === body.seq).length, 1);
    assert.equal(await quarantined(jws), undefined, 'a duplicate is not a rejection');
    assert.equal((await forgedCauses()).length, before);
  });

  test('other content under a used seq is rejected seq_conflict, quarantined, and alerted', async () => {
    const body = payload();
    assert.equal((await ingest([signMessage(key, body)]))[0].status, 'accepted');
    await expectRejected(signMessage(key, { ...body, seal: { state: 'open', rope: 'removed', lock: 'unlocked' } }), 'seq_conflict');
    assert.ok((await forgedCauses()).includes('seq_conflict'));
  });

  test('a time far in the future is rejected clock_skew and quarantined (a device fault, not alerted)', async () => {
    const before = (await forgedCauses()).length;
    await expectRejected(signMessage(key, payload({ time: new Date(clock + 365 * 86_400_000).toISOString() })), 'clock_skew');
    assert.equal((await forgedCauses()).length, before);
  });

  test('rotation: the retiring key is accepted during the overlap, then key_expired (not alerted); the new key works', async () => {
    const [k1] = (await get(`/api/v1/devices/${device}/keys`)).items;
    assert.equal(k1.status, 'active');
    const r = await post(`/api/v1/devices/${device}/keys/${k1.keyId}/rotate`, {
      alg: 'EdDSA',
      generate: true,
      overlapS: 600,
      reason: 'scheduled rotation in transit',
    });
    assert.equal(r.statusCode, 201, r.body);
    const { key: k2, retired, privateJwk } = r.json();
    assert.equal(retired.status, 'retiring');
    const newKey: DeviceSigningKey = {
      alg: 'EdDSA',
      privateKey: createPrivateKey({ key: privateJwk, format: 'jwk' }),
      registration: { alg: 'EdDSA', jwk: k2.jwk },
    };
    assert.deepEqual(
      (await ingest([signMessage(key, payload()), signMessage(newKey, payload())])).map((x) => x.status),
      ['accepted', 'accepted'],
    );

    clock += 601_000;
    const before = (await forgedCauses()).length;
    await expectRejected(signMessage(key, payload()), 'key_expired');
    assert.equal((await forgedCauses()).length, before);
    assert.equal((await ingest([signMessage(newKey, payload())]))[0].status, 'accepted');
    const listed = (await get(`/api/v1/devices/${device}/keys`)).items;
    assert.deepEqual(
      listed.map((k: { status: string; expired: boolean }) => [k.status, k.expired]),
      [
        ['retiring', true],
        ['active', false],
      ],
    );
  });

  test('a revoked key is refused at once: key_revoked, quarantined, alerted; the remaining key still works', async () => {
    const hs = await post(`/api/v1/devices/${device}/keys`, { alg: 'HS256', generate: true, reason: 'a second key for the workshop test' });
    assert.equal(hs.statusCode, 201, hs.body);
    const { key: k3, secret } = hs.json();
    const hsKey = { alg: 'HS256', secret } as const;
    const hsSign = (body: Record<string, unknown>) =>
      craft({ alg: 'HS256', kid: device }, body, (input) =>
        createHmac('sha256', Buffer.from(hsKey.secret, 'base64url')).update(input).digest(),
      );
    assert.equal((await ingest([hsSign(payload())]))[0].status, 'accepted');
    const rv = await post(`/api/v1/devices/${device}/keys/${k3.keyId}/revoke`, { reason: 'secret leaked from the workshop laptop' });
    assert.equal(rv.statusCode, 200, rv.body);
    assert.equal(rv.json().status, 'revoked');
    await expectRejected(hsSign(payload()), 'key_revoked');
    assert.ok((await forgedCauses()).includes('key_revoked'));
    const listed = (await get(`/api/v1/devices/${device}/keys`)).items as Record<string, unknown>[];
    assert.ok(
      listed.every((k) => !('secret' in k) && !('sealedSecret' in k)),
      'secrets are never listed',
    );
    assert.equal(listed.find((k) => k.keyId === k3.keyId)?.revokedReason, 'secret leaked from the workshop laptop');
  });
});
