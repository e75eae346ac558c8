/**
 * A score item in the reader's language: what the criterion asks and why it earned what it did
 * (the instructor's side-by-side table and the result sheet).
 */
import type { ReactNode } from 'react';
import type { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import type { ScoreItem } from './training-api';

/** Data inside a sentence (a class, a name, a title) as a bidi isolate (FSI … PDI): a Latin class name keeps its order in Arabic. */
export const isolate = (text: string) => `\u2068${text}\u2069`;

type Translate = ReturnType<typeof useI18n>;
// Names in the evidence (who was dispatched, the note written) are data, shown as they are.
const DATA_VARS = { dispatched: 'assignee', escalated_dispatched: 'assignee', noted: 'note' } as Record<string, string>;

/** What a criterion asks, in the reader's language (its id for a score kept before criteria said their kind). */
export function criterionLabel(i: ScoreItem, { t }: Translate): ReactNode {
  if (!i.kind || !i.incidentCode) return <code translate="no">{i.criterion}</code>;
  // An incident code's name (incident.code.*): the alert-type names do not hold them, and fell back to English.
  return t(`training.kind.${i.kind}` as MessageKey, { incident: t(`incident.code.${i.incidentCode}` as MessageKey) });
}

/** Why the criterion earned what it did, in the reader's language (the English summary for a score kept before codes). */
export function evidenceText(i: ScoreItem, { t }: Translate): ReactNode {
  const { code, vars = {} } = i.evidence;
  if (!code) return <span lang="en">{i.evidence.summary}</span>;
  const words = t(`training.ev.${code}` as MessageKey, {
    ...vars,
    outcome: vars.outcome ? t(`outcome.${vars.outcome}` as MessageKey) : '',
    expected: vars.expected ? t(`outcome.${vars.expected}` as MessageKey) : '',
  });
  const data = DATA_VARS[code];
  return data ? (
    <>
      {/* dir="auto": a note in another script keeps its quotes around it in a right-to-left sheet. */}
      {words}{' '}
      <q translate="no" dir="auto">
        {String(vars[data] ?? '')}
      </q>
    </>
  ) : (
    words
  );
}
