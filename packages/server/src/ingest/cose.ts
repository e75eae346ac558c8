/**
 * Native protocol v1 as COSE (RFC 9052) over CBOR, for constrained radio links
 * (docs/native-protocol.md). A message is a tagged COSE_Sign1 (tag 18; EdDSA = -8, ES256 = -7)
 * or, for devices holding a shared secret, a tagged COSE_Mac0 (tag 17; HMAC 256/256 = 5). `alg`
 * (label 1) sits in the protected header; `kid` (label 4, the device id as UTF-8 bytes) in the
 * protected or the unprotected one; `crit` (label 2) is refused. The payload is the native JSON
 * object encoded as a CBOR map with text keys. cbor-x reads the CBOR; the COSE structures
 * (Sig_structure, MAC_structure) are built here, byte for byte.
 */
import { Decoder, Tag } from 'cbor-x';

/** A COSE message split into what the signature covers and the claims to check. */
export interface CoseMessage {
  structure: 'Sign1' | 'Mac0';
  /** The COSE algorithm number from the protected header. */
  alg: number;
  kid: string;
  payloadBytes: Buffer;
  /** Sig_structure / MAC_structure bytes: what the signature or tag covers (RFC 9052 §4.4, §6.3). */
  toBeSigned: Buffer;
  signature: Buffer;
}

export type CoseParseResult = { ok: true; cose: CoseMessage } | { ok: false; reason: 'malformed_cose' | 'invalid_header'; detail: string };

const COSE_SIGN1_TAG = 18;
const COSE_MAC0_TAG = 17;
const ALG = 1;
const CRIT = 2;
const KID = 4;

// Maps keep integer labels; records (a cbor-x extension) are off.
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false } as never);

/** Decodes one CBOR item; throws on malformed or trailing bytes. */
export function decodeCbor(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

const bytesLike = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const fail = (reason: 'malformed_cose' | 'invalid_header', detail: string): CoseParseResult => ({ ok: false, reason, detail });

/** Parses a tagged COSE_Sign1 or COSE_Mac0; never throws. */
export function parseCoseMessage(bytes: Uint8Array): CoseParseResult {
  let item: unknown;
  try {
    item = decodeCbor(bytes);
  } catch (e) {
    return fail('malformed_cose', `not one well-formed CBOR item: ${(e as Error).message}`);
  }
  if (!(item instanceof Tag) || (item.tag !== COSE_SIGN1_TAG && item.tag !== COSE_MAC0_TAG)) {
    return fail('malformed_cose', 'expected a COSE_Sign1 (tag 18) or COSE_Mac0 (tag 17)');
  }
  const parts = item.value as unknown;
  if (!Array.isArray(parts) || parts.length !== 4) return fail('malformed_cose', 'a COSE message is an array of 4 items');
  const [protectedBytes, unprotected, payload, signature] = parts;
  if (!bytesLike(protectedBytes) || !(unprotected instanceof Map) || !bytesLike(signature)) {
    return fail('malformed_cose', 'expected [protected bstr, unprotected map, payload bstr, signature bstr]');
  }
  if (!bytesLike(payload)) return fail('malformed_cose', 'the payload must be attached (a bstr, not nil)');
  let headers: unknown;
  try {
    headers = protectedBytes.length === 0 ? new Map() : decodeCbor(protectedBytes);
  } catch {
    return fail('invalid_header', 'the protected header is not a CBOR map');
  }
  if (!(headers instanceof Map)) return fail('invalid_header', 'the protected header is not a CBOR map');
  if (headers.has(CRIT) || unprotected.has(CRIT)) return fail('invalid_header', 'crit (label 2) is not supported');
  // RFC 9052 §3.1: alg must be protected, or a verifier could be talked into another algorithm.
  if (unprotected.has(ALG)) return fail('invalid_header', 'alg (label 1) must be in the protected header');
  const alg = headers.get(ALG);
  if (typeof alg !== 'number' || !Number.isInteger(alg)) return fail('invalid_header', 'alg (label 1) is missing or not an integer');
  if (headers.has(KID) && unprotected.has(KID)) return fail('invalid_header', 'kid (label 4) appears in both header buckets');
  const kidBytes = headers.get(KID) ?? unprotected.get(KID);
  if (!bytesLike(kidBytes) || kidBytes.length === 0) return fail('invalid_header', 'kid (label 4, the device id as a bstr) is missing');
  const kid = Buffer.from(kidBytes).toString('utf8');
  if (!Buffer.from(kid, 'utf8').equals(Buffer.from(kidBytes))) return fail('invalid_header', 'kid is not UTF-8');
  const structure = item.tag === COSE_SIGN1_TAG ? 'Sign1' : 'Mac0';
  return {
    ok: true,
    cose: {
      structure,
      alg,
      kid,
      payloadBytes: Buffer.from(payload),
      signature: Buffer.from(signature),
      toBeSigned: toBeSigned(structure === 'Sign1' ? 'Signature1' : 'MAC0', protectedBytes, payload),
    },
  };
}

/**
 * `[context, body_protected, external_aad, payload]` in CBOR (RFC 9052 §4.4 Sig_structure,
 * §6.3 MAC_structure), external_aad empty. Built by hand: definite lengths, shortest heads,
 * exactly as the RFC's deterministic encoding asks.
 */
export function toBeSigned(context: 'Signature1' | 'MAC0', protectedBytes: Uint8Array, payload: Uint8Array): Buffer {
  const ctx = Buffer.from(context, 'ascii');
  return Buffer.concat([
    Buffer.from([0x84]),
    head(3, ctx.length),
    ctx,
    head(2, protectedBytes.length),
    protectedBytes,
    head(2, 0),
    head(2, payload.length),
    payload,
  ]);
}

/** A CBOR head: major type and argument in the shortest form (RFC 8949 §3). */
export function head(major: number, n: number): Buffer {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) return Buffer.from([m | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = m | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
