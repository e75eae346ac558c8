/** COSE parsing: structure, headers, the Sig_structure bytes, and the CBOR payload's JSON data model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Encoder, Tag } from 'cbor-x';
import { generateDeviceKey } from '@sealwatch/sim/signer';
import { signCose } from '../testing/cose-signer';
import { cborPayloadToJson } from './cbor-payload';
import { head, parseCoseMessage, toBeSigned } from './cose';
import { importVerifyKey, verifySignature } from './jws-crypto.mjs';

const enc = new Encoder({ useRecords: false, mapsAsObjects: false } as never);
const reason = (bytes: Uint8Array) => {
  const r = parseCoseMessage(bytes);
  return r.ok ? 'ok' : `${r.reason}: ${r.detail}`;
};

test('Sig_structure is ["Signature1", protected, h\'\', payload] in deterministic CBOR, as cbor-x encodes it', () => {
  const prot = Buffer.from('a10127', 'hex');
  const payload = Buffer.alloc(300, 7);
  const mine = toBeSigned('Signature1', prot, payload);
  assert.deepEqual(mine, Buffer.from(enc.encode(['Signature1', prot, Buffer.alloc(0), payload])));
  assert.equal(mine.subarray(0, 12).toString('hex'), '846a5369676e617475726531');
  assert.deepEqual(
    [head(2, 23), head(2, 24), head(2, 300), head(2, 70_000)].map((b) => b.toString('hex')),
    ['57', '5818', '59012c', '5a00011170'],
  );
});

test('a signed message opens into alg, kid and payload, with the kid in either header bucket', () => {
  const key = generateDeviceKey('EdDSA');
  for (const kidIn of ['protected', 'unprotected'] as const) {
    const r = parseCoseMessage(signCose(key, { device: 'SEAL-1', seq: 1, time: '2026-11-26T03:22:52.120Z' }, { kidIn }));
    assert.ok(r.ok);
    assert.deepEqual([r.cose.structure, r.cose.alg, r.cose.kid, r.cose.signature.length], ['Sign1', -8, 'SEAL-1', 64]);
  }
  const mac = parseCoseMessage(signCose(generateDeviceKey('HS256'), { device: 'SEAL-2', seq: 1 }));
  assert.ok(mac.ok);
  assert.deepEqual([mac.cose.structure, mac.cose.alg, mac.cose.signature.length], ['Mac0', 5, 32]);
});

test('malformed messages and unsafe headers are refused with a reason, never thrown', () => {
  const key = generateDeviceKey('ES256');
  const good = signCose(key, { device: 'D', seq: 1 });
  assert.match(reason(Buffer.from('not cbor at all')), /^malformed_cose/);
  assert.match(reason(good.subarray(0, good.length - 3)), /^malformed_cose/);
  assert.match(reason(Buffer.concat([good, Buffer.from([0])])), /^malformed_cose/);
  assert.match(
    reason(enc.encode(new Tag([Buffer.alloc(0), new Map(), Buffer.alloc(0), Buffer.alloc(0)], 98))),
    /^malformed_cose: expected a COSE_Sign1/,
  );
  assert.match(
    reason(enc.encode(new Tag([Buffer.from('a10127', 'hex'), new Map([[4, Buffer.from('D')]]), null, Buffer.alloc(64)], 18))),
    /detached|attached/,
  );
  assert.match(
    reason(signCose(key, { device: 'D', seq: 1 }, { algUnprotected: true })),
    /^invalid_header: alg \(label 1\) must be in the protected header/,
  );
  assert.match(
    reason(
      enc.encode(
        new Tag(
          [
            Buffer.from(
              enc.encode(
                new Map<number, unknown>([
                  [1, -7],
                  [2, [99]],
                ]),
              ),
            ),
            new Map([[4, Buffer.from('D')]]),
            Buffer.alloc(1),
            Buffer.alloc(64),
          ],
          18,
        ),
      ),
    ),
    /crit/,
  );
  assert.match(reason(enc.encode(new Tag([Buffer.from('a10127', 'hex'), new Map(), Buffer.alloc(1), Buffer.alloc(64)], 18))), /kid/);
  for (let i = 0; i < 20_000; i++) {
    const m = Buffer.from(good);
    for (let k = 0; k < 1 + (i % 4); k++) m[(i * 7919 + k * 104729) % m.length] ^= 1 + ((i + k) % 255);
    parseCoseMessage(m.subarray(0, m.length - (i % 5)));
  }
});

test('a CBOR payload maps onto JSON; byte strings, tags, undefined and non-text keys are refused with their path', () => {
  assert.deepEqual(
    cborPayloadToJson(enc.encode({ device: 'D', seq: 3, battery: { level: 87.5 }, reads: [{ epc: 'ab' }], ok: true, none: null })),
    { ok: true, value: { device: 'D', seq: 3, battery: { level: 87.5 }, reads: [{ epc: 'ab' }], ok: true, none: null } },
  );
  const detail = (v: unknown) => {
    const r = cborPayloadToJson(enc.encode(v));
    return r.ok ? 'ok' : r.detail;
  };
  assert.match(detail({ device: 'D', raw: Buffer.from([1]) }), /payload\.raw: a byte string/);
  assert.match(detail({ device: 'D', time: new Date(0) }), /payload\.time: a date tag/);
  assert.match(detail(new Map<unknown, unknown>([[1, 'x']])), /map keys must be text/);
  assert.match(detail({ a: Number.NaN }), /NaN/);
  assert.equal(cborPayloadToJson(Buffer.from([0xff])).ok, false);
});

test('the worked example of docs/native-protocol.md decodes and its signature verifies with the RFC 8032 test key', () => {
  const doc = readFileSync(new URL('../../../../docs/native-protocol.md', import.meta.url), 'utf8');
  const hex = /```hex\n([0-9a-f\n]+)```/.exec(doc)?.[1].replace(/\n/g, '');
  assert.ok(hex, 'the docs hold a hex example');
  const r = parseCoseMessage(Buffer.from(hex, 'hex'));
  assert.ok(r.ok);
  assert.deepEqual([r.cose.alg, r.cose.kid, r.cose.payloadBytes.length], [-8, 'SEAL-000123', 120]);
  const key = importVerifyKey({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } });
  assert.equal(verifySignature('EdDSA', key, r.cose.toBeSigned, r.cose.signature), true);
  r.cose.toBeSigned[r.cose.toBeSigned.length - 1] ^= 1;
  assert.equal(verifySignature('EdDSA', key, r.cose.toBeSigned, r.cose.signature), false);
  const payload = cborPayloadToJson(r.cose.payloadBytes);
  assert.ok(payload.ok);
  assert.deepEqual(payload.value, {
    device: 'SEAL-000123',
    seq: 1842,
    time: '2026-11-26T03:22:52.120Z',
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    battery: { level: 87 },
  });
});

test('a CBOR payload that repeats a key in one map, or nests deeper than 16, is refused: decoders must not read evidence differently', () => {
  // {"seq": 1, "seq": 2}: cbor-x alone would keep the second silently.
  const twice = Buffer.from('a2637365710163736571' + '02', 'hex');
  const r = cborPayloadToJson(twice);
  assert.ok(!r.ok && /"seq" appears twice/.test(r.detail), JSON.stringify(r));
  const nestedIn = (inner: Buffer, n: number) => Buffer.concat([Buffer.alloc(n, 0x81), inner]);
  const deep = cborPayloadToJson(Buffer.concat([Buffer.from('a1617a', 'hex'), nestedIn(Buffer.from([0x01]), 5000)]));
  assert.ok(!deep.ok && /nested deeper than 16/.test(deep.detail), JSON.stringify(deep));
  const enc = new Encoder({ useRecords: false } as never);
  assert.equal(
    cborPayloadToJson(enc.encode({ a: { x: 1 }, b: { x: 2 }, c: [{ x: 1 }, { x: 2 }] })).ok,
    true,
    'the same key in two maps is fine',
  );
});
