/**
 * What the adversarial pass of 2026-12-07 found with custody, reproduced through the real
 * platform: an administration borrowing another party's device by naming it the movement's
 * "trader", a declaration showing where a device was before, a departure backdated to a time
 * when the device was elsewhere, a trader reading customs notes in the trip report, and audit
 * entries naming movements outside the reader's scope.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, consentToLend, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const offices = [
  { code: 'KEMBA', name: 'Mombasa Port', country: 'KE', area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 3000 } },
  { code: 'UGKLA', name: 'Kampala', country: 'UG', area: { center: { lat: 0.3136, lon: 32.5811 }, radiusM: 3000 } },
  { code: 'TZDAR', name: 'Dar es Salaam Port', country: 'TZ', area: { center: { lat: -6.842, lon: 39.288 }, radiusM: 2500 } },
];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('custody cannot be borrowed, nor a departure reach back to where a device was before', () => {
  let p: P;
  const tokens: Record<string, string> = {};
  const keys = {
    'UG-LOCK': generateDeviceKey('EdDSA'),
    'TZ-LOCK': generateDeviceKey('EdDSA'),
    'KE-LOCK': generateDeviceKey('EdDSA'),
    'NBI-LOCK': generateDeviceKey('EdDSA'),
  };
  const seqs: Record<string, number> = {};
  let lateStarted = '';

  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    p.http.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });
  const report = async (device: keyof typeof keys, time: string, position: { lat: number; lon: number }) => {
    seqs[device] = (seqs[device] ?? 0) + 1;
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      payload: { messages: [signMessage(keys[device], { device, seq: seqs[device], time, position, seal: { state: 'closed' } })] },
    });
    assert.equal(r.json().results[0].status, 'accepted', r.body);
  };
  const declare = (token: string, over: object) =>
    call('POST', '/api/v1/movements', token, { ...buildMovementBody(), destinationOffice: 'UGKLA', authorizedStops: [], ...over });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [
      { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
      { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' },
      { id: 'kilimanjaro', name: 'Kilimanjaro Transit', kind: 'trader' },
      { id: 'sealtrack', name: 'Sealtrack Devices', kind: 'device_provider' },
    ])
      assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
    for (const [name, org, role] of [
      ['officer.ke', 'kra', 'officer'],
      ['officer.ug', 'ura', 'supervisor'],
      ['trader', 'kilimanjaro', 'trader'],
      ['provider', 'sealtrack', 'device_provider'],
      ['admin.ke', 'kra', 'admin'],
      ['admin.ug', 'ura', 'admin'],
    ]) {
      const u = await admin('POST', '/api/v1/users', {
        username: name,
        name,
        organisation: org,
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      assert.equal(u.statusCode, 201, u.body);
      tokens[name] = (await admin('POST', '/api/v1/tokens', { name, user: u.json().id })).json().token;
    }
    for (const o of offices) assert.equal((await admin('POST', '/api/v1/offices', o)).statusCode, 201);
    // Kilimanjaro lends its devices to both administrations (lending consent is tested in lending-consent.test.ts).
    await consentToLend(p, 'kilimanjaro', ['kra', 'ura']);
    for (const [id, holder] of [
      ['UG-LOCK', 'ura'],
      ['TZ-LOCK', 'kilimanjaro'],
      ['KE-LOCK', 'kilimanjaro'],
      ['NBI-LOCK', 'kilimanjaro'],
    ] as const) {
      const d = await call('POST', '/api/v1/devices', tokens.provider, {
        id,
        class: 'active',
        kind: 'e_lock',
        protocol: 'native',
        key: keys[id].registration,
      });
      assert.equal(d.statusCode, 201, d.body);
      const g = await call('POST', `/api/v1/devices/${id}/custody`, tokens.provider, { holder, from: minutesAgo(5 * 60) });
      assert.equal(g.statusCode, 201, g.body);
    }
    // Uganda's own lock around Kampala and the trader's lock in Tanzania, over the last two hours;
    // the other trader lock waits at Mombasa port, then drives off towards Nairobi.
    for (let i = 120; i >= 10; i -= 10) {
      await report('UG-LOCK', minutesAgo(i), { lat: 0.3159, lon: 32.58 });
      await report('TZ-LOCK', minutesAgo(i), { lat: -6.4 + i / 1000, lon: 37.0 });
    }
    await report('KE-LOCK', minutesAgo(50), { lat: -4.04, lon: 39.66 });
    await report('KE-LOCK', minutesAgo(30), { lat: -3.95, lon: 39.55 });
    // A lock that reported once, from Nairobi (440 km from Mombasa), then fell silent.
    await report('NBI-LOCK', minutesAgo(60), { lat: -1.2921, lon: 36.8219 });
    await p.ctx.processor.idle();
  });
  after(() => p.stop());

  test("another administration, or an organisation that does not exist, named as 'trader' lends no custody (422 device_not_in_custody)", async () => {
    for (const trader of ['ura', 'nonexistent-org']) {
      const r = await declare(tokens['officer.ke'], { devices: ['UG-LOCK'], trader });
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json().code, 'device_not_in_custody');
    }
    // Uganda declares with its own lock as before.
    const own = await declare(tokens['officer.ug'], { devices: ['UG-LOCK'], departureOffice: 'UGKLA', destinationOffice: 'KEMBA' });
    assert.equal(own.statusCode, 201, own.body);
  });

  test("a declaration shows no position from before the movement started, in its answer or the device's", async () => {
    const m = await declare(tokens['officer.ke'], { devices: ['TZ-LOCK'], trader: 'kilimanjaro' });
    assert.equal(m.statusCode, 201, m.body);
    assert.equal(m.json().live.position, null);
    const listed = (await call('GET', `/api/v1/movements?reference=${m.json().reference}`, tokens['officer.ke'])).json().items[0];
    assert.equal(listed.live.position, null);
    const device = (await call('GET', '/api/v1/devices/TZ-LOCK', tokens['officer.ke'])).json();
    assert.equal(device.position, null);

    // A departure reaching back to when the lock was in Tanzania, 450 km from Mombasa, is refused,
    // and with it the lock's earlier track.
    const back = await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens['officer.ke'], { time: minutesAgo(100) });
    assert.equal(back.statusCode, 422, back.body);
    assert.equal(back.json().code, 'backdated_start');
    assert.doesNotMatch(back.body, /-6\.|37\.0/, 'the refusal does not tell where the device was');
    const now = await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens['officer.ke'], {});
    assert.equal(now.statusCode, 200, now.body);
    const track = (await call('GET', `/api/v1/movements/${m.json().id}/track`, tokens['officer.ke'])).json();
    assert.equal(JSON.stringify(track).includes('-6.3'), false, 'no fix from Tanzania on the track');
  });

  test("a departure cannot be backdated into a gap after the device's last fix, when the device could not have reached the office since", async () => {
    const m = await declare(tokens['officer.ke'], { devices: ['NBI-LOCK'], trader: 'kilimanjaro' });
    assert.equal(m.statusCode, 201, m.body);
    // No fix after 59 minutes ago, but the one before (Nairobi, a minute earlier) rules Mombasa out.
    const gap = await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens['officer.ke'], { time: minutesAgo(59) });
    assert.equal(gap.statusCode, 422, gap.body);
    assert.equal(gap.json().code, 'backdated_start');
    assert.doesNotMatch(gap.body, /-1\.29|36\.8/, 'the refusal does not tell where the device was');
  });

  test('a departure recorded late is placed where the device was: at the office, then on the road', async () => {
    const m = await declare(tokens['officer.ke'], { devices: ['KE-LOCK'], trader: 'kilimanjaro' });
    assert.equal(m.statusCode, 201, m.body);
    const start = await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens['officer.ke'], { time: minutesAgo(55) });
    assert.equal(start.statusCode, 200, start.body);
    lateStarted = m.json().id;
    const listed = (await call('GET', `/api/v1/movements?reference=${m.json().reference}`, tokens['officer.ke'])).json().items[0];
    assert.equal(listed.live.position.lat, -3.95);
  });

  test("a trader's trip report carries no customs notes: no comment, no one who acted, no assignee", async () => {
    // The lock on the late-started movement reports its seal tampered: an alert there.
    const id = lateStarted;
    seqs['KE-LOCK'] += 1;
    const tamper = signMessage(keys['KE-LOCK'], {
      device: 'KE-LOCK',
      seq: seqs['KE-LOCK'],
      time: minutesAgo(1),
      position: { lat: -3.9, lon: 39.5 },
      seal: { state: 'tampered', rope: 'cut' },
    });
    assert.equal(
      (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [tamper] } })).json().results[0].status,
      'accepted',
    );
    await p.ctx.processor.idle();
    const [a] = (await call('GET', `/api/v1/alerts?movement=${id}`, tokens['officer.ke'])).json().items;
    assert.ok(a, 'an alert on the movement');
    const ack = await call('POST', `/api/v1/alerts/${a.id}/acknowledge`, tokens['officer.ke'], { comment: 'SECRET-ACK' });
    assert.equal(ack.statusCode, 200, ack.body);
    const resolve = await call('POST', `/api/v1/alerts/${a.id}/resolve`, tokens['officer.ke'], {
      outcome: 'false_alarm',
      comment: 'SECRET-RESOLVE',
    });
    assert.equal(resolve.statusCode, 200, resolve.body);
    const officer = await call('GET', `/api/v1/movements/${id}/report`, tokens['officer.ke']);
    assert.match(officer.body, /SECRET-ACK/);
    for (const url of [`/api/v1/movements/${id}/report`, `/api/v1/movements/${id}/report.html`, `/api/v1/alerts/${a.id}`]) {
      const r = await call('GET', url, tokens.trader);
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      assert.doesNotMatch(r.body, /SECRET-|officer\.ke/, url);
    }
  });

  test('an audit entry about a movement in scope and one outside it shows the reader only the first', async () => {
    const inUganda = await declare(tokens['officer.ke'], { devices: [], trader: 'kilimanjaro' });
    const kenyaOnly = await declare(tokens['officer.ke'], { devices: [], trader: 'kilimanjaro', destinationOffice: 'KEMBA' });
    for (const m of [inUganda, kenyaOnly]) {
      assert.equal(m.statusCode, 201, m.body);
      assert.equal((await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens['officer.ke'], {})).statusCode, 200);
    }
    // The trader exports its movements' container events: one audited document about both.
    const out = await call('GET', '/dcsa/tnt/v2/events', tokens.trader);
    assert.equal(out.statusCode, 200, out.body);
    const entries = (await call('GET', '/api/v1/audit/entries?limit=1000', tokens['officer.ug'])).json().items as Array<{
      action: string;
      subjects: string[];
    }>;
    const exported = entries.filter((e) => e.action.startsWith('exchange.out'));
    assert.ok(exported.length > 0, 'Uganda sees the export of a movement bound for it');
    for (const e of exported) {
      assert.ok(e.subjects.includes(inUganda.json().id), JSON.stringify(e));
      assert.equal(e.subjects.includes(kenyaOnly.json().id), false, 'the Kenya-only movement is not named to Uganda');
    }
  });

  test("an administration's administrator neither lists, reads the deliveries of, nor removes another's webhook", async () => {
    const made = await call('POST', '/api/v1/webhooks', tokens['admin.ke'], {
      url: 'http://127.0.0.1:9/kra',
      secret: 'kra-webhook-secret-0123456789',
    });
    assert.equal(made.statusCode, 201, made.body);
    const id = made.json().id;
    const ids = async (who: string) => (await call('GET', '/api/v1/webhooks', tokens[who])).json().items.map((w: { id: string }) => w.id);
    assert.deepEqual(await ids('admin.ke'), [id]);
    assert.deepEqual(await ids('admin.ug'), []);
    assert.equal((await call('GET', `/api/v1/webhooks/${id}/deliveries`, tokens['admin.ug'])).statusCode, 404);
    const removed = await p.http.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${id}`,
      headers: { authorization: `Bearer ${tokens['admin.ug']}` },
    });
    assert.equal(removed.statusCode, 404, removed.body);
    assert.equal((await call('GET', `/api/v1/webhooks/${id}/deliveries`, tokens['admin.ke'])).statusCode, 200);
    assert.ok(
      (await admin('GET', '/api/v1/webhooks')).json().items.some((w: { id: string }) => w.id === id),
      'the platform manages every webhook',
    );
  });

  test("an administration's administrator administers nothing of the installation: no users, organisations, partners or others' tokens", async () => {
    const me = (await call('GET', '/api/v1/auth/me', tokens['admin.ke'])).json();
    const other = (await admin('GET', '/api/v1/users')).json().items.find((u: { username: string }) => u.username === 'officer.ug');
    for (const [method, url, body] of [
      [
        'POST',
        '/api/v1/users',
        { username: 'evil', name: 'e', organisation: 'platform', roles: ['admin'], password: 'evil-password-long-enough' },
      ],
      ['POST', '/api/v1/organisations', { id: 'evil-org', name: 'Evil', kind: 'customs' }],
      ['GET', '/api/v1/users', undefined],
    ] as const) {
      const r = await call(method, url, tokens['admin.ke'], body);
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
    }
    // A token asked for another user is refused by name (422), not silently made for the maker.
    const t = await call('POST', '/api/v1/tokens', tokens['admin.ke'], { name: 'x', user: other.id });
    assert.equal(t.statusCode, 422, t.body);
    assert.deepEqual(t.json().details.fields, ['user']);
    assert.ok(me.id ?? me.user?.id, JSON.stringify(me));
  });

  test('only the owner (or the platform) puts a key on a device: a keyed device cannot be taken over by another party that sees it', async () => {
    const r = await call('POST', '/api/v1/devices/TZ-LOCK/keys', tokens['admin.ke'], {
      alg: 'HS256',
      secret: 'enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6',
      reason: 'routine maintenance',
    });
    assert.equal(r.statusCode, 404, r.body);
    const own = await call('POST', '/api/v1/devices/TZ-LOCK/keys', tokens.provider, {
      generate: true,
      alg: 'EdDSA',
      reason: 'routine maintenance',
    });
    assert.equal(own.statusCode, 201, own.body);
  });
});
