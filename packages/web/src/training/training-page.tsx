/**
 * The instructor's screen: start an exercise for a trainee (the run's link is shown once), the
 * runs of a class side by side with their live scores criterion by criterion, and a printable
 * result sheet per run (#/training/<run id>).
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import {
  finishRun,
  getRun,
  listExercises,
  listRuns,
  listUsersIfAllowed,
  startRun,
  type ExerciseSummary,
  type TrainingRun,
} from './training-api';

export function TrainingPage({ runId }: { runId?: string }) {
  return runId ? <ResultSheet id={runId} /> : <Instructor />;
}

function Instructor() {
  const { t } = useI18n();
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
                {x.title} ({x.maxScore})
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
  const { t } = useI18n();
  const criteria = [...new Set(runs.flatMap((r) => r.score.items.map((i) => i.criterion)))];
  const title = (id: string) => exercises.find((e) => e.id === id)?.title ?? id;
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
            <tr key={c}>
              <th scope="row">{c}</th>
              {runs.map((r) => {
                const item = r.score.items.find((i) => i.criterion === c);
                return (
                  <td key={r.id} title={item?.evidence.summary}>
                    {item ? `${item.points}/${item.max}` : '—'}
                    {item && <small>{item.evidence.summary}</small>}
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
  const { t, dateTime } = useI18n();
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
        <dd>{exercise?.title ?? run.exercise}</dd>
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
              <th scope="row">{i.criterion}</th>
              <td>
                {i.points}/{i.max}
              </td>
              <td>{i.evidence.summary}</td>
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
