/** Fuzz: random bits never throw, every decodable EPC re-encodes to the same bits, random identities round-trip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEpc, type EpcDecodeReason } from './epc-decode';
import { encodeEpc } from './epc-encode';
import { SCHEMES, paddedHexLength } from './schemes';

let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const int = (n: number) => Math.floor(rand() * n);
const hexOf = (chars: number) => Array.from({ length: chars }, () => '0123456789ABCDEF'[int(16)]).join('');
const reasons = new Set<EpcDecodeReason>([
  'not_hex',
  'too_short',
  'unknown_epc_header',
  'invalid_partition',
  'value_out_of_range',
  'invalid_string',
  'nonzero_padding',
]);

test('fuzz: random hex never throws; failures name a known reason; successes re-encode to the same bits', () => {
  let decodedCount = 0;
  for (let i = 0; i < 20_000; i++) {
    const spec = SCHEMES[int(SCHEMES.length)];
    // Mostly a known header with random body, so the field decoders are exercised, not just the header check.
    const body = hexOf(int(3) === 0 ? int(60) : paddedHexLength(spec) - 2);
    const hex = (int(5) === 0 ? hexOf(2) : spec.header.toString(16).toUpperCase()) + body;
    const r = decodeEpc(hex);
    if (!r.ok) {
      assert.ok(reasons.has(r.reason), r.reason);
      continue;
    }
    decodedCount++;
    const back = encodeEpc(r.identity.tagUri);
    assert.ok(back.ok, `${hex} → ${r.identity.tagUri} → ${back.ok ? '' : back.reason}`);
    assert.equal(back.hex, hex.slice(0, back.hex.length));
  }
  assert.ok(decodedCount > 1000, `only ${decodedCount} random EPCs decoded`);
});

test('fuzz: random GS1 identities of every scheme round-trip through hex', () => {
  const chars = 'ABCXYZabcxyz0189-._!%&/?<>"';
  const str = (max: number) => Array.from({ length: 1 + int(max) }, () => chars[int(chars.length)]).join('');
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
  for (let i = 0; i < 3000; i++) {
    const spec = SCHEMES[int(SCHEMES.length)];
    const row = spec.partitions[int(7)];
    const cp = digits(row.cpDigits);
    const ref = spec.ref === 'string' ? str(row.refDigits) : spec.ref === 'integer' ? String(int(1e9)) : digits(row.refDigits);
    const t = spec.trailer;
    const serial = t.kind === 'integer' ? String(int(2 ** 31)) : t.kind === 'string' ? str(Math.floor(t.bits / 7)) : null;
    const esc = (s: string) => s.replace(/["%&/<>?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    const uri = `urn:epc:tag:${spec.scheme}:${int(8)}.${[cp, esc(ref), ...(serial === null ? [] : [esc(serial)])].join('.')}`;
    const enc = encodeEpc(uri);
    assert.ok(enc.ok, `${uri}: ${enc.ok ? '' : enc.reason}`);
    const dec = decodeEpc(enc.hex);
    assert.ok(dec.ok, `${uri} → ${enc.hex}: ${dec.ok ? '' : dec.reason}`);
    assert.equal(dec.identity.tagUri, uri);
    assert.equal(dec.identity.reference, ref);
    assert.equal(dec.identity.serial, serial);
  }
});
