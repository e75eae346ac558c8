/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps,
 * 6 digits, what every authenticator app implements. Secrets are base32 (RFC 4648) as apps expect.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = ALPHABET.indexOf(c);
    if (i < 0) throw new Error('invalid base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new 160-bit secret (RFC 4226 recommends at least 128). */
export const newTotpSecret = () => base32Encode(randomBytes(20));

/** The 6-digit code for the 30-second step containing `timeMs`. */
export function totpCode(secret: string, timeMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/**
 * The 30-second time step whose code `code` is: the current step or one either side (clock drift,
 * typing time); null if none. Sign-in remembers the step so that no code is accepted twice.
 */
export function matchTotp(secret: string, code: string, timeMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  let found: number | null = null;
  // Every candidate is compared (no early exit): the time taken does not tell which step matched.
  for (const d of [-1, 0, 1]) {
    if (timingSafeEqual(Buffer.from(totpCode(secret, timeMs + d * 30_000)), Buffer.from(code))) found = Math.floor(timeMs / 30_000) + d;
  }
  return found;
}

/** Accepts the code of the current step or one step either side. */
export const verifyTotp = (secret: string, code: string, timeMs: number): boolean => matchTotp(secret, code, timeMs) !== null;

/** The otpauth:// URI an authenticator app scans (as a QR code) to enrol. */
export const totpUri = (secret: string, account: string) =>
  `otpauth://totp/Sealwatch:${encodeURIComponent(account)}?secret=${secret}&issuer=Sealwatch`;
