/**
 * What the container number field says while the officer types: the ISO 6346 check digit is
 * verified with core's rule (the same one the server applies), and a wrong digit names the right one.
 */
import { containerCheckDigit } from '@sealwatch/core/containers/iso6346';

export type ContainerCheck =
  | { status: 'empty' }
  | { status: 'short' }
  | { status: 'shape' }
  | { status: 'check_digit'; expected: number; actual: number }
  | { status: 'ok'; value: string };

/** Upper case, without spaces and dashes: "csqu 305438-3" → "CSQU3054383". */
export function normaliseContainer(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

export function checkContainer(raw: string): ContainerCheck {
  const s = normaliseContainer(raw);
  if (!s) return { status: 'empty' };
  if (!/^[A-Z]{0,3}$|^[A-Z]{3}[UJZABDEK]\d{0,7}$/.test(s)) return { status: 'shape' };
  if (s.length < 11) return { status: 'short' };
  const expected = containerCheckDigit(s.slice(0, 10));
  if (expected === null) return { status: 'shape' };
  const actual = Number(s[10]);
  return expected === actual ? { status: 'ok', value: s } : { status: 'check_digit', expected, actual };
}

/** True when the form may be sent: empty (the field is optional) or a valid number. */
export const containerAcceptable = (c: ContainerCheck) => c.status === 'empty' || c.status === 'ok';
