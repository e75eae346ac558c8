import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, problemOf } from '../api/client';
import { translator } from '../i18n/i18n';
import { recordBody, recordingRefusal } from './record-exercise';
import { textsIn } from './training-api';

const base = { movement: 'M1', id: 'recorded-1', title: 'Scellé forcé' };

test('the form sends its language as the main texts and a language written in as a translation', () => {
  assert.deepEqual(recordBody(base, 'fr', {}, {}), { ...base, language: 'fr' });
  assert.deepEqual(
    recordBody(
      base,
      'fr',
      { en: ' Seal forced ', ar: '' },
      { fr: 'Prendre en compte\n\n  Envoyer une équipe ', en: 'Acknowledge\nDispatch', ar: 'أقرّ\nأرسل' },
    ),
    {
      ...base,
      language: 'fr',
      objectives: ['Prendre en compte', 'Envoyer une équipe'],
      // A language with objectives and no title of its own keeps the main title.
      translations: {
        en: { title: 'Seal forced', objectives: ['Acknowledge', 'Dispatch'] },
        ar: { title: 'Scellé forcé', objectives: ['أقرّ', 'أرسل'] },
      },
    },
  );
});

test("a refusal is worded in the reader's language, a translation's objectives named by language, any other code said", async () => {
  const ar = translator('ar').t;
  const fr = translator('fr').t;
  // As the client reads the server's problem (problemOf): the schema's complaints with their paths.
  const detail = 'body.translations.en.objectives: one objective for each of the 2 main ones';
  const schema = await problemOf(
    new Response(
      JSON.stringify({ code: 'validation_failed', detail, errors: [{ path: detail.split(':')[0], message: 'one objective…' }] }),
      {
        status: 400,
      },
    ),
  );
  assert.equal(
    recordingRefusal(schema, fr),
    'En anglais, écrivez un objectif pour chacun de ceux ci-dessus, un par ligne (aucun s’il n’y en a pas ci-dessus).',
  );
  assert.equal(
    recordingRefusal(new ApiError(422, 'movement_not_recordable', 'x', { reason: 'too_few_positions' }), ar),
    'للحركة أقل من موقعين لإعادة التشغيل.',
  );
  assert.equal(recordingRefusal(new ApiError(429, 'rate_limited', 'too many requests'), ar), 'رفض الخادم التسجيل (الرمز rate_limited).');
  assert.equal(
    recordingRefusal(new ApiError(403, 'forbidden', 'missing permission training.manage'), fr),
    'Votre compte ne peut pas enregistrer d’exercices.',
  );
});

test("an exercise's texts in the reader's language, else its main ones with their language", () => {
  const e = {
    title: 'عنوان',
    summary: 'ملخص',
    objectives: ['هدف'],
    language: 'ar' as const,
    translations: { fr: { title: 'Titre', summary: 'Résumé', objectives: ['Objectif'] } },
  };
  assert.deepEqual(textsIn(e, 'fr'), { title: 'Titre', summary: 'Résumé', objectives: ['Objectif'], lang: 'fr' });
  assert.equal(textsIn(e, 'en').lang, 'ar');
  assert.equal(textsIn({ ...e, language: undefined, translations: undefined }, 'ar').lang, 'en');
});
