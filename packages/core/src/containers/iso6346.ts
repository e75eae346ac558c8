/**
 * ISO 6346 container numbers: owner code (3 letters), equipment category (U, J or Z; EN 13044
 * also allows A, B, D, E, K), 6-digit serial, check digit.
 */

// Letter values count from A = 10 and skip multiples of 11 (ISO 6346 Annex A).
const letterValues: Record<string, number> = (() => {
  const values: Record<string, number> = {};
  let v = 10;
  for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    if (v % 11 === 0) v++;
    values[ch] = v++;
  }
  return values;
})();

const shape = /^[A-Z]{3}[UJZABDEK]\d{6}\d?$/;

/** Check digit of the first 10 characters, or null if they are not an owner code, category and serial. */
export function containerCheckDigit(first10: string): number | null {
  const s = first10.toUpperCase();
  if (s.length !== 10 || !shape.test(s)) return null;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = s[i];
    const value = i < 4 ? letterValues[ch] : Number(ch);
    sum += value * 2 ** i;
  }
  return (sum % 11) % 10;
}

/** True when `s` is an 11-character ISO 6346 number whose check digit is right. Spaces are not allowed. */
export function isValidContainerNumber(s: string): boolean {
  if (s.length !== 11 || !shape.test(s)) return false;
  return containerCheckDigit(s.slice(0, 10)) === Number(s[10]);
}
