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
