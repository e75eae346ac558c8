/**
 * The device a raw native message claims to come from, read without any cryptography: the JWS
 * `kid`, the COSE kid, or the `kid` of a `dir` JWE / COSE_Encrypt0. Unproven: use it only to look
 * up what the device may do (a rate limit's balance), never to charge or trust it. Null when the
 * message names no device outside its encryption (ECDH-ES) or cannot be read.
 */
import type { RawMessage } from './envelope';
import { parseCoseMessage } from './cose';
import { looksLikeCoseEncrypt0, parseCoseEncrypt0 } from './cose-encrypt0';
import { looksLikeJwe, parseCompactJwe } from './jwe';
import { parseCompactJws } from './jws';

export function claimedDevice(raw: RawMessage): string | null {
  if (typeof raw === 'string') {
    if (looksLikeJwe(raw)) {
      const p = parseCompactJwe(raw);
      return p.ok && p.jwe.alg === 'dir' ? p.jwe.kid : null;
    }
    const p = parseCompactJws(raw);
    return p.ok ? (p.jws.header.kid as string) : null;
  }
  if (looksLikeCoseEncrypt0(raw)) {
    const p = parseCoseEncrypt0(raw);
    return p.ok ? p.msg.kid : null;
  }
  const p = parseCoseMessage(raw);
  return p.ok ? p.cose.kid : null;
}
