/**
 * Federation, the end of a shared movement, between two real installations (DESIGN §8 and its
 * extensions in docs/federation.md): Kenya (KRA) and Uganda (URA), each a platform on its own port
 * and data folder with its own keys, over real HTTP, with positions agreed on the whole route.
 * A movement Mombasa→Kigali through Uganda leaves Uganda: Uganda keeps nothing made beyond and
 * is sent nothing more. A movement that arrives and ends at its origin ends at the partner (`ended`)
 * and its copy is purged on its day. A late reading after a data class was purged here does not
 * bring it back. Ending a partnership on either side: what becomes of copies and outboxes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { generateKeyPairSync, sign } from 'node:crypto';
import { buildMovementBody, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';
import { loadServerKeyRing } from '../src/audit/server-key';
import { signFederationMessage } from '../src/federation/federation-keys';
import { RetentionService } from '../src/retention/retention.service';
import type { FederationMessageType } from '@sealwatch/core';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
const kampalaOffice = { code: 'UGKLA', name: 'Kampala ICD', country: 'UG', area: { center: { lat: 0.3136, lon: 32.5811 }, radiusM: 2000 } };
const kigaliOffice = { code: 'RWKGL', name: 'Kigali ICD', country: 'RW', area: { center: { lat: -1.9706, lon: 30.1044 }, radiusM: 2000 } };
const agreement = { fields: ['position', 'seal'], positionsInside: 'whole_route', retentionDays: 30 };
const DAY = 86_400_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let kenya: P, uganda: P;
let kenyaUrl: string, ugandaUrl: string;
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
async function exchange(): Promise<void> {
  for (const p of [kenya, uganda]) {
    await p.ctx.processor.idle();
    await p.federation!.relay.idle();
  }
  await kenya.federation!.outbox.deliver();
  await uganda.ctx.processor.idle();
  await uganda.federation!.relay.idle();
  await uganda.federation!.outbox.deliver();
  await kenya.federation!.relay.idle();
}

const deviceKey = generateKeyPairSync('ed25519');
const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
let seq = 0;
async function report(id: string, position: { lat: number; lon: number }, seal: string, minutesAgo: number) {
  seq += 1;
  const payload = { device: id, seq, time: new Date(Date.now() - minutesAgo * 60_000).toISOString(), position, seal: { state: seal } };
  const input = `${b64({ alg: 'EdDSA', kid: id })}.${b64(payload)}`;
  const jws = `${input}.${sign(null, Buffer.from(input), deviceKey.privateKey).toString('base64url')}`;
  const r = await fetch(`${kenyaUrl}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jws });
  assert.equal((await r.json()).results[0].status, 'accepted');
}
async function device(id: string) {
  const jwk = deviceKey.publicKey.export({ format: 'jwk' });
  await ok(kenyaUrl, 'POST', '/api/v1/devices', {
    id,
    class: 'active',
    kind: 'e_lock',
    protocol: 'native',
    key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } },
  });
}
/** A Mombasa→Kigali movement through Kampala, started `minutesAgo`, announced to Uganda; its id at Kenya and its copy at Uganda. */
async function throughUganda(reference: string, devices: string[], minutesAgo: number) {
  const m = await ok(
    kenyaUrl,
    'POST',
    '/api/v1/movements',
    buildMovementBody({ reference, devices, destinationOffice: 'RWKGL', transitOffices: ['UGKLA'], route: null }),
  );
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${m.id}/start`, { time: new Date(Date.now() - minutesAgo * 60_000).toISOString() });
  await exchange();
  const copy = (await ok(ugandaUrl, 'GET', '/api/v1/movements?limit=100')).items.find(
    (c: { reference: string }) => c.reference === reference,
  );
  assert.ok(copy, `${reference} announced to Uganda`);
  return { id: m.id as string, copy };
}
/** A message signed with Kenya's real federation key, as Kenya (or a Kenyan officer with its key) could send it. */
async function asKenya(type: FederationMessageType, id: string, movement: string, body: Record<string, unknown>) {
  const ring = await loadServerKeyRing(kenya.ctx.store.settings, kenya.secrets, 'federation');
  const jws = signFederationMessage(ring.current, 'KRA', {
    id,
    type,
    from: 'KRA',
    to: 'URA',
    movement,
    time: new Date().toISOString(),
    body,
  });
  const r = await fetch(`${ugandaUrl}/api/v1/federation/inbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: jws,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
const retention = (days: number) =>
  new RetentionService({
    store: uganda.ctx.store,
    policy: { observationsDays: 0, quarantineDays: 0, captureJobsDays: 0 },
    now: () => Date.now() + days * DAY,
    log: { info: () => undefined, warn: () => undefined },
  }).run();
const trackPoints = async (copyId: string) =>
  (await ok(ugandaUrl, 'GET', `/api/v1/movements/${copyId}/track`)).features.filter(
    (f: { geometry: { type: string } }) => f.geometry.type === 'Point',
  );
const sentTo = async (movement: string) =>
  (await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA/report?limit=500')).sent.filter(
    (m: { movement: string }) => m.movement === movement,
  );

before(async () => {
  const kenyaPort = await freePort();
  const ugandaPort = await freePort();
  kenya = await startTestPlatform(identity('KRA', 'KE', kenyaPort));
  uganda = await startTestPlatform(identity('URA', 'UG', ugandaPort));
  await kenya.listen();
  await uganda.listen();
  kenyaUrl = `http://127.0.0.1:${kenyaPort}`;
  ugandaUrl = `http://127.0.0.1:${ugandaPort}`;
  for (const o of [mombasaOffice, kampalaOffice, kigaliOffice]) await ok(kenyaUrl, 'POST', '/api/v1/offices', o);
  await ok(ugandaUrl, 'POST', '/api/v1/offices', kampalaOffice);
  await ok(kenyaUrl, 'POST', '/api/v1/federation/partners', { url: ugandaUrl, agreement });
  await ok(ugandaUrl, 'POST', '/api/v1/federation/partners', { url: kenyaUrl, agreement });
});
after(async () => {
  await kenya.cleanup();
  await uganda.cleanup();
});

test('once the movement leaves Uganda, Uganda keeps nothing made beyond, is sent nothing more of it, and its copy ends there', async () => {
  await device('FED-T');
  const { id, copy } = await throughUganda('MRN-THROUGH', ['FED-T'], 120);
  // Nairobi, then three fixes in Uganda, then two in Rwanda: Kenya confirms the crossing only
  // after the second (its transit rules run now), so both went to Uganda before Kenya knew.
  await report('FED-T', { lat: -1.29, lon: 36.82 }, 'closed', 110);
  await report('FED-T', { lat: 0.45, lon: 33.6 }, 'closed', 100);
  await report('FED-T', { lat: 0.3, lon: 32.6 }, 'closed', 90);
  await report('FED-T', { lat: -0.6, lon: 30.65 }, 'closed', 80);
  await report('FED-T', { lat: -1.6, lon: 30.1 }, 'closed', 70);
  await report('FED-T', { lat: -1.7, lon: 30.08 }, 'closed', 65);
  await kenya.ctx.processor.idle();
  await kenya.federation!.relay.idle();
  await kenya.transit.evaluateAll();
  await exchange();

  const events = (await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}/events`)).items;
  const out = events.find((e: { type: string; details: { to: string } }) => e.type === 'border_crossed' && e.details.to === 'RW');
  assert.ok(out, `the crossing into Rwanda on Uganda's timeline; got ${events.map((e: { type: string }) => e.type)}`);
  const link = await uganda.ctx.store.federation.getLink('KRA', 'in', id);
  assert.equal(link?.leftAt, out.time, 'left Uganda then: its retention counts from it');
  assert.deepEqual((await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}`)).origin, { partner: 'KRA', movement: id, leftAt: out.time });
  // Out of Uganda's scope now: it arrives in Rwanda, not here.
  const arrive = await call(ugandaUrl, 'POST', `/api/v1/movements/${copy.id}/arrive`, {});
  assert.deepEqual([arrive.status, arrive.body.code], [409, 'federated_movement_read_only'], JSON.stringify(arrive.body));
  // The two Rwandan fixes had arrived; Uganda deleted them when it heard of the crossing.
  assert.equal(
    (await sentTo(id)).filter((m: { type: string }) => m.type === 'position').length,
    6,
    'Kenya sent the six fixes made before it knew',
  );
  const points = await trackPoints(copy.id);
  assert.deepEqual(
    points.map((p: { geometry: { coordinates: number[] } }) => p.geometry.coordinates),
    [
      [36.82, -1.29],
      [33.6, 0.45],
      [32.6, 0.3],
      [30.65, -0.6],
    ],
    'Uganda keeps only what was made before the movement left it',
  );

  // Nairobi to the Ugandan fix in ten minutes is impossible: Kenya judges its own device (a
  // device_fault, shared as an incident); Uganda does not derive it again from the shared readings.
  await uganda.ctx.processor.idle();
  await uganda.transit.evaluateAll();
  assert.ok((await ok(kenyaUrl, 'GET', `/api/v1/alerts?movement=${id}&type=gnss_anomaly`)).items.length >= 1, 'gnss_anomaly at Kenya');
  assert.deepEqual(
    (await ok(ugandaUrl, 'GET', `/api/v1/alerts?movement=${copy.id}&type=gnss_anomaly`)).items,
    [],
    'none of its own at Uganda',
  );
  const deviceFaults = (await ok(ugandaUrl, 'GET', `/api/v1/incidents?movement=${copy.id}`)).items.filter(
    (i: { code: string }) => i.code === 'device_fault',
  );
  assert.deepEqual(
    deviceFaults.map((i: { origin?: { partner: string } }) => i.origin?.partner),
    ['KRA'],
    'one device_fault, Kenya’s',
  );

  // In Rwanda the seal is tampered with: an incident at Kenya, nothing for Uganda.
  await report('FED-T', { lat: -1.95, lon: 30.06 }, 'tampered', 60);
  await kenya.ctx.processor.idle();
  await kenya.transit.evaluateAll();
  await exchange();
  const kenyaIncidents = (await ok(kenyaUrl, 'GET', `/api/v1/incidents?movement=${id}`)).items;
  assert.ok(
    kenyaIncidents.some((i: { code: string }) => i.code === 'seal_broken'),
    'seal_broken at Kenya',
  );
  const ugandaIncidents = (await ok(ugandaUrl, 'GET', `/api/v1/incidents?movement=${copy.id}`)).items;
  assert.equal(
    ugandaIncidents.some((i: { code: string }) => i.code === 'seal_broken'),
    false,
    'not at Uganda',
  );
  const sent = await sentTo(id);
  assert.equal(sent.filter((m: { type: string }) => m.type === 'position').length, 6, 'no reading after the crossing was sent');
  assert.equal(
    sent.filter((m: { type: string }) => m.type === 'incident').length,
    kenyaIncidents.filter((i: { openedAt: string }) => i.openedAt < out.time).length,
    'only the incidents opened before it left',
  );
  assert.equal((await trackPoints(copy.id)).length, 4);

  // Kenya's own key, but beyond what Uganda takes after the movement left: refused and quarantined.
  const later = new Date(Date.now() - 55 * 60_000).toISOString();
  const reading = await asKenya('position', 'late-beyond-1', id, { time: later, position: { lat: -1.95, lon: 30.06 } });
  assert.deepEqual([reading.status, reading.body.code], [403, 'beyond_agreement']);
  const incident = await asKenya('incident', 'late-beyond-2', id, {
    id: 'x-incident',
    code: 'seal_broken',
    status: 'open',
    severity: 'critical',
    openedAt: later,
    container: null,
    seals: [],
  });
  assert.deepEqual([incident.status, incident.body.code], [403, 'beyond_agreement']);
  // A reading made in Uganda before the crossing, forwarded late, is still taken.
  const earlier = new Date(Date.now() - 75 * 60_000).toISOString();
  assert.equal((await asKenya('position', 'late-inside-1', id, { time: earlier, position: { lat: -1.0, lon: 30.4 } })).status, 202);
  assert.equal((await trackPoints(copy.id)).length, 5);
  const quarantined = (await ok(ugandaUrl, 'GET', '/api/v1/quarantine?limit=50')).items.filter(
    (q: { transport: string }) => q.transport === 'federation',
  );
  assert.equal(quarantined.length, 2);

  // Its copy ended here when it left: purged 30 days later, though it never arrived here.
  assert.equal((await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}`)).status, 'in_transit');
  await retention(29);
  assert.equal((await uganda.ctx.store.federation.getLink('KRA', 'in', id))?.purgedAt, null);
  await retention(31);
  assert.ok((await uganda.ctx.store.federation.getLink('KRA', 'in', id))?.purgedAt);
});

test('a movement that arrives and ends at its origin ends at the partner too (`ended`), and the copy is purged on its day', async () => {
  const { id, copy } = await throughUganda('MRN-ENDS', [], 60);
  assert.equal(copy.status, 'in_transit');
  // Kigali is not Uganda's office: the arrival is recorded at Kenya, then the movement is ended there.
  const arrivedAt = new Date(Date.now() - 10 * 60_000).toISOString();
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${id}/arrive`, { time: arrivedAt });
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${id}/end`, {});
  await exchange();
  const sent = (await sentTo(id)).map((m: { type: string; status: string }) => [m.type, m.status]);
  assert.deepEqual(
    sent.filter(([t]: string[]) => t === 'ended'),
    [
      ['ended', 'delivered'],
      ['ended', 'delivered'],
    ],
  );
  const ended = await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}`);
  assert.equal(ended.status, 'ended');
  assert.equal(ended.endedAt, arrivedAt, 'ended here when it arrived at Kigali');
  const events = (await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}/events`)).items;
  assert.ok(events.some((e: { type: string; details: { origin: string } }) => e.type === 'movement_ended' && e.details.origin === 'KRA'));
  // Read-only still, and a reading made after its end is not kept (taken, so Kenya's outbox is not held).
  assert.equal((await call(ugandaUrl, 'POST', `/api/v1/movements/${copy.id}/end`, {})).body.code, 'federated_movement_read_only');
  const after = await asKenya('position', 'after-end-1', id, { time: new Date().toISOString(), position: { lat: 0.3, lon: 32.6 } });
  assert.equal(after.status, 202);
  assert.equal((await trackPoints(copy.id)).length, 0);
  // A forged `ended` about a movement Kenya never shared is refused.
  const unknown = await asKenya('ended', 'ended-unknown-1', 'not-shared', { time: arrivedAt, status: 'ended' });
  assert.deepEqual([unknown.status, unknown.body.code], [422, 'unknown_movement']);
  const bad = await asKenya('ended', 'ended-bad-1', id, { time: arrivedAt, status: 'vanished' });
  assert.equal(bad.status, 400);

  await retention(29);
  assert.equal((await uganda.ctx.store.federation.getLink('KRA', 'in', id))?.purgedAt, null);
  await retention(31);
  assert.ok((await uganda.ctx.store.federation.getLink('KRA', 'in', id))?.purgedAt, 'purged 30 days after it ended');
});

test('a late reading after a data class was purged here does not bring the class back', async () => {
  const { id, copy } = await throughUganda('MRN-LATE', [], 60);
  // Uganda's law: shared positions go as soon as a movement ends here; seal readings are kept.
  await ok(ugandaUrl, 'PUT', '/api/v1/federation/partners/KRA/retention', { position: 0 });
  const made = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  assert.equal(
    (await asKenya('position', 'late-1', id, { time: made(40), position: { lat: 0.3, lon: 32.6 }, seal: { state: 'closed' } })).status,
    202,
  );
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${id}/arrive`, { time: made(20) });
  await exchange();
  assert.equal((await ok(ugandaUrl, 'GET', `/api/v1/movements/${copy.id}`)).status, 'ended');
  const purged = await retention(1);
  assert.ok(purged.federatedClasses >= 1);
  assert.deepEqual((await uganda.ctx.store.federation.getLink('KRA', 'in', id))?.purgedClasses, ['position']);
  const feed = copy.devices[0];
  const readings = async () => (await uganda.ctx.store.observations.listByDevice(feed, {}, { limit: 20 })).items;
  assert.deepEqual(
    (await readings()).map((o) => [o.position, o.seal?.state]),
    [[null, 'closed']],
  );

  // Store-and-forward: a reading made during the journey reaches Uganda now, with a position.
  const late = await asKenya('position', 'late-2', id, { time: made(30), position: { lat: 0.35, lon: 32.9 }, seal: { state: 'open' } });
  assert.equal(late.status, 202);
  const after = await readings();
  assert.equal(after.length, 2);
  assert.ok(
    after.every((o) => o.position === null),
    'no position came back',
  );
  const stored = after.find((o) => o.seal?.state === 'open')!;
  assert.equal(stored.raw, '', 'nor the signed message that carries it');
  assert.equal(stored.late, true);
  // One carrying only a position is not stored at all; the audit says so.
  assert.equal((await asKenya('position', 'late-3', id, { time: made(25), position: { lat: 0.36, lon: 32.95 } })).status, 202);
  assert.equal((await readings()).length, 2);
  assert.equal((await trackPoints(copy.id)).length, 0);
  const audit = await uganda.ctx.store.audit.range(1, 1000);
  const entry = audit.find((a) => a.ref === 'federation:KRA:late-3:received');
  assert.ok(entry, 'received and audited');
  assert.match(String((entry.data as { note?: string }).note), /purged/);
  await ok(ugandaUrl, 'PUT', '/api/v1/federation/partners/KRA/retention', {});
});

test('ending a partnership: at the origin nothing more goes and what waits stays; at the partner its copies under way end and its own outbox keeps what waits', async () => {
  await device('FED-D');
  const shared = await throughUganda('MRN-DEL-1', ['FED-D'], 60);
  const other = await throughUganda('MRN-DEL-2', [], 60);

  // A reading is queued for Uganda, then Kenya ends the partnership before sending it.
  await report('FED-D', { lat: 0.3, lon: 32.6 }, 'closed', 30);
  await kenya.ctx.processor.idle();
  await kenya.federation!.relay.idle();
  const ended = await ok(kenyaUrl, 'DELETE', '/api/v1/federation/partners/URA');
  assert.ok(ended.endedAt);
  assert.equal(ended.backlog, 1, 'the reading waits, unsent');
  assert.deepEqual(await kenya.federation!.outbox.deliver(), { delivered: 0, failed: 0 });
  // Nothing new is queued for it: another reading, and a new movement bound for Uganda.
  await report('FED-D', { lat: 0.32, lon: 32.58 }, 'closed', 20);
  const fresh = await ok(kenyaUrl, 'POST', '/api/v1/movements', buildMovementBody({ destinationOffice: 'UGKLA', route: null }));
  await ok(kenyaUrl, 'POST', `/api/v1/movements/${fresh.id}/start`, {});
  await exchange();
  assert.equal((await ok(kenyaUrl, 'GET', '/api/v1/federation/partners/URA')).backlog, 1);
  assert.deepEqual(await sentTo(fresh.id), []);
  // Kenya's movements keep their record of having been shared.
  assert.equal((await ok(kenyaUrl, 'GET', `/api/v1/movements/${shared.id}`)).sharedWith[0].partner, 'URA');

  // Uganda was told nothing: its copies stay as they were, and what it sends is refused at Kenya
  // (403, quarantined there) and waits in Uganda's outbox.
  assert.equal((await ok(ugandaUrl, 'GET', `/api/v1/movements/${shared.copy.id}`)).status, 'in_transit');
  await ok(ugandaUrl, 'POST', `/api/v1/movements/${shared.copy.id}/arrive`, {});
  await exchange();
  const waiting = await uganda.ctx.store.federation.pending('KRA', 10);
  assert.deepEqual(
    waiting.map((m) => [m.type, m.lastStatus]),
    [['arrived', 403]],
  );
  assert.equal((await ok(kenyaUrl, 'GET', `/api/v1/movements/${shared.id}`)).status, 'in_transit', 'not taken at Kenya');
  const refused = (await ok(kenyaUrl, 'GET', '/api/v1/quarantine?limit=20')).items.filter(
    (q: { transport: string; reason: string }) => q.transport === 'federation' && q.reason === 'unknown_partner',
  );
  assert.equal(refused.length, 1);

  // Uganda ends it too: its copies still under way end now (retention runs), the arrived one stays
  // arrived; its waiting message stays unsent; the copies stay readable, read-only.
  await retention(31);
  assert.equal((await uganda.ctx.store.federation.getLink('KRA', 'in', other.id))?.purgedAt, null, 'a copy under way is never purged');
  await ok(ugandaUrl, 'DELETE', '/api/v1/federation/partners/KRA');
  const otherCopy = await ok(ugandaUrl, 'GET', `/api/v1/movements/${other.copy.id}`);
  assert.equal(otherCopy.status, 'ended');
  assert.deepEqual(otherCopy.origin, { partner: 'KRA', movement: other.id });
  const events = (await ok(ugandaUrl, 'GET', `/api/v1/movements/${other.copy.id}/events`)).items;
  assert.ok(
    events.some(
      (e: { type: string; details: { reason: string } }) => e.type === 'movement_ended' && e.details.reason === 'partnership_ended',
    ),
  );
  assert.equal((await ok(ugandaUrl, 'GET', `/api/v1/movements/${shared.copy.id}`)).status, 'arrived');
  assert.deepEqual(await uganda.federation!.outbox.deliver(), { delivered: 0, failed: 0 });
  assert.equal((await ok(ugandaUrl, 'GET', '/api/v1/federation/partners/KRA')).backlog, 1);
  await retention(31);
  assert.ok((await uganda.ctx.store.federation.getLink('KRA', 'in', other.id))?.purgedAt, 'purged on the agreement’s day');
  assert.ok((await uganda.ctx.store.federation.getLink('KRA', 'in', shared.id))?.purgedAt);
});

test("a partner's message cannot plant an office of this country, nor take a reference in use, nor carry times, codes or countries that are not; each is refused and quarantined, never a 500", async () => {
  await ok(ugandaUrl, 'POST', '/api/v1/federation/partners', { url: kenyaUrl, agreement });
  const before = (await ok(ugandaUrl, 'GET', '/api/v1/quarantine?limit=200')).items.length;
  const office = (code: string, country: string) => ({
    code,
    name: code,
    country,
    area: { center: { lat: 0.3, lon: 32.6 }, radiusM: 1000 },
  });
  const announcement = (reference: string, extra: Record<string, unknown> = {}) => ({
    reference,
    container: null,
    seals: [],
    status: 'in_transit',
    departureOffice: mombasaOffice,
    destinationOffice: kampalaOffice,
    transitOffices: [],
    route: null,
    corridorWidthM: 2000,
    startedAt: null,
    timeLimit: null,
    ...extra,
  });
  const planted = await asKenya(
    'anticipated_arrival',
    'plant-1',
    'k-plant',
    announcement('MRN-PLANT', { transitOffices: [office('UGFAKE', 'UG')] }),
  );
  assert.deepEqual([planted.status, planted.body.code], [422, 'invalid_payload']);
  assert.equal((await call(ugandaUrl, 'GET', '/api/v1/offices/UGFAKE')).status, 404, 'no Ugandan office added by Kenya');
  const huge = await asKenya('anticipated_arrival', 'plant-2', 'k-plant', {
    ...announcement('MRN-HUGE'),
    departureOffice: { ...mombasaOffice, code: 'KEHUGE', area: { center: { lat: -1, lon: 37 }, radiusM: 400_000 } },
  });
  assert.equal(huge.status, 422, 'an office-sized area only');
  const square = (lon: number, lat: number, h: number) => [
    [lon - h, lat - h],
    [lon + h, lat - h],
    [lon + h, lat + h],
    [lon - h, lat + h],
    [lon - h, lat - h],
  ];
  const ringed = await asKenya('anticipated_arrival', 'plant-3', 'k-plant', {
    ...announcement('MRN-RINGED'),
    departureOffice: {
      ...mombasaOffice,
      code: 'KERING',
      // The second ring lies beside the first, within the office's radius: no hole, a second area.
      area: { type: 'Polygon', coordinates: [square(39.6682, -4.0435, 0.01), square(39.6882, -4.0435, 0.003)] },
    },
  });
  assert.deepEqual([ringed.status, ringed.body.code], [422, 'invalid_payload'], 'a ring outside the first is no hole');
  assert.equal((await call(ugandaUrl, 'GET', '/api/v1/offices/KERING')).status, 404);
  const garbled = await asKenya('anticipated_arrival', 'garbled-1', 'k-garbled', announcement('MRN-GARBLED', { timeLimit: 'tomorrow' }));
  assert.equal(garbled.status, 400, 'was a 500');
  assert.equal((await asKenya('anticipated_arrival', 'first-1', 'k-first', announcement('MRN-TWICE'))).status, 202);
  const twice = await asKenya('anticipated_arrival', 'second-1', 'k-second', announcement('MRN-TWICE'));
  assert.deepEqual([twice.status, twice.body.code], [422, 'invalid_payload'], 'was a 409 neither quarantined nor audited');
  const code = await asKenya('incident', 'code-1', 'k-first', {
    id: 'i1',
    code: 'alien_abduction',
    status: 'open',
    severity: 'critical',
    openedAt: new Date().toISOString(),
    container: null,
    seals: [],
  });
  assert.equal(code.status, 400);
  const countries = await asKenya('border_crossed', 'cross-1', 'k-first', {
    time: new Date().toISOString(),
    from: 'Atlantis',
    to: '<b>UG</b>',
  });
  assert.equal(countries.status, 400);
  const early = await asKenya('ended', 'end-1', 'k-first', { time: '1970-01-01T00:00:00Z', status: 'ended' });
  assert.equal(early.status, 400, 'an end before the copy started would purge it at once');
  const ahead = await asKenya('ended', 'end-2', 'k-first', { time: new Date(Date.now() + 365 * DAY).toISOString(), status: 'ended' });
  assert.deepEqual([ahead.status, ahead.body.code], [422, 'clock_skew'], 'an end a year ahead would keep the copy a year longer');
  const copy = (await ok(ugandaUrl, 'GET', '/api/v1/movements?limit=100')).items.find(
    (m: { reference: string }) => m.reference === 'MRN-TWICE',
  );
  assert.deepEqual(copy.origin, { partner: 'KRA', movement: 'k-first' });
  assert.equal(copy.status, 'in_transit');
  assert.equal((await ok(ugandaUrl, 'GET', '/api/v1/quarantine?limit=200')).items.length - before, 9);
});
