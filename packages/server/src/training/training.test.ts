/**
 * Training runs end to end over real sockets: an instructor starts the tamper exercise for a
 * trainee, the trainee handles it with the run's token through the live platform's port (the
 * gateway), and the score follows. Then the isolation: every live list endpoint (read from the
 * OpenAPI document, so a new one is covered without editing this test), the live stream, and the
 * device's observations show nothing of the run; the run's token sees nothing live.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { shippedExercisesDir } from '@sealwatch/sim';
import { buildMovementBody, malabaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let base = '';
const tokens: Record<string, string> = {};
const liveKey = generateDeviceKey('EdDSA');

/** The tamper exercise with its tamper 2 s into the run (the shipped one waits 20 s). */
function fastExercisesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'exercises-'));
  const e = JSON.parse(readFileSync(join(shippedExercisesDir, 'seal-tampered-en-route.json'), 'utf8'));
  writeFileSync(
    join(dir, 'fast.json'),
    JSON.stringify({ ...e, id: 'seal-tampered-fast', script: [{ atS: 2, seal: { state: 'tampered' } }] }),
  );
  return dir;
}

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) };
};
const until = async <T>(what: string, f: () => Promise<T | null | undefined | false>): Promise<T> => {
  for (let i = 0; i < 400; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Reads the live stream until `stop` resolves; returns everything it carried. */
function collectStream(token: string) {
  const controller = new AbortController();
  let text = '';
  const done = (async () => {
    const r = await fetch(`${base}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    const reader = r.body!.getReader();
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        text += Buffer.from(value).toString('utf8');
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    async stop() {
      controller.abort();
      await done.catch(() => undefined);
      return text;
    },
  };
}

before(async () => {
  p = await startTestPlatform({
    SEALWATCH_AUDIT_CHECKPOINT_S: '0',
    SEALWATCH_TRANSIT_EVAL_S: '0',
    SEALWATCH_TRAINING_EXERCISES_DIR: fastExercisesDir(),
  });
  base = (await p.listen()).replace('localhost', '127.0.0.1');
  const admin = (path: string, body: unknown) => call('POST', path, 'test-admin-token-0123456789abcdef', body);
  assert.equal((await admin('/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: null })).status, 201);
  for (const [name, role] of [
    ['instructor', 'instructor'],
    ['alice', 'officer'],
    ['bob', 'officer'],
    ['operator', 'operator'],
  ]) {
    const u = await admin('/api/v1/users', {
      username: name,
      name: `${name} user`,
      organisation: 'kra',
      roles: [role],
      password: `${name} long password`,
    });
    assert.equal(u.status, 201, u.text);
    tokens[`${name}Id`] = u.json().id;
    tokens[name] = (await admin('/api/v1/tokens', { name: 'test', user: u.json().id })).json().token;
  }
  // Live data: an office, a device, a movement whose seal is broken.
  assert.equal((await admin('/api/v1/offices', { ...malabaOffice, code: 'LIVEOFF' })).status, 201);
  assert.equal(
    (
      await admin('/api/v1/offices', {
        code: 'LIVEDST',
        name: 'Live destination',
        country: 'UG',
        area: { center: { lat: 0.3, lon: 32.6 }, radiusM: 2000 },
      })
    ).status,
    201,
  );
  assert.equal(
    (await admin('/api/v1/devices', { id: 'LIVE-LOCK', class: 'active', kind: 'e_lock', protocol: 'native', key: liveKey.registration }))
      .status,
    201,
  );
  const m = await admin('/api/v1/movements', {
    ...buildMovementBody({ devices: ['LIVE-LOCK'], departureOffice: 'LIVEOFF', destinationOffice: 'LIVEDST' }),
    reference: 'LIVE-REF-1',
  });
  assert.equal(m.status, 201, m.text);
  tokens.liveMovement = m.json().id;
  assert.equal((await admin(`/api/v1/movements/${m.json().id}/start`, {})).status, 200);
  const r = await admin('/api/v1/ingest', {
    messages: [
      signMessage(liveKey, {
        device: 'LIVE-LOCK',
        seq: 1,
        time: new Date().toISOString(),
        position: { lat: 0.63, lon: 34.27 },
        seal: { state: 'tampered' },
      }),
    ],
  });
  assert.equal(r.json().results[0].status, 'accepted');
  await until('the live incident', async () => (await call('GET', '/api/v1/incidents', tokens.operator)).json().items.length === 1);
});
after(() => p.cleanup());

const runs: Record<string, { id: string; token: string; movement: string }> = {};

test('only an instructor (or admin) lists exercises and starts runs; an unknown trainee is named', async () => {
  const list = (await call('GET', '/api/v1/training/exercises', tokens.instructor)).json().items;
  assert.equal(list.length, 7, 'six shipped and the fast copy');
  assert.deepEqual(list.find((e: { id: string }) => e.id === 'seal-tampered-en-route').maxScore, 10);
  assert.equal((await call('GET', '/api/v1/training/exercises', tokens.operator)).status, 403);
  assert.equal(
    (await call('POST', '/api/v1/training/exercises/seal-tampered-fast/runs', tokens.operator, { trainee: tokens.aliceId })).status,
    403,
  );
  const unknown = await call('POST', '/api/v1/training/exercises/seal-tampered-fast/runs', tokens.instructor, { trainee: 'nobody' });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json().code, 'unknown_user');
  assert.equal(
    (await call('POST', '/api/v1/training/exercises/no-such/runs', tokens.instructor, { trainee: tokens.aliceId })).json().code,
    'unknown_exercise',
  );
});

test("an instructor picks trainees among its own organisation's people (names and ids only), never another organisation's", async () => {
  const admin = (method: string, path: string, body: unknown) => call(method, path, 'test-admin-token-0123456789abcdef', body);
  assert.equal((await admin('POST', '/api/v1/organisations', { id: 'ura', name: 'URA', kind: 'customs', country: 'UG' })).status, 201);
  const made: Record<string, { id: string; token: string }> = {};
  for (const [username, organisation, role] of [
    ['ura.instructor', 'ura', 'instructor'],
    ['ura.officer', 'ura', 'officer'],
    ['kra.gone', 'kra', 'officer'],
  ]) {
    const u = await admin('POST', '/api/v1/users', {
      username,
      name: `${username} name`,
      organisation,
      roles: [role],
      password: `${username} long password`,
    });
    assert.equal(u.status, 201, u.text);
    made[username] = { id: u.json().id, token: (await admin('POST', '/api/v1/tokens', { name: 'test', user: u.json().id })).json().token };
  }
  assert.equal((await admin('PATCH', `/api/v1/users/${made['kra.gone'].id}`, { disabled: true })).status, 200);

  // Kenya's instructor: Kenya's enabled people who handle alerts, by name; nothing else of them.
  const kra = await call('GET', '/api/v1/training/trainees', tokens.instructor);
  assert.equal(kra.status, 200, kra.text);
  assert.deepEqual(
    kra.json().items.map((u: { name: string }) => u.name),
    ['alice user', 'bob user', 'operator user'],
  );
  for (const u of kra.json().items) assert.deepEqual(Object.keys(u).sort(), ['id', 'name', 'organisation']);
  assert.ok(!kra.text.includes('ura.'), "no other organisation's user in the picker");
  // Nor by the administration routes, nor by starting a run for another organisation's user.
  assert.equal((await call('GET', '/api/v1/users', tokens.instructor)).status, 403);
  assert.equal((await call('GET', '/api/v1/users?organisation=ura', tokens.instructor)).status, 403);
  for (const trainee of [made['ura.officer'].id, made['kra.gone'].id]) {
    const r = await call('POST', '/api/v1/training/exercises/seal-tampered-fast/runs', tokens.instructor, { trainee });
    assert.deepEqual([r.status, r.json().code], [422, 'unknown_user']);
    assert.ok(!r.text.includes(' name'), 'the refusal names nobody');
  }
  // Uganda's instructor sees Uganda's only; an operator may not ask; the platform sees everyone's.
  const ura = (await call('GET', '/api/v1/training/trainees', made['ura.instructor'].token)).json().items;
  assert.deepEqual(
    ura.map((u: { name: string; organisation: string }) => [u.name, u.organisation]),
    [['ura.officer name', 'ura']],
  );
  assert.equal((await call('GET', '/api/v1/training/trainees', tokens.operator)).status, 403);
  const all = (await call('GET', '/api/v1/training/trainees', 'test-admin-token-0123456789abcdef')).json().items;
  assert.deepEqual(
    all.map((u: { name: string }) => u.name).filter((n: string) => /alice|ura/.test(n)),
    ['alice user', 'ura.officer name'],
  );
});

test('a trainee who handles the tamper correctly scores full marks; one who ignores it scores nothing; nothing crosses between live and training', async () => {
  const stream = collectStream(tokens.operator);
  for (const who of ['alice', 'bob']) {
    const r = await call('POST', '/api/v1/training/exercises/seal-tampered-fast/runs', tokens.instructor, {
      trainee: tokens[`${who}Id`],
      class: 'class-1',
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().status, 'running');
    assert.equal(r.json().traineeName, `${who} user`, 'the instructor screen names whose link it shows');
    runs[who] = r.json();
  }
  const alice = runs.alice.token;
  const session = (await call('GET', '/api/v1/training/session', alice)).json();
  assert.equal(session.exercise.id, 'seal-tampered-fast');
  assert.equal((await call('GET', '/api/v1/training/session', tokens.operator)).status, 204);
  assert.equal((await call('GET', '/api/v1/auth/me', alice)).json().name, 'alice user');

  // The run's own world: its movement, device, and the tamper incident after 2 s.
  const incident = await until('the run incident', async () =>
    (await call('GET', '/api/v1/incidents', alice)).json().items.find((i: { code: string }) => i.code === 'seal_broken'),
  );
  const movements = (await call('GET', '/api/v1/movements', alice)).json().items;
  assert.deepEqual(
    movements.map((m: { id: string }) => m.id),
    [runs.alice.movement],
  );
  for (const path of ['/api/v1/movements', '/api/v1/alerts', '/api/v1/incidents', '/api/v1/devices', '/api/v1/offices']) {
    const body = (await call('GET', path, alice)).text;
    for (const live of ['LIVE-LOCK', 'LIVE-REF-1', 'LIVEOFF', tokens.liveMovement])
      assert.ok(!body.includes(live), `${path} in the run shows ${live}`);
  }
  assert.equal((await call('GET', `/api/v1/movements/${tokens.liveMovement}`, alice)).status, 404);

  const act = async (action: string, body: unknown) => {
    const r = await call('POST', `/api/v1/incidents/${incident.id}/${action}`, alice, body);
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  };
  await act('acknowledge', {});
  await act('assign', { assignee: 'Mobile unit 3' });
  await act('note', { comment: 'Unit 3 sent to the truck at Voi' });
  const live = (await call('GET', `/api/v1/training/runs/${runs.alice.id}`, tokens.instructor)).json();
  assert.equal(live.status, 'running');
  assert.deepEqual([live.score.total, live.score.max], [7, 10], 'live while running');
  await act('close', { outcome: 'confirmed', comment: 'seal found broken, container held' });

  await until('bob s incident', async () =>
    (await call('GET', '/api/v1/incidents', runs.bob.token)).json().items.find((i: { code: string }) => i.code === 'seal_broken'),
  );
  const a = (await call('POST', `/api/v1/training/runs/${runs.alice.id}/finish`, tokens.instructor)).json();
  const b = (await call('POST', `/api/v1/training/runs/${runs.bob.id}/finish`, tokens.instructor)).json();
  assert.deepEqual([a.status, a.score.total, a.score.max], ['finished', 10, 10]);
  assert.ok(a.score.items[0].evidence.timeToAcknowledgeS >= 0);
  assert.equal(a.score.items[1].evidence.assignee, 'Mobile unit 3');
  assert.deepEqual([b.score.total, b.score.max], [0, 10]);
  assert.equal(b.score.items[0].evidence.summary, 'not acknowledged');
  assert.equal((await call('GET', '/api/v1/movements', alice)).status, 401, 'a finished run token opens nothing');
  const classList = (await call('GET', '/api/v1/training/runs?class=class-1', tokens.instructor)).json().items;
  assert.deepEqual(classList.map((r: { traineeName: string }) => r.traineeName).sort(), ['alice user', 'bob user']);

  // Live side: every list of the OpenAPI document, with full scope, and the stream, show nothing of either run.
  const runStrings = ['TRN-', 'KE-TRN-', 'MSCU4403320', runs.alice.movement, runs.bob.movement, incident.id];
  const doc = (await call('GET', '/api/v1/openapi.json', tokens.operator)).json() as { paths: Record<string, Record<string, unknown>> };
  const lists = Object.entries(doc.paths)
    .filter(([path, ops]) => ops.get && !path.includes('{') && !path.startsWith('/api/v1/training') && path !== '/api/v1/stream')
    .map(([path]) => path);
  assert.ok(lists.length >= 20, `${lists.length} live list endpoints`);
  let checked = 0;
  for (const path of lists) {
    const r = await call('GET', path, 'test-admin-token-0123456789abcdef');
    // The instructor's own actions (start, finish) are live actions, audited live with the run's ids: nothing from inside the run.
    const forbidden =
      path === '/api/v1/audit/entries' ? runStrings.filter((x) => x !== runs.alice.movement && x !== runs.bob.movement) : runStrings;
    for (const s of forbidden)
      assert.ok(!r.text.includes(s), `live ${path} shows ${s}: ${r.text.slice(r.text.indexOf(s) - 600, r.text.indexOf(s) + 100)}`);
    checked += r.status === 200 ? 1 : 0;
  }
  assert.ok(checked >= 15, `${checked} of ${lists.length} lists answered 200`);
  assert.ok((await call('GET', '/api/v1/incidents', tokens.operator)).json().items.length === 1, 'the live incident is still there');
  assert.equal((await call('GET', '/api/v1/devices/TRN-ELOCK-01/observations', 'test-admin-token-0123456789abcdef')).status, 404);
  assert.equal((await call('GET', `/api/v1/movements/${runs.alice.movement}`, 'test-admin-token-0123456789abcdef')).status, 404);
  const streamed = await stream.stop();
  assert.ok(streamed.length > 0);
  for (const s of runStrings) assert.ok(!streamed.includes(s), `the live stream carried ${s}`);
  const verify = await call('GET', '/api/v1/audit/entries?limit=1000', 'test-admin-token-0123456789abcdef');
  for (const s of [incident.id, 'KE-TRN-', 'MSCU4403320', 'TRN-ELOCK'])
    assert.ok(
      !verify.text.includes(s),
      `the live audit shows ${s}: ${verify.text.slice(verify.text.indexOf(s) - 700, verify.text.indexOf(s) + 100)}`,
    );
});
