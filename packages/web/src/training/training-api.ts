/**
 * The training API as the console uses it (DESIGN §8): the run a token belongs to (the banner),
 * and for instructors the exercises, runs and scores.
 */
import { request } from '../api/client';
import { authHeaders } from '../auth/credentials';

/** What a trainee or instructor reads of an exercise, in one language. */
export interface ExerciseTexts {
  title: string;
  summary: string;
  objectives: string[];
}
type Translations = { fr?: ExerciseTexts; ar?: ExerciseTexts };
/** The languages an exercise's texts are written in (the console's). */
export type TextLanguage = 'en' | 'fr' | 'ar';

/**
 * The exercise's texts in the console's language, or its main ones (English, or the language a
 * recording's instructor wrote in, `language`) when it has none in that language; `lang` says
 * which, so a text shown in another language is marked as such (its direction, its words read aloud).
 */
export function textsIn<E extends ExerciseTexts & { language?: TextLanguage; translations?: Translations }>(
  e: E,
  lang: string,
): ExerciseTexts & { lang: TextLanguage } {
  const tr = lang === 'fr' || lang === 'ar' ? e.translations?.[lang] : undefined;
  return tr
    ? { ...tr, lang: lang as TextLanguage }
    : { title: e.title, summary: e.summary, objectives: e.objectives, lang: e.language ?? 'en' };
}

export interface TrainingSession {
  run: string;
  exercise: { id: string; title: string; summary: string; objectives: string[]; language?: TextLanguage; translations?: Translations };
  trainee: string;
  status: 'running' | 'finished';
  startedAt: string;
  endsAt: string;
}

export interface ExerciseSummary {
  id: string;
  title: string;
  summary: string;
  corridor: string;
  objectives: string[];
  language?: TextLanguage;
  translations?: Translations;
  durationS: number;
  maxScore: number;
}

export interface ScoreItem {
  criterion: string;
  /** Absent in scores kept before they were given (the console then shows the criterion's id and English summary). */
  kind?: string;
  incidentCode?: string;
  points: number;
  max: number;
  evidence: { summary: string; code?: string; vars?: Record<string, string | number>; at: string | null; incident: string | null };
}

export interface TrainingRun {
  id: string;
  exercise: string;
  trainee: string;
  traineeName: string;
  class: string | null;
  status: 'running' | 'finished';
  startedAt: string;
  endsAt: string;
  finishedAt: string | null;
  score: { total: number; max: number; items: ScoreItem[] };
}

/** The training run of this console's token, or null for a live session (the server answers 204). */
export async function loadTrainingSession(): Promise<TrainingSession | null> {
  try {
    const res = await fetch('/api/v1/training/session', {
      headers: authHeaders('GET', { Accept: 'application/json' }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    return res.status === 200 ? ((await res.json()) as TrainingSession) : null;
  } catch {
    return null;
  }
}

export const listExercises = () => request<{ items: ExerciseSummary[] }>('GET', '/api/v1/training/exercises').then((r) => r.items);
export const listRuns = (cls?: string) =>
  request<{ items: TrainingRun[] }>('GET', `/api/v1/training/runs${cls ? `?class=${encodeURIComponent(cls)}` : ''}`).then((r) => r.items);
export const getRun = (id: string) => request<TrainingRun>('GET', `/api/v1/training/runs/${encodeURIComponent(id)}`);
export const finishRun = (id: string) => request<TrainingRun>('POST', `/api/v1/training/runs/${encodeURIComponent(id)}/finish`);
export const startRun = (exercise: string, trainee: string, cls: string | undefined) =>
  request<{ id: string; token: string; trainee: string; traineeName: string; endsAt: string }>(
    'POST',
    `/api/v1/training/exercises/${encodeURIComponent(exercise)}/runs`,
    cls ? { trainee, class: cls } : { trainee },
  );
/** Someone the instructor may start a run for (the server's rule: its own organisation's people who handle alerts). */
export interface Trainee {
  id: string;
  name: string;
  organisation: string;
}
export const listTrainees = () => request<{ items: Trainee[] }>('GET', '/api/v1/training/trainees').then((r) => r.items);

/** A live movement as the recording form offers it. */
export interface LiveMovement {
  id: string;
  reference: string;
  status: string;
  departureOffice: string;
  destinationOffice: string;
}
/** The started movements the instructor sees (a declared one has no history to record). */
export const listRecordableMovements = () =>
  request<{ items: LiveMovement[] }>('GET', '/api/v1/movements?limit=500').then((r) => r.items.filter((m) => m.status !== 'declared'));
/** Records a live movement's history as a new exercise (anonymised by the server); answers the exercise as listed. */
export interface RecordBody {
  movement: string;
  id: string;
  /** In `language`; `translations` has the other languages' (a title, and objectives one for one when `objectives` is given). */
  title: string;
  objectives?: string[];
  language?: TextLanguage;
  translations?: Partial<Record<TextLanguage, { title: string; objectives?: string[] }>>;
}
export const recordExercise = (body: RecordBody) => request<ExerciseSummary>('POST', '/api/v1/training/exercises', body);
