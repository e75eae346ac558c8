/**
 * Unsigned readings cannot add to an ended movement's evidence: a vendor reading (OsmAnd here, any
 * listener or integration alike) dated inside the armed period of a movement that has ended is
 * quarantined as movement_ended, and the movement's track and alerts stay as they were; one dated
 * after the end is the device's own and accepted; signed history still arrives late (DESIGN §5).
 * On SQLite and on PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { TEST_DATABASE_URL } from '../testing/test-cluster';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const IMEI = '356307042441777';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`unsigned readings after a movement ended (${engine})`, () => {
    let p: P;
    let movement = '';
    const key = generateDeviceKey('EdDSA');
    const schema = `ended_${process.pid}_${Date.now() % 100000}`;
    const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
      p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });
    const osmand = (minutes: number, lat: number, lon: number) =>
      fetch(
        `http://127.0.0.1:${p.listeners().osmand}/?id=${IMEI}&lat=${lat}&lon=${lon}&timestamp=${Math.floor(Date.parse(minutesAgo(minutes)) / 1000)}`,
      );
    const observations = async () =>
      (await admin('GET', `/api/v1/devices/${IMEI}/observations?limit=1000`)).json().items.map((o: { time: string }) => o.time);
    const trackPoints = async () => {
      const track = (await admin('GET', `/api/v1/movements/${movement}/track`)).json();
      return JSON.stringify(track);
    };

    before(async () => {
      p = await startTestPlatform(
        engine === 'postgres'
          ? {
              DATABASE_URL: TEST_DATABASE_URL,
              SEALWATCH_DB_SCHEMA: schema,
              SEALWATCH_AUDIT_CHECKPOINT_S: '0',
              SEALWATCH_TRANSIT_EVAL_S: '0',
            }
          : { SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' },
      );
      await p.listen();
      for (const office of [mombasaOffice, malabaOffice]) assert.equal((await admin('POST', '/api/v1/offices', office)).statusCode, 201);
      const tracker = await admin('POST', '/api/v1/devices', { id: IMEI, class: 'active', kind: 'tracker', protocol: 'osmand' });
      assert.equal(tracker.statusCode, 201, tracker.body);
      const lock = await admin('POST', '/api/v1/devices', {
        id: 'SIGNED-LOCK',
        class: 'active',
        kind: 'e_lock',
        protocol: 'native',
        key: key.registration,
      });
      assert.equal(lock.statusCode, 201, lock.body);
      const m = await admin('POST', '/api/v1/movements', buildMovementBody({ devices: [IMEI, 'SIGNED-LOCK'] }));
      assert.equal(m.statusCode, 201, m.body);
      movement = m.json().id;
      assert.equal((await admin('POST', `/api/v1/movements/${movement}/start`, { time: minutesAgo(60) })).statusCode, 200);
      // While the movement is under way a late vendor reading is the device's store-and-forward: taken.
      assert.equal((await osmand(50, -3.9, 39.5)).status, 200);
      assert.equal((await admin('POST', `/api/v1/movements/${movement}/arrive`, { time: minutesAgo(12) })).statusCode, 200);
      assert.equal((await admin('POST', `/api/v1/movements/${movement}/end`, { time: minutesAgo(10) })).statusCode, 200);
      await p.ctx.processor.idle();
    });
    after(async () => {
      await p.cleanup();
      if (engine === 'postgres') {
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    });

    test('a vendor reading dated inside the ended movement is quarantined as movement_ended; the track stays as it was', async () => {
      const before = await observations();
      const track = await trackPoints();
      const alerts = (await admin('GET', `/api/v1/alerts?movement=${movement}`)).json().items.length;
      const r = await osmand(30, -1.2921, 36.8219);
      assert.notEqual(r.status, 200, 'refused');
      assert.doesNotMatch(await r.text(), new RegExp(movement), 'the sender is not told which movement');
      await p.ctx.processor.idle();
      assert.deepEqual(await observations(), before, 'nothing stored for the movement');
      assert.equal(await trackPoints(), track);
      assert.equal((await admin('GET', `/api/v1/alerts?movement=${movement}`)).json().items.length, alerts);
      const q = (await admin('GET', `/api/v1/quarantine?device=${IMEI}`)).json().items;
      assert.equal(q.length, 1, JSON.stringify(q));
      assert.equal(q[0].reason, 'movement_ended');
      assert.doesNotMatch(q[0].detail, new RegExp(movement), "the device's owner reading its quarantine is no party to the movement");
    });

    test("a vendor reading dated after the end is the device's own, accepted and attributed to no movement", async () => {
      const before = (await observations()).length;
      assert.equal((await osmand(2, 0.63, 34.27)).status, 200);
      assert.equal((await observations()).length, before + 1);
    });

    test('signed history dated inside the ended movement still arrives late and is accepted (store-and-forward is a right)', async () => {
      const r = await p.http.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        payload: { messages: [signMessage(key, { device: 'SIGNED-LOCK', seq: 1, time: minutesAgo(30), seal: { state: 'closed' } })] },
      });
      assert.equal(r.json().results[0].status, 'accepted', r.body);
    });
  });
}
