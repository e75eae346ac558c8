/**
 * The instructor's recording form (DESIGN §8, authoring): pick a live movement in one's view, give
 * the new exercise a title (its id follows the title unless edited), record. The server anonymises
 * the history; the new exercise is handed back to the screen's list. Refusals are worded in the
 * console's language from the problem's code and `details.reason`.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import { languageNames } from '../i18n/i18n';
import { isolate } from './score-words';
import {
  listRecordableMovements,
  recordExercise,
  type ExerciseSummary,
  type LiveMovement,
  type RecordBody,
  type TextLanguage,
} from './training-api';

type Translate = ReturnType<typeof useI18n>['t'];
const reasons = ['not_started', 'no_device', 'too_few_positions'];
const LANGUAGES: readonly TextLanguage[] = ['en', 'fr', 'ar'];
/** Each language's name in itself (as the language switcher writes them). */

/** The lines of a textarea that say something: one objective each. */
export const linesOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * What the form sends: the title and objectives in the console's language as the main texts, and a
 * language the instructor wrote a title or objectives in as a translation (its title the main one
 * when left empty: a name often stays).
 */
export function recordBody(
  base: { movement: string; id: string; title: string },
  lang: TextLanguage,
  titles: Partial<Record<TextLanguage, string>>,
  objectives: Partial<Record<TextLanguage, string>>,
): RecordBody {
  const main = linesOf(objectives[lang] ?? '');
  const translations: NonNullable<RecordBody['translations']> = {};
  for (const l of LANGUAGES) {
    if (l === lang) continue;
    const title = (titles[l] ?? '').trim();
    const lines = linesOf(objectives[l] ?? '');
    if (!title && !lines.length) continue;
    translations[l] = { title: title || base.title, ...(lines.length ? { objectives: lines } : {}) };
  }
  return {
    ...base,
    language: lang,
    ...(main.length ? { objectives: main } : {}),
    ...(Object.keys(translations).length ? { translations } : {}),
  };
}

/** An exercise id from a title: lower-case Latin letters, digits and hyphens (empty for a title without any). */
export function idFromTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: "près" is "pres", not "pre-s"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** Why the server refused the recording, in the reader's language. */
export function recordingRefusal(e: unknown, t: Translate): string {
  if (!(e instanceof ApiError)) return t('common.error', { detail: (e as Error).message });
  const reason = typeof e.details.reason === 'string' ? e.details.reason : '';
  switch (e.code) {
    case 'exercise_exists':
      return t('training.record.err.exists');
    case 'outside_jurisdiction':
      return t('training.record.err.scope');
    case 'unknown_movement':
      return t('training.record.err.unknownMovement');
    case 'movement_not_recordable':
      return t(reasons.includes(reason) ? (`training.record.err.${reason}` as MessageKey) : 'training.record.err.invalid');
    case 'validation_failed': {
      // The schema's first complaint: a translation's objectives, or the title and id.
      const where = /translations\.(en|fr|ar)\.objectives/.exec(e.errors[0]?.path ?? '');
      if (where) return t('training.record.err.objectives', { language: t(`training.language.${where[1] as TextLanguage}`) });
      return t('training.record.err.validation');
    }
    case 'forbidden':
      return t('training.record.err.forbidden');
    default:
      // A refusal this form has no sentence for: said as such, with its code for whoever looks into it.
      return t('training.record.err.other', { code: e.code });
  }
}

export function RecordExercise({ onRecorded }: { onRecorded(e: ExerciseSummary): void }) {
  const { t, lang } = useI18n();
  const [titles, setTitles] = useState<Partial<Record<TextLanguage, string>>>({});
  const [objectives, setObjectives] = useState<Partial<Record<TextLanguage, string>>>({});
  const [movements, setMovements] = useState<LiveMovement[] | null>(null);
  const [movement, setMovement] = useState('');
  const [title, setTitle] = useState('');
  const [id, setId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void listRecordableMovements().then(
      (m) => {
        setMovements(m);
        setMovement((x) => x || m[0]?.id || '');
      },
      () => setMovements([]),
    );
  }, []);

  const chosen = movements?.find((m) => m.id === movement);
  // Until the instructor edits it, the id follows the title (or the movement's reference for a title without Latin letters).
  const exerciseId = id ?? (idFromTitle(title).length >= 3 ? idFromTitle(title) : idFromTitle(`recorded-${chosen?.reference ?? ''}`));

  const record = async () => {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const e = await recordExercise(recordBody({ movement, id: exerciseId, title: title.trim() }, lang, titles, objectives));
      setDone(t('training.record.done', { title: isolate(e.title) }));
      setTitle('');
      setId(null);
      setTitles({});
      setObjectives({});
      onRecorded(e);
    } catch (e) {
      setError(recordingRefusal(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="training-record">
      <h3 id="training-record">{t('training.record')}</h3>
      <p className="hint">{t('training.record.help')}</p>
      {movements && !movements.length ? (
        <p>{t('training.record.noMovements')}</p>
      ) : (
        <form
          className="training-form training-record-form"
          onSubmit={(e) => {
            e.preventDefault();
            void record();
          }}
        >
          <label htmlFor="training-record-movement">{t('training.record.movement')}</label>
          <select id="training-record-movement" value={movement} onChange={(e) => setMovement(e.target.value)} required>
            {(movements ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.reference} · {m.departureOffice} → {m.destinationOffice} · {t(`mstatus.${m.status}` as MessageKey)}
              </option>
            ))}
          </select>
          <label htmlFor="training-record-title">{t('training.record.title')}</label>
          <input
            id="training-record-title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            minLength={3}
            maxLength={200}
            required
          />
          <label htmlFor="training-record-id">{t('training.record.id')}</label>
          <input
            id="training-record-id"
            dir="ltr"
            translate="no"
            value={exerciseId}
            onChange={(e) => setId(e.target.value)}
            pattern="[a-z0-9][a-z0-9\-]{2,63}"
            required
          />
          <label htmlFor="training-record-objectives">{t('training.record.objectives')}</label>
          <textarea
            id="training-record-objectives"
            rows={3}
            value={objectives[lang] ?? ''}
            onChange={(e) => setObjectives((o) => ({ ...o, [lang]: e.target.value }))}
          />
          <details className="training-record-languages">
            <summary>{t('training.record.otherLanguages')}</summary>
            <p className="hint">{t('training.record.otherLanguagesHelp')}</p>
            {LANGUAGES.filter((l) => l !== lang).map((l) => (
              <fieldset key={l}>
                <legend lang={l}>{languageNames[l]}</legend>
                <label htmlFor={`training-record-title-${l}`}>
                  {t('training.record.titleIn', { language: t(`training.language.${l}`) })}
                </label>
                <input
                  id={`training-record-title-${l}`}
                  lang={l}
                  dir={l === 'ar' ? 'rtl' : 'ltr'}
                  value={titles[l] ?? ''}
                  onChange={(e) => setTitles((x) => ({ ...x, [l]: e.target.value }))}
                  maxLength={200}
                />
                <label htmlFor={`training-record-objectives-${l}`}>
                  {t('training.record.objectivesIn', { language: t(`training.language.${l}`) })}
                </label>
                <textarea
                  id={`training-record-objectives-${l}`}
                  lang={l}
                  dir={l === 'ar' ? 'rtl' : 'ltr'}
                  rows={3}
                  value={objectives[l] ?? ''}
                  onChange={(e) => setObjectives((o) => ({ ...o, [l]: e.target.value }))}
                />
              </fieldset>
            ))}
          </details>
          <button type="submit" disabled={busy || !movement || title.trim().length < 3}>
            {t('training.record.button')}
          </button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
      {done && <p role="status">{done}</p>}
    </section>
  );
}
