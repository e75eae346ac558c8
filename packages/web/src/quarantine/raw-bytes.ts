/**
 * The raw bytes of a quarantined input as an operator reads them: decoded from the API's base64,
 * shown as a hex dump (offset, 16 bytes in hex, printable ASCII) or as text when they are text.
 */

/** Bytes of a base64 (or base64url) string; null when it is not base64. */
export function bytesOfBase64(b64: string): Uint8Array | null {
  const clean = b64.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
  try {
    const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** "00000010  7b 22 61 …  {"a…" lines of 16 bytes; at most `maxBytes` shown, the rest counted on a last line. */
export function hexDump(bytes: Uint8Array, maxBytes = 4096): string {
  const lines: string[] = [];
  const n = Math.min(bytes.length, maxBytes);
  for (let off = 0; off < n; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, n));
    const hex = [...row]
      .map(hex2)
      .join(' ')
      .padEnd(16 * 3 - 1, ' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex}  ${ascii}`);
  }
  if (bytes.length > n) lines.push(`… ${bytes.length - n} more bytes`);
  return lines.join('\n');
}

/** The bytes as UTF-8 text when they are printable text (a JWS, JSON, a text frame), else null. */
export function textOf(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? null : text;
}
