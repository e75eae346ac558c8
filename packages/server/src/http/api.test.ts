import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { sign } from 'node:crypto';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('HTTP API v1', () => {
  let p: P;
  let key: DeviceSigningKey;
  let movementId: string;
  let seq = 0;
  const device = 'KE-ELOCK-0001';
  const now = () => new Date().toISOString();
  const payload = (o: Record<string, unknown> = {}) => ({
    device,
    seq: ++seq,
    time: now(),
    position: { lat: -3.9, lon: 39.5 },
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    ...o,
  });
  const ingest = async (messages: string[]) => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages } });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results as { device: string; seq: number; status: string; reason?: string }[];
  };
  const get = async (url: string) => {
    const r = await p.http.inject({ method: 'GET', url, headers: p.auth });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };
  const post = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });

  before(async () => {
    p = await startTestPlatform();
    key = generateDeviceKey('EdDSA');
    for (const office of [mombasaOffice, malabaOffice]) assert.equal((await post('/api/v1/offices', office)).statusCode, 201);
    const d = await post('/api/v1/devices', {
      id: device,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      key: key.registration,
      reportIntervalS: 60,
    });
    assert.equal(d.statusCode, 201, d.body);
    const m = await post('/api/v1/movements', buildMovementBody({ devices: [device] }));
    assert.equal(m.statusCode, 201, m.body);
    movementId = m.json().id;
    assert.equal((await post(`/api/v1/movements/${movementId}/start`, {})).statusCode, 200);
  });
  after(() => p.cleanup());

  test('management calls without the bearer token get 401 problem details', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/movements' });
    assert.equal(r.statusCode, 401);
    assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(r.json().code, 'unauthorized');
    const wrong = await p.http.inject({
      method: 'GET',
      url: '/api/v1/movements',
      headers: { authorization: 'Bearer nope-nope-nope-nope' },
    });
    assert.equal(wrong.statusCode, 401);
  });

  test('schema errors name the field; duplicates are 409 with a stable code', async () => {
    const bad = await post('/api/v1/offices', { ...mombasaOffice, code: 'X1', country: 'Kenya' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_failed');
    assert.match(bad.json().detail, /^body\.country/);
    const dup = await post('/api/v1/offices', mombasaOffice);
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'office_exists');
    const openRing = await post('/api/v1/offices', {
      ...malabaOffice,
      code: 'X2',
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [34, 0],
            [35, 0],
            [35, 1],
            [34, 1],
          ],
        ],
      },
    });
    assert.equal(openRing.statusCode, 400);
  });

  test('a movement with a wrong container check digit is refused with invalid_container_number', async () => {
    const r = await post('/api/v1/movements', buildMovementBody({ container: 'CSQU3054384' }));
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().code, 'invalid_container_number');
  });

  test('a movement naming an unknown office or device is refused with 422', async () => {
    const office = await post('/api/v1/movements', buildMovementBody({ destinationOffice: 'NOWHERE' }));
    assert.equal(office.statusCode, 422);
    assert.equal(office.json().code, 'unknown_office');
    const dev = await post('/api/v1/movements', buildMovementBody({ devices: ['GHOST-1'] }));
    assert.equal(dev.statusCode, 422);
    assert.equal(dev.json().code, 'unknown_device');
  });

  test('device keys: a short HS256 secret and a native device without key are refused; secrets are never shown', async () => {
    const short = await post('/api/v1/devices', {
      id: 'HS-SHORT',
      class: 'active',
      kind: 'e_seal',
      protocol: 'native',
      key: { alg: 'HS256', secret: 'c2hvcnQ' },
    });
    assert.equal(short.statusCode, 422);
    assert.equal(short.json().code, 'invalid_device_key');
    const nokey = await post('/api/v1/devices', { id: 'NO-KEY', class: 'active', kind: 'e_seal', protocol: 'native' });
    assert.equal(nokey.statusCode, 400);
    const hs = generateDeviceKey('HS256');
    const ok = await post('/api/v1/devices', {
      id: 'HS-OK',
      class: 'semi_active',
      kind: 'e_seal',
      protocol: 'native',
      key: hs.registration,
    });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(ok.json().key, { alg: 'HS256' });
    assert.deepEqual((await get('/api/v1/devices/HS-OK')).key, { alg: 'HS256' });
  });

  test('movement lifecycle: start twice is invalid_transition; arrive and end take a recorded time', async () => {
    const m = await post('/api/v1/movements', buildMovementBody());
    const id = m.json().id;
    assert.equal(m.json().status, 'declared');
    const started = await post(`/api/v1/movements/${id}/start`, { time: '2026-11-20T08:00:00Z' });
    assert.equal(started.json().startedAt, '2026-11-20T08:00:00.000Z');
    const again = await post(`/api/v1/movements/${id}/start`, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'invalid_transition');
    assert.equal((await post(`/api/v1/movements/${id}/arrive`, { time: '2026-11-21T08:00:00Z' })).json().status, 'arrived');
    assert.equal((await post(`/api/v1/movements/${id}/end`, {})).json().status, 'ended');
    const events = await get(`/api/v1/movements/${id}/events`);
    // In time order: the departure was recorded for a time before the declaration was entered.
    assert.deepEqual(
      events.items.map((e: { type: string }) => e.type),
      ['movement_started', 'movement_arrived', 'movement_declared', 'movement_ended'],
    );
    assert.equal(events.items[0].time, '2026-11-20T08:00:00.000Z');
  });

  test('accepted is durable: the row is in the SQLite file, read by another connection', async () => {
    const [r] = await ingest([signMessage(key, payload())]);
    assert.equal(r.status, 'accepted');
    const db = new Database(p.ctx.config.sqlite.file, { readonly: true });
    try {
      const row = db.prepare('SELECT count(*) AS n FROM observations WHERE device = ? AND seq = ?').get(device, r.seq) as { n: number };
      assert.equal(row.n, 1);
    } finally {
      db.close();
    }
  });

  test('the same message again is a duplicate, stored once; other content under the same seq is seq_conflict and raises message_forged', async () => {
    const body = payload();
    const jws = signMessage(key, body);
    assert.deepEqual(
      (await ingest([jws, jws])).map((r) => r.status),
      ['accepted', 'duplicate'],
    );
    assert.equal((await ingest([jws]))[0].status, 'duplicate');
    const forged = signMessage(key, { ...body, seal: { state: 'closed', rope: 'inserted', lock: 'unlocked' } });
    const [c] = await ingest([forged]);
    assert.equal(c.status, 'rejected');
    assert.equal(c.reason, 'seq_conflict');
    const alerts = await get(`/api/v1/alerts?movement=${movementId}&type=message_forged`);
    assert.equal(alerts.items.length, 1);
    assert.equal(alerts.items[0].severity, 'major');
    const obs = await get(`/api/v1/devices/${device}/observations?limit=1000`);
    assert.equal(obs.items.filter((o: { seq: number }) => o.seq === body.seq).length, 1);
  });

  test('an ES256 device that re-signs a resend (new random signature, same payload) gets duplicate, not seq_conflict', async () => {
    const es = generateDeviceKey('ES256');
    assert.equal(
      (await post('/api/v1/devices', { id: 'ES-1', class: 'active', kind: 'e_seal', protocol: 'native', key: es.registration })).statusCode,
      201,
    );
    const body = { device: 'ES-1', seq: 1, time: now(), seal: { state: 'closed' } };
    const a = signMessage(es, body);
    const b = signMessage(es, body);
    assert.notEqual(a, b, 'ECDSA signatures are randomised');
    assert.deepEqual(
      (await ingest([a, b])).map((r) => r.status),
      ['accepted', 'duplicate'],
    );
  });

  test('every rule of protocol v1 rejects with its reason, and each rejected message is quarantined with its raw bytes', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const good = signMessage(key, payload());
    const [h, pl] = good.split('.');
    const hs = generateDeviceKey('HS256');
    const cases: [string, string][] = [
      ['malformed_jws', 'not-a-jws'],
      ['invalid_header', `${b64({ alg: 'EdDSA' })}.${pl}.AAAA`],
      ['algorithm_not_allowed', `${b64({ alg: 'none', kid: device })}.${pl}.`.replace(/\.$/, '.AA')],
      ['algorithm_not_allowed', signMessage(hs, payload()).replace(/^[^.]+/, b64({ alg: 'HS256', kid: device }))],
      ['unknown_device', signMessage(key, { ...payload(), device: 'NOBODY' })],
      ['bad_signature', `${h}.${pl}.${Buffer.alloc(64).toString('base64url')}`],
      ['kid_mismatch', signWithKid(key, device, { ...payload(), device: 'OTHER' })],
      ['clock_skew', signMessage(key, payload({ time: new Date(Date.now() + 10 * 60_000).toISOString() }))],
      ['invalid_payload', signMessage(key, payload({ seal: { state: 'ajar' } }))],
      ['invalid_payload', signMessage(key, payload({ firmware: 'v1\u0000' }))],
    ];
    const results = await ingest(cases.map(([, m]) => m));
    assert.deepEqual(
      results.map((r) => r.reason),
      cases.map(([reason]) => reason),
    );
    const q = await get('/api/v1/quarantine?limit=50');
    for (const [reason, raw] of cases) {
      const entry = q.items.find(
        (e: { reason: string; raw: string }) => e.reason === reason && Buffer.from(e.raw, 'base64').toString() === raw,
      );
      assert.ok(entry, `quarantined ${reason}`);
      assert.ok(entry.detail.length > 0);
    }
    const one = await get(`/api/v1/quarantine/${q.items[0].id}`);
    assert.equal(one.id, q.items[0].id);
  });

  test('application/jose carries one message', async () => {
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { 'content-type': 'application/jose' },
      payload: signMessage(key, payload()),
    });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().results[0].status, 'accepted');
  });

  test('a batch over 1000 messages is refused whole; a batch of 200 verifies on the worker threads', async () => {
    const tooMany = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: Array(1001).fill('x') } });
    assert.equal(tooMany.statusCode, 400);
    const batch = Array.from({ length: 200 }, () => signMessage(key, payload()));
    batch[57] = batch[57].slice(0, -4) + 'AAAA';
    const results = await ingest(batch);
    assert.equal(results.filter((r) => r.status === 'accepted').length, 199);
    assert.equal(results[57].reason, 'bad_signature');
  });

  test('a tampered seal in transit opens one critical alert; repeats update it; the lifecycle closes it', async () => {
    await ingest([signMessage(key, payload({ seal: { state: 'tampered' } }))]);
    await ingest([signMessage(key, payload({ seal: { state: 'closed' } }))]);
    await ingest([signMessage(key, payload({ seal: { state: 'tampered' } }))]);
    await p.ctx.processor.idle();
    const list = await get(`/api/v1/alerts?movement=${movementId}&type=seal_tampered`);
    assert.equal(list.items.length, 1);
    const alert = list.items[0];
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.count, 2);
    assert.equal((await post(`/api/v1/alerts/${alert.id}/acknowledge`, { comment: 'calling driver' })).json().status, 'acknowledged');
    assert.equal((await post(`/api/v1/alerts/${alert.id}/assign`, { assignee: 'RRU Voi' })).json().status, 'assigned');
    const bad = await post(`/api/v1/alerts/${alert.id}/resolve`, { outcome: 'maybe', comment: 'x' });
    assert.equal(bad.statusCode, 400);
    const resolved = await post(`/api/v1/alerts/${alert.id}/resolve`, { outcome: 'false_alarm', comment: 'seal intact on inspection' });
    assert.equal(resolved.json().outcome, 'false_alarm');
    assert.equal((await post(`/api/v1/alerts/${alert.id}/acknowledge`, {})).statusCode, 409);
  });

  test('a rope cut is a critical rope_cut alert; the movement shows the broken seal', async () => {
    await ingest([signMessage(key, payload({ seal: { state: 'open', rope: 'cut' } }))]);
    await p.ctx.processor.idle();
    const cut = await get(`/api/v1/alerts?movement=${movementId}&type=rope_cut`);
    assert.equal(cut.items[0].severity, 'critical');
    const m = await get(`/api/v1/movements/${movementId}`);
    assert.equal(m.live.seal.rope, 'cut');
    assert.ok(m.live.openAlerts >= 2);
  });

  test('track is GeoJSON; observations list pages by cursor', async () => {
    const track = await get(`/api/v1/movements/${movementId}/track`);
    assert.equal(track.type, 'FeatureCollection');
    assert.equal(track.features[0].geometry.type, 'LineString');
    assert.ok(track.features[0].geometry.coordinates.length > 5);
    // For a map: the line within 100 km keeps its ends and each change of seal state, nothing else.
    const coarse = await get(`/api/v1/movements/${movementId}/track?tolerance=100000`);
    const line = coarse.features[0];
    assert.equal(line.properties.positions, track.features[0].properties.points);
    assert.equal(line.properties.tolerance, 100000);
    assert.ok(line.geometry.coordinates.length < track.features[0].geometry.coordinates.length);
    const states = (t: { features: { geometry: { type: string }; properties: { seal: { state: string } | null } }[] }) =>
      t.features.filter((f) => f.geometry.type === 'Point').map((f) => f.properties.seal?.state ?? null);
    const changes = (xs: (string | null)[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);
    assert.deepEqual(changes(states(coarse)), changes(states(track)));
    assert.deepEqual(line.geometry.coordinates[0], track.features[0].geometry.coordinates[0]);
    assert.deepEqual(line.geometry.coordinates.at(-1), track.features[0].geometry.coordinates.at(-1));
    assert.equal(
      (await p.http.inject({ method: 'GET', url: `/api/v1/movements/${movementId}/track?tolerance=-1`, headers: p.auth })).statusCode,
      400,
    );
    const page1 = await get(`/api/v1/devices/${device}/observations?limit=3`);
    assert.equal(page1.items.length, 3);
    assert.ok(page1.nextCursor);
    const page2 = await get(`/api/v1/devices/${device}/observations?limit=3&cursor=${page1.nextCursor}`);
    assert.notDeepEqual(
      page2.items.map((o: { id: number }) => o.id),
      page1.items.map((o: { id: number }) => o.id),
    );
    assert.equal(page1.items[0].raw, undefined);
    const bad = await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}/observations?cursor=zzz`, headers: p.auth });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'invalid_cursor');
  });

  test('OpenAPI 3.1 document, docs, health and metrics are served', async () => {
    const doc = (await p.http.inject({ url: '/api/v1/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/movements/{id}/start'].post);
    assert.ok(doc.paths['/api/v1/ingest'].post.requestBody.content['application/jose']);
    assert.equal(
      (await p.http.inject({ url: '/docs' })).statusCode < 400 || (await p.http.inject({ url: '/docs/' })).statusCode === 200,
      true,
    );
    const health = (await p.http.inject({ url: '/healthz' })).json();
    assert.equal(health.status, 'ok');
    const metrics = (await p.http.inject({ url: '/metrics' })).body;
    assert.match(metrics, /sealwatch_ingest_messages_total\{result="rejected",reason="bad_signature"\} \d+/);
    assert.match(metrics, /sealwatch_alerts_unresolved\{type="rope_cut"\} 1/);
    const r = await p.http.inject({ url: '/nope' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'not_found');
    assert.ok(r.headers['content-security-policy']);
  });
});

/** A JWS whose header kid differs from the payload's device, validly signed with the kid's key. */
function signWithKid(key: DeviceSigningKey, kid: string, body: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: key.alg, kid })}.${b64(body)}`;
  return `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
}
