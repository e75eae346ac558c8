/**
 * An evidence export stays verifiable offline across key rotations: the device's key was rotated
 * during the movement (messages under the old key during the overlap, and under the new one), and
 * the server's audit key was rotated after the checkpoint that covers the movement.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { auditRotateKeyCommand } from '../cli/audit';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../../..');
type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
before(async () => {
  p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
});
after(() => p.cleanup());

test('a movement during which the device key was rotated verifies offline, also after the server key was rotated', async () => {
  const post = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });
  const device = 'KE-ROT-1';
  const k1 = generateDeviceKey('ES256');
  const k2 = generateDeviceKey('ES256');
  for (const office of [mombasaOffice, malabaOffice]) assert.equal((await post('/api/v1/offices', office)).statusCode, 201);
  assert.equal(
    (await post('/api/v1/devices', { id: device, class: 'active', kind: 'e_lock', protocol: 'native', key: k1.registration })).statusCode,
    201,
  );
  const movement = (await post('/api/v1/movements', buildMovementBody({ devices: [device] }))).json().id as string;
  assert.equal((await post(`/api/v1/movements/${movement}/start`, {})).statusCode, 200);
  const msg = (key: typeof k1, seq: number) =>
    signMessage(key, {
      device,
      seq,
      time: new Date().toISOString(),
      position: { lat: -3.9, lon: 39.5 },
      seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    });
  const ingest = async (messages: string[]) =>
    (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages } }))
      .json()
      .results.map((r: { status: string }) => r.status);

  assert.deepEqual(await ingest([msg(k1, 1), msg(k1, 2)]), ['accepted', 'accepted']);
  const keyId = (await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}/keys`, headers: p.auth })).json().items[0].keyId;
  assert.equal(
    (
      await post(`/api/v1/devices/${device}/keys/${keyId}/rotate`, {
        ...k2.registration,
        overlapS: 3600,
        reason: 'scheduled rotation of the device key',
      })
    ).statusCode,
    201,
  );
  assert.deepEqual(await ingest([msg(k2, 3), msg(k1, 4), msg(k2, 5)]), ['accepted', 'accepted', 'accepted']);

  const cp = (await p.ctx.audit.checkpoint())!;
  const rotated = await auditRotateKeyCommand({ SEALWATCH_DATA_DIR: p.dir }, () => {});
  assert.equal(rotated.previous, cp.keyId);

  const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${movement}/evidence`, headers: p.auth });
  assert.equal(r.statusCode, 200, r.body);
  const evidence = r.json();
  assert.equal(evidence.checkpoint.keyId, cp.keyId, 'the covering checkpoint was signed by the old server key');
  assert.equal(evidence.server.keyId, cp.keyId);
  assert.deepEqual(
    evidence.serverKeys.map((k: { keyId: string }) => k.keyId),
    [rotated.keyId, cp.keyId],
  );
  const keys = evidence.devices[0].keys;
  assert.deepEqual(
    keys.map((k: { status: string }) => k.status),
    ['retiring', 'active'],
  );
  assert.ok(keys[0].validUntil && keys[1].validFrom);

  const file = join(p.dir, 'evidence.json');
  writeFileSync(file, r.body);
  const good = await run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file, '--key', `${rotated.keyId},${cp.keyId}`]);
  assert.match(good.stdout, /5 observations are in the trail \(5 by inclusion proof\); 5 device signatures verify\nVERIFIED/);

  // Without the rotated-away device key the old messages no longer verify: the export needs both.
  writeFileSync(file, JSON.stringify({ ...evidence, devices: [{ ...evidence.devices[0], keys: [keys[1]] }] }));
  await assert.rejects(run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file]), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /KE-ROT-1#1: the device signature does not verify with any of its keys/);
    return true;
  });
  // A key claimed usable only after the message was received is refused.
  writeFileSync(
    file,
    JSON.stringify({
      ...evidence,
      devices: [{ ...evidence.devices[0], keys: [{ ...keys[0], validFrom: '2999-01-01T00:00:00.000Z' }, keys[1]] }],
    }),
  );
  await assert.rejects(run(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file]), /not usable when it was received/);
});
