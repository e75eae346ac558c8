/** Splitting a JWS compact serialisation (RFC 7515 §7.1) into its checked parts. */

export interface CompactJws {
  header: Record<string, unknown>;
  payloadBytes: Buffer;
  /** ASCII `base64url(header).base64url(payload)`: what the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const b64url = /^[A-Za-z0-9_-]*$/;

/** Parses a compact JWS; on failure says which part is wrong. Never throws. */
export function parseCompactJws(
  text: string,
): { ok: true; jws: CompactJws } | { ok: false; reason: 'malformed_jws' | 'invalid_header'; detail: string } {
  const parts = text.trim().split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed_jws', detail: `expected 3 dot-separated parts, got ${parts.length}` };
  const [h, p, s] = parts;
  if (!h || !s || !b64url.test(h) || !b64url.test(p) || !b64url.test(s)) {
    return { ok: false, reason: 'malformed_jws', detail: 'parts must be non-empty unpadded base64url' };
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_header', detail: 'header is not JSON' };
  }
  if (!header || typeof header !== 'object' || Array.isArray(header))
    return { ok: false, reason: 'invalid_header', detail: 'header is not a JSON object' };
  const { alg, kid, crit } = header as Record<string, unknown>;
  if (typeof alg !== 'string') return { ok: false, reason: 'invalid_header', detail: 'header.alg is missing' };
  if (typeof kid !== 'string' || kid.length === 0)
    return { ok: false, reason: 'invalid_header', detail: 'header.kid (the device id) is missing' };
  // RFC 7515 §4.1.11: extensions we do not understand must make the JWS invalid.
  if (crit !== undefined) return { ok: false, reason: 'invalid_header', detail: 'header.crit extensions are not supported' };
  return {
    ok: true,
    jws: {
      header: header as Record<string, unknown>,
      payloadBytes: Buffer.from(p, 'base64url'),
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
    },
  };
}
