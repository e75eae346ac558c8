/**
 * Lending consent in a real browser (Debian's chromium driven by playwright-core): the Kenyan
 * administration declares a movement with a device the demo's trader (Pwani Freight) holds; it
 * cannot start it; the trader, signed in to its portal, sees the request, confirms it, and the
 * start goes through; the officer's movement page says it waits for the trader until then. The
 * trader also consents beforehand and withdraws it, and the section is looked at on a phone in
 * Arabic (right to left).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Browser } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { DEMO_PASSWORD, demoParty, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

const WAIT_MS = 15_000;
const picture = (name: string) => `/tmp/sealwatch-trust-${name}`;
const LENT = 'LEND-TRADER-1';
const REFERENCE = 'MRN-26KE4000919191';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P | undefined;
let browser: Browser | undefined;
let base: string;
let officer = '';
let movement = '';

async function api(path: string, body?: unknown, token = TEST_TOKEN): Promise<{ status: number; json: any }> {
  const headers = { authorization: `Bearer ${token}` };
  const r = await fetch(
    base + path,
    body === undefined
      ? { headers }
      : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: r.status, json: await r.json() };
}

before(
  async () => {
    p = await startTestPlatform();
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    await seedDemoParties(new SealwatchClient(fetch as never, base, TEST_TOKEN));
    for (const o of [mombasaOffice, malabaOffice]) assert.equal((await api('/api/v1/offices', o)).status, 201);
    assert.equal((await api('/api/v1/devices', { id: LENT, class: 'active', kind: 'e_lock', protocol: 'jt600' })).status, 201);
    assert.equal((await api(`/api/v1/devices/${LENT}/custody`, { holder: demoParty.aeoTrader })).status, 201);
    const users = (await api('/api/v1/users')).json.items as { id: string; username: string }[];
    officer = (await api('/api/v1/tokens', { name: 'officer', user: users.find((u) => u.username === 'officer.ke')!.id })).json.token;
    const m = await api(
      '/api/v1/movements',
      buildMovementBody({ devices: [LENT], trader: demoParty.aeoTrader, reference: REFERENCE }),
      officer,
    );
    assert.equal(m.status, 201, JSON.stringify(m.json));
    movement = m.json.id;
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

async function signIn(username: string, viewport: { width: number; height: number }) {
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
  await page.goto(`${base}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, problems };
}

test("the declaring officer's movement page says it waits for the trader", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signIn('officer.ke', { width: 1280, height: 900 });
  await page.goto(`${base}/#/movements/${movement}`);
  await page
    .getByRole('status')
    .filter({ hasText: /Waiting for \W*pwani-freight\W* to confirm lending \W*LEND-TRADER-1\W*: the movement cannot start before/ })
    .waitFor();
  await page.screenshot({ path: picture('lending-officer.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the trader confirms the request in its portal; only then does the movement start', { timeout: 60_000 }, async () => {
  const refused = await api(`/api/v1/movements/${movement}/start`, {}, officer);
  assert.equal(refused.status, 409);
  assert.equal(refused.json.code, 'lending_not_confirmed');

  const { context, page, problems } = await signIn('trader', { width: 1280, height: 900 });
  const section = page.getByRole('region', { name: 'Lending your devices' });
  const requests = section.getByRole('list', { name: 'Requests from declarations' });
  const item = requests.getByRole('listitem').filter({ hasText: REFERENCE });
  await item.getByText(new RegExp(`${demoParty.kenyaCustoms}\\W* declared \\W*${REFERENCE}\\W* with \\W*${LENT}`)).waitFor();
  await item.getByText(/waiting for you/).waitFor();
  await section.screenshot({ path: picture('lending-request.png') });
  await item.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText(`Lending to ${demoParty.kenyaCustoms} confirmed`).waitFor();
  await item.getByText(/confirmed/).waitFor();
  assert.equal((await api(`/api/v1/movements/${movement}/start`, {}, officer)).status, 200);
  // Once under way the devices stay lent until the movement ends: no Refuse any more.
  await item.getByRole('button', { name: 'Refuse' }).waitFor({ state: 'detached' });

  await section.getByLabel('Administration (organisation id)').fill(demoParty.ugandaCustoms);
  await section.getByRole('button', { name: 'Consent', exact: true }).click();
  const standing = section.getByRole('list', { name: 'Consents given beforehand' });
  const given = standing.getByRole('listitem').filter({ hasText: demoParty.ugandaCustoms });
  await given.getByText(/may use all your devices until you withdraw it/).waitFor();
  await section.screenshot({ path: picture('lending-standing.png') });
  await given.getByRole('button', { name: 'Withdraw' }).click();
  await page.getByText(`Consent to ${demoParty.ugandaCustoms} withdrawn`).waitFor();
  await given.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the lending section on a phone in Arabic: right to left, nothing wider than the screen', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signIn('trader', { width: 390, height: 844 });
  await page.getByLabel('Language').selectOption('ar');
  await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' });
  const section = page.getByRole('region', { name: 'إعارة أجهزتك' });
  await section.getByText(new RegExp(REFERENCE)).waitFor();
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(widths.doc <= 390 && widths.body <= 390, `sideways scroll: ${JSON.stringify(widths)}`);
  await section.screenshot({ path: picture('lending-phone-ar.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
