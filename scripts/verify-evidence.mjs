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
  return `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
}
const contentHash = (e) => sha256hex(canonical({ kind: e.kind, ref: e.ref, time: e.time, actor: e.actor, subjects: e.subjects, action: e.action, data: e.data }));
const linkHash = (seq, prev, content) => sha256hex(`sealwatch-audit/1\n${seq}\n${prev}\n${content}`);

if (ev.format !== 'sealwatch-evidence/1') fail(`unknown format ${ev.format}`);
console.log(`Evidence for movement ${ev.movement.id} (${ev.movement.reference}), generated ${ev.generatedAt}`);

// 1. The server key: its thumbprint (RFC 7638) is what the administration publishes.
const jwk = ev.server.publicJwk;
const thumb = createHash('sha256').update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`).digest('base64url');
if (thumb !== ev.server.keyId) fail(`server key thumbprint ${thumb} differs from the stated key id ${ev.server.keyId}`);
if (expectedKey && expectedKey !== thumb) fail(`server key ${thumb} is not the published key ${expectedKey}`);
ok(`server key ${thumb}${expectedKey ? ' (matches the published thumbprint)' : ' (compare it with the published thumbprint, or pass --key)'}`);

// 2. The chain segment: every link recomputed from the one before, without gaps.
const { fromSeq, prevHash, links } = ev.chain;
let prev = prevHash;
links.forEach((l, i) => {
  if (l.seq !== fromSeq + i) fail(`chain link ${fromSeq + i} is missing`);
  if (linkHash(l.seq, prev, l.contentHash) !== l.hash) fail(`chain link ${l.seq} does not follow from the one before`);
  prev = l.hash;
});
ok(`chain entries ${fromSeq}..${fromSeq + links.length - 1} link up`);

// 3. The signed checkpoint vouches for the last link.
const cp = ev.checkpoint;
const last = links.at(-1);
if (!last || last.seq !== cp.seq || last.hash !== cp.hash) fail(`the chain does not end at checkpoint ${cp.seq}`);
const message = `sealwatch-audit-checkpoint/1\n${cp.seq}\n${cp.hash}\n${cp.time}`;
const serverKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
if (!verify(null, Buffer.from(message), serverKey, Buffer.from(cp.signature, 'base64url'))) fail(`the signature of checkpoint ${cp.seq} does not verify`);
ok(`checkpoint ${cp.seq} signed at ${cp.time} verifies`);

// 4. Each disclosed entry is exactly the content sealed at its place in the chain.
const bySeq = new Map(links.map((l) => [l.seq, l]));
for (const e of ev.entries) {
  const link = bySeq.get(e.seq);
  if (!link) fail(`entry ${e.seq} lies outside the proven chain`);
  if (contentHash(e) !== link.contentHash) fail(`entry ${e.seq} (${e.ref}) was altered`);
}
ok(`${ev.entries.length} entries about the movement are unaltered`);

// 5. Each observation is the one the trail recorded; signed ones carry the device's own signature.
const refs = new Set(ev.entries.map((e) => e.ref));
const keys = new Map(ev.devices.map((d) => [d.id, d.key]));
let signed = 0;
for (const o of ev.observations) {
  if (!refs.has(`msg:${o.device}:${o.seq ?? '-'}:${o.hash}`)) fail(`observation ${o.device}#${o.seq ?? o.id} has no entry in the trail`);
  if (o.protocol !== 'native') continue;
  const [h, p, s] = o.raw.split('.');
  if (createHash('sha256').update(Buffer.from(p, 'base64url')).digest('base64url') !== o.hash) fail(`observation ${o.device}#${o.seq}: payload differs from its recorded hash`);
  const key = keys.get(o.device);
  if (!key) continue; // HS256 devices: the shared secret is not exported; the trail entry is the proof.
  const pub = createPublicKey({ key: key.jwk, format: 'jwk' });
  const input = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const good = key.alg === 'EdDSA' ? verify(null, input, pub, sig) : verify('sha256', input, { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
  if (!good) fail(`observation ${o.device}#${o.seq}: the device signature does not verify`);
  signed += 1;
}
ok(`${ev.observations.length} observations are in the trail; ${signed} device signatures verify`);
console.log('VERIFIED');
