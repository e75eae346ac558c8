/**
 * The declaration form in a real browser (Debian's chromium driven by playwright-core): an officer
 * of the Kenyan administration picks the trader from the trader organisations, the devices from
 * those in custody (its own, then the trader's once the trader is picked; never a device held by
 * nobody, nor one already on a movement), sees the chosen device's seal added, types the vehicle,
 * the goods and a time limit read as UTC, and declares; the API has exactly what was picked. The
 * form is looked at on a desktop in English and on a phone in Arabic (right to left).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { DEMO_PASSWORD, demoParty, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

const WAIT_MS = 15_000;
const picture = (name: string) => join(tmpdir(), `sealwatch-${name}`);
// held by the Kenyan administration; held by the trader; held by nobody; held but on a movement
const HELD = 'DECL-HELD-1';
const HELD2 = 'DECL-HELD-2';
const TRADERS = 'DECL-TRADER-1';
const NOBODYS = 'DECL-NOBODY-1';
const BUSY = 'DECL-BUSY-1';
const REFERENCE = 'MRN-26KE4000818181';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P | undefined;
let browser: Browser | undefined;
let base: string;
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

before(
  async () => {
    p = await startTestPlatform();
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    await seedDemoParties(new SealwatchClient(fetch as never, base, TEST_TOKEN));
    for (const o of [mombasaOffice, malabaOffice]) await api('/api/v1/offices', o);
    for (const [id, seal] of [
      [HELD, 'KE-HELD-0001'],
      [HELD2, 'KE-HELD-0002'],
      [TRADERS, 'KE-TRDR-0001'],
      [NOBODYS, null],
      [BUSY, null],
    ] as const)
      await api('/api/v1/devices', {
        id,
        class: 'semi_active',
        kind: 'e_seal',
        protocol: 'eseal',
        ...(seal ? { identifiers: { sealNumber: seal } } : {}),
      });
    for (const [id, holder] of [
      [HELD, demoParty.kenyaCustoms],
      [HELD2, demoParty.kenyaCustoms],
      [TRADERS, demoParty.aeoTrader],
      [BUSY, demoParty.kenyaCustoms],
    ])
      await api(`/api/v1/devices/${id}/custody`, { holder });
    await api('/api/v1/movements', buildMovementBody({ devices: [BUSY] }));
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
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}/#/movements`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, problems };
}

test('the declarable devices are those in custody of the caller or the trader, on no movement', async () => {
  const ids = async (q = '') => (await api(`/api/v1/custody/declarable-devices${q}`)).items.map((d: any) => d.id).sort();
  // the installation's token is the platform's: every device free of a movement
  assert.deepEqual(await ids(), [HELD, HELD2, NOBODYS, TRADERS].sort());
  const traders = (await api('/api/v1/traders')).items;
  assert.ok(traders.some((o: any) => o.id === demoParty.aeoTrader && o.aeo));
  assert.ok(!traders.some((o: any) => o.id === demoParty.kenyaCustoms), 'only traders');
});

test(
  'an officer declares with pickers: trader, devices in custody, their seals, vehicle, goods and a UTC time limit',
  { timeout: 90_000 },
  async () => {
    const { context, page, problems } = await signIn('officer.ke', { width: 1440, height: 900 });
    const form = page.getByRole('form', { name: 'Declare a movement' });
    const devices = form.getByRole('group', { name: /^Devices/ });
    await devices.getByRole('checkbox', { name: new RegExp(HELD) }).waitFor();
    const offered = async () =>
      (await devices.getByRole('checkbox').evaluateAll((els) => els.map((e) => e.parentElement!.textContent!))).join('\n');
    assert.doesNotMatch(await offered(), new RegExp(`${NOBODYS}|${BUSY}|${TRADERS}`));
    // the trader's devices join once the trader is picked
    await form.getByLabel('Trader').selectOption(demoParty.aeoTrader);
    await devices.getByRole('checkbox', { name: new RegExp(TRADERS) }).waitFor();
    assert.match(await offered(), /DECL-TRADER-1 · electronic seal · seal KE-TRDR-0001 · the trader’s · starts once the trader confirms/);
    assert.doesNotMatch(await offered(), new RegExp(`${NOBODYS}|${BUSY}`));

    await form.getByLabel('Reference').fill(REFERENCE);
    await form.getByLabel('Office of departure').selectOption('KEMBA');
    await form.getByLabel('Office of destination').selectOption('UGMAL');
    await devices.getByRole('checkbox', { name: new RegExp(HELD) }).check();
    await devices.getByRole('checkbox', { name: new RegExp(TRADERS) }).check();
    await form.getByText('The chosen devices’ seals are added: KE-HELD-0001, KE-TRDR-0001').waitFor();
    await form.getByLabel('Other seal numbers (bolt seals, comma-separated)').fill('KE-BOLT-7');
    await form.getByLabel('Vehicle registration').fill('KDA 123X / ZE 4567');
    await form.getByLabel('Goods: HS chapter or code').fill('2402.20');
    await form.getByLabel('Goods: country of origin (2 letters)').fill('ke');
    await form.getByLabel('Time limit (UTC)').fill('2026-12-09 14:00');
    await form.getByText(/^Time limit: 9 Dec 2026, 14:00:00 UTC$/).waitFor();
    await form.screenshot({ path: picture('console-declare-form.png') });
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: REFERENCE }).waitFor();
    // the toast that confirms it sits clear of the header (it used to cover the header's second row)
    const toast = page.getByRole('status').filter({ hasText: `Movement ${REFERENCE} declared.` });
    await toast.waitFor();
    const header = (await page.locator('header').first().boundingBox())!;
    const box = (await toast.boundingBox())!;
    assert.ok(box.y >= header.y + header.height, `toast ${JSON.stringify(box)} over the header ${JSON.stringify(header)}`);
    await page.screenshot({ path: picture('console-declare-toast.png') });

    const m = (await api('/api/v1/movements?limit=100')).items.find((x: any) => x.reference === REFERENCE);
    assert.ok(m, 'declared');
    assert.deepEqual([...m.devices].sort(), [HELD, TRADERS].sort());
    assert.deepEqual(m.seals, ['KE-HELD-0001', 'KE-TRDR-0001', 'KE-BOLT-7']);
    assert.equal(m.trader, demoParty.aeoTrader);
    assert.equal(m.vehicle, 'KDA 123X / ZE 4567');
    assert.equal(m.originCountry, 'KE');
    assert.equal(m.timeLimit, '2026-12-09T14:00:00.000Z', 'the time limit typed is UTC, not the browser’s local time');
    // the devices are now on a movement: no longer offered
    await page.reload();
    await devices.getByRole('checkbox', { name: new RegExp(HELD2) }).waitFor();
    assert.doesNotMatch(await offered(), new RegExp(`${HELD} `));
    assert.deepEqual(problems, []);
    await context.close();
  },
);

test('the form on a phone in Arabic: right to left, nothing wider than the screen', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signIn('officer.ke', { width: 390, height: 844 });
  await page.getByLabel('Language').selectOption('ar');
  await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' });
  const form = page.getByRole('form', { name: 'التصريح بشحنة' });
  await form
    .getByRole('group', { name: /^الأجهزة/ })
    .getByRole('checkbox', { name: new RegExp(HELD2) })
    .waitFor();
  await form.getByLabel('المهلة (بالتوقيت العالمي UTC)').fill('2026-12-09 14:00');
  await form.getByText(/^المهلة: /).waitFor();
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(widths.doc <= 390 && widths.body <= 390, `sideways scroll: ${JSON.stringify(widths)}`);
  await form.getByRole('group', { name: /^الأجهزة/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: picture('console-declare-phone-ar.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
