/**
 * Authoring (issue 15): an instructor records a live movement's history as a new exercise. The
 * exercise is anonymised (nothing of the live container, seals, device or reference in it; a
 * container number with a valid check digit), kept in the installation's data (offered again after
 * a restart; the shipped files untouched), and it plays: a run of it raises the recorded tamper.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidContainerNumber } from '@sealwatch/core';
import { shippedExercisesDir } from '@sealwatch/sim';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
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

/**
 * Kenya's parties and people, and a live movement: 30 minutes out of Mombasa at about 60 km/h,
 * then its lock reports a tamper (the 31st reading, uploaded with the rest). `beforeUpload` runs
 * between the movement's backdated start and the upload of its history.
 */
async function liveTamper(p: P, beforeUpload: () => Promise<void> = async () => {}) {
  const call = client(p);
  const admin = (path: string, body: unknown) => call('POST', path, TEST_TOKEN, body);
  assert.equal((await admin('/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' })).status, 201);
  const tokens: Record<string, string> = {};
  // The instructor who records is the installation's (it sees every movement); Kenya's may not.
  for (const [name, role, organisation] of [
    ['instructor', 'instructor', 'platform'],
    ['instructor.ke', 'instructor', 'kra'],
    ['operator', 'operator', 'kra'],
    ['alice', 'officer', 'kra'],
  ]) {
    const u = await admin('/api/v1/users', { username: name, name, organisation, roles: [role], password: `${name} long password` });
    tokens[`${name}Id`] = u.json().id;
    tokens[name] = (await admin('/api/v1/tokens', { name: 'test', user: u.json().id })).json().token;
  }

  // A live movement: 30 minutes out of Mombasa at about 60 km/h, then its lock reports a tamper.
  for (const o of [mombasaOffice, malabaOffice]) assert.equal((await admin('/api/v1/offices', o)).status, 201);
  const key = generateDeviceKey('EdDSA');
  await admin('/api/v1/devices', {
    id: 'LIVE-LOCK-7',
    class: 'active',
    kind: 'e_lock',
    protocol: 'native',
    reportIntervalS: 60,
    key: key.registration,
  });
  const m = (
    await admin('/api/v1/movements', {
      ...buildMovementBody({ devices: ['LIVE-LOCK-7'], container: 'CSQU3054383', seals: ['KE-LIVE-777'] }),
      reference: 'LIVE-MRN-777',
    })
  ).json();
  const t0 = Date.now() - 31 * 60_000;
  assert.equal((await admin(`/api/v1/movements/${m.id}/start`, { time: new Date(t0).toISOString() })).status, 200);
  await beforeUpload();
  const messages = Array.from({ length: 31 }, (_, i) =>
    signMessage(key, {
      device: 'LIVE-LOCK-7',
      seq: i + 1,
      time: new Date(t0 + i * 60_000).toISOString(),
      position: { lat: -4.0435 + (2.7514 * i) / 440, lon: 39.6682 - (2.8463 * i) / 440, accuracy: 6, speed: 60, heading: 314 },
      seal: { state: i === 30 ? 'tampered' : 'closed' },
      battery: { level: 90 - i * 0.01 },
    }),
  );
  assert.ok((await admin('/api/v1/ingest', { messages })).json().results.every((r: { status: string }) => r.status === 'accepted'));
  const alert = await until(
    'the live tamper alert',
    async () => (await call('GET', `/api/v1/alerts?movement=${m.id}&type=seal_tampered`, TEST_TOKEN)).json().items[0],
  );

  return { call, admin, tokens, m, t0, alert };
}

test('an instructor records a live movement as an anonymised exercise that survives a restart and plays its tamper', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-record-'));
  const env = { SEALWATCH_TRANSIT_EVAL_S: '1' };
  let p: P = await startTestPlatform(env, { dir });
  await p.listen();
  const live = await liveTamper(p);
  let call = live.call;
  const { tokens, m, alert } = live;

  // The API: permission, schema, scope and a taken id are refused with their problems.
  const body = {
    movement: m.id,
    id: 'recorded-tamper',
    title: 'A tamper out of Mombasa (recorded)',
    startAt: new Date(Date.parse(alert.time) - 5_000).toISOString(),
  };
  assert.equal((await call('POST', '/api/v1/training/exercises', tokens.operator, body)).status, 403);
  const oneCountry = await call('POST', '/api/v1/training/exercises', tokens['instructor.ke'], body);
  assert.deepEqual([oneCountry.status, oneCountry.json().code], [403, 'outside_jurisdiction']);
  assert.equal((await call('POST', '/api/v1/training/exercises', tokens.instructor, { ...body, id: 'Bad Id' })).status, 400);
  assert.equal((await call('POST', '/api/v1/training/exercises', tokens.instructor, { ...body, trader: 'x' })).status, 400);
  const unknown = await call('POST', '/api/v1/training/exercises', tokens.instructor, { ...body, movement: 'nope' });
  assert.deepEqual([unknown.status, unknown.json().code], [422, 'unknown_movement']);
  const made = await call('POST', '/api/v1/training/exercises', tokens.instructor, body);
  assert.equal(made.status, 201, made.text);
  assert.deepEqual([made.json().id, made.json().maxScore, made.json().objectives.length], ['recorded-tamper', 10, 2]);
  assert.equal((await call('POST', '/api/v1/training/exercises', tokens.instructor, body)).json().code, 'exercise_exists');

  // Texts the instructor writes, in the console's three languages, checked by the schema: one
  // objective for each main one, no translation into the main language, objectives only beside main ones.
  const fr = {
    title: 'Scellé forcé à la sortie de Mombasa',
    summary: 'Un verrou signale son anse forcée.',
    objectives: ['Prendre en compte l’alerte en deux minutes.', 'Envoyer une équipe au camion.'],
  };
  const en = {
    title: 'Seal forced out of Mombasa',
    objectives: ['Acknowledge the alert within two minutes.', 'Send a team to the truck.'],
  };
  const ar = { title: 'ختم مكسور عند الخروج من مومباسا', objectives: ['أقرّ بالتنبيه خلال دقيقتين.', 'أرسل فريقًا إلى الشاحنة.'] };
  const written = { ...body, id: 'recorded-in-three', language: 'fr', ...fr, translations: { en, ar } };
  for (const [bad, path] of [
    [{ ...written, translations: { en, ar: { ...ar, objectives: ar.objectives.slice(0, 1) } } }, 'translations.ar.objectives'],
    [{ ...written, translations: { en, fr } }, 'translations.fr'],
    [{ ...body, id: 'recorded-bad', translations: { fr: { title: fr.title, objectives: fr.objectives } } }, 'translations.fr.objectives'],
    [{ ...written, language: 'de' }, 'language'],
  ] as const) {
    const r = await call('POST', '/api/v1/training/exercises', tokens.instructor, bad);
    assert.deepEqual([r.status, r.json().code], [400, 'validation_failed'], r.text);
    assert.ok(r.text.includes(path), `${path} named: ${r.text}`);
  }
  const three = await call('POST', '/api/v1/training/exercises', tokens.instructor, written);
  assert.equal(three.status, 201, three.text);
  // English is the main text when the instructor wrote English; French and Arabic beside it; a summary left out is the language's default.
  assert.deepEqual(
    [
      three.json().language,
      three.json().title,
      three.json().objectives,
      three.json().translations.fr,
      three.json().translations.ar.objectives,
    ],
    ['en', en.title, en.objectives, fr, ar.objectives],
  );
  assert.match(three.json().summary, /^Recorded from a live movement/);
  assert.match(three.json().translations.ar.summary, /^سُجّل من حركة فعلية/);
  // Written in Arabic only: the main texts are Arabic (said by `language`); no made-up French or English of its objectives.
  const arOnly = await call('POST', '/api/v1/training/exercises', tokens.instructor, {
    ...body,
    id: 'recorded-in-arabic',
    language: 'ar',
    ...ar,
  });
  assert.equal(arOnly.status, 201, arOnly.text);
  assert.deepEqual([arOnly.json().language, arOnly.json().objectives, arOnly.json().translations], ['ar', ar.objectives, {}]);

  // Kept in the data folder, anonymised; the shipped set is untouched.
  const file = join(dir, 'training-exercises', 'recorded-tamper.json');
  const text = readFileSync(file, 'utf8');
  for (const live of ['CSQU3054383', 'KE-LIVE-777', 'LIVE-LOCK-7', 'LIVE-MRN-777', m.id, 'kra'])
    assert.ok(!text.includes(live), `the recorded exercise names ${live}`);
  const saved = JSON.parse(text);
  assert.ok(isValidContainerNumber(saved.movement.container), saved.movement.container);
  assert.equal(saved.recording.readings.length, 31);
  // The default texts come in French and Arabic too (the console shows its language's).
  assert.deepEqual(
    [made.json().translations.fr.objectives.length, made.json().translations.ar.objectives.length, made.json().translations.fr.title],
    [2, 2, 'A tamper out of Mombasa (recorded)'],
  );
  assert.ok(!existsSync(join(shippedExercisesDir, 'recorded-tamper.json')));
  await p.stop();

  // After a restart it is still offered, and a run of it raises the recorded tamper a few seconds in.
  p = await startTestPlatform(env, { dir });
  await p.listen();
  call = client(p);
  const listed = (await call('GET', '/api/v1/training/exercises', tokens.instructor)).json().items.map((e: { id: string }) => e.id);
  assert.ok(listed.includes('recorded-tamper'));
  const run = (
    await call('POST', '/api/v1/training/exercises/recorded-tamper/runs', tokens.instructor, { trainee: tokens.aliceId })
  ).json();
  assert.equal(run.status, 'running', JSON.stringify(run));
  const incident = await until('the replayed tamper', async () =>
    (await call('GET', '/api/v1/incidents', run.token)).json().items.find((i: { code: string }) => i.code === 'seal_broken'),
  );
  assert.deepEqual(
    (await call('GET', '/api/v1/incidents', run.token)).json().items.map((i: { code: string }) => i.code),
    ['seal_broken'],
    'the replay raises what the live movement raised, nothing else',
  );
  assert.equal(
    (await call('POST', `/api/v1/incidents/${incident.id}/acknowledge`, run.token, { comment: 'unit sent to the truck' })).status,
    200,
  );
  const done = (await call('POST', `/api/v1/training/runs/${run.id}/finish`, tokens.instructor)).json();
  assert.deepEqual([done.score.total, done.score.max], [10, 10]);
  await p.cleanup();
});

test('a recording is scored on the alert its replay raises, not on one its own history retracted', async () => {
  // A transit evaluation between the movement's backdated start and the upload of its history sees
  // half an hour of silence: a signal_lost from the start, which the history then retracts. On a
  // timer that happens only when the upload is slow (under load); here the evaluation is made then.
  // The recording's default criteria used to be about the movement's earliest alert, that
  // signal_lost: the replay (whose transit rules start after its history) never raises it, and a
  // trainee who acknowledged the tamper scored 0/10.
  const p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' });
  await p.listen();
  let spurious: { time: string } | undefined;
  const { call, tokens, m, t0, alert } = await liveTamper(p, async () => {
    await p.transit.evaluateAll();
    const found = (await client(p)('GET', `/api/v1/alerts?type=signal_lost`, TEST_TOKEN)).json().items;
    spurious = found[0];
  });
  assert.equal(spurious?.time, new Date(t0).toISOString(), 'a signal_lost from the start, before the history is in');
  await p.ctx.processor.idle();
  await p.transit.evaluateAll();
  const lost = (await call('GET', `/api/v1/alerts?movement=${m.id}&type=signal_lost`, TEST_TOKEN)).json().items[0];
  assert.equal(lost.details.cleared?.reason, 'retracted', 'the history retracts it');

  const record = async (id: string, extra: object) => {
    const r = await call('POST', '/api/v1/training/exercises', tokens.instructor, {
      movement: m.id,
      id,
      title: `Recorded ${id}`,
      ...extra,
    });
    assert.equal(r.status, 201, r.text);
    return JSON.parse(readFileSync(join(p.dir, 'training-exercises', `${id}.json`), 'utf8'));
  };
  // From a start the instructor chose just before the tamper, and from the default start.
  const chosen = await record('chosen-start', { startAt: new Date(Date.parse(alert.time) - 5_000).toISOString() });
  const byDefault = await record('default-start', {});
  for (const e of [chosen, byDefault]) {
    assert.deepEqual(
      e.criteria.map((c: { incident: string }) => c.incident),
      ['seal_broken', 'seal_broken'],
      e.id,
    );
    // The incident named as the console names it, in each language.
    assert.deepEqual(
      [e.objectives[0], e.translations.fr.objectives[0], e.translations.ar.objectives[0]],
      [
        'Acknowledge the “Seal broken” incident within five minutes.',
        'Prendre en compte l’incident « Scellé rompu » dans les cinq minutes.',
        'أقرّ بحادث «ختم مكسور» خلال خمس دقائق.',
      ],
    );
  }
  // The default start is a minute before the tamper (the movement started 29 minutes before it), not before the movement.
  assert.equal(t0 - byDefault.recording.startedAtS * 1000, Date.parse(alert.time) - 60_000);

  // And the run scores the trainee who acknowledges the replayed tamper.
  const run = (await call('POST', '/api/v1/training/exercises/chosen-start/runs', tokens.instructor, { trainee: tokens.aliceId })).json();
  const incident = await until('the replayed tamper', async () =>
    (await call('GET', '/api/v1/incidents', run.token)).json().items.find((i: { code: string }) => i.code === 'seal_broken'),
  );
  assert.equal(
    (await call('POST', `/api/v1/incidents/${incident.id}/acknowledge`, run.token, { comment: 'unit sent to the truck' })).status,
    200,
  );
  const done = (await call('POST', `/api/v1/training/runs/${run.id}/finish`, tokens.instructor)).json();
  assert.deepEqual([done.score.total, done.score.max], [10, 10], JSON.stringify(done.score.items));
  await p.cleanup();
});

test("a recording keeps its movement's data scope: another jurisdiction's instructor neither lists nor starts it, nor is trained on it", async () => {
  // The adversarial pass: a recording of one jurisdiction's movement was listed to every instructor,
  // and a run of it showed the real track (positions are not anonymised) to any administration.
  const p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '1' });
  await p.listen();
  const { call, admin, tokens, m, alert } = await liveTamper(p); // Mombasa (KE) to Malaba (UG)
  assert.equal((await admin('/api/v1/organisations', { id: 'tra', name: 'TRA', kind: 'customs', country: 'TZ' })).status, 201);
  for (const [name, roles] of [
    ['instructor.tz', ['instructor', 'officer']],
    ['officer.tz', ['officer']],
  ] as const) {
    const u = await admin('/api/v1/users', { username: name, name, organisation: 'tra', roles, password: `${name} long password` });
    tokens[`${name}Id`] = u.json().id;
    tokens[name] = (await admin('/api/v1/tokens', { name: 'test', user: u.json().id })).json().token;
  }
  const made = await call('POST', '/api/v1/training/exercises', tokens.instructor, {
    movement: m.id,
    id: 'rec-mba-mal',
    title: 'A tamper out of Mombasa (recorded)',
    startAt: new Date(Date.parse(alert.time) - 5_000).toISOString(),
  });
  assert.equal(made.status, 201, made.text);

  const listed = async (token: string) =>
    (await call('GET', '/api/v1/training/exercises', token)).json().items.map((e: { id: string }) => e.id) as string[];
  // Tanzania has no jurisdiction over a Kenya–Uganda movement: the recording does not exist for it;
  // the shipped (made-up) exercises stay offered to everyone.
  const tz = await listed(tokens['instructor.tz']);
  assert.ok(!tz.includes('rec-mba-mal'), 'listed to another jurisdiction');
  assert.ok(tz.includes('seal-tampered-en-route'), 'the shipped exercises are offered to all');
  const refused = await call('POST', '/api/v1/training/exercises/rec-mba-mal/runs', tokens['instructor.tz'], {
    trainee: tokens['instructor.tzId'],
  });
  assert.deepEqual([refused.status, refused.json().code], [404, 'unknown_exercise'], refused.text);
  assert.equal(refused.text.includes('Mombasa'), false);
  const unknown = await call('POST', '/api/v1/training/exercises/no-such-exercise/runs', tokens['instructor.tz'], {
    trainee: tokens['instructor.tzId'],
  });
  assert.deepEqual([unknown.status, unknown.json().code], [404, 'unknown_exercise'], 'the same answer as an id that is no exercise');

  // The platform's instructor sees it, but may not show the track to a trainee of another jurisdiction.
  assert.ok((await listed(tokens.instructor)).includes('rec-mba-mal'));
  const outside = await call('POST', '/api/v1/training/exercises/rec-mba-mal/runs', tokens.instructor, {
    trainee: tokens['officer.tzId'],
  });
  assert.deepEqual([outside.status, outside.json().code, outside.json().details?.reason], [422, 'unknown_user', 'exercise_scope']);

  // Written in Arabic with English and French translations: English becomes the main text, as
  // documented (every exercise's fallback); the Arabic is kept as its translation.
  const arFirst = await call('POST', '/api/v1/training/exercises', tokens.instructor, {
    movement: m.id,
    id: 'rec-mba-mal-ar',
    title: 'تمرين الحبل',
    language: 'ar',
    translations: { en: { title: 'rope exercise' }, fr: { title: 'exercice corde' } },
  });
  assert.equal(arFirst.status, 201, arFirst.text);
  assert.deepEqual(
    [arFirst.json().language, arFirst.json().title, arFirst.json().translations.ar.title, arFirst.json().translations.fr.title],
    ['en', 'rope exercise', 'تمرين الحبل', 'exercice corde'],
  );
  assert.ok(!(await listed(tokens['instructor.tz'])).includes('rec-mba-mal-ar'));

  // Kenya, the movement's departure, lists it and runs it for its own officer.
  assert.ok((await listed(tokens['instructor.ke'])).includes('rec-mba-mal'));
  const run = await call('POST', '/api/v1/training/exercises/rec-mba-mal/runs', tokens['instructor.ke'], { trainee: tokens.aliceId });
  assert.equal(run.status, 201, run.text);
  assert.equal((await call('POST', `/api/v1/training/runs/${run.json().id}/finish`, tokens['instructor.ke'])).status, 200);
  await p.cleanup();
});
