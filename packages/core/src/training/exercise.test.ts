/** The shipped exercises (packages/sim/exercises) read in every language of the console. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exerciseInScope, parseExercise, type Recording } from './exercise';

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

test("a recording is offered by its movement's scope (departure and destination countries, and all-seeing parties); a scripted exercise to all", () => {
  const area = { center: { lat: 0, lon: 0 }, radiusM: 1000 };
  const recording = {
    offices: [
      { code: 'TZDAR', name: 'Dar es Salaam', country: 'TZ', area },
      { code: 'KETRN', name: 'A transit office', country: 'KE', area },
      { code: 'RWKGL', name: 'Kigali', country: 'RW', area },
    ],
    departureOffice: 'TZDAR',
    destinationOffice: 'RWKGL',
  } as unknown as Recording;
  const of = (country: string) => exerciseInScope({ recording }, { kind: 'jurisdiction', country });
  assert.deepEqual([of('TZ'), of('RW'), of('KE'), of('UG')], [true, true, false, false], "a transit country is not the movement's scope");
  assert.equal(exerciseInScope({ recording }, { kind: 'all' }), true);
  assert.equal(exerciseInScope({ recording }, { kind: 'trader', trader: 'acme' }), false);
  assert.equal(exerciseInScope({ recording }, { kind: 'none' }), false);
  // An office the recording places in no country: only the parties that see every movement.
  const unplaced = { ...recording, offices: recording.offices.filter((o) => o.code !== 'TZDAR') };
  assert.equal(exerciseInScope({ recording: unplaced }, { kind: 'jurisdiction', country: 'TZ' }), false);
  assert.equal(exerciseInScope({ recording: unplaced }, { kind: 'jurisdiction', country: 'RW' }), true);
  for (const { f, json } of shipped)
    assert.equal(exerciseInScope(parseExercise(json, f), { kind: 'jurisdiction', country: 'UG' }), true, f);
});
