/** Golden packets G1-G8 from reference §12.5, encoder round trips, acknowledgements, refusals, and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedObservation } from '../decoded';
import { decodeGt06Packet, type Gt06Decoded } from './gt06';
import { encodeGt06Packet, gt06Crc } from './gt06-frames';
import { encodeGt06Alarm, encodeGt06Heartbeat, encodeGt06Location, encodeGt06Login } from './gt06-encoder';
import { gt06BatteryLevel, readGt06Status } from './gt06-status';
import { gt06Golden, gt06GoldenBytes } from './golden-frames';

const IMEI = '864717003283581';
const ok = (d: Gt06Decoded): DecodedObservation[] => {
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  return d.result.observations;
};
const detail = (d: Gt06Decoded) => {
  assert.equal(d.result.ok, false);
  assert.equal(d.reply, null);
  return (d.result as { detail: string }).detail;
};

test('the CRC-ITU of every golden packet checks (CRC-16/X-25 check value 0x906E for "123456789")', () => {
  assert.equal(gt06Crc(Buffer.from('123456789')), 0x906e);
  for (const name of Object.keys(gt06Golden) as (keyof typeof gt06Golden)[]) {
    const p = gt06GoldenBytes(name);
    assert.equal(gt06Crc(p.subarray(2, -4)), p.readUInt16BE(p.length - 4), name);
  }
});

test('G3 login: IMEI 864717003283581 from 8 BCD bytes, acknowledged 0x01 with serial 9 and its CRC', () => {
  const d = decodeGt06Packet(gt06GoldenBytes('login'), null);
  assert.deepEqual(ok(d), []);
  assert.equal(d.imei, IMEI);
  assert.equal(d.reply!.toString('hex'), '78780501000955940d0a');
});

test('G1 location 0x12: time, position, satellites, cell; no acknowledgement expected', () => {
  const d = decodeGt06Packet(gt06GoldenBytes('location'), IMEI);
  const [o] = ok(d);
  assert.equal(o.identifier, IMEI);
  assert.equal(o.time, '2015-10-20T14:21:11.000Z');
  assert.deepEqual(o.position, { lat: 54.945347, lon: 24.017622, speed: 0, heading: 0, source: 'gnss' });
  assert.equal(o.seal, null);
  const a = o.attributes!;
  assert.deepEqual(
    [a.satellites, a.gnssFix, a.courseStatus, a.mcc, a.mnc, a.lac, a.cellId, a.serial],
    [5, true, 0x5400, 246, 1, 0x6e, 0x55da, 3],
  );
  assert.equal(d.reply, null);
});

test('G5 alarm 0x16: SOS, armed, battery byte 62 read as percent, 4-byte cell id; acknowledged with serial 0x035F', () => {
  const d = decodeGt06Packet(gt06GoldenBytes('sos'), IMEI);
  const [o] = ok(d);
  assert.equal(o.time, '2023-09-19T15:58:45.000Z');
  assert.deepEqual(o.position, { lat: 25.827437, lon: -80.376458, speed: 0, heading: 33, source: 'gnss' });
  assert.deepEqual(o.battery, { level: 62 });
  assert.equal(o.seal, null);
  const a = o.attributes!;
  assert.deepEqual(
    [a.alarm, a.armed, a.gpsTracking, a.gsmSignal, a.mcc, a.mnc, a.lac, a.cellId],
    ['sos', true, true, 0x42, 310, 4, 0x81fe, 0x066d9b03],
  );
  assert.equal(d.reply!.toString('hex'), '78780516035f41df0d0a');
});

test('G8 alarm 0x16: alarm code 0x13 is tampering, so the seal is tampered; battery 93 %', () => {
  const d = decodeGt06Packet(gt06GoldenBytes('tamper'), IMEI);
  const [o] = ok(d);
  assert.equal(o.time, '2023-10-08T12:14:36.000Z');
  assert.deepEqual(o.seal, { state: 'tampered' });
  assert.deepEqual(o.battery, { level: 93 });
  assert.deepEqual(
    [o.attributes!.alarm, o.attributes!.mcc, o.attributes!.cellId, o.attributes!.gnssFix],
    ['tamper', 460, 0x0328e7a0, false],
  );
  assert.equal(d.reply!.toString('hex'), '787805161ec33ad30d0a');
});

test('G2, G7: an empty location and protocol number 0x36 are refused with their reason', () => {
  assert.equal(
    detail(decodeGt06Packet(gt06GoldenBytes('emptyLocation'), IMEI)),
    '0x12: packet 0x12 of 0 content bytes is shorter than the 18-byte GPS block',
  );
  assert.match(detail(decodeGt06Packet(gt06GoldenBytes('type36'), IMEI)), /^protocol number 0x36 is not supported/);
});

const fix = { time: Date.parse('2026-11-26T03:22:52.000Z'), lat: -1.2921, lon: -36.8219, speed: 54, heading: 270, satellites: 9 };
const cell = { mcc: 639, mnc: 2, lac: 0x1234, cellId: 0xabcdef };

test('encoded packets round-trip: 0x22 with southern/western hemispheres and re-upload flag, 0x13 heartbeat, 0x26 door and removal alarms', () => {
  const [loc] = ok(decodeGt06Packet(encodeGt06Location(7, fix, cell, true), IMEI));
  assert.deepEqual(loc.position, { lat: -1.2921, lon: -36.8219, speed: 54, heading: 270, source: 'gnss' });
  assert.deepEqual(
    [loc.attributes!.buffered, loc.attributes!.acc, loc.attributes!.cellId, loc.attributes!.satellites],
    [true, true, 0xabcdef, 9],
  );
  const hb = decodeGt06Packet(encodeGt06Heartbeat(0x0102, 0x46, 4, 3), IMEI);
  const [h] = ok(hb);
  assert.equal(h.time, null, 'a heartbeat has no time of its own');
  assert.deepEqual(h.battery, { level: 67 });
  assert.deepEqual(
    [h.attributes!.armed, h.attributes!.charging, h.attributes!.gpsTracking, h.attributes!.voltageLevel],
    [false, true, true, 4],
  );
  const crc = gt06Crc(Buffer.from('05130102', 'hex')).toString(16).padStart(4, '0');
  assert.equal(hb.reply!.toString('hex'), `787805130102${crc}0d0a`, 'heartbeat acknowledged with its serial 0x0102');
  const [door] = ok(decodeGt06Packet(encodeGt06Alarm(9, fix, cell, 0x00, 6, 4, 0x14), IMEI));
  assert.deepEqual([door.door, door.seal, door.battery], ['open', null, { level: 100 }]);
  const [removed] = ok(decodeGt06Packet(encodeGt06Alarm(10, fix, cell, 0x38, 2, 4, 0x00), IMEI));
  assert.deepEqual([removed.seal, removed.attributes!.infoAlarm], [{ state: 'tampered' }, 'removal']);
});

test('the status block: level 0-6 as a share of 6, 7-100 as percent, above 100 as nothing; terminal info alarm bits', () => {
  assert.deepEqual([0, 3, 6, 7, 93, 100, 101].map(gt06BatteryLevel), [0, 50, 100, 7, 93, 100, null]);
  assert.equal(readGt06Status(0x10, 1, 1, 0x02).attributes.infoAlarm, 'powerCut');
  assert.equal(readGt06Status(0x00, 1, 1, 0x02).seal, null, 'a power cut is not a seal fact');
  assert.equal(readGt06Status(0x00, 1, 1, 0x77).attributes.alarm, 'code0x77');
});

test('what is not a readable packet is refused with a reason', () => {
  const bad = gt06GoldenBytes('location');
  bad[10] ^= 0x01;
  assert.equal(
    detail(decodeGt06Packet(bad, IMEI)),
    'CRC-ITU mismatch: the packet carries 0x5f24, its bytes give 0x' + gt06Crc(bad.subarray(2, -4)).toString(16).padStart(4, '0'),
  );
  assert.equal(detail(decodeGt06Packet(gt06GoldenBytes('location'), null)), 'packet 0x12 before the login packet');
  assert.equal(
    detail(decodeGt06Packet(gt06GoldenBytes('location').subarray(0, 20), IMEI)),
    'length field 31 does not match the packet of 20 bytes',
  );
  const badDate = Buffer.from(gt06GoldenBytes('location').subarray(4, -6));
  badDate[1] = 13;
  assert.equal(detail(decodeGt06Packet(encodeGt06Packet(0x12, badDate, 1), IMEI)), '0x12: date 0f0d140e150b (YYMMDDhhmmss) is not a time');
  assert.equal(
    detail(decodeGt06Packet(encodeGt06Packet(0x01, Buffer.from('0864717a03283581', 'hex'), 1), null)),
    'login IMEI 0864717a03283581 is not BCD',
  );
  assert.equal(detail(decodeGt06Packet(Buffer.from('hello world!'), IMEI)), 'not a GT06 packet (0x7878 or 0x7979, at least 10 bytes)');
  const long = encodeGt06Packet(0x12, gt06GoldenBytes('location').subarray(4, -6), 3, true);
  assert.equal(ok(decodeGt06Packet(long, IMEI))[0].time, '2015-10-20T14:21:11.000Z', 'a 0x7979 packet carries the same content');
});

test('fuzz: 100,000 mutated packets (CRC fixed) and random bytes never throw; every result is a decode or a reason', () => {
  let seed = 5023;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const sources = (['location', 'sos', 'tamper', 'login'] as const)
    .map(gt06GoldenBytes)
    .concat([encodeGt06Location(1, fix, cell), encodeGt06Heartbeat(2, 0x46, 4, 3)]);
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 100_000; i++) {
    const src = sources[i % sources.length];
    let content = Buffer.from(src.subarray(4, -6));
    for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
      const r = rand();
      const at = Math.floor(rand() * Math.max(1, content.length));
      if (r < 0.7 && content.length) content[at] = Math.floor(rand() * 256);
      else if (r < 0.85) content = content.subarray(0, at);
      else content = Buffer.concat([content.subarray(0, at), Buffer.from([Math.floor(rand() * 256)]), content.subarray(at)]);
    }
    const packet =
      rand() < 0.9
        ? encodeGt06Packet(src[3], content, i & 0xffff)
        : Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
    const d = decodeGt06Packet(packet, rand() < 0.95 ? IMEI : null);
    if (d.result.ok) {
      decoded++;
      for (const o of d.result.observations) {
        assert.equal(o.identifier, IMEI);
        if (o.time) assert.ok(!Number.isNaN(Date.parse(o.time)));
        if (o.position) assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180);
      }
    } else {
      refused++;
      assert.ok(d.result.detail.length > 0 && d.reply === null);
    }
  }
  assert.ok(decoded > 5000 && refused > 5000, `decoded ${decoded}, refused ${refused}`);
});
