/**
 * A training run outlives a restart of the server (issue 15): a run still running when the process
 * stops is taken up again at the next start (the trainee's token works again, the device's tail
 * goes on and the tamper it scripted happens after the restart), and a run whose time ran out while
 * the server was stopped is finished with that reason and its score: no ghost run either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedExercisesDir } from '@sealwatch/sim';
import { startTestPlatform, TEST_TOKEN } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

/** The tamper exercise with its tamper 12 s into the run: after the restart below. */
function exercisesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'exercises-'));
  const e = JSON.parse(readFileSync(join(shippedExercisesDir, 'seal-tampered-en-route.json'), 'utf8'));
  writeFileSync(
    join(dir, 'late.json'),
    JSON.stringify({ ...e, id: 'seal-tampered-late', script: [{ atS: 12, seal: { state: 'tampered' } }] }),
  );
  return dir;
}

const client = (p: P) => {
  const base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
  return async (method: string, path: string, token: string, body?: unknown) => {
    const r = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, text, json: () => JSON.parse(text) };
  };
};
const until = async <T>(what: string, f: () => Promise<T | null | undefined | false>): Promise<T> => {
  for (let i = 0; i < 240; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

test('a running run is resumed after a restart and scores; one whose time ran out meanwhile is finished, not left running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-restart-'));
  const env = { SEALWATCH_TRANSIT_EVAL_S: '1', SEALWATCH_TRAINING_EXERCISES_DIR: exercisesDir() };
  let p: P = await startTestPlatform(env, { dir });
  await p.listen();
  let call = client(p);
  assert.equal(
    (await call('POST', '/api/v1/organisations', TEST_TOKEN, { id: 'kra', name: 'KRA', kind: 'customs', country: null })).status,
    201,
  );
  const trainee = (
    await call('POST', '/api/v1/users', TEST_TOKEN, {
      username: 'alice',
      name: 'Alice',
      organisation: 'kra',
      roles: ['officer'],
      password: 'alice long password',
    })
  ).json().id;
  const start = async () => (await call('POST', '/api/v1/training/exercises/seal-tampered-late/runs', TEST_TOKEN, { trainee })).json();
  const [a, b] = [await start(), await start()];
  assert.equal((await call('GET', '/api/v1/incidents', a.token)).json().items.length, 0, 'no incident before the tamper');
  await p.stop();

  // Second start: both runs are running again, their tokens open them, and the tamper arrives.
  p = await startTestPlatform(env, { dir });
  await p.listen();
  call = client(p);
  for (const r of [a, b]) {
    const run = (await call('GET', `/api/v1/training/runs/${r.id}`, TEST_TOKEN)).json();
    assert.deepEqual([run.status, run.endReason], ['running', null]);
    assert.equal((await call('GET', '/api/v1/training/session', r.token)).json().run, r.id);
  }
  const incident = await until('the tamper after the restart', async () =>
    (await call('GET', '/api/v1/incidents', a.token)).json().items.find((i: { code: string }) => i.code === 'seal_broken'),
  );
  const observations = (await call('GET', '/api/v1/devices/TRN-ELOCK-01/observations?limit=1000', a.token)).json().items;
  const seqs = observations.map((o: { seq: number }) => o.seq);
  assert.equal(new Set(seqs).size, seqs.length, 'what was sent before the stop is stored once');
  assert.deepEqual(
    [...seqs].sort((x: number, y: number) => x - y),
    Array.from({ length: seqs.length }, (_, i) => i + 1),
    'no message of the trip lost',
  );
  for (const [action, body] of [
    ['acknowledge', {}],
    ['assign', { assignee: 'Mobile unit 2' }],
    ['note', { comment: 'unit 2 on its way to the truck' }],
    ['close', { outcome: 'confirmed', comment: 'shackle forced' }],
  ] as const)
    assert.equal((await call('POST', `/api/v1/incidents/${incident.id}/${action}`, a.token, body)).status, 200, action);
  await until('the tamper in the other run', async () => (await call('GET', '/api/v1/incidents', b.token)).json().items.length === 1);
  const done = (await call('POST', `/api/v1/training/runs/${a.id}/finish`, TEST_TOKEN)).json();
  assert.deepEqual([done.status, done.endReason, done.score.total, done.score.max], ['finished', 'instructor', 10, 10]);
  await p.stop();

  // Third start, an hour later (past run b's 15 minutes): b is finished as time over, with its score, and its token opens nothing.
  p = await startTestPlatform(env, { dir, now: () => Date.now() + 3_600_000 });
  await p.listen();
  call = client(p);
  const runs = (await call('GET', '/api/v1/training/runs', TEST_TOKEN)).json().items as Array<Record<string, any>>;
  assert.deepEqual(
    runs.map((r) => [r.id, r.status, r.endReason]).sort(),
    [
      [a.id, 'finished', 'instructor'],
      [b.id, 'finished', 'time_over'],
    ].sort(),
  );
  const finishedB = runs.find((r) => r.id === b.id)!;
  assert.deepEqual([finishedB.score.total, finishedB.score.max], [0, 10]);
  assert.equal(finishedB.score.items[0].evidence.summary, 'not acknowledged', 'scored from its space, which holds the tamper');
  assert.equal((await call('GET', '/api/v1/training/session', b.token)).status, 204);
  assert.equal((await call('GET', '/api/v1/movements', b.token)).status, 401);
  await p.cleanup();
});
