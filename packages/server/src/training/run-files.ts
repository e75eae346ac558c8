/**
 * What a run keeps in its folder (`<data dir>/training/<run id>/`, beside its space's database) so
 * that it outlives a restart: `run.json` (the run and, once finished, its score), `exercise.json`
 * (the exercise as it was when the run started, so an edited or removed exercise does not change a
 * run's script or scoring), and `resume.json` (mode 0600: the hash of the trainee's token and the
 * seed of the run device's key, what a restarted server needs to take the run up again).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExercise, type Exercise, type Score } from '@sealwatch/core';

export interface TrainingRun {
  id: string;
  exercise: string;
  /** The trainee's user id on this installation, and name. */
  trainee: string;
  traineeName: string;
  /** A class the instructor groups runs by (the instructor screen shows one class side by side). */
  class: string | null;
  instructor: string;
  /**
   * The instructor's organisation: its instructors list, read and finish the run (the platform's:
   * every run). Absent on runs started before runs had one: the platform's.
   */
  organisation?: string;
  status: 'running' | 'finished';
  startedAt: string;
  endsAt: string;
  finishedAt: string | null;
  /**
   * Why a finished run ended: the instructor finished it, its time was over (also when that happened
   * while the server was stopped), or it could not be taken up again after a restart.
   */
  endReason: 'instructor' | 'time_over' | 'not_resumed' | null;
  /** The run's movement id (in the run's space). */
  movement: string;
  /** The final score once finished. */
  score: Score | null;
}

/** What resuming a run needs, kept apart from run.json (which the API shows). */
export interface RunSecrets {
  tokenHash: string;
  /** Seed of the run device's Ed25519 key (deriveDemoKey): the same key signs the tail after a restart. */
  deviceKeySeed: string;
  reference: string;
}

const file = (dir: string, name: string) => join(dir, name);

export function writeRun(dir: string, run: TrainingRun): void {
  writeFileSync(file(dir, 'run.json'), JSON.stringify(run, null, 2), { mode: 0o600 });
}

/** The run of a folder, or null when the folder holds none (a start that failed before its first save). */
export function readRun(dir: string): TrainingRun | null {
  if (!existsSync(file(dir, 'run.json'))) return null;
  const run = JSON.parse(readFileSync(file(dir, 'run.json'), 'utf8')) as TrainingRun;
  return { ...run, endReason: run.endReason ?? null };
}

export function writeRunExercise(dir: string, exercise: Exercise): void {
  writeFileSync(file(dir, 'exercise.json'), JSON.stringify(exercise, null, 2), { mode: 0o600 });
}

/** The exercise the run started with; null for runs kept before the copy was made. */
export function readRunExercise(dir: string): Exercise | null {
  const f = file(dir, 'exercise.json');
  return existsSync(f) ? parseExercise(JSON.parse(readFileSync(f, 'utf8')), f) : null;
}

export function writeRunSecrets(dir: string, secrets: RunSecrets): void {
  writeFileSync(file(dir, 'resume.json'), JSON.stringify(secrets), { mode: 0o600 });
}

export function readRunSecrets(dir: string): RunSecrets | null {
  const f = file(dir, 'resume.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RunSecrets) : null;
}
