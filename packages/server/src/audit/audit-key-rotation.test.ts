/**
 * Rotating the audit signing key (`sealwatch audit rotate-key`): checkpoints signed before keep
 * verifying with the old public key, which the server lists with its validity; new checkpoints
 * are signed with the new key, also by a server that was running during the rotation.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditRotateKeyCommand } from '../cli/audit';
import { mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
before(async () => {
  p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
});
after(() => p.cleanup());

test('after rotate-key, old checkpoints verify with the kept public key and new ones are signed with the new key', async () => {
  const office = (code: string) =>
    p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: { ...mombasaOffice, code } });
  assert.equal((await office('KEA01')).statusCode, 201);
  const first = (await p.ctx.audit.checkpoint())!;
  const before = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/key', headers: p.auth })).json();
  assert.equal(first.keyId, before.keyId);
  assert.equal(before.keys.length, 1);

  const lines: string[] = [];
  const rotated = await auditRotateKeyCommand({ SEALWATCH_DATA_DIR: p.dir }, (l) => lines.push(l));
  assert.equal(rotated.previous, before.keyId);
  assert.notEqual(rotated.keyId, before.keyId);
  assert.match(lines[0], new RegExp(`new key ${rotated.keyId}`));

  assert.equal((await office('KEA02')).statusCode, 201);
  const second = (await p.ctx.audit.checkpoint())!;
  assert.equal(second.keyId, rotated.keyId, 'the running server signs with the new key');

  const key = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/key', headers: p.auth })).json();
  assert.equal(key.keyId, rotated.keyId);
  assert.deepEqual(
    key.keys.map((k: { keyId: string }) => k.keyId),
    [rotated.keyId, before.keyId],
  );
  assert.equal(key.keys[0].validUntil, null);
  assert.ok(key.keys[1].validUntil && key.keys[1].validUntil === key.keys[0].validFrom, 'the old key is valid until the new one starts');
  assert.deepEqual(key.keys[1].publicJwk, before.publicJwk);

  const report = (await p.http.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: p.auth })).json();
  assert.equal(report.ok, true, JSON.stringify(report));
  assert.equal(report.checkpoints, 2);
});
