/** Golden frames from reference §12.6 and Traccar's TeltonikaProtocolDecoderTest, the CRC, the encoder, and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodeResult, DecodedObservation } from '../decoded';
import { decodeTeltonikaAvlData, decodeTeltonikaPacket } from './teltonika';
import { TeltonikaFrameSplitter, teltonikaAvlAck, teltonikaCrc16, teltonikaImeiReply } from './teltonika-frames';
import { decodeTeltonikaDatagram, teltonikaUdpAck } from './teltonika-udp';
import { encodeTeltonikaDatagram, encodeTeltonikaImei, encodeTeltonikaPacket, type TeltonikaRecord } from './teltonika-encoder';
import { goldenBytes, teltonikaGolden } from './golden-frames';

const IMEI = '123456789012345';
const ok = (r: DecodeResult): DecodedObservation[] => {
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.observations;
};

test('TL1: the IMEI handshake is read, and the replies are one byte, 0x01 accepted and 0x00 refused', () => {
  const [frame] = new TeltonikaFrameSplitter().push(goldenBytes('imei'));
  assert.deepEqual(frame, { kind: 'imei', imei: IMEI, bytes: goldenBytes('imei') });
  assert.deepEqual(teltonikaImeiReply(true), Buffer.from([0x01]));
  assert.deepEqual(teltonikaImeiReply(false), Buffer.from([0x00]));
  assert.deepEqual(encodeTeltonikaImei(IMEI), goldenBytes('imei'));
});

test('TL2: Codec 8, one record: time from the ms timestamp, position, raw IO values and the mapped ones', () => {
  assert.deepEqual(ok(decodeTeltonikaPacket(goldenBytes('codec8'), IMEI)), [
    {
      identifier: IMEI,
      time: '2013-08-31T15:00:41.710Z',
      position: { lat: 37.6743392, lon: 21.432776, speed: 0, heading: 0, source: 'gnss' },
      seal: null,
      door: null,
      sensors: null,
      battery: null,
      reads: null,
      attributes: {
        priority: 0,
        eventIo: 0,
        altitude: -4,
        satellites: 9,
        gnssFix: true,
        io1: 0,
        din1: false,
        io240: 0,
        motion: false,
        io66: 12835,
        externalVoltage: 12.835,
        io24: 0,
      },
    },
  ]);
});

test('TL3: Codec 8 with 0 satellites keeps the last position and says there is no fix', () => {
  const [o] = ok(decodeTeltonikaPacket(goldenBytes('codec8NoFix'), IMEI));
  assert.equal(o.time, '2018-03-05T00:07:46.000Z');
  assert.deepEqual(o.position, { lat: 25.06804, lon: 55.1443366, speed: 0, heading: 0, source: 'gnss' });
  assert.equal(o.attributes!.gnssFix, false);
  assert.equal(o.attributes!.ignition, false);
  assert.equal(o.attributes!.io9, 32);
});

test('Codec 8 with three records: one observation per record, in order, with 4-byte values; the ack is 4 bytes', () => {
  const obs = ok(decodeTeltonikaPacket(goldenBytes('codec8ThreeRecords'), IMEI));
  assert.deepEqual(
    obs.map((o) => o.time),
    ['2022-03-28T04:53:34.230Z', '2022-03-28T04:52:53.270Z', '2021-06-04T03:19:23.160Z'],
  );
  assert.deepEqual(
    obs.map((o) => [o.position!.lat, o.position!.lon, o.position!.speed, o.position!.heading]),
    [
      [24.9484381, 67.1363518, 0, 301],
      [24.9484253, 67.1363591, 9, 70],
      [24.893493, 67.0457151, 97, 241],
    ],
  );
  assert.deepEqual(
    obs.map((o) => o.attributes!.io241),
    [41001, 41001, 41],
  );
  assert.deepEqual(
    obs.map((o) => o.attributes!.din1),
    [false, true, true],
  );
  assert.equal(obs[0].attributes!.eventIo, 250);
  assert.deepEqual(teltonikaAvlAck(obs.length), Buffer.from('00000003', 'hex'));
});

test('Codec 8 Extended: 2-byte IO ids and counts, priority, battery voltage (IO 67, mV) and level (IO 113)', () => {
  const obs = ok(decodeTeltonikaPacket(goldenBytes('codec8eTwoRecords'), IMEI));
  assert.equal(obs.length, 2);
  assert.deepEqual(obs[0].battery, { level: 1, voltage: 3.414 });
  assert.equal(obs[0].attributes!.priority, 1);
  assert.deepEqual([obs[0].attributes!.eventIo, obs[1].attributes!.eventIo], [236, 389]);
  assert.equal(obs[0].attributes!.io263, 1);
  assert.equal(obs[1].attributes!.io389, 17);
  assert.deepEqual(obs[0].position, { lat: -33.9656016, lon: 18.8357883, speed: 0, heading: 0, source: 'gnss' });
});

test('Codec 8 Extended: variable-length IO values are kept as hex (TL5 BLE tag, VIN)', () => {
  const [tag] = ok(decodeTeltonikaPacket(goldenBytes('codec8eBleTag'), IMEI));
  assert.equal(tag.time, '2022-09-23T04:22:29.011Z');
  assert.equal(tag.attributes!.eventIo, 10831);
  assert.equal(tag.attributes!.io10831, '011c0001a40110eb47706aa38255aa96f21a154e2d00550d01000e020bd6');
  assert.equal(parseInt((tag.attributes!.io10831 as string).slice(-4), 16), 3030);
  const [car] = ok(decodeTeltonikaPacket(goldenBytes('codec8eVin'), IMEI));
  assert.equal(Buffer.from(car.attributes!.io256 as string, 'hex').toString('latin1'), 'WV1ZZZ2EZ86015388');
  assert.equal(car.attributes!.ignition, true);
  assert.deepEqual(car.battery, { voltage: 3.991 });
});

test('CRC-16/IBM: the catalogue check value, and the CRC every golden packet carries', () => {
  assert.equal(teltonikaCrc16(Buffer.from('123456789')), 0xbb3d);
  for (const name of [
    'codec8',
    'codec8NoFix',
    'codec8ThreeRecords',
    'codec8eBleTag',
    'codec8eTwoRecords',
    'codec8eVin',
    'codec12',
  ] as const) {
    const p = goldenBytes(name);
    const length = p.readUInt32BE(4);
    assert.equal(teltonikaCrc16(p.subarray(8, 8 + length)), p.readUInt32BE(8 + length), name);
  }
});

test('a bad CRC is a decode failure that says both CRCs', () => {
  const p = goldenBytes('codec8');
  p[20] ^= 0x01;
  assert.deepEqual(decodeTeltonikaPacket(p, IMEI), {
    ok: false,
    detail: 'CRC-16 mismatch: the packet carries 0x7a04, the data field gives 0xba95',
  });
  const q = goldenBytes('codec8');
  q[q.length - 1] ^= 0xff;
  assert.match((decodeTeltonikaPacket(q, IMEI) as { detail: string }).detail, /^CRC-16 mismatch: the packet carries 0x7afb/);
});

test('the encoder rebuilds the golden packets byte for byte (Codec 8 and 8 Extended)', () => {
  const tl2: TeltonikaRecord = {
    time: Date.parse('2013-08-31T15:00:41.710Z'),
    lat: 37.6743392,
    lon: 21.432776,
    altitude: -4,
    satellites: 9,
    io: [
      { id: 1, size: 1, value: 0 },
      { id: 240, size: 1, value: 0 },
      { id: 66, size: 2, value: 12835 },
      { id: 24, size: 2, value: 0 },
    ],
  };
  assert.equal(encodeTeltonikaPacket(0x08, [tl2]).toString('hex'), teltonikaGolden.codec8);
  const tl5: TeltonikaRecord = {
    time: Date.parse('2022-09-23T04:22:29.011Z'),
    lat: 54.70086,
    lon: 25.25975,
    altitude: 179,
    angle: 180,
    satellites: 14,
    eventIo: 10831,
    variable: [{ id: 10831, value: Buffer.from('011c0001a40110eb47706aa38255aa96f21a154e2d00550d01000e020bd6', 'hex') }],
  };
  assert.equal(encodeTeltonikaPacket(0x8e, [tl5]).toString('hex'), teltonikaGolden.codec8eBleTag);
});

test('encoded records round-trip: southern and western coordinates, 8-byte values past 2^53, no fix at 0,0', () => {
  const records: TeltonikaRecord[] = [
    {
      time: Date.parse('2026-11-26T03:22:52.120Z'),
      lat: -1.2921,
      lon: -36.8219,
      altitude: 1650,
      angle: 270,
      satellites: 7,
      speed: 54,
      priority: 2,
      eventIo: 67,
      io: [
        { id: 67, size: 2, value: 3910 },
        { id: 16, size: 4, value: 123456789 },
        { id: 78, size: 8, value: 0xffff_ffff_ffff_fff0n },
        { id: 11, size: 8, value: 42 },
      ],
    },
    { time: Date.parse('2026-11-26T03:23:52.000Z'), lat: 0, lon: 0 },
  ];
  for (const codec of [0x08, 0x8e] as const) {
    const obs = ok(decodeTeltonikaPacket(encodeTeltonikaPacket(codec, records), IMEI));
    assert.equal(obs[0].time, '2026-11-26T03:22:52.120Z');
    assert.deepEqual(obs[0].position, { lat: -1.2921, lon: -36.8219, speed: 54, heading: 270, source: 'gnss' });
    assert.deepEqual(obs[0].battery, { voltage: 3.91 });
    assert.equal(obs[0].attributes!.io78, '18446744073709551600');
    assert.equal(obs[0].attributes!.io11, 42);
    assert.equal(obs[0].attributes!.io16, 123456789);
    assert.equal(obs[0].attributes!.priority, 2);
    assert.equal(obs[0].attributes!.altitude, 1650);
    assert.equal(obs[1].position, null);
    assert.equal(obs[1].attributes!.gnssFix, false);
  }
});

test('what is not a readable AVL packet is refused with a reason', () => {
  const data = (hex: string) => decodeTeltonikaAvlData(Buffer.from(hex, 'hex'), IMEI);
  const unknown = Buffer.from(goldenBytes('codec12'));
  unknown[8] = 0x09;
  assert.deepEqual(decodeTeltonikaAvlData(unknown.subarray(8, -4), IMEI), {
    ok: false,
    detail: 'codec 0x09 is not supported (Codec 7 0x07, 8 0x08, 8 Extended 0x8e, 16 0x10, 12 0x0c, 13 0x0d)',
  });
  assert.deepEqual(data('080102'), { ok: false, detail: 'record count 1 at the start differs from 2 at the end' });
  assert.deepEqual(data('08010000000001'), { ok: false, detail: 'data field ends inside record 1 of 1' });
  const withExtra = goldenBytes('codec8').subarray(8, 8 + 0x2b);
  const padded = Buffer.concat([withExtra.subarray(0, -1), Buffer.from([0x00, 0x01])]);
  assert.deepEqual(decodeTeltonikaAvlData(padded, IMEI), { ok: false, detail: '1 bytes left over after 1 records' });
  const badPreamble = goldenBytes('codec8');
  badPreamble[0] = 1;
  assert.deepEqual(decodeTeltonikaPacket(badPreamble, IMEI), { ok: false, detail: 'preamble is not four zero bytes' });
  assert.deepEqual(decodeTeltonikaPacket(goldenBytes('codec8').subarray(0, 40), IMEI), {
    ok: false,
    detail: 'data field length 43 does not match the packet of 40 bytes',
  });
  const outOfRange = encodeTeltonikaPacket(0x08, [{ time: 0, lat: 95, lon: 0 }]);
  assert.deepEqual(decodeTeltonikaPacket(outOfRange, IMEI), { ok: false, detail: 'record 1: position 95,0 is out of range' });
  const farFuture = encodeTeltonikaPacket(0x08, [{ time: 0, lat: 1, lon: 1 }]);
  farFuture.writeBigUInt64BE(0xffff_ffff_ffff_ffffn, 10);
  farFuture.writeUInt32BE(teltonikaCrc16(farFuture.subarray(8, -4)), farFuture.length - 4);
  assert.deepEqual(decodeTeltonikaPacket(farFuture, IMEI), {
    ok: false,
    detail: 'record 1: timestamp 18446744073709551615 ms is not a time',
  });
});

test('UDP: the golden datagram is read and answered with its packet id, AVL packet id and record count', () => {
  const d = decodeTeltonikaDatagram(goldenBytes('udpCodec8'));
  assert.ok(d.ok);
  assert.deepEqual([d.packetId, d.avlPacketId, d.imei], [0xcafe, 0x22, '357454072713975']);
  const [o] = ok(d.result);
  assert.equal(o.identifier, '357454072713975');
  assert.equal(o.time, '2017-07-12T15:24:41.000Z');
  assert.deepEqual(o.position, { lat: 51.630115, lon: 0.4124566, speed: 49, heading: 109, source: 'gnss' });
  assert.equal(teltonikaUdpAck(d.packetId, d.avlPacketId, 1).toString('hex'), '0005cafe012201');
  // The wiki's own example: packet id 0xABCD, AVL packet id 0xDD, 2 records accepted.
  assert.equal(teltonikaUdpAck(0xabcd, 0xdd, 2).toString('hex'), '0005abcd01dd02');
  const records: TeltonikaRecord[] = [{ time: Date.parse('2026-01-01T00:00:00Z'), lat: 1, lon: 2 }];
  const again = decodeTeltonikaDatagram(encodeTeltonikaDatagram(0xcafe, 0x22, '357454072713975', 0x08, [{ ...records[0] }]));
  assert.ok(again.ok && again.result.ok && again.result.observations[0].position?.lon === 2);
  assert.deepEqual(decodeTeltonikaDatagram(goldenBytes('udpCodec8').subarray(0, 30)), {
    ok: false,
    detail: 'UDP channel length 73 does not match the datagram of 30 bytes',
  });
});

test('fuzz: random bytes and mutated golden packets never throw; every success names the device with a real time', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const golden = (['codec8', 'codec8ThreeRecords', 'codec8eTwoRecords', 'codec8eVin', 'codec8eBleTag'] as const).map(goldenBytes);
  const check = (r: DecodeResult) => {
    if (!r.ok) return assert.equal(typeof r.detail, 'string');
    for (const o of r.observations) {
      assert.equal(o.identifier, IMEI);
      assert.ok(o.time && !Number.isNaN(Date.parse(o.time)));
      if (o.position) assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180);
    }
  };
  let decoded = 0;
  for (let i = 0; i < 20_000; i++) {
    const random = Buffer.from(Array.from({ length: Math.floor(rand() * 120) }, () => Math.floor(rand() * 256)));
    check(decodeTeltonikaPacket(random, IMEI));
    check(decodeTeltonikaAvlData(random, IMEI));
    const d = decodeTeltonikaDatagram(random);
    if (d.ok) assert.ok(/^\d+$/.test(d.imei));
    new TeltonikaFrameSplitter().push(random);
    // Mutate a golden data field, then fix its CRC so the decoder gets past the check.
    const p = Buffer.from(golden[i % golden.length]);
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) p[8 + Math.floor(rand() * (p.length - 12))] = Math.floor(rand() * 256);
    p.writeUInt32BE(teltonikaCrc16(p.subarray(8, -4)), p.length - 4);
    const r = decodeTeltonikaPacket(p, IMEI);
    check(r);
    if (r.ok) decoded++;
  }
  assert.ok(decoded > 100, `only ${decoded} mutated packets decoded: the fuzz does not reach the record parser`);
});
