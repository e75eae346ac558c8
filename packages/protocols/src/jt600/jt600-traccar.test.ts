/**
 * Traccar's Jt600ProtocolDecoderTest frames (golden-frames.ts `jt600Traccar`, each named by its line
 * there): short-format versions 2 and 3, with the format read from the frame (offset 8), not the id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJt600Binary } from './jt600-binary';
import { Jt600FrameSplitter, isJt600LongFormat } from './jt600-frames';
import { jt600GoldenBytes, jt600TraccarBytes } from './golden-frames';
import { jt600Protocol } from './jt600-protocol';
import { jt600TraccarCases } from './traccar-cases';
import { serveTraccarCase, traccarCaseBytes } from '../testing/traccar-case';

const ok = (frame: Buffer) => {
  const r = decodeJt600Binary(frame).result;
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.observations;
};

test('Jt600ProtocolDecoderTest L43, L61: short format version 2 gives its positions, odometer, status and door', () => {
  const os = ok(jt600TraccarBytes('shortV2L43'));
  assert.equal(os.length, 6);
  assert.equal(os[0].identifier, '4081118888');
  assert.equal(os[0].time, '2009-06-09T08:04:53.000Z');
  assert.deepEqual([os[0].position!.lat, os[0].position!.lon], [22.9400417, 113.4038817]);
  assert.equal(os[0].attributes!.odometer, 45_000);
  assert.equal(os[0].door, 'closed');
  const [o] = ok(jt600TraccarBytes('shortV2L61'));
  assert.deepEqual([o.time, o.position!.lat, o.position!.lon], ['2017-07-19T03:49:36.000Z', 31.462005, 74.39292]);
  assert.deepEqual(o.attributes!.alarms, ['gpsAntennaCut', 'overspeed', 'tow']);
});

test('Jt600ProtocolDecoderTest L58: short format version 3 gives its position and the 80-bit fuel/odometer/status block', () => {
  const [o] = ok(jt600TraccarBytes('shortV3L58'));
  assert.deepEqual([o.time, o.position!.lat, o.position!.lon], ['2017-11-13T10:36:19.000Z', 6.8975417, 79.8746617]);
  assert.equal(o.attributes!.odometer, 3000);
  assert.equal(o.attributes!.ignition, true);
});

test('the format is read from the frame: a short frame whose id starts with 6 or more is short, a JT701 frame is long', () => {
  assert.equal(isJt600LongFormat(jt600TraccarBytes('shortV2L61')), false);
  assert.equal(isJt600LongFormat(jt600TraccarBytes('shortV3L58')), false);
  assert.equal(isJt600LongFormat(jt600GoldenBytes('jt701')), true);
  const frames = new Jt600FrameSplitter().push(Buffer.concat([jt600TraccarBytes('shortV3L58'), jt600GoldenBytes('jt701')]));
  assert.deepEqual(
    frames.map((f) => f.kind),
    ['binary', 'binary'],
  );
});

test("Jt600ProtocolDecoderTest L15, L18: a WLNET peripheral report gives its position and the sensor tag's temperature and humidity (Traccar L18: temp1 27.5)", () => {
  const served = (line: number) =>
    serveTraccarCase(
      jt600Protocol,
      jt600TraccarCases.find((c) => c.line === line)!,
      Buffer.alloc(0),
    );
  const [a] = served(15).observations;
  assert.equal(a.identifier, '8054201973');
  assert.equal(a.time, '2025-02-28T08:59:53.000Z');
  assert.deepEqual([a.position!.lat, a.position!.lon], [-25.2821467, -57.5465667]);
  assert.deepEqual(a.sensors, { humidity: 67, temperature: 28.5 });
  assert.equal(a.attributes!.sensorBattery, 3.2);
  const [b] = served(18).observations;
  assert.equal(b.sensors!.temperature, 27.5);
});

test('Jt600ProtocolDecoderTest L64: records whose speed byte is not BCD (this firmware sends it in binary at times) are kept without a speed, the others with theirs', () => {
  const os = ok(traccarCaseBytes(jt600TraccarCases, 64));
  assert.equal(os.length, 15);
  const odd = os.filter((o) => o.attributes!.speedRaw !== undefined);
  assert.deepEqual(
    odd.map((o) => o.attributes!.speedRaw),
    [0x1b, 0x0a, 0x0c, 0x1f, 0x0b],
  );
  assert.ok(odd.every((o) => o.position!.speed === undefined));
  assert.ok(os.filter((o) => !odd.includes(o)).every((o) => typeof o.position!.speed === 'number'));
});
