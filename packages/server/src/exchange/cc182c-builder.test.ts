/**
 * core's CC182C builder over the cases the end-to-end test does not reach, each checked with
 * libxml2 against the official cc182c.xsd: an itinerary deviation (code 1), coordinates at the
 * edges of the XSD's patterns, a long text; and the incidents NCTS has no code for, refused by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asDeviceId, asIncidentId, buildCc182c, toTimestamp, type Cc182cInput } from '@sealwatch/core';
import { nctsSchemaErrors } from './xsd-validator';

const input = (over: Partial<Cc182cInput['incident']> = {}, rest: Partial<Cc182cInput> = {}): Cc182cInput => ({
  incident: {
    id: asIncidentId('inc-1'),
    code: 'route_deviation',
    openedAt: toTimestamp('2026-11-30T10:11:12.345Z'),
    position: { lat: -0.5, lon: -179.9999999 },
    container: 'CSQU3054383',
    seals: [],
    types: ['route_deviation'],
    devices: [],
    ...over,
  },
  mrn: '26NL000396000012J4',
  departureOffice: 'NL000396',
  registrationOffice: 'DE004057',
  country: 'DE',
  recipient: 'NL123456789000',
  messageId: 'abc',
  preparedAt: Date.parse('2026-11-30T10:20:00.999Z'),
  ...rest,
});

test('an itinerary deviation is code 1, valid against cc182c.xsd, times in UTC without zone or fraction', async () => {
  const r = buildCc182c(input());
  assert.ok(r.ok);
  assert.deepEqual(await nctsSchemaErrors(r.xml, 'cc182c'), []);
  assert.match(r.xml, /<code>1<\/code>/);
  assert.match(r.xml, /<incidentNotificationDateAndTime>2026-11-30T10:11:12<\/incidentNotificationDateAndTime>/);
  assert.match(r.xml, /<preparationDateAndTime>2026-11-30T10:20:00<\/preparationDateAndTime>/);
  assert.match(r.xml, /<latitude>-0\.500000<\/latitude>\s*<longitude>-180\.000000<\/longitude>/);
});

test('a seal incident with many seals, a 90° latitude and a text past 512 characters stays valid', async () => {
  const r = buildCc182c(
    input({
      code: 'seal_broken',
      position: { lat: 90, lon: 0 },
      seals: Array.from({ length: 120 }, (_, i) => `SEAL-${i}`),
      devices: Array.from({ length: 60 }, (_, i) => asDeviceId(`DEVICE-NUMBER-${i}`)),
    }),
  );
  assert.ok(r.ok);
  assert.deepEqual(await nctsSchemaErrors(r.xml, 'cc182c'), []);
  assert.match(r.xml, /<numberOfSeals>99<\/numberOfSeals>/);
});

test('the validator refuses what the XSD forbids: a zoned time, 4 decimals', async () => {
  const r = buildCc182c(input());
  assert.ok(r.ok);
  const zoned = r.xml.replace(/(<incidentNotificationDateAndTime>[^<]*)</, '$1Z<');
  assert.notDeepEqual(await nctsSchemaErrors(zoned, 'cc182c'), []);
  const short = r.xml.replace('-0.500000', '-0.5000');
  assert.notDeepEqual(await nctsSchemaErrors(short, 'cc182c'), []);
});

test('what NCTS cannot carry is refused by field: a silence, a non-NCTS office, no position', () => {
  const r = buildCc182c(input({ code: 'signal_lost', position: null }, { departureOffice: 'KEMBA', mrn: 'DEMO-1' }));
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => e.path), [
    '/CC182C/Consignment/Incident/code',
    '/CC182C/TransitOperation/MRN',
    '/CC182C/CustomsOfficeOfDeparture/referenceNumber',
    '/CC182C/Consignment/Incident/Location/GNSS',
  ]);
});
