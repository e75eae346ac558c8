/** Golden frames L1-L5 from reference §12.4, encoder round trips, replies, refusals, and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedObservation } from '../decoded';
import { decodeJt808Frame, type Jt808Decoded } from './jt808';
import { jt808Frame } from './jt808-frames';
import { readJt808Message } from './jt808-message';
import {
  encodeJt808Authenticate,
  encodeJt808Batch,
  encodeJt808Heartbeat,
  encodeJt808LocationReport,
  encodeJt808Register,
  encodeJt808TerminalMessage,
  type Jt808Terminal,
} from './jt808-encoder';
import { jt808GoldenBytes, jt808Golden } from './golden-frames';

const ok = (d: Jt808Decoded): DecodedObservation[] => {
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  return d.result.observations;
};
const detail = (d: Jt808Decoded) => {
  assert.equal(d.result.ok, false);
  assert.equal(d.reply, null);
  return (d.result as { detail: string }).detail;
};

test('L1: two padlocks of item 0x63, both sealed, give a closed seal; lock voltages, battery 4.17 V, GMT+8 time as UTC; answered 0x8001', () => {
  const d = decodeJt808Frame(jt808GoldenBytes('padlocks'), 5);
  const [o] = ok(d);
  assert.equal(o.identifier, '440061018577');
  assert.equal(o.time, '2023-09-07T21:13:40.000Z');
  assert.deepEqual(o.position, { lat: -6.290315, lon: 106.809488, speed: 0, heading: 0, source: 'gnss' });
  assert.deepEqual(o.seal, { state: 'closed' });
  assert.deepEqual(o.battery, { voltage: 4.17 });
  const a = o.attributes!;
  assert.deepEqual(a.padlocks, [
    { id: 'cd91fe1314da', voltage: 4.224, sealed: true, physicalState: 0x81, rssi: 0x22 },
    { id: 'c3a19a6f6f3a', voltage: 4.038, sealed: true, physicalState: 0x81, rssi: 0x13 },
  ]);
  assert.deepEqual([a.alarm, a.status, a.alarms, a.gnssFix], [0x1000, 0x200066, ['icCardFault'], true]);
  assert.equal(a.tlv6c, Buffer.from('510101915927875').toString('hex'));
  // 0x8001: platform serial 5, answered serial 0x001b, answered id 0x0200, result 0.
  assert.equal(d.reply!.toString('hex'), '7e800100054400610185770005001b0200004e7e');
});

test('L2: item 0xD5 with one lock whose status bit 5 is set gives lock unlocked and the lock battery 83 %', () => {
  const [o] = ok(decodeJt808Frame(jt808GoldenBytes('lockList')));
  assert.equal(o.identifier, '200002604323');
  assert.equal(o.time, '2022-05-12T02:11:38.000Z');
  assert.deepEqual(o.seal, { lock: 'unlocked' });
  assert.deepEqual(o.battery, { level: 83 });
  assert.deepEqual(o.attributes!.locks, [{ id: '0002604323', card: '2795980277', batteryLevel: 83, status: 0x30, locked: false }]);
  assert.deepEqual([o.attributes!.gnssFix, o.attributes!.altitude, o.attributes!.odometer, o.attributes!.rssi], [false, 107, 388_000, 20]);
  assert.deepEqual([o.position!.lat, o.position!.lon], [22.591764, 113.995783]);
});

test('L3: Jointech 0x5501 with a 1-byte serial: UTC JT600 location, password unlock with result 0x65, answered 0x4401 because header bit 15 is set', () => {
  const d = decodeJt808Frame(jt808GoldenBytes('jointechUnlock'));
  const [o] = ok(d);
  assert.equal(o.identifier, '856009001017');
  assert.equal(o.time, '2021-02-01T06:24:21.000Z');
  assert.ok(Math.abs(o.position!.lat - 22.5807933) < 1e-6 && Math.abs(o.position!.lon - 113.9174833) < 1e-6);
  assert.deepEqual(o.battery, { level: 78 });
  assert.equal(o.seal, null, 'lock status bits are unpublished: not mapped');
  const a = o.attributes!;
  assert.deepEqual(
    [a.lockCommand, a.lockPassword, a.unlockResult, a.tilt, a.satellites, a.odometer, a.lockStatus],
    [3, '689607', 0x65, [0, 1, 10], 6, 7000, 0x0810],
  );
  assert.equal(d.header!.serial, 0x47);
  assert.equal(d.reply!.toString('hex'), '7e4401000385600900101747550100be7e');
});

test('L4: alarm bit 17 is tampering: seal tampered; item 0xFE battery 64 %', () => {
  const [o] = ok(decodeJt808Frame(jt808GoldenBytes('tamper')));
  assert.equal(o.time, '2021-01-18T01:58:53.000Z');
  assert.deepEqual(o.position, { lat: 22.375883, lon: 113.562653, speed: 24.1, heading: 252, source: 'gnss' });
  assert.deepEqual(o.seal, { state: 'tampered' });
  assert.deepEqual(o.battery, { level: 64 });
  assert.deepEqual(o.attributes!.alarms, ['tamper']);
});

test('L5: alarm bit 7 is low main power; 0xEB status bit 12 clear is a removal (seal tampered); 0xEB battery 3.6 V and ICCID', () => {
  const [o] = ok(decodeJt808Frame(jt808GoldenBytes('removal')));
  assert.equal(o.identifier, '012345678901');
  assert.equal(o.time, '2021-07-26T12:35:31.000Z');
  assert.deepEqual(o.seal, { state: 'tampered' });
  assert.deepEqual(o.battery, { voltage: 3.6 });
  const a = o.attributes!;
  assert.deepEqual(
    [a.alarms, a.removed, a.externalPower, a.iccid, a.acc, a.altitude, o.position!.heading],
    [['mainPowerLow'], true, true, '89860477012070271502', true, 235, 341],
  );
});

const T2013: Jt808Terminal = { phone: '013912344329' };
const T2019: Jt808Terminal = { phone: '00000000013912344329', version: 1 };
const report = {
  time: Date.parse('2026-11-26T03:22:52.000Z'),
  lat: -1.2921,
  lon: -36.8219,
  altitude: -12,
  speed: 54.3,
  heading: 270,
  status: 0x2002 | 0x1,
  alarm: 0x1 | 0x80,
  items: [
    { id: 0x01, value: Buffer.from('000004d2', 'hex') },
    { id: 0x31, value: Buffer.from([9]) },
  ],
};

test('encoded reports round-trip in 2013 and 2019 headers: southern/western hemispheres, door open, alarms, items', () => {
  for (const t of [T2013, T2019]) {
    const d = decodeJt808Frame(encodeJt808LocationReport(t, 0x7e7d, report), 9);
    const [o] = ok(d);
    assert.equal(o.identifier, t.phone);
    assert.equal(o.time, '2026-11-26T03:22:52.000Z');
    assert.deepEqual(o.position, { lat: -1.2921, lon: -36.8219, speed: 54.3, heading: 270, source: 'gnss' });
    assert.equal(o.door, 'open');
    assert.deepEqual(
      [o.attributes!.alarms, o.attributes!.odometer, o.attributes!.satellites, o.attributes!.altitude],
      [['emergency', 'mainPowerLow'], 123_400, 9, -12],
    );
    assert.equal(d.header!.serial, 0x7e7d, 'a serial of 0x7e 0x7d survives escaping');
    assert.equal(d.header!.version, t.version ?? null);
    const reply = readJt808Message(d.reply!);
    assert.ok(typeof reply !== 'string');
    assert.deepEqual(
      [reply.header.msgId, reply.header.phone, reply.header.serial, reply.body.toString('hex')],
      [0x8001, t.phone, 9, '7e7d020000'],
    );
  }
});

test('registration is answered 0x8100 with result 0 and the auth code; authentication, heartbeat and a batch get 0x8001', () => {
  const reg = decodeJt808Frame(encodeJt808Register(T2013, 1), 3);
  assert.equal(reg.kind, 'register');
  assert.deepEqual(ok(reg), []);
  const r = readJt808Message(reg.reply!);
  assert.ok(typeof r !== 'string');
  assert.deepEqual([r.header.msgId, r.body.toString('latin1').slice(3), r.body.readUInt16BE(0), r.body[2]], [0x8100, '013912344329', 1, 0]);
  for (const [frame, kind, id] of [
    [encodeJt808Authenticate(T2013, 2, '013912344329'), 'authenticate', '0102'],
    [encodeJt808Heartbeat(T2013, 3), 'heartbeat', '0002'],
  ] as const) {
    const d = decodeJt808Frame(frame);
    assert.equal(d.kind, kind);
    assert.deepEqual(ok(d), []);
    assert.match(d.reply!.toString('hex'), new RegExp(`^7e80010005013912344329`));
    assert.ok(d.reply!.toString('hex').includes(id + '00'));
  }
  const batch = decodeJt808Frame(encodeJt808Batch(T2013, 4, 1, [report, { ...report, time: report.time + 60_000 }]));
  const os = ok(batch);
  assert.deepEqual(
    os.map((o) => [o.time, o.attributes!.buffered]),
    [
      ['2026-11-26T03:22:52.000Z', true],
      ['2026-11-26T03:23:52.000Z', true],
    ],
  );
});

test('what is not a readable message is refused with a reason, and gets no reply', () => {
  const bad = jt808GoldenBytes('tamper');
  bad[20] ^= 0x01;
  assert.equal(detail(decodeJt808Frame(bad)), 'check code mismatch: the frame carries 0x7a, its bytes give 0x7b');
  assert.equal(
    detail(decodeJt808Frame(Buffer.from('7e0200007d037e', 'hex'))),
    'escape byte 0x7d at offset 4 is followed by 0x03, not 0x01 or 0x02',
  );
  assert.equal(detail(decodeJt808Frame(Buffer.from('0200', 'hex'))), 'frame is not enclosed in 0x7e flags');
  const lying = Buffer.from(jt808Golden.tamper, 'hex').subarray(1, -2);
  lying[3] = 0x30; // body length 0x30 instead of 0x33
  assert.equal(detail(decodeJt808Frame(jt808Frame(lying))), 'body length field 48 does not match the 51 body bytes');
  const badTime = encodeJt808LocationReport(T2013, 1, report);
  const raw = readJt808Message(badTime);
  assert.ok(typeof raw !== 'string');
  const body = Buffer.from(raw.body);
  body[23] = 0x13; // month 13
  assert.equal(
    detail(decodeJt808Frame(encodeJt808TerminalMessage(T2013, 0x0200, 1, body))),
    'time 261326112252 (BCD YYMMDDhhmmss) is not a time',
  );
  assert.equal(
    detail(decodeJt808Frame(encodeJt808TerminalMessage(T2013, 0x0200, 1, body.subarray(0, 20)))),
    'location body of 20 bytes is shorter than the 28-byte basic information',
  );
  // A truncated item no longer refuses the report: the position is kept with why the items stopped (jt808-traccar.test.ts).
  const truncatedItem = Buffer.concat([body.subarray(0, 28), Buffer.from('0104000000', 'hex')]);
  truncatedItem[23] = 0x11;
  const [kept] = ok(decodeJt808Frame(encodeJt808TerminalMessage(T2013, 0x0200, 1, truncatedItem)));
  assert.equal(kept.attributes!.itemsError, 'additional information item 0x01 of 4 bytes runs past the end of the body');
  const sub = Buffer.from(jt808Golden.tamper, 'hex').subarray(1, -2);
  sub[2] |= 0x20;
  const withPackets = Buffer.concat([sub.subarray(0, 12), Buffer.from('00020001', 'hex'), sub.subarray(12)]);
  assert.equal(
    detail(decodeJt808Frame(jt808Frame(withPackets))),
    'message 0x0200 is packet 1 of 2; subpackage reassembly is not supported',
  );
});

test('fuzz: random bytes and 100,000 mutated frames (check code fixed) never throw; every result is a decode or a reason', () => {
  let seed = 808;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const inner = (Object.keys(jt808Golden) as (keyof typeof jt808Golden)[]).map((k) => jt808GoldenBytes(k).subarray(1, -2));
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 100_000; i++) {
    let b = Buffer.from(inner[i % inner.length]);
    for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
      const r = rand();
      const at = Math.floor(rand() * b.length);
      if (r < 0.7) b[at] = Math.floor(rand() * 256);
      else if (r < 0.85) b = b.subarray(0, at);
      else b = Buffer.concat([b.subarray(0, at), Buffer.from([Math.floor(rand() * 256)]), b.subarray(at)]);
    }
    // Mostly re-framed with a valid check code, so the fuzz reaches the body parsers.
    const frame = rand() < 0.9 ? jt808Frame(b) : Buffer.concat([Buffer.from([0x7e]), b, Buffer.from([0x7e])]);
    const d = decodeJt808Frame(frame);
    if (d.result.ok) {
      decoded++;
      for (const o of d.result.observations) {
        assert.match(o.identifier, /^\d+$/);
        assert.ok(o.time && !Number.isNaN(Date.parse(o.time)));
        if (o.position) assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180);
      }
    } else {
      refused++;
      assert.ok(d.result.detail.length > 0 && d.reply === null);
    }
  }
  assert.ok(decoded > 5000 && refused > 5000, `decoded ${decoded}, refused ${refused}`);
});
