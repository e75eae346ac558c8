/**
 * The console as an investigation tool, in a real browser (Debian's chromium driven by
 * playwright-core) on a real platform: a tamper on one of a movement's two seals, reported by a
 * signed device between readings before and after. An officer follows the incident's deep link
 * (#/incidents/<id>) through the sign-in page and sees where it happened on a map with the track
 * before and after, which seal, the readings either side, that it was escalated; assigns it to a
 * colleague picked from a list, notes an action and closes it as confirmed in place; the history
 * lists each step with who and the outcome. The queue's "Closed" filter shows it with its outcome,
 * and the movement keeps its "seal broken" badge although the lock later reported closed; its
 * page maps the incident and reads its timeline oldest first, by kind, each row with its place.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { DEMO_PASSWORD, demoParty, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { nctsSchemaErrors } from '../src/exchange/xsd-validator';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

const WAIT_MS = 15_000;
const DEVICE = 'INCIDENT-1';
// an NCTS MRN and NCTS office reference numbers, so the incident can leave as a CC182C
const REFERENCE = '26KE000000424242J1';
const OFFICES = { departureOffice: 'KE000100', destinationOffice: 'UG000200' };
const SEALS = ['KE-0007001', 'KE-0007002'];
// the device's own seal: the second of the movement's two
const DEVICE_SEAL = SEALS[1];
// readings along the Mombasa road near Mariakani: before, at and after the tamper
const ROAD: [number, number][] = [
  [-3.95, 39.6],
  [-3.9, 39.54],
  [-3.86, 39.47],
  [-3.82, 39.4],
  [-3.78, 39.33],
];
const picture = (name: string) =>
  process.env.SEALWATCH_DOCS_SCREENSHOTS
    ? fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sealwatch-${name}`);

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P | undefined;
let browser: Browser | undefined;
let base: string;
let key: KeyObject;
let movementId: string;
let incidentId: string;
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

async function api(path: string, body?: unknown): Promise<any> {
  const r = await fetch(
    base + path,
    body === undefined
      ? { headers: auth }
      : { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const text = await r.text();
  assert.ok(r.status < 300, `${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

async function ingest(payload: object): Promise<void> {
  const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const input = `${b64({ alg: 'EdDSA', kid: DEVICE })}.${b64({ device: DEVICE, ...payload })}`;
  const res = await fetch(`${base}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`,
  });
  assert.equal((await res.json()).results[0].status, 'accepted');
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = await f();
    if (v) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(
  async () => {
    // alerts nobody acknowledges within a second are escalated, so the page can show it
    p = await startTestPlatform({ SEALWATCH_ALERT_ESCALATE_S: '1' });
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    await seedDemoParties(new SealwatchClient(fetch as never, base, TEST_TOKEN));
    // a second Kenyan officer to assign to, and a disabled one who must not be offered
    for (const [username, name] of [
      ['officer2.ke', 'Wanjiru Kamau'],
      ['gone.ke', 'Former Officer'],
    ])
      await api('/api/v1/users', { username, name, organisation: demoParty.kenyaCustoms, roles: ['officer'], password: DEMO_PASSWORD });
    const gone = (await api(`/api/v1/users?organisation=${demoParty.kenyaCustoms}`)).items.find((u: any) => u.username === 'gone.ke');
    const r = await fetch(`${base}/api/v1/users/${gone.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    assert.equal(r.status, 200);
    await api('/api/v1/offices', { ...mombasaOffice, code: OFFICES.departureOffice });
    await api('/api/v1/offices', { ...malabaOffice, code: OFFICES.destinationOffice });
    const keys = generateKeyPairSync('ed25519');
    key = keys.privateKey;
    await api('/api/v1/devices', {
      id: DEVICE,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      identifiers: { sealNumber: DEVICE_SEAL },
      key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: keys.publicKey.export({ format: 'jwk' }).x } },
    });
    const movement = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: REFERENCE, ...OFFICES, devices: [DEVICE], seals: SEALS, trader: demoParty.aeoTrader }),
    );
    movementId = movement.id;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // departed an hour ago: the readings below are all under way
    await api(`/api/v1/movements/${movementId}/start`, { time: at(60) });
    const closed = { state: 'closed', rope: 'inserted', lock: 'locked' };
    const pos = (i: number) => ({ lat: ROAD[i][0], lon: ROAD[i][1], speed: 60 });
    await ingest({ seq: 1, time: at(40), position: pos(0), seal: closed, battery: { level: 81 } });
    await ingest({ seq: 2, time: at(30), position: pos(1), seal: closed, battery: { level: 80 } });
    await ingest({ seq: 3, time: at(20), position: pos(2), seal: { ...closed, state: 'tampered' }, battery: { level: 80 } });
    await ingest({ seq: 4, time: at(10), position: pos(3), seal: closed, battery: { level: 79 } });
    await ingest({ seq: 5, time: at(1), position: pos(4), seal: closed, battery: { level: 79 } });
    const incident = await until('the seal incident', async () => (await api(`/api/v1/incidents?movement=${movementId}`)).items[0]);
    incidentId = incident.id;
    assert.equal(incident.code, 'seal_broken');
    assert.deepEqual(incident.seals, [DEVICE_SEAL]);
    await until('the escalation', async () =>
      (await api(`/api/v1/alerts?movement=${movementId}`)).items.some((a: any) => a.details?.escalated),
    );
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

/** Signs in through the sign-in page (a real cookie session) at `path`; returns the page and what went wrong on it. */
async function signIn(username: string, path: string, viewport = { width: 1440, height: 900 }) {
  const context = await browser!.newContext({ viewport, colorScheme: 'dark' });
  await context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}${path}`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, problems };
}

const history = (page: Page) => page.getByRole('region', { name: 'What was done, in order' }).getByRole('listitem');

test('the assignees are the enabled people of the caller’s organisation who act on alerts', async () => {
  const names = (await api('/api/v1/assignees')).items.map((u: any) => u.username);
  // the installation token is the platform's: every organisation's
  assert.ok(names.includes('officer.ke') && names.includes('officer2.ke') && names.includes('operator') && names.includes('supervisor.ug'));
  assert.ok(!names.includes('gone.ke'), 'a disabled user is not offered');
  assert.ok(!names.includes('trader') && !names.includes('analyst.rw') && !names.includes('auditor'), 'only roles that act on alerts');
});

test(
  'an officer follows the deep link to an incident: where, which seal, before and after; assigns from a list, notes, closes as confirmed',
  { timeout: 90_000 },
  async () => {
    const { context, page, problems } = await signIn('officer.ke', `/#/incidents/${incidentId}`);
    await page.getByRole('heading', { name: `Seal broken on ${REFERENCE}` }).waitFor();
    // where: the map fitted around the incident, with the track on both sides of it
    const map = page.locator('.site-map');
    await page.locator('.site-map[data-basemap="ready"]').waitFor();
    assert.equal(await map.getAttribute('data-track'), '5');
    assert.equal(await map.getAttribute('data-markers'), '2', 'the incident and the truck');
    const [k] = (await map.getAttribute('data-view'))!.split(',').map(Number);
    assert.ok(k > 256, `zoomed in to the place (k=${k}), not the corridor or the world`);
    // named from the gazetteer, the coordinates beside it and in its title
    const where = page.locator('.incident-where .place');
    assert.equal(await where.textContent(), 'Mariakani, Kenya');
    assert.equal(await where.getAttribute('title'), 'Coordinates: -3.86, 39.47');
    await page.getByText('(-3.86, 39.47)', { exact: true }).waitFor();
    // which seal of the movement's two, and the device
    await page.getByText(`${DEVICE_SEAL} (of the movement’s 2 seals: ${SEALS.join(', ')})`).waitFor();
    await page.getByRole('link', { name: DEVICE }).waitFor();
    // the readings on either side of the moment
    const row = page.getByRole('row', { name: new RegExp(DEVICE) });
    const [beforeCell, afterCell] = await row.getByRole('cell').allTextContents();
    assert.match(beforeCell, /seal closed · inserted · locked · door — · battery 80 % · 7\.6 km N of Mazeras, Kenya/);
    assert.match(afterCell, /seal tampered · inserted · locked .* Mariakani, Kenya/);
    // escalated: nobody acknowledged it within a second
    await page.getByText(/^escalated .*: nobody acknowledged it in time$/).waitFor();
    await page.screenshot({ path: picture('console-incident.png') });
    // its NCTS CC182C, downloaded with the console's credentials, valid against the phase 5 XSD
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the NCTS incident notification (CC182C, XML)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`^cc182c-${REFERENCE}-.+\\.xml$`));
    const xml = readFileSync((await download.path())!, 'utf8');
    assert.deepEqual(await nctsSchemaErrors(xml, 'cc182c'), []);
    assert.match(xml, new RegExp(`<MRN>${REFERENCE}</MRN>`));
    assert.match(xml, /<code>2<\/code>/);

    // assign to a colleague picked from a list (no free text for a person)
    await page.getByRole('group', { name: 'Incident actions' }).getByRole('button', { name: 'Assign' }).click();
    const assign = page.getByRole('dialog', { name: 'Assign incident' });
    const options = await assign.getByLabel('Assign to').locator('option').allTextContents();
    assert.ok(options.includes('Wanjiru Kamau (officer2.ke)'), options.join(' | '));
    assert.ok(!options.some((o) => o.includes('gone.ke')), 'a disabled officer is not offered');
    assert.ok(!options.some((o) => o.includes('supervisor.ug')), "another administration's people are not offered");
    await assign.getByLabel('Assign to').selectOption({ label: 'Wanjiru Kamau (officer2.ke)' });
    await assign.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('definition').filter({ hasText: 'Wanjiru Kamau' }).waitFor();
    assert.equal((await api(`/api/v1/incidents/${incidentId}`)).assignee, 'officer2.ke');

    await page.getByRole('group', { name: 'Incident actions' }).getByRole('button', { name: 'Note' }).click();
    const note = page.getByRole('dialog', { name: 'Note an action taken' });
    await note.getByLabel('Comment').fill('Mobile unit Voi-2 stopped the truck at Mariakani');
    await note.getByRole('button', { name: 'Note' }).click();
    await history(page).filter({ hasText: 'Mobile unit Voi-2 stopped the truck' }).waitFor();

    await page.getByRole('group', { name: 'Incident actions' }).getByRole('button', { name: 'Close' }).click();
    const close = page.getByRole('dialog', { name: 'Close incident' });
    await close.getByLabel('Confirmed: a real incident').check();
    await close.getByLabel('Comment').fill('seal found cut and re-closed; cargo short by two cartons');
    await close.getByRole('button', { name: 'Close' }).click();
    await page.locator('.badge.incident-status.st-closed').waitFor();

    // the history in order, each step with who did it, the outcome with the closing
    const steps = await history(page).allTextContents();
    const actions = steps.map((s) => /(Opened|Alert joined|Acknowledged|Assigned|Action noted|Closed)/.exec(s)?.[1]);
    assert.deepEqual(
      actions.filter((a) => a !== 'Alert joined'),
      ['Opened', 'Assigned', 'Action noted', 'Closed'],
      steps.join('\n'),
    );
    assert.match(
      steps.find((s) => s.includes('Assigned'))!,
      /by Joseph Mwangi · to Wanjiru Kamau/,
    );
    assert.match(steps.at(-1)!, /Closed.*by Joseph Mwangi · confirmed · “seal found cut/);
    const after = await api(`/api/v1/incidents/${incidentId}`);
    assert.equal(after.status, 'closed');
    assert.equal(after.outcome, 'confirmed');
    await page.screenshot({ path: picture('console-incident-closed.png') });

    // the queue's "Closed" filter shows it with its outcome and who closed it, and links back
    await page.getByRole('link', { name: 'Back to the queue' }).click();
    const queue = page.getByRole('region', { name: /^Incident queue/ });
    // (the transit monitor may raise other incidents on this movement meanwhile: only this one is looked for)
    const ours = queue.getByRole('link', { name: `Open the incident page of Seal broken on ${REFERENCE}` });
    await queue.getByLabel('Show').waitFor();
    assert.equal(await ours.count(), 0, 'a closed incident is not in the open queue');
    await queue.getByLabel('Show').selectOption('closed');
    await queue.getByText(/closed .* by Joseph Mwangi: confirmed/).waitFor();
    await queue.getByRole('link', { name: `Open the incident page of Seal broken on ${REFERENCE}` }).waitFor();

    // the lock reported closed since, yet the movement keeps its "seal broken" badge
    await page.goto(`${base}/#/movements/${movementId}`);
    await page.getByRole('heading', { name: new RegExp(`${REFERENCE}.*seal broken`) }).waitFor();
    // the movement page as an investigation: its map with the incident, the incident linked
    const movementMap = page.getByRole('region', { name: 'Where it went' });
    await movementMap.locator('.site-map[data-basemap="ready"][data-markers="2"][data-track="5"]').waitFor();
    await movementMap.getByRole('link', { name: 'Seal broken' }).waitFor();
    // the timeline reads oldest first, declaration before the (backdated) start; each reading with its place
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const rows = await timeline.getByRole('listitem').allTextContents();
    const declared = rows.findIndex((r) => r.includes('Movement declared'));
    const started = rows.findIndex((r) => r.includes('Movement started'));
    assert.ok(declared >= 0 && declared < started, rows.join('\n'));
    await timeline.getByLabel('Show').selectOption('observation');
    const tamperRow = timeline.getByRole('listitem').filter({ hasText: 'tampered' }).filter({ hasText: 'Mariakani, Kenya' });
    await tamperRow.waitFor();
    assert.equal(await tamperRow.locator('.place').getAttribute('title'), 'Coordinates: -3.86, 39.47');
    await timeline.screenshot({ path: picture('console-movement-timeline.png') });
    assert.equal(await timeline.getByRole('listitem').filter({ hasText: 'Movement declared' }).count(), 0);
    await page.screenshot({ path: picture('console-movement-investigation.png'), fullPage: true });
    await page.goto(`${base}/#/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.locator(`[data-broken="1"]`).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  },
);

test(
  'a trader on a 390×844 phone, in Arabic: no sideways scroll, ETA and condition first, detail and explanation on tap, ended movements with their outcome',
  { timeout: 90_000 },
  async () => {
    // one of the trader's movements already ended
    const done = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: 'MRN-26KE4000111111', ...OFFICES, trader: demoParty.aeoTrader }),
    );
    for (const step of ['start', 'arrive', 'end']) await api(`/api/v1/movements/${done.id}/${step}`, {});
    const { context, page, problems } = await signIn('trader', '/', { width: 390, height: 844 });
    await page.getByLabel('Language').selectOption('ar');
    await page.getByRole('heading', { name: 'شحناتي' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    const list = page.getByRole('list', { name: 'الحركات الجارية أو المنتظرة' });
    const card = list.getByRole('listitem').filter({ hasText: REFERENCE });
    // the confirmed tamper keeps it "seal broken" although the lock reported closed since
    const condition = card.getByText('الختم مكسور');
    const eta = card.getByText(/^الوصول نحو /);
    await eta.waitFor();
    await page.locator('.trader-map #map[data-basemap="ready"]').waitFor({ state: 'attached' });
    // nothing wider than the phone; ETA, condition and sign-out on the first screen, without scrolling
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    assert.ok(widths.doc <= 390 && widths.body <= 390, `sideways scroll: ${JSON.stringify(widths)}`);
    for (const [what, el] of [
      ['ETA', eta],
      ['condition', condition],
      ['sign out', page.getByRole('button', { name: 'تسجيل الخروج' })],
    ] as const) {
      const box = (await el.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844, `${what} off screen: ${JSON.stringify(box)}`);
    }
    await page.screenshot({ path: picture('console-trader-phone-ar.png') });
    // where it is, as a place: on the card before any tap, and in the detail
    await card.locator('.trader-where').getByText('على بعد 5.9 كم شرق Samburu، كينيا', { exact: true }).waitFor();
    // a tap opens the detail: the status in plain words, the place with its coordinates as title
    await card.getByRole('button', { expanded: false }).click();
    await card.getByText(/^يُبلغ ختم في هذه الحركة أنه مكسور/).waitFor();
    const detailPlace = card.locator('.trader-detail .place');
    assert.equal(await detailPlace.textContent(), 'على بعد 5.9 كم شرق Samburu، كينيا');
    assert.match((await detailPlace.getAttribute('title'))!, /^الإحداثيات: \u200e?-3\.78, \u200e?39\.33$/);
    // the ended movement stays, with its outcome
    const ended = page.getByRole('list', { name: 'الحركات المنتهية' });
    await ended
      .getByRole('listitem')
      .filter({ hasText: 'MRN-26KE4000111111' })
      .getByText(/^انتهت الرقابة .*: لا كسر للختم$/)
      .waitFor();
    await page.screenshot({ path: picture('console-trader-phone-ar-detail.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  },
);
