/**
 * A movement handed over by a partner administration, in the console of the receiving one, in a
 * real browser: Kenya (KRA) announces a Mombasa→Kampala movement to Uganda (URA), two real
 * installations over real HTTP, and shares the positions made inside Uganda. Uganda's supervisor
 * sees it in the movements register with a read-only badge "from KRA, movement …", and on its page
 * the badge, the note on what may be done here, the track Kenya shared and only the arrival as a
 * lifecycle step; the same in French and in Arabic (right to left). The control results form says
 * what each NCTS code means, in the three languages; the partners screen registers a partner, asks
 * for a confirmation before pinning a partner's new key and before ending a partnership (saying
 * what becomes of the shared copies on both sides).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { generateKeyPairSync, sign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { DEMO_PASSWORD, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { launchTestBrowser } from './browser';
import { buildMovementBody, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { rotateServerKey } from '../src/audit/server-key';

const WAIT_MS = 15_000;
const kampalaOffice = { code: 'UGKLA', name: 'Kampala ICD', country: 'UG', area: { center: { lat: 0.3136, lon: 32.5811 }, radiusM: 2000 } };
const agreement = { fields: ['position'], positionsInside: 'partner_territory', retentionDays: 30 };
const picture = (name: string) =>
  process.env.SEALWATCH_DOCS_SCREENSHOTS
    ? fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sealwatch-${process.pid}-${name}`);

/** Screenshots of the partner actions and the control codes, to look at: /tmp/sealwatch-federation-<name>.png. */
const shot = (name: string) => join(tmpdir(), `sealwatch-federation-${name}.png`);

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let kenya: P | undefined, uganda: P | undefined;
let browser: Browser | undefined;
let kenyaUrl: string, ugandaUrl: string;
let copyId: string;
let originId: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
const identity = (administration: string, country: string, port: number) => ({
  SEALWATCH_ADMINISTRATION: administration,
  SEALWATCH_ADMINISTRATION_NAME: `${administration} customs`,
  SEALWATCH_COUNTRY: country,
  SEALWATCH_PUBLIC_URL: `http://127.0.0.1:${port}`,
  SEALWATCH_HTTP_PORT: String(port),
  SEALWATCH_TRANSIT_EVAL_S: '0',
});
async function api(base: string, path: string, body?: unknown): Promise<any> {
  const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
  const r = await fetch(base + path, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await r.text();
  assert.ok(r.status < 300, `${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}
async function exchange(): Promise<void> {
  for (const p of [kenya!, uganda!]) {
    await p.ctx.processor.idle();
    await p.federation!.relay.idle();
  }
  await kenya!.federation!.outbox.deliver();
  await uganda!.ctx.processor.idle();
}

before(
  async () => {
    const [kp, up] = [await freePort(), await freePort()];
    kenya = await startTestPlatform(identity('KRA', 'KE', kp));
    uganda = await startTestPlatform(identity('URA', 'UG', up));
    await kenya.listen();
    await uganda.listen();
    kenyaUrl = `http://127.0.0.1:${kp}`;
    ugandaUrl = `http://127.0.0.1:${up}`;
    await seedDemoParties(new SealwatchClient(fetch as never, ugandaUrl, TEST_TOKEN));
    await api(kenyaUrl, '/api/v1/federation/partners', { url: ugandaUrl, agreement });
    await api(ugandaUrl, '/api/v1/federation/partners', { url: kenyaUrl, agreement });
    for (const o of [mombasaOffice, kampalaOffice]) await api(kenyaUrl, '/api/v1/offices', o);
    await api(ugandaUrl, '/api/v1/offices', kampalaOffice);

    const device = generateKeyPairSync('ed25519');
    await api(kenyaUrl, '/api/v1/devices', {
      id: 'FED-UI-1',
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: device.publicKey.export({ format: 'jwk' }).x } },
    });
    const declared = await api(
      kenyaUrl,
      '/api/v1/movements',
      buildMovementBody({
        reference: 'MRN-26KE7000123456',
        devices: ['FED-UI-1'],
        destinationOffice: 'UGKLA',
        route: {
          type: 'LineString',
          coordinates: [
            [39.6682, -4.0435],
            [36.8219, -1.2921],
            [34.2766, 0.6346],
            [32.5811, 0.3136],
          ],
        },
      }),
    );
    originId = declared.id;
    await api(kenyaUrl, `/api/v1/movements/${declared.id}/start`, { time: new Date(Date.now() - 3_600_000).toISOString() });
    await exchange();
    // Across the border at Malaba and on towards Kampala.
    const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    const road = [
      [0.58, 34.1],
      [0.5, 33.95],
      [0.45, 33.6],
      [0.42, 33.4],
      [0.4, 33.2],
    ];
    for (const [i, [lat, lon]] of road.entries()) {
      const payload = {
        device: 'FED-UI-1',
        seq: i + 1,
        time: new Date(Date.now() - (40 - i * 6) * 60_000).toISOString(),
        position: { lat, lon },
        seal: { state: 'closed' },
      };
      const input = `${b64({ alg: 'EdDSA', kid: 'FED-UI-1' })}.${b64(payload)}`;
      const jws = `${input}.${sign(null, Buffer.from(input), device.privateKey).toString('base64url')}`;
      const r = await fetch(`${kenyaUrl}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jws });
      assert.equal((await r.json()).results[0].status, 'accepted');
    }
    await exchange();
    const copy = (await api(ugandaUrl, '/api/v1/movements')).items.find((m: any) => m.origin?.movement === originId);
    assert.ok(copy, 'announced to Uganda');
    copyId = copy.id;
    browser = await launchTestBrowser(WAIT_MS);
  },
  { timeout: 120_000 },
);

after(async () => {
  await browser?.close();
  await kenya?.cleanup();
  await uganda?.cleanup();
});

async function signIn(path: string) {
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  await context.route(
    (url) => url.origin !== ugandaUrl,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${ugandaUrl}${path}`);
  await page.getByLabel('User name').fill('supervisor.ug');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, problems };
}

test("Uganda's supervisor sees Kenya's movement as handed over: the origin badge in the register and on its page, the shared track, only its arrival to record", async () => {
  const short = `${originId.slice(0, 8)}…`;
  const { context, page, problems } = await signIn('/#/movements');
  try {
    const row = page.getByRole('row', { name: /MRN-26KE7000123456/ });
    await row.getByText(`from KRA, movement ${short}`).waitFor();

    await page.goto(`${ugandaUrl}/#/movements/${encodeURIComponent(copyId)}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.getByText(`from KRA, movement ${short}`).waitFor();
    await page.getByText('Handed over by KRA: read-only here').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Arrive', exact: true }).count(), 1, 'its arrival is Uganda’s to record');
    assert.equal(
      await page.getByRole('button', { name: /^(Start \(departure\)|End control)$/ }).count(),
      0,
      'nothing else of its lifecycle',
    );
    // The devices fact names the feed of what Kenya shares; the seal history lists its readings.
    await page.getByText(`federation:KRA:${originId}`).first().waitFor();
    const track = await api(ugandaUrl, `/api/v1/movements/${copyId}/track`);
    assert.equal(track.features[0].properties.positions, 5, 'the five fixes made inside Uganda');
    await page.screenshot({ path: picture('console-federation-movement.png') });

    await page.getByLabel('Language').selectOption('fr');
    await heading.getByText(`de KRA, mouvement ${short}`).waitFor();
    await page.getByText('Transmis par KRA : en lecture seule ici').waitFor();
    await page.getByLabel('Langue').selectOption('ar');
    await heading.getByText(`من KRA، الحركة ${short}`).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.screenshot({ path: picture('console-federation-movement-ar.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the control results form says what each NCTS code means, A1 to B1, in English, French and Arabic, and points seals not intact to A5 or B1', async () => {
  const { context, page, problems } = await signIn(`/#/movements/${encodeURIComponent(copyId)}`);
  try {
    // Its heading, and so its name, changes with the language.
    const form = page.locator('section[aria-labelledby="control-heading"]');
    await page.getByRole('region', { name: 'Control results' }).waitFor();
    const code = form.getByLabel('Control result (NCTS code)');
    await code.waitFor();
    const options = await code.locator('option').allTextContents();
    assert.deepEqual(
      options.map((o) => o.slice(0, 2)),
      ['A1', 'A2', 'A3', 'A4', 'A5', 'B1'],
    );
    for (const o of options) assert.ok(o.length > 30, `${o}: explained in words`);
    assert.ok(
      options.includes(
        'A3 — simplified procedure: no customs control, the goods moved under an authorisation (e.g. released by an authorised consignor)',
      ),
    );
    assert.ok(
      options.includes(
        'A5 — seals not in good order (missing, damaged or not as declared), no other major discrepancy; with major ones, choose B1',
      ),
    );
    await code.selectOption('A5');
    await form.getByText('What A5 means: seals not in good order (missing, damaged or not as declared)').waitFor();
    await code.selectOption('A1');
    await form.getByLabel('seals not intact').check();
    await form.getByText('Seals not intact: NCTS records this as A5, or B1 if there are major discrepancies.').waitFor();
    await page.screenshot({ path: shot('control-codes') });
    await code.selectOption('A5');
    assert.equal(await form.getByText('Seals not intact: NCTS records this').count(), 0, 'A5 is what the hint asks for');

    await page.getByLabel('Language').selectOption('fr');
    await form.getByText('Ce que signifie A5 : scellés en mauvais état').waitFor();
    const codeFr = form.getByLabel('Résultat de contrôle (code NCTS)');
    assert.ok((await codeFr.locator('option').allTextContents()).some((o) => o.startsWith('A5 — scellés en mauvais état')));
    await page.getByLabel('Langue').selectOption('ar');
    await form.getByText('معنى A5: الأختام ليست في حالة جيدة').waitFor();
    const codeAr = form.getByLabel('نتيجة المراقبة (رمز NCTS)');
    const arabic = await codeAr.locator('option').allTextContents();
    assert.ok(
      arabic.some((o) => o.startsWith('A3 — إجراء مبسّط')),
      arabic.join(' | '),
    );
    await page.screenshot({ path: shot('control-codes-ar') });
    await page.getByLabel('اللغة').selectOption('en');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Uganda's supervisor records the control results through the form, with the codes in plain words; Kenya sees them on its own movement", async () => {
  const { context, page, problems } = await signIn(`/#/movements/${encodeURIComponent(copyId)}`);
  try {
    const form = page.getByRole('region', { name: 'Control results' });
    await form.getByText('No control results recorded yet.').waitFor();
    const code = form.getByLabel('Control result (NCTS code)');
    assert.ok(
      (await code.locator('option').allTextContents()).includes(
        'B1 — not satisfactory: major discrepancies, to be followed up by the origin',
      ),
    );
    await code.selectOption('B1');
    await form.getByLabel('seals not intact').check();
    await form.getByRole('textbox', { name: 'Comment' }).fill('seal 2 cut, container re-sealed at Kampala ICD');
    await form.getByRole('button', { name: 'Record control results' }).click();
    await form.getByRole('status').getByText('Recorded: B1 (not satisfactory').waitFor();
    await page.screenshot({ path: picture('console-federation-control-results.png') });
    const copy = await api(ugandaUrl, `/api/v1/movements/${copyId}`);
    assert.deepEqual(
      { result: copy.controlResults.result, stateOfSeals: copy.controlResults.stateOfSeals, comment: copy.controlResults.comment },
      { result: 'B1', stateOfSeals: 'not_ok', comment: 'seal 2 cut, container re-sealed at Kampala ICD' },
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // Sent back: Uganda's outbox delivers to Kenya, whose console shows them on the origin movement.
  await uganda!.federation!.relay.idle();
  await uganda!.federation!.outbox.deliver();
  await kenya!.ctx.processor.idle();
  const origin = await api(kenyaUrl, `/api/v1/movements/${originId}`);
  assert.equal(origin.sharedWith[0].controlResults?.result, 'B1');
  const visit = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const p = await visit.newPage();
    p.setDefaultTimeout(WAIT_MS);
    await p.goto(`${kenyaUrl}/#token=${TEST_TOKEN}`);
    await p.getByRole('button', { name: 'Sign out' }).waitFor();
    await p.goto(`${kenyaUrl}/#/movements/${encodeURIComponent(originId)}`);
    await p
      .getByText(
        'URA: control result B1, seals not intact (not satisfactory: major discrepancies, to be followed up by the origin) · seal 2 cut',
      )
      .waitFor();
    await p.screenshot({ path: picture('console-federation-control-results-origin.png') });
  } finally {
    await visit.close();
  }
});

test("Uganda's administrator registers a partner by the URL of its installation, with the agreement, on the partners screen", async () => {
  const port = await freePort();
  const rwanda = await startTestPlatform(identity('RRA', 'RW', port));
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    await rwanda.listen();
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(`${ugandaUrl}/#token=${TEST_TOKEN}`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${ugandaUrl}/#/admin/partners`);
    const form = page.getByRole('form', { name: 'Register a partner' });
    await form.getByLabel('Address of its installation').fill(`http://127.0.0.1:${port}`);
    await form.getByLabel('goods').check();
    await form.getByLabel('Positions shared').selectOption('whole_route');
    await form.getByLabel('Days its copies are kept after they end').fill('14');
    await form.getByRole('button', { name: 'Register partner' }).click();
    const row = page.getByRole('row', { name: /RRA/ });
    await row.getByText('positions on the whole route').waitFor();
    await page.screenshot({ path: picture('console-federation-register-partner.png') });
    const rra = (await api(ugandaUrl, '/api/v1/federation/partners')).items.find((p: any) => p.administration === 'RRA');
    assert.deepEqual(rra.agreement, { fields: ['position', 'seal', 'goods'], positionsInside: 'whole_route', retentionDays: 14 });

    // Rwanda rotates its federation key: Uganda's admin compares the key ids before pinning the new one.
    await rotateServerKey(rwanda.ctx.store.settings, rwanda.secrets, new Date().toISOString(), 'federation');
    await uganda!.federation!.partners.checkKeys('RRA');
    // Uganda's own law keeps Rwanda's positions a week, less than the agreement's 14 days.
    await fetch(`${ugandaUrl}/api/v1/federation/partners/RRA/retention`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ position: 7 }),
    }).then((r) => assert.equal(r.status, 200));
    await page.reload();
    await row.getByText('kept here: positions 7 days').waitFor();
    await row.getByRole('button', { name: 'Accept new key' }).click();
    const accept = page.getByRole('dialog', { name: 'Accept the new key of RRA customs?' });
    await accept.getByText('compare the new key id with the partner’s administration by phone or by letter').waitFor();
    const published = (await (await fetch(`http://127.0.0.1:${port}/.well-known/sealwatch-federation`)).json()).jwks.keys;
    for (const k of published) await accept.getByText(k.kid, { exact: true }).last().waitFor();
    assert.equal(await accept.getByText('(new)').count(), 1, 'the one key not pinned yet is marked');
    await page.screenshot({ path: shot('accept-key') });
    await accept.getByRole('button', { name: 'Cancel' }).click();
    assert.notEqual((await api(ugandaUrl, '/api/v1/federation/partners/RRA')).pendingKeys, null, 'cancelled: nothing pinned');
    await row.getByRole('button', { name: 'Accept new key' }).click();
    await accept.getByRole('button', { name: 'Accept new key' }).click();
    await page.getByText('The new key of RRA customs is pinned.').waitFor();
    const pinned = await api(ugandaUrl, '/api/v1/federation/partners/RRA');
    assert.equal(pinned.pendingKeys, null);
    assert.deepEqual(pinned.keys.map((k: any) => k.kid).sort(), published.map((k: any) => k.kid).sort());

    // Ending the partnership says what becomes of the shared copies, and needs the id typed out.
    await row.getByRole('button', { name: 'End partnership' }).click();
    const end = page.getByRole('dialog', { name: 'End the partnership with RRA customs?' });
    await end.getByText('Nothing more is sent to RRA customs').waitFor();
    await end
      .getByText(
        'The copies of its movements kept here stay, read-only; those still in transit end now. Each is purged 14 days after it ended here.',
      )
      .waitFor();
    await end.getByText('Your own shorter retention still applies: positions 7 days.').waitFor();
    await end.getByText('What RRA customs has already received stays there').waitFor();
    const confirm = end.getByRole('button', { name: 'End partnership' });
    assert.equal(await confirm.isDisabled(), true, 'not before the id is typed');
    await end.getByLabel('Type RRA to confirm').fill('RRA');
    await page.screenshot({ path: shot('end-partnership') });
    await confirm.click();
    await page.getByText('The partnership with RRA customs is ended.').waitFor();
    await row.getByText('Ended').waitFor();
    assert.ok((await api(ugandaUrl, '/api/v1/federation/partners/RRA')).endedAt);
    assert.equal(await row.getByRole('button', { name: 'End partnership' }).count(), 0);
    await page.screenshot({ path: shot('partners-ended') });
  } finally {
    await context.close();
    await rwanda.cleanup();
  }
});
