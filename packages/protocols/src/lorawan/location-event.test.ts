/** ChirpStack v4 `location` events (integration.LocationEvent, JSON mapping). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeChirpStackLocation } from './location-event';

const event = (location: Record<string, unknown>) =>
  JSON.stringify({
    deduplicationId: '5b2e2c5e-7d2f-4b55-9b8e-2f0f4c1b8a11',
    time: '2026-12-07T01:30:00.250Z',
    deviceInfo: { tenantId: 't', applicationId: 'a', deviceName: 'seal-lr-7', devEui: '0004a30b001c0530' },
    location,
  });

test('a TDOA solve becomes a cell position with its accuracy, marked network-solved, under the upper-case DevEUI', () => {
  const r = decodeChirpStackLocation(
    event({ latitude: -1.2921, longitude: 36.8219, altitude: 1661, source: 'GEO_RESOLVER_TDOA', accuracy: 120 }),
  );
  assert.ok(r.ok);
  const [o] = r.observations;
  assert.equal(o.identifier, '0004A30B001C0530');
  assert.equal(o.time, '2026-12-07T01:30:00.250Z');
  assert.deepEqual(o.position, { lat: -1.2921, lon: 36.8219, source: 'cell', accuracy: 120 });
  assert.deepEqual(o.attributes, {
    event: 'location',
    networkSolved: true,
    locationSource: 'GEO_RESOLVER_TDOA',
    altitude: 1661,
    deviceName: 'seal-lr-7',
  });
});

test('Wi-Fi and GNSS solves keep their kind; a configured location is no observation; a bad body says why', () => {
  const wifi = decodeChirpStackLocation(event({ latitude: 1, longitude: 2, source: 'GEO_RESOLVER_WIFI', accuracy: 30 }));
  assert.ok(wifi.ok);
  assert.equal(wifi.observations[0].position!.source, 'wifi');
  const gnss = decodeChirpStackLocation(event({ latitude: 1, longitude: 2, source: 'GEO_RESOLVER_GNSS' }));
  assert.ok(gnss.ok);
  assert.equal(gnss.observations[0].position!.source, 'gnss');
  assert.deepEqual(decodeChirpStackLocation(event({ latitude: 1, longitude: 2, source: 'CONFIG' })), { ok: true, observations: [] });
  const bad = decodeChirpStackLocation(event({ latitude: 91, longitude: 2, source: 'GEO_RESOLVER_TDOA' }));
  assert.equal(bad.ok, false);
  assert.match((bad as { detail: string }).detail, /^invalid_location: location\.latitude/);
  assert.deepEqual(decodeChirpStackLocation('{'), { ok: false, detail: 'not_json: body is not JSON' });
});
