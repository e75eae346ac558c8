/**
 * Training in the real console (chromium via playwright-core): an instructor starts the tamper
 * exercise for two trainees of a class from the training screen; the first opens her run's link,
 * works under the TRAINING banner and handles the incident (acknowledge, dispatch, note, confirm),
 * the second ignores it; the instructor sees them side by side (10/10 and 0/10), finishes the runs
 * and prints the result sheet; a live operator signed in meanwhile sees nothing of either run.
 * Pictures are written to the temp folder (docs/ with SEALWATCH_DOCS_SCREENSHOTS=1).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { shippedExercisesDir } from '@sealwatch/sim';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

const WAIT_MS = 20_000;
const PASSWORD = 'a long training password';
const picture = (name: string) =>
  process.env.SEALWATCH_DOCS_SCREENSHOTS
    ? fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sealwatch-${process.pid}-${name}`);

/** The Arabic (right-to-left) pictures of the class and the result sheet, to look at: /tmp/sealwatch-training-*-ar.png. */
const arabicPicture = (name: string) => join(tmpdir(), `sealwatch-training-${name}-ar.png`);

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P | undefined;
let browser: Browser | undefined;
let base = '';
const users: Record<string, string> = {};
let liveMovement = '';

async function api(path: string, body?: unknown, token = TEST_TOKEN): Promise<any> {
  const r = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.status < 300, `${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The tamper exercise with its tamper 2 s into the run, so the test does not wait 20 s. */
function fastExercisesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'exercises-'));
  const e = JSON.parse(readFileSync(join(shippedExercisesDir, 'seal-tampered-en-route.json'), 'utf8'));
  writeFileSync(
    join(dir, 'fast.json'),
    JSON.stringify({
      ...e,
      id: 'seal-tampered-fast',
      title: 'Seal tampered (classroom)',
      script: [{ atS: 2, seal: { state: 'tampered' } }],
    }),
  );
  return dir;
}

before(
  async () => {
    p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_TRAINING_EXERCISES_DIR: fastExercisesDir() });
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    await api('/api/v1/organisations', { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' });
    await api('/api/v1/organisations', { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' });
    for (const [username, name, role, organisation = 'kra'] of [
      ['instructor', 'Grace Instructor', 'instructor'],
      ['alice', 'Alice Achieng', 'officer'],
      ['bob', 'Bob Otieno', 'officer'],
      ['operator', 'Live Operator', 'operator'],
      ['ursula', 'Ursula Other', 'officer', 'ura'],
      // The installation's own instructor sees every movement: the one who records exercises.
      ['recorder', 'Rita Recorder', 'instructor', 'platform'],
    ])
      users[username] = (await api('/api/v1/users', { username, name, organisation, roles: [role], password: PASSWORD })).id;
    // Live work going on: a movement from Mombasa whose seal is broken.
    const key = generateDeviceKey('EdDSA');
    for (const o of [mombasaOffice, malabaOffice]) await api('/api/v1/offices', o);
    await api('/api/v1/devices', { id: 'LIVE-LOCK-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration });
    const m = await api('/api/v1/movements', { ...buildMovementBody({ devices: ['LIVE-LOCK-1'] }), reference: 'LIVE-MRN-1' });
    liveMovement = m.id;
    await api(`/api/v1/movements/${m.id}/start`, { time: new Date(Date.now() - 120_000).toISOString() });
    // Two readings a minute apart, the second with the tamper: a history an instructor can record.
    await api('/api/v1/ingest', {
      messages: [
        signMessage(key, {
          device: 'LIVE-LOCK-1',
          seq: 1,
          time: new Date(Date.now() - 60_000).toISOString(),
          position: { lat: -3.91, lon: 39.51 },
          seal: { state: 'closed' },
        }),
        signMessage(key, {
          device: 'LIVE-LOCK-1',
          seq: 2,
          time: new Date().toISOString(),
          position: { lat: -3.9, lon: 39.5 },
          seal: { state: 'tampered' },
        }),
      ],
    });
  },
  { timeout: 60_000 },
);

after(async () => {
  try {
    await browser?.close();
  } finally {
    await p?.cleanup();
  }
});

async function open(path: string, signInAs?: string) {
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${base}${path}`);
  if (signInAs) {
    await page.getByLabel('User name').fill(signInAs);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, problems };
}

test(
  'a trainee handles the tamper exercise for full marks, another ignores it, the live operator sees neither',
  { timeout: 360_000 },
  async () => {
    // The instructor starts a run for each trainee of the class from the training screen.
    const instructor = await open('/#/training', 'instructor');
    const { page: ip } = instructor;
    await ip.getByRole('heading', { name: 'Start an exercise' }).waitFor();
    // The trainee is picked by name among Kenya's people who handle alerts; nobody of Uganda's is offered.
    const picker = ip.getByLabel('Trainee', { exact: true });
    await ip.waitForFunction(() => document.querySelectorAll('#training-trainee option').length > 1);
    assert.deepEqual(await picker.locator('option').allTextContents(), ['—', 'Alice Achieng', 'Bob Otieno', 'Live Operator']);
    const links: Record<string, string> = {};
    for (const who of ['alice', 'bob']) {
      await ip.getByLabel('Exercise', { exact: true }).selectOption({ label: 'Seal tampered (classroom) (10)' });
      await picker.selectOption({ label: who === 'alice' ? 'Alice Achieng' : 'Bob Otieno' });
      await ip.getByLabel('Class', { exact: true }).fill('KRA-2026-12');
      await ip.getByRole('button', { name: 'Start the run' }).click();
      const link = ip.getByLabel(/link \(shown once/);
      await ip.waitForFunction(
        (prev) => (document.querySelector('.training-link input') as HTMLInputElement | null)?.value !== prev,
        links.alice ?? '',
      );
      links[who] = await link.inputValue();
      assert.match(links[who], /\/#token=swt_/);
    }

    // Alice opens her link: the normal console, under the TRAINING banner, with the run's own incident.
    const alice = await open(links.alice.replace(/^https?:\/\/[^/]+/, ''));
    const { page: ap } = alice;
    await ap.getByRole('status', { name: 'TRAINING' }).waitFor();
    await ap.getByText('Seal tampered (classroom) · exercise ends').waitFor();
    const openIncident = ap.getByRole('link', { name: /^Open the incident page of Seal broken on TRN-/ });
    await openIncident.waitFor();
    assert.equal(await ap.getByText('LIVE-MRN-1').count(), 0, 'no live movement in the run');
    await ap.screenshot({ path: picture('console-training-trainee.png') });
    await openIncident.click();
    const actions = ap.getByRole('group', { name: 'Incident actions' });
    await actions.getByRole('button', { name: 'Acknowledge' }).click();
    await actions.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    await actions.getByRole('button', { name: 'Assign' }).click();
    const assign = ap.getByRole('dialog', { name: 'Assign incident' });
    await assign.getByLabel('Assign to').selectOption({ index: 1 });
    await assign.getByRole('button', { name: 'Assign' }).click();
    await assign.waitFor({ state: 'detached' });
    await actions.getByRole('button', { name: 'Note' }).click();
    const note = ap.getByRole('dialog', { name: 'Note an action taken' });
    await note.getByLabel('Comment').fill('Mobile unit sent to stop the truck at Voi');
    await note.getByRole('button', { name: 'Note' }).click();
    await note.waitFor({ state: 'detached' });
    await actions.getByRole('button', { name: 'Close' }).click();
    const close = ap.getByRole('dialog', { name: 'Close incident' });
    await close.getByLabel('Confirmed: a real incident').check();
    await close.getByLabel('Comment').fill('seal found worked open; container held at Voi');
    await close.getByRole('button', { name: 'Close' }).click();
    await ap.locator('.badge.incident-status.st-closed').waitFor();
    await ap.getByRole('status', { name: 'TRAINING' }).waitFor();
    await ap.screenshot({ path: picture('console-training-incident.png') });

    // Bob opens his link and does nothing.
    const bob = await open(links.bob.replace(/^https?:\/\/[^/]+/, ''));
    await bob.page.getByRole('link', { name: /^Open the incident page of Seal broken on TRN-/ }).waitFor();

    // A live operator, signed in meanwhile, sees the live incident and nothing of the runs.
    const live = await open('/', 'operator');
    const { page: lp } = live;
    await lp.getByRole('link', { name: /^Open the incident page of Seal broken on LIVE-MRN-1/ }).waitFor();
    assert.equal(await lp.getByRole('status', { name: 'TRAINING' }).count(), 0);
    assert.equal(await lp.getByText(/TRN-/).count(), 0, 'no run movement on the live console');
    await lp.goto(`${base}/#/movements`);
    await lp.getByText('LIVE-MRN-1').first().waitFor();
    assert.equal(await lp.getByText(/TRN-/).count(), 0, 'no run movement in the live movements list');
    await lp.screenshot({ path: picture('console-training-live.png') });

    // The instructor's screen: the class side by side, live scores, then finished and a result sheet.
    await ip.getByLabel('Class', { exact: true }).fill('KRA-2026-12');
    const totals = ip.locator('td[data-total]');
    await ip.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('td[data-total] strong'))
          .map((e) => e.textContent)
          .sort()
          .join() === '0/10,10/10',
    );
    assert.equal(await totals.count(), 2);
    await ip.getByRole('columnheader', { name: /Alice Achieng/ }).waitFor();
    await ip.getByRole('columnheader', { name: /Bob Otieno/ }).waitFor();
    await ip.screenshot({ path: picture('console-training-class.png'), fullPage: true });
    for (let i = 0; i < 2; i++)
      await ip
        .getByRole('button', { name: 'Finish' })
        .first()
        .click()
        .then(() => ip.waitForTimeout(300));
    await ip.waitForFunction(() => document.querySelectorAll('.training-runs button').length === 0);
    const runs = (await api('/api/v1/training/runs?class=KRA-2026-12', undefined)).items as {
      id: string;
      traineeName: string;
      status: string;
      score: { total: number; max: number };
    }[];
    const byName = Object.fromEntries(runs.map((r) => [r.traineeName, r]));
    assert.deepEqual(
      [byName['Alice Achieng'].status, byName['Alice Achieng'].score.total, byName['Alice Achieng'].score.max],
      ['finished', 10, 10],
    );
    assert.deepEqual([byName['Bob Otieno'].status, byName['Bob Otieno'].score.total], ['finished', 0]);
    await ip.goto(`${base}/#/training/${byName['Alice Achieng'].id}`);
    await ip.getByRole('heading', { name: 'Training result sheet' }).waitFor();
    assert.equal(await ip.locator('#sheet-total').textContent(), '10/10');
    await ip.getByText('acknowledged after').waitFor();
    await ip.getByRole('rowheader', { name: 'A note: Seal broken' }).waitFor();
    await ip.getByText('note written:').locator('q', { hasText: 'Mobile unit sent to stop the truck at Voi' }).waitFor();
    await ip.emulateMedia({ media: 'print' });
    await ip.screenshot({ path: picture('console-training-sheet.png'), fullPage: true });

    // The same class and sheet in Arabic, right to left: pictures to look at.
    await ip.emulateMedia({ media: 'screen' });
    await ip.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await ip.waitForFunction(() => document.documentElement.dir === 'rtl');
    await ip.getByRole('heading', { name: 'ورقة نتائج التدريب' }).waitFor();
    await ip.getByRole('rowheader', { name: 'ملاحظة: ختم مكسور' }).waitFor();
    assert.equal(await ip.locator('#sheet-total').textContent(), '10/10');
    await ip.emulateMedia({ media: 'print' });
    await ip.screenshot({ path: arabicPicture('sheet'), fullPage: true });
    await ip.locator('.training-sheet').screenshot({ path: arabicPicture('sheet-table') });
    await ip.emulateMedia({ media: 'screen' });
    await ip.goto(`${base}/#/training`);
    await ip.getByLabel('الفصل', { exact: true }).fill('KRA-2026-12');
    await ip.waitForFunction(() => document.querySelectorAll('td[data-total] strong').length === 2);
    await ip.getByRole('columnheader', { name: /Alice Achieng/ }).waitFor();
    await ip.locator('section[aria-labelledby="training-runs"]').screenshot({ path: arabicPicture('class') });
    await ip.screenshot({ path: arabicPicture('screen'), fullPage: true });

    // Kenya's instructor sees one country's movements: recording is refused, in her language.
    await ip.getByLabel('عنوان التمرين الجديد').fill('عبث بالختم خارج مومباسا');
    await ip.getByRole('button', { name: 'تسجيل كتمرين' }).click();
    await ip.getByRole('alert').filter({ hasText: 'لا يسجّل تمرينًا إلا مدرّب يرى كل الحركات' }).waitFor();

    // The installation's instructor records the live movement as a new exercise, in French.
    const recorder = await open('/#/training', 'recorder');
    const { page: rp } = recorder;
    await rp.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await rp.getByRole('heading', { name: 'Enregistrer un mouvement réel comme exercice' }).waitFor();
    await rp.getByLabel('Mouvement réel', { exact: true }).selectOption(liveMovement);
    await rp.getByLabel('Titre du nouvel exercice').fill('Scellé forcé près de Mombasa');
    assert.equal(await rp.getByLabel(/^Identifiant de l’exercice/).inputValue(), 'scelle-force-pres-de-mombasa');
    // Objectives in French, and in Arabic beside them: one Arabic objective short is refused, in French, naming Arabic.
    await rp.getByLabel(/^Objectifs que lit le stagiaire/).fill('Prendre en compte l’alerte en deux minutes\nEnvoyer une équipe au camion');
    await rp.getByText('Dans les autres langues').click();
    await rp.getByLabel('Titre en arabe').fill('ختم مكسور قرب مومباسا');
    await rp.getByLabel('Objectifs en arabe, un par ligne').fill('أقرّ بالتنبيه خلال دقيقتين');
    await rp.getByRole('button', { name: 'Enregistrer comme exercice' }).click();
    await rp.getByRole('alert').filter({ hasText: 'En arabe, écrivez un objectif pour chacun de ceux ci-dessus' }).waitFor();
    await rp.screenshot({ path: join(tmpdir(), 'sealwatch-training-record-objectives-refused-fr.png'), fullPage: true });
    await rp.getByLabel('Objectifs en arabe, un par ligne').fill('أقرّ بالتنبيه خلال دقيقتين\nأرسل فريقًا إلى الشاحنة');
    await rp.getByRole('button', { name: 'Enregistrer comme exercice' }).click();
    const outcome = rp.locator('#training-record ~ [role="status"], #training-record ~ [role="alert"]');
    await outcome.first().waitFor();
    await rp.screenshot({ path: join(tmpdir(), 'sealwatch-training-record-fr.png'), fullPage: true });
    assert.match(
      (await outcome.first().textContent()) ?? '',
      /^Enregistré : « .?Scellé forcé près de Mombasa.? » figure dans la liste des exercices\.$/,
    );
    const chosen = rp.getByLabel('Exercice', { exact: true });
    assert.equal(await chosen.inputValue(), 'scelle-force-pres-de-mombasa', 'the new exercise is chosen to start');
    assert.ok((await chosen.locator('option').allTextContents()).includes('Scellé forcé près de Mombasa (10)'));
    // The same id again: refused, in French.
    await rp.getByLabel('Titre du nouvel exercice').fill('Scellé forcé près de Mombasa');
    await rp.getByRole('button', { name: 'Enregistrer comme exercice' }).click();
    await rp.getByRole('alert').filter({ hasText: 'Un exercice porte déjà cet identifiant' }).waitFor();
    const recorded = (await api('/api/v1/training/exercises')).items.find((e: { id: string }) => e.id === 'scelle-force-pres-de-mombasa');
    assert.deepEqual(
      [
        recorded?.language,
        recorded?.title,
        recorded?.objectives.length,
        recorded?.translations.ar?.title,
        recorded?.translations.ar?.objectives.length,
      ],
      ['fr', 'Scellé forcé près de Mombasa', 2, 'ختم مكسور قرب مومباسا', 2],
    );
    await rp.screenshot({ path: join(tmpdir(), 'sealwatch-training-record-refused-fr.png'), fullPage: true });

    // The finished runs' tokens open nothing any more.
    const after = await fetch(`${base}/api/v1/movements`, { headers: { authorization: `Bearer ${links.alice.split('#token=')[1]}` } });
    assert.equal(after.status, 401);
    for (const c of [instructor, alice, bob, live, recorder]) {
      assert.deepEqual(c.problems, []);
      await c.context.close();
    }
  },
);
