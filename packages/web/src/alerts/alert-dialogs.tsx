/** The incident dialogs: close with an outcome and comment, assign (a person picked, or a unit typed), note an action taken. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { Dialog } from '../ui/dialog';
import { useAssignees } from './assignees';

/** `summary` names what is closed (null: the dialog is shut). */
export function ResolveDialog({
  summary,
  onClose,
  onResolve,
}: {
  summary: string | null;
  onClose(): void;
  onResolve(outcome: 'confirmed' | 'false_alarm', comment: string): Promise<void>;
}) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<'confirmed' | 'false_alarm' | ''>('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => {
    setOutcome('');
    setComment('');
    onClose();
  };
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!outcome) return;
    setBusy(true);
    try {
      await onResolve(outcome, comment);
      close();
    } catch {
      // the error was shown as a toast; the dialog stays open with what was typed
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('close.heading')} open={summary !== null} onClose={close}>
      <form onSubmit={handleSubmit}>
        <p className="dialog-summary">{summary ?? ''}</p>
        <fieldset>
          <legend>{t('resolve.outcome')}</legend>
          <label>
            <input
              type="radio"
              name="outcome"
              value="confirmed"
              required
              checked={outcome === 'confirmed'}
              onChange={() => setOutcome('confirmed')}
            />{' '}
            {t('resolve.confirmed')}
          </label>
          <label>
            <input
              type="radio"
              name="outcome"
              value="false_alarm"
              checked={outcome === 'false_alarm'}
              onChange={() => setOutcome('false_alarm')}
            />{' '}
            {t('resolve.falseAlarm')}
          </label>
        </fieldset>
        <label htmlFor="resolve-comment">{t('resolve.comment')}</label>
        <textarea
          id="resolve-comment"
          rows={3}
          required
          value={comment}
          placeholder={t('resolve.placeholder')}
          onChange={(e) => setComment(e.target.value)}
        />
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('incidents.close')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const OTHER = '\u0000other';

/** Assign to a person of the organisation (picked from a list), or to another person or a response unit (typed). */
export function AssignDialog({
  summary,
  onClose,
  onAssign,
}: {
  summary: string | null;
  onClose(): void;
  onAssign(assignee: string, comment: string): Promise<void>;
}) {
  const { t } = useI18n();
  const people = useAssignees(summary !== null);
  const [choice, setChoice] = useState('');
  const [other, setOther] = useState('');
  const [comment, setComment] = useState('');
  const close = () => {
    setChoice('');
    setOther('');
    setComment('');
    onClose();
  };
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const assignee = choice === OTHER ? other.trim() : choice;
    if (!assignee) return;
    try {
      await onAssign(assignee, comment.trim());
      close();
    } catch {
      // shown as a toast
    }
  };
  return (
    <Dialog title={t('assignIncident.heading')} open={summary !== null} onClose={close}>
      <form onSubmit={handleSubmit}>
        <p className="dialog-summary">{summary ?? ''}</p>
        <label htmlFor="assign-person">{t('assign.person')}</label>
        <select id="assign-person" required value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('assign.choose')}</option>
          {people.map((p) => (
            <option key={p.id} value={p.username}>
              {p.name} ({p.username})
            </option>
          ))}
          <option value={OTHER}>{t('assign.other')}</option>
        </select>
        {choice === OTHER && (
          <>
            <label htmlFor="assign-who">{t('assign.assignee')}</label>
            <input id="assign-who" required value={other} onChange={(e) => setOther(e.target.value)} />
          </>
        )}
        <label htmlFor="assign-comment">{t('resolve.comment')}</label>
        <textarea id="assign-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('alerts.assign')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function NoteDialog({
  summary,
  onClose,
  onNote,
}: {
  summary: string | null;
  onClose(): void;
  onNote(comment: string): Promise<void>;
}) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const close = () => {
    setComment('');
    onClose();
  };
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await onNote(comment.trim());
      close();
    } catch {
      // shown as a toast
    }
  };
  return (
    <Dialog title={t('note.heading')} open={summary !== null} onClose={close}>
      <form onSubmit={handleSubmit}>
        <p className="dialog-summary">{summary ?? ''}</p>
        <label htmlFor="note-comment">{t('resolve.comment')}</label>
        <textarea
          id="note-comment"
          rows={3}
          required
          value={comment}
          placeholder={t('note.placeholder')}
          onChange={(e) => setComment(e.target.value)}
        />
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('incidents.note')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
