import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { toTimestamp } from '../ids';
import {
  AUDIT_GENESIS,
  auditContentHash,
  canonicalJson,
  auditCheckpointMessage,
  chainGenesis,
  checkpointCovers,
  checkpointRegression,
  sealAuditEntries,
  verifyAuditEntries,
  type NewAuditEntry,
  type SealedAuditEntry,
} from './audit-chain';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const entry = (n: number, over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  kind: 'device_message',
  ref: `msg:D1:${n}`,
  time: toTimestamp(Date.UTC(2026, 10, 26, 3, 0, n)),
  actor: 'device:D1',
  subjects: ['D1', 'M1'],
  action: 'accepted',
  data: { seq: n, payloadHash: `h${n}` },
  ...over,
});

test('canonical JSON sorts keys at every depth and ignores undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('sealed entries number from 1 and link each to the one before', () => {
  const sealed = sealAuditEntries(null, [entry(1), entry(2), entry(3)], sha256);
  assert.deepEqual(
    sealed.map((e) => [e.chain, e.pos]),
    [
      ['main', 1],
      ['main', 2],
      ['main', 3],
    ],
  );
  assert.equal(sealed[0].prevHash, AUDIT_GENESIS);
  assert.equal(sealed[1].prevHash, sealed[0].hash);
  assert.equal(sealed[2].prevHash, sealed[1].hash);
  assert.match(sealed[2].hash, /^[0-9a-f]{64}$/);
  // Sealing in two steps gives the same chain as in one.
  const first = sealAuditEntries(null, [entry(1)], sha256);
  const rest = sealAuditEntries({ pos: 1, hash: first[0].hash }, [entry(2), entry(3)], sha256);
  assert.deepEqual([...first, ...rest], sealed);
});

test('verification accepts an intact trail, also page by page', () => {
  const sealed = sealAuditEntries(
    null,
    [1, 2, 3, 4, 5].map((n) => entry(n)),
    sha256,
  );
  assert.deepEqual(verifyAuditEntries(null, sealed, sha256), { ok: true, last: { pos: 5, hash: sealed[4].hash } });
  const a = verifyAuditEntries(null, sealed.slice(0, 2), sha256);
  assert.ok(a.ok);
  assert.deepEqual(verifyAuditEntries(a.last, sealed.slice(2), sha256), { ok: true, last: { pos: 5, hash: sealed[4].hash } });
});

test('verification names the first altered entry and what is wrong with it', () => {
  const sealed = sealAuditEntries(
    null,
    [1, 2, 3, 4].map((n) => entry(n)),
    sha256,
  );
  const altered: SealedAuditEntry[] = sealed.map((e) => ({ ...e }));
  altered[2] = { ...altered[2], data: { seq: 3, payloadHash: 'forged' } };
  assert.deepEqual(verifyAuditEntries(null, altered, sha256), {
    ok: false,
    chain: 'main',
    pos: 3,
    problem: 'content_altered',
    detail: 'the content of entry 3 differs from what was sealed',
  });

  // Re-hashing the altered content does not help: the link hash no longer matches.
  const rehashed = sealed.map((e) => ({ ...e }));
  rehashed[1] = { ...rehashed[1], action: 'rejected:bad_signature' };
  rehashed[1].contentHash = auditContentHash(rehashed[1], sha256);
  assert.equal((verifyAuditEntries(null, rehashed, sha256) as { problem: string }).problem, 'hash_mismatch');

  const removed = [sealed[0], sealed[2], sealed[3]];
  assert.deepEqual(verifyAuditEntries(null, removed, sha256), {
    ok: false,
    chain: 'main',
    pos: 2,
    problem: 'seq_gap',
    detail: 'entry 2 is missing (next stored is 3)',
  });

  // An attacker who re-seals everything after the change breaks the link with the verified past.
  const resealed = sealAuditEntries({ pos: 2, hash: 'f'.repeat(64) }, [entry(3), entry(4)], sha256);
  assert.equal(
    (verifyAuditEntries({ pos: 2, hash: sealed[1].hash }, resealed, sha256) as { problem: string }).problem,
    'prev_hash_mismatch',
  );
});

test('a chain other than main starts from a hash of its name: its entries cannot pass into another chain', () => {
  const p3 = sealAuditEntries(null, [entry(1), entry(2)], sha256, 'partition:3');
  assert.equal(p3[0].prevHash, chainGenesis('partition:3', sha256));
  assert.notEqual(chainGenesis('partition:3', sha256), chainGenesis('partition:4', sha256));
  assert.deepEqual(verifyAuditEntries(null, p3, sha256, 'partition:3'), { ok: true, last: { pos: 2, hash: p3[1].hash } });
  // The same entries renamed into partition 4 (or into main) do not verify there.
  const moved = p3.map((e) => ({ ...e, chain: 'partition:4' }));
  assert.equal((verifyAuditEntries(null, moved, sha256, 'partition:4') as { problem: string }).problem, 'prev_hash_mismatch');
  assert.equal((verifyAuditEntries(null, p3, sha256, 'main') as { problem: string }).problem, 'seq_gap');
});

test('checkpoint bytes: version 1 as it always was, version 2 naming every head; coverage and regressions', () => {
  const h = (chain: string, pos: number) => ({ chain, pos, hash: `${chain}-${pos}` });
  const time = toTimestamp(Date.UTC(2026, 11, 7));
  assert.equal(auditCheckpointMessage({ version: 1, time, heads: [h('main', 7)] }), `sealwatch-audit-checkpoint/1\n7\nmain-7\n${time}`);
  assert.equal(
    auditCheckpointMessage({ version: 2, time, heads: [h('main', 7), h('partition:1', 3)] }),
    `sealwatch-audit-checkpoint/2\n${time}\nmain 7 main-7\npartition:1 3 partition:1-3\n`,
  );
  const cp = { heads: [h('main', 7), h('partition:1', 3)] };
  assert.ok(
    checkpointCovers(cp, [
      { chain: 'main', pos: 7 },
      { chain: 'partition:1', pos: 1 },
    ]),
  );
  assert.ok(!checkpointCovers(cp, [{ chain: 'partition:1', pos: 4 }]));
  assert.ok(!checkpointCovers(cp, [{ chain: 'partition:2', pos: 1 }]));
  assert.equal(
    checkpointRegression([{ heads: [h('main', 7)] }, cp, { heads: [h('main', 9), h('partition:1', 3), h('shared:1', 1)] }]),
    null,
  );
  assert.deepEqual(checkpointRegression([cp, { heads: [h('main', 8), h('partition:1', 2)] }]), {
    index: 1,
    chain: 'partition:1',
    was: 3,
    now: 2,
  });
  assert.deepEqual(checkpointRegression([cp, { heads: [h('main', 8)] }]), { index: 1, chain: 'partition:1', was: 3, now: null });
});
