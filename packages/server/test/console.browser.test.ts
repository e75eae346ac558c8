/**
 * The web console (packages/web, built into packages/web/dist) in a real browser: Debian's
 * chromium driven by playwright-core. People sign in with the demo users (seeded through the API
 * as `npm start` does) and a real cookie session: an officer sees a tampered seal posted by a
 * signed device appear live on the map (a red marker drawn on the canvas) and as an incident in
 * the queue with its alert inside, and acknowledges, notes and closes it (each change carries the CSRF header); the movement page shows its
 * timeline and seal history; the Arabic layout is right to left and remembered; a trader sees its
 * own movements and not another trader's; a device provider sees its devices' health and no
 * movement; an administrator manages users (TOTP enrolment), organisations and API tokens.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { DEMO_PASSWORD, demoParty, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { totpCode } from '../src/access/totp';

const WAIT_MS = 15_000;
const DEVICE = 'BROWSER-1';
const REFERENCE = 'MRN-26KE4000123456';
// Another trader's movement, which the demo trader must not see.
const OTHER_DEVICE = 'BROWSER-2';
const OTHER_REFERENCE = 'MRN-26KE4000999999';
const OTHER_POSITION = { lat: 0.2, lon: 35.3 };
// The docs pictures are refreshed only on request (SEALWATCH_DOCS_SCREENSHOTS=1), so a test run leaves the tree clean.
const picture = (name: string) =>
  process.env.SEALWATCH_DOCS_SCREENSHOTS
    ? fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sealwatch-${process.pid}-${name}`);

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P | undefined;
let browser: Browser | undefined;
let base: string;
let movementId: string;
let privateKey: KeyObject;
let otherKey: KeyObject;
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

before(
  async () => {
    p = await startTestPlatform();
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    // The demo's organisations and users, seeded as `npm start` does; a second run changes nothing.
    const client = new SealwatchClient(fetch as never, base, TEST_TOKEN);
    assert.ok((await seedDemoParties(client)).users.includes('officer.ke'));
    assert.deepEqual(await seedDemoParties(client), { organisations: [], users: [] });
    const keys = generateKeyPairSync('ed25519');
    privateKey = keys.privateKey;
    const other = generateKeyPairSync('ed25519');
    otherKey = other.privateKey;
    const jwk = (k: KeyObject) => ({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: k.export({ format: 'jwk' }).x } });
    for (const o of [mombasaOffice, malabaOffice]) await api('/api/v1/offices', o);
    await api('/api/v1/devices', {
      id: DEVICE,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      key: jwk(keys.publicKey),
      owner: demoParty.deviceProvider,
    });
    await api('/api/v1/devices', { id: OTHER_DEVICE, class: 'active', kind: 'e_seal', protocol: 'native', key: jwk(other.publicKey) });
    const movement = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: REFERENCE, devices: [DEVICE], trader: demoParty.aeoTrader }),
    );
    movementId = movement.id;
    await api(`/api/v1/movements/${movementId}/start`, {});
    const otherMovement = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: OTHER_REFERENCE, container: 'MSCU1234566', devices: [OTHER_DEVICE], trader: demoParty.trader }),
    );
    await api(`/api/v1/movements/${otherMovement.id}/start`, {});
    await ingest(
      { seq: 1, time: new Date().toISOString(), position: OTHER_POSITION, seal: { state: 'closed', rope: 'inserted' } },
      OTHER_DEVICE,
      otherKey,
    );
  },
  { timeout: 90_000 },
);

after(async () => {
  try {
    await browser?.close();
  } finally {
    await p?.cleanup();
  }
});

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

/** Polls the API until `check(alert)` holds; fails with the last alert seen after WAIT_MS. */
async function alertWhen(id: string, check: (a: any) => boolean): Promise<any> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const a = await api(`/api/v1/alerts/${encodeURIComponent(id)}`);
    if (check(a)) return a;
    assert.ok(Date.now() < deadline, `alert ${id} did not reach the expected state: ${JSON.stringify(a)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ingest(payload: object, device = DEVICE, key = privateKey): Promise<void> {
  const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const input = `${b64({ alg: 'EdDSA', kid: device })}.${b64({ device, ...payload })}`;
  const res = await fetch(`${base}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`,
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).results[0].status, 'accepted');
}

/** Records what must stay empty: console errors, page errors, requests leaving the origin. */
function watch(page: Page, origin: string, expected: (status: number, url: string) => boolean = () => false) {
  const problems: string[] = [];
  const requests: string[] = [];
  const expectedStatuses = new Set<number>();
  page.on('console', (m) => {
    // the browser also logs an expected refusal (e.g. a wrong password) as a failed resource
    const status = Number(/status of (\d{3})/.exec(m.text())?.[1]);
    if (m.type() === 'error' && !expectedStatuses.has(status)) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => {
    // the live stream is aborted when the page closes; anything else failing is a problem
    if (!r.url().endsWith('/api/v1/stream')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !expected(r.status(), r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    else if (r.status() >= 400) expectedStatuses.add(r.status());
  });
  const foreign = () => requests.filter((u) => new URL(u).origin !== origin && !/^(data|blob):/.test(u));
  return { problems, requests, foreign };
}

type Seen = ReturnType<typeof watch>;

/** A fresh browser context (no cookies, no storage) on the sign-in page. */
async function newVisit(expected?: (status: number, url: string) => boolean): Promise<{ context: BrowserContext; page: Page; seen: Seen }> {
  assert.ok(browser);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  // Nothing may leave the page's origin: such requests are recorded (and fail the test) and aborted.
  await context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const seen = watch(page, base, expected);
  return { context, page, seen };
}

/** Signs in through the sign-in page as a demo user (a real cookie session), landing on `path`. */
async function signIn(username: string, path = '/', expected?: (status: number, url: string) => boolean) {
  const visit = await newVisit(expected);
  const { page } = visit;
  await page.goto(`${base}${path}`, { timeout: WAIT_MS });
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return visit;
}

/** The admin token link that `npm start` prints (`#token=`). */
async function openWithTokenLink(path = '/') {
  const visit = await newVisit();
  await visit.page.goto(`${base}${path}#token=${TEST_TOKEN}`, { timeout: WAIT_MS });
  return visit;
}

async function close(context: BrowserContext, seen: ReturnType<typeof watch>) {
  await context.close();
  assert.deepEqual(seen.foreign(), [], 'requests outside the page origin');
  assert.deepEqual(seen.problems, [], 'console errors, page errors or failed requests');
}

/** The canvas pixel colour at a WGS84 position, using the view the map publishes on #map. */
async function mapPixel(page: Page, lon: number, lat: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([lon, lat]) => {
      const map = document.getElementById('map')!;
      const [k, x, y] = map.dataset.view!.split(',').map(Number);
      const phi = (lat * Math.PI) / 180;
      const wx = ((lon + 180) / 360) * 256;
      const wy = (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * 256;
      const canvas = map.querySelector('canvas')!;
      const dpr = canvas.width / canvas.clientWidth;
      const d = canvas.getContext('2d')!.getImageData(Math.round((wx * k + x) * dpr), Math.round((wy * k + y) * dpr), 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    },
    [lon, lat],
  );
}

test(
  'the sign-in page refuses a wrong password, then signs an officer in with an HttpOnly session cookie and no token in storage',
  { timeout: 60_000 },
  async () => {
    const { context, page, seen } = await newVisit((status, url) => status === 401 && url.endsWith('/api/v1/auth/login'));
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.locator('#map').waitFor({ state: 'detached' });
    mkdirSync(dirname(picture('console-sign-in.png')), { recursive: true });
    await page.screenshot({ path: picture('console-sign-in.png') });
    await page.getByLabel('User name').fill('officer.ke');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('Wrong user name, password or code.').waitFor();
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('Joseph Mwangi').waitFor();

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'sw_session');
    const csrf = cookies.find((c) => c.name === 'sw_csrf');
    assert.ok(session?.httpOnly && session.sameSite === 'Strict', 'sw_session is HttpOnly and SameSite=Strict');
    assert.ok(csrf && !csrf.httpOnly, 'sw_csrf is readable by the page');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.ok(!stored.includes(session!.value) && !/token/i.test(stored), `no credential in web storage: ${stored}`);
    // an officer's menu: no administration
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), [
      'Monitor',
      'Offices',
      'Devices',
      'Movements',
      'Quarantine',
      'My notifications',
      'API tokens',
    ]);

    // Signing out ends the session on the server, not only in this page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: `sw_session=${session!.value}` } });
    assert.equal(me.status, 401);
    await close(context, seen);
  },
);

test(
  'an officer sees a tampered seal appear live on the map and as an incident in the queue with its alert inside, acknowledges it, notes an action and closes it as a false alarm',
  { timeout: 60_000 },
  async () => {
    const { context, page, seen } = await signIn('officer.ke', '/');
    const changes: { url: string; csrf: string | undefined }[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.url().includes('/api/v1/incidents/'))
        changes.push({ url: r.url(), csrf: r.headers()['x-sealwatch-csrf'] });
    });
    const movements = page.getByRole('list', { name: 'Movements' });
    await movements.getByRole('button', { name: new RegExp(`^${REFERENCE}, in transit`) }).waitFor();
    await page.getByRole('status').getByText('Live', { exact: true }).waitFor();
    await page.locator('#map[data-basemap="ready"]').waitFor({ state: 'attached' });
    const queue = page.getByRole('region', { name: /^Incident queue/ });
    await queue.getByText('No open incidents.').waitFor();

    // From here on the page must not reload and must not re-read its snapshot: the alert has to
    // come through the stream.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const requestsBefore = seen.requests.length;
    await ingest({
      seq: 1,
      time: new Date().toISOString(),
      position: { lat: -3.5, lon: 38.9 },
      seal: { state: 'tampered', rope: 'inserted', lock: 'locked' },
    });

    const alertRow = queue
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: new RegExp(`^critical Seal broken, ${REFERENCE}, 1 alerts,`) }) });
    await alertRow.waitFor();
    // the incident's alert, the evidence, is listed inside it
    await alertRow
      .getByRole('list', { name: 'Alerts of this incident' })
      .getByText(new RegExp(`^Seal tampered · ${DEVICE} · open$`))
      .waitFor();
    assert.match((await alertRow.getAttribute('class')) ?? '', /\bsev-critical\b/);
    const brokenRow = movements.getByRole('button', {
      name: new RegExp(`^${REFERENCE}, in transit, seal broken, 1 open alerts, seal tampered · inserted · locked`),
    });
    await brokenRow.waitFor();
    // On the map: the canvas summary counts it, and the pixel under the device's position is the seal-broken red.
    await page.locator('#map[data-broken="1"]').waitFor({ state: 'attached' });
    await page.getByRole('img', { name: /1 with a broken seal/ }).waitFor();
    // the map fitted itself to the first position it knew (the other movement's): fit to both
    await page.getByRole('button', { name: 'Fit to movements' }).click();
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
    const [r, g, b] = await mapPixel(page, 38.9, -3.5);
    assert.ok(r > 200 && g < 140 && b < 130, `marker pixel is rgb(${r}, ${g}, ${b}), not red`);
    assert.equal(await page.locator('#count-critical').textContent(), '1');

    // Selecting it draws its corridor and track; this is the docs picture of the console.
    await brokenRow.click();
    await page.getByRole('region', { name: REFERENCE }).waitFor();
    await page.screenshot({ path: picture('console.png') });
    // The track is asked for at the map's resolution, and again, finer, after zooming in.
    const asked = () =>
      seen.requests.filter((u) => u.includes(`/movements/${movementId}/track`)).map((u) => new URL(u).searchParams.get('tolerance'));
    const before = asked();
    assert.ok(before.length > 0 && before.every((tol) => Number(tol) >= 1), `track asked as ${before}`);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
    const after = asked();
    assert.ok(after.length > before.length && Number(after.at(-1)) < Number(before.at(-1)), `track asked as ${after}`);

    assert.equal(await page.evaluate(() => (window as any).__sameDocument), true, 'the page reloaded');
    const reread = seen.requests.slice(requestsBefore).filter((u) => /\/api\/v1\/(alerts|incidents|movements)\?/.test(u));
    assert.deepEqual(reread, [], 'the incident came from a snapshot, not from the stream');

    const [alert] = (await api(`/api/v1/alerts?movement=${movementId}&type=seal_tampered`)).items;
    assert.equal(alert.status, 'open');
    const [incident] = (await api(`/api/v1/incidents?movement=${movementId}&status=open`)).items;
    assert.deepEqual(incident.alerts, [alert.id]);

    await alertRow.getByRole('button', { name: `Acknowledge Seal broken on ${REFERENCE}` }).click();
    const acknowledged = await alertWhen(alert.id, (a) => a.status === 'acknowledged');
    await alertRow.getByText(new RegExp(`^Seal tampered · ${DEVICE} · acknowledged$`)).waitFor();
    const officer = (await api('/api/v1/users')).items.find((u: any) => u.username === 'officer.ke');
    assert.ok(JSON.stringify(acknowledged).includes(officer.id), 'the acknowledgement names the signed-in officer');

    await alertRow.getByRole('button', { name: `Note an action on Seal broken on ${REFERENCE}` }).click();
    const note = page.getByRole('dialog', { name: 'Note an action taken' });
    await note.getByRole('textbox', { name: 'Comment' }).fill('Driver called: stopping at Mariakani weighbridge.');
    await note.getByRole('button', { name: 'Note', exact: true }).click();
    await note.waitFor({ state: 'hidden' });

    await alertRow.getByRole('button', { name: `Close Seal broken on ${REFERENCE}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Close incident' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /False alarm/ }).check();
    const comment = 'Seal inspected at Mariakani weighbridge: intact, sensor glitch.';
    await dialog.getByRole('textbox', { name: 'Comment' }).fill(comment);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const resolved = await alertWhen(alert.id, (a) => a.status === 'resolved');
    assert.equal(resolved.outcome, 'false_alarm');
    assert.match(resolved.comment, new RegExp(`${comment.replace(/[.:]/g, '.')}$`));
    const closed = await api(`/api/v1/incidents/${incident.id}`);
    assert.equal(closed.status, 'closed');
    assert.deepEqual(
      closed.history.map((h: any) => h.action),
      ['opened', 'acknowledged', 'noted', 'closed'],
    );
    await queue.getByText('No open incidents.').waitFor();

    // Every change carried the CSRF value of the session (the server refuses them otherwise).
    const csrf = (await context.cookies()).find((c) => c.name === 'sw_csrf')!.value;
    assert.deepEqual(
      changes.map((c) => [c.url.split('/').pop(), c.csrf]),
      [
        ['acknowledge', csrf],
        ['note', csrf],
        ['close', csrf],
      ],
    );

    // The selected movement's notifications are muted with a reason, shown, listed by the API, and unmuted.
    const details = page.getByRole('region', { name: REFERENCE });
    const muteForm = details.getByRole('form', { name: 'Mute notifications of this movement' });
    await muteForm.getByLabel('Reason').fill('escorted convoy, officer on board');
    await muteForm.getByRole('button', { name: 'Mute', exact: true }).click();
    await details.getByText(/^notifications muted until .*: escorted convoy, officer on board$/).waitFor();
    // A mute is its organisation's: the officer's session lists it, the platform's token does not.
    const officerMutes = async () => (await (await context.request.get(`${base}/api/v1/mutes`)).json()).items;
    assert.deepEqual(
      (await officerMutes()).map((m: any) => [m.movement, m.reason]),
      [[movementId, 'escorted convoy, officer on board']],
    );
    assert.deepEqual((await api('/api/v1/mutes')).items, []);
    await details.getByRole('button', { name: 'End the mute' }).click();
    await muteForm.waitFor();
    assert.deepEqual(await officerMutes(), []);
    await close(context, seen);
  },
);

test('the movement page shows the timeline, the seal state history and the sensor and battery charts', { timeout: 60_000 }, async () => {
  await ingest({
    seq: 2,
    time: new Date().toISOString(),
    position: { lat: -3.4, lon: 38.7 },
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    sensors: { temperature: 24.5 },
    battery: { level: 81 },
  });
  await ingest({
    seq: 3,
    time: new Date(Date.now() + 1000).toISOString(),
    position: { lat: -3.3, lon: 38.5 },
    sensors: { temperature: 25.1 },
    battery: { level: 80 },
  });
  const { context, page, seen } = await signIn('officer.ke', `/#/movements/${movementId}`);
  await page.getByRole('heading', { name: `Movement ${REFERENCE}` }).waitFor();
  const history = page.getByRole('region', { name: 'Seal state history' });
  await history.getByText('tampered · inserted · locked').waitFor();
  await history.getByText('closed · inserted · locked').waitFor();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await timeline.getByText(/critical Seal tampered · resolved/).waitFor();
  await page.getByRole('img', { name: /^Temperature \(°C\): 24\.5 – 25\.1/ }).waitFor();
  await page.getByRole('img', { name: /^Battery \(%\)/ }).waitFor();
  await page.screenshot({ path: picture('console-movement.png'), fullPage: true });
  await close(context, seen);
});

test('switching to Arabic lays the console out right to left, localised, and is remembered', { timeout: 60_000 }, async () => {
  const { context, page, seen } = await signIn('officer.ke', '/');
  await page.getByRole('status').getByText('Live', { exact: true }).waitFor();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
  await page.locator('html[dir="rtl"][lang="ar"]').waitFor({ state: 'attached' });
  await page.getByRole('region', { name: /^قائمة الحوادث/ }).waitFor();
  await page.getByRole('status').getByText('مباشر', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'تسجيل الخروج' }).waitFor();
  // the incident queue sits on the left in a right-to-left layout
  const side = await page.locator('aside.side').boundingBox();
  const map = await page.locator('#map').boundingBox();
  assert.ok(side && map && side.x < map.x, 'the side panel is not on the left');
  await page.locator('#map[data-basemap="ready"]').waitFor({ state: 'attached' });
  await page.screenshot({ path: picture('console-ar.png') });
  await page.reload();
  await page.locator('html[dir="rtl"][lang="ar"]').waitFor({ state: 'attached' });
  await page.getByRole('combobox', { name: 'اللغة' }).selectOption('en');
  await page.locator('html[dir="ltr"][lang="en"]').waitFor({ state: 'attached' });
  await close(context, seen);
});

test('a trader sees its own movements with position, ETA and condition, and nothing of another trader', { timeout: 60_000 }, async () => {
  const { context, page, seen } = await signIn('trader', '/');
  await page.getByRole('heading', { name: 'My movements' }).waitFor();
  const list = page.getByRole('list', { name: 'Movements under way or waiting' });
  const card = list.getByRole('listitem').filter({ hasText: REFERENCE });
  await card.waitFor();
  // ETA and condition first; the detail (container, position) on tap
  const unresolved = (await api(`/api/v1/alerts?movement=${movementId}`)).items.filter((a: any) => a.status !== 'resolved');
  await card.getByText(unresolved.length ? 'Under review by customs' : 'Sealed and on route').waitFor();
  await card.getByText(/^Arrives about .* UTC$/).waitFor();
  await card.getByText(/^in transit · KEMBA → UGMAL · seen /).waitFor();
  await card.getByRole('button', { expanded: false }).click();
  await card.getByText('CSQU3054383').waitFor();
  // the position as a place, the coordinates in its title
  const detailPlace = card.locator('.trader-detail .place');
  assert.equal(await detailPlace.textContent(), '12 km NW of Voi, Kenya');
  assert.equal(await detailPlace.getAttribute('title'), 'Coordinates: -3.3, 38.5');

  // The other trader's movement is in transit with a position, yet absent from the list and the map.
  assert.equal(await list.getByRole('listitem').count(), 1, 'one movement');
  assert.equal(await page.getByText(OTHER_REFERENCE).count(), 0);
  await page.locator('#map[data-basemap="ready"]').waitFor({ state: 'attached' });
  await page.getByRole('img', { name: /^Map of 1 movements with a position/ }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.deepEqual(await nav.getByRole('link').allTextContents(), ['My movements', 'Device advice', 'API tokens']);
  await page.screenshot({ path: picture('console-trader.png') });
  // Nor does the live stream carry it: a message of the other device changes nothing here.
  await ingest(
    { seq: 2, time: new Date().toISOString(), position: { lat: 0.25, lon: 35.2 }, seal: { state: 'open', rope: 'cut' } },
    OTHER_DEVICE,
    otherKey,
  );
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await page.getByText(OTHER_REFERENCE).count(), 0);
  await page.getByRole('img', { name: /^Map of 1 movements with a position: 0 with a broken seal/ }).waitFor();
  await close(context, seen);
});

test('a device provider sees the health of its own devices and no movement', { timeout: 60_000 }, async () => {
  const { context, page, seen } = await signIn('provider', '/');
  await page.getByRole('heading', { name: 'Devices' }).waitFor();
  const table = page.getByRole('table', { name: 'Devices' });
  const row = table.getByRole('row', { name: new RegExp(DEVICE) });
  await row.waitFor();
  assert.equal(await table.getByRole('row').count(), 2, 'the header and its one device');
  await page.getByRole('definition').first().waitFor();
  assert.match((await row.textContent()) ?? '', /Reporting|Silent|Battery low/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Devices', 'API tokens']);
  assert.equal(await page.locator('#map').count(), 0);
  for (const ref of [REFERENCE, OTHER_REFERENCE, OTHER_DEVICE]) assert.equal(await page.getByText(ref).count(), 0, ref);
  // The console does not even ask for cargo data.
  const asked = seen.requests.filter((u) => /\/api\/v1\/(movements|alerts|stream)/.test(u));
  assert.deepEqual(asked, []);
  await close(context, seen);
});

test(
  'an administrator creates a user, enrols TOTP (shown as an otpauth URI), and that user signs in with the code',
  { timeout: 90_000 },
  async () => {
    const { context, page, seen } = await signIn('admin', '/#/admin/users');
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByRole('row', { name: /officer\.ke/ }).waitFor();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('User name').fill('duty.officer');
    await form.getByLabel('Name', { exact: true }).fill('Mercy Chebet');
    await form.getByLabel('Organisation').selectOption(demoParty.kenyaCustoms);
    await form.getByRole('checkbox', { name: 'Customs officer' }).check();
    await form.getByLabel('Initial password').fill('duty-officer-passphrase');
    await form.getByRole('button', { name: 'Create' }).click();
    const row = users.getByRole('row', { name: /duty\.officer/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Customs officer.*no.*active/);

    await page.getByRole('button', { name: '×' }).first().click();
    await page.evaluate(() => document.querySelector('main.page')?.scrollTo(0, 0));
    await row.getByRole('button', { name: 'Enrol TOTP for duty.officer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Second factor for duty.officer' });
    await dialog.getByRole('button', { name: 'Enrol TOTP' }).click();
    const uri = await dialog.getByLabel('otpauth URI').inputValue();
    assert.match(uri, /^otpauth:\/\/totp\/Sealwatch:duty\.officer\?secret=[A-Z2-7]+&issuer=Sealwatch$/);
    const secret = new URL(uri).searchParams.get('secret')!;
    assert.equal(await dialog.getByLabel('Secret (base32)').inputValue(), secret);
    await page.screenshot({ path: picture('console-admin-users.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await row.getByText('yes', { exact: true }).waitFor();
    await close(context, seen);

    // The new user is asked for the code after the password (the first answer is 401 totp_required), and is signed in with it.
    const visit = await newVisit((status, url) => status === 401 && url.endsWith('/api/v1/auth/login'));
    await visit.page.goto(`${base}/`);
    await visit.page.getByLabel('User name').fill('duty.officer');
    await visit.page.getByLabel('Password').fill('duty-officer-passphrase');
    await visit.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visit.page.getByLabel('Authenticator code').fill(totpCode(secret, Date.now()));
    await visit.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visit.page.getByText('Mercy Chebet').waitFor();
    await visit.page.getByRole('button', { name: 'Sign out' }).waitFor();
    await close(visit.context, visit.seen);
  },
);

test(
  'an administrator disables a user, registers an organisation, and makes, uses and revokes an API token shown once',
  { timeout: 90_000 },
  async () => {
    const { context, page, seen } = await signIn('admin', '/#/admin/users');
    const users = page.getByRole('table', { name: 'Users' });
    const auditor = users.getByRole('row', { name: /auditor/ });
    await auditor.getByRole('button', { name: 'Disable auditor' }).click();
    await auditor.getByText('disabled', { exact: true }).waitFor();
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'auditor', password: DEMO_PASSWORD }),
    });
    assert.equal(login.status, 401, 'a disabled user cannot sign in');
    await auditor.getByRole('button', { name: 'Enable auditor' }).click();
    await auditor.getByText('active', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Organisations' }).click();
    const orgForm = page.getByRole('form', { name: 'New organisation' });
    await orgForm.getByLabel('Id', { exact: true }).fill('tz-tra-customs');
    await orgForm.getByLabel('Name', { exact: true }).fill('Tanzania Revenue Authority — Customs');
    await orgForm.getByRole('combobox', { name: /^Kind/ }).selectOption('customs');
    await orgForm.getByLabel('Country', { exact: true }).fill('TZ');
    await orgForm.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('table', { name: 'Organisations' })
      .getByRole('row', { name: /Tanzania Revenue Authority/ })
      .waitFor();
    assert.equal((await api('/api/v1/organisations')).items.find((o: any) => o.id === 'tz-tra-customs')?.country, 'TZ');

    await page.getByRole('link', { name: 'API tokens' }).click();
    const tokenForm = page.getByRole('form', { name: 'New API token' });
    await tokenForm.getByLabel('Name', { exact: true }).fill('Kenya ICMS link');
    await tokenForm.getByLabel('Acts as').selectOption({ label: 'officer.ke — Joseph Mwangi' });
    await tokenForm.getByRole('checkbox', { name: 'movements.read' }).check();
    await tokenForm.getByLabel('Expires after (days)').fill('30');
    await tokenForm.getByRole('button', { name: 'Create' }).click();
    const once = page.getByRole('status').filter({ hasText: 'shown only this once' });
    const token = await once.getByRole('textbox', { name: 'Token' }).inputValue();
    assert.match(token, /^swt_/);
    const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /Kenya ICMS link/ });
    assert.match((await row.textContent()) ?? '', /officer\.ke.*movements\.read.*active/);
    await once.getByRole('button', { name: 'I have stored it' }).click();
    assert.equal(await page.getByText(token).count(), 0, 'the token is not shown again');

    const withToken = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await withToken('/api/v1/movements')).status, 200);
    assert.equal((await withToken('/api/v1/alerts')).status, 403, 'outside its scopes');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke Kenya ICMS link' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    assert.equal((await withToken('/api/v1/movements')).status, 401, 'a revoked token stops working at once');
    await close(context, seen);
  },
);

test('the admin token link that npm start prints still signs the console in', { timeout: 60_000 }, async () => {
  const { context, page, seen } = await openWithTokenLink();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.equal(await page.evaluate(() => location.hash), '#/', 'the token is taken out of the address');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Administration' }).waitFor();
  await page
    .getByRole('list', { name: 'Movements' })
    .getByRole('button', { name: new RegExp(`^${OTHER_REFERENCE}`) })
    .waitFor();
  await close(context, seen);
});
