/**
 * The TRAINING banner: shown on every screen while the console holds a training run's token, with
 * the exercise's title, objectives and end time, so nobody mistakes the run's alerts for live ones.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { loadTrainingSession, textsIn, type TrainingSession } from './training-api';

export function TrainingBanner() {
  const { t, dateTime, lang } = useI18n();
  const [session, setSession] = useState<TrainingSession | null>(null);
  useEffect(() => {
    void loadTrainingSession().then(setSession);
  }, []);
  if (!session) return null;
  const texts = textsIn(session.exercise, lang);
  // Texts in another language than the console's (a recording written in one language only) say so.
  const other = texts.lang === lang ? {} : { lang: texts.lang, dir: texts.lang === 'ar' ? 'rtl' : 'ltr' };
  return (
    <section className="training-banner" role="status" aria-label={t('training.banner')} data-training-run={session.run}>
      <strong className="training-flag">{t('training.banner')}</strong>
      <span>
        <bdi {...other}>{texts.title}</bdi> · {t('training.endsAt', { time: dateTime(session.endsAt) })}
      </span>
      <details>
        <summary>{t('training.objectives')}</summary>
        <p {...other}>{texts.summary}</p>
        <ol {...other}>
          {texts.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ol>
      </details>
    </section>
  );
}
