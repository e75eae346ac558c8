/** Golden frames from reference §12.1 (Traccar Jt600ProtocolDecoderTest), the status word, refusals, and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedObservation } from '../decoded';
import { decodeJt600Frame, type Jt600Decoded } from './jt600';
import { jt600SealReading, readJt600Status } from './jt600-status';
import { Jt600FrameSplitter } from './jt600-frames';
import { jt600GoldenBytes } from './golden-frames';

const ok = (d: Jt600Decoded): DecodedObservation[] => {
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  return d.result.observations;
};
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 0.00001, `${a} ≈ ${b}`);

test('J1 JT701: id, time, position, odometer, status 0x20E0 as rope inserted + motor locked + cover closed, battery, and the (P69,0,index) ack', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('jt701'));
  const [o] = ok(d);
  assert.equal(o.identifier, '8041300978');
  assert.equal(o.time, '2021-10-06T07:54:43.000Z');
  near(o.position!.lat, 54.32272);
  near(o.position!.lon, -6.35571);
  assert.equal(o.position!.source, 'gnss');
  assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(o.battery, { level: 100 });
  const a = o.attributes!;
  assert.equal(a.status, 0x20e0);
  assert.equal(a.protocolVersion, 0x19);
  assert.equal(a.odometer, 108_000);
  assert.equal(a.satellites, 7);
  assert.equal(a.gnssFix, true);
  assert.deepEqual([a.ackRequested, a.ropeInserted, a.motorLocked, a.backCoverClosed, a.backCover], [true, true, true, true, 'closed']);
  assert.deepEqual(
    [
      a.ropeCutAlarm,
      a.unlockAlarm,
      a.wrongPasswordAlarm,
      a.unauthorisedCardAlarm,
      a.backCoverOpenAlarm,
      a.motorFaultAlarm,
      a.lowBatteryAlarm,
      a.geofenceEnter,
      a.geofenceExit,
    ],
    Array(9).fill(false),
  );
  assert.deepEqual([a.cellId, a.lac, a.rssi, a.index, a.geofenceId], [0xf91e, 0xa067, 0x1d, 0x6e, 0]);
  assert.equal(a.extension, '00020f0f0f0f0f0f0f0f0f0f07f100ea0f');
  assert.equal(d.reply!.toString(), '(P69,0,110)');
});

test('J2 JT701 protocol 0x17: battery byte 0xFF is charging, no battery level; status 0x20C0 asks no ack, so no reply', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('jt701Charging'));
  const [o] = ok(d);
  assert.equal(o.identifier, '7880703537');
  assert.equal(o.time, '2019-08-19T20:06:18.000Z');
  near(o.position!.lat, 51.63476);
  near(o.position!.lon, -3.42704);
  assert.equal(o.battery, null);
  assert.equal(o.attributes!.charging, true);
  assert.equal(o.attributes!.status, 0x20c0);
  assert.deepEqual(o.seal, { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.equal(d.reply, null);
});

test('J3 GL600 protocol 0x01: speed (BCD knots → km/h), course in 2° units, no fix flag, and the (P35) ack below protocol 0x19', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('gl600'));
  const [o] = ok(d);
  assert.equal(o.identifier, '8043396604');
  assert.equal(o.time, '2019-03-18T19:19:58.000Z');
  near(o.position!.lat, 22.7075833);
  near(o.position!.lon, 114.2648133);
  assert.equal(o.position!.speed, 27.78);
  assert.equal(o.position!.heading, 328);
  assert.equal(o.attributes!.gnssFix, false);
  assert.equal(o.attributes!.status, 0x00f0);
  assert.equal(o.attributes!.vibrationAlarm, true);
  assert.equal(o.attributes!.odometer, 61_732_000);
  assert.deepEqual(o.battery, { level: 15 });
  assert.equal(d.reply!.toString(), '(P35)');
});

test('J4 P45 lock event: time, position, event source, unlock verification, RFID card, password checks, index; reply (P69,0,0)', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('p45Card'));
  const [o] = ok(d);
  assert.equal(o.identifier, '2050018634');
  assert.equal(o.time, '2024-11-05T20:40:46.000Z');
  assert.deepEqual(o.position, { lat: 9.861502, lon: -83.950336, speed: 1.61, heading: 0, source: 'gnss' });
  assert.deepEqual(o.attributes, {
    type: 'P45',
    event: 'lock_unlock',
    gnssFix: true,
    speedMph: 1,
    eventSource: 1,
    unlockVerification: 1,
    rfidCard: '0012260888',
    passwordVerification: 0,
    incorrectPasswordCount: 0,
    index: 0,
  });
  assert.equal(d.reply!.toString(), '(P69,0,0)');
});

test('J5 P45: an all-zero RFID card is no card; extra trailing fields are kept; reply carries index 9', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('p45NoCard'));
  const [o] = ok(d);
  assert.equal(o.time, '2022-03-29T13:24:12.000Z');
  assert.deepEqual([o.position!.lat, o.position!.lon], [-25.28217, -57.54683]);
  assert.equal(o.attributes!.eventSource, 5);
  assert.equal('rfidCard' in o.attributes!, false);
  assert.deepEqual(o.attributes!.extraFields, ['0']);
  assert.equal(d.reply!.toString(), '(P69,0,9)');
});

test('J6 short binary version 1 and J10 heartbeat', () => {
  const [o] = ok(decodeJt600Frame(jt600GoldenBytes('shortV1')));
  assert.equal(o.identifier, '3110216001');
  assert.equal(o.time, '2011-02-16T05:59:10.000Z');
  near(o.position!.lat, 22.54977);
  near(o.position!.lon, -114.07705);
  assert.equal(o.seal, null);
  assert.deepEqual([o.attributes!.satellites, o.attributes!.altitude, o.attributes!.index], [9, 291, 0x1f]);
  assert.deepEqual(decodeJt600Frame(jt600GoldenBytes('heartbeat')), { result: { ok: true, observations: [] }, reply: null });
});

test('every status bit has its name, and the seal reading follows rope, lock, cut and cover alarms', () => {
  for (let bit = 0; bit < 15; bit++) {
    const flags = readJt600Status(1 << bit);
    assert.equal(Object.values(flags).filter(Boolean).length, 1, `bit ${bit}`);
  }
  const names = Object.entries(readJt600Status(0x7fff))
    .filter(([, v]) => v)
    .map(([k]) => k);
  assert.equal(names.length, 15);
  assert.deepEqual(jt600SealReading(readJt600Status(0x00c0)), { state: 'closed', rope: 'inserted', lock: 'locked' });
  assert.deepEqual(jt600SealReading(readJt600Status(0x0048)), { state: 'tampered', rope: 'cut', lock: 'unlocked' }); // cut alarm wins over inserted
  assert.deepEqual(jt600SealReading(readJt600Status(0x10c0)), { state: 'tampered', rope: 'inserted', lock: 'locked' }); // back cover opened
  assert.deepEqual(jt600SealReading(readJt600Status(0x0040)), { state: 'open', rope: 'inserted', lock: 'unlocked' });
  assert.deepEqual(jt600SealReading(readJt600Status(0x0080)), { state: 'open', rope: 'removed', lock: 'locked' });
  const f = readJt600Status(0x4f01);
  assert.deepEqual(
    [f.lbsFix, f.unlockAlarm, f.wrongPasswordAlarm, f.unauthorisedCardAlarm, f.lowBatteryAlarm, f.motorFaultAlarm],
    [true, true, true, true, true, true],
  );
});

test('a status word with rope cut and cell fix decodes to a tampered seal and a cell position', () => {
  const frame = jt600GoldenBytes('jt701');
  frame.writeUInt16BE(0x0009, 10 + 26); // bits 0 (LBS) and 3 (rope cut)
  const [o] = ok(decodeJt600Frame(frame));
  assert.deepEqual(o.seal, { state: 'tampered', rope: 'cut', lock: 'unlocked' });
  assert.equal(o.position!.source, 'cell');
  assert.equal(decodeJt600Frame(frame).reply, null, 'bit 5 clear: no ack');
});

test('J9 U01 text report: time, position (mph → km/h), battery %, status bits, cell, odometer and index kept; reply (S39)', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('u01'));
  assert.ok(d.result.ok);
  const [o] = d.result.observations;
  assert.equal(o.identifier, '3301210003');
  assert.equal(o.time, '2012-08-04T18:53:02.000Z');
  assert.deepEqual(o.position, { lat: 22.564025, lon: 113.242329, speed: 8.38, heading: 152, source: 'gnss' });
  assert.deepEqual(o.battery, { level: 32 });
  assert.deepEqual(o.attributes, {
    type: 'U01',
    gnssFix: true,
    speedMph: 5.21,
    satellites: 9,
    statusBits: '00000000000011',
    cellId: 10133,
    lac: 5173,
    gsmSignal: 22,
    odometerKm: 100,
    index: 1,
  });
  assert.equal(d.reply?.toString(), '(S39)');
});

test('U06 alarm report keeps its alarm code, checksum and trailing fields; reply (S20); U04 carries nothing and is not answered', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('u06'));
  assert.ok(d.result.ok);
  const [o] = d.result.observations;
  assert.equal(o.time, '2026-03-15T10:15:00.000Z');
  assert.deepEqual([o.position?.lat, o.position?.lon], [-1.2921, 36.8219]);
  assert.equal(o.attributes?.alarm, 7);
  assert.equal(o.attributes?.checksum, '4C');
  assert.deepEqual(o.attributes?.extraFields, ['300', '10']);
  assert.equal(d.reply?.toString(), '(S20)');
  const u04 = decodeJt600Frame(Buffer.from('(3301210003,U04)'));
  assert.deepEqual(u04, { result: { ok: true, observations: [] }, reply: null });
  // A device that never had a clock or a fix reports 01-01-2000 at 0,0: no time, no position.
  const cold = decodeJt600Frame(
    Buffer.from('(3460311327,U01,010100,000024,F,0.000000,N,0.000000,E,0.00,0,0,100%,00000001000000,263,1,18,0,0,33)'),
  );
  assert.ok(cold.result.ok);
  assert.equal(cold.result.observations[0].time, null);
  assert.equal(cold.result.observations[0].position, null);
  assert.equal(cold.result.observations[0].attributes?.checksum, '33');
});

test('J7 W01 text report: degrees and minutes, km/h, power, signals and alert type; no reply', () => {
  const d = decodeJt600Frame(jt600GoldenBytes('w01'));
  assert.ok(d.result.ok);
  const [o] = d.result.observations;
  assert.equal(o.identifier, '3110312099');
  assert.equal(o.time, '2011-05-04T06:37:36.000Z');
  assert.equal(o.position?.lat.toFixed(5), '22.54994');
  assert.equal(o.position?.lon.toFixed(5), '114.07701');
  assert.equal(o.position?.speed, 4);
  assert.deepEqual(o.attributes, {
    type: 'W01',
    gnssFix: true,
    power: 100,
    gpsSignal: 4,
    gsmSignal: 17,
    alertType: 1,
    extraFields: ['1', 'company'],
  });
  assert.equal(d.reply, null);
});

test('what is not a readable frame is refused with a reason', () => {
  const detail = (b: Buffer | string) => {
    const d = decodeJt600Frame(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
    assert.equal(d.result.ok, false);
    assert.equal(d.reply, null);
    return (d.result as { detail: string }).detail;
  };
  const badDate = jt600GoldenBytes('jt701');
  badDate[11] = 0x13; // month 13
  assert.equal(detail(badDate), 'record 1: date 061321075443 (DDMMYYhhmmss) is not a time');
  const notBcd = jt600GoldenBytes('jt701');
  notBcd[16] = 0xa0;
  assert.equal(detail(notBcd), 'byte 16 (0xa0) is not BCD');
  assert.equal(detail(jt600GoldenBytes('jt701').subarray(0, 40)), 'length field 52 does not match the frame of 40 bytes');
  assert.equal(detail('(3460311327,U01,040812)'), 'U01: 3 fields, at least 19 expected');
  assert.equal(detail('(3460311327,U09,040812)'), 'text frame type "U09" is not supported (P45, U01-U06, W01, @JT)');
  assert.equal(
    detail('(3301210003,U01,040812,185302,T,22.564025,N,113.242329,E,5.21,152,9,132%,00000000000011,10133,5173,22,100,1)'),
    'U01: battery "132%" is not a percentage',
  );
  assert.equal(
    detail('(3110312099,W01,11460.6204,E,2232.9961,N,A,040511,063736,4,7,100,4,17,1)'),
    'W01: position 11460.6204,2232.9961 is not dddmm.mmmm / ddmm.mmmm',
  );
  assert.equal(detail('(abc,P45)'), 'device id "abc" is not digits');
  assert.equal(detail('(2050018634,P45,051124,204046,9.86,N,83.95,W,A,1,0)'), 'P45: 11 fields, at least 17 expected');
  assert.equal(detail('(2050018634,P45,311124,204046,9.86,N,83.95,W,A,1,0,1,1,0012260888,0,0,0)'), 'P45: 311124 204046 is not a time');
  assert.equal(
    detail('(2050018634,P45,051124,204046,99.86,N,83.95,W,A,1,0,1,1,0012260888,0,0,0)'),
    'P45: position 99.86,-83.95 is out of range',
  );
  assert.equal(detail('(2050018634,P45,051124,204046,9.86,N,83.95,W,A,x,0,1,1,0012260888,0,0,0)'), 'P45: speed "x" is not a number');
  assert.equal(detail('hello'), 'a JT600 frame starts with "$" or "("');
});

test('fuzz: 100,000 mutated golden frames never throw, and every result is a decode or a reason', () => {
  let seed = 20240601;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const names = ['jt701', 'jt701Charging', 'gl600', 'p45Card', 'p45NoCard', 'shortV1', 'heartbeat', 'w01', 'u01', 'u06'] as const;
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 100_000; i++) {
    const f = Buffer.from(jt600GoldenBytes(names[i % names.length]));
    const mutations = 1 + Math.floor(rand() * 4);
    let frame = f;
    for (let m = 0; m < mutations; m++) {
      const r = rand();
      const at = Math.floor(rand() * frame.length);
      if (r < 0.6) frame[at] = Math.floor(rand() * 256);
      else if (r < 0.8) frame = frame.subarray(0, at);
      else frame = Buffer.concat([frame.subarray(0, at), Buffer.from([Math.floor(rand() * 256)]), frame.subarray(at)]);
    }
    const d = decodeJt600Frame(frame);
    if (d.result.ok) {
      decoded++;
      for (const o of d.result.observations) {
        assert.match(o.identifier, /^\d+$/);
        if (o.time) assert.ok(!Number.isNaN(Date.parse(o.time)));
        if (o.position) assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180);
      }
    } else {
      refused++;
      assert.ok(d.result.detail.length > 0);
    }
    // The splitter over the same bytes never throws either.
    new Jt600FrameSplitter().push(frame);
  }
  assert.ok(decoded > 1000 && refused > 1000, `decoded ${decoded}, refused ${refused}`);
});
