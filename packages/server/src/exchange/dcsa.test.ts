/**
 * DCSA Track & Trace on a real platform: /dcsa/tnt/v2 answers EquipmentEvents that ajv finds valid
 * against DCSA's own 2.2 OpenAPI (the resolved YAML in ../shared/reference, its component schemas
 * read with a YAML parser), a trader sees only its own containers, and every answer is audited
 * with its hash; /dcsa/tnt/v3 answers the draft IoT events (door and location), marked draft.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { exchangeReferenceDir } from './xsd-validator';

const openapi = parse(readFileSync(join(exchangeReferenceDir, 'dcsa', 'TNT_v2.2.0-resolved.yaml'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// The OpenAPI document as one schema resource, so its '#/components/schemas/…' references resolve;
// `response` is the 200 answer of GET /v2/events (an array of transport, shipment or equipment events).
ajv.addSchema({
  $id: 'dcsa-tnt-2.2',
  components: openapi.components,
  response: openapi.paths['/v2/events'].get.responses['200'].content['application/json'].schema,
});
const validateEvents = ajv.getSchema('dcsa-tnt-2.2#/response')!;
const validateEquipmentEvent = ajv.getSchema('dcsa-tnt-2.2#/components/schemas/equipmentEvent')!;

describe('DCSA Track & Trace', () => {
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  const tokens: Record<string, string> = {};
  const get = (who: string | null, url: string) =>
    p.http.inject({ method: 'GET', url, headers: { authorization: who ? `Bearer ${tokens[who]}` : p.auth.authorization } });
  const post = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });
  const t0 = Date.now() - 3_600_000;
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
  let mine = '';

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [mombasaOffice, malabaOffice]) await post('/api/v1/offices', o);
    for (const o of [
      { id: 'acme', name: 'Acme', kind: 'trader' },
      { id: 'beta', name: 'Beta', kind: 'trader' },
    ])
      await post('/api/v1/organisations', o);
    for (const name of ['acme', 'beta']) {
      const u = await post('/api/v1/users', {
        username: `${name}.u`,
        name,
        organisation: name,
        roles: ['trader'],
        password: `pw-${name}-long-enough`,
      });
      tokens[name] = (await post('/api/v1/tokens', { name, user: u.json().id })).json().token;
    }
    const key = generateDeviceKey('EdDSA');
    await post('/api/v1/devices', {
      id: 'ELOCK-1',
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      identifiers: { sealNumber: 'KE-7700001' },
      key: key.registration,
    });
    mine = (
      await post('/api/v1/movements', {
        ...buildMovementBody({ devices: ['ELOCK-1'], seals: ['KE-7700001', 'KE-0001234'] }),
        trader: 'acme',
      })
    ).json().id;
    const theirs = (await post('/api/v1/movements', { ...buildMovementBody({ container: 'MSCU1234566' }), trader: 'beta' })).json().id;
    for (const m of [mine, theirs]) assert.equal((await post(`/api/v1/movements/${m}/start`, { time: at(0) })).statusCode, 200);
    const messages = [
      { seq: 1, time: at(1), position: { lat: -4.04, lon: 39.66 }, door: 'closed' },
      { seq: 2, time: at(20), position: { lat: -3.86, lon: 39.47 }, door: 'closed' },
      { seq: 3, time: at(21), position: { lat: -3.86, lon: 39.47 }, door: 'open' },
      { seq: 4, time: at(25), door: 'closed' },
    ].map((m) => signMessage(key, { device: 'ELOCK-1', ...m }));
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages } });
    assert.deepEqual(
      r.json().results.map((x: { status: string }) => x.status),
      ['accepted', 'accepted', 'accepted', 'accepted'],
    );
    await p.ctx.processor.idle();
    assert.equal((await post(`/api/v1/movements/${mine}/arrive`, { time: at(50) })).statusCode, 200);
  });
  after(() => p.cleanup());

  test("v2: the trader's container gated out at departure and in at destination, with its customs seals, valid against DCSA's 2.2 schema", async () => {
    const r = await get('acme', '/dcsa/tnt/v2/events');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['api-version'], '2.2.0');
    const events = r.json();
    assert.ok(validateEvents(events), JSON.stringify(validateEvents.errors));
    for (const e of events) assert.ok(validateEquipmentEvent(e), JSON.stringify(validateEquipmentEvent.errors));
    assert.deepEqual(
      events.map((e: { equipmentEventTypeCode: string; equipmentReference: string; eventDateTime: string }) => [
        e.equipmentEventTypeCode,
        e.equipmentReference,
        e.eventDateTime,
      ]),
      [
        ['GTOT', 'CSQU3054383', at(0)],
        ['GTIN', 'CSQU3054383', at(50)],
      ],
    );
    assert.equal(events[0].eventLocation.locationName, 'Mombasa Port');
    assert.equal(events[0].eventLocation.latitude, '-4.0435000');
    assert.equal(events[1].eventLocation.locationName, 'Malaba border');
    assert.deepEqual(events[0].seals, [
      { sealNumber: 'KE-7700001', sealSource: 'CUS', sealType: 'KLP' },
      { sealNumber: 'KE-0001234', sealSource: 'CUS', sealType: 'BLT' },
    ]);
  });

  test('v2: the schema check can fail (an electronic seal type is not in 2.2)', () => {
    const event = {
      eventID: '3cecb101-7a1a-43a4-9d62-e88a131651e2',
      eventCreatedDateTime: at(0),
      eventType: 'EQUIPMENT',
      eventClassifierCode: 'ACT',
      eventDateTime: at(0),
      equipmentEventTypeCode: 'GTOT',
      emptyIndicatorCode: 'LADEN',
      seals: [{ sealNumber: 'KE-1', sealSource: 'CUS', sealType: 'ELE' }],
    };
    assert.equal(validateEquipmentEvent(event), false);
    assert.equal(validateEquipmentEvent({ ...event, seals: [{ ...event.seals[0], sealType: 'BLT' }] }), true);
  });

  test('v2: filters by equipmentReference, eventType and equipmentEventTypeCode; another trader sees nothing of it', async () => {
    const only = (await get('acme', '/dcsa/tnt/v2/events?equipmentReference=CSQU3054383&equipmentEventTypeCode=GTIN')).json();
    assert.deepEqual(
      only.map((e: { equipmentEventTypeCode: string }) => e.equipmentEventTypeCode),
      ['GTIN'],
    );
    assert.deepEqual((await get('acme', '/dcsa/tnt/v2/events?eventType=SHIPMENT,TRANSPORT')).json(), []);
    assert.deepEqual((await get('beta', '/dcsa/tnt/v2/events?equipmentReference=CSQU3054383')).json(), []);
    const theirs = (await get('beta', '/dcsa/tnt/v2/events')).json();
    assert.deepEqual(
      theirs.map((e: { equipmentReference: string; equipmentEventTypeCode: string }) => [e.equipmentReference, e.equipmentEventTypeCode]),
      [['MSCU1234566', 'GTOT']],
    );
    const bad = await get('acme', '/dcsa/tnt/v2/events?eventType=IOT');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_failed');
    assert.equal((await p.http.inject({ method: 'GET', url: '/dcsa/tnt/v2/events' })).statusCode, 401);
  });

  test('v2: pages by limit and cursor with Current-Page and Next-Page', async () => {
    const first = await get(null, '/dcsa/tnt/v2/events?limit=2');
    assert.equal(first.json().length, 2);
    const next = first.headers['next-page'] as string;
    assert.match(next, /^\/dcsa\/tnt\/v2\/events\?limit=2&cursor=/);
    const second = (await get(null, next)).json();
    assert.equal(second.length, 1);
    const all = (await get(null, '/dcsa/tnt/v2/events')).json();
    assert.deepEqual([...first.json(), ...second], all);
    assert.equal((await get(null, '/dcsa/tnt/v2/events?cursor=bm9wZQ')).statusCode, 400);
  });

  test('every answer is in the audit trail with the SHA-256 of its bytes and the movements it names', async () => {
    const r = await get('acme', '/dcsa/tnt/v2/events?equipmentReference=CSQU3054383');
    const sha = createHash('sha256').update(r.body).digest('hex');
    const entries = await p.ctx.store.audit.range(1, 10_000);
    const entry = entries.find((e) => e.action === 'exchange.out:DCSA-TNT-2.2' && e.data.sha256 === sha);
    assert.ok(entry, 'the answer is in the audit trail');
    assert.deepEqual(entry.subjects, [mine]);
    assert.equal(entry.actor.startsWith('user:'), true);
  });

  test('v3 (draft): door opened and closed and location events of the trader’s container, marked draft', async () => {
    const r = await get('acme', '/dcsa/tnt/v3/events?equipmentReference=CSQU3054383');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['dcsa-draft'], 'true');
    assert.equal(r.headers['api-version'], '3.0.0-draft');
    const body = r.json();
    assert.equal(body.draft, true);
    assert.deepEqual(
      body.events.map((e: { iotEventCode: string; eventDateTime: string }) => [e.iotEventCode, e.eventDateTime]),
      [
        ['DRC', at(1)],
        ['LOC', at(1)],
        ['LOC', at(20)],
        ['DRO', at(21)],
        ['LOC', at(21)],
        ['DRC', at(25)],
      ],
    );
    assert.deepEqual(body.events[3].geoLocation, { latitude: '-3.8600000', longitude: '39.4700000' });
    for (const e of body.events) {
      assert.equal(e.eventType, 'IOT');
      assert.equal(e.iotEventTypeCode, 'DETC');
      assert.match(e.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const doors = (await get('acme', '/dcsa/tnt/v3/events?iotEventCode=DRO')).json().events;
    assert.deepEqual(
      doors.map((e: { eventID: string }) => e.eventID),
      [body.events[3].eventID],
      'ids are stable across queries',
    );
    assert.deepEqual((await get('beta', '/dcsa/tnt/v3/events?equipmentReference=CSQU3054383')).json().events, []);
  });
});
