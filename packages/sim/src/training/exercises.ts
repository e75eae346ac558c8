/**
 * The exercises shipped in packages/sim/exercises/*.json, each validated by core's schema when it
 * is loaded (a broken file names itself and the field) and checked against the simulator's
 * corridors. Another folder (SEALWATCH_TRAINING_EXERCISES_DIR) can add an installation's own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExercise, type Exercise } from '@sealwatch/core';
import { findCorridor } from '../corridors';

/** The folder of the shipped exercises. */
export const shippedExercisesDir = fileURLToPath(new URL('../../exercises/', import.meta.url));

/** Every `*.json` exercise of the folders, by id; a duplicate id or an unknown corridor is an error naming the file. */
export function loadExercises(dirs: readonly string[] = [shippedExercisesDir]): Exercise[] {
  const byId = new Map<string, Exercise>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const file = join(dir, name);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`${file}: not JSON (${(e as Error).message})`);
      }
      const exercise = parseExercise(json, file);
      try {
        // A recorded exercise carries its own offices and itinerary.
        if (!exercise.recording) findCorridor(exercise.corridor);
      } catch {
        throw new Error(`${file}: corridor: unknown corridor ${exercise.corridor}`);
      }
      if (byId.has(exercise.id)) throw new Error(`${file}: id: ${exercise.id} is used by another exercise`);
      byId.set(exercise.id, exercise);
    }
  }
  return [...byId.values()];
}
