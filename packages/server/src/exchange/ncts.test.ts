/**
 * NCTS phase 5 end to end on a real platform, checked with libxml2 against the official XSD
 * 51.8.6: a CC029C becomes a declared movement (and one deviating from the XSD in fields the
 * import does not use is still taken); an unmappable one is a 422 naming each field with
 * nothing created; a seal broken on the imported movement leaves as a schema-valid CC182C.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { findOffice } from '@sealwatch/sim/corridors';
import { startTestPlatform } from '../testing/test-platform';
import { nctsSchemaErrors } from './xsd-validator';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const fixture = readFileSync(new URL('./fixtures/cc029c-rotterdam-milano.xml', import.meta.url), 'utf8');

describe('NCTS phase 5 exchange', () => {
  let p: P;
  const key = generateDeviceKey('EdDSA');
  const tokens: Record<string, string> = {};
  const admin = (method: string, url: string, payload?: unknown) =>
    p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const importXml = (xml: string, query = '', token?: string) =>
    p.http.inject({
      method: 'POST',
      url: `/api/v1/movements/import${query}`,
      headers: { authorization: token ? `Bearer ${token}` : p.auth.authorization, 'content-type': 'application/xml' },
      payload: xml,
    });
  const movementCount = async () => (await admin('GET', '/api/v1/movements?limit=500')).json().items.length;
  let movementId = '';

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const code of ['NL000396', 'CH001171', 'CH004101', 'IT076100'])
      assert.equal((await admin('POST', '/api/v1/offices', findOffice(code))).statusCode, 201);
    for (const o of [
      { id: 'maas', name: 'Maasvlakte Forwarding', kind: 'trader' },
      { id: 'other', name: 'Other Trader', kind: 'trader' },
    ])
      await admin('POST', '/api/v1/organisations', o);
    for (const name of ['maas', 'other']) {
      const u = await admin('POST', '/api/v1/users', {
        username: `${name}.user`,
        name,
        organisation: name,
        roles: ['trader'],
        password: `pw-${name}-long-enough`,
      });
      tokens[name] = (await admin('POST', '/api/v1/tokens', { name: `${name} token`, user: u.json().id })).json().token;
    }
    await admin('POST', '/api/v1/devices', {
      id: 'ESEAL-NL-1',
      class: 'active',
      kind: 'e_seal',
      protocol: 'native',
      key: key.registration,
    });
  });
  after(() => p.cleanup());

  test('the test fixture is valid against cc029c.xsd, and the validator does refuse a broken one', async () => {
    assert.deepEqual(await nctsSchemaErrors(fixture, 'cc029c'), []);
    const broken = fixture.replace('<grossMass>18250.5</grossMass>', '<grossMass>heavy</grossMass>');
    assert.ok((await nctsSchemaErrors(broken, 'cc029c')).some((e) => e.includes('grossMass')));
  });

  test('a CC029C becomes a declared movement: MRN, container, seals, offices in order, time limit and device from the officer', async () => {
    const r = await importXml(fixture, '?timeLimit=2026-12-02T08:00:00.000Z&devices=ESEAL-NL-1&trader=maas');
    assert.equal(r.statusCode, 201, r.body);
    const m = r.json();
    movementId = m.id;
    assert.equal(m.reference, '26NL000396000012J4');
    assert.equal(m.status, 'declared');
    assert.equal(m.container, 'CSQU3054383');
    assert.deepEqual(m.seals, ['NL-CUS-0042117', 'ES-7788-0001']);
    assert.equal(m.departureOffice, 'NL000396');
    assert.equal(m.destinationOffice, 'IT076100');
    assert.deepEqual(m.transitOffices, ['CH001171', 'CH004101']);
    assert.deepEqual(m.devices, ['ESEAL-NL-1']);
    assert.equal(m.timeLimit, '2026-12-02T08:00:00.000Z');
    const sha = createHash('sha256').update(fixture).digest('hex');
    const entries = await p.ctx.store.audit.range(1, 10_000);
    const entry = entries.find((e) => e.action === 'exchange.in:CC029C' && e.data.status === 201);
    assert.ok(entry, 'the document is in the audit trail');
    assert.equal(entry.data.sha256, sha);
    assert.deepEqual(entry.subjects, [movementId]);
  });

  test('the same MRN again is 409 movement_exists', async () => {
    assert.equal((await importXml(fixture)).json().code, 'movement_exists');
  });

  test('a real message deviating from the XSD in fields the import does not use is taken', async () => {
    const deviating = fixture
      .replace('26NL000396000012J4', '26NL000396000013J2')
      .replace('<preparationDateAndTime>2026-11-30T08:15:00', '<preparationDateAndTime>2026-11-30T08:15:00+01:00')
      .replace('<declarationType>T1</declarationType>', '<declarationType>T</declarationType>')
      .replace('CSQU3054383', 'CSQU 305438 3');
    assert.ok(
      (await nctsSchemaErrors(deviating, 'cc029c')).some((e) => e.includes('preparationDateAndTime')),
      'the XSD refuses it',
    );
    const r = await importXml(deviating);
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().container, 'CSQU3054383', 'spaces of the free-text NCTS number dropped');
  });

  test('an unmappable CC029C is one 422 naming each field, and nothing is created', async () => {
    const before = await movementCount();
    const bad = fixture
      .replace('26NL000396000012J4', '26NL000396000014J0')
      .replace('CSQU3054383', 'CSQU3054384')
      .replace('<referenceNumber>CH004101</referenceNumber>', '<referenceNumber>CH009999</referenceNumber>')
      .replace('<identifier>ES-7788-0001</identifier>', '<identifier>SEAL-WITH-A-VERY-LONG-IDENTIFIER</identifier>');
    const r = await importXml(bad, '?devices=ESEAL-NL-1');
    assert.equal(r.statusCode, 422, r.body);
    const body = r.json();
    assert.equal(body.code, 'unmappable_document');
    assert.deepEqual(body.details.errors.map((e: { path: string }) => e.path).sort(), [
      '/CC029C/Consignment/TransportEquipment[1]/Seal[2]/identifier',
      '/CC029C/Consignment/TransportEquipment[1]/containerIdentificationNumber',
      '/CC029C/CustomsOfficeOfTransitDeclared[2]/referenceNumber',
    ]);
    assert.match(JSON.stringify(body.details.errors), /CH009999/);
    const twoContainers = fixture
      .replace('26NL000396000012J4', '26NL000396000015J8')
      .replace(
        '</TransportEquipment>',
        '</TransportEquipment><TransportEquipment><sequenceNumber>2</sequenceNumber><containerIdentificationNumber>MSCU1234566</containerIdentificationNumber><numberOfSeals>0</numberOfSeals></TransportEquipment>',
      );
    const two = await importXml(twoContainers);
    assert.equal(two.statusCode, 422, two.body);
    assert.match(two.json().details.errors[0].message, /one container/);
    assert.equal((await importXml('<CC015C/>')).statusCode, 422);
    assert.equal((await importXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CC029C>&e;</CC029C>')).statusCode, 422);
    assert.equal(await movementCount(), before, 'nothing half-created');
  });

  test('a trader may not import (movements.write), and gets 403', async () => {
    assert.equal((await importXml(fixture, '', tokens.maas)).statusCode, 403);
  });

  test('a seal broken in Switzerland leaves as a CC182C valid against cc182c.xsd: code 2, location W, CH, the container and its seals', async () => {
    assert.equal((await admin('POST', `/api/v1/movements/${movementId}/start`, {})).statusCode, 200);
    let seq = 0;
    for (const seal of [{ state: 'closed' }, { state: 'open', rope: 'cut' }]) {
      const r = await p.ctx.ingest.ingest(
        [signMessage(key, { device: 'ESEAL-NL-1', seq: ++seq, time: new Date().toISOString(), position: { lat: 47.05, lon: 8.3 }, seal })],
        { transport: 'test', remote: null },
      );
      assert.equal(r[0].status, 'accepted');
      await p.ctx.processor.idle();
    }
    const [incident] = (await admin('GET', `/api/v1/incidents?movement=${movementId}`)).json().items;
    assert.equal(incident.code, 'seal_broken');
    const r = await admin('GET', `/api/v1/incidents/${incident.id}/cc182c`);
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.headers['content-type'] as string, /^application\/xml/);
    const xml = r.body;
    assert.deepEqual(await nctsSchemaErrors(xml, 'cc182c'), []);
    assert.match(xml, /<code>2<\/code>/);
    assert.match(xml, /<qualifierOfIdentification>W<\/qualifierOfIdentification>\s*<country>CH<\/country>/);
    assert.match(xml, /<latitude>47\.050000<\/latitude>\s*<longitude>8\.300000<\/longitude>/);
    assert.match(xml, /<CustomsOfficeOfIncidentRegistration>\s*<referenceNumber>CH001171</);
    assert.match(xml, /<containerIdentificationNumber>CSQU3054383</);
    assert.match(xml, /<MRN>26NL000396000012J4<\/MRN>/);
    assert.match(xml, /<incidentNotificationDateAndTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d<\/incidentNotificationDateAndTime>/);
    const entries = await p.ctx.store.audit.range(1, 10_000);
    const out = entries.find((e) => e.action === 'exchange.out:CC182C');
    assert.equal(out?.data.sha256, createHash('sha256').update(xml).digest('hex'));
    assert.equal(
      (
        await p.http.inject({
          method: 'GET',
          url: `/api/v1/incidents/${incident.id}/cc182c`,
          headers: { authorization: `Bearer ${tokens.maas}` },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (
        await p.http.inject({
          method: 'GET',
          url: `/api/v1/incidents/${incident.id}/cc182c`,
          headers: { authorization: `Bearer ${tokens.other}` },
        })
      ).statusCode,
      404,
    );
  });
});
