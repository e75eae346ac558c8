/**
 * GT06 model-specific packets (gt06-packets.ts) and QH302R's 0x12, with frames of Traccar's
 * Gt06ProtocolDecoderTest (traccar-cases.ts, each named by its line there); the readings are ours,
 * and equal Traccar's asserted values where it asserts one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGt06Packet } from './gt06';
import { gt06TraccarCases } from './traccar-cases';
import { traccarCaseBytes } from '../testing/traccar-case';
import type { DecodedObservation } from '../decoded';

const decode = (line: number) => {
  const d = decodeGt06Packet(traccarCaseBytes(gt06TraccarCases, line), '864717003283581');
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  assert.equal(d.result.observations.length, 1);
  return { o: d.result.observations[0] as DecodedObservation, reply: d.reply };
};

test('L41, L178, L301, L409, L445, L624, L638: 0x38, SR411 0x24, X1 0x34, AZ735 0x32, the 0x21 text answer, QH302R 0x12 and TRX16i 0x36 give their positions', () => {
  const expect: [number, string, number, number][] = [
    [41, '2025-05-14T14:12:38.000Z', 9.89775, -84.102996],
    [178, '2022-06-26T16:54:00.000Z', -22.907096, -43.1312],
    [301, '2018-10-09T02:09:58.000Z', 29.113232, 48.12319],
    [409, '2017-06-23T12:27:24.000Z', -6.133382, 106.995049],
    [445, '2017-05-26T10:27:47.000Z', 54.739332, 25.27327],
    [624, '2026-02-12T10:30:50.000Z', 13.48894, 144.82304],
    [638, '2025-12-29T15:23:36.000Z', 22.602109, 113.832],
  ];
  for (const [line, time, lat, lon] of expect) {
    const { o } = decode(line);
    assert.equal(o.time, time, `L${line}`);
    assert.deepEqual([o.position!.lat, o.position!.lon], [lat, lon], `L${line}`);
  }
  assert.equal(decode(624).o.attributes!.packetImei, '866703066502297');
  assert.equal(decode(638).o.attributes!.driverUniqueId, 'c3000001453f9201', 'Traccar L641 asserts this card');
  assert.equal(decode(301).o.attributes!.mcc, 419);
});

test('L271, L275: a modular (0x70) lock report gives its position, door and removal alarm onto the seal model, acknowledged in a 0x7878 packet', () => {
  const removal = decode(271);
  assert.deepEqual(removal.o.seal, { state: 'tampered' }, 'Traccar L271: ALARM_REMOVING');
  assert.equal(removal.o.attributes!.alarm, 'removal');
  assert.equal(removal.o.door, 'open', 'input nibble of module 0x2A');
  assert.ok(removal.o.position);
  assert.equal(removal.reply!.subarray(0, 4).toString('hex'), '78780570');
  const plain = decode(275);
  assert.equal(plain.o.seal, null);
  assert.equal(plain.o.door, 'closed');
  assert.deepEqual([plain.o.position!.lat, plain.o.position!.lon], [43.894508, -79.272751]);
});

test('L33, L260: a modular packet without a fix stores no position; a sensor tag gives its temperature (Traccar: tag1Temp 29.0)', () => {
  const noFix = decode(260);
  assert.equal(noFix.o.position, null);
  assert.equal(noFix.o.time, null, 'time 0 is no time');
  assert.deepEqual(noFix.o.attributes!.events, [0x13, 0x11]);
  assert.deepEqual(decode(33).o.sensors, { temperature: 29 });
});

test('L37, L51, L170, L242, L460: 0x94 information: external voltage, temperature and humidity, door flags, ICCID; no answer', () => {
  assert.equal(decode(37).o.attributes!.externalVoltage, 7.39, 'Traccar: KEY_POWER 7.39');
  assert.deepEqual(decode(51).o.sensors, { temperature: 21.3, humidity: 75 }, 'Traccar: KEY_HUMIDITY 75.0');
  const door = decode(170);
  assert.equal(door.o.door, 'open', 'Traccar: KEY_DOOR true');
  assert.equal(door.reply, null);
  assert.equal(decode(460).o.door, 'closed');
  assert.equal(decode(242).o.attributes!.iccid, '8966051912408052452');
});

test('L409: AZ735 0x32 in a 0x7979 packet is acknowledged in a 0x7979 packet', () => {
  assert.equal(decode(409).reply!.subarray(0, 5).toString('hex'), '7979000532');
});
