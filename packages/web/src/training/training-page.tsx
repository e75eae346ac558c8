/**
 * The instructor's screen: start an exercise for a trainee (the run's link is shown once), the
 * runs of a class side by side with their live scores criterion by criterion, and a printable
 * result sheet per run (#/training/<run id>).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import {
  finishRun,
  getRun,
  listExercises,
  listRuns,
  listUsersIfAllowed,
  startRun,
  textsIn,
  type ExerciseSummary,
  type ScoreItem,
  type TrainingRun,
} from './training-api';

type Translate = ReturnType<typeof useI18n>;
// Names in the evidence (who was dispatched, the note written) are data, shown as they are.
const DATA_VARS = { dispatched: 'assignee', escalated_dispatched: 'assignee', noted: 'note' } as Record<string, string>;

/** What a criterion asks, in the reader's language (its id for a score kept before criteria said their kind). */
function criterionLabel(i: ScoreItem, { t, type }: Translate): ReactNode {
  if (!i.kind || !i.incidentCode) return <code translate="no">{i.criterion}</code>;
  return t(`training.kind.${i.kind}` as MessageKey, { incident: type(i.incidentCode) });
}

/** Why the criterion earned what it did, in the reader's language (the English summary for a score kept before codes). */
function evidenceText(i: ScoreItem, { t }: Translate): ReactNode {
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
      {words} <q translate="no">{String(vars[data] ?? '')}</q>
    </>
  ) : (
    words
  );
}

export function TrainingPage({ runId }: { runId?: string }) {
  return runId ? <ResultSheet id={runId} /> : <Instructor />;
}

function Instructor() {
  const { t, lang } = useI18n();
  const [exercises, setExercises] = useState<ExerciseSummary[]>([]);
  const [users, setUsers] = useState<{ id: string; name: string; username: string }[] | null>(null);
  const [exercise, setExercise] = useState('');
  const [trainee, setTrainee] = useState('');
  const [cls, setCls] = useState('');
  const [link, setLink] = useState<{ name: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<TrainingRun[]>([]);

  useEffect(() => {
    void listExercises().then((e) => {
      setExercises(e);
      setExercise((x) => x || e[0]?.id || '');
    });
    void listUsersIfAllowed().then(setUsers);
  }, []);
  useEffect(() => {
    let stop = false;
    const load = () =>
      void listRuns(cls || undefined).then(
        (r) => !stop && setRuns(r),
        () => undefined,
      );
    load();
    const timer = setInterval(load, 3000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [cls]);

  const start = async () => {
    setError(null);
    try {
      const r = await startRun(exercise, trainee, cls || undefined);
      const name = r.traineeName;
      setLink({ name, url: `${location.origin}/#token=${r.token}` });
      setRuns(await listRuns(cls || undefined));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <main className="page training-page">
      <h2>{t('training.heading')}</h2>
      <section aria-labelledby="training-start">
        <h3 id="training-start">{t('training.start')}</h3>
        <form
          className="training-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <label htmlFor="training-exercise">{t('training.exercise')}</label>
          <select id="training-exercise" value={exercise} onChange={(e) => setExercise(e.target.value)}>
            {exercises.map((x) => (
              <option key={x.id} value={x.id}>
                {textsIn(x, lang).title} ({x.maxScore})
              </option>
            ))}
          </select>
          <label htmlFor="training-trainee">{t('training.trainee')}</label>
          {users ? (
            <select id="training-trainee" value={trainee} onChange={(e) => setTrainee(e.target.value)} required>
              <option value="">—</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.username})
                </option>
              ))}
            </select>
          ) : (
            <input
              id="training-trainee"
              value={trainee}
              onChange={(e) => setTrainee(e.target.value)}
              placeholder={t('training.traineeId')}
              required
            />
          )}
          <label htmlFor="training-class">{t('training.class')}</label>
          <input id="training-class" value={cls} onChange={(e) => setCls(e.target.value)} />
          <button type="submit" disabled={!exercise || !trainee}>
            {t('training.startButton')}
          </button>
        </form>
        {error && <p role="alert">{t('common.error', { detail: error })}</p>}
        {link && (
          <p className="training-link">
            <label>
              {t('training.link', { name: link.name })}
              <input readOnly value={link.url} onFocus={(e) => e.target.select()} />
            </label>
          </p>
        )}
      </section>
      <section aria-labelledby="training-runs">
        <h3 id="training-runs">{cls ? t('training.runsOfClass', { class: cls }) : t('training.runs')}</h3>
        {runs.length ? (
          <SideBySide runs={runs} exercises={exercises} onFinished={() => void listRuns(cls || undefined).then(setRuns)} />
        ) : (
          <p>{t('training.noRuns')}</p>
        )}
      </section>
    </main>
  );
}

function SideBySide({ runs, exercises, onFinished }: { runs: TrainingRun[]; exercises: ExerciseSummary[]; onFinished(): void }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const criteria = [...new Map(runs.flatMap((r) => r.score.items.map((i) => [i.criterion, i] as const))).values()];
  const title = (id: string) => {
    const e = exercises.find((x) => x.id === id);
    return e ? textsIn(e, lang).title : id;
  };
  return (
    <div className="table-scroll">
      <table className="training-runs">
        <thead>
          <tr>
            <th scope="col">{t('training.criterion')}</th>
            {runs.map((r) => (
              <th scope="col" key={r.id} data-run={r.id}>
                {r.traineeName}
                <small>
                  {title(r.exercise)} · {t(`training.status.${r.status}`)}
                </small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {criteria.map((c) => (
            <tr key={c.criterion}>
              <th scope="row" data-criterion={c.criterion}>
                {criterionLabel(c, i18n)}
              </th>
              {runs.map((r) => {
                const item = r.score.items.find((i) => i.criterion === c.criterion);
                return (
                  <td key={r.id}>
                    {item ? `${item.points}/${item.max}` : '—'}
                    {item && <small>{evidenceText(item, i18n)}</small>}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr className="training-total">
            <th scope="row">{t('training.total')}</th>
            {runs.map((r) => (
              <td key={r.id} data-total={r.id}>
                <strong>
                  {r.score.total}/{r.score.max}
                </strong>
                <span className="training-actions">
                  <a href={`#/training/${r.id}`}>{t('training.sheet')}</a>
                  {r.status === 'running' && (
                    <button type="button" onClick={() => void finishRun(r.id).then(onFinished)}>
                      {t('training.finish')}
                    </button>
                  )}
                </span>
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function ResultSheet({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, dateTime, lang } = i18n;
  const [run, setRun] = useState<TrainingRun | null>(null);
  const [exercise, setExercise] = useState<ExerciseSummary | null>(null);
  useEffect(() => {
    void getRun(id).then(setRun);
    void listExercises().then((e) => setExercise(e.find((x) => x.id === run?.exercise) ?? null));
  }, [id, run?.exercise]);
  if (!run) return <main className="page" />;
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
        <dd>{exercise ? textsIn(exercise, lang).title : run.exercise}</dd>
        <dt>{t('training.class')}</dt>
        <dd>{run.class ?? '—'}</dd>
        <dt>{t('training.started')}</dt>
        <dd>{dateTime(run.startedAt)}</dd>
        <dt>{t('training.finished')}</dt>
        <dd>{run.finishedAt ? dateTime(run.finishedAt) : t('training.status.running')}</dd>
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
