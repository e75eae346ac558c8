/**
 * GS1 EPC URI → EPC binary (GS1 EPC Tag Data Standard 1.13 §14.3, §15): the inverse of
 * `decodeEpc`, so that tags can be written by tools and round trips tested.
 */
import { encodeString7, unescapeUriComponent } from './gs1';
import { buildIdentity, type EpcIdentity } from './identity';
import { paddedHexLength, schemeByName, SCHEMES, type EpcKind, type EpcScheme, type SchemeSpec } from './schemes';

export type EpcEncodeReason =
  | 'invalid_uri' // not urn:epc:id:… or urn:epc:tag:…, or the wrong number of components
  | 'unknown_scheme' // a scheme this encoder does not write
  | 'invalid_filter' // filter outside 0..7
  | 'invalid_company_prefix' // not 6..12 digits
  | 'invalid_reference' // wrong digit count, too large, or a string outside the GS1 82-set
  | 'invalid_serial'; // not an integer that fits, or a string too long / outside the 82-set

export type EpcEncodeResult = { ok: true; hex: string; identity: EpcIdentity } | { ok: false; reason: EpcEncodeReason; detail: string };

const fail = (reason: EpcEncodeReason, detail: string): EpcEncodeResult => ({ ok: false, reason, detail });
const INTEGER = /^(0|[1-9]\d*)$/; // TDS §14.3.1: integer fields have no leading zeros
const PARTS: Record<EpcKind, number> = { sgtin: 3, sscc: 2, sgln: 3, grai: 3, giai: 2 };

/**
 * Encodes a tag URI (`urn:epc:tag:sgtin-96:3.0614141.812345.6789`), or a pure-identity URI
 * (`urn:epc:id:sgtin:0614141.812345.6789`) with an optional `scheme` (default: the 96-bit scheme
 * when the values fit it, else the long one) and `filter` (default 0). Hex is upper case, padded
 * with zero bits to whole 16-bit words as EPC memory holds it.
 */
export function encodeEpc(uri: string, options: { scheme?: EpcScheme; filter?: number } = {}): EpcEncodeResult {
  const tag = /^urn:epc:tag:([a-z0-9-]+):(\d+)\.(.+)$/.exec(uri);
  if (tag) {
    const spec = schemeByName(tag[1]);
    if (!spec) return fail('unknown_scheme', `scheme ${tag[1]} is not written here`);
    return encodeWith(spec, Number(tag[2]), tag[3]);
  }
  const id = /^urn:epc:id:([a-z]+):(.+)$/.exec(uri);
  if (!id) return fail('invalid_uri', `"${uri.slice(0, 80)}" is not an EPC URI`);
  const candidates = SCHEMES.filter((s) => s.kind === id[1] && (!options.scheme || s.scheme === options.scheme));
  if (!candidates.length) return fail('unknown_scheme', `no ${options.scheme ?? 'scheme'} for ${id[1]}`);
  let result: EpcEncodeResult = fail('unknown_scheme', id[1]);
  for (const spec of candidates) {
    result = encodeWith(spec, options.filter ?? 0, id[2]);
    if (result.ok) return result;
  }
  return result; // the last (longest) scheme's reason says best why the values fit none
}

function encodeWith(spec: SchemeSpec, filter: number, body: string): EpcEncodeResult {
  if (!Number.isInteger(filter) || filter < 0 || filter > 7) return fail('invalid_filter', `filter ${filter} is not 0..7`);
  // Split on the first separators only: '.' is a legal, unescaped character of a string serial.
  const n = PARTS[spec.kind];
  const first = body.indexOf('.');
  const second = n === 3 ? body.indexOf('.', first + 1) : -1;
  if (first < 0 || (n === 3 && second < 0)) return fail('invalid_uri', `${spec.kind} needs ${n} components`);
  const cp = body.slice(0, first);
  const refText = n === 3 ? body.slice(first + 1, second) : body.slice(first + 1);
  const serialText = n === 3 ? body.slice(second + 1) : null;

  const row = /^\d+$/.test(cp) ? spec.partitions.find((r) => r.cpDigits === cp.length) : undefined;
  if (!row) return fail('invalid_company_prefix', `company prefix "${cp}" is not 6..12 digits`);
  const partition = spec.partitions.indexOf(row);

  let refBits: bigint;
  let reference: string;
  if (spec.ref === 'string') {
    const s = unescapeUriComponent(refText);
    if (!s || s.length > row.refDigits) return fail('invalid_reference', `asset reference must be 1..${row.refDigits} GS1 characters`);
    reference = s;
    refBits = encodeString7(s, row.refBits);
  } else {
    const ok =
      spec.ref === 'padded'
        ? new RegExp(`^\\d{${row.refDigits}}$`).test(refText)
        : INTEGER.test(refText) && refText.length <= row.refDigits;
    if (!ok || BigInt(refText || '0') >= 1n << BigInt(row.refBits))
      return fail('invalid_reference', `reference "${refText}" does not fit ${spec.scheme} with a ${row.cpDigits}-digit company prefix`);
    reference = refText;
    refBits = BigInt(refText || '0');
  }

  let value = (BigInt(spec.header) << 3n) | BigInt(filter);
  value = (value << 3n) | BigInt(partition);
  value = (value << BigInt(row.cpBits)) | BigInt(cp);
  value = (value << BigInt(row.refBits)) | refBits;
  let serial: string | null = null;
  const t = spec.trailer;
  if (t.kind === 'integer') {
    if (serialText === null || !INTEGER.test(serialText) || BigInt(serialText) >= 1n << BigInt(t.bits))
      return fail('invalid_serial', `serial "${serialText}" is not an integer below 2^${t.bits}`);
    serial = serialText;
    value = (value << BigInt(t.bits)) | BigInt(serialText);
  } else if (t.kind === 'string') {
    const s = serialText === null ? null : unescapeUriComponent(serialText);
    const max = Math.floor(t.bits / 7);
    if (!s || s.length > max) return fail('invalid_serial', `serial must be 1..${max} GS1 characters`);
    serial = s;
    value = (value << BigInt(t.bits)) | encodeString7(s, t.bits);
  } else if (t.kind === 'reserved') {
    value <<= BigInt(t.bits);
  }
  const hexLength = paddedHexLength(spec);
  const hex = (value << BigInt(hexLength * 4 - spec.bits)).toString(16).toUpperCase().padStart(hexLength, '0');
  return { ok: true, hex, identity: buildIdentity(spec, filter, cp, reference, serial) };
}
