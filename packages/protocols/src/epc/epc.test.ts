/**
 * EPC ↔ GS1 identity: every TDS vector of reference/standards.md §2.5 and test cases 4-6, the
 * SGTIN-96 example of GS1 TDS 1.13 App. E (also DESIGN §5's sample read), round trips of the long
 * schemes, and one test per failure reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEpc } from './epc-decode';
import { encodeEpc } from './epc-encode';
import { elementStringToEpcUri } from './element-string';
import { checkDigit } from './gs1';

const decoded = (hex: string) => {
  const r = decodeEpc(hex);
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  return r.identity;
};

// [hex, tag URI, pure identity URI, element string] — standards.md §2.5 table (TDS 1.13 App. E).
const vectors: Array<[string, string, string, string]> = [
  [
    '3074257BF7194E4000001A85',
    'urn:epc:tag:sgtin-96:3.0614141.812345.6789',
    'urn:epc:id:sgtin:0614141.812345.6789',
    '(01)80614141123458(21)6789',
  ],
  ['3174257BF4499602D2000000', 'urn:epc:tag:sscc-96:3.0614141.1234567890', 'urn:epc:id:sscc:0614141.1234567890', '(00)106141412345678908'],
  [
    '3274257BF46072000000162E',
    'urn:epc:tag:sgln-96:3.0614141.12345.5678',
    'urn:epc:id:sgln:0614141.12345.5678',
    '(414)0614141123452(254)5678',
  ],
  [
    '3374257BF40C0E400000162E',
    'urn:epc:tag:grai-96:3.0614141.12345.5678',
    'urn:epc:id:grai:0614141.12345.5678',
    '(8003)006141411234525678',
  ],
  ['3474257BF40000000000162E', 'urn:epc:tag:giai-96:3.0614141.5678', 'urn:epc:id:giai:0614141.5678', '(8004)06141415678'],
];

for (const [hex, tagUri, pureUri, elementString] of vectors) {
  test(`decodes ${hex} to ${pureUri} and encodes its tag URI back to the same hex`, () => {
    const id = decoded(hex);
    assert.equal(id.tagUri, tagUri);
    assert.equal(id.pureIdentityUri, pureUri);
    assert.equal(id.elementString, elementString);
    assert.equal(id.filter, 3);
    assert.equal(id.companyPrefix, '0614141');
    const back = encodeEpc(tagUri);
    assert.ok(back.ok);
    assert.equal(back.hex, hex);
  });
}

test('the SGTIN-96 identity carries its GTIN-14 with the computed check digit', () => {
  const id = decoded('3074257bf7194e4000001a85'); // lower case, as DESIGN §5's sample read
  assert.deepEqual(id.key, { ai: '01', value: '80614141123458' });
  assert.equal(id.reference, '812345');
  assert.equal(id.serial, '6789');
});

test('standards test 4: SSCC check digit, element string → EPC URI and back', () => {
  assert.equal(checkDigit('10614141234567890'), 8);
  assert.deepEqual(elementStringToEpcUri('(00)106141412345678908', 7), { ok: true, uri: 'urn:epc:id:sscc:0614141.1234567890' });
  const enc = encodeEpc('urn:epc:id:sscc:0614141.1234567890', { filter: 3 });
  assert.ok(enc.ok);
  assert.equal(enc.hex, '3174257BF4499602D2000000');
  assert.equal(enc.identity.elementString, '(00)106141412345678908');
});

test('element strings of every key convert to the URIs of the vectors', () => {
  for (const [, , pureUri, elementString] of vectors) assert.deepEqual(elementStringToEpcUri(elementString, 7), { ok: true, uri: pureUri });
  assert.deepEqual(elementStringToEpcUri('(414)0614141123452', 7), { ok: true, uri: 'urn:epc:id:sgln:0614141.12345.0' });
  assert.equal((elementStringToEpcUri('(00)106141412345678907', 7) as { reason: string }).reason, 'bad_check_digit');
  assert.equal((elementStringToEpcUri('(10)ABC', 7) as { reason: string }).reason, 'unsupported_ai');
  assert.equal((elementStringToEpcUri('00106141412345678908', 7) as { reason: string }).reason, 'invalid_element_string');
  assert.equal((elementStringToEpcUri('(00)106141412345678908', 13) as { reason: string }).reason, 'invalid_company_prefix');
});

test('SGTIN-198 keeps an alphanumeric serial, %-escaped in URIs and plain in the element string', () => {
  const enc = encodeEpc('urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb');
  assert.ok(enc.ok);
  // Computed by this encoder; 52 hex = 198 bits padded to 13 words (TDS §15.1.1).
  assert.equal(enc.hex, '3674257BF6B7A659B2C2BF100000000000000000000000000000');
  const id = decoded(enc.hex);
  assert.equal(id.tagUri, 'urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb');
  assert.equal(id.elementString, '(01)70614141123451(21)32a/b');
});

test('a pure identity chooses the 96-bit scheme when it fits and the long scheme when not', () => {
  const short = encodeEpc('urn:epc:id:grai:0614141.12345.400');
  assert.ok(short.ok && short.identity.scheme === 'grai-96');
  const long = encodeEpc('urn:epc:id:grai:0614141.12345.ELOCK-7.A', { filter: 0 });
  assert.ok(long.ok);
  assert.equal(long.identity.scheme, 'grai-170');
  assert.equal(decoded(long.hex).pureIdentityUri, 'urn:epc:id:grai:0614141.12345.ELOCK-7.A');
  const giai = encodeEpc('urn:epc:id:giai:0614141.SEAL%26LOCK-0001');
  assert.ok(giai.ok);
  assert.equal(giai.identity.scheme, 'giai-202');
  assert.equal(decoded(giai.hex).elementString, '(8004)0614141SEAL&LOCK-0001');
  // A leading-zero asset reference is not an integer, so it cannot be GIAI-96 (TDS §14.3.1).
  const lead = encodeEpc('urn:epc:id:giai:0614141.012');
  assert.ok(lead.ok && lead.identity.scheme === 'giai-202');
});

test('decoding fails with a specific reason', () => {
  const reason = (hex: string) => {
    const r = decodeEpc(hex);
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason('E2801160200074CF0E4A0A06'), 'unknown_epc_header'); // a TID, not an EPC
  assert.equal(reason('000000000000000000000000'), 'unknown_epc_header'); // unprogrammed
  assert.equal(reason('3574257BF40000000000162E'), 'unknown_epc_header'); // GID-96 is not read here
  assert.equal(reason('30XY'), 'not_hex');
  assert.equal(reason('307'), 'not_hex');
  assert.equal(reason(''), 'not_hex');
  assert.equal(reason('3074257BF7194E40'), 'too_short');
  assert.equal(reason('307C257BF7194E4000001A85'), 'invalid_partition'); // partition bits 111
  assert.equal(reason('30FFFFFFFFFFFFFFFFFFFFFF'), 'invalid_partition');
  assert.equal(reason('3018FFFFFFFFFFFFFFFFFFFF'), 'value_out_of_range'); // partition 0, prefix 2^40-1 > 12 digits
  assert.equal(reason('3174257BF4499602D2000001'), 'nonzero_padding'); // SSCC-96 reserved bits
  assert.equal(reason('3074257BF7194E4000001A850001'), 'nonzero_padding'); // word padding not zero
  assert.equal(decoded('3074257BF7194E4000001A850000').serial, '6789'); // zero word padding is fine
  assert.equal(reason('367C257BF6B7A659B2C2BF100000000000000000000000000000'), 'invalid_partition'); // SGTIN-198, partition 7
  assert.equal(reason('3674257BF6B7A659B2C2BF100000000000000000000000000040'), 'nonzero_padding'); // bit past 198
  assert.equal(reason('3674257BF6B7A659B2C2BF100000000000000000000000001000'), 'invalid_string'); // a character after the terminator
});

test('encoding fails with a specific reason', () => {
  const reason = (uri: string, o?: Parameters<typeof encodeEpc>[1]) => {
    const r = encodeEpc(uri, o);
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason('urn:epc:id:sgtin'), 'invalid_uri');
  assert.equal(reason('urn:epc:idpat:sgtin:0614141.*.*'), 'invalid_uri');
  assert.equal(reason('urn:epc:tag:gid-96:0.1.2.3'), 'unknown_scheme');
  assert.equal(reason('urn:epc:id:sscc:0614141.1234567890', { scheme: 'sgtin-96' }), 'unknown_scheme');
  assert.equal(reason('urn:epc:tag:sgtin-96:8.0614141.812345.6789'), 'invalid_filter');
  assert.equal(reason('urn:epc:tag:sgtin-96:3.12345.8123456.6789'), 'invalid_company_prefix');
  assert.equal(reason('urn:epc:tag:sgtin-96:3.0614141.81234.6789'), 'invalid_reference');
  assert.equal(reason('urn:epc:tag:sgtin-96:3.0614141.812345.06789'), 'invalid_serial');
  assert.equal(reason('urn:epc:tag:sgtin-96:3.0614141.812345.274877906944'), 'invalid_serial'); // 2^38
  assert.equal(reason('urn:epc:tag:sgtin-198:3.0614141.812345.%ZZ'), 'invalid_serial');
  assert.equal(reason('urn:epc:tag:sgtin-198:3.0614141.812345.ABCDEFGHIJKLMNOPQRSTU'), 'invalid_serial'); // 21 chars
  assert.equal(reason('urn:epc:id:sgtin:0614141.812345.caf\u00e9'), 'invalid_serial');
  assert.equal(reason('urn:epc:tag:sscc-96:3.0614141.123456789'), 'invalid_reference');
});
