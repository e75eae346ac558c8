/**
 * What a decoded EPC means: the pure-identity URI, the tag URI with its filter value, and the
 * GS1 element string with its computed check digit (GS1 EPC Tag Data Standard 1.13 §6, §7, §12).
 */
import { checkDigit, escapeUriComponent } from './gs1';
import type { EpcKind, EpcScheme, SchemeSpec } from './schemes';

/** The GS1 key an EPC carries: GTIN (01), SSCC (00), GLN (414), GRAI (8003) or GIAI (8004). */
export interface Gs1Key {
  ai: '01' | '00' | '414' | '8003' | '8004';
  value: string;
}

/** A GS1 identity decoded from (or encoded into) an EPC. Strings in fields are unescaped. */
export interface EpcIdentity {
  scheme: EpcScheme;
  kind: EpcKind;
  /** Filter value 0..7 (TDS §10), only in the tag URI: it says what kind of object carries the tag. */
  filter: number;
  companyPrefix: string;
  /** Item reference (with indicator), serial reference (with extension), location reference, asset type, or asset reference. */
  reference: string;
  /** Serial number (SGTIN, GRAI) or GLN extension (SGLN); null for SSCC and GIAI. */
  serial: string | null;
  /** e.g. `urn:epc:id:sgtin:0614141.812345.6789` (TDS §6.3). */
  pureIdentityUri: string;
  /** e.g. `urn:epc:tag:sgtin-96:3.0614141.812345.6789` (TDS §12.3). */
  tagUri: string;
  /** GS1 element string with AIs in parentheses, e.g. `(01)80614141123458(21)6789` (TDS §7). */
  elementString: string;
  key: Gs1Key;
}

const withCheck = (digits: string): string => digits + String(checkDigit(digits));

/** The GS1 key and element string of a pure identity (TDS §7.1-§7.6). */
function gs1Of(kind: EpcKind, cp: string, ref: string, serial: string | null): { key: Gs1Key; elementString: string } {
  switch (kind) {
    case 'sgtin': {
      // TDS §7.1: the indicator digit leads the item reference in the EPC but the GTIN-14.
      const gtin = withCheck(ref[0] + cp + ref.slice(1));
      return { key: { ai: '01', value: gtin }, elementString: `(01)${gtin}(21)${serial}` };
    }
    case 'sscc': {
      // TDS §7.4: likewise the extension digit leads the SSCC.
      const sscc = withCheck(ref[0] + cp + ref.slice(1));
      return { key: { ai: '00', value: sscc }, elementString: `(00)${sscc}` };
    }
    case 'sgln': {
      const gln = withCheck(cp + ref);
      // TDS §7.2: extension "0" means "no extension", so no AI 254.
      return { key: { ai: '414', value: gln }, elementString: serial === '0' ? `(414)${gln}` : `(414)${gln}(254)${serial}` };
    }
    case 'grai': {
      // TDS §7.5: AI 8003 is a 0 pad digit, the 13-digit GRAI with check digit, then the serial.
      const grai = withCheck('0' + cp + ref) + serial;
      return { key: { ai: '8003', value: grai }, elementString: `(8003)${grai}` };
    }
    case 'giai':
      return { key: { ai: '8004', value: cp + ref }, elementString: `(8004)${cp}${ref}` };
  }
}

/** Builds the full identity from decoded (or parsed) fields; `reference` and `serial` unescaped. */
export function buildIdentity(
  spec: SchemeSpec,
  filter: number,
  companyPrefix: string,
  reference: string,
  serial: string | null,
): EpcIdentity {
  const parts = [companyPrefix, escapeUriComponent(reference), ...(serial === null ? [] : [escapeUriComponent(serial)])].join('.');
  return {
    scheme: spec.scheme,
    kind: spec.kind,
    filter,
    companyPrefix,
    reference,
    serial,
    pureIdentityUri: `urn:epc:id:${spec.kind}:${parts}`,
    tagUri: `urn:epc:tag:${spec.scheme}:${filter}.${parts}`,
    ...gs1Of(spec.kind, companyPrefix, reference, serial),
  };
}
