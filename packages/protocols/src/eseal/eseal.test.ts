/** Golden frames from reference §12.2 (Traccar EsealProtocolDecoderTest), every message type, the replies, and refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedObservation } from '../decoded';
import { decodeEsealFrame, type EsealDecoded } from './eseal';
import { buildEsealReport, esealGoldenBytes } from './golden-frames';
import { encodeEsealPowerOff, encodeEsealUnlock } from './eseal-encoder';

const ok = (d: EsealDecoded): DecodedObservation[] => {
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  return d.result.observations;
};

test('E1 Normal: id, time, position (km/h), door closed, battery volts, every vendor field kept; reply "Normal ACK,34"', () => {
  const d = decodeEsealFrame(esealGoldenBytes('normal', true));
  const [o] = ok(d);
  assert.equal(o.identifier, '1000821');
  assert.equal(o.time, '2017-08-31T08:14:40.000Z');
  assert.deepEqual(o.position, { lat: 25.708828, lon: -100.37287, speed: 0, heading: 10, source: 'gnss' });
  assert.equal(o.door, 'closed');
  assert.equal(o.seal, null, 'a periodic Close report does not re-arm the seal');
  assert.deepEqual(o.battery, { voltage: 3.8 });
  assert.deepEqual(o.attributes, {
    type: 'Normal',
    index: 34,
    deviceType: 'eSeal',
    customerId: '256',
    firmware: '3.0.6',
    reportInterval: 15,
    gnssFix: true,
    door: 'Close',
    acceleration: 0.71,
    nfc: '0:0:3:0',
    rssi: -73,
  });
  assert.equal(d.reply!.toString(), '##S,eSeal,1000821,256,3.0.6,Normal ACK,34,E##\r\n');
});

test('E2 Startup without a fix: no position, time kept; the ACK carries the configuration when one is set', () => {
  const [o] = ok(decodeEsealFrame(esealGoldenBytes('startup', true)));
  assert.equal(o.time, '2017-08-31T02:01:19.000Z');
  assert.equal(o.position, null);
  assert.deepEqual(
    [o.attributes!.gnssFix, o.attributes!.acceleration, o.attributes!.rssi, o.attributes!.reportInterval],
    [false, 3.25, -93, 3],
  );
  assert.equal(decodeEsealFrame(esealGoldenBytes('startup', true)).reply!.toString(), '##S,eSeal,1000821,256,3.0.6,Startup ACK,1,E##\r\n');
  const withConfig = decodeEsealFrame(esealGoldenBytes('startup', true), { startupConfig: '180,30,30,16,1' });
  assert.equal(withConfig.reply!.toString(), '##S,eSeal,1000821,256,3.0.6,Startup ACK,1,180,30,30,16,1,E##\r\n');
});

test('E3 Startup OK and E4 command ACK are kept as attribute-only observations and answered nothing', () => {
  const s = decodeEsealFrame(esealGoldenBytes('startupOk', true));
  assert.deepEqual(ok(s), [
    {
      identifier: '1000821',
      time: null,
      position: null,
      seal: null,
      door: null,
      sensors: null,
      battery: null,
      reads: null,
      attributes: {
        type: 'Startup OK',
        deviceType: 'eSeal',
        customerId: '256',
        firmware: '3.0.6',
        fields: ['1', '180', '30', '30', '16', '1'],
      },
    },
  ]);
  assert.equal(s.reply, null);
  const a = decodeEsealFrame(esealGoldenBytes('commandAck', true));
  const [o] = ok(a);
  assert.equal(o.identifier, '1000898');
  assert.deepEqual([o.attributes!.type, o.attributes!.fields], ['RC-NFC DEL ACK', ['']]);
  assert.equal(a.reply, null);
});

test('every event type maps onto the seal model and is acknowledged with its own type and index', () => {
  const cases: [string, 'Open' | 'Close', unknown, string | undefined][] = [
    ['Event-Lock', 'Close', { state: 'closed', lock: 'locked' }, 'lock'],
    ['Event-Lock', 'Open', { state: 'open', lock: 'locked' }, 'lock'],
    ['Event-RC-Unlock', 'Close', { state: 'open', lock: 'unlocked' }, 'unlock'],
    ['Event-Door', 'Open', { state: 'open' }, 'door'],
    ['Event-Door', 'Close', null, 'door'],
    ['Event-Drop', 'Close', { state: 'tampered' }, 'drop'],
    ['Event-Shock', 'Close', null, 'shock'],
    ['Button-Normal', 'Close', null, undefined],
    ['Termination', 'Open', { state: 'open' }, undefined],
  ];
  for (const [i, [type, door, seal, alarm]] of cases.entries()) {
    const d = decodeEsealFrame(
      buildEsealReport({ type, door, index: 100 + i, time: '2024-05-01T10:20:30Z', lat: -1.2921, lon: 36.8219, speed: 54 }),
    );
    const [o] = ok(d);
    assert.deepEqual(o.seal, seal, type);
    assert.equal(o.door, door === 'Open' ? 'open' : 'closed');
    assert.equal(o.attributes!.alarm, alarm, type);
    assert.equal(o.time, '2024-05-01T10:20:30.000Z');
    assert.deepEqual(o.position, { lat: -1.2921, lon: 36.8219, speed: 54, heading: 10, source: 'gnss' });
    assert.equal(d.reply!.toString(), `##S,eSeal,1000821,256,3.0.6,${type} ACK,${100 + i},E##\r\n`);
  }
});

test('a report of an unknown type with the report layout is decoded and not acknowledged', () => {
  const d = decodeEsealFrame(buildEsealReport({ type: 'Event-Low-Battery' }));
  assert.equal(ok(d)[0].attributes!.type, 'Event-Low-Battery');
  assert.equal(d.reply, null);
});

test('the commands the server can send are eSeal lines', () => {
  assert.equal(encodeEsealUnlock('123456789012345').toString(), '##S,eSeal,123456789012345,256,3.0.8,RC-Unlock,E##\r\n');
  assert.equal(encodeEsealPowerOff('1000821').toString(), '##S,eSeal,1000821,256,3.0.8,RC-Power Control,Power OFF,E##\r\n');
});

test('what is not a readable frame is refused with a reason', () => {
  const refuse = (s: string | Buffer) => {
    const d = decodeEsealFrame(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);
    assert.equal(d.reply, null);
    assert.equal(d.result.ok, false);
    const r = d.result as { reason: string; detail: string };
    return `${r.reason}: ${r.detail}`;
  };
  const e1 = esealGoldenBytes('normal', true).toString();
  assert.equal(refuse('hello'), 'not_eseal_frame: an eSeal frame is "##S,…,E##"');
  assert.equal(refuse('##S,eSeal,1,E##'), 'bad_field_count: 4 fields, at least 7 expected');
  assert.equal(refuse(e1.replace('1000821', '10x0821')), 'bad_device_id: device id "10x0821" is not digits');
  assert.equal(refuse('##S,eSeal,1000821,256,3.0.6,Hello,1,2,E##'), 'unsupported_type: message type "Hello" is not supported');
  assert.equal(refuse('##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,E##'), 'bad_field_count: Normal: 9 fields, 20 expected');
  assert.equal(refuse(e1.replace('2017-08-31', '2017-02-30')), 'bad_time: 2017-02-30 08:14:40 is not a time');
  assert.equal(refuse(e1.replace('08:14:40', '08-14-40')), 'bad_time: date "2017-08-31" or time "08-14-40" is not YYYY-MM-DD / hh:mm:ss');
  assert.equal(refuse(e1.replace('25.708828N', '95.708828N')), 'bad_position: position 95.708828,-100.37287 is out of range');
  assert.equal(refuse(e1.replace('25.708828N 100', '25.708828N,100')), 'bad_field_count: Normal: 21 fields, 20 expected');
  assert.equal(refuse(e1.replace(',A,', ',X,')), 'bad_position: validity "X" is neither A nor V');
  assert.equal(refuse(e1.replace(',-73,', ',strong,')), 'bad_number: rssi "strong" is not a number');
  assert.equal(refuse(e1.replace(',34,', ',,')), 'bad_number: index "" is not a number');
});
