import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distanceM, isValidContainerNumber } from '@sealwatch/core';
import { loadExercises, shippedExercisesDir } from './exercises';
import { exerciseScript } from './exercise-script';

const START = Date.parse('2026-12-06T10:00:00.000Z');

test('the six shipped exercises load, each with a valid container and criteria', () => {
  const exercises = loadExercises();
  assert.deepEqual(exercises.map((e) => e.id).sort(), [
    'battery-will-not-last',
    'diversion-road-closure',
    'missed-rfid-checkpoint',
    'rope-cut-near-destination',
    'seal-tampered-en-route',
    'signal-lost-dead-zone',
  ]);
  for (const e of exercises) assert.ok(isValidContainerNumber(e.movement.container), `${e.id}: ${e.movement.container}`);
});

test('a broken exercise file names itself and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exercises-'));
  const good = JSON.parse(readFileSync(join(shippedExercisesDir, 'seal-tampered-en-route.json'), 'utf8'));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...good, criteria: [{ ...good.criteria[0], kind: 'telepathy' }] }));
  assert.throws(() => loadExercises([dir]), /bad\.json: criteria\.0\.kind/);
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...good, corridor: 'NOWHERE' }));
  assert.throws(() => loadExercises([dir]), /bad\.json: corridor: unknown corridor NOWHERE/);
});

test('every scripted message is possible: road speed between readings, never sent before it was made, history before the start', () => {
  for (const e of loadExercises()) {
    const script = exerciseScript(e, START, `TRN-${e.id}`);
    assert.ok(script.messages.length > 0, e.id);
    const byTime = [...script.messages].sort((a, b) => Date.parse(a.payload.time as string) - Date.parse(b.payload.time as string));
    for (let i = 1; i < byTime.length; i++) {
      const [a, b] = [byTime[i - 1].payload, byTime[i].payload];
      const dt = (Date.parse(b.time as string) - Date.parse(a.time as string)) / 1000;
      const d = distanceM(a.position as { lat: number; lon: number }, b.position as { lat: number; lon: number });
      assert.ok(d / dt < 130 / 3.6, `${e.id}: ${Math.round((d / dt) * 3.6)} km/h between seq ${a.seq as number} and ${b.seq as number}`);
    }
    for (const m of script.messages) {
      const made = Date.parse(m.payload.time as string);
      assert.ok(m.sendAtMs >= made, `${e.id}: seq ${m.payload.seq as number} sent before it was made`);
      // History is uploaded at the start, or when the silent window it was made in ends.
      const silence = e.script.find((x) => 'silent' in x && made >= START + x.fromS * 1000 && made < START + x.untilS * 1000);
      const upload = silence && 'untilS' in silence ? START + silence.untilS * 1000 : START;
      if (made < START) assert.equal(m.sendAtMs, Math.max(START, upload), `${e.id}: history is uploaded at the start`);
    }
    assert.ok(script.movement.timeLimit > new Date(script.endsAtMs).toISOString(), `${e.id}: time limit after the exercise`);
  }
});

test('the tamper exercise: seal closed until 20 s into the run, tampered after; the signal exercise buffers six minutes, sent a minute in', () => {
  const [tamper, silent] = ['seal-tampered-en-route', 'signal-lost-dead-zone'].map((id) => loadExercises().find((e) => e.id === id)!);
  const t = exerciseScript(tamper, START, 'TRN-1').messages;
  const sealAt = (ms: number) => (t.find((m) => Date.parse(m.payload.time as string) >= ms)!.payload.seal as { state: string }).state;
  assert.equal(sealAt(START - 60_000), 'closed');
  assert.equal(sealAt(START + 30_000), 'tampered');
  const s = exerciseScript(silent, START, 'TRN-2').messages;
  const during = s.filter(
    (m) => Date.parse(m.payload.time as string) >= START - 300_000 && Date.parse(m.payload.time as string) < START + 60_000,
  );
  assert.equal(during.length, 6, 'one reading a minute');
  for (const m of during) assert.equal(m.sendAtMs, START + 60_000);
  assert.ok(
    s.every((m) => m.sendAtMs !== START + 30_000),
    'nothing while silent',
  );
});

test('the battery exercise: the truck stands at the office of departure for its first ten minutes, then drives', () => {
  const e = loadExercises().find((x) => x.id === 'battery-will-not-last')!;
  const m = exerciseScript(e, START, 'TRN-3').messages.map(
    (x) => x.payload as unknown as { time: string; position: { lat: number; lon: number; speed: number } },
  );
  const at = (s: number) => m.find((x) => Date.parse(x.time) >= START + s * 1000)!.position;
  assert.ok(distanceM(at(0), at(540)) < 30, 'still at the office after 9 minutes');
  assert.equal(at(300).speed, 0);
  assert.ok(distanceM(at(0), at(900)) > 1500, 'on the road after 15 minutes');
});
