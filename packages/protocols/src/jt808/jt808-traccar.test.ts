/**
 * Traccar's Jt808ProtocolDecoderTest frames (golden-frames.ts `jt808Traccar`, each named by its
 * line there): the vendor batch 0x0210, non-BCD phone fields, a malformed item that must not cost
 * the position, vendors' battery / power / vibration items, and `(…)` text on the same stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJt808Frame } from './jt808';
import { jt808TraccarBytes } from './golden-frames';
import { jt808Protocol } from './jt808-protocol';
import { JT808_MSG, encodeJt808Message, readJt808Message } from './jt808-message';
import type { DecodedObservation } from '../decoded';

const observations = (name: Parameters<typeof jt808TraccarBytes>[0]): DecodedObservation[] => {
  const d = decodeJt808Frame(jt808TraccarBytes(name));
  assert.ok(d.result.ok, d.result.ok ? '' : d.result.detail);
  return d.result.observations;
};

test('Jt808ProtocolDecoderTest L197: the 0x0210 vendor batch gives its 8 positions, and is answered 0x8001 for 0x0210', () => {
  const d = decodeJt808Frame(jt808TraccarBytes('batch0210L197'), 7);
  assert.ok(d.result.ok);
  const os = d.result.observations;
  assert.equal(os.length, 8);
  assert.deepEqual(
    os.map((o) => o.time),
    [21, 22, 23, 24, 25, 26, 27, 28].map((s) => `2016-11-18T03:01:${s}.000Z`),
  );
  for (const o of os) {
    assert.equal(o.identifier, '010036526447');
    assert.deepEqual({ lat: o.position!.lat, lon: o.position!.lon }, { lat: 22.607138, lon: 113.84184 });
  }
  const reply = readJt808Message(d.reply!);
  assert.ok(typeof reply !== 'string');
  assert.equal(reply.header.msgId, JT808_MSG.platformGeneralResponse);
  assert.equal(reply.body.readUInt16BE(2), 0x0210, 'the answer names the message it acknowledges');
});

test('0x0210 with a 7-byte body: the battery level and time of a report without a position', () => {
  const frame = decodeJt808Frame(jt808TraccarBytes('batch0210L197'));
  const header = frame.header!;
  // The same terminal's header, with the short body (battery 55 %, 2016-11-18 11:01:21 GMT+8).
  const short = encodeJt808Message(0x0210, header, 11, Buffer.from('37161118110121', 'hex'));
  const d = decodeJt808Frame(short);
  assert.ok(d.result.ok);
  assert.equal(d.result.observations.length, 1);
  const [o] = d.result.observations;
  assert.equal(o.position, null);
  assert.deepEqual(o.battery, { level: 55 });
  assert.equal(o.time, '2016-11-18T03:01:21.000Z');
});

test('Jt808ProtocolDecoderTest L62: a phone field that is not BCD names the device by the IMEI it encodes (Luhn digit added)', () => {
  const d = decodeJt808Frame(jt808TraccarBytes('nonBcdPhoneL62'));
  assert.equal(d.identifier, '865478070102068');
  assert.ok(d.result.ok);
  assert.equal(d.result.observations.length, 6);
  assert.deepEqual(d.result.observations[0].position, { lat: 32.875911, lon: 13.247685, speed: 0, heading: 73, source: 'gnss' });
  // The answer goes back to the phone field as sent.
  assert.equal(d.reply!.subarray(5, 11).toString('hex'), '4eb6fb4afd9e');
});

test('Jt808ProtocolDecoderTest L253: an item running past the body keeps the position, with why the items stopped', () => {
  const [o] = observations('badItemL253');
  assert.deepEqual({ lat: o.position!.lat, lon: o.position!.lon }, { lat: -27.455656, lon: 153.029616 });
  assert.equal(o.time, '2020-11-02T19:17:33.000Z');
  assert.match(String(o.attributes!.itemsError), /item 0x00 of 120 bytes runs past the end/);
});

test("Jt808ProtocolDecoderTest L23, L27, L38, L54, L123: vendors' battery, power and vibration items", () => {
  assert.equal(observations('powerE1L23')[0].attributes!.externalVoltage, 11.4);
  const e4 = observations('batteryE4L27')[0];
  assert.deepEqual(e4.battery, { level: 99 });
  assert.equal(e4.attributes!.charging, true);
  assert.equal(observations('batteryD4L38')[0].battery!.level, 100);
  const eb = observations('vibrationL54')[0];
  assert.deepEqual(eb.battery, { level: 92, voltage: 4.005 });
  assert.equal(eb.attributes!.vibration, true);
  assert.deepEqual(observations('batteryE3L123')[0].battery, { level: 100, voltage: 4.1 });
});

test('Jt808ProtocolDecoderTest L264: a text line on the stream is quarantined and the stream kept; the next frame is served', () => {
  const s = jt808Protocol.openStream!();
  const frames = s.splitter.push(Buffer.concat([jt808TraccarBytes('textL264'), jt808TraccarBytes('powerE1L23')]));
  assert.deepEqual(
    frames.map((f) => f.kind),
    ['text', 'message'],
  );
  const [text, report] = frames.map((f) => s.step(f));
  assert.deepEqual(text.do === 'ingest' && { ok: text.decoded.ok, keep: text.onMalformed, reply: text.reply }, {
    ok: false,
    keep: 'keep',
    reply: null,
  });
  assert.ok(report.do === 'ingest' && report.decoded.ok);
});

test('bytes outside a frame are skipped to the next flag and quarantined; the stream goes on (resynchronised)', () => {
  const s = jt808Protocol.openStream!();
  const junk = Buffer.from('0102037d00ff', 'hex');
  const frames = s.splitter.push(
    Buffer.concat([junk, jt808TraccarBytes('powerE1L23'), Buffer.from('GET / HTTP/1.1\r\n'), jt808TraccarBytes('batteryD4L38')]),
  );
  assert.deepEqual(
    frames.map((f) => f.kind),
    ['skipped', 'message', 'skipped', 'message'],
  );
  assert.deepEqual(frames[0].bytes, junk);
  const steps = frames.map((f) => s.step(f));
  assert.deepEqual(
    steps.map((st) => st.do === 'ingest' && st.decoded.ok),
    [false, true, false, true],
  );
  assert.ok(steps.every((st) => st.do === 'ingest' && (st.decoded.ok || (st.onMalformed === 'keep' && st.reply === null))));
});

test('Jt808ProtocolDecoderTest L188: transparent data 0xF0 (events report) gives its position; a 0x7d the terminal did not escape is read as sent because the check code and length agree', () => {
  const [o] = observations('transparentF0L188');
  assert.equal(o.identifier, '868935060010210');
  assert.equal(o.time, '2023-02-23T07:02:15.000Z');
  assert.deepEqual(o.position, { lat: 43.894156, lon: -79.2728, source: 'gnss' });
  assert.deepEqual(o.attributes, {
    transparentType: 0xf0,
    report: 3,
    archive: true,
    vehicleType: 2,
    events: { '0x38': '' },
    status: 0x000c000b,
    gnssFix: true,
  });
  // The same bytes with a wrong check code: the unescaped 0x7d is the reason given, not taken as data.
  const bad = jt808TraccarBytes('transparentF0L188');
  bad[bad.length - 2] ^= 1;
  const d = decodeJt808Frame(bad);
  assert.equal(d.result.ok ? '' : d.result.detail, 'escape byte 0x7d at offset 10 is followed by 0x00, not 0x01 or 0x02');
});

test('Jt808ProtocolDecoderTest L219: transparent data 0xF0 (13 data items) gives its position, items kept as hex, answered 0x8001', () => {
  const d = decodeJt808Frame(jt808TraccarBytes('transparentF0L219'), 3);
  assert.ok(d.result.ok);
  const [o] = d.result.observations;
  assert.equal(o.time, '2022-04-27T22:10:09.000Z');
  assert.deepEqual(o.position, { lat: 23.111772, lon: 114.409784, source: 'gnss' });
  const items = o.attributes!.items as Record<string, string>;
  assert.equal(Object.keys(items).length, 13);
  assert.equal(items['0x0530'], '31ba');
  const reply = readJt808Message(d.reply!);
  assert.ok(typeof reply !== 'string');
  assert.equal(reply.body.readUInt16BE(2), 0x0900, 'the answer names the message it acknowledges');
});

test('transparent data 0xF0 that does not fit is refused with why; other types store nothing and are answered', () => {
  const to = { version: null, phoneBytes: Buffer.from('013800138000', 'hex') };
  const body = (hex: string) => encodeJt808Message(0x0900, to, 1, Buffer.from(hex, 'hex'));
  const detail = (b: Buffer) => {
    const d = decodeJt808Frame(b);
    return d.result.ok ? `ok ${d.result.observations.length}` : d.result.detail;
  };
  assert.equal(detail(body('f0230223150215')), 'vehicle data of 7 bytes is shorter than its 10-byte head');
  assert.equal(detail(body('f0231323150215000203')), 'vehicle data time 231323150215 is not a BCD time');
  assert.equal(detail(body('f023022315021500020301380500')), 'vehicle data item 0x38 claims 5 bytes where 1 remain');
  assert.equal(detail(body('f02302231502150002030138')), 'vehicle data item 1 of 1 does not fit');
  assert.equal(detail(body('f023022315021500020300000c000b029dc58c')), 'vehicle data position does not fit');
  assert.equal(detail(body('f0230223150215000204')), 'ok 0'); // a trip report: no position of its own
  assert.equal(detail(body('4147545300')), 'ok 0');
  const d = decodeJt808Frame(body('4147545300'));
  assert.ok(d.reply, 'answered with the general response');
});
