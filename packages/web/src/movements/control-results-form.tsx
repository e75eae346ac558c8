/**
 * The control results of a partner's movement at this office of destination (docs/federation.md):
 * the NCTS result code, explained in plain words because an officer rarely knows the codes by
 * heart (the chosen code's meaning is spelt out under the list, and seals not intact point to A5
 * or B1, as NCTS's guideline G0017 asks), the state of the seals and a comment. Recorded here and sent back to the origin
 * administration, which shows them on its own movement.
 */
import { useState, type FormEvent } from 'react';
import { post, type ApiError } from '../api/client';
import type { MovementFederation } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';

const codes = ['A1', 'A2', 'A3', 'A4', 'A5', 'B1'] as const;
type Code = (typeof codes)[number];

export function ControlResultsForm({
  id,
  recorded,
  canWrite,
  onRecorded,
}: {
  id: string;
  recorded: MovementFederation['controlResults'];
  canWrite: boolean;
  onRecorded: () => void;
}) {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [result, setResult] = useState<Code>(recorded?.result ?? 'A1');
  const [seals, setSeals] = useState<'ok' | 'not_ok'>(recorded?.stateOfSeals ?? 'ok');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const body = { result, stateOfSeals: seals, ...(comment.trim() ? { comment: comment.trim() } : {}) };
      await post('/api/v1/movements/{id}/control-results', { path: { id }, body });
      toast(t('control.recorded'));
      setComment('');
      onRecorded();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="control-heading" className="card">
      <h2 id="control-heading">{t('control.heading')}</h2>
      {recorded ? (
        <p role="status">
          {t('control.current', { result: recorded.result, words: t(`control.code.${recorded.result}`), time: dateTime(recorded.time) })}{' '}
          {t(`control.seals.${recorded.stateOfSeals}`)}
          {recorded.comment ? ` · ${recorded.comment}` : ''}
        </p>
      ) : (
        <p className="empty">{t('control.none')}</p>
      )}
      {canWrite && (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <label>
            {t('control.result')}
            <select value={result} aria-describedby="control-meaning" onChange={(e) => setResult(e.target.value as Code)}>
              {codes.map((c) => (
                <option key={c} value={c}>
                  {c} — {t(`control.code.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <p id="control-meaning" className="hint" aria-live="polite">
            {t('control.meaning', { result, words: t(`control.code.${result}`) })}
          </p>
          <fieldset className="choices">
            <legend>{t('control.sealsLegend')}</legend>
            {(['ok', 'not_ok'] as const).map((s) => (
              <label key={s} className="check">
                <input type="radio" name="state-of-seals" checked={seals === s} onChange={() => setSeals(s)} />
                {t(`control.seals.${s}`)}
              </label>
            ))}
          </fieldset>
          {seals === 'not_ok' && result !== 'A5' && result !== 'B1' && (
            <p className="hint" role="status">
              {t('control.sealsHint')}
            </p>
          )}
          <label>
            {t('control.comment')}
            <textarea value={comment} maxLength={2000} rows={2} onChange={(e) => setComment(e.target.value)} />
          </label>
          <p className="hint">{t('control.sentBack')}</p>
          <button type="submit" disabled={busy}>
            {t('control.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
