/**
 * Traccar's Gt06ProtocolDecoderTest packets (golden-frames.ts `gt06Traccar`, each named by its line
 * there): the alarm codes and packets Traccar reads as tampering mark the seal tampered, and the
 * protocol numbers where Traccar reads a position give one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGt06Packet } from './gt06';
import { readGt06Status } from './gt06-status';
import { gt06TraccarBytes } from './golden-frames';
import type { DecodedObservation } from '../decoded';

const IMEI = '864717003283581';
const decode = (name: Parameters<typeof gt06TraccarBytes>[0]) => {
  const d = decodeGt06Packet(gt06TraccarBytes(name), IMEI);
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  assert.equal(d.result.observations.length, 1);
  return { o: d.result.observations[0] as DecodedObservation, reply: d.reply };
};

test('Gt06ProtocolDecoderTest L25, L158, L166, L174: 0xA4 and 0xA5 alarms and alarm codes 0x0C, 0x13, 0x25 mark the seal tampered, acknowledged', () => {
  const a4 = decode('fenceTamperA4L25');
  assert.deepEqual(a4.o.seal, { state: 'tampered' });
  assert.deepEqual(a4.o.position, { lat: 53.528173, lon: -113.610124, speed: 0, heading: 0, source: 'gnss' });
  assert.equal(a4.o.attributes!.alarm, 'tamper');
  assert.equal(a4.reply!.toString('hex').slice(0, 8), '787805a4');
  const a5 = decode('cellTamperA5L158');
  assert.deepEqual(a5.o.seal, { state: 'tampered' });
  assert.equal(a5.o.position, null, 'a cell alarm has no GPS position');
  assert.deepEqual([a5.o.attributes!.mcc, a5.o.attributes!.mnc, a5.o.attributes!.lac], [302, 208, 0x75df]);
  assert.ok(a5.reply);
  for (const name of ['tamper0cL166', 'tamper25L174'] as const) {
    const { o, reply } = decode(name);
    assert.deepEqual(o.seal, { state: 'tampered' }, name);
    assert.equal(o.attributes!.alarm, 'tamper', name);
    assert.ok(o.position, name);
    assert.ok(reply, name);
  }
});

test('Gt06ProtocolDecoderTest L58, L238, L499, L511, L631: 0xA2, 0x37, 0x10, 0x1E and 0xA0 give their positions', () => {
  const expect: [Parameters<typeof gt06TraccarBytes>[0], string, number, number][] = [
    ['locationA2L58', '2024-11-15T15:52:07.000Z', 3.501628, -76.504233],
    ['location37L238', '2020-08-13T05:00:10.000Z', -6.135882, 106.79224],
    ['gps10L499', '2011-03-26T11:27:49.000Z', 23.111678, 114.409208],
    ['location1eL511', '2014-03-17T11:05:17.000Z', -16.543998, -68.074275],
    ['locationA0L631', '2021-04-16T07:53:14.000Z', 23.11177, 114.40935],
  ];
  for (const [name, time, lat, lon] of expect) {
    const { o } = decode(name);
    assert.equal(o.time, time, name);
    assert.deepEqual([o.position!.lat, o.position!.lon], [lat, lon], name);
  }
  assert.deepEqual(decode('locationA2L58').o.battery, { level: 42 });
  assert.equal(decode('locationA0L631').o.attributes!.mcc, 460);
});

test('alarm codes 0x33 / 0x34 give the lock state (Traccar ALARM_LOCK / ALARM_UNLOCK)', () => {
  assert.deepEqual(readGt06Status(0, 4, 3, 0x33).seal, { lock: 'locked' });
  assert.deepEqual(readGt06Status(0, 4, 3, 0x34).seal, { lock: 'unlocked' });
  assert.deepEqual(readGt06Status(0, 4, 3, 0x32).seal, { state: 'tampered' });
});
