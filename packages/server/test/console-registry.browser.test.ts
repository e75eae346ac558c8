/**
 * The console's registry, device and oversight screens in a real browser (Debian's chromium
 * driven by playwright-core, never a downloaded browser), signed in as the demo users: a
 * supervisor draws an office area on the map and saves it; a device provider provisions a
 * generated key (private part shown once) and revokes it with a reason; an officer queues a remote
 * unlock for an arrived movement and watches its status change, and assigns an alert; an officer
 * opens the quarantine with the raw bytes of a rejected message; an auditor verifies the trail.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchTestBrowser } from './browser';
import { DEMO_PASSWORD, demoParty, SealwatchClient, seedDemoParties } from '@sealwatch/sim';
import { encodeEsealReport } from '@sealwatch/protocols/eseal/eseal-encoder';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { TcpTestClient, connectDevice, sleep } from '../src/transports/tcp-test-client';

const WAIT_MS = 15_000;
const NATIVE = 'REG-NATIVE-1';
/** An eSeal's id is digits on the wire. */
const ESEAL = '1000777';
/** A Ugandan officer: only the administration of the destination (Malaba, Uganda) may unlock there. */
const UG_OFFICER = 'officer.ug';
const ARRIVED_REFERENCE = 'MRN-26KE4000777777';
const TRANSIT_REFERENCE = 'MRN-26KE4000555555';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P | undefined;
let browser: Browser | undefined;
let base: string;
let nativeKey: KeyObject;
let transitId: string;
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

before(
  async () => {
    // Commands nobody answers expire after 10 s (the shortest TTL), so the console can be seen following one to its end.
    p = await startTestPlatform({ SEALWATCH_COMMAND_TTL_S: '10' });
    await p.listen();
    base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
    browser = await launchTestBrowser(WAIT_MS);
    await seedDemoParties(new SealwatchClient(fetch as never, base, TEST_TOKEN));
    await api('/api/v1/users', {
      username: UG_OFFICER,
      name: 'Ugandan officer',
      organisation: demoParty.ugandaCustoms,
      roles: ['officer'],
      password: DEMO_PASSWORD,
    });
    const keys = generateKeyPairSync('ed25519');
    nativeKey = keys.privateKey;
    for (const o of [mombasaOffice, malabaOffice]) await api('/api/v1/offices', o);
    await api('/api/v1/devices', {
      id: NATIVE,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      owner: demoParty.deviceProvider,
      key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: keys.publicKey.export({ format: 'jwk' }).x } },
    });
    await api('/api/v1/devices', { id: ESEAL, class: 'semi_active', kind: 'e_seal', protocol: 'eseal', reportIntervalS: 60 });
    const arrived = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: ARRIVED_REFERENCE, devices: [ESEAL], trader: demoParty.aeoTrader }),
    );
    await api(`/api/v1/movements/${arrived.id}/start`, {});
    await api(`/api/v1/movements/${arrived.id}/arrive`, {});
    const transit = await api(
      '/api/v1/movements',
      buildMovementBody({ reference: TRANSIT_REFERENCE, container: 'MSCU1234566', devices: [NATIVE], trader: demoParty.aeoTrader }),
    );
    transitId = transit.id;
    await api(`/api/v1/movements/${transitId}/start`, {});
  },
  { timeout: 30_000 },
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

function jws(payload: object, device = NATIVE, key = nativeKey): string {
  const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const input = `${b64({ alg: 'EdDSA', kid: device })}.${b64({ device, ...payload })}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

async function ingest(body: string): Promise<any> {
  const res = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/jose' }, body });
  return (await res.json()).results[0];
}

/** Signs in as a demo user in a fresh context; records console errors and failed requests, keeps requests on the origin. */
async function signIn(username: string, path = '/'): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  assert.ok(browser);
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' });
  await context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}/#${path}`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, problems };
}

async function close(context: BrowserContext, problems: string[]) {
  await context.close();
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
}

/** The pixel of a WGS84 position on the drawing map, relative to its canvas, from the view it publishes. */
async function mapPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  const [k, x, y] = (await page.locator('.sketch').first().getAttribute('data-view'))!.split(',').map(Number);
  const phi = (lat * Math.PI) / 180;
  const wx = ((lon + 180) / 360) * 256;
  const wy = (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * 256;
  return { x: wx * k + x, y: wy * k + y };
}

async function clickMap(page: Page, lon: number, lat: number) {
  await page
    .locator('.sketch canvas')
    .first()
    .click({ position: await mapPoint(page, lon, lat) });
}

test('a supervisor draws an office area on the map (clicks, a typed point, undo) and saves it', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signIn('supervisor.ug', '/offices');
  await page.getByRole('heading', { name: 'Offices' }).waitFor();
  await page.getByRole('row', { name: /KEMBA/ }).waitFor();
  await page.getByLabel('Code').fill('UGBUS');
  await page.getByLabel('Name').fill('Busia border post');
  await page.getByLabel('Country').fill('UG');
  await page.locator('.sketch[data-basemap="ready"]').waitFor();
  // the map fits itself to the registered offices once they are loaded (Mombasa to Malaba)
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.sketch')?.dataset.view?.split(',')[0]) > 50);
  // zoom in 4× on Malaba with the wheel (an office of Uganda, the supervisor's country, at most 5 km across)
  const box = (await page.locator('.sketch canvas').first().boundingBox())!;
  const at = await mapPoint(page, 34.27, 0.64);
  const before = await page.locator('.sketch').first().getAttribute('data-view');
  await page.mouse.move(box.x + at.x, box.y + at.y);
  await page.mouse.wheel(0, -500 * Math.log(4));
  await page.waitForFunction((v) => document.querySelector<HTMLElement>('.sketch')?.dataset.view !== v, before);
  // the map opens on the registered offices; three clicks around Malaba, one wrong click undone
  await clickMap(page, 34.25, 0.66);
  await clickMap(page, 34.29, 0.66);
  await clickMap(page, 34.2, 0.7);
  await page.getByRole('button', { name: 'Undo' }).click();
  await clickMap(page, 34.29, 0.62);
  // the keyboard path: a typed coordinate adds the last vertex
  await page.getByLabel('Latitude, longitude').fill('0.62, 34.25');
  await page.getByRole('button', { name: 'Add point' }).click();
  const points = page.getByRole('list', { name: 'Points' }).getByRole('listitem');
  assert.equal(await points.count(), 4);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('row', { name: /UGBUS/ }).getByText('polygon, 4 points').waitFor();
  const office = await api('/api/v1/offices/UGBUS');
  const ring = office.area.coordinates[0] as number[][];
  assert.equal(ring.length, 5);
  assert.deepEqual(ring[0], ring[4]);
  assert.ok(Math.abs(ring[0][0] - 34.25) < 0.01 && Math.abs(ring[0][1] - 0.66) < 0.01, `first vertex ${ring[0]}`);
  assert.ok(Math.abs(ring[1][0] - 34.29) < 0.01, `second vertex ${ring[1]}`);
  assert.ok(Math.abs(ring[2][1] - 0.62) < 0.01, `the undone click is gone: ${ring[2]}`);
  assert.deepEqual(ring[3], [34.25, 0.62]);
  await close(context, problems);
});

test(
  'a device provider provisions a generated key (private part shown once), sees it listed, and revokes it with a reason',
  { timeout: 60_000 },
  async () => {
    const { context, page, problems } = await signIn('provider', `/devices/${NATIVE}`);
    await page.getByRole('heading', { name: `Device ${NATIVE}` }).waitFor();
    const keys = page.getByRole('table', { name: 'Keys' });
    await keys.getByRole('row', { name: /EdDSA active/ }).waitFor();
    await page.getByRole('region', { name: 'Battery and forecast' }).getByText('No battery reading in the last two days.').waitFor();
    await page.getByLabel('Algorithm').selectOption('ES256');
    // The device is armed on a movement in transit: a key change says why (the API requires it) and raises an alert there.
    await page.getByLabel('Reason for the change').fill('secure element replaced in service');
    await page.getByRole('button', { name: 'Provision a key' }).click();
    const secret = page.getByRole('region', { name: 'Private part of the key' });
    await secret.waitFor();
    const privateJwk = JSON.parse((await secret.textContent())!);
    assert.equal(privateJwk.kty, 'EC');
    assert.ok(privateJwk.d, 'the private part is shown');
    const listed = await api(`/api/v1/devices/${NATIVE}/keys`);
    const added = listed.items.find((k: any) => k.alg === 'ES256');
    assert.ok(added && !JSON.stringify(listed).includes(privateJwk.d), 'listed without its private part');
    const keyChangeAlerts = async () =>
      (await api(`/api/v1/alerts?movement=${transitId}`)).items
        .filter((a: any) => a.type === 'device_key_changed')
        .map((a: any) => ({ change: a.details.change, reason: a.details.reason }));
    assert.deepEqual(
      await keyChangeAlerts(),
      [{ change: 'provisioned', reason: 'secure element replaced in service' }],
      'the change raised an alert on the movement, with its reason',
    );
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await secret.waitFor({ state: 'detached' });
    await keys.getByRole('row', { name: new RegExp(`${added.keyId} ES256 active`) }).waitFor();

    await page.getByRole('button', { name: `Revoke key ${added.keyId}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke key ${added.keyId}` });
    await dialog.getByLabel('Reason').fill('secure element replaced');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await keys.getByRole('row', { name: new RegExp(`${added.keyId} ES256 revoked .*secure element replaced`) }).waitFor();
    const after = (await api(`/api/v1/devices/${NATIVE}/keys`)).items.find((k: any) => k.keyId === added.keyId);
    assert.equal(after.status, 'revoked');
    assert.equal(after.revokedReason, 'secure element replaced');
    // the revocation too is a key change on that movement: its open alert now carries the latest change
    assert.deepEqual(await keyChangeAlerts(), [{ change: 'revoked', reason: 'secure element replaced' }]);
    await close(context, problems);
  },
);

test(
  'an officer queues a remote unlock for an arrived movement and watches the command until it expires unanswered',
  { timeout: 90_000 },
  async () => {
    // The eSeal reports from inside the Malaba office a moment before (an unlock needs a fresh position there), then goes away.
    const device = new TcpTestClient(await connectDevice(p!.listeners().eseal));
    await device.write(
      encodeEsealReport({
        deviceId: ESEAL,
        type: 'Normal',
        index: 1,
        time: new Date().toISOString(),
        fix: true,
        lat: 0.635,
        lon: 34.275,
        course: 0,
        speed: 0,
        door: 'Close',
        acceleration: 0,
        nfc: '0',
        battery: 3.9,
        rssi: -70,
      }),
    );
    assert.match((await device.readBytes(10)).toString('latin1'), /^##S,eSeal,/, 'the report is acknowledged once stored');
    device.end();
    for (let i = 0; !(await api(`/api/v1/devices/${ESEAL}`)).position; i++) {
      assert.ok(i < 200, "the report's position reaches the device state");
      await sleep(50);
    }

    // Kenya's administration (the departure's) is refused, and the console says why.
    const ke = await signIn('officer.ke', `/devices/${ESEAL}`);
    await ke.page.getByRole('heading', { name: `Device ${ESEAL}` }).waitFor();
    await ke.page.getByLabel('Movement').selectOption({ label: `${ARRIVED_REFERENCE} · ${malabaOffice.code}` });
    await ke.page.getByLabel('Reason').fill('goods released at Malaba after inspection');
    await ke.page.getByRole('button', { name: 'Queue the unlock' }).click();
    await ke.page.getByText(/only the customs administration of the office of destination \(UG\)/).waitFor();
    assert.deepEqual((await api(`/api/v1/devices/${ESEAL}/commands`)).items, []);
    assert.deepEqual(
      ke.problems.splice(0).filter((m) => !m.startsWith('console: Failed to load resource: the server responded with a status of 403')),
      [`HTTP 403: ${base}/api/v1/devices/${ESEAL}/commands`],
      'only the refused unlock failed',
    );
    await close(ke.context, ke.problems);

    const { context, page, problems } = await signIn(UG_OFFICER, `/devices/${ESEAL}`);
    await page.getByRole('heading', { name: `Device ${ESEAL}` }).waitFor();
    await page.getByText('This device takes: unlock, custom.').waitFor();
    await page.getByLabel('Movement').selectOption({ label: `${ARRIVED_REFERENCE} · ${malabaOffice.code}` });
    await page.getByLabel('Reason').fill('goods released at Malaba after inspection');
    await page.getByRole('button', { name: 'Queue the unlock' }).click();
    const commands = page.getByRole('table', { name: 'Remote commands' });
    await commands.getByRole('row', { name: new RegExp(`unlock queued ${ARRIVED_REFERENCE} goods released at Malaba`) }).waitFor();
    const [queued] = (await api(`/api/v1/devices/${ESEAL}/commands`)).items;
    assert.equal(queued.type, 'unlock');
    assert.equal(queued.reason, 'goods released at Malaba after inspection');
    // Nobody answers (no eSeal is connected): the console follows it to `expired` without a reload.
    await commands.getByRole('row', { name: /unlock expired/ }).waitFor({ timeout: 30_000 });
    assert.equal((await api(`/api/v1/commands/${queued.id}`)).status, 'expired');
    await close(context, problems);
  },
);

test('an officer assigns a live incident to a response unit; its alert follows', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signIn('officer.ke', '/');
  const queue = page.getByRole('region', { name: /^Incident queue/ });
  // the key changes of the previous test are an incident on the movement already; no seal incident yet
  await queue
    .getByRole('button', { name: new RegExp(`^Assign .+ on ${TRANSIT_REFERENCE}`) })
    .first()
    .waitFor();
  assert.equal(await queue.getByRole('button', { name: new RegExp(`^Assign Seal broken on ${TRANSIT_REFERENCE}`) }).count(), 0);
  assert.equal(
    (
      await ingest(
        jws({
          seq: 1,
          time: new Date().toISOString(),
          position: { lat: -3.5, lon: 38.9 },
          seal: { state: 'tampered', rope: 'inserted', lock: 'locked' },
        }),
      )
    ).status,
    'accepted',
  );
  await queue.getByRole('button', { name: new RegExp(`^Assign Seal broken on ${TRANSIT_REFERENCE}`) }).click();
  const dialog = page.getByRole('dialog', { name: 'Assign incident' });
  // the officers of Kenya's administration are offered by name; a response unit is typed
  await dialog.getByLabel('Assign to').selectOption({ label: 'Another person or a response unit…' });
  await dialog.getByLabel('Assignee (person or response unit)').fill('Mobile unit Voi-2');
  await dialog.getByRole('button', { name: 'Assign' }).click();
  await queue.getByText('assigned to Mobile unit Voi-2').waitFor();
  const [alert, ...others] = (await api(`/api/v1/alerts?movement=${transitId}`)).items.filter((a: any) => a.type !== 'device_key_changed');
  assert.deepEqual(others, []);
  assert.equal(alert.status, 'assigned');
  assert.equal(alert.assignee, 'Mobile unit Voi-2');
  await close(context, problems);
});

test(
  'an officer opens the quarantine, filters by reason and reads a rejected message as text and as a hex dump',
  { timeout: 60_000 },
  async () => {
    // a message signed with another key: bad_signature, quarantined with its bytes
    const forged = jws(
      { seq: 50, time: new Date().toISOString(), seal: { state: 'open' } },
      NATIVE,
      generateKeyPairSync('ed25519').privateKey,
    );
    assert.equal((await ingest(forged)).reason, 'bad_signature');
    const { context, page, problems } = await signIn('officer.ke', '/quarantine');
    await page.getByRole('heading', { name: 'Quarantine' }).waitFor();
    await page.getByRole('search', { name: 'Filters' }).locator('select').selectOption('bad_signature');
    await page.getByRole('button', { name: 'Apply' }).click();
    const entries = page.getByRole('list', { name: 'Rejected inputs' });
    const entry = entries.getByRole('listitem').filter({ hasText: 'Bad signature' }).filter({ hasText: NATIVE }).first();
    await entry.locator('summary').click();
    await entry.getByRole('radio', { name: 'text' }).check();
    assert.equal(await entry.getByRole('region', { name: 'Raw bytes' }).textContent(), forged);
    await entry.getByRole('radio', { name: 'hex' }).check();
    assert.match((await entry.getByRole('region', { name: 'Raw bytes' }).textContent())!, /^00000000 {2}65 79 4a /);
    await close(context, problems);
  },
);

test('an auditor sees the server key thumbprint, verifies the trail, and reads that it is intact', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signIn('auditor', '/audit');
  const key = await api('/api/v1/audit/key');
  await page.locator('#audit-thumbprint').getByText(key.keyId).waitFor();
  await page.getByRole('button', { name: 'Verify now' }).click();
  await page
    .getByRole('status')
    .getByText(/^Intact: [\d,]+ entries and \d+ signed checkpoints verified/)
    .waitFor();
  await page.getByRole('table', { name: 'Entries' }).getByRole('row').nth(1).waitFor();
  await close(context, problems);
});

test(
  'a device provider hands its device over to a trader on the custody screen, sees the grant, and ends it',
  { timeout: 60_000 },
  async () => {
    const { context, page, problems } = await signIn('provider', `/devices/${NATIVE}`);
    const custody = page.getByRole('region', { name: 'Custody' });
    // The device seals Pwani's movement in transit: the provider is told it is armed, not which movement.
    await custody.getByText('Armed on a movement of another party').waitFor();
    assert.ok(!((await custody.textContent()) ?? '').includes(transitId), 'the movement is not named to the provider');
    await custody.getByLabel('Organisation id of the holder').fill(demoParty.trader);
    await custody.getByRole('button', { name: 'Hand over' }).click();
    const row = custody.getByRole('row', { name: new RegExp(demoParty.trader) });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /until ended/);
    await page.screenshot({ path: '/tmp/trust-custody.png', fullPage: true });
    const grants = await api(`/api/v1/devices/${NATIVE}/custody`);
    assert.deepEqual(
      grants.items.map((g: { holder: string; to: string | null }) => [g.holder, g.to]),
      [[demoParty.trader, null]],
    );
    await row.getByRole('button', { name: 'End' }).click();
    await row.getByRole('button', { name: 'End' }).waitFor({ state: 'detached' });
    assert.ok((await api(`/api/v1/devices/${NATIVE}/custody`)).items[0].to, 'the grant was ended through the API');
    await close(context, problems);
  },
);
