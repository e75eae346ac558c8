/**
 * Lists that belong to an organisation are that organisation's, filtered before they are paged:
 * an administration's webhooks come in full pages with a right nextCursor whatever others made,
 * one rule says whose a webhook is, and a provider sees (and approves) only the pending devices its
 * own integrations reported.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { managesWebhook, platformPrincipal, webhookOwner } from '../notify/webhook-owner';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('lists within an organisation', () => {
  let p: P;
  const tokens: Record<string, string> = {};
  const users: Record<string, string> = {};
  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    p.http.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_PENDING_DEVICES: 'true' });
    for (const o of [
      { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
      { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' },
      { id: 'sealtrack', name: 'Sealtrack Devices', kind: 'device_provider' },
      { id: 'loratrack', name: 'LoRa Track', kind: 'device_provider' },
    ])
      assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
    for (const [name, org, role] of [
      ['admin.ke', 'kra', 'admin'],
      ['admin.ug', 'ura', 'admin'],
      ['sealtrack', 'sealtrack', 'device_provider'],
      ['loratrack', 'loratrack', 'device_provider'],
    ]) {
      const u = await admin('POST', '/api/v1/users', {
        username: name,
        name,
        organisation: org,
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      assert.equal(u.statusCode, 201, u.body);
      users[name] = u.json().id;
      tokens[name] = (await admin('POST', '/api/v1/tokens', { name, user: u.json().id })).json().token;
    }
  });
  after(() => p.cleanup());

  test('a provider lists and approves only the pending devices its own integrations reported; the platform all', async () => {
    const uplink = (devEui: string, fCnt: number) => ({
      deduplicationId: `3ac7e3c4-4401-4b8d-9386-a5c9020000${String(fCnt).padStart(2, '0')}`,
      time: new Date().toISOString(),
      deviceInfo: { tenantId: 't', applicationId: 'a', deviceName: devEui, devEui },
      fCnt,
      fPort: 10,
      data: 'AQkDVwcyBv8611gV8pN4AaQ=',
      rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -97, snr: 7.5 }],
      txInfo: { frequency: 868100000 },
    });
    const integration = async (token: string) => {
      const r = await call('POST', '/api/v1/integrations', token, { kind: 'chirpstack', name: 'ns' });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().token as string;
    };
    const post = async (token: string, devEui: string, fCnt: number) => {
      const r = await p.http.inject({
        method: 'POST',
        url: '/api/v1/lorawan/chirpstack?event=up',
        headers: { authorization: `Bearer ${token}` },
        payload: uplink(devEui, fCnt),
      });
      assert.equal(r.json().results[0].reason, 'unknown_device', r.body);
    };
    const sealtrack = await integration(tokens.sealtrack);
    const loratrack = await integration(tokens.loratrack);
    await post(sealtrack, 'AA00000000000001', 1);
    await post(sealtrack, 'AA00000000000002', 2);
    await post(loratrack, 'BB00000000000001', 3);
    const listed = async (token: string) =>
      (await call('GET', '/api/v1/devices/pending?limit=1000', token)).json().items.map((d: { identifier: string }) => d.identifier);
    assert.deepEqual(await listed(tokens.sealtrack), ['AA00000000000001', 'AA00000000000002']);
    assert.deepEqual(await listed(tokens.loratrack), ['BB00000000000001']);
    assert.deepEqual((await admin('GET', '/api/v1/devices/pending')).json().items.length, 3);
    const first = (await call('GET', '/api/v1/devices/pending?limit=1', tokens.sealtrack)).json();
    assert.equal(first.items.length, 1, 'a full page');
    assert.ok(first.nextCursor);
    const approve = (token: string, id: string) =>
      call('POST', `/api/v1/devices/pending/${id}/approve`, token, { class: 'active', kind: 'e_seal' });
    const taken = await approve(tokens.loratrack, 'AA00000000000001');
    assert.equal(taken.statusCode, 404, taken.body);
    assert.equal(taken.json().code, 'unknown_pending_device');
    const mine = await approve(tokens.sealtrack, 'AA00000000000001');
    assert.equal(mine.statusCode, 201, mine.body);
    assert.equal(mine.json().owner, 'sealtrack');
  });

  test("an administration's webhooks come in full pages, with a cursor only while more of its own exist", async () => {
    const hook = (n: number) => ({ url: `http://127.0.0.1:9/hook-${n}`, secret: 'webhook-secret-0123456789' });
    for (let n = 0; n < 9; n++) assert.equal((await admin('POST', '/api/v1/webhooks', hook(n))).statusCode, 201);
    for (let n = 0; n < 3; n++) assert.equal((await call('POST', '/api/v1/webhooks', tokens['admin.ug'], hook(100 + n))).statusCode, 201);
    const kra: string[] = [];
    for (let n = 0; n < 3; n++) {
      const r = await call('POST', '/api/v1/webhooks', tokens['admin.ke'], hook(200 + n));
      assert.equal(r.statusCode, 201, r.body);
      kra.push(r.json().id);
    }
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const url = `/api/v1/webhooks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await call('GET', url, tokens['admin.ke']);
      assert.equal(r.statusCode, 200, r.body);
      pages.push(r.json().items.map((w: { id: string }) => w.id));
      cursor = r.json().nextCursor;
    } while (cursor && pages.length < 20);
    assert.deepEqual(
      pages.map((page) => page.length),
      [2, 1],
      `two pages: a full one and the rest (${JSON.stringify(pages)})`,
    );
    assert.deepEqual(pages.flat(), [...kra].sort());
    const all = (await admin('GET', '/api/v1/webhooks?limit=1000')).json().items;
    assert.equal(all.length, 15, 'the platform lists every webhook');
  });

  test("one rule says whose a webhook is: its maker's organisation, the platform's for the installation token", async () => {
    const ownerOf = webhookOwner({ users: p.ctx.store.access, access: p.ctx.access });
    const made = { id: 'w', url: 'https://example.org/', secret: 's', types: null, createdAt: new Date().toISOString() as never };
    assert.equal((await ownerOf({ ...made, createdBy: 'admin' }))?.organisation.id, platformPrincipal.organisation.id);
    assert.equal((await ownerOf({ ...made, createdBy: null }))?.organisation.kind, 'platform');
    const ke = await ownerOf({ ...made, createdBy: users['admin.ke'] });
    assert.equal(ke?.organisation.id, 'kra');
    assert.equal(await ownerOf({ ...made, createdBy: 'gone-user' }), null, "a maker no longer known owns nothing: nobody's");
    const me = (await call('GET', '/api/v1/auth/me', tokens['admin.ug'])).json();
    const ug = { id: me.id, name: me.name, roles: me.roles, organisation: { id: 'ura', kind: 'customs' as const, country: 'UG' } };
    assert.equal(await managesWebhook(ug, { ...made, createdBy: users['admin.ke'] }, ownerOf), false);
    assert.equal(await managesWebhook(ke!, { ...made, createdBy: users['admin.ke'] }, ownerOf), true);
    assert.equal(await managesWebhook(platformPrincipal, { ...made, createdBy: users['admin.ke'] }, ownerOf), true);
  });
});
