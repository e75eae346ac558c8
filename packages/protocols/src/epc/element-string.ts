/**
 * GS1 element string → EPC pure-identity URI (GS1 EPC Tag Data Standard 1.13 §7.1-§7.6), for
 * keys printed on labels and in customs documents: `(00)106141412345678908` with a 7-digit
 * company prefix is `urn:epc:id:sscc:0614141.1234567890`. The reverse is `EpcIdentity.elementString`.
 */
import { checkDigit, escapeUriComponent, isGs1Chars } from './gs1';

export type ElementStringReason = 'invalid_element_string' | 'unsupported_ai' | 'bad_check_digit' | 'invalid_company_prefix';

export type ElementStringResult = { ok: true; uri: string } | { ok: false; reason: ElementStringReason; detail: string };

const fail = (reason: ElementStringReason, detail: string): ElementStringResult => ({ ok: false, reason, detail });

/** Splits `(01)…(21)…` into AI → value; null when it is not of that form. */
function parseAis(s: string): Map<string, string> | null {
  const re = /\((\d{2,4})\)([^()]+)/gy;
  const out = new Map<string, string>();
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(s))) {
    out.set(m[1], m[2]);
    end = re.lastIndex;
  }
  return end === s.length && out.size > 0 ? out : null;
}

const checked = (digits: string): boolean => checkDigit(digits.slice(0, -1)) === Number(digits.slice(-1));

/**
 * Converts an element string for SSCC (00), SGTIN (01)+(21), SGLN (414)[+(254)], GRAI (8003)
 * or GIAI (8004) into its EPC URI. The company-prefix length (6..12) is not in the string: it
 * comes from the GS1 member organisation, so the caller supplies it.
 */
export function elementStringToEpcUri(elementString: string, companyPrefixLength: number): ElementStringResult {
  const ais = parseAis(elementString.replace(/\s/g, ''));
  if (!ais) return fail('invalid_element_string', `"${elementString.slice(0, 80)}" is not (AI)value…`);
  const L = companyPrefixLength;
  if (!Number.isInteger(L) || L < 6 || L > 12) return fail('invalid_company_prefix', `company prefix length ${L} is not 6..12`);
  const digits = (v: string | undefined, n: number) => v !== undefined && new RegExp(`^\\d{${n}}$`).test(v);
  const sscc = ais.get('00');
  if (sscc !== undefined) {
    if (!digits(sscc, 18)) return fail('invalid_element_string', 'SSCC must be 18 digits');
    if (!checked(sscc)) return fail('bad_check_digit', `SSCC ${sscc} check digit`);
    return { ok: true, uri: `urn:epc:id:sscc:${sscc.slice(1, 1 + L)}.${sscc[0]}${sscc.slice(1 + L, 17)}` };
  }
  const gtin = ais.get('01');
  if (gtin !== undefined) {
    const serial = ais.get('21');
    if (!digits(gtin, 14) || !serial || serial.length > 20 || !isGs1Chars(serial))
      return fail('invalid_element_string', 'SGTIN needs a 14-digit (01) and a (21) serial');
    if (!checked(gtin)) return fail('bad_check_digit', `GTIN ${gtin} check digit`);
    return { ok: true, uri: `urn:epc:id:sgtin:${gtin.slice(1, 1 + L)}.${gtin[0]}${gtin.slice(1 + L, 13)}.${escapeUriComponent(serial)}` };
  }
  const gln = ais.get('414');
  if (gln !== undefined) {
    if (!digits(gln, 13)) return fail('invalid_element_string', 'GLN must be 13 digits');
    if (!checked(gln)) return fail('bad_check_digit', `GLN ${gln} check digit`);
    const ext = ais.get('254') ?? '0';
    return { ok: true, uri: `urn:epc:id:sgln:${gln.slice(0, L)}.${gln.slice(L, 12)}.${escapeUriComponent(ext)}` };
  }
  const grai = ais.get('8003');
  if (grai !== undefined) {
    if (!/^0\d{13}/.test(grai) || grai.length < 15 || !isGs1Chars(grai.slice(14)))
      return fail('invalid_element_string', 'GRAI must be 0, 13 digits and a serial');
    if (!checked(grai.slice(0, 14))) return fail('bad_check_digit', `GRAI ${grai.slice(0, 14)} check digit`);
    return { ok: true, uri: `urn:epc:id:grai:${grai.slice(1, 1 + L)}.${grai.slice(1 + L, 13)}.${escapeUriComponent(grai.slice(14))}` };
  }
  const giai = ais.get('8004');
  if (giai !== undefined) {
    if (!new RegExp(`^\\d{${L}}`).test(giai) || giai.length <= L || giai.length > 30 || !isGs1Chars(giai))
      return fail('invalid_element_string', 'GIAI must be the company prefix and an asset reference');
    return { ok: true, uri: `urn:epc:id:giai:${giai.slice(0, L)}.${escapeUriComponent(giai.slice(L))}` };
  }
  return fail('unsupported_ai', `none of (00) (01) (414) (8003) (8004) in ${elementString.slice(0, 80)}`);
}
