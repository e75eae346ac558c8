/**
 * The network servers' published examples (published-examples.ts) through the decoders, and field
 * mappings per device profile: what each stores, and what it refuses with which reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLorawanUplink } from './eseal-uplink';
import { lorawanProfilesSchema, type LorawanProfiles } from './field-mapping';
import { decodeChirpStackLocation, decodeChirpStackStatus, decodeTtsLocationSolved } from './location-event';
import { parseUplink } from './uplink';
import {
  chirpStackLocationExample,
  chirpStackStatusExample,
  chirpStackUpExample,
  ttsJoinExample,
  ttsLocationSolvedExample,
  ttsUplinkExample,
} from './published-examples';

const json = (o: unknown) => JSON.stringify(o);
const one = (body: string, profiles?: LorawanProfiles) => {
  const r = decodeLorawanUplink(body, { profiles });
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  assert.equal(r.observations.length, 1);
  return r.observations[0];
};

/** Two makers' codecs, as an installation would configure them (SEALWATCH_LORAWAN_PROFILES). */
const profiles = lorawanProfilesSchema.parse({
  profiles: [
    {
      match: ['Test device-profile'],
      fields: {
        latitude: ['gps.lat'],
        longitude: ['gps.lng'],
        accuracy: ['gps.hacc'],
        batteryVoltage: [{ path: 'BatV_mV', scale: 0.001 }],
        door: [{ path: 'DOOR_OPEN_STATUS', open: [1] }],
        tamper: [{ path: 'alarm', tampered: ['TAMPER', 'CASE_OPEN'] }],
        rope: [{ path: 'shackle', cut: ['cut'] }],
        lock: [{ path: 'lock', unlocked: ['unlocked'] }],
      },
    },
    { match: ['the-things-products/the-things-uno'], fields: { temperature: ['luminosity'] } },
  ],
});

test('ChirpStack v4 published `up` example: envelope read faithfully; FPort 1 with nothing decoded is kept as a radio-only observation of its device', () => {
  const p = parseUplink(json(chirpStackUpExample));
  assert.ok(p.ok);
  assert.equal(p.uplink.devEui, '0101010101010101');
  assert.equal(p.uplink.time, '2022-07-18T09:34:15.775Z');
  assert.deepEqual([p.uplink.fPort, p.uplink.fCnt, p.uplink.frequencyHz], [1, 0, 867100000]);
  assert.deepEqual(p.uplink.gateways, [{ id: '0016c001f153a14c', rssi: -36, snr: 10.5 }]);
  assert.deepEqual([...p.uplink.payload], [0xaa]);
  assert.deepEqual(p.uplink.profileKeys, ['Test device-profile', '14855bf7-d10d-4aee-b618-ebfcb64dc7ad']);
  const r = decodeLorawanUplink(json(chirpStackUpExample));
  assert.ok(r.ok);
  const [o] = r.observations;
  assert.deepEqual(
    [o.identifier, o.time, o.position, o.seal, o.attributes?.undecoded, o.attributes?.gateways],
    [
      '0101010101010101',
      '2022-07-18T09:34:15.775Z',
      null,
      null,
      { payload: 'qg==', bytes: 1 },
      [{ id: '0016c001f153a14c', rssi: -36, snr: 10.5 }],
    ],
  );
});

test("ChirpStack `up` decoded by the device profile's codec: that profile's field names become position, battery, door, tamper, rope and lock", () => {
  const object = {
    gps: { lat: -1.2921, lng: 36.8219, hacc: 12 },
    BatV_mV: 3620,
    DOOR_OPEN_STATUS: 1,
    alarm: 'CASE_OPEN',
    shackle: 'cut',
    lock: 'locked',
    latitude: 10, // another codec's name: not this profile's, not read
  };
  const o = one(json({ ...chirpStackUpExample, object }), profiles);
  assert.deepEqual(o.position, { lat: -1.2921, lon: 36.8219, source: 'gnss', accuracy: 12 });
  assert.deepEqual(o.battery, { voltage: 3.62 });
  assert.equal(o.door, 'open');
  assert.deepEqual(o.seal, { state: 'tampered', rope: 'cut', lock: 'locked' });
  assert.equal(o.attributes!.profile, 'Test device-profile');
  assert.deepEqual(o.attributes!.decoded, object);
  // The same object without a profile: the default names only (latitude without longitude is no position).
  const d = one(
    json({
      ...chirpStackUpExample,
      object,
      deviceInfo: { ...chirpStackUpExample.deviceInfo, deviceProfileName: 'x', deviceProfileId: 'y' },
    }),
    profiles,
  );
  assert.deepEqual([d.position, d.battery, d.door, d.seal, d.attributes!.profile], [null, null, null, null, undefined]);
  // Selected by the device-profile id as well.
  const byId = lorawanProfilesSchema.parse({
    profiles: [{ match: ['14855bf7-d10d-4aee-b618-ebfcb64dc7ad'], fields: { door: [{ path: 'DOOR_OPEN_STATUS', open: [1] }] } }],
  });
  assert.equal(one(json({ ...chirpStackUpExample, object: { DOOR_OPEN_STATUS: 0 } }), byId).door, 'closed');
});

test('The Things Stack v3 published uplink example: decoded_payload stored (temperature), registry location and gateway never a position; the Device Repository model picks its profile', () => {
  const o = one(json(ttsUplinkExample));
  assert.equal(o.identifier, '0004A30B001C0530');
  assert.equal(o.time, '2020-02-12T15:15:45.789Z');
  assert.equal(o.position, null);
  assert.deepEqual(o.sensors, { temperature: 1 });
  assert.deepEqual(o.attributes, {
    network: 'tts',
    fPort: 0,
    fCnt: 1,
    decoded: { temperature: 1.0, luminosity: 0.64 },
    positionUnknown: true,
    deviceName: 'dev1',
    frequencyHz: 868300000,
    gateways: [{ id: 'gtw1', rssi: -35, snr: 5 }],
  });
  const mapped = one(json(ttsUplinkExample), profiles);
  assert.deepEqual([mapped.sensors, mapped.attributes!.profile], [{ temperature: 0.64 }, 'the-things-products/the-things-uno']);
});

test('published join messages are no uplink; TTS location_solved and the ChirpStack location example are network-solved positions', () => {
  assert.equal(parseUplink(json(ttsJoinExample)).ok, false);
  const tts = decodeTtsLocationSolved(json(ttsLocationSolvedExample));
  assert.ok(tts.ok);
  assert.deepEqual(tts.observations, [
    {
      identifier: '0004A30B001C0530',
      time: '2020-02-12T15:15:47.014Z',
      position: { lat: 37.9715, lon: 23.7267, source: 'cell', accuracy: 150 },
      seal: null,
      door: null,
      sensors: null,
      battery: null,
      reads: null,
      attributes: {
        event: 'location_solved',
        networkSolved: true,
        locationSource: 'SOURCE_LORA_RSSI_GEOLOCATION',
        service: 'lora-cloud-geolocation',
        altitude: 10,
        deviceName: 'dev1',
      },
    },
  ]);
  const solved = (source: string) =>
    decodeTtsLocationSolved(
      json({
        ...ttsLocationSolvedExample,
        location_solved: { location: { ...ttsLocationSolvedExample.location_solved.location, source } },
      }),
    );
  const gps = solved('SOURCE_GPS');
  assert.ok(gps.ok);
  assert.equal(gps.observations[0].position!.source, 'gnss');
  assert.deepEqual(solved('SOURCE_REGISTRY'), { ok: true, observations: [] });
  assert.deepEqual(solved('SOURCE_IP_GEOLOCATION'), { ok: true, observations: [] });
  assert.match((decodeTtsLocationSolved('{"location_solved":{}}') as { detail: string }).detail, /^invalid_location: end_device_ids/);
  // ChirpStack's example names no source (protobuf's UNKNOWN default is left out): a solve of unnamed kind, stored as the weakest.
  const cs = decodeChirpStackLocation(json(chirpStackLocationExample));
  assert.ok(cs.ok);
  assert.deepEqual(cs.observations[0].position, { lat: 37.344214, lon: -8.839375, source: 'cell' });
  assert.deepEqual(cs.observations[0].attributes, {
    event: 'location',
    networkSolved: true,
    locationSource: 'UNKNOWN',
    altitude: 2,
    deviceName: 'Test device',
  });
});

test('a profile file is checked whole: unknown members, half a position and bad paths are refused', () => {
  const bad = (fields: unknown) => !lorawanProfilesSchema.safeParse({ profiles: [{ match: ['p'], fields }] }).success;
  assert.ok(bad({ latitude: ['lat'] }));
  assert.ok(bad({ battery: ['b'] }));
  assert.ok(bad({ door: [{ path: 'd', open: [] }] }));
  assert.ok(bad({ temperature: ['a..b'] }));
  assert.ok(!bad({ temperature: [{ path: 'sensor.t', scale: 0.1 }] }));
  // A path never reaches into prototypes.
  const p = lorawanProfilesSchema.parse({
    profiles: [{ match: ['Test device-profile'], fields: { temperature: ['constructor.length'] } }],
  });
  assert.equal(one(json({ ...chirpStackUpExample, object: {} }), p).sensors, null);
});

test("ChirpStack's published `status` example: the battery level it reports, with the link margin; external power or an unmeasured level is no level", () => {
  const r = decodeChirpStackStatus(json(chirpStackStatusExample));
  assert.ok(r.ok);
  assert.deepEqual(r.observations, [
    {
      identifier: '0101010101010101',
      time: '2022-07-18T09:35:06.927Z',
      position: null,
      seal: null,
      door: null,
      sensors: null,
      battery: { level: 88.3 },
      reads: null,
      attributes: { event: 'status', margin: 10, deviceName: 'Test device' },
    },
  ]);
  const external = decodeChirpStackStatus(json({ ...chirpStackStatusExample, batteryLevel: undefined, externalPowerSource: true }));
  assert.ok(external.ok);
  assert.deepEqual([external.observations[0].battery, external.observations[0].attributes!.externalPowerSource], [null, true]);
  const unmeasured = decodeChirpStackStatus(json({ ...chirpStackStatusExample, batteryLevel: undefined, batteryLevelUnavailable: true }));
  assert.ok(unmeasured.ok);
  assert.equal(unmeasured.observations[0].battery, null);
  assert.match(
    (decodeChirpStackStatus(json({ ...chirpStackStatusExample, batteryLevel: 101 })) as { detail: string }).detail,
    /^invalid_status: batteryLevel/,
  );
});
