/**
 * GS1 building blocks shared by the EPC decoder and encoder: the mod-10 check digit, the
 * 7-bit string method of long EPC schemes, and the URI escaping of EPC URIs (GS1 EPC Tag
 * Data Standard 1.13, "TDS" below). Pure functions, no I/O.
 */

/**
 * GS1 mod-10 check digit of a digit string (GS1 General Specifications §7.9; TDS §7.4 gives
 * the SSCC form): weights 3,1,3,… from the rightmost digit. `checkDigit("10614141234567890")` = 8.
 */
export function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? 3 * d : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The GS1 AI encodable character set 82 (TDS Table A-1), allowed in long-scheme serials. */
const CHARSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

export const isGs1Chars = (s: string): boolean => CHARSET_82.test(s);

// TDS §5 / Table A-1: these characters of the 82-set cannot stand literally in a URI and are
// written as %-escapes; every other character of the set appears as itself.
const ESCAPED: Record<string, string> = { '"': '%22', '%': '%25', '&': '%26', '/': '%2F', '<': '%3C', '>': '%3E', '?': '%3F' };

/** Escapes a GS1 string for an EPC URI component. */
export function escapeUriComponent(s: string): string {
  return s.replace(/["%&/<>?]/g, (c) => ESCAPED[c]);
}

/** Reverses `escapeUriComponent`; null when an escape is malformed or names a character outside the 82-set. */
export function unescapeUriComponent(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      out += s[i];
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    out += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return isGs1Chars(out) ? out : null;
}

/**
 * Reads the TDS §14.3.2 "String" field: 7-bit characters, ended by the first all-zero character,
 * every bit after it zero. Null when a character is outside the 82-set or padding is not zero.
 */
export function decodeString7(value: bigint, bits: number): string | null {
  const chars = Math.floor(bits / 7);
  let out = '';
  let ended = false;
  for (let i = 0; i < chars; i++) {
    const c = Number((value >> BigInt(bits - 7 * (i + 1))) & 0x7fn);
    if (c === 0) ended = true;
    else if (ended) return null;
    else out += String.fromCharCode(c);
  }
  const rest = bits - 7 * chars;
  if (rest > 0 && (value & ((1n << BigInt(rest)) - 1n)) !== 0n) return null;
  return isGs1Chars(out) ? out : null;
}

/** Writes a string with the TDS §14.3.2 "String" method into `bits` bits (zero-padded). */
export function encodeString7(s: string, bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < s.length; i++) v = (v << 7n) | BigInt(s.charCodeAt(i));
  return v << BigInt(bits - 7 * s.length);
}
