/**
 * Every read is scoped, not only movements and alerts: a customs administration reads a device's
 * live state, observations, refusals and audit entries only while the device carries cargo of its
 * jurisdiction, and risk records of its own traders.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const kigaliOffice = { code: 'RWKGL', name: 'Kigali', country: 'RW', area: { center: { lat: -1.95, lon: 30.06 }, radiusM: 2000 } };

describe('scoped reads', () => {
  let p: P;
  let ke = '';
  let rw = '';
  let movement = '';
  const key = generateDeviceKey('EdDSA');
  const admin = (method: string, url: string, payload?: unknown) =>
    p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const get = async (token: string, url: string) => p.http.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const ingest = async (messages: string[]) =>
    (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages } })).json().results;
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [
      { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' },
      { id: 'rra', name: 'RRA', kind: 'customs', country: 'RW' },
      { id: 'beta', name: 'Beta', kind: 'trader' },
    ]) {
      assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
    }
    const tokenOf = async (username: string, organisation: string) => {
      const u = await admin('POST', '/api/v1/users', {
        username,
        name: username,
        organisation,
        roles: ['supervisor'],
        password: `${username} long password`,
      });
      assert.equal(u.statusCode, 201, u.body);
      return (await admin('POST', '/api/v1/tokens', { name: username, user: u.json().id })).json().token as string;
    };
    ke = await tokenOf('ke.supervisor', 'kra');
    rw = await tokenOf('rw.supervisor', 'rra');
    for (const office of [mombasaOffice, malabaOffice, kigaliOffice])
      assert.equal((await admin('POST', '/api/v1/offices', office)).statusCode, 201);
    assert.equal(
      (await admin('POST', '/api/v1/devices', { id: 'LOCK-A', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration }))
        .statusCode,
      201,
    );
    // Before the movement: the device's own business, nobody's cargo.
    assert.equal(
      (await ingest([signMessage(key, { device: 'LOCK-A', seq: 1, time: ago(120), position: { lat: -3.0, lon: 38.0 } })]))[0].status,
      'accepted',
    );
    const m = await admin('POST', '/api/v1/movements', {
      ...buildMovementBody({ devices: ['LOCK-A'] }),
      trader: 'beta',
      departureOffice: 'UGMAL',
      destinationOffice: 'RWKGL',
    });
    assert.equal(m.statusCode, 201, m.body);
    movement = m.json().id;
    assert.equal((await admin('POST', `/api/v1/movements/${movement}/start`, { time: ago(60) })).statusCode, 200);
    assert.equal(
      (
        await ingest([
          signMessage(key, { device: 'LOCK-A', seq: 2, time: ago(30), position: { lat: -1.9, lon: 30.1 }, seal: { state: 'tampered' } }),
        ])
      )[0].status,
      'accepted',
    );
    // A forgery naming the device: a refusal with its raw bytes, evidence about LOCK-A.
    assert.equal(
      (
        await ingest([
          signMessage(generateDeviceKey('EdDSA'), { device: 'LOCK-A', seq: 3, time: ago(1), position: { lat: -1.9, lon: 30.1 } }),
        ])
      )[0].reason,
      'bad_signature',
    );
  });
  after(() => p.cleanup());

  test("another country's administration sees the device listed, not its live position or seal", async () => {
    const listed = (await get(ke, '/api/v1/devices')).json().items.find((d: { id: string }) => d.id === 'LOCK-A');
    assert.ok(listed, 'the registry entry is listed');
    assert.equal(listed.position ?? null, null);
    assert.equal(listed.seal ?? null, null);
    assert.equal((await get(ke, '/api/v1/devices/LOCK-A')).json().position ?? null, null);
    const own = (await get(rw, '/api/v1/devices/LOCK-A')).json();
    assert.ok(own.position, 'the destination administration sees where its cargo is');
  });

  test('observations: only within the periods the device was on movements in scope', async () => {
    const keObs = await get(ke, '/api/v1/devices/LOCK-A/observations');
    assert.equal(keObs.statusCode, 200, keObs.body);
    assert.deepEqual(keObs.json().items, []);
    const rwObs = (await get(rw, '/api/v1/devices/LOCK-A/observations')).json().items;
    assert.deepEqual(
      rwObs.map((o: { seq: number }) => o.seq),
      [2],
      'not the observation made before the movement started',
    );
    const paged = (await get(rw, '/api/v1/devices/LOCK-A/observations?limit=1&order=asc')).json();
    assert.deepEqual(
      paged.items.map((o: { seq: number }) => o.seq),
      [2],
    );
    if (paged.nextCursor)
      assert.deepEqual(
        (await get(rw, `/api/v1/devices/LOCK-A/observations?limit=1&order=asc&cursor=${paged.nextCursor}`)).json().items,
        [],
      );
    assert.deepEqual(
      (await get(p.auth.authorization.slice(7), '/api/v1/devices/LOCK-A/observations')).json().items.map((o: { seq: number }) => o.seq),
      [2, 1],
      'a full scope sees all',
    );
  });

  test('quarantine: refusals naming a device in scope only', async () => {
    const keQ = (await get(ke, '/api/v1/quarantine')).json().items;
    assert.equal(keQ.filter((q: { device: string }) => q.device === 'LOCK-A').length, 0);
    const rwQ = (await get(rw, '/api/v1/quarantine')).json().items;
    const entry = rwQ.find((q: { device: string }) => q.device === 'LOCK-A');
    assert.ok(entry, 'the destination administration sees the forgery against its cargo');
    assert.equal((await get(ke, `/api/v1/quarantine/${entry.id}`)).statusCode, 404);
    assert.equal((await get(rw, `/api/v1/quarantine/${entry.id}`)).statusCode, 200);
  });

  test('audit entries: about movements in scope and devices while on them', async () => {
    const about = (items: { subjects: string[] }[]) => items.filter((e) => e.subjects.includes(movement) || e.subjects.includes('LOCK-A'));
    const keEntries = (await get(ke, '/api/v1/audit/entries?limit=1000')).json().items;
    assert.deepEqual(about(keEntries), []);
    const rwEntries = (await get(rw, '/api/v1/audit/entries?limit=1000')).json().items;
    assert.ok(about(rwEntries).length >= 2, JSON.stringify(rwEntries.map((e: { action: string }) => e.action)));
  });

  test("risk: a trader's record by jurisdiction", async () => {
    assert.equal((await get(ke, '/api/v1/risk/traders/beta')).statusCode, 404);
    assert.equal((await get(rw, '/api/v1/risk/traders/beta')).statusCode, 200);
  });
});
