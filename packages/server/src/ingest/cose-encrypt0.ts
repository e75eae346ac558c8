/**
 * Payload encryption of native protocol v1 as COSE: a tagged COSE_Encrypt0 (RFC 9052 §5.2, tag
 * 16) whose plaintext is the device's COSE_Sign1 / COSE_Mac0 bytes, encrypted with A256GCM
 * (RFC 9053 §4.1, alg 3) under the device's registered content key. COSE_Encrypt0 has no
 * recipients, so the key is the device's: `kid` (label 4) names the device, `IV` (label 5) is 12
 * bytes, and the ciphertext carries the 16-byte tag at its end. The AAD is the Enc_structure
 * `["Encrypt0", protected, h'']`.
 */
import { Tag } from 'cbor-x';
import { decodeCbor, head } from './cose';
import type { DecryptFailure } from './jwe';

export const COSE_ENCRYPT0_TAG = 16;
const ALG = 1;
const CRIT = 2;
const KID = 4;
const IV = 5;
const PARTIAL_IV = 6;
/** A256GCM in the COSE algorithms registry (RFC 9053 §4.1). */
export const COSE_A256GCM = 3;

export interface CoseEncrypt0 {
  kid: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  /** The Enc_structure bytes (RFC 9052 §5.3). */
  aad: Buffer;
}

/** True when the bytes start with CBOR tag 16 (`d0`): a COSE_Encrypt0. */
export const looksLikeCoseEncrypt0 = (bytes: Uint8Array): boolean => bytes.length > 0 && bytes[0] === 0xc0 + COSE_ENCRYPT0_TAG;

const fail = (reason: DecryptFailure['reason'] | 'malformed_cose', detail: string) => ({ ok: false as const, reason, detail });
const bytesLike = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/** Parses a tagged COSE_Encrypt0 with alg A256GCM; never throws. */
export function parseCoseEncrypt0(
  bytes: Uint8Array,
): { ok: true; msg: CoseEncrypt0 } | { ok: false; reason: DecryptFailure['reason'] | 'malformed_cose'; detail: string } {
  let item: unknown;
  try {
    item = decodeCbor(bytes);
  } catch (e) {
    return fail('malformed_cose', `not one well-formed CBOR item: ${(e as Error).message}`);
  }
  if (!(item instanceof Tag) || item.tag !== COSE_ENCRYPT0_TAG) return fail('malformed_cose', 'expected a COSE_Encrypt0 (tag 16)');
  const parts = item.value as unknown;
  if (!Array.isArray(parts) || parts.length !== 3) return fail('malformed_cose', 'a COSE_Encrypt0 is an array of 3 items');
  const [protectedBytes, unprotected, ciphertext] = parts;
  if (!bytesLike(protectedBytes) || !(unprotected instanceof Map) || !bytesLike(ciphertext)) {
    return fail('malformed_cose', 'expected [protected bstr, unprotected map, ciphertext bstr]');
  }
  let headers: unknown;
  try {
    headers = protectedBytes.length === 0 ? new Map() : decodeCbor(protectedBytes);
  } catch {
    return fail('invalid_header', 'the protected header is not a CBOR map');
  }
  if (!(headers instanceof Map)) return fail('invalid_header', 'the protected header is not a CBOR map');
  if (headers.has(CRIT) || unprotected.has(CRIT)) return fail('invalid_header', 'crit (label 2) is not supported');
  if (unprotected.has(ALG)) return fail('invalid_header', 'alg (label 1) must be in the protected header');
  const alg = headers.get(ALG);
  if (alg !== COSE_A256GCM) return fail('algorithm_not_allowed', `COSE_Encrypt0 alg ${String(alg)} is not accepted (3, A256GCM)`);
  if (headers.has(PARTIAL_IV) || unprotected.has(PARTIAL_IV))
    return fail('invalid_header', 'Partial IV (label 6) is not supported; send the full IV (label 5)');
  if (headers.has(KID) && unprotected.has(KID)) return fail('invalid_header', 'kid (label 4) appears in both header buckets');
  const kidBytes = headers.get(KID) ?? unprotected.get(KID);
  if (!bytesLike(kidBytes) || kidBytes.length === 0) return fail('invalid_header', 'kid (label 4, the device id as a bstr) is missing');
  const kid = Buffer.from(kidBytes).toString('utf8');
  if (!Buffer.from(kid, 'utf8').equals(Buffer.from(kidBytes))) return fail('invalid_header', 'kid is not UTF-8');
  const iv = headers.get(IV) ?? unprotected.get(IV);
  if (!bytesLike(iv) || iv.length !== 12) return fail('decryption_failed', 'IV (label 5) must be a 12-byte bstr');
  if (ciphertext.length < 16) return fail('decryption_failed', 'the ciphertext is shorter than its 16-byte tag');
  const ct = Buffer.from(ciphertext);
  return {
    ok: true,
    msg: {
      kid,
      iv: Buffer.from(iv),
      ciphertext: ct.subarray(0, ct.length - 16),
      tag: ct.subarray(ct.length - 16),
      aad: encStructure(protectedBytes),
    },
  };
}

/** `["Encrypt0", protected, h'']` in deterministic CBOR (RFC 9052 §5.3), external_aad empty. */
export function encStructure(protectedBytes: Uint8Array): Buffer {
  const ctx = Buffer.from('Encrypt0', 'ascii');
  return Buffer.concat([Buffer.from([0x83]), head(3, ctx.length), ctx, head(2, protectedBytes.length), protectedBytes, head(2, 0)]);
}
