/**
 * No English left in a translated console: a real browser (Debian's chromium) signs in as the
 * administrator in Arabic and in French on a platform with something on every screen (a movement
 * with a broken seal and its incident, a device with readings, a refused frame in quarantine, the
 * default risk profile, offices), opens every screen, and reads what is shown: each visible text,
 * placeholder, title and accessible label. In Arabic any Latin word that is not data (a reference,
 * an id, a person's or organisation's name the test seeded) is text the console forgot to
 * translate. Also here, as they need no more data: "Run calibration" with no outcome recorded, and a
 * person setting up which incidents are e-mailed to them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { DEMO_PASSWORD, demoParty, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { gazetteer } from '@sealwatch/core/places/gazetteer';

const WAIT_MS = 15_000;
const DEVICE = 'LANG-1';
const REFERENCE = 'MRN-26KE4000777777';
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

async function ingest(payload: object, signer = key): Promise<string> {
  const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const input = `${b64({ alg: 'EdDSA', kid: DEVICE })}.${b64({ device: DEVICE, ...payload })}`;
  const res = await fetch(`${base}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: `${input}.${sign(null, Buffer.from(input), signer).toString('base64url')}`,
  });
  return (await res.json()).results[0].status;
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
    p = await startTestPlatform();
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    await seedDemoParties(new SealwatchClient(fetch as never, base, TEST_TOKEN));
    for (const o of [mombasaOffice, malabaOffice]) await api('/api/v1/offices', o);
    const keys = generateKeyPairSync('ed25519');
    key = keys.privateKey;
    await api('/api/v1/devices', {
      id: DEVICE,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: keys.publicKey.export({ format: 'jwk' }).x } },
    });
    const movement = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: REFERENCE, devices: [DEVICE], trader: demoParty.aeoTrader }),
    );
    movementId = movement.id;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await api(`/api/v1/movements/${movementId}/start`, { time: at(60) });
    const closed = { state: 'closed', rope: 'inserted', lock: 'locked' };
    const road: [number, number][] = [
      [-3.95, 39.6],
      [-3.9, 39.54],
      [-3.86, 39.47],
    ];
    const pos = (i: number) => ({ lat: road[i][0], lon: road[i][1], speed: 60 });
    assert.equal(
      await ingest({ seq: 1, time: at(40), position: pos(0), seal: closed, battery: { level: 81 }, temperature: 24 }),
      'accepted',
    );
    assert.equal(
      await ingest({ seq: 2, time: at(30), position: pos(1), seal: { ...closed, state: 'tampered' }, battery: { level: 80 } }),
      'accepted',
    );
    assert.equal(await ingest({ seq: 3, time: at(20), position: pos(2), seal: closed, battery: { level: 79 } }), 'accepted');
    // a frame signed by another key: refused and quarantined with its reason
    assert.equal(await ingest({ seq: 4, time: at(10), position: pos(2) }, generateKeyPairSync('ed25519').privateKey), 'rejected');
    incidentId = (await until('the seal incident', async () => (await api(`/api/v1/incidents?movement=${movementId}`)).items[0])).id;
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

/**
 * What a person reads or hears on the page: visible text, options, placeholders, titles and
 * accessible labels; not what is marked translate="no" (data: ids, codes, bytes) or as written in
 * another language (lang="…").
 * (A string, not a function: the test runner's transpiler would add helpers the page lacks.)
 */
const READ_PAGE = `(() => {
  const out = new Set();
  // text marked as written in another language (a language's own name, a server message kept verbatim)
  const foreign = (el) => { const l = el.closest('[lang]'); return !!l && l !== document.documentElement && l.lang !== document.documentElement.lang; };
  const shown = (el) => { const s = getComputedStyle(el); return s.visibility !== 'hidden' && el.getClientRects().length > 0; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('script,style,[translate="no"]') || foreign(el)) continue;
    if (el.closest('option') ? shown(el.closest('select')) : shown(el)) out.add(text);
  }
  for (const el of document.body.querySelectorAll('[placeholder],[title],[aria-label]')) {
    if (el.closest('[translate="no"]')) continue;
    for (const a of ['placeholder', 'title', 'aria-label']) { const v = (el.getAttribute(a) || '').trim(); if (v) out.add(v); }
  }
  return [...out];
})()`;

const shownTexts = (page: Page): Promise<string[]> => page.evaluate(READ_PAGE);

async function signIn(lang: 'ar' | 'fr' | 'en', username = 'admin') {
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  await context.addInitScript((l) => localStorage.setItem('sealwatch.language', l), lang);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(`${base}/`);
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator('.topbar').waitFor();
  return { context, page };
}

const screens = () => [
  '#/',
  `#/incidents/${incidentId}`,
  `#/movements/${movementId}`,
  '#/movements',
  '#/offices',
  '#/devices',
  `#/devices/${DEVICE}`,
  '#/quarantine',
  '#/audit',
  '#/risk/profiles',
  '#/risk/calibration',
  '#/risk/kpis',
  '#/risk/reference',
  '#/training',
  '#/admin/users',
  '#/admin/organisations',
  '#/admin/tokens',
  '#/admin/partners',
  '#/notifications',
  '#/trader',
];

async function readScreens(lang: 'ar' | 'fr' | 'en'): Promise<Map<string, string[]>> {
  const { context, page } = await signIn(lang);
  const seen = new Map<string, string[]>();
  for (const s of screens()) {
    await page.goto(`${base}/${s}`);
    await page.locator('main').waitFor();
    // every screen loads its data after it is drawn: read once the network is idle
    await page.waitForTimeout(1000);
    seen.set(s, await shownTexts(page));
    // the instructor's screen as an Arabic reader sees it (to look at: right to left, exercise texts)
    if (s === '#/training' && lang === 'ar') await page.screenshot({ path: picture('console-training-ar.png'), fullPage: true });
  }
  await context.close();
  return seen;
}

// Latin words that are not English to translate: proper names and formats the console names as they are.
// ('center' and 'radiusM' are the JSON members of a circular office area, quoted in its field's hint.)
const NAMES = new Set([
  'Sealwatch',
  'GeoJSON',
  'LineString',
  'Polygon',
  'Feature',
  'EdDSA',
  'Natural',
  'Earth',
  'Node.js',
  'base64',
  'base32',
  'scrypt',
]);
const JSON_MEMBERS = new Set(['center', 'radiusM']);

const bare = (w: string) => w.replace(/^[.:/'’-]+|[.:/'’-]+$/g, '');

/** The words of a text that read as untranslated: Latin words that are not ids, codes, acronyms or seeded names. */
function untranslatedWords(text: string, data: ReadonlySet<string>): string[] {
  return (text.match(/[\w.@:/’'-]*[A-Za-z]{2,}[\w.@:/’'-]*/g) ?? []).map(bare).filter(
    // not ids (digits), codes and acronyms (capitals), paths, dotted names and addresses, names
    (w) => !/\d/.test(w) && !/^[A-Z][A-Z_.-]+$/.test(w) && !/\w[./@]\w/.test(w) && !NAMES.has(w) && !JSON_MEMBERS.has(w) && !data.has(w),
  );
}

/** Every word of the names and ids the test seeded (people, organisations, offices): data, not text to translate. */
async function seededWords(): Promise<Set<string>> {
  const texts: string[] = [];
  for (const u of await api('/api/v1/users').then((r) => r.items)) texts.push(u.username, u.name);
  for (const o of await api('/api/v1/organisations').then((r) => r.items)) texts.push(o.id, o.name);
  for (const o of await api('/api/v1/offices').then((r) => r.items)) texts.push(o.code, o.name);
  for (const k of await api(`/api/v1/devices/${DEVICE}/keys`).then((r) => r.items)) texts.push(k.keyId);
  // Positions are told by the nearest town of the gazetteer, named as its people write it in Latin script.
  for (const place of gazetteer) texts.push(place.name);
  return new Set(texts.flatMap((t) => t.split(/[\s,—&]+/).map(bare)).filter(Boolean));
}

test('in Arabic no screen of the console shows an English word that is not data', { timeout: 120_000 }, async () => {
  const data = await seededWords();
  const found: Record<string, string[]> = {};
  for (const [screen, texts] of await readScreens('ar')) {
    const bad = texts.filter((t) => untranslatedWords(t, data).length > 0);
    if (bad.length) found[screen] = bad;
  }
  assert.deepEqual(found, {});
});

test('in Arabic the charts keep time running left to right: a falling battery falls', { timeout: 60_000 }, async () => {
  const { context, page } = await signIn('ar');
  await page.goto(`${base}/#/movements/${movementId}`);
  const battery = page.locator('figure.chart').filter({ has: page.getByText('البطارية (%)', { exact: true }) });
  // the readings said 81, 80, 79 %: the line starts on the left and goes down to the right
  const path = (await battery.locator('path.line').getAttribute('d'))!;
  const points = [...path.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(points.length, 3, path);
  for (let i = 1; i < points.length; i++) {
    assert.ok(points[i][0] > points[i - 1][0], `time runs left to right: ${path}`);
    assert.ok(points[i][1] > points[i - 1][1], `the level goes down (SVG y grows downwards): ${path}`);
  }
  await context.close();
});

test('"Run calibration" with no inspection outcome recorded says so in words, in the reader’s language', { timeout: 60_000 }, async () => {
  const { context, page } = await signIn('fr');
  const problems: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/api/v1/risk/calibrations')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}/#/risk/calibration`);
  await page.getByRole('button', { name: 'Lancer le calibrage' }).click();
  await page
    .getByRole('status')
    .getByText(/^Rien sur quoi calibrer pour l’instant : aucun résultat de contrôle/)
    .waitFor();
  // no raw server error in a toast
  assert.equal(await page.getByText(/no inspection outcome is recorded yet/).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

const picture = (name: string) =>
  process.env.SEALWATCH_DOCS_SCREENSHOTS
    ? fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sealwatch-${process.pid}-${name}`);

test(
  'an officer chooses which incidents are e-mailed to them, from which severity, with quiet hours; the choice is kept',
  { timeout: 60_000 },
  async () => {
    const { context, page } = await signIn('en', 'officer.ke');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My notifications' }).click();
    await page.getByRole('heading', { name: 'My notifications' }).waitFor();
    await page.getByLabel('E-mail address (empty: no e-mail)').fill('joseph.mwangi@kra.example');
    const kinds = page.getByRole('group', { name: 'Kinds of incident' });
    assert.ok((await kinds.getByRole('checkbox').count()) > 3);
    await kinds.getByLabel('Device fault').uncheck();
    await page.getByRole('combobox', { name: /^From severity/ }).selectOption('major');
    await page.getByLabel('Only serious incidents at night or off duty').check();
    await page.getByLabel('From (24 h)').fill('21:30');
    await page.getByLabel('To (24 h)').fill('05:45');
    await page.getByLabel(/^Time zone/).fill('Africa/Nairobi');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Notification settings saved.').waitFor();
    // what the server kept, read back through a fresh page
    await page.reload();
    await page.getByRole('heading', { name: 'My notifications' }).waitFor();
    assert.equal(await page.getByLabel('E-mail address (empty: no e-mail)').inputValue(), 'joseph.mwangi@kra.example');
    assert.equal(await kinds.getByLabel('Device fault').isChecked(), false);
    assert.equal(await kinds.getByRole('checkbox', { checked: true }).count(), (await kinds.getByRole('checkbox').count()) - 1);
    assert.equal(await page.getByRole('combobox', { name: /^From severity/ }).inputValue(), 'major');
    assert.equal(await page.getByLabel('From (24 h)').inputValue(), '21:30');
    assert.equal(await page.getByLabel('To (24 h)').inputValue(), '05:45');
    assert.equal(await page.getByLabel(/^Time zone/).inputValue(), 'Africa/Nairobi');
    assert.equal(await page.getByRole('combobox', { name: /^During quiet hours/ }).inputValue(), 'critical');
    // (after the reload: the settings as stored, without the notice over the header)
    await page.screenshot({ path: picture('console-notifications.png'), fullPage: true });
    await context.close();
  },
);
