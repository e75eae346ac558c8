/**
 * Payload encryption of native protocol v1 as JOSE: a JWE compact serialisation (RFC 7516 §7.1)
 * whose plaintext is the device's signed JWS (docs/native-protocol.md, "Encrypted messages").
 * Two key managements, one content encryption:
 * - `alg: dir` (RFC 7518 §4.5): the device's 32-byte content key, registered with the device;
 * - `alg: ECDH-ES` (RFC 7518 §4.6, RFC 8037 §3.2 for X25519): an ephemeral P-256 or X25519 key
 *   (`epk`) agreed with the server's published encryption key, the CEK from the Concat KDF;
 * and `enc: A256GCM` (RFC 7518 §5.3) for both. Anything else is refused, never negotiated.
 * Only node:crypto is used: the formats are small, and a JOSE library would bring in the
 * algorithms we deliberately do not accept.
 */
import { createDecipheriv, createHash, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';

export type JweAlg = 'dir' | 'ECDH-ES';
export type DecryptFailure = {
  ok: false;
  reason: 'malformed_jws' | 'invalid_header' | 'algorithm_not_allowed' | 'decryption_failed';
  detail: string;
};

export interface CompactJwe {
  header: Record<string, unknown>;
  alg: JweAlg;
  /** `kid` of the protected header: the device id for `dir`, the server key id (optional) for ECDH-ES. */
  kid: string | null;
  /** ASCII of the encoded protected header: the additional authenticated data (RFC 7516 §5.2 step 14). */
  aad: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

const b64url = /^[A-Za-z0-9_-]*$/;
/** AES-GCM with a 96-bit IV and the full 128-bit tag (RFC 7518 §5.3); a shorter tag would weaken the check. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** True for text shaped like a JWE compact serialisation (five dot-separated parts). */
export const looksLikeJwe = (text: string): boolean => text.trim().split('.').length === 5;

/** Splits and checks a compact JWE; never throws. */
export function parseCompactJwe(text: string): { ok: true; jwe: CompactJwe } | DecryptFailure {
  const parts = text.trim().split('.');
  if (parts.length !== 5 || !parts.every((p) => b64url.test(p)))
    return { ok: false, reason: 'malformed_jws', detail: 'a JWE is 5 dot-separated unpadded base64url parts' };
  const [h, ek, iv, ct, tag] = parts;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_header', detail: 'JWE header is not JSON' };
  }
  if (!header || typeof header !== 'object' || Array.isArray(header))
    return { ok: false, reason: 'invalid_header', detail: 'JWE header is not a JSON object' };
  const hd = header as Record<string, unknown>;
  if (hd.alg !== 'dir' && hd.alg !== 'ECDH-ES')
    return { ok: false, reason: 'algorithm_not_allowed', detail: `JWE alg ${JSON.stringify(hd.alg)} is not accepted (dir or ECDH-ES)` };
  if (hd.enc !== 'A256GCM')
    return { ok: false, reason: 'algorithm_not_allowed', detail: `JWE enc ${JSON.stringify(hd.enc)} is not accepted (A256GCM)` };
  // RFC 7516 §4.1.3: compression before encryption leaks content through length; none here.
  if (hd.zip !== undefined) return { ok: false, reason: 'invalid_header', detail: 'JWE zip is not supported' };
  if (hd.crit !== undefined) return { ok: false, reason: 'invalid_header', detail: 'JWE crit extensions are not supported' };
  if (hd.kid !== undefined && (typeof hd.kid !== 'string' || hd.kid.length === 0))
    return { ok: false, reason: 'invalid_header', detail: 'JWE kid must be a non-empty string' };
  if (hd.alg === 'dir' && hd.kid === undefined) return { ok: false, reason: 'invalid_header', detail: 'a dir JWE names its device in kid' };
  // dir and ECDH-ES (direct key agreement) carry no encrypted key (RFC 7518 §4.5, §4.6).
  if (ek !== '') return { ok: false, reason: 'invalid_header', detail: `the encrypted key part must be empty for ${hd.alg}` };
  const jwe: CompactJwe = {
    header: hd,
    alg: hd.alg as JweAlg,
    kid: (hd.kid as string | undefined) ?? null,
    aad: Buffer.from(h, 'ascii'),
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ct, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (jwe.iv.length !== IV_BYTES) return { ok: false, reason: 'decryption_failed', detail: `the IV must be ${IV_BYTES} bytes` };
  if (jwe.tag.length !== TAG_BYTES)
    return { ok: false, reason: 'decryption_failed', detail: `the authentication tag must be ${TAG_BYTES} bytes` };
  return { ok: true, jwe };
}

/** AES-256-GCM decryption; null when the key is wrong or anything was altered. */
export function decryptA256Gcm(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | null {
  if (key.length !== 32 || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    return null;
  }
}

/**
 * The Concat KDF of NIST SP 800-56A as profiled by RFC 7518 §4.6.2 (SHA-256), for direct key
 * agreement: AlgorithmID is the `enc` value, SuppPubInfo the key length in bits.
 */
export function concatKdf(
  z: Buffer,
  keyBits: number,
  algorithmId: string,
  apu: Buffer = Buffer.alloc(0),
  apv: Buffer = Buffer.alloc(0),
): Buffer {
  const lenPrefixed = (b: Buffer) => Buffer.concat([u32(b.length), b]);
  const otherInfo = Buffer.concat([lenPrefixed(Buffer.from(algorithmId, 'ascii')), lenPrefixed(apu), lenPrefixed(apv), u32(keyBits)]);
  const rounds = Math.ceil(keyBits / 256);
  const out = Buffer.concat(
    Array.from({ length: rounds }, (_, i) =>
      createHash('sha256')
        .update(u32(i + 1))
        .update(z)
        .update(otherInfo)
        .digest(),
    ),
  );
  return out.subarray(0, keyBits / 8);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** The server's private keys by curve, for ECDH-ES. */
export interface AgreementKeys {
  'P-256': { kid: string; privateKey: KeyObject };
  X25519: { kid: string; privateKey: KeyObject };
}

/**
 * The content encryption key of an ECDH-ES JWE: the ephemeral public key (`epk`) agreed with the
 * server's key of the same curve. Points off the curve and X25519 small-order points are refused
 * (invalid-curve attacks recover the private key otherwise).
 */
export function ecdhEsKey(header: Record<string, unknown>, keys: AgreementKeys): { ok: true; cek: Buffer } | DecryptFailure {
  const epk = header.epk as Record<string, unknown> | undefined;
  if (!epk || typeof epk !== 'object')
    return { ok: false, reason: 'invalid_header', detail: 'ECDH-ES needs epk, the ephemeral public key' };
  const curve = epk.kty === 'EC' && epk.crv === 'P-256' ? 'P-256' : epk.kty === 'OKP' && epk.crv === 'X25519' ? 'X25519' : null;
  if (!curve) return { ok: false, reason: 'algorithm_not_allowed', detail: 'epk must be an EC P-256 or OKP X25519 public key' };
  if (epk.d !== undefined) return { ok: false, reason: 'invalid_header', detail: 'epk must not hold a private key' };
  const mine = keys[curve];
  if (typeof header.kid === 'string' && header.kid !== mine.kid)
    return {
      ok: false,
      reason: 'decryption_failed',
      detail: `kid ${header.kid} is not the server's ${curve} encryption key (${mine.kid})`,
    };
  let z: Buffer;
  try {
    const jwk = curve === 'P-256' ? { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y } : { kty: 'OKP', crv: 'X25519', x: epk.x };
    // OpenSSL checks that an EC point lies on the curve when the key is imported.
    const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
    z = diffieHellman({ privateKey: mine.privateKey, publicKey });
  } catch (e) {
    return { ok: false, reason: 'decryption_failed', detail: `epk is not a usable ${curve} public key: ${(e as Error).message}` };
  }
  if (z.every((b) => b === 0)) return { ok: false, reason: 'decryption_failed', detail: 'epk is a small-order point' };
  for (const m of ['apu', 'apv']) {
    if (header[m] !== undefined && (typeof header[m] !== 'string' || !b64url.test(header[m] as string)))
      return { ok: false, reason: 'invalid_header', detail: `${m} must be base64url` };
  }
  const party = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64url') : Buffer.alloc(0));
  return { ok: true, cek: concatKdf(z, 256, 'A256GCM', party(header.apu), party(header.apv)) };
}
