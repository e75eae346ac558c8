/**
 * The printable trip report's words in English, French and Arabic, and its formats: dates in UTC
 * to the second with Western digits (as the console shows them), distances in the language's
 * units, positions as the nearest place of the gazetteer ("12 km NW of Malaba, Kenya"), with the
 * place's Arabic name in Arabic where it has one. Alert and event types come from core's one list.
 */
import type { LatLon } from '@sealwatch/core';
import { placeName } from '@sealwatch/core/places/gazetteer';
import { nearestPlace } from '@sealwatch/core/places/nearest-place';
import { typeName } from '@sealwatch/core/words/type-names';

export const reportLanguages = ['en', 'fr', 'ar'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

const en = {
  title: 'Trip report {reference}',
  heading: 'Trip report',
  movement: 'Movement',
  reference: 'Reference',
  containerVehicle: 'Container / vehicle',
  trader: 'Trader',
  offices: 'Offices (departure → destination)',
  status: 'Status',
  started: 'Started',
  arrived: 'Arrived',
  ended: 'Ended',
  timeLimit: 'Time limit',
  devices: 'Devices',
  seals: 'Seals',
  generated: 'Generated',
  track: 'Track',
  trackSummary: '{points} positions, {distance} in {hours}, {stops} stops.',
  truncated: 'The track is truncated.',
  legend: 'Red: the track; blue band: the route corridor ({width}); orange squares: stops; green: first position; dark: last.',
  noPosition: 'No position was reported.',
  mapLabel: 'Track over the route corridor',
  stopFrom: 'Stop from',
  to: 'To',
  minutes: 'Minutes',
  where: 'Where',
  ongoing: 'ongoing',
  noStops: 'No stop.',
  timeline: 'Timeline',
  occurred: 'Occurred',
  kind: 'Kind',
  type: 'Type',
  device: 'Device',
  severity: 'Severity',
  outcome: 'Outcome',
  noEntries: 'Nothing recorded.',
  'kind.event': 'event',
  'kind.alert': 'alert',
  detectedLate: 'detected late, at {time}',
  resolved: 'resolved ({outcome}) by {by} at {time}',
  resolvedNoOne: 'resolved ({outcome}) at {time}',
  cleared: 'cleared by the platform ({reason}) at {time}',
  escalated: 'escalated',
  declaredSeals: 'Declared seals: {seals}',
  sealHistory: 'Seal history',
  time: 'Time',
  change: 'Change',
  noSealChanges: 'No seal change.',
  dataGaps: 'Data gaps',
  from: 'From',
  noGaps: 'No data gap.',
  none: 'none',
  times: 'All times UTC.',
  print: 'Print or save as PDF from the browser’s menu.',
  near: '{distance} {direction} of {place}, {country}',
  at: '{place}, {country}',
  'dir.N': 'N',
  'dir.NE': 'NE',
  'dir.E': 'E',
  'dir.SE': 'SE',
  'dir.S': 'S',
  'dir.SW': 'SW',
  'dir.W': 'W',
  'dir.NW': 'NW',
  'mstatus.declared': 'declared',
  'mstatus.in_transit': 'in transit',
  'mstatus.arrived': 'arrived',
  'mstatus.ended': 'ended',
  'mstatus.held': 'held',
  'severity.critical': 'critical',
  'severity.major': 'major',
  'severity.minor': 'minor',
  'severity.warning': 'warning',
  'status.open': 'open',
  'status.acknowledged': 'acknowledged',
  'status.assigned': 'assigned',
  'status.resolved': 'resolved',
  'outcome.confirmed': 'confirmed',
  'outcome.false_alarm': 'false alarm',
  'outcome.none': 'no outcome',
} as const;

export type ReportWord = keyof typeof en;

const fr: Record<ReportWord, string> = {
  title: 'Rapport de trajet {reference}',
  heading: 'Rapport de trajet',
  movement: 'Mouvement',
  reference: 'Référence',
  containerVehicle: 'Conteneur / véhicule',
  trader: 'Opérateur',
  offices: 'Bureaux (départ → destination)',
  status: 'Statut',
  started: 'Parti',
  arrived: 'Arrivé',
  ended: 'Apuré',
  timeLimit: 'Délai',
  devices: 'Dispositifs',
  seals: 'Scellés',
  generated: 'Établi',
  track: 'Trajet',
  trackSummary: '{points} positions, {distance} en {hours}, {stops} arrêts.',
  truncated: 'Le trajet est tronqué.',
  legend:
    'Rouge : le trajet ; bande bleue : le corridor de l’itinéraire ({width}) ; carrés orange : arrêts ; vert : première position ; sombre : dernière.',
  noPosition: 'Aucune position n’a été reçue.',
  mapLabel: 'Trajet sur le corridor de l’itinéraire',
  stopFrom: 'Arrêt depuis',
  to: 'Jusqu’à',
  minutes: 'Minutes',
  where: 'Lieu',
  ongoing: 'en cours',
  noStops: 'Aucun arrêt.',
  timeline: 'Chronologie',
  occurred: 'Survenu',
  kind: 'Nature',
  type: 'Type',
  device: 'Dispositif',
  severity: 'Gravité',
  outcome: 'Suite',
  noEntries: 'Rien n’a été enregistré.',
  'kind.event': 'événement',
  'kind.alert': 'alerte',
  detectedLate: 'détecté en retard, le {time}',
  resolved: 'résolue ({outcome}) par {by} le {time}',
  resolvedNoOne: 'résolue ({outcome}) le {time}',
  cleared: 'levée par la plateforme ({reason}) le {time}',
  escalated: 'escaladée',
  declaredSeals: 'Scellés déclarés : {seals}',
  sealHistory: 'Historique des scellés',
  time: 'Heure',
  change: 'Changement',
  noSealChanges: 'Aucun changement de scellé.',
  dataGaps: 'Lacunes de données',
  from: 'Depuis',
  noGaps: 'Aucune lacune de données.',
  none: 'aucun',
  times: 'Toutes les heures en UTC.',
  print: 'Imprimer ou enregistrer en PDF depuis le menu du navigateur.',
  near: 'à {distance} {direction} de {place}, {country}',
  at: '{place}, {country}',
  'dir.N': 'au nord',
  'dir.NE': 'au nord-est',
  'dir.E': 'à l’est',
  'dir.SE': 'au sud-est',
  'dir.S': 'au sud',
  'dir.SW': 'au sud-ouest',
  'dir.W': 'à l’ouest',
  'dir.NW': 'au nord-ouest',
  'mstatus.declared': 'déclaré',
  'mstatus.in_transit': 'en transit',
  'mstatus.arrived': 'arrivé',
  'mstatus.ended': 'apuré',
  'mstatus.held': 'retenu',
  'severity.critical': 'critique',
  'severity.major': 'majeure',
  'severity.minor': 'mineure',
  'severity.warning': 'avertissement',
  'status.open': 'ouverte',
  'status.acknowledged': 'prise en compte',
  'status.assigned': 'attribuée',
  'status.resolved': 'résolue',
  'outcome.confirmed': 'confirmé',
  'outcome.false_alarm': 'fausse alerte',
  'outcome.none': 'sans suite indiquée',
};

const ar: Record<ReportWord, string> = {
  title: 'تقرير الرحلة {reference}',
  heading: 'تقرير الرحلة',
  movement: 'الحركة',
  reference: 'المرجع',
  containerVehicle: 'الحاوية / المركبة',
  trader: 'التاجر',
  offices: 'المكاتب (المغادرة ← الوجهة)',
  status: 'الحالة',
  started: 'الانطلاق',
  arrived: 'الوصول',
  ended: 'الإنهاء',
  timeLimit: 'المهلة',
  devices: 'الأجهزة',
  seals: 'الأختام',
  generated: 'أُعدّ في',
  track: 'المسار',
  trackSummary: '{points} موقعًا، {distance} في {hours}، {stops} توقفات.',
  truncated: 'المسار مقتطع.',
  legend: 'الأحمر: المسار؛ الشريط الأزرق: ممر الطريق ({width})؛ المربعات البرتقالية: التوقفات؛ الأخضر: أول موقع؛ الداكن: آخر موقع.',
  noPosition: 'لم يُبلَّغ عن أي موقع.',
  mapLabel: 'المسار على ممر الطريق',
  stopFrom: 'توقف من',
  to: 'إلى',
  minutes: 'دقائق',
  where: 'المكان',
  ongoing: 'مستمر',
  noStops: 'لا توقفات.',
  timeline: 'التسلسل الزمني',
  occurred: 'وقع في',
  kind: 'النوع',
  type: 'الصنف',
  device: 'الجهاز',
  severity: 'الخطورة',
  outcome: 'النتيجة',
  noEntries: 'لم يُسجَّل شيء.',
  'kind.event': 'حدث',
  'kind.alert': 'تنبيه',
  detectedLate: 'اكتُشف متأخرًا في {time}',
  resolved: 'أُغلق ({outcome}) بواسطة {by} في {time}',
  resolvedNoOne: 'أُغلق ({outcome}) في {time}',
  cleared: 'رفعته المنصة ({reason}) في {time}',
  escalated: 'صُعِّد',
  declaredSeals: 'الأختام المصرّح بها: {seals}',
  sealHistory: 'سجل الأختام',
  time: 'الوقت',
  change: 'التغيير',
  noSealChanges: 'لا تغيير في الأختام.',
  dataGaps: 'فجوات البيانات',
  from: 'من',
  noGaps: 'لا فجوات في البيانات.',
  none: 'لا شيء',
  times: 'جميع الأوقات بالتوقيت العالمي المنسق (UTC).',
  print: 'للطباعة أو الحفظ بصيغة PDF استخدم قائمة المتصفح.',
  near: 'على بعد {distance} {direction} {place}، {country}',
  at: '{place}، {country}',
  'dir.N': 'شمال',
  'dir.NE': 'شمال شرق',
  'dir.E': 'شرق',
  'dir.SE': 'جنوب شرق',
  'dir.S': 'جنوب',
  'dir.SW': 'جنوب غرب',
  'dir.W': 'غرب',
  'dir.NW': 'شمال غرب',
  'mstatus.declared': 'مُصرَّح بها',
  'mstatus.in_transit': 'قيد العبور',
  'mstatus.arrived': 'وصلت',
  'mstatus.ended': 'منتهية',
  'mstatus.held': 'محتجزة',
  'severity.critical': 'حرج',
  'severity.major': 'كبير',
  'severity.minor': 'بسيط',
  'severity.warning': 'تحذير',
  'status.open': 'مفتوح',
  'status.acknowledged': 'تم الاطلاع',
  'status.assigned': 'مُسند',
  'status.resolved': 'مُغلق',
  'outcome.confirmed': 'مؤكَّد',
  'outcome.false_alarm': 'إنذار كاذب',
  'outcome.none': 'دون نتيجة مذكورة',
};

const dictionaries: Record<ReportLanguage, Record<ReportWord, string>> = { en, fr, ar };
const locales: Record<ReportLanguage, string> = { en: 'en-GB', fr: 'fr-FR', ar: 'ar' };
// Western digits in every language, as in the console: references, seals and coordinates are written with them.
const numbering = { numberingSystem: 'latn' } as const;

export interface ReportWords {
  lang: ReportLanguage;
  dir: 'ltr' | 'rtl';
  t(key: ReportWord, vars?: Record<string, string | number>): string;
  /** A code of a closed list (`mstatus`, `severity`, `status`, `outcome`) in words; the code itself when it has none. */
  code(group: 'mstatus' | 'severity' | 'status' | 'outcome', value: string | null | undefined): string;
  type(code: string): string;
  /** "7 Dec 2026, 07:43:21" (UTC; the page says so once); '—' without a time. */
  time(iso: string | null | undefined): string;
  number(n: number, digits?: number): string;
  km(metres: number): string;
  hours(seconds: number): string;
  /** The nearest place in words, the coordinates when none is within 150 km, '' without a position. */
  place(p: LatLon | null): string;
  coords(p: LatLon): string;
}

/** The report's words and formats for one language. */
export function reportWords(lang: ReportLanguage): ReportWords {
  const dict = dictionaries[lang];
  const locale = locales[lang];
  const t = (key: ReportWord, vars: Record<string, string | number> = {}) =>
    dict[key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  // A 24-hour clock in every language: a record in UTC reads "08:00:36", never "8:00:36 ص".
  const dtf = new Intl.DateTimeFormat(locale, {
    ...numbering,
    dateStyle: 'medium',
    timeStyle: 'medium',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  const regions = new Intl.DisplayNames(locale, { type: 'region' });
  const unit = (n: number, u: 'kilometer' | 'hour', digits: number) =>
    new Intl.NumberFormat(locale, { ...numbering, style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits }).format(n);
  const number = (n: number, digits = 0) => new Intl.NumberFormat(locale, { ...numbering, maximumFractionDigits: digits }).format(n);
  const km = (m: number) => unit(m / 1000, 'kilometer', m < 10_000 ? 1 : 0);
  const coords = (p: LatLon) => `${number(p.lat, 4)}${lang === 'fr' ? ' ; ' : ', '}${number(p.lon, 4)}`;
  return {
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    t,
    code: (group, value) => {
      if (!value) return group === 'outcome' ? t('outcome.none') : '—';
      const key = `${group}.${value}` as ReportWord;
      return key in dict ? t(key) : value;
    },
    type: (code) => typeName(code, lang),
    time: (iso) => (iso && !Number.isNaN(Date.parse(iso)) ? dtf.format(new Date(iso)) : '—'),
    number,
    km,
    hours: (s) => unit(s / 3600, 'hour', 1),
    coords,
    place: (p) => {
      if (!p) return '';
      const fix = nearestPlace(p);
      if (!fix) return coords(p);
      const place = placeName(fix.place, lang);
      const country = regions.of(fix.place.country) ?? fix.place.country;
      if (fix.at) return t('at', { place, country });
      return t('near', { distance: km(fix.distanceM), direction: t(`dir.${fix.direction}`), place, country });
    },
  };
}
