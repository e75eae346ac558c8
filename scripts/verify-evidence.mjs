#!/usr/bin/env node
// Checks a Sealwatch evidence export offline: `node verify-evidence.mjs evidence.json [--key <thumbprint>]`.
// It needs Node.js (18 or later) and nothing else; it deliberately shares no code with the server,
// so a third party can read all of it (docs/audit.md explains each step).
// Exit code 0: every check holds; 1: a check failed (the first failure is printed); 2: bad usage.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node verify-evidence.mjs <evidence.json> [--key <published key thumbprint>]');
  process.exit(2);
}
const expectedKey = rest[0] === '--key' ? rest[1] : null;
const ev = JSON.parse(readFileSync(file, 'utf8'));
const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const fail = (msg) => {
  console.error(`FAILED: ${msg}`);
  process.exit(1);
};
const ok = (msg) => console.log(`ok  ${msg}`);

// JSON with keys sorted at every depth, no whitespace: the bytes the server hashed.
function canonical(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`;
  return `{${Object.keys(v)
    .filter((k) => v[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(',')}}`;
}
const contentHash = (e) =>
  sha256hex(canonical({ kind: e.kind, ref: e.ref, time: e.time, actor: e.actor, subjects: e.subjects, action: e.action, data: e.data }));
const linkHash = (seq, prev, content) => sha256hex(`sealwatch-audit/1\n${seq}\n${prev}\n${content}`);

if (ev.format !== 'sealwatch-evidence/1' && ev.format !== 'sealwatch-evidence/2') fail(`unknown format ${ev.format}`);
console.log(`Evidence for movement ${ev.movement.id} (${ev.movement.reference}), generated ${ev.generatedAt}`);

// Format 1 (before chains) has one chain segment and a checkpoint of its head: read it as format 2
// with the one chain `main`, whose positions are the entries' seqs.
const cp =
  ev.format === 'sealwatch-evidence/1'
    ? { ...ev.checkpoint, version: 1, heads: [{ chain: 'main', pos: ev.checkpoint.seq, hash: ev.checkpoint.hash }] }
    : ev.checkpoint;
const chains =
  ev.format === 'sealwatch-evidence/1'
    ? [
        {
          chain: 'main',
          fromPos: ev.chain.fromSeq,
          prevHash: ev.chain.prevHash,
          links: ev.chain.links.map((l) => ({ ...l, pos: l.seq })),
        },
      ]
    : ev.chains;
const entries = ev.format === 'sealwatch-evidence/1' ? ev.entries.map((e) => ({ ...e, chain: 'main', pos: e.seq })) : ev.entries;

// 1. The server key that signed the checkpoint (after a key rotation, one of several: picked by
//    the checkpoint's keyId); its thumbprint (RFC 7638) is what the administration published.
const signer = (ev.serverKeys ?? [ev.server]).find((k) => k.keyId === cp.keyId) ?? ev.server;
const jwk = signer.publicJwk;
const thumb = createHash('sha256').update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`).digest('base64url');
if (thumb !== signer.keyId) fail(`server key thumbprint ${thumb} differs from the stated key id ${signer.keyId}`);
if (cp.keyId !== undefined && cp.keyId !== thumb) fail(`the checkpoint names key ${cp.keyId}, which the export does not hold`);
// --key may name several published thumbprints (comma-separated): the signing key must be one.
if (expectedKey && !expectedKey.split(',').includes(thumb)) fail(`server key ${thumb} is not a published key (${expectedKey})`);
ok(
  `server key ${thumb}${expectedKey ? ' (matches a published thumbprint)' : ' (compare it with the published thumbprint, or pass --key)'}`,
);

// 2. The signed checkpoint. Version 1 names one chain's head; version 2 every chain's head, one
//    line each, so that one signature vouches for all the chains at once.
const message =
  cp.version === 1
    ? `sealwatch-audit-checkpoint/1\n${cp.heads[0].pos}\n${cp.heads[0].hash}\n${cp.time}`
    : `sealwatch-audit-checkpoint/2\n${cp.time}\n${cp.heads.map((h) => `${h.chain} ${h.pos} ${h.hash}\n`).join('')}`;
const serverKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
if (!verify(null, Buffer.from(message), serverKey, Buffer.from(cp.signature, 'base64url')))
  fail(`the signature of the checkpoint of ${cp.time} does not verify`);
ok(`checkpoint signed at ${cp.time} verifies (${cp.heads.length} chain head${cp.heads.length === 1 ? '' : 's'})`);

// 3. Each chain segment: every link recomputed from the one before, without gaps, up to the head
//    the checkpoint names for that chain.
const linkAt = new Map();
for (const c of chains) {
  let prev = c.prevHash;
  c.links.forEach((l, i) => {
    if (l.pos !== c.fromPos + i) fail(`chain ${c.chain}: link ${c.fromPos + i} is missing`);
    if (linkHash(l.pos, prev, l.contentHash) !== l.hash) fail(`chain ${c.chain}: link ${l.pos} does not follow from the one before`);
    linkAt.set(`${c.chain} ${l.pos}`, l);
    prev = l.hash;
  });
  const head = cp.heads.find((h) => h.chain === c.chain);
  const last = c.links.at(-1);
  if (!head || !last || last.pos !== head.pos || last.hash !== head.hash) fail(`chain ${c.chain} does not end at the checkpoint's head`);
  ok(`chain ${c.chain}: entries ${c.fromPos}..${last.pos} link up to the signed head`);
}

// 4. Each disclosed entry is exactly the content sealed at its place in its chain.
for (const e of entries) {
  const link = linkAt.get(`${e.chain} ${e.pos}`);
  if (!link || (link.seq !== undefined && link.seq !== e.seq)) fail(`entry ${e.seq} lies outside the proven chains`);
  if (contentHash(e) !== link.contentHash) fail(`entry ${e.seq} (${e.ref}) was altered`);
}
ok(`${entries.length} entries about the movement are unaltered`);

// 5. Each observation is the one the trail recorded; signed ones carry the device's own signature.
const refs = new Set(entries.map((e) => e.ref));
// A device may hold several keys over a movement (rotation, revocation): each message is checked
// against every key of its algorithm, and the key that verifies must have been usable when the
// server received it (validFrom ≤ receivedAt < validUntil, and not yet revoked).
const keys = new Map(
  ev.devices.map((d) => [d.id, d.keys ?? (d.key ? [{ keyId: 'key', ...d.key, validFrom: null, validUntil: null, revokedAt: null }] : [])]),
);
const usableAt = (k, t) => (!k.validFrom || k.validFrom <= t) && (!k.validUntil || t < k.validUntil) && (!k.revokedAt || t < k.revokedAt);
let signed = 0;
// A message recorded in a batch entry (one entry per commit) is proven by its leaf and the sibling
// hashes up to the entry's Merkle root; leaves and inner nodes are hashed with different prefixes.
const entryBySeq = new Map(entries.map((e) => [e.seq, e]));
const leafHash = (o) =>
  sha256hex(
    `sealwatch-leaf/1\n${canonical({ device: o.device, seq: o.seq ?? null, payloadHash: o.hash, trust: o.trust, protocol: o.protocol, receivedAt: o.receivedAt })}`,
  );
const inBatch = (o) => {
  const e = entryBySeq.get(o.proof.entry);
  if (!e || e.kind !== 'device_message' || e.action !== 'accepted_batch') return false;
  if (!(o.id >= e.data.firstId && o.id <= e.data.lastId)) return false;
  const root = o.proof.steps.reduce(
    (h, s) => sha256hex(s.side === 'L' ? `sealwatch-node/1\n${s.hash}\n${h}` : `sealwatch-node/1\n${h}\n${s.hash}`),
    leafHash(o),
  );
  return root === e.data.merkleRoot;
};
let proven = 0;
for (const o of ev.observations) {
  if (o.proof) {
    if (!inBatch(o)) fail(`observation ${o.device}#${o.seq ?? o.id} is not in the batch entry ${o.proof.entry} it names`);
    proven += 1;
  } else if (!refs.has(`msg:${o.device}:${o.seq ?? '-'}:${o.hash}`))
    fail(`observation ${o.device}#${o.seq ?? o.id} has no entry in the trail`);
  if (o.protocol !== 'native') continue;
  const [h, p, s] = o.raw.split('.');
  if (createHash('sha256').update(Buffer.from(p, 'base64url')).digest('base64url') !== o.hash)
    fail(`observation ${o.device}#${o.seq}: payload differs from its recorded hash`);
  const alg = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')).alg;
  const candidates = (keys.get(o.device) ?? []).filter((k) => k.alg === alg);
  if (!candidates.length) continue; // HS256 devices: the shared secret is not exported; the trail entry is the proof.
  const input = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const key = candidates.find((k) => {
    const pub = createPublicKey({ key: k.jwk, format: 'jwk' });
    return k.alg === 'EdDSA' ? verify(null, input, pub, sig) : verify('sha256', input, { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
  });
  if (!key) fail(`observation ${o.device}#${o.seq}: the device signature does not verify with any of its keys`);
  if (!usableAt(key, o.receivedAt))
    fail(`observation ${o.device}#${o.seq}: signed with key ${key.keyId}, which was not usable when it was received (${o.receivedAt})`);
  signed += 1;
}
ok(`${ev.observations.length} observations are in the trail (${proven} by inclusion proof); ${signed} device signatures verify`);
console.log('VERIFIED');
