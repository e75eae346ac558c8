/** SEALWATCH_PENDING_DEVICES: an unknown vendor id is listed (and still quarantined) until an operator approves it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('pending devices', () => {
  let p: P;
  let off: P;
  const imei = '356307042441099';
  const osmand = (platform: P) =>
    fetch(`http://127.0.0.1:${platform.listeners().osmand}/?id=${imei}&lat=-1.2921&lon=36.8219&timestamp=${Math.floor(Date.now() / 1000)}`);
  const get = async (platform: P, url: string) => (await platform.http.inject({ method: 'GET', url, headers: platform.auth })).json();

  before(async () => {
    [p, off] = await Promise.all([startTestPlatform({ SEALWATCH_PENDING_DEVICES: 'true' }), startTestPlatform()]);
    await Promise.all([p.listen(), off.listen()]);
  });
  after(async () => {
    await p.cleanup();
    await off.cleanup();
  });

  test('an unknown IMEI is quarantined and listed with its protocol and sightings', async () => {
    assert.equal((await osmand(p)).status, 400);
    assert.equal((await osmand(p)).status, 400);
    const pending = await get(p, '/api/v1/devices/pending');
    assert.deepEqual(
      pending.items.map((d: { identifier: string; protocol: string; count: number; transport: string }) => [
        d.identifier,
        d.protocol,
        d.count,
        d.transport,
      ]),
      [[imei, 'osmand', 2, 'http:osmand']],
    );
    const q = await get(p, `/api/v1/quarantine?device=${imei}`);
    assert.equal(q.items.length, 2);
    assert.match(q.items[0].detail, /listed as pending/);
    assert.equal(await p.ctx.store.observations.lastId(), 0);
  });

  test('a provider approves a pending device only as its own: another owner is refused by name (422), not replaced', async () => {
    const admin = (url: string, payload: object) => p.http.inject({ method: 'POST', url, headers: p.auth, payload });
    assert.equal((await admin('/api/v1/organisations', { id: 'trackco', name: 'TrackCo', kind: 'device_provider' })).statusCode, 201);
    const u = await admin('/api/v1/users', {
      username: 'trackco',
      name: 'TrackCo',
      organisation: 'trackco',
      roles: ['device_provider'],
      password: 'pw-trackco-long-enough',
    });
    const token = (await admin('/api/v1/tokens', { name: 'trackco', user: u.json().id })).json().token;
    const r = await p.http.inject({
      method: 'POST',
      url: `/api/v1/devices/pending/${imei}/approve`,
      headers: { authorization: `Bearer ${token}` },
      payload: { class: 'active', kind: 'tracker', owner: 'someone-else' },
    });
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(r.json().details.fields, ['owner']);
    assert.equal((await get(p, '/api/v1/devices/pending')).items.length, 1, 'still pending');
  });

  test('approval registers the device under its identifier and IMEI; its next position is accepted', async () => {
    const r = await p.http.inject({
      method: 'POST',
      url: `/api/v1/devices/pending/${imei}/approve`,
      headers: p.auth,
      payload: { class: 'active', kind: 'tracker', reportIntervalS: 30 },
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().id, r.json().protocol, r.json().identifiers], [imei, 'osmand', { imei }]);
    assert.deepEqual((await get(p, '/api/v1/devices/pending')).items, []);
    assert.equal((await osmand(p)).status, 200);
    const obs = await get(p, `/api/v1/devices/${imei}/observations`);
    assert.equal(obs.items.length, 1);
    const again = await p.http.inject({
      method: 'POST',
      url: `/api/v1/devices/pending/${imei}/approve`,
      headers: p.auth,
      payload: { class: 'active', kind: 'tracker' },
    });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().code, 'unknown_pending_device');
  });

  test('without SEALWATCH_PENDING_DEVICES nothing is listed, and unknown ids are only quarantined', async () => {
    assert.equal((await osmand(off)).status, 400);
    assert.deepEqual((await get(off, '/api/v1/devices/pending')).items, []);
    assert.equal((await get(off, `/api/v1/quarantine?device=${imei}`)).items.length, 1);
  });
});
