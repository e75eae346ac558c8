/**
 * The authorisation matrix: every role × every endpoint, checked against the policy's
 * role table, then the ownership cases that scopes decide (trader, jurisdiction, provider, auditor).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asCommandId, can, queueCommand, roles, type DeviceId, type MovementId, type Permission, type Role } from '@sealwatch/core';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, consentToLend, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const kigaliOffice = { code: 'RWKGL', name: 'Kigali', country: 'RW', area: { center: { lat: -1.95, lon: 30.06 }, radiusM: 2000 } };

const orgs = [
  { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
  { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' },
  { id: 'acme', name: 'Acme Freight', kind: 'trader', aeo: true },
  { id: 'beta', name: 'Beta Logistics', kind: 'trader' },
  { id: 'lockco', name: 'LockCo devices', kind: 'device_provider' },
  { id: 'court', name: 'Audit office', kind: 'auditor' },
];
const userOrg: Record<Role, string> = {
  operator: 'kra',
  officer: 'kra',
  supervisor: 'kra',
  risk_analyst: 'kra',
  trader: 'acme',
  device_provider: 'lockco',
  auditor: 'court',
  instructor: 'kra',
  admin: 'platform',
};

describe('authorisation', () => {
  let p: P;
  const tokens = {} as Record<Role | 'ugOfficer' | 'betaTrader', string>;
  let mKE = '';
  let mUG = '';

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    p.http.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    const admin = (method: string, url: string, payload?: unknown) =>
      p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    for (const o of orgs) {
      const r = await admin('POST', '/api/v1/organisations', o);
      assert.equal(r.statusCode, 201, r.body);
    }
    const users: [string, string, Role][] = [
      ...roles.map((r) => [r, userOrg[r], r] as [string, string, Role]),
      ['ugOfficer', 'ura', 'officer'],
      ['betaTrader', 'beta', 'trader'],
    ];
    for (const [name, org, role] of users) {
      const u = await admin('POST', '/api/v1/users', {
        username: `${name}.user`,
        name,
        organisation: org,
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      assert.equal(u.statusCode, 201, u.body);
      const t = await admin('POST', '/api/v1/tokens', { name: `${name} token`, user: u.json().id });
      assert.equal(t.statusCode, 201, t.body);
      tokens[name as Role] = t.json().token;
    }
    for (const office of [mombasaOffice, malabaOffice, kigaliOffice])
      assert.equal((await admin('POST', '/api/v1/offices', office)).statusCode, 201);
    const key = generateDeviceKey('EdDSA');
    assert.equal(
      (
        await admin('POST', '/api/v1/devices', {
          id: 'LOCK-KE',
          class: 'active',
          kind: 'e_lock',
          protocol: 'native',
          key: key.registration,
          owner: 'lockco',
        })
      ).statusCode,
      201,
    );
    assert.equal(
      (await admin('POST', '/api/v1/devices', { id: 'LOCK-UG', class: 'active', kind: 'e_lock', protocol: 'jt600', owner: 'other' }))
        .statusCode,
      201,
    );
    // LOCK-UG is handed to Beta, whose UG→RW movement it seals.
    assert.equal(
      (await admin('POST', '/api/v1/devices/LOCK-UG/custody', { holder: 'beta', from: new Date(Date.now() - 3600_000).toISOString() }))
        .statusCode,
      201,
    );
    // Beta lends its devices to Uganda's administration, which starts its UG→RW movement.
    await consentToLend(p, 'beta', ['ura']);
    // KE→UG for Acme (seen by Kenya and Uganda), UG→RW for Beta (Uganda only).
    mKE = (await admin('POST', '/api/v1/movements', { ...buildMovementBody({ devices: ['LOCK-KE'] }), trader: 'acme' })).json().id;
    mUG = (
      await admin('POST', '/api/v1/movements', {
        ...buildMovementBody({ devices: ['LOCK-UG'] }),
        trader: 'beta',
        departureOffice: 'UGMAL',
        destinationOffice: 'RWKGL',
      })
    ).json().id;
    assert.equal((await admin('POST', `/api/v1/movements/${mKE}/start`, {})).statusCode, 200);
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      payload: {
        messages: [
          signMessage(key, {
            device: 'LOCK-KE',
            seq: 1,
            time: new Date().toISOString(),
            position: { lat: -3.9, lon: 39.5 },
            seal: { state: 'tampered' },
          }),
        ],
      },
    });
    assert.equal(r.json().results[0].status, 'accepted');
    for (let i = 0; i < 100 && !(await admin('GET', `/api/v1/alerts?movement=${mKE}`)).json().items.length; i++)
      await new Promise((res) => setTimeout(res, 50));
  });
  after(() => p.cleanup());

  test('every role × every endpoint: allowed exactly when the role table grants the permission', async () => {
    const doc = (await p.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    let checked = 0;
    for (const [path, ops] of Object.entries(
      doc.paths as Record<
        string,
        Record<string, { 'x-sealwatch-permission': string | null; 'x-sealwatch-no-api-tokens'?: true; operationId: string }>
      >,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        const needed = op['x-sealwatch-permission'];
        if (needed === null || op.operationId === 'stream') continue; // device, integration and public routes; the stream is checked below
        const url = path.replace(/\{(\w+)\}/g, 'no-such-$1');
        for (const role of roles) {
          // These test users call with API tokens: routes refused to API tokens are 403 for every role.
          const expected = op['x-sealwatch-no-api-tokens']
            ? false
            : needed === 'admin'
              ? role === 'admin'
              : needed === 'signed-in' ||
                can(
                  { id: 'x', name: 'x', roles: [role], organisation: { id: 'x', kind: 'platform', country: null } },
                  needed as Permission,
                );
          const res = await call(method.toUpperCase(), url, tokens[role], method === 'get' ? undefined : {});
          assert.notEqual(res.statusCode, 401, `${role} ${method} ${path}: ${res.body}`);
          if (expected) assert.notEqual(res.statusCode, 403, `${role} may ${op.operationId} (${needed}) but got 403`);
          else assert.equal(res.statusCode, 403, `${role} may not ${op.operationId} (${needed}) but got ${res.statusCode}`);
          checked += 1;
        }
      }
    }
    assert.ok(checked > 8 * 50, `checked ${checked} role × endpoint pairs`);
  });

  test("a trader sees its own movements and their alerts, never another trader's, nor risk lanes", async () => {
    const list = (await call('GET', '/api/v1/movements', tokens.trader)).json().items;
    assert.deepEqual(
      list.map((m: { id: string }) => m.id),
      [mKE],
    );
    assert.equal(list[0].risk, null);
    assert.equal((await call('GET', `/api/v1/movements/${mUG}`, tokens.trader)).statusCode, 404);
    assert.equal((await call('GET', `/api/v1/movements/${mUG}/track`, tokens.trader)).statusCode, 404);
    assert.deepEqual(
      (await call('GET', '/api/v1/movements', tokens.betaTrader)).json().items.map((m: { id: string }) => m.id),
      [mUG],
    );
    const alerts = (await call('GET', '/api/v1/alerts', tokens.trader)).json().items;
    assert.ok(alerts.length >= 1 && alerts.every((a: { movement: string }) => a.movement === mKE));
    assert.deepEqual((await call('GET', '/api/v1/alerts', tokens.betaTrader)).json().items, []);
    assert.equal(
      (await call('GET', `/api/v1/alerts/${alerts[0].id}`, tokens.betaTrader)).statusCode,
      404,
      "another trader's alert is as if it did not exist",
    );
  });

  test('customs see movements that start or end in their country; auditors all, read-only', async () => {
    const ids = async (t: string) =>
      (await call('GET', '/api/v1/movements', t))
        .json()
        .items.map((m: { id: string }) => m.id)
        .sort();
    assert.deepEqual(await ids(tokens.officer), [mKE]);
    assert.deepEqual(await ids(tokens.ugOfficer), [mKE, mUG].sort());
    assert.deepEqual(await ids(tokens.auditor), [mKE, mUG].sort());
    assert.equal((await call('POST', `/api/v1/movements/${mUG}/start`, tokens.officer, {})).statusCode, 404);
    assert.equal((await call('POST', `/api/v1/movements/${mUG}/start`, tokens.ugOfficer, {})).statusCode, 200);
    assert.equal((await call('POST', `/api/v1/movements/${mKE}/arrive`, tokens.auditor, {})).statusCode, 403);
    const alert = (await call('GET', '/api/v1/alerts', tokens.officer)).json().items[0];
    assert.equal((await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, tokens.auditor, {})).statusCode, 403);
    assert.equal((await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, tokens.operator, { comment: 'seen' })).statusCode, 200);
  });

  test("custody: a device on another party's movement cannot be declared again, nor used without custody, nor from another country's office", async () => {
    const declare = (token: string, body: object) => call('POST', '/api/v1/movements', token, { ...buildMovementBody(), ...body });
    const stolen = await declare(tokens.officer, { devices: ['LOCK-UG'] });
    assert.equal(stolen.statusCode, 422, stolen.body);
    assert.equal(stolen.json().code, 'device_not_in_custody');
    const twice = await declare(tokens.ugOfficer, {
      devices: ['LOCK-UG'],
      trader: 'beta',
      departureOffice: 'UGMAL',
      destinationOffice: 'RWKGL',
    });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal(twice.json().code, 'device_on_movement');
    const abroad = await declare(tokens.officer, { departureOffice: 'UGMAL', destinationOffice: 'RWKGL' });
    assert.equal(abroad.statusCode, 403, abroad.body);
    assert.equal(abroad.json().code, 'outside_jurisdiction');
    assert.equal(
      (
        await call('POST', '/api/v1/offices', tokens.supervisor, {
          code: 'RWX',
          name: 'Not ours',
          country: 'RW',
          area: { center: { lat: -1.95, lon: 30.06 }, radiusM: 1000 },
        })
      ).json().code,
      'outside_jurisdiction',
    );
    const huge = await call('POST', '/api/v1/offices', tokens.supervisor, {
      code: 'KEBIG',
      name: 'Half of Kenya',
      country: 'KE',
      area: { center: { lat: -1.29, lon: 36.82 }, radiusM: 500_000 },
    });
    assert.equal(huge.statusCode, 422, huge.body);
    assert.equal(huge.json().code, 'office_area_too_large');
  });

  test('custody: the provider hands its own devices over; a departure is never backdated over the window', async () => {
    assert.equal(
      (await call('POST', '/api/v1/devices/LOCK-UG/custody', tokens.device_provider, { holder: 'kra' })).statusCode,
      404,
      'not its device',
    );
    assert.equal((await call('POST', '/api/v1/devices/LOCK-KE/custody', tokens.officer, { holder: 'kra' })).statusCode, 403);
    const r = await call('POST', '/api/v1/devices', tokens.device_provider, {
      id: 'LOCK-BD',
      class: 'active',
      kind: 'e_lock',
      protocol: 'jt600',
    });
    assert.equal(r.statusCode, 201, r.body);
    const g = await call('POST', '/api/v1/devices/LOCK-BD/custody', tokens.device_provider, {
      holder: 'kra',
      from: new Date(Date.now() - 60_000).toISOString(),
    });
    assert.equal(g.statusCode, 201, g.body);
    const m = await call('POST', '/api/v1/movements', tokens.officer, buildMovementBody({ devices: ['LOCK-BD'] }));
    assert.equal(m.statusCode, 201, m.body);
    const yearAgo = await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens.officer, {
      time: new Date(Date.now() - 365 * 86_400_000).toISOString(),
    });
    assert.equal(yearAgo.statusCode, 422, yearAgo.body);
    assert.equal(yearAgo.json().code, 'backdated_start');
    assert.equal((await call('POST', `/api/v1/movements/${m.json().id}/start`, tokens.officer, {})).statusCode, 200);
    const listed = (await call('GET', '/api/v1/devices/LOCK-BD/custody', tokens.device_provider)).json();
    assert.deepEqual(
      listed.items.map((x: { holder: string }) => x.holder),
      ['kra'],
    );
    assert.equal(listed.armed, true, 'the provider learns that its device is in use');
    assert.equal(listed.movement, null, 'not whose cargo it seals: it is no party to the movement');
    assert.equal((await call('GET', '/api/v1/devices/LOCK-BD/custody', tokens.admin)).json().movement, m.json().id, 'the platform is told');
    const ended = await call('POST', `/api/v1/devices/LOCK-BD/custody/${g.json().id}/end`, tokens.device_provider, {});
    assert.equal(ended.statusCode, 200, ended.body);
    assert.ok(ended.json().to);
  });

  test("across administrations: a mute and a command stay their maker's; a trader is told nothing of commands on its movement", async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const muted = await call('PUT', `/api/v1/movements/${mKE}/mute`, tokens.ugOfficer, { reason: 'border convoy, escorted', until });
    assert.equal(muted.statusCode, 200, muted.body);
    assert.equal(
      (await call('DELETE', `/api/v1/movements/${mKE}/mute`, tokens.officer)).statusCode,
      404,
      "Kenya cannot lift Uganda's mute",
    );
    assert.deepEqual((await call('GET', '/api/v1/mutes', tokens.operator)).json().items, [], "nor is Kenya's console silenced by it");
    assert.equal((await call('DELETE', `/api/v1/movements/${mKE}/mute`, tokens.ugOfficer)).statusCode, 204);

    // A command Uganda queued on Beta's movement (stored as the queue would: the unlock rules are commands.test.ts's).
    const id = 'CMD-UG-1';
    await p.ctx.store.commands.create(
      queueCommand(
        {
          id: asCommandId(id),
          device: 'LOCK-UG' as DeviceId,
          movement: mUG as MovementId,
          type: 'unlock',
          params: {},
          requestedBy: 'u-ug',
          reason: 'released at Kigali',
        },
        Date.now(),
        600_000,
      ),
    );
    assert.equal((await call('GET', `/api/v1/commands/${id}`, tokens.ugOfficer)).statusCode, 200);
    assert.equal((await call('GET', `/api/v1/commands/${id}`, tokens.betaTrader)).statusCode, 404, "the movement's trader is not told");
    assert.equal((await call('GET', `/api/v1/commands/${id}`, tokens.officer)).statusCode, 404, 'nor another jurisdiction');
    assert.equal((await call('POST', `/api/v1/commands/${id}/cancel`, tokens.officer)).statusCode, 404);
  });

  test("a device provider sees its own devices' health, not where the cargo is nor its seal", async () => {
    const own = (await call('GET', '/api/v1/devices/LOCK-KE', tokens.device_provider)).json();
    const full = (await call('GET', '/api/v1/devices/LOCK-KE', tokens.admin)).json();
    assert.ok(full.position && full.seal, 'the platform sees the last position and seal');
    assert.equal(own.position, null);
    assert.equal(own.seal, null);
    assert.equal(own.lastSeq, 1, 'health stays: last seen, sequence, battery');
    assert.ok(own.lastSeenAt);
    assert.ok(
      (await call('GET', '/api/v1/devices', tokens.device_provider))
        .json()
        .items.every((d: { position: unknown; seal: unknown }) => d.position === null && d.seal === null),
    );
  });

  test('a device provider sees its own devices and no cargo data', async () => {
    assert.deepEqual(
      (await call('GET', '/api/v1/devices', tokens.device_provider)).json().items.map((d: { id: string }) => d.id),
      ['LOCK-BD', 'LOCK-KE'],
    );
    assert.equal((await call('GET', '/api/v1/devices/LOCK-UG', tokens.device_provider)).statusCode, 404);
    assert.equal((await call('GET', '/api/v1/devices/LOCK-KE/observations', tokens.device_provider)).statusCode, 403);
    assert.equal((await call('GET', '/api/v1/movements', tokens.device_provider)).statusCode, 403);
    const created = await call('POST', '/api/v1/devices', tokens.device_provider, {
      id: 'LOCK-NEW',
      class: 'active',
      kind: 'e_lock',
      protocol: 'jt600',
      owner: 'someone-else',
    });
    // Naming another owner is refused by name, not silently replaced by the caller's organisation.
    assert.equal(created.statusCode, 422, created.body);
    assert.deepEqual(created.json().details.fields, ['owner']);
    const own = await call('POST', '/api/v1/devices', tokens.device_provider, {
      id: 'LOCK-NEW',
      class: 'active',
      kind: 'e_lock',
      protocol: 'jt600',
    });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json().owner, 'lockco');
  });
});
