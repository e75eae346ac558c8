/**
 * The platform's degraded states in the real console (chromium via playwright-core): the
 * administrator's monitor shows no platform panel while every check is ok; a low disk reported
 * the way the health monitor reports it (platform-alerts.ts) appears live over the stream with its
 * check, severity, detail and start; failing raises it to major; the operator acknowledges it
 * (and reads it in Arabic); the disk recovers and the panel goes away, with no reload. The picture goes to the temp folder
 * (docs/ with SEALWATCH_DOCS_SCREENSHOTS=1).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { PlatformAlerts } from '../src/ops/platform-alerts';

const WAIT_MS = 20_000;
const picture = (name: string) =>
  process.env.SEALWATCH_DOCS_SCREENSHOTS
    ? fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sealwatch-${process.pid}-${name}`);

let p: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;
let base = '';

before(
  async () => {
    p = await startTestPlatform();
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
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

test('a degraded disk appears on the monitor live, is acknowledged, and leaves when the disk recovers', { timeout: 90_000 }, async () => {
  const alerts = new PlatformAlerts({
    store: p!.ctx.store,
    bus: p!.ctx.bus,
    now: Date.now,
    newId: p!.ctx.newId,
    instance: 'node-a',
    log: { warn: () => {} },
  });
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${base}/#token=${TEST_TOKEN}`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.locator('#console').waitFor();
  const panel = page.getByRole('alert', { name: 'Platform degraded' });
  assert.equal(await panel.count(), 0, 'no panel while every check is ok');

  alerts.report('disk', { status: 'degraded', detail: '0.80 GB free under /srv/sealwatch' });
  await alerts.apply();
  await panel.waitFor();
  const disk = panel.locator('[data-check="disk"]');
  await disk.getByText('Free disk').waitFor();
  await disk.getByText('0.80 GB free under /srv/sealwatch').waitFor();
  assert.match(await disk.innerText(), /minor[\s\S]*degraded[\s\S]*since .*UTC[\s\S]*process node-a/);

  alerts.report('disk', { status: 'failing', detail: '0.05 GB free under /srv/sealwatch' });
  await alerts.apply();
  await disk.getByText('0.05 GB free under /srv/sealwatch').waitFor();
  assert.match(await disk.innerText(), /major[\s\S]*failing/);

  await disk.getByRole('button', { name: 'Acknowledge the platform alert Free disk' }).click();
  await disk.getByText('acknowledged').waitFor();
  const [stored] = (await p!.ctx.store.alerts.list({ type: 'platform_degraded' }, { limit: 10 })).items;
  assert.equal(stored.status, 'acknowledged', 'the acknowledgement reached the server');
  await page.screenshot({ path: picture('console-platform-alerts.png') });

  // In Arabic the panel's own words are translated; the server's detail stays as written.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
  const panelAr = page.getByRole('alert', { name: 'تدهور المنصة' });
  await panelAr.getByText('المساحة الحرة على القرص').waitFor();
  const textAr = await panelAr.innerText();
  assert.match(textAr, /كبير[\s\S]*معطل[\s\S]*تم الاطلاع/);
  assert.deepEqual(
    textAr
      .replace('0.05 GB free under /srv/sealwatch', '')
      .replace('node-a', '')
      .replace('UTC', '')
      .match(/[A-Za-z]{3,}/g),
    null,
    'no English but data: the detail, the process id, the time zone',
  );
  await page.screenshot({ path: picture('console-platform-alerts-ar.png') });
  await page.getByRole('combobox', { name: 'اللغة' }).selectOption('en');

  alerts.report('disk', { status: 'ok', detail: '40 GB free under /srv/sealwatch' });
  await alerts.apply();
  await panel.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});
