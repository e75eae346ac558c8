/**
 * Trust across parties, reproduced through the real platform: a customs officer of one country
 * cannot take over a device sealing another administration's movement, a backdated second
 * movement cannot take its alerts or history, offices are of an office's size inside their
 * country, and a key change during a movement needs a reason and raises an alert there.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, consentToLend, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const darOffice = {
  code: 'TZDAR',
  name: 'Dar es Salaam Port',
  country: 'TZ',
  area: { center: { lat: -6.842, lon: 39.288 }, radiusM: 2500 },
};
const kigaliOffice = {
  code: 'RWKGL',
  name: 'Kigali Magerwa',
  country: 'RW',
  area: { center: { lat: -1.976, lon: 30.079 }, radiusM: 2000 },
};
const mombasaOffice = {
  code: 'KEMBA',
  name: 'Mombasa Port',
  country: 'KE',
  area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 3000 },
};
const route = {
  type: 'LineString',
  coordinates: [
    [39.288, -6.842],
    [30.079, -1.976],
  ],
};
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('device custody across parties', () => {
  let p: P;
  const tokens: Record<string, string> = {};
  const key = generateDeviceKey('EdDSA');
  let seq = 0;
  let real = '';

  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    p.http.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });
  const tzToRw = (over: object = {}) => ({
    ...buildMovementBody({ devices: ['LOCK-1'] }),
    departureOffice: 'TZDAR',
    destinationOffice: 'RWKGL',
    route,
    authorizedStops: [],
    trader: 'kilimanjaro',
    ...over,
  });
  const report = async (time: string, seal: object, position = { lat: -4.5, lon: 35.0 }) => {
    seq += 1;
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      payload: { messages: [signMessage(key, { device: 'LOCK-1', seq, time, position, seal })] },
    });
    assert.equal(r.json().results[0].status, 'accepted', r.body);
    await p.ctx.processor.idle();
  };
  const alertsOf = async (movement: string) =>
    (await admin('GET', `/api/v1/alerts?movement=${movement}`))
      .json()
      .items.map((a: { type: string }) => a.type)
      .sort();

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [
      { id: 'tra', name: 'Tanzania Revenue Authority', kind: 'customs', country: 'TZ' },
      { id: 'rra', name: 'Rwanda Revenue Authority', kind: 'customs', country: 'RW' },
      { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
      { id: 'kilimanjaro', name: 'Kilimanjaro Transit', kind: 'trader' },
      { id: 'sealtrack', name: 'Sealtrack Devices', kind: 'device_provider' },
    ])
      assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
    for (const [name, org, role] of [
      ['officer.tz', 'tra', 'officer'],
      ['officer.rw', 'rra', 'officer'],
      ['officer.ke', 'kra', 'officer'],
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
      tokens[name] = (await admin('POST', '/api/v1/tokens', { name, user: u.json().id })).json().token;
    }
    for (const o of [darOffice, kigaliOffice, mombasaOffice]) assert.equal((await admin('POST', '/api/v1/offices', o)).statusCode, 201);
    await consentToLend(p, 'kilimanjaro', ['tra', 'rra', 'kra']);
    const d = await call('POST', '/api/v1/devices', tokens.provider, {
      id: 'LOCK-1',
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      key: key.registration,
    });
    assert.equal(d.statusCode, 201, d.body);
    // The provider hands the e-lock to the trader for its Central Corridor trips.
    assert.equal(
      (await call('POST', '/api/v1/devices/LOCK-1/custody', tokens.provider, { holder: 'kilimanjaro', from: minutesAgo(24 * 60) }))
        .statusCode,
      201,
    );
    const m = await call('POST', '/api/v1/movements', tokens['officer.tz'], tzToRw());
    assert.equal(m.statusCode, 201, m.body);
    real = m.json().id;
    assert.equal((await call('POST', `/api/v1/movements/${real}/start`, tokens['officer.tz'], { time: minutesAgo(120) })).statusCode, 200);
    await report(minutesAgo(100), { state: 'closed', rope: 'inserted', lock: 'locked' });
  });
  after(() => p.cleanup());

  test('another administration cannot declare a movement with a device sealing a movement in transit (409 device_on_movement), nor without custody (422)', async () => {
    const viaTrader = await call('POST', '/api/v1/movements', tokens['officer.ke'], tzToRw({ departureOffice: 'KEMBA' }));
    assert.equal(viaTrader.statusCode, 409, viaTrader.body);
    assert.equal(viaTrader.json().code, 'device_on_movement');
    assert.equal(viaTrader.body.includes(real), false, "Kenya is not told which movement (Tanzania's, out of its scope) has the device");
    assert.equal(viaTrader.json().details.device, 'LOCK-1');
    const own = await call('POST', '/api/v1/movements', tokens['officer.ke'], tzToRw({ departureOffice: 'KEMBA', trader: null }));
    assert.equal(own.statusCode, 422, own.body);
    assert.equal(own.json().code, 'device_not_in_custody');
    const fromTz = await call('POST', '/api/v1/movements', tokens['officer.ke'], tzToRw());
    assert.equal(fromTz.statusCode, 403, fromTz.body);
    assert.equal(fromTz.json().code, 'outside_jurisdiction');
    // Kenya does not even see the Tanzania→Rwanda movement, so it cannot command its device.
    const unlock = await call('POST', '/api/v1/devices/LOCK-1/commands', tokens['officer.ke'], {
      type: 'unlock',
      movement: real,
      reason: 'take over',
    });
    assert.ok([404, 422].includes(unlock.statusCode), unlock.body);
    assert.deepEqual((await p.ctx.store.commands.listByDevice('LOCK-1' as never, { limit: 10 })).items, []);
  });

  test('two declarations racing for one device: exactly one wins', async () => {
    assert.equal(
      (await call('POST', '/api/v1/devices', tokens.provider, { id: 'LOCK-2', class: 'active', kind: 'e_lock', protocol: 'jt600' }))
        .statusCode,
      201,
    );
    assert.equal((await call('POST', '/api/v1/devices/LOCK-2/custody', tokens.provider, { holder: 'tra' })).statusCode, 201);
    const results = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/api/v1/movements', tokens['officer.tz'], tzToRw({ devices: ['LOCK-2'], trader: null }))),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409, 409]);
  });

  test("a backdated second movement cannot take the first one's alerts or track: its start never reaches before the first ended, nor beyond the window", async () => {
    assert.equal((await call('POST', `/api/v1/movements/${real}/arrive`, tokens['officer.rw'], { time: minutesAgo(60) })).statusCode, 200);
    assert.equal((await call('POST', `/api/v1/movements/${real}/end`, tokens['officer.rw'], { time: minutesAgo(50) })).statusCode, 200);
    const second = await call('POST', '/api/v1/movements', tokens['officer.tz'], tzToRw());
    assert.equal(second.statusCode, 201, second.body);
    const id = second.json().id;
    const yearAgo = await call('POST', `/api/v1/movements/${id}/start`, tokens['officer.tz'], {
      time: new Date(Date.now() - 365 * 86_400_000).toISOString(),
    });
    assert.equal(yearAgo.statusCode, 422, yearAgo.body);
    assert.equal(yearAgo.json().code, 'backdated_start');
    const overlap = await call('POST', `/api/v1/movements/${id}/start`, tokens['officer.tz'], { time: minutesAgo(55) });
    assert.equal(overlap.statusCode, 422, overlap.body);
    assert.equal(overlap.json().code, 'backdated_start');
    assert.equal((await call('POST', `/api/v1/movements/${id}/start`, tokens['officer.tz'], {})).statusCode, 200);
    // A tamper made during the first movement, uploaded late: it stays the first movement's.
    await report(minutesAgo(80), { state: 'tampered', rope: 'inserted', lock: 'locked' });
    assert.deepEqual(await alertsOf(real), ['seal_tampered']);
    assert.deepEqual(await alertsOf(id), []);
    const track = (await admin('GET', `/api/v1/movements/${id}/track`)).json();
    assert.equal(track.features[0].properties.points, 0, "the first movement's positions are not in the second's track");
  });

  test('a key change while the device is on a movement needs a reason and raises device_key_changed there', async () => {
    const movement = (await admin('GET', '/api/v1/movements?device=LOCK-1&status=in_transit')).json().items[0].id;
    const keyId = (await call('GET', '/api/v1/devices/LOCK-1/keys', tokens.provider)).json().items[0].keyId;
    const k2 = generateDeviceKey('EdDSA');
    const silent = await call('POST', `/api/v1/devices/LOCK-1/keys/${keyId}/rotate`, tokens.provider, { ...k2.registration });
    assert.equal(silent.statusCode, 422, silent.body);
    assert.equal(silent.json().code, 'key_change_reason_required');
    assert.ok(!silent.body.includes(movement), 'the provider learns that its device is in use, not which movement');
    const provisioned = await call('POST', '/api/v1/devices/LOCK-1/keys', tokens.provider, { ...generateDeviceKey('EdDSA').registration });
    assert.equal(provisioned.json().code, 'key_change_reason_required');
    assert.ok(!provisioned.body.includes(movement), provisioned.body);
    const said = await call('POST', `/api/v1/devices/LOCK-1/keys/${keyId}/rotate`, tokens.provider, {
      ...k2.registration,
      reason: 'secure element replaced after a fault',
    });
    assert.equal(said.statusCode, 201, said.body);
    assert.deepEqual(await alertsOf(movement), ['device_key_changed']);
    const event = (await admin('GET', `/api/v1/movements/${movement}/events?type=device_key_changed`)).json().items[0];
    assert.equal(event.details.reason, 'secure element replaced after a fault');
    assert.equal(event.details.organisation, 'sealtrack');
  });

  test("offices: of an office's size, inside their country, registered by that country's administration", async () => {
    const huge = await admin('POST', '/api/v1/offices', {
      code: 'RWHUGE',
      name: 'Everywhere',
      country: 'RW',
      area: { center: { lat: -1.976, lon: 30.079 }, radiusM: 500_000 },
    });
    assert.equal(huge.statusCode, 422, huge.body);
    assert.equal(huge.json().code, 'office_area_too_large');
    const elsewhere = await admin('POST', '/api/v1/offices', {
      code: 'RWNBO',
      name: 'Rwanda in Nairobi',
      country: 'RW',
      area: { center: { lat: -1.2921, lon: 36.8219 }, radiusM: 2000 },
    });
    assert.equal(elsewhere.statusCode, 422, elsewhere.body);
    assert.equal(elsewhere.json().code, 'office_outside_country');
    const foreign = await call('POST', '/api/v1/offices', tokens['officer.ke'], { ...kigaliOffice, code: 'RWKG2' });
    assert.equal(foreign.statusCode, 403, 'an officer lacks offices.write');
  });
});
