/** A run's printable result sheet (#/training/<run id>): prints on white without the console around it. */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { criterionLabel, evidenceText } from './score-words';
import { getRun, listExercises, textsIn, type ExerciseSummary, type TrainingRun } from './training-api';

export function ResultSheet({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, dateTime, lang } = i18n;
  const [run, setRun] = useState<TrainingRun | null>(null);
  const [exercise, setExercise] = useState<ExerciseSummary | null>(null);
  useEffect(() => {
    void getRun(id).then(setRun);
    void listExercises().then((e) => setExercise(e.find((x) => x.id === run?.exercise) ?? null));
  }, [id, run?.exercise]);
  if (!run) return <main className="page" />;
  const texts = exercise ? textsIn(exercise, lang) : null;
  // Texts in another language than the console's (a recording written in one language only) say so.
  const other = !texts || texts.lang === lang ? {} : { lang: texts.lang, dir: texts.lang === 'ar' ? 'rtl' : 'ltr' };
  return (
    <main className="page training-sheet">
      <p className="no-print">
        <a href="#/training">{t('training.back')}</a> <button onClick={() => window.print()}>{t('training.print')}</button>
      </p>
      <h2>{t('training.sheetHeading')}</h2>
      <dl className="training-facts">
        <dt>{t('training.trainee')}</dt>
        <dd>{run.traineeName}</dd>
        <dt>{t('training.exercise')}</dt>
        <dd {...other}>{texts ? texts.title : run.exercise}</dd>
        <dt>{t('training.class')}</dt>
        <dd>{run.class ?? '—'}</dd>
        <dt>{t('training.started')}</dt>
        <dd>{dateTime(run.startedAt)}</dd>
        <dt>{t('training.finished')}</dt>
        <dd>{run.finishedAt ? dateTime(run.finishedAt) : t('training.status.running')}</dd>
        {texts && (
          <>
            <dt>{t('training.objectives')}</dt>
            <dd>
              <ol className="training-objectives" {...other}>
                {texts.objectives.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ol>
            </dd>
          </>
        )}
      </dl>
      <table className="training-sheet-table">
        <thead>
          <tr>
            <th scope="col">{t('training.criterion')}</th>
            <th scope="col">{t('training.points')}</th>
            <th scope="col">{t('training.evidence')}</th>
            <th scope="col">{t('training.when')}</th>
          </tr>
        </thead>
        <tbody>
          {run.score.items.map((i) => (
            <tr key={i.criterion}>
              <th scope="row" data-criterion={i.criterion}>
                {criterionLabel(i, i18n)}
              </th>
              <td>
                {i.points}/{i.max}
              </td>
              <td>{evidenceText(i, i18n)}</td>
              <td>{i.evidence.at ? dateTime(i.evidence.at) : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('training.total')}</th>
            <td id="sheet-total">
              <strong>
                {run.score.total}/{run.score.max}
              </strong>
            </td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
    </main>
  );
}
