/** Golden requests from Traccar's OsmAndProtocolDecoderTest (reference §12.7), and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOsmAnd, parseOsmAndTime } from './osmand';

const q = (query: string) => decodeOsmAnd({ query });
const one = (r: ReturnType<typeof decodeOsmAnd>) => {
  assert.ok(r.ok, r.ok ? '' : r.detail);
  assert.equal(r.observations.length, 1);
  return r.observations[0];
};

test('O1: ISO time, position, altitude and hdop as attributes, speed 0', () => {
  const o = one(q('/?id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&altitude=224.0&speed=0.0'));
  assert.deepEqual(o, {
    identifier: '902064',
    time: '2016-01-27T18:55:47.000Z',
    position: { lat: 42.06288, lon: -88.23412, source: 'gnss', speed: 0 },
    seal: null,
    door: null,
    sensors: null,
    battery: null,
    reads: null,
    attributes: { altitude: 224, hdop: 6 },
  });
});

test('O2: a millisecond timestamp', () => {
  assert.equal(
    one(q('/?id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0&altitude=224.0&speed=0.0')).time,
    '2015-09-12T14:38:06.579Z',
  );
});

test('O3: "yyyy-MM-dd HH:mm:ss" read as UTC', () => {
  const o = one(q('/?lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0&id=353861053849681'));
  assert.equal(o.time, '2014-06-04T09:10:11.000Z');
  assert.equal(o.identifier, '353861053849681');
});

test('O4: location=lat,lon and unix seconds', () => {
  const o = one(q('/?id=123456&timestamp=1377177267&location=60.0,30.0'));
  assert.deepEqual(o.position, { lat: 60, lon: 30, source: 'gnss' });
  assert.equal(o.time, '2013-08-22T13:14:27.000Z');
});

test('O5: speed in knots becomes km/h; unknown keys are kept as sent (strings; true/false as booleans)', () => {
  const o = one(
    q(
      '/?id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24',
    ),
  );
  assert.ok(Math.abs(o.position!.speed! - 74.08) < 1e-9);
  assert.equal(o.position!.heading, 7.19889788244);
  assert.deepEqual(o.attributes, { ignition: true, rpm: '933', fuel: '24' });
});

test('O6: network only, no position; cells and wifi kept', () => {
  const o = one(
    q('/?id=123456&timestamp=1377177267&cell=257,02,16,2224&cell=257,02,16,2223,-90&wifi=00-14-22-01-23-45,-80&wifi=00-1C-B3-09-85-15,-70'),
  );
  assert.equal(o.position, null);
  assert.deepEqual(o.attributes, {
    cells: ['257,02,16,2224', '257,02,16,2223,-90'],
    wifi: ['00-14-22-01-23-45,-80', '00-1C-B3-09-85-15,-70'],
  });
});

test('O7: no id is refused', () => {
  const r = q('/?timestamp=1377177267&lat=60.0&lon=30.0');
  assert.deepEqual(r, { ok: false, detail: 'missing id (or deviceid)' });
});

test('O8/O9: the JSON form of the current Traccar Client', () => {
  const body = JSON.stringify({
    location: {
      timestamp: '2025-06-15T13:45:12.862Z',
      coords: { latitude: 37.4219983, longitude: -122.084, accuracy: 5, speed: 0, heading: -1, altitude: 5 },
      is_moving: false,
      odometer: 0,
      event: 'motionchange',
      battery: { level: 1, is_charging: false },
      activity: { type: 'still' },
      extras: { device_integer_twelve_test: 12 },
    },
    device_id: '48241179',
  });
  const o = one(decodeOsmAnd({ query: '/', contentType: 'application/json', body }));
  assert.equal(o.identifier, '48241179');
  assert.equal(o.time, '2025-06-15T13:45:12.862Z');
  assert.deepEqual(o.position, { lat: 37.4219983, lon: -122.084, source: 'gnss', speed: 0, accuracy: 5 });
  assert.deepEqual(o.battery, { level: 100 });
  assert.equal(o.attributes!.device_integer_twelve_test, 12);
  assert.equal(o.attributes!.motion, false);
});

test('bad times and positions are refused with a reason', () => {
  assert.equal(parseOsmAndTime('yesterday'), null);
  assert.deepEqual(q('/?id=1&timestamp=soon'), { ok: false, detail: 'timestamp soon is not a time' });
  assert.deepEqual(q('/?id=1&lat=91&lon=0'), { ok: false, detail: 'position 91,0 is out of range' });
  assert.deepEqual(decodeOsmAnd({ query: '', contentType: 'application/json', body: '{' }), { ok: false, detail: 'body is not JSON' });
});

test('fuzz: random query strings and bodies never throw, and every success names a device', () => {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = 'id=lat&lon=timestamp%2C,.-0123456789abcTZ:{}"[]\\ \u0000\u00ff';
  for (let i = 0; i < 20_000; i++) {
    const len = Math.floor(rand() * 80);
    let s = '';
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
    for (const r of [decodeOsmAnd({ query: s }), decodeOsmAnd({ query: '', contentType: 'application/json', body: s })]) {
      if (r.ok) for (const o of r.observations) assert.ok(o.identifier.length > 0);
    }
  }
});

test('unknown parameters keep their digits: an ICCID, a driver id with leading zeros, a decimal as written (issue 22)', () => {
  const o = one(q('?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&iccid=89882280666134274509&driverUniqueId=000123&temp=21.50'));
  assert.equal(o.attributes!.iccid, '89882280666134274509');
  assert.equal(o.attributes!.driverUniqueId, '000123');
  assert.equal(o.attributes!.temp, '21.50');
});
