/**
 * Realistic identifiers for simulated cargo: ISO 6346 container numbers with a correct check
 * digit, ISO 17712-style bolt seal numbers and IMEIs with a correct Luhn digit. Deterministic from
 * the numbers given, so a seeded PRNG gives reproducible cargo.
 */
import { containerCheckDigit } from '@sealwatch/core';

/** An ISO 6346 container number with its check digit: containerNumber('CSQU', 305438) → 'CSQU3054383'. */
export function containerNumber(ownerAndCategory: string, serial: number): string {
  const first10 = `${ownerAndCategory}${String(Math.trunc(Math.abs(serial)) % 1_000_000).padStart(6, '0')}`;
  const check = containerCheckDigit(first10);
  if (check === null) throw new Error(`not an ISO 6346 owner code and category: ${ownerAndCategory}`);
  return `${first10}${check}`;
}

/**
 * A bolt seal number as printed on ISO 17712 "H" class seals: the issuer's letters and a
 * 7-digit serial, e.g. 'KRA4820193'.
 */
export function sealNumber(prefix: string, serial: number): string {
  return `${prefix}${String(Math.trunc(Math.abs(serial)) % 10_000_000).padStart(7, '0')}`;
}

/** A 15-digit IMEI: 8-digit type allocation code, 6-digit serial, Luhn check digit. */
export function imei(tac: string, serial: number): string {
  if (!/^\d{8}$/.test(tac)) throw new Error(`a TAC has 8 digits: ${tac}`);
  const body = `${tac}${String(Math.trunc(Math.abs(serial)) % 1_000_000).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d *= 2; // doubling starts with the digit next to the check digit
    sum += d > 9 ? d - 9 : d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** True when a 15-digit IMEI's last digit is its Luhn check digit. */
export function isValidImei(s: string): boolean {
  return /^\d{15}$/.test(s) && imei(s.slice(0, 8), Number(s.slice(8, 14))) === s;
}

/** A UTC timestamp as yyyymmddHHMMss, for readable unique references. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
