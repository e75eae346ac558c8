/**
 * The instructor's screen: start an exercise for a trainee picked by name (the run's link is shown
 * once), record a live movement as a new exercise, and the runs of a class side by side with their
 * live scores criterion by criterion; each run links its printable result sheet (#/training/<run id>).
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { RecordExercise } from './record-exercise';
import { ResultSheet } from './result-sheet';
import { criterionLabel, evidenceText, isolate } from './score-words';
import {
  finishRun,
  listExercises,
  listRuns,
  listTrainees,
  startRun,
  textsIn,
  type ExerciseSummary,
  type Trainee,
  type TrainingRun,
} from './training-api';

export function TrainingPage({ runId }: { runId?: string }) {
  return runId ? <ResultSheet id={runId} /> : <Instructor />;
}

function Instructor() {
  const { t, lang } = useI18n();
  const [exercises, setExercises] = useState<ExerciseSummary[]>([]);
  const [trainees, setTrainees] = useState<Trainee[] | null>(null);
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
    void listTrainees().then(setTrainees, () => setTrainees([]));
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
      setLink({ name: isolate(name), url: `${location.origin}/#token=${r.token}` });
      setRuns(await listRuns(cls || undefined));
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'unknown_user'
          ? t(e.details.reason === 'exercise_scope' ? 'training.err.traineeOutsideRecording' : 'training.err.unknownTrainee')
          : t('common.error', { detail: (e as Error).message }),
      );
    }
  };
  const handleRecorded = (e: ExerciseSummary) => {
    setExercises((list) => [...list.filter((x) => x.id !== e.id), e]);
    setExercise(e.id);
  };
  // The platform's instructors train several organisations' people: their names then say whose.
  const manyOrganisations = new Set((trainees ?? []).map((u) => u.organisation)).size > 1;

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
          <select id="training-trainee" value={trainee} onChange={(e) => setTrainee(e.target.value)} required>
            <option value="">—</option>
            {(trainees ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {manyOrganisations ? `${u.name} (${u.organisation})` : u.name}
              </option>
            ))}
          </select>
          <label htmlFor="training-class">{t('training.class')}</label>
          <input id="training-class" value={cls} onChange={(e) => setCls(e.target.value)} />
          <button type="submit" disabled={!exercise || !trainee}>
            {t('training.startButton')}
          </button>
        </form>
        {trainees && !trainees.length && <p>{t('training.noTrainees')}</p>}
        {error && <p role="alert">{error}</p>}
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
        <h3 id="training-runs">{cls ? t('training.runsOfClass', { class: isolate(cls) }) : t('training.runs')}</h3>
        {runs.length ? (
          <SideBySide runs={runs} exercises={exercises} onFinished={() => void listRuns(cls || undefined).then(setRuns)} />
        ) : (
          <p>{t('training.noRuns')}</p>
        )}
      </section>
      <RecordExercise onRecorded={handleRecorded} />
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
