import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertTypes, eventTypes, rejectReasons } from '@sealwatch/core/model';
import { auditKinds } from '@sealwatch/core/audit/audit-chain';
import { defaultRiskProfile } from '@sealwatch/core/risk/default-risk-profile';
import { codeWords, indicatorDescription, profileNote } from './domain-words';
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

test('a position reads as a place in every language, with the coordinates when no place is near', () => {
  // 12 km east of Malaba (Kenya side)
  const p = { lat: 0.6345, lon: 34.2795 + 12 / 111.19 };
  assert.equal(translator('en').place(p), '12 km E of Malaba, Kenya');
  assert.equal(translator('fr').place(p).replace(/\s/g, ' '), 'à 12 km à l’est de Malaba, Kenya');
  // Arabic names for the cities, ports and border posts; a small town keeps its own (Latin) name.
  assert.match(translator('ar').place(p), /^على بعد \u200f?12 كم شرق مالابا، كينيا$/);
  assert.equal(translator('ar').place({ lat: 0.3476, lon: 32.5825 }), 'كمبالا، أوغندا');
  assert.match(translator('ar').place({ lat: -3.44, lon: 38.6 }), /جنوب شرق Voi، كينيا$/);
  assert.equal(translator('fr').place({ lat: 0.3476, lon: 32.5825 }), 'Kampala, Ouganda');
  assert.equal(translator('en').place({ lat: 0.3476, lon: 32.5825 }), 'Kampala, Uganda');
  assert.equal(translator('en').place({ lat: -3.44, lon: 38.6 }), '6.9 km SE of Voi, Kenya');
  assert.equal(translator('en').place({ lat: -33.9, lon: 18.4 }), '-33.9, 18.4');
  assert.equal(translator('en').place(null), '—');
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

// French words that are spelt as in English: each was checked; a new one must be added here knowingly.
const sameInFrench = new Set([
  'app.title',
  'replay.pause',
  'alerts.filterType',
  'common.none',
  'movement.position',
  'offices.code',
  'offices.actions',
  'nav.admin',
  'admin.heading',
  'admin.tab.organisations',
  'users.organisation',
  'users.actions',
  'users.totpSecret',
  'tokens.actions',
  'training.total',
  'training.points',
  'partners.administration',
  'risk.version',
  'risk.versionN',
  'risk.active',
  'risk.source',
  'risk.support',
  'risk.note',
  'advice.distance',
  'advice.result',
  'sketch.coordinate',
  'sketch.vertices',
  'sketch.vertex',
  'sketch.centre',
  'rules.min',
  'rules.max',
  'nav.audit',
  'keys.actions',
  'keys.status.active',
  'quarantine.as.base64',
  'audit.col.action',
  'incidents.filterCode',
  'incident.position',
  'place.at',
]);

test('no French message is the English one copied, except words spelt alike in both', () => {
  const copied = Object.keys(dictionaries.en).filter(
    (k) => (dictionaries.fr as Record<string, string>)[k] === (dictionaries.en as Record<string, string>)[k] && !sameInFrench.has(k),
  );
  assert.deepEqual(copied, []);
});

test('every device class, kind, quarantine reason, audit kind and default risk indicator has words in every language', () => {
  const fr = translator('fr');
  for (const c of ['passive', 'semi_active', 'active']) assert.notEqual(codeWords(fr, 'deviceClass', c), c);
  for (const c of ['e_seal', 'e_lock', 'tracker', 'container_sensor', 'rfid_seal', 'reader'])
    assert.notEqual(codeWords(fr, 'deviceKind', c), c);
  for (const r of rejectReasons) assert.notEqual(codeWords(fr, 'reject', r), r, r);
  for (const k of auditKinds) assert.notEqual(codeWords(fr, 'audit.kind', k), k, k);
  for (const i of defaultRiskProfile.indicators) {
    assert.notEqual(indicatorDescription(fr, i.code, i.description), i.description, i.code);
    // an analyst's own description is shown as written
    assert.equal(indicatorDescription(fr, i.code, 'my words'), 'my words');
  }
  assert.equal(profileNote(translator('ar'), defaultRiskProfile.note), translator('ar').t('riskDefault.note'));
  assert.equal(codeWords(fr, 'protocol', 'teltonika'), 'teltonika', 'a vendor protocol keeps its name');
});
