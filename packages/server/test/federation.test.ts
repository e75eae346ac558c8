/**
 * Federation between two real installations in one test (DESIGN §8, issue 14): Kenya (KRA) and
 * Uganda (URA), each a platform on its own port and data folder with its own keys, talking over
 * real HTTP. A Mombasa→Kampala movement declared in Kenya is announced to Uganda; a tamper inside
 * Uganda is an incident at both; Uganda records arrival and control results and Kenya sees them;
 * the trader, left out of the agreement, is absent at Uganda; Uganda down for a while loses
 * nothing; forged, unknown-partner and beyond-agreement messages are refused and quarantined.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { generateKeyPairSync, sign } from 'node:crypto';
import { buildMovementBody, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { loadServerKeyRing, rotateServerKey } from '../src/audit/server-key';
import { signFederationMessage } from '../src/federation/federation-keys';
import { RetentionService } from '../src/retention/retention.service';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
const kampalaOffice = { code: 'UGKLA', name: 'Kampala ICD', country: 'UG', area: { center: { lat: 0.3136, lon: 32.5811 }, radiusM: 2000 } };
const agreement = { fields: ['position'], positionsInside: 'partner_territory', retentionDays: 30 };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let kenya: P, uganda: P;
let kenyaUrl: string, ugandaUrl: string, ugandaPort: number;
/** Each clock runs ahead by this much when a test wants retries due. */
let kenyaShift = 0;
let ugandaShift = 0;
const identity = (administration: string, country: string, port: number) => ({
  SEALWATCH_ADMINISTRATION: administration,
  SEALWATCH_ADMINISTRATION_NAME: `${administration} customs`,
  SEALWATCH_COUNTRY: country,
  SEALWATCH_PUBLIC_URL: `http://127.0.0.1:${port}`,
  SEALWATCH_HTTP_PORT: String(port),
  SEALWATCH_TRANSIT_EVAL_S: '0',
});

async function call(base: string, method: string, path: string, body?: unknown) {
  const headers = body === undefined ? { authorization: auth.authorization } : auth;
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
async function ok(base: string, method: string, path: string, body?: unknown) {
  const r = await call(base, method, path, body);
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
/** Everything Kenya has to tell is queued and sent, and Uganda has applied it (and the same back). */
async function exchange(): Promise<void> {
  for (const p of [kenya, uganda]) {
    await p.ctx.processor.idle();
    await p.federation!.relay.idle();
  }
  await kenya.federation!.outbox.deliver();
  await uganda.federation!.relay.idle();
  await uganda.federation!.outbox.deliver();
  await kenya.federation!.relay.idle();
}

const device = generateKeyPairSync('ed25519');
const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
let seq = 0;
async function report(id: string, position: { lat: number; lon: number }, seal: string, minutesAgo: number) {
  seq += 1;
  const payload = { device: id, seq, time: new Date(Date.now() - minutesAgo * 60_000).toISOString(), position, seal: { state: seal } };
  const input = `${b64({ alg: 'EdDSA', kid: id })}.${b64(payload)}`;
  const jws = `${input}.${sign(null, Buffer.from(input), device.privateKey).toString('base64url')}`;
  const r = await fetch(`${kenyaUrl}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jws });
  assert.equal((await r.json()).results[0].status, 'accepted');
}

before(async () => {
  const kenyaPort = await freePort();
  ugandaPort = await freePort();
  kenya = await startTestPlatform(identity('KRA', 'KE', kenyaPort), { now: () => Date.now() + kenyaShift });
  uganda = await startTestPlatform(identity('URA', 'UG', ugandaPort), { now: () => Date.now() + ugandaShift });
  await kenya.listen();
  await uganda.listen();
  kenyaUrl = `http://127.0.0.1:${kenyaPort}`;
  ugandaUrl = `http://127.0.0.1:${ugandaPort}`;
});
after(async () => {
  await kenya.cleanup();
  await uganda.cleanup();
});

test('each installation publishes its identity, keys and inbox; plain http to a public host is refused', async () => {
  const doc = await (await fetch(`${ugandaUrl}/.well-known/sealwatch-federation`)).json();
  assert.equal(doc.administration, 'URA');
  assert.equal(doc.country, 'UG');
  assert.equal(doc.inbox, `${ugandaUrl}/api/v1/federation/inbox`);
  assert.equal(doc.jwks.keys.length, 1);
  assert.equal(doc.jwks.keys[0].crv, 'Ed25519');
  const kenyaDoc = await (await fetch(`${kenyaUrl}/.well-known/sealwatch-federation`)).json();
  assert.notEqual(kenyaDoc.jwks.keys[0].x, doc.jwks.keys[0].x, 'each its own key');
  const refused = await call(kenyaUrl, 'POST', '/api/v1/federation/partners', { url: 'http://customs.example.org', agreement });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.code, 'insecure_partner_url');
});

test('a Mombasa→Kampala movement is announced to Uganda, its tamper inside Uganda is an incident at both, Uganda arrives and Kenya sees it', async () => {
  for (const o of [mombasaOffice, kampalaOffice]) await ok(kenyaUrl, 'POST', '/api/v1/offices', o);
  await ok(ugandaUrl, 'POST', '/api/v1/offices', kampalaOffice);
  // Already on its way to Kampala before the partnership: announced when it is registered.
  const midTrip = await ok(
    kenyaUrl,
    'POST',
    '/api/v1/movements',
    buildMovementBody({ destinationOffice: 'UGKLA', reference: 'MRN-MIDTRIP', route: null, vehicle: 'KCB 123A' }),
  );
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${midTrip.id}/start`, {});
  await kenya.federation!.relay.idle();

  const toUganda = await ok(kenyaUrl, 'POST', '/api/v1/federation/partners', { url: ugandaUrl, agreement });
  assert.equal(toUganda.administration, 'URA');
  assert.equal(toUganda.keys.length, 1);
  await ok(ugandaUrl, 'POST', '/api/v1/federation/partners', { url: kenyaUrl, agreement });
  assert.equal((await call(kenyaUrl, 'POST', '/api/v1/federation/partners', { url: ugandaUrl, agreement })).body.code, 'partner_exists');

  const jwk = device.publicKey.export({ format: 'jwk' });
  await ok(kenyaUrl, 'POST', '/api/v1/devices', {
    id: 'FED-1',
    class: 'active',
    kind: 'e_lock',
    protocol: 'native',
    key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } },
  });
  const declared = await ok(
    kenyaUrl,
    'POST',
    '/api/v1/movements',
    buildMovementBody({
      devices: ['FED-1'],
      trader: 'trader-acme',
      vehicle: 'KCB 123A',
      destinationOffice: 'UGKLA',
      route: {
        type: 'LineString',
        coordinates: [
          [39.6682, -4.0435],
          [36.8219, -1.2921],
          [34.2766, 0.6346],
          [32.5811, 0.3136],
        ],
      },
    }),
  );
  // Departure recorded an hour ago: the reports below were made during the journey.
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${declared.id}/start`, { time: new Date(Date.now() - 3_600_000).toISOString() });
  await exchange();

  // Announced: Uganda lists it with its origin; the trader, outside the agreement, is absent.
  const listed = (await ok(ugandaUrl, 'GET', '/api/v1/movements')).items;
  assert.deepEqual(listed.map((m: { reference: string }) => m.reference).sort(), [declared.reference, 'MRN-MIDTRIP'].sort());
  assert.deepEqual(listed.find((m: { reference: string }) => m.reference === 'MRN-MIDTRIP').origin, {
    partner: 'KRA',
    movement: midTrip.id,
  });
  const copy = listed.find((m: { reference: string }) => m.reference === declared.reference);
  assert.deepEqual(copy.origin, { partner: 'KRA', movement: declared.id });
  assert.equal(copy.reference, declared.reference);
  assert.equal(copy.status, 'in_transit');
  assert.equal(copy.destinationOffice, 'UGKLA');
  assert.equal('trader' in copy, false, 'absent, not blank');
  // The driver is not agreed: the vehicle comes as Kenya's pseudonym of it, the same for both of its movements.
  assert.match(copy.vehicle, /^pseudonym:[\w-]{22}$/);
  assert.equal(listed.find((m: { reference: string }) => m.reference === 'MRN-MIDTRIP').vehicle, copy.vehicle);
  assert.equal(JSON.stringify(listed).includes('KCB'), false, 'the registration never reached Uganda');
  assert.ok(
    copy.route.coordinates.every((c: number[]) => c[0] < 34.2),
    'only the route inside Uganda',
  );
  // Read-only at the partner, except its arrival.
  assert.equal((await call(ugandaUrl, 'POST', `/api/v1/movements/${copy.id}/end`, {})).body.code, 'federated_movement_read_only');

  // The truck crosses at Malaba, leaves the road for six minutes some 90 km north, comes back,
  // and the seal is tampered with inside Uganda.
  await report('FED-1', { lat: 0.56, lon: 34.45 }, 'closed', 40);
  await report('FED-1', { lat: 0.5, lon: 33.95 }, 'closed', 35);
  await report('FED-1', { lat: 0.45, lon: 33.6 }, 'closed', 30);
  await report('FED-1', { lat: 1.2, lon: 33.5 }, 'closed', 26);
  await report('FED-1', { lat: 1.22, lon: 33.45 }, 'closed', 20);
  await report('FED-1', { lat: 0.42, lon: 33.4 }, 'closed', 15);
  await report('FED-1', { lat: 0.4, lon: 33.2 }, 'tampered', 10);
  await kenya.ctx.processor.idle();
  await kenya.transit.evaluateAll();
  await exchange();

  // Uganda stores what Kenya shares as the copy's track (trust `federated`, under one feed device)
  // and runs its own detectors on it: the detour is a route_deviation raised at Uganda itself.
  const feed = `federation:KRA:${declared.id}`;
  assert.deepEqual(copy.devices, [feed]);
  const track = await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}/track`);
  const points = track.features.filter((f: { geometry: { type: string } }) => f.geometry.type === 'Point');
  assert.equal(points.length, 6, 'the six fixes made inside Uganda; the Kenyan one never came');
  assert.ok(
    points.every(
      (p: { properties: { trust: string; device: string } }) => p.properties.trust === 'federated' && p.properties.device === feed,
    ),
  );
  assert.deepEqual(points[5].geometry.coordinates, [33.2, 0.4]);
  await uganda.ctx.processor.idle();
  await uganda.transit.evaluateAll();
  const ownAlerts = (await ok(ugandaUrl, 'GET', `/api/v1/alerts?movement=${copy.id}&type=route_deviation`)).items;
  assert.equal(ownAlerts.length, 1, 'route_deviation raised by Uganda’s own transit monitor');
  assert.equal(ownAlerts[0].movement, copy.id);

  const kenyaIncidents = (await ok(kenyaUrl, 'GET', `/api/v1/incidents?movement=${declared.id}`)).items;
  const broken = kenyaIncidents.find((i: { code: string }) => i.code === 'seal_broken');
  assert.ok(broken, `seal_broken at Kenya; got ${kenyaIncidents.map((i: { code: string }) => i.code)}`);
  const ugandaIncidents = (await ok(ugandaUrl, 'GET', `/api/v1/incidents?movement=${copy.id}`)).items;
  const copied = ugandaIncidents.find((i: { code: string }) => i.code === 'seal_broken');
  assert.ok(copied, 'the same incident at Uganda');
  assert.deepEqual(copied.origin, { partner: 'KRA', incident: broken.id });
  assert.deepEqual(copied.position, { lat: 0.4, lon: 33.2 });
  const events = (await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}/events`)).items;
  assert.ok(
    events.some((e: { type: string; details: { to: string } }) => e.type === 'border_crossed' && e.details.to === 'UG'),
    'the border crossing on Uganda’s timeline',
  );
  // Positions were agreed inside Uganda only: the Kenyan fix never left Kenya.
  const report1 = await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA/report');
  const positions = report1.sent.filter((m: { type: string }) => m.type === 'position');
  assert.equal(positions.length, 6);
  assert.ok(report1.sent.every((m: { status: string }) => m.status === 'delivered'));

  // Uganda records the arrival and control results; Kenya sees both.
  await ok(ugandaUrl, 'POST', `/api/v1/movements/${copy.id}/arrive`, {});
  await ok(ugandaUrl, 'POST', `/api/v1/movements/${copy.id}/control-results`, {
    result: 'A1',
    stateOfSeals: 'not_ok',
    comment: 'seal replaced',
  });
  await exchange();
  const atKenya = await ok(kenyaUrl, 'GET', `/api/v1/movements/${declared.id}`);
  assert.equal(atKenya.status, 'arrived');
  assert.equal(atKenya.sharedWith[0].partner, 'URA');
  assert.equal(atKenya.sharedWith[0].controlResults.result, 'A1');
  assert.equal(atKenya.sharedWith[0].controlResults.stateOfSeals, 'not_ok');
  // Kenya's movement has arrived: it tells Uganda (`ended`), which changes nothing on a copy that arrived there.
  await exchange();
  assert.equal((await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}`)).status, 'arrived');
  const partner = await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA');
  assert.equal(partner.backlog, 0);
  assert.ok(partner.lastExchangeAt);
});

test('forged, replayed, unknown-partner and beyond-agreement messages are refused and quarantined', async () => {
  const inbox = `${ugandaUrl}/api/v1/federation/inbox`;
  const post = (jws: string) => fetch(inbox, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jws });
  const ring = await loadServerKeyRing(kenya.ctx.store.settings, kenya.secrets, 'federation');
  const message = (id: string, body: Record<string, unknown>) => ({
    id,
    type: 'anticipated_arrival' as const,
    from: 'KRA',
    to: 'URA',
    movement: 'forged-movement',
    time: new Date().toISOString(),
    body,
  });
  const announcement = (extra: Record<string, unknown>) => ({
    reference: `MRN-${extra.ref}`,
    container: null,
    seals: [],
    status: 'in_transit',
    departureOffice: { ...mombasaOffice },
    destinationOffice: { ...kampalaOffice },
    transitOffices: [],
    route: null,
    corridorWidthM: 2000,
    startedAt: null,
    timeLimit: null,
    ...extra,
  });

  // Forged: Kenya's kid, another key's signature.
  const forger = generateKeyPairSync('ed25519').privateKey;
  const forgedKey = { ...ring.current, sign: (m: string) => sign(null, Buffer.from(m), forger).toString('base64url') };
  const forged = await post(signFederationMessage(forgedKey, 'KRA', message('forged-1', announcement({ ref: 'f' }))));
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).code, 'bad_signature');
  // An administration that is no partner.
  const stranger = await post(signFederationMessage(forgedKey, 'XYZ', { ...message('x-1', announcement({ ref: 'x' })), from: 'XYZ' }));
  assert.equal(stranger.status, 403);
  // Signed by Kenya, but carrying the trader Uganda's agreement leaves out.
  const beyond = await post(signFederationMessage(ring.current, 'KRA', message('beyond-1', announcement({ ref: 'b', trader: 'x' }))));
  assert.equal(beyond.status, 403);
  assert.equal((await beyond.json()).code, 'beyond_agreement');
  // Signed by Kenya, about a movement never announced.
  const unknown = await post(
    signFederationMessage(ring.current, 'KRA', { ...message('unknown-1', { time: new Date().toISOString() }), type: 'arrived' }),
  );
  assert.equal(unknown.status, 422);
  // Kenya's kid with a key id Uganda never pinned.
  const unpinned = await post(
    signFederationMessage({ ...forgedKey, keyId: 'not-pinned' }, 'KRA', message('unpinned-1', announcement({ ref: 'u' }))),
  );
  assert.equal(unpinned.status, 401);
  assert.equal((await unpinned.json()).code, 'unknown_key');
  // Readings of a real shared movement, beyond Uganda's agreement: a seal state (only positions are
  // agreed), and a position in Kenya (positions are agreed inside Uganda only).
  const shared = (await ok(ugandaUrl, 'GET', '/api/v1/movements')).items.find((m: { reference: string }) => m.reference !== 'MRN-MIDTRIP');
  const reading = (id: string, body: Record<string, unknown>) =>
    signFederationMessage(ring.current, 'KRA', { ...message(id, body), type: 'position', movement: shared.origin.movement });
  const now = new Date().toISOString();
  const withSeal = await post(reading('seal-1', { time: now, position: { lat: 0.4, lon: 33.2 }, seal: { state: 'opened' } }));
  assert.equal(withSeal.status, 403);
  assert.equal((await withSeal.json()).code, 'beyond_agreement');
  const inKenya = await post(reading('kenya-1', { time: now, position: { lat: -1.29, lon: 36.82 } }));
  assert.equal(inKenya.status, 403);
  // Control results are the destination's to give: Kenya sending them about its own movement has no part there.
  const results = await post(
    signFederationMessage(ring.current, 'KRA', {
      ...message('results-1', { result: 'A1', stateOfSeals: 'ok', time: now }),
      type: 'control_results',
      movement: shared.origin.movement,
    }),
  );
  assert.equal(results.status, 422);
  assert.equal((await results.json()).code, 'unknown_movement');
  // A delivered message sent again changes nothing.
  const delivered = (await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA/report')).sent[0];
  const stored = (await kenya.ctx.store.federation.sent('URA', 50)).find((m) => m.id === delivered.id)!;
  assert.equal((await post(stored.jws)).status, 200);

  const quarantined = (await ok(ugandaUrl, 'GET', '/api/v1/quarantine?limit=20')).items;
  const reasons = quarantined.filter((q: { transport: string }) => q.transport === 'federation').map((q: { reason: string }) => q.reason);
  assert.deepEqual(reasons.sort(), [
    'bad_signature',
    'beyond_agreement',
    'beyond_agreement',
    'beyond_agreement',
    'unknown_key',
    'unknown_movement',
    'unknown_movement',
    'unknown_partner',
  ]);
  assert.equal((await ok(ugandaUrl, 'GET', '/api/v1/movements')).items.length, 2, 'nothing refused was applied');
  const track = await ok(ugandaUrl, 'GET', `/api/v1/movements/${shared.id}/track`);
  assert.equal(track.features.length - 1, 6, 'no refused reading on the track');
});

test('a partner defines no office here: one of our own country we lack, or an area that is no office, refuses the announcement and stores nothing', async () => {
  const inbox = `${ugandaUrl}/api/v1/federation/inbox`;
  const post = (jws: string) => fetch(inbox, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jws });
  const ring = await loadServerKeyRing(kenya.ctx.store.settings, kenya.secrets, 'federation');
  const announce = (id: string, destinationOffice: Record<string, unknown>, transitOffices: Record<string, unknown>[] = []) =>
    post(
      signFederationMessage(ring.current, 'KRA', {
        id,
        type: 'anticipated_arrival',
        from: 'KRA',
        to: 'URA',
        movement: `office-${id}`,
        time: new Date().toISOString(),
        body: {
          reference: `MRN-OFFICE-${id}`,
          container: null,
          seals: [],
          departureOffice: { ...mombasaOffice },
          destinationOffice,
          transitOffices,
          route: null,
          corridorWidthM: 2000,
          startedAt: null,
          timeLimit: null,
        },
      }),
    );
  const offices = async () => (await ok(ugandaUrl, 'GET', '/api/v1/offices?limit=200')).items.map((o: { code: string }) => o.code);
  const before = await offices();
  // A Ugandan office Uganda never registered, with a province-sized area: Kenya cannot make it one.
  const squat = await announce('squat', {
    code: 'UGNEW1',
    name: 'Kampala <b>',
    country: 'UG',
    area: { center: { lat: 0.31, lon: 32.58 }, radiusM: 400_000 },
  });
  assert.equal(squat.status, 422);
  assert.match((await squat.json()).detail, /office UGNEW1: no office of UG/);
  // A Kenyan (third-country-like, not ours) transit office must still be of an office's size and in its country.
  const huge = await announce('huge', { ...kampalaOffice }, [
    { code: 'KEBIG', name: 'Big', country: 'KE', area: { center: { lat: -1.29, lon: 36.82 }, radiusM: 400_000 } },
  ]);
  assert.equal(huge.status, 422);
  const elsewhere = await announce('elsewhere', { ...kampalaOffice }, [
    { code: 'KEFAR', name: 'Far', country: 'KE', area: { center: { lat: 0.3136, lon: 32.5811 }, radiusM: 1000 } },
  ]);
  assert.equal(elsewhere.status, 422);
  assert.match((await elsewhere.json()).detail, /office KEFAR: its area is not in KE/);
  // An area that is no GeoJSON polygon nor circle is refused by the schema.
  const shapeless = await announce('shapeless', { ...kampalaOffice }, [
    { code: 'KEODD', name: 'Odd', country: 'KE', area: { anything: true } },
  ]);
  assert.equal(shapeless.status, 400);
  assert.deepEqual(await offices(), before, 'no office was made by a refused announcement');
  assert.ok(
    !(await ok(ugandaUrl, 'GET', '/api/v1/movements')).items.some((m: { reference: string }) => m.reference.startsWith('MRN-OFFICE-')),
  );
});

test('Uganda down for a while loses nothing: the outbox keeps the messages in order and delivers them when it is back', async () => {
  const dir = uganda.dir;
  await uganda.stop();
  const second = await ok(
    kenyaUrl,
    'POST',
    '/api/v1/movements',
    buildMovementBody({ destinationOffice: 'UGKLA', reference: 'MRN-OUTAGE', route: null }),
  );
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${second.id}/start`, {});
  await kenya.federation!.relay.idle();
  const down = await kenya.federation!.outbox.deliver();
  assert.equal(down.delivered, 0);
  assert.ok(down.failed >= 1);
  const waiting = await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA');
  assert.equal(waiting.backlog, 1);

  // Back on the same port and data, with the same keys; Kenya's retry comes due.
  uganda = await startTestPlatform(identity('URA', 'UG', ugandaPort), { dir, now: () => Date.now() + ugandaShift });
  await uganda.listen();
  kenyaShift = 3_600_000;
  await exchange();
  const refs = (await ok(ugandaUrl, 'GET', '/api/v1/movements')).items.map((m: { reference: string }) => m.reference);
  assert.ok(refs.includes('MRN-OUTAGE'), `announced after the outage; Uganda has ${refs}`);
  assert.equal((await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA')).backlog, 0);
});

test("a partner's new key is refused until Kenya's admin accepts it; the messages signed with it wait and then arrive", async () => {
  const before = await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA');
  await rotateServerKey(uganda.ctx.store.settings, uganda.secrets, new Date().toISOString(), 'federation');
  const copy = (await ok(ugandaUrl, 'GET', '/api/v1/movements')).items.find((m: { reference: string }) => m.reference === 'MRN-OUTAGE');
  await ok(ugandaUrl, 'POST', `/api/v1/movements/${copy.id}/arrive`, {});
  await exchange();
  const refused = (await uganda.ctx.store.federation.pending('KRA', 10))[0];
  assert.equal(refused.type, 'arrived');
  assert.equal(refused.lastStatus, 401);
  assert.equal(copy.origin.partner, 'KRA');
  assert.equal((await ok(kenyaUrl, 'GET', `/api/v1/movements/${copy.origin.movement}`)).status, 'in_transit');

  const accepted = await ok(kenyaUrl, 'POST', '/api/v1/federation/partners/URA/keys/accept', {});
  assert.equal(accepted.pendingKeys, null);
  assert.equal(accepted.keys.length, 2, 'the new key and the previous one, still published for its overlap');
  assert.notDeepEqual(accepted.keys, before.keys);
  assert.equal((await call(kenyaUrl, 'POST', '/api/v1/federation/partners/URA/keys/accept', {})).body.code, 'no_pending_keys');
  ugandaShift = 3_600_000;
  await exchange();
  assert.equal((await ok(kenyaUrl, 'GET', `/api/v1/movements/${copy.origin.movement}`)).status, 'arrived');
});

test('an ended partnership: nothing more is taken from the partner (403)', async () => {
  await ok(ugandaUrl, 'DELETE', '/api/v1/federation/partners/KRA');
  const ring = await loadServerKeyRing(kenya.ctx.store.settings, kenya.secrets, 'federation');
  const jws = signFederationMessage(ring.current, 'KRA', {
    id: 'after-end-1',
    type: 'arrived',
    from: 'KRA',
    to: 'URA',
    movement: 'x',
    time: new Date().toISOString(),
    body: { time: new Date().toISOString() },
  });
  const r = await fetch(`${ugandaUrl}/api/v1/federation/inbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: jws,
  });
  assert.equal(r.status, 403);
  assert.equal((await r.json()).code, 'unknown_partner');
});

test("Uganda's copy is purged retentionDays after the movement ended there, and each data class Uganda's own retention keeps for less on its own day before that", async () => {
  const retention = (days: number) =>
    new RetentionService({
      store: uganda.ctx.store,
      policy: { observationsDays: 0, quarantineDays: 0, captureJobsDays: 0 },
      now: () => Date.now() + days * 86_400_000,
      log: { info: () => undefined, warn: () => undefined },
    }).run();
  const copies = (await ok(ugandaUrl, 'GET', '/api/v1/movements')).items;
  const arrived = copies.find((m: { reference: string; status: string }) => m.status === 'arrived' && m.reference !== 'MRN-OUTAGE');
  assert.ok(arrived, 'the tampered movement, arrived at Kampala');
  const feed = arrived.devices[0];
  const stored = () => uganda.ctx.store.observations.listByDevice(feed, {}, { limit: 100 });
  const link = () => uganda.ctx.store.federation.getLink('KRA', 'in', arrived.origin.movement);
  assert.equal((await stored()).items.length, 6);

  // Uganda's law keeps shared positions a week; never longer than the agreement's 30 days.
  const longer = await call(ugandaUrl, 'PUT', '/api/v1/federation/partners/KRA/retention', { position: 7, seal: 31 });
  assert.equal(longer.status, 422);
  assert.equal(longer.body.code, 'invalid_retention');
  assert.equal((await call(ugandaUrl, 'PUT', '/api/v1/federation/partners/KRA/retention', { position: 7, age: 3 })).status, 400);
  const partner = await ok(ugandaUrl, 'PUT', '/api/v1/federation/partners/KRA/retention', { position: 7 });
  assert.deepEqual(partner.retention, { position: 7 });
  assert.deepEqual((await ok(ugandaUrl, 'GET', '/api/v1/federation/partners/KRA')).retention, { position: 7 });

  const week = await retention(6);
  assert.deepEqual([week.federatedClasses, week.federatedCopies], [0, 0]);
  assert.equal((await stored()).items.length, 6);
  const positions = await retention(8);
  // MRN-MIDTRIP ended here when Uganda ended the partnership (the test above): three copies have ended here.
  assert.deepEqual([positions.federatedClasses, positions.federatedCopies], [3, 0], 'positions of the three copies that ended here');
  assert.equal(positions.federatedObservations, 6, 'readings that carried only a position are left with nothing');
  assert.deepEqual((await stored()).items, []);
  assert.equal((await uganda.ctx.store.processing.deviceState(feed))?.position ?? null, null);
  assert.deepEqual([(await link())?.purgedClasses, (await link())?.purgedAt], [['position'], null]);
  assert.equal((await ok(ugandaUrl, 'GET', `/api/v1/movements/${arrived.id}`)).reference, arrived.reference, 'the copy itself stays');
  assert.equal((await retention(9)).federatedClasses, 0, 'a class is purged once');

  const early = await retention(29);
  assert.equal(early.federatedCopies, 0, 'the agreement keeps them 30 days');
  const due = await retention(31);
  assert.equal(due.federatedCopies, 3, 'the two copies that arrived, and MRN-MIDTRIP, ended with the partnership');
  assert.equal(due.federatedObservations, 0, 'nothing was left to delete');
  assert.equal(await uganda.ctx.store.processing.deviceState(feed), null);
  assert.ok((await link())?.purgedAt);
  const track = await ok(ugandaUrl, 'GET', `/api/v1/movements/${arrived.id}/track`);
  assert.equal(track.features[0].properties.positions, 0);
  const midTrip = copies.find((m: { reference: string }) => m.reference === 'MRN-MIDTRIP');
  const midLink = await uganda.ctx.store.federation.getLink('KRA', 'in', midTrip.origin.movement);
  assert.ok(midLink?.purgedAt, 'a copy under way when the partnership ended here is not kept for ever');
  assert.equal((await retention(31)).federatedCopies, 0, 'purged once');
});
