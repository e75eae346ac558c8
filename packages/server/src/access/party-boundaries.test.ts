/**
 * The third adversarial pass of 2026-12-07 (issue 12), reproduced through the real platform with
 * an administration's own administrator (admin.ke): API tokens managed across organisations, a
 * read-only token revoking the token that made it, members of a request silently dropped, and a
 * backdated start telling when another administration's movement ended.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMovementBody, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const offices = [
  { code: 'KEMBA', name: 'Mombasa Port', country: 'KE', area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 3000 } },
  { code: 'KEMLB', name: 'Malaba', country: 'KE', area: { center: { lat: 0.6357, lon: 34.2767 }, radiusM: 2000 } },
  { code: 'RWKGL', name: 'Kigali Magerwa', country: 'RW', area: { center: { lat: -1.976, lon: 30.079 }, radiusM: 2000 } },
  { code: 'RWRSZ', name: 'Rusizi', country: 'RW', area: { center: { lat: -2.484, lon: 28.907 }, radiusM: 2000 } },
];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('parties stay within their own organisation: tokens, request members, backdated starts', () => {
  let p: P;
  const tokens: Record<string, string> = {};
  const tokenIds: Record<string, string> = {};
  const userIds: Record<string, string> = {};

  const call = (method: Method, url: string, token: string, payload?: object) =>
    p.http.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const admin = (method: Method, url: string, payload?: object) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });
  const mint = async (user: string, name: string, scopes?: string[]) => {
    const r = await admin('POST', '/api/v1/tokens', { name, user: userIds[user], ...(scopes ? { scopes } : {}) });
    assert.equal(r.statusCode, 201, r.body);
    return { token: r.json().token as string, id: r.json().id as string };
  };

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [
      { id: 'ke-kra-customs', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
      { id: 'rw-rra-customs', name: 'Rwanda Revenue Authority', kind: 'customs', country: 'RW' },
      { id: 'sealtrack', name: 'Sealtrack Devices', kind: 'device_provider' },
    ])
      assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
    for (const [name, org, role] of [
      ['root', 'platform', 'admin'],
      ['admin.ke', 'ke-kra-customs', 'admin'],
      ['officer.ke', 'ke-kra-customs', 'officer'],
      ['officer.rw', 'rw-rra-customs', 'officer'],
      ['provider', 'sealtrack', 'device_provider'],
    ]) {
      const u = await admin('POST', '/api/v1/users', {
        username: name,
        name,
        organisation: org,
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      assert.equal(u.statusCode, 201, u.body);
      userIds[name] = u.json().id;
      ({ token: tokens[name], id: tokenIds[name] } = await mint(name, name));
    }
    for (const o of offices) assert.equal((await admin('POST', '/api/v1/offices', o)).statusCode, 201);
  });
  after(() => p.cleanup());

  test("an administration's administrator lists and revokes only its own organisation's tokens (others: 404); the platform's all", async () => {
    const listed = await call('GET', '/api/v1/tokens', tokens['admin.ke']);
    assert.equal(listed.statusCode, 200, listed.body);
    const users = new Set(listed.json().items.map((t: { user: string }) => t.user));
    assert.deepEqual([...users].sort(), [userIds['admin.ke'], userIds['officer.ke']].sort());

    for (const other of ['root', 'officer.rw', 'provider']) {
      const r = await call('DELETE', `/api/v1/tokens/${tokenIds[other]}`, tokens['admin.ke']);
      assert.equal(r.statusCode, 404, `${other}: ${r.body}`);
      assert.equal((await call('GET', '/api/v1/auth/me', tokens[other])).statusCode, 200, `${other}'s token still works`);
    }
    const spare = await mint('officer.ke', 'spare');
    assert.equal((await call('DELETE', `/api/v1/tokens/${spare.id}`, tokens['admin.ke'])).statusCode, 204);
    assert.equal((await call('GET', '/api/v1/auth/me', spare.token)).statusCode, 401);

    // Anyone else sees only their own; the platform's administrator sees every organisation's.
    const own = (await call('GET', '/api/v1/tokens', tokens['officer.rw'])).json().items;
    assert.deepEqual([...new Set(own.map((t: { user: string }) => t.user))], [userIds['officer.rw']]);
    const all = (await call('GET', '/api/v1/tokens', tokens.root)).json().items;
    assert.ok(all.some((t: { user: string }) => t.user === userIds['officer.rw']));
    assert.ok(all.some((t: { user: string }) => t.user === userIds['admin.ke']));
  });

  test('a read-only token revokes nothing; a token never revokes a wider token nor one it was made from', async () => {
    const full = await mint('officer.ke', 'full');
    const readOnly = await call('POST', '/api/v1/tokens', full.token, { name: 'dashboard', scopes: ['movements.read'] });
    assert.equal(readOnly.statusCode, 201, readOnly.body);
    const denied = await call('DELETE', `/api/v1/tokens/${full.id}`, readOnly.json().token);
    assert.equal(denied.statusCode, 403, denied.body);
    assert.equal((await call('GET', '/api/v1/auth/me', full.token)).statusCode, 200, 'the maker still works');

    const bridge = await call('POST', '/api/v1/tokens', full.token, { name: 'bridge', scopes: ['movements.read', 'tokens.create'] });
    assert.equal(bridge.statusCode, 201, bridge.body);
    const b = bridge.json().token as string;
    // Its maker (wider, and its own maker) and the user's first full token (wider) are out of its reach.
    for (const target of [full.id, tokenIds['officer.ke']]) {
      const r = await call('DELETE', `/api/v1/tokens/${target}`, b);
      assert.equal(r.statusCode, 404, r.body);
      assert.equal((await call('GET', '/api/v1/auth/me', target === full.id ? full.token : tokens['officer.ke'])).statusCode, 200);
    }
    const seen = (await call('GET', '/api/v1/tokens', b)).json().items.map((t: { id: string }) => t.id);
    assert.ok(seen.includes(bridge.json().id) && seen.includes(readOnly.json().id));
    assert.equal(seen.includes(full.id) || seen.includes(tokenIds['officer.ke']), false, 'a token lists no wider token');
    const child = await call('POST', '/api/v1/tokens', b, { name: 'child', scopes: ['movements.read'] });
    assert.equal((await call('DELETE', `/api/v1/tokens/${child.json().id}`, b)).statusCode, 204);
    assert.equal((await call('GET', '/api/v1/auth/me', child.json().token)).statusCode, 401);
    // The full token (which made the bridge) may revoke it, and the bridge may revoke itself.
    assert.equal((await call('DELETE', `/api/v1/tokens/${readOnly.json().id}`, full.token)).statusCode, 204);
    assert.equal((await call('DELETE', `/api/v1/tokens/${bridge.json().id}`, b)).statusCode, 204);
  });

  test("members a caller may not set are refused by name (422 field_not_allowed), never dropped: a token's user, an unknown member, a device's other owner", async () => {
    const forOther = await call('POST', '/api/v1/tokens', tokens['admin.ke'], { name: 'for rw', user: userIds['officer.rw'] });
    assert.equal(forOther.statusCode, 422, forOther.body);
    assert.equal(forOther.json().code, 'field_not_allowed');
    assert.deepEqual(forOther.json().details.fields, ['user']);
    const unknown = await call('POST', '/api/v1/tokens', tokens['officer.ke'], { name: 'x', expiresInDay: 1 });
    assert.equal(unknown.statusCode, 422, unknown.body);
    assert.deepEqual(unknown.json().details.fields, ['expiresInDay']);
    // A user's organisation is not changed by an edit: naming it is refused, and nothing of the edit applies.
    const move = await call('PATCH', `/api/v1/users/${userIds['officer.rw']}`, tokens.root, {
      organisation: 'ke-kra-customs',
      disabled: true,
    });
    assert.equal(move.statusCode, 422, move.body);
    assert.deepEqual([move.json().code, move.json().details.fields], ['field_not_allowed', ['organisation']]);
    assert.equal((await call('GET', '/api/v1/auth/me', tokens['officer.rw'])).statusCode, 200, 'the refused edit disabled nobody');
    // The platform's administrator still makes tokens for others.
    const root = await call('POST', '/api/v1/tokens', tokens.root, { name: 'for rw', user: userIds['officer.rw'] });
    assert.equal(root.statusCode, 201, root.body);
    assert.equal(root.json().user, userIds['officer.rw']);

    const device = { id: 'OWNED-BY-OTHER', class: 'active', kind: 'e_lock', protocol: 'jt600' };
    const other = await call('POST', '/api/v1/devices', tokens.provider, { ...device, owner: 'ke-kra-customs' });
    assert.equal(other.statusCode, 422, other.body);
    assert.equal(other.json().code, 'field_not_allowed');
    assert.deepEqual(other.json().details.fields, ['owner']);
    assert.equal((await admin('GET', '/api/v1/devices/OWNED-BY-OTHER')).statusCode, 404, 'nothing was registered');
    const own = await call('POST', '/api/v1/devices', tokens.provider, { ...device, owner: 'sealtrack' });
    assert.equal(own.statusCode, 201, own.body);
  });

  test("a backdated start does not tell when another administration's movement with the device ended", async () => {
    assert.equal(
      (await call('POST', '/api/v1/devices', tokens.provider, { id: 'LOCK-RW', class: 'active', kind: 'e_lock', protocol: 'jt600' }))
        .statusCode,
      201,
    );
    // Rwanda's domestic movement with the lock (recorded by the platform: not held to custody), ended 40 minutes ago.
    const rw = await admin('POST', '/api/v1/movements', {
      ...buildMovementBody({ devices: ['LOCK-RW'] }),
      departureOffice: 'RWKGL',
      destinationOffice: 'RWRSZ',
      authorizedStops: [],
    });
    assert.equal(rw.statusCode, 201, rw.body);
    const rwId = rw.json().id as string;
    for (const [step, at] of [
      ['start', 120],
      ['arrive', 50],
      ['end', 40],
    ] as const)
      assert.equal((await admin('POST', `/api/v1/movements/${rwId}/${step}`, { time: minutesAgo(at) })).statusCode, 200);
    const endedAt = (await admin('GET', `/api/v1/movements/${rwId}`)).json().endedAt as string;
    assert.equal(
      (await call('POST', '/api/v1/devices/LOCK-RW/custody', tokens.provider, { holder: 'ke-kra-customs', from: minutesAgo(30) }))
        .statusCode,
      201,
    );
    const ke = await call('POST', '/api/v1/movements', tokens['officer.ke'], {
      ...buildMovementBody({ devices: ['LOCK-RW'] }),
      departureOffice: 'KEMBA',
      destinationOffice: 'KEMLB',
      authorizedStops: [],
      trader: null,
    });
    assert.equal(ke.statusCode, 201, ke.body);
    const back = await call('POST', `/api/v1/movements/${ke.json().id}/start`, tokens['officer.ke'], { time: minutesAgo(60) });
    assert.equal(back.statusCode, 422, back.body);
    assert.equal(back.json().code, 'backdated_start');
    assert.match(back.json().detail, /before that movement ended/);
    assert.equal(back.body.includes(endedAt), false, `Rwanda's end time is not told to Kenya: ${back.body}`);
    assert.equal(back.body.includes(rwId), false);
    assert.equal(back.body.includes('previousEnd'), false);
    // The platform, which sees Rwanda's movement, is told when it ended.
    const told = await admin('POST', `/api/v1/movements/${ke.json().id}/start`, { time: minutesAgo(60) });
    assert.equal(told.statusCode, 422, told.body);
    assert.equal(told.json().details.previousEnd, endedAt);
  });
  test("integrations are an organisation's own: listed and revoked within it, feeding only its own devices (others quarantined)", async () => {
    const uplink = (devEui: string, fCnt: number) => ({
      deduplicationId: `3ac7e3c4-4401-4b8d-9386-a5c90200000${fCnt}`,
      time: new Date().toISOString(),
      deviceInfo: { tenantId: 't', applicationId: 'a', deviceName: devEui, devEui },
      fCnt,
      fPort: 10,
      data: 'AQkDVwcyBv8611gV8pN4AaQ=', // e-seal payload v1: open, rope cut
      rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -97, snr: 7.5 }],
      txInfo: { frequency: 868100000 },
    });
    const post = (token: string, body: object) =>
      p.http.inject({
        method: 'POST',
        url: '/api/v1/lorawan/chirpstack?event=up',
        headers: { authorization: `Bearer ${token}` },
        payload: body,
      });
    const platformOne = await admin('POST', '/api/v1/integrations', { kind: 'chirpstack', name: 'platform ns' });
    assert.equal(platformOne.statusCode, 201, platformOne.body);
    const kenyaOne = await call('POST', '/api/v1/integrations', tokens['admin.ke'], { kind: 'chirpstack', name: 'kra ns' });
    assert.equal(kenyaOne.statusCode, 201, kenyaOne.body);
    assert.equal(kenyaOne.json().integration.organisation, 'ke-kra-customs');
    const providerOne = await call('POST', '/api/v1/integrations', tokens.provider, { kind: 'chirpstack', name: 'sealtrack ns' });
    assert.equal(providerOne.statusCode, 201, providerOne.body);

    const listed = (await call('GET', '/api/v1/integrations', tokens['admin.ke'])).json().items.map((i: { id: string }) => i.id);
    assert.deepEqual(listed, [kenyaOne.json().id]);
    const revokeOther = await call('POST', `/api/v1/integrations/${platformOne.json().id}/revoke`, tokens['admin.ke']);
    assert.equal(revokeOther.statusCode, 404, revokeOther.body);
    const all = (await admin('GET', '/api/v1/integrations')).json().items.map((i: { id: string }) => i.id);
    assert.equal(all.length, 3);

    // A Rwandan e-seal of the provider: Kenya's network server cannot speak for it, its owner's can.
    const seal = 'A1B2C3D4E5F60718';
    assert.equal(
      (await call('POST', '/api/v1/devices', tokens.provider, { id: seal, class: 'active', kind: 'e_seal', protocol: 'lorawan' }))
        .statusCode,
      201,
    );
    const forged = await post(kenyaOne.json().token, uplink(seal, 1));
    assert.equal(forged.statusCode, 200, forged.body);
    assert.equal(forged.json().results[0].status, 'rejected', forged.body);
    assert.equal(forged.json().results[0].reason, 'not_integration_device');
    const q = (await admin('GET', `/api/v1/quarantine?device=${seal}`)).json().items;
    assert.equal(q[0]?.reason, 'not_integration_device', JSON.stringify(q));
    assert.deepEqual((await admin('GET', `/api/v1/devices/${seal}/observations`)).json().items, []);
    assert.equal((await post(providerOne.json().token, uplink(seal, 2))).json().results[0].status, 'accepted');
    assert.equal((await post(platformOne.json().token, uplink(seal, 3))).json().results[0].status, 'accepted');
    // Its own organisation's integration still works for the device Kenya registered itself.
    const own = '0A0B0C0D0E0F1011';
    assert.equal(
      (await call('POST', '/api/v1/devices', tokens['admin.ke'], { id: own, class: 'active', kind: 'e_seal', protocol: 'lorawan' }))
        .statusCode,
      201,
    );
    assert.equal((await post(kenyaOne.json().token, uplink(own, 4))).json().results[0].status, 'accepted');
    assert.equal((await call('POST', `/api/v1/integrations/${kenyaOne.json().id}/revoke`, tokens['admin.ke'])).statusCode, 200);
  });
  test("training runs are the instructor's organisation's: another administration's admin neither sees, scores nor finishes them, nor trains others' users", async () => {
    const started = await call('POST', '/api/v1/training/exercises/seal-tampered-en-route/runs', tokens.root, {
      trainee: userIds['officer.rw'],
    });
    assert.equal(started.statusCode, 201, started.body);
    const run = started.json().id as string;
    try {
      const listed = await call('GET', '/api/v1/training/runs', tokens['admin.ke']);
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(listed.json().items, []);
      assert.equal((await call('GET', `/api/v1/training/runs/${run}`, tokens['admin.ke'])).statusCode, 404);
      const finish = await call('POST', `/api/v1/training/runs/${run}/finish`, tokens['admin.ke']);
      assert.equal(finish.statusCode, 404, finish.body);
      const foreign = await call('POST', '/api/v1/training/exercises/seal-tampered-en-route/runs', tokens['admin.ke'], {
        trainee: userIds['officer.rw'],
      });
      assert.equal(foreign.statusCode, 422, foreign.body);
      assert.equal(foreign.json().code, 'unknown_user');
      const mine = (await call('GET', '/api/v1/training/runs', tokens.root)).json().items;
      assert.deepEqual(
        mine.map((r: { id: string; status: string; organisation: string }) => [r.id, r.status, r.organisation]),
        [[run, 'running', 'platform']],
      );
    } finally {
      assert.equal((await call('POST', `/api/v1/training/runs/${run}/finish`, tokens.root)).statusCode, 200);
    }
  });
});
