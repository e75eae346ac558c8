import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertTypes, eventTypes } from '@sealwatch/core/model';
import { directionOf, fill, initialLanguage, sealValues, translator } from './i18n';
import { dictionaries, languages } from './messages';

test('Arabic is laid out right to left, English and French left to right', () => {
  assert.equal(directionOf('ar'), 'rtl');
  assert.equal(directionOf('en'), 'ltr');
  assert.equal(directionOf('fr'), 'ltr');
  assert.equal(translator('ar').dir, 'rtl');
});

test('the remembered choice wins over the browser languages; unknown ones fall back to English', () => {
  assert.equal(initialLanguage('ar', ['fr-FR']), 'ar');
  assert.equal(initialLanguage(null, ['de-DE', 'fr-CA']), 'fr');
  assert.equal(initialLanguage('xx', ['de']), 'en');
});

test('every language has every message, with the same placeholders', () => {
  const placeholders = (s: string) =>
    [...s.matchAll(/\{(\w+)\}/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
  for (const lang of languages) {
    for (const [key, text] of Object.entries(dictionaries.en)) {
      const other = (dictionaries[lang] as Record<string, string>)[key];
      assert.ok(other, `${lang} lacks ${key}`);
      if (!key.startsWith('devices.keyJson')) assert.equal(placeholders(other), placeholders(text), `${lang} ${key}`);
    }
  }
});

test('switching language switches words, type names, and Intl formatting with Western digits', () => {
  const en = translator('en');
  const fr = translator('fr');
  const ar = translator('ar');
  assert.equal(en.t('alerts.empty'), 'No open alerts.');
  assert.equal(fr.t('alerts.empty'), 'Aucune alerte ouverte.');
  assert.equal(ar.t('alerts.empty'), 'لا توجد تنبيهات مفتوحة.');
  assert.equal(en.type('seal_tampered'), 'Seal tampered');
  assert.equal(fr.type('seal_tampered'), 'Scellé altéré');
  assert.equal(fr.number(1234.5, 1).replace(/\s/g, ' '), '1 234,5');
  assert.equal(en.number(1234.5, 1), '1,234.5');
  assert.match(ar.number(42), /^42$/);
  assert.match(ar.dateTime('2026-11-26T03:22:52.120Z'), /2026/);
  assert.equal(en.time('2026-11-26T03:22:52.120Z'), '03:22:52');
  assert.equal(en.ago('2026-11-26T03:20:52Z', Date.parse('2026-11-26T03:22:52Z')), '2 minutes ago');
  assert.equal(fill('{a} and {b}', { a: 1 }), '1 and {b}');
});

test('coordinates keep their sign and decimal mark in every language, latitude first', () => {
  const p = { lat: -3.21234, lon: 39.5 };
  assert.equal(translator('en').coords(p), '-3.2123, 39.5');
  assert.equal(translator('fr').coords(p).replace(/\s/g, ' '), '-3,2123 ; 39,5');
  assert.match(translator('ar').coords(p), /^\u200e?-3\.2123, \u200e?39\.5$/);
  assert.equal(translator('en').coords(null), '—');
});

test('no domain value shows in English in French or Arabic: every alert and event type has a name, every seal value words', () => {
  for (const lang of ['fr', 'ar'] as const) {
    const tr = translator(lang);
    for (const code of new Set<string>([...alertTypes, ...eventTypes]))
      assert.notEqual(tr.type(code), translator('en').type(code), `${lang} has no name for ${code}`);
    for (const v of sealValues)
      assert.ok((dictionaries[lang] as Record<string, string>)[`seal.${v}`], `${lang} has no words for seal ${v}`);
  }
  assert.equal(translator('fr').seal({ state: 'tampered', rope: 'cut', lock: 'locked' }), 'altéré · câble coupé · verrouillé');
  assert.equal(translator('en').seal(null), '—');
  assert.equal(translator('en').type('gnss_anomaly'), 'GNSS anomaly');
});
