/**
 * A message stored while its key was valid, replayed after the key was revoked, is that message
 * again: answered `duplicate` (DESIGN §5), never `key_revoked`, never a `message_forged` alert and
 * never charged to the device. Found by the adversarial pass of 2026-12-07: anyone who captured one
 * message could raise alerts on the device's movement, from any address, once its key was revoked.
 * A new message under the revoked key is still refused and alerted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

let p: Awaited<ReturnType<typeof startTestPlatform>>;
let key: DeviceSigningKey;
let movement = '';
const device = 'KE-REPLAY-01';
const payload = (seq: number) => ({ device, seq, time: new Date().toISOString(), seal: { state: 'closed', rope: 'inserted' } });
const post = (url: string, body: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: body as object });
const ingest = async (jws: string, remote: string) => {
  const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [jws] }, remoteAddress: remote });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().results[0] as { status: string; seq: number | null; reason?: string };
};
const forged = async () => {
  await p.ctx.processor.idle();
  const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${movement}/events?limit=200`, headers: p.auth });
  return (r.json().items as { type: string }[]).filter((e) => e.type === 'message_forged').length;
};

before(async () => {
  p = await startTestPlatform();
  key = generateDeviceKey('EdDSA');
  for (const office of [mombasaOffice, malabaOffice]) assert.equal((await post('/api/v1/offices', office)).statusCode, 201);
  assert.equal(
    (await post('/api/v1/devices', { id: device, class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration })).statusCode,
    201,
  );
  movement = (await post('/api/v1/movements', buildMovementBody({ devices: [device] }))).json().id;
  assert.equal((await post(`/api/v1/movements/${movement}/start`, {})).statusCode, 200);
});
after(() => p.cleanup());

test('a stored message replayed after its key was revoked is a duplicate, from any address, and raises nothing', async () => {
  const stored = signMessage(key, payload(1));
  assert.equal((await ingest(stored, '10.1.1.1')).status, 'accepted');
  const keys = await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}/keys`, headers: p.auth });
  const keyId = (keys.json().items as { keyId: string; status: string }[]).find((k) => k.status === 'active')!.keyId;
  const rv = await post(`/api/v1/devices/${device}/keys/${keyId}/revoke`, { reason: 'device reported stolen at the depot' });
  assert.equal(rv.statusCode, 200, rv.body);
  const before = await forged();

  for (const remote of ['10.1.1.1', '203.0.113.9', '198.51.100.7']) {
    const replay = await ingest(stored, remote);
    assert.deepEqual([replay.status, replay.seq], ['duplicate', 1], `from ${remote}: ${JSON.stringify(replay)}`);
  }
  assert.equal(await forged(), before, 'no message_forged for a replay');

  const fresh = await ingest(signMessage(key, payload(2)), '10.1.1.1');
  assert.deepEqual([fresh.status, fresh.reason], ['rejected', 'key_revoked'], 'a new message under the revoked key is still refused');
  assert.ok((await forged()) > before, 'and alerted');
});

test('a message once quarantined (never stored) and replayed after its key was revoked raises nothing; a new one under that key still does', async () => {
  const other = 'KE-REPLAY-02';
  const otherKey = generateDeviceKey('EdDSA');
  assert.equal(
    (await post('/api/v1/devices', { id: other, class: 'active', kind: 'e_lock', protocol: 'native', key: otherKey.registration }))
      .statusCode,
    201,
  );
  const mv = (await post('/api/v1/movements', buildMovementBody({ devices: [other], reference: 'MRN-REPLAY-02' }))).json().id;
  assert.equal((await post(`/api/v1/movements/${mv}/start`, {})).statusCode, 200);
  const forgedOn = async () => {
    await p.ctx.processor.idle();
    const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${mv}/events?limit=200`, headers: p.auth });
    return (r.json().items as { type: string }[]).filter((e) => e.type === 'message_forged').length;
  };
  // Dated 20 minutes ahead: refused clock_skew and kept in the quarantine, where its bytes can be read.
  const ahead = signMessage(otherKey, {
    device: other,
    seq: 1,
    time: new Date(Date.now() + 20 * 60_000).toISOString(),
    seal: { state: 'closed' },
  });
  assert.equal((await ingest(ahead, '10.1.1.2')).reason, 'clock_skew');
  const keys = await p.http.inject({ method: 'GET', url: `/api/v1/devices/${other}/keys`, headers: p.auth });
  const keyId = (keys.json().items as { keyId: string; status: string }[]).find((k) => k.status === 'active')!.keyId;
  assert.equal((await post(`/api/v1/devices/${other}/keys/${keyId}/revoke`, { reason: 'lost' })).statusCode, 200);
  const replay = await ingest(ahead, '203.0.113.10');
  assert.deepEqual([replay.status, replay.reason], ['rejected', 'key_revoked']);
  assert.equal(await forgedOn(), 0, 'no message_forged for bytes the quarantine already held');
  const fresh = signMessage(otherKey, { device: other, seq: 2, time: new Date().toISOString(), seal: { state: 'closed' } });
  assert.equal((await ingest(fresh, '10.1.1.2')).reason, 'key_revoked');
  assert.equal(await forgedOn(), 1, 'a message never seen before under the revoked key is still alerted');
});
