/** The shipped exercises (packages/sim/exercises) read in every language of the console. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExercise } from './exercise';

const dir = fileURLToPath(new URL('../../../sim/exercises/', import.meta.url));
const shipped = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ f, json: JSON.parse(readFileSync(dir + f, 'utf8')) as Record<string, unknown> }));

test('every shipped exercise has its title, summary and objectives in French and Arabic, one objective for each', () => {
  assert.equal(shipped.length, 6);
  for (const { f, json } of shipped) {
    const e = parseExercise(json, f);
    for (const lang of ['fr', 'ar'] as const) {
      const texts = e.translations?.[lang];
      assert.ok(texts, `${f}: ${lang}`);
      assert.equal(texts.objectives.length, e.objectives.length, `${f}: ${lang}`);
      assert.notEqual(texts.title, e.title, `${f}: ${lang} title translated`);
    }
  }
});

test('a translation with one objective fewer than the English ones is refused, with where', () => {
  const { f, json } = shipped[0];
  const tr = json.translations as { fr: { objectives: string[] } };
  const broken = { ...json, translations: { ...tr, fr: { ...tr.fr, objectives: tr.fr.objectives.slice(1) } } };
  assert.throws(() => parseExercise(broken, f), /translations\.fr\.objectives: one objective for each English one/);
});
