import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { merkleProof, merkleRoot, messageBatchEntry, messageLeafHash, messageLeafJson, rootFromProof } from './audit-batch';
import { canonicalJson } from './audit-chain';
import { toTimestamp } from '../ids';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
const leaf = (i: number) =>
  messageLeafHash(
    { device: `D-${i}`, seq: i, payloadHash: `h${i}`, trust: 'verified', protocol: 'native', receivedAt: '2026-12-06T21:00:00.000Z' },
    sha256,
  );

test('every leaf of trees of 1 to 33 leaves proves to the root, and no other leaf or position does', () => {
  for (let n = 1; n <= 33; n++) {
    const leaves = Array.from({ length: n }, (_, i) => leaf(i));
    const root = merkleRoot(leaves, sha256);
    for (let i = 0; i < n; i++) {
      const steps = merkleProof(leaves, i, sha256);
      assert.equal(rootFromProof(leaves[i], steps, sha256), root, `leaf ${i} of ${n}`);
      assert.ok(steps.length <= Math.ceil(Math.log2(n)), 'a proof is logarithmic');
      if (n > 1) assert.notEqual(rootFromProof(leaf(1000), steps, sha256), root, 'another leaf fails');
    }
  }
});

test('a changed message, a reordered batch or an inner node passed as a leaf gives another root', () => {
  const leaves = Array.from({ length: 8 }, (_, i) => leaf(i));
  const root = merkleRoot(leaves, sha256);
  const altered = messageLeafHash(
    { device: 'D-3', seq: 3, payloadHash: 'h3', trust: 'unverified', protocol: 'native', receivedAt: '2026-12-06T21:00:00.000Z' },
    sha256,
  );
  assert.notEqual(merkleRoot([...leaves.slice(0, 3), altered, ...leaves.slice(4)], sha256), root);
  assert.notEqual(merkleRoot([leaves[1], leaves[0], ...leaves.slice(2)], sha256), root);
  // The two children of the root, as a two-leaf tree, must not reproduce the root (domain separation).
  const left = merkleRoot(leaves.slice(0, 4), sha256);
  const right = merkleRoot(leaves.slice(4), sha256);
  assert.equal(merkleRoot([left, right], sha256), root, 'the tree is built of those halves');
  assert.notEqual(messageLeafHash({ device: left, seq: null, payloadHash: right, trust: '', protocol: '', receivedAt: '' }, sha256), root);
});

test('a batch entry names its observation ids and root, and no device', () => {
  const leaves = [leaf(0), leaf(1), leaf(2)];
  const e = messageBatchEntry(
    { firstId: 41, lastId: 43, leafHashes: leaves, transports: ['mqtt', 'http', 'http'] },
    toTimestamp(0),
    sha256,
  );
  assert.equal(e.ref, 'batch:41');
  assert.deepEqual(e.subjects, []);
  assert.deepEqual(e.data, { count: 3, merkleRoot: merkleRoot(leaves, sha256), firstId: 41, lastId: 43, transports: ['http', 'mqtt'] });
  assert.throws(() => merkleRoot([], sha256));
});

test('a leaf is the canonical JSON of its facts, written out without the generic sort', () => {
  for (const l of [
    { device: 'KE-"1"', seq: 7, payloadHash: 'abc', trust: 'signed', protocol: 'native', receivedAt: '2026-12-06T21:00:00.000Z' },
    { device: 'OSM-1', seq: null, payloadHash: 'x\\y', trust: 'unverified', protocol: 'osmand', receivedAt: '2026-12-06T21:00:00.000Z' },
  ])
    assert.equal(messageLeafJson(l), canonicalJson(l));
});
