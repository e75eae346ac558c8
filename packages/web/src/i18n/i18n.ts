/**
 * Translation and localisation, as plain functions of a language: words from the dictionaries,
 * text direction, and dates, numbers and units through Intl. The React side (i18n-context.tsx)
 * only holds the chosen language.
 */
import type { LockState, RopeState, SealState } from '@sealwatch/core/model';
import { nearestPlace } from '@sealwatch/core/places/nearest-place';
import { placeName } from '@sealwatch/core/places/gazetteer';
import { dictionaries, languageNames, languages, typeNames, typeNamesEn, type Language, type MessageKey } from './messages';

export { languageNames, languages, type Language, type MessageKey };

/** Every value a seal reading's members take (core/model.ts): each has words in every language. */
export const sealValues = ['closed', 'open', 'tampered', 'inserted', 'removed', 'cut', 'locked', 'unlocked'] as const;
// A value added to the model without words here fails to compile.
const sealValuesComplete: [Exclude<SealState | RopeState | LockState, (typeof sealValues)[number]>] extends [never] ? true : false = true;
void sealValuesComplete;
export const LANGUAGE_KEY = 'sealwatch.language';

/** Arabic is written right to left; the layout mirrors with it. */
export function directionOf(lang: Language): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (languages as readonly string[]).includes(x);
}

/** The remembered choice, else the first browser language we have, else English. */
export function initialLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Fills `{name}` placeholders. */
export function fill(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** "seal_opened" → "Seal opened" */
export function humanise(code: string | null | undefined): string {
  if (!code) return '—';
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Western digits in every language: operators read references, seal numbers and coordinates
// that are written with them, and mixing scripts within one line is error-prone.
const numbering = { numberingSystem: 'latn' } as const;
const locales: Record<Language, string> = { en: 'en-GB', fr: 'fr-FR', ar: 'ar' };
const coordSeparator: Record<Language, string> = { en: ', ', fr: ' ; ', ar: ', ' };

export interface Translator {
  lang: Language;
  dir: 'rtl' | 'ltr';
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** An alert or event type's name. */
  type(code: string | null | undefined): string;
  number(n: number | null | undefined, digits?: number): string;
  unit(n: number | null | undefined, unit: 'kilometer-per-hour' | 'celsius' | 'percent' | 'meter' | 'kilometer', digits?: number): string;
  dateTime(iso: string | null | undefined): string;
  /** To the minute, for estimates (an ETA to the second is false precision). */
  dateMinute(iso: string | null | undefined): string;
  time(iso: string | null | undefined): string;
  /** "4 minutes ago" */
  ago(iso: string | null | undefined, now?: number): string;
  /** A seal reading in words: "tampered · rope in · locked" ('—' when nothing is known). */
  seal(s: { state?: string | null; rope?: string | null; lock?: string | null } | null | undefined): string;
  /** A position as latitude then longitude, 4 decimals (about 10 m), with the language's decimal mark. */
  coords(p: { lat: number; lon: number } | null | undefined): string;
  /**
   * A position as people say it, from the offline gazetteer: "12 km NW of Malaba, Uganda", or the place
   * itself within 2 km; the coordinates when no place is within 150 km ('—' without a position).
   */
  place(p: { lat: number; lon: number } | null | undefined): string;
}

export function translator(lang: Language): Translator {
  const dict = dictionaries[lang];
  const locale = locales[lang];
  const nf = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let f = nf.get(digits);
    if (!f) nf.set(digits, (f = new Intl.NumberFormat(locale, { ...numbering, maximumFractionDigits: digits })));
    return f;
  };
  // A 24-hour clock in every language, like the header's UTC clock and the charts: "08:27:34 UTC", never "8:27:34 ص UTC".
  const dtf = new Intl.DateTimeFormat(locale, {
    ...numbering,
    dateStyle: 'medium',
    timeStyle: 'medium',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  const dmf = new Intl.DateTimeFormat(locale, { ...numbering, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' });
  const tf = new Intl.DateTimeFormat(locale, {
    ...numbering,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  const rtf = new Intl.RelativeTimeFormat(locale, { ...numbering, numeric: 'auto', style: 'long' });
  const regions = new Intl.DisplayNames(locale, { type: 'region' });
  const t = (key: MessageKey, vars?: Record<string, string | number>) => fill(dict[key] ?? dictionaries.en[key] ?? key, vars);
  const coords = (p: { lat: number; lon: number } | null | undefined) =>
    p ? `${numberFormat(4).format(p.lat)}${coordSeparator[lang]}${numberFormat(4).format(p.lon)}` : '—';
  const valid = (iso: string | null | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso) : null);
  return {
    lang,
    dir: directionOf(lang),
    t,
    type: (code) => (code ? ((lang === 'en' ? typeNamesEn : typeNames[lang])[code] ?? humanise(code)) : humanise(code)),
    seal: (x) => {
      const parts = x ? [x.state, x.rope, x.lock].filter((v): v is string => !!v) : [];
      return parts.length ? parts.map((v) => (dict as Record<string, string>)[`seal.${v}`] ?? v).join(' · ') : '—';
    },
    number: (n, digits = 0) => (typeof n === 'number' && Number.isFinite(n) ? numberFormat(digits).format(n) : '—'),
    unit: (n, unit, digits = 0) =>
      typeof n === 'number' && Number.isFinite(n)
        ? new Intl.NumberFormat(locale, { ...numbering, style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits }).format(
            unit === 'percent' ? n : n,
          )
        : '—',
    dateTime: (iso) => {
      const d = valid(iso);
      return d ? `${dtf.format(d)} UTC` : '—';
    },
    dateMinute: (iso) => {
      const d = valid(iso);
      return d ? `${dmf.format(d)} UTC` : '—';
    },
    time: (iso) => {
      const d = valid(iso);
      return d ? tf.format(d) : '—';
    },
    ago: (iso, now = Date.now()) => {
      const d = valid(iso);
      if (!d) return '—';
      // a time slightly ahead of this clock (the server's) reads as now, not "in 3 seconds"
      const s = Math.min(0, Math.round((d.getTime() - now) / 1000));
      const a = Math.abs(s);
      if (a < 60) return rtf.format(s, 'second');
      if (a < 3600) return rtf.format(Math.trunc(s / 60), 'minute');
      if (a < 86400) return rtf.format(Math.trunc(s / 3600), 'hour');
      return rtf.format(Math.trunc(s / 86400), 'day');
    },
    // A decimal comma (French) cannot be followed by a comma between the two numbers. Shown left to right in
    // every language (`<bdi dir="ltr">`): latitude first, as coordinates are written with Western digits.
    coords,
    place: (p) => {
      if (!p) return '—';
      const fix = nearestPlace(p);
      if (!fix) return coords(p);
      const country = regions.of(fix.place.country) ?? fix.place.country;
      const name = placeName(fix.place, lang);
      if (fix.at) return t('place.at', { place: name, country });
      const km = fix.distanceM / 1000;
      const distance = new Intl.NumberFormat(locale, {
        ...numbering,
        style: 'unit',
        unit: 'kilometer',
        unitDisplay: 'short',
        maximumFractionDigits: km < 10 ? 1 : 0,
      }).format(km);
      return t('place.near', { distance, direction: t(`compass.${fix.direction}`), place: name, country });
    },
  };
}
