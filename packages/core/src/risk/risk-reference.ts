/**
 * The risk reference: the levels a risk analyst assigns to origin countries, HS chapters and
 * routes (office pairs), from which a movement's static facts `origin_risk`, `goods_risk` and
 * `route_risk` are read (standards §6: route, origin and goods are classic static indicators).
 * Anything the reference does not rate is `low`. Pure: the entries come in as data.
 */
import type { RiskLevel } from './risk-facts';

/** What a reference entry rates: an origin country, an HS chapter, or a route as a pair of offices. */
export const riskReferenceKinds = ['origin_country', 'hs_chapter', 'office_pair'] as const;
/** One of `riskReferenceKinds`. */
export type RiskReferenceKind = (typeof riskReferenceKinds)[number];

/** One rated item. Keys: `KE` (ISO 3166-1 alpha-2), `24` (two-digit HS chapter), `KEMBA>UGMAL` (departure>destination office). */
export interface RiskReferenceEntry {
  kind: RiskReferenceKind;
  key: string;
  level: RiskLevel;
  note: string | null;
  updatedAt: string;
  updatedBy: string;
}

/** The key of a route in the reference: the departure and destination office codes joined by `>`. */
export function officePairKey(departureOffice: string, destinationOffice: string): string {
  return `${departureOffice}>${destinationOffice}`;
}

/**
 * A declared HS chapter or code, normalised: digits only (dots and spaces dropped), 2, 4, 6, 8 or
 * 10 of them, the first two a chapter 01..99. Null for anything else.
 */
export function normaliseHsCode(input: string): string | null {
  const digits = input.replace(/[.\s]/g, '');
  if (!/^\d{2}(\d{2}){0,4}$/.test(digits) || digits.startsWith('00')) return null;
  return digits;
}

/** The HS chapter (1..99) of a declared chapter or code; null when none is declared or it is not one. */
export function hsChapterOf(code: string | null | undefined): number | null {
  const n = code ? normaliseHsCode(code) : null;
  return n ? Number(n.slice(0, 2)) : null;
}

/** Why a key is not valid for its kind, or null when it is. */
export function referenceKeyProblem(kind: RiskReferenceKind, key: string): string | null {
  switch (kind) {
    case 'origin_country':
      return /^[A-Z]{2}$/.test(key) ? null : 'an ISO 3166-1 alpha-2 country code in upper case, e.g. KE';
    case 'hs_chapter':
      return /^\d{2}$/.test(key) && key !== '00' ? null : 'a two-digit HS chapter 01..99, e.g. 24';
    case 'office_pair':
      return /^[A-Za-z0-9][A-Za-z0-9._:-]*>[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(key)
        ? null
        : 'departure and destination office codes joined by >, e.g. KEMBA>UGMAL';
  }
}

/** What of a movement the reference rates. */
export interface ReferencedMovement {
  hsChapter: string | null;
  originCountry: string | null;
  departureOffice: string;
  destinationOffice: string;
}

/**
 * The levels of a movement under the reference: its route (office pair), its origin country and
 * its goods (HS chapter); `low` where the reference is silent or nothing is declared.
 */
export function referenceLevels(
  m: ReferencedMovement,
  entries: readonly Pick<RiskReferenceEntry, 'kind' | 'key' | 'level'>[],
): { routeRisk: RiskLevel; originRisk: RiskLevel; goodsRisk: RiskLevel; hsChapter: number | null } {
  const level = (kind: RiskReferenceKind, key: string | null): RiskLevel =>
    (key !== null && entries.find((e) => e.kind === kind && e.key === key)?.level) || 'low';
  const chapter = hsChapterOf(m.hsChapter);
  return {
    routeRisk: level('office_pair', officePairKey(m.departureOffice, m.destinationOffice)),
    originRisk: level('origin_country', m.originCountry ? m.originCountry.toUpperCase() : null),
    goodsRisk: level('hs_chapter', chapter === null ? null : String(chapter).padStart(2, '0')),
    hsChapter: chapter,
  };
}
