/**
 * EPC binary → GS1 identity (GS1 EPC Tag Data Standard 1.13 §14.3-§14.5): SGTIN-96/198,
 * SSCC-96, SGLN-96, GRAI-96/170, GIAI-96/202. Expected failures are values, never exceptions.
 */
import { decodeString7 } from './gs1';
import { buildIdentity, type EpcIdentity } from './identity';
import { schemeByHeader, type SchemeSpec } from './schemes';

/** Why an EPC could not be read as a GS1 identity. */
export type EpcDecodeReason =
  | 'not_hex' // not an even run of hex digits
  | 'too_short' // fewer bits than the scheme named by the header needs
  | 'unknown_epc_header' // a header this decoder does not read (unprogrammed, non-GS1, reserved, GID, …)
  | 'invalid_partition' // partition value 7 (TDS §14.3.3: only 0..6 are defined)
  | 'value_out_of_range' // a numeric field holds more digits than its partition allows
  | 'invalid_string' // a 7-bit string field has a character outside the GS1 82-set or non-zero padding
  | 'nonzero_padding'; // reserved bits or bits after the scheme's length are not zero

export type EpcDecodeResult = { ok: true; identity: EpcIdentity } | { ok: false; reason: EpcDecodeReason; detail: string };

const fail = (reason: EpcDecodeReason, detail: string): EpcDecodeResult => ({ ok: false, reason, detail });

/** Normalises an EPC as readers print it: optional `0x`, spaces or dashes between groups, any case. */
export function normaliseEpcHex(hex: string): string | null {
  const h = hex
    .trim()
    .replace(/^0x/i, '')
    .replace(/[\s:-]/g, '')
    .toUpperCase();
  return h.length > 0 && h.length % 2 === 0 && /^[0-9A-F]+$/.test(h) ? h : null;
}

/**
 * Decodes an EPC (hex, as read from EPC memory after the PC word) into its GS1 identity.
 * Bits after the scheme's length (word padding in EPC memory) must be zero.
 */
export function decodeEpc(hex: string): EpcDecodeResult {
  const h = normaliseEpcHex(hex);
  if (h === null) return fail('not_hex', `"${hex.slice(0, 64)}" is not hex`);
  const header = parseInt(h.slice(0, 2), 16);
  const spec = schemeByHeader(header);
  if (!spec) return fail('unknown_epc_header', `header 0x${h.slice(0, 2)} is not a GS1 scheme read here`);
  const totalBits = h.length * 4;
  if (totalBits < spec.bits) return fail('too_short', `${spec.scheme} needs ${spec.bits} bits, got ${totalBits}`);
  const all = BigInt(`0x${h}`);
  const extra = totalBits - spec.bits;
  if (extra > 0 && (all & ((1n << BigInt(extra)) - 1n)) !== 0n) return fail('nonzero_padding', `bits after ${spec.bits} are not zero`);
  return decodeFields(spec, all >> BigInt(extra));
}

function decodeFields(spec: SchemeSpec, value: bigint): EpcDecodeResult {
  let pos = spec.bits - 8; // bits left after the header
  const take = (n: number): bigint => {
    pos -= n;
    return (value >> BigInt(pos)) & ((1n << BigInt(n)) - 1n);
  };
  const filter = Number(take(3));
  const partition = Number(take(3));
  const row = spec.partitions[partition];
  if (!row) return fail('invalid_partition', `partition ${partition} is not defined for ${spec.scheme}`);
  const cp = take(row.cpBits);
  if (cp >= 10n ** BigInt(row.cpDigits)) return fail('value_out_of_range', `company prefix ${cp} exceeds ${row.cpDigits} digits`);
  const companyPrefix = cp.toString().padStart(row.cpDigits, '0');

  let reference: string;
  const refValue = take(row.refBits);
  if (spec.ref === 'string') {
    const s = decodeString7(refValue, row.refBits);
    if (!s) return fail('invalid_string', `${spec.scheme} asset reference is empty or not a GS1 string`);
    reference = s;
  } else {
    if (refValue >= 10n ** BigInt(row.refDigits))
      return fail('value_out_of_range', `reference ${refValue} exceeds ${row.refDigits} digits`);
    // TDS §14.3.4 vs §14.3.1: padded references keep their leading zeros, integers have none.
    reference = spec.ref === 'padded' ? (row.refDigits === 0 ? '' : refValue.toString().padStart(row.refDigits, '0')) : refValue.toString();
  }

  let serial: string | null = null;
  const t = spec.trailer;
  if (t.kind === 'integer') serial = take(t.bits).toString();
  else if (t.kind === 'string') {
    serial = decodeString7(take(t.bits), t.bits);
    if (!serial) return fail('invalid_string', `${spec.scheme} serial is empty or not a GS1 string`);
  } else if (t.kind === 'reserved' && take(t.bits) !== 0n) return fail('nonzero_padding', `${spec.scheme} reserved bits are not zero`);
  return { ok: true, identity: buildIdentity(spec, filter, companyPrefix, reference, serial) };
}
