/**
 * Traccar's TeltonikaProtocolDecoderTest packets (golden-frames.ts `teltonikaTraccar`, each named by
 * its line there): Codec 16 AVL data gives its positions and is acknowledged; Codec 12 / 13 answers
 * are stored (no position: the device sent none) and wait for no acknowledgement.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTeltonikaPacket } from './teltonika';
import { goldenBytes, teltonikaTraccarBytes } from './golden-frames';
import { teltonikaProtocol } from './teltonika-protocol';
import type { FrameStep } from '../descriptor';
import { traccarCaseBytes } from '../testing/traccar-case';
import { teltonikaTraccarCases } from './traccar-cases';

const IMEI = '123456789012345';
const ok = (packet: Buffer) => {
  const r = decodeTeltonikaPacket(packet, IMEI);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.observations;
};

test('TeltonikaProtocolDecoderTest L82: Codec 16 (2-byte IO ids, generation type) gives its position', () => {
  const [o] = ok(teltonikaTraccarBytes('codec16L82'));
  assert.equal(o.time, '2018-07-26T20:43:43.000Z');
  assert.deepEqual(o.position, { lat: -33.4379166, lon: -70.64967, speed: 0, heading: 282, source: 'gnss' });
  assert.equal(o.attributes!.generationType, 7);
  assert.equal(o.attributes!.satellites, 6);
  assert.ok('io256' in o.attributes! && 'io261' in o.attributes!, 'IO ids read as 2 bytes');
});

test('TeltonikaProtocolDecoderTest L33, L67, L70: Codec 13 and 12 answers are kept as text (the card of a GTSL text) or hex', () => {
  const [card] = ok(teltonikaTraccarBytes('codec13CardL33'));
  assert.equal(card.time, '2023-04-03T20:45:05.000Z');
  assert.equal(card.position, null);
  assert.equal(card.attributes!.driverUniqueId, '12749884');
  const [text] = ok(teltonikaTraccarBytes('codec12TextL67'));
  assert.match(String(text.attributes!.response), /^UUUUww06\.4;04\.2;/);
  const [bytes] = ok(goldenBytes('codec12'));
  assert.equal(bytes.attributes!.responseHex, '010300010015d5c5');
});

test('on a stream, Codec 16 is acknowledged with its record count; a Codec 12 answer is stored and not acknowledged', () => {
  const s = teltonikaProtocol.openStream!();
  const steps: FrameStep[] = [];
  for (const f of s.splitter.push(Buffer.concat([goldenBytes('imei'), teltonikaTraccarBytes('codec16L82'), goldenBytes('codec12')]))) {
    const st = s.step(f);
    if (st.do === 'identify') s.identified!(st.identifier);
    steps.push(st);
  }
  assert.deepEqual(
    steps.map((st) => st.do),
    ['identify', 'ingest', 'ingest'],
  );
  const [, avl, answer] = steps;
  assert.ok(avl.do === 'ingest' && avl.decoded.ok);
  assert.deepEqual(avl.reply, Buffer.from('00000001', 'hex'));
  assert.ok(answer.do === 'ingest' && answer.decoded.ok);
  assert.equal(answer.reply, null);
});

test('TeltonikaProtocolDecoderTest L130, L112: Codec 7 (GH3000) records give their positions and times (2007 epoch), acknowledged with their count', () => {
  const packet = traccarCaseBytes(teltonikaTraccarCases, 130);
  const obs = ok(packet);
  assert.equal(obs.length, 2);
  assert.equal(obs[0].time, '2013-07-31T22:30:35.000Z');
  assert.deepEqual(obs[0].position, { lat: 44.440189, lon: 26.093126, speed: 0, heading: 0, source: 'gnss' });
  assert.deepEqual([obs[0].attributes!.satellites, obs[0].attributes!.lac, obs[0].attributes!.cellId], [5, 100, 33791]);
  assert.ok(ok(traccarCaseBytes(teltonikaTraccarCases, 112)).length > 0, 'L112 decodes (Traccar checks no location there)');
  const s = teltonikaProtocol.openStream!();
  for (const f of s.splitter.push(goldenBytes('imei'))) s.identified?.((s.step(f) as { identifier: string }).identifier);
  const [step] = s.splitter.push(packet).map((f) => s.step(f));
  assert.equal(step.do, 'ingest');
  assert.equal((step as Extract<FrameStep, { do: 'ingest' }>).reply!.toString('hex'), '00000002');
});

test('an AVL packet of data length 0 is skipped and the stream goes on (Traccar cuts it as 12 bytes)', () => {
  const s = teltonikaProtocol.openStream!();
  for (const f of s.splitter.push(goldenBytes('imei'))) s.identified?.((s.step(f) as { identifier: string }).identifier);
  const empty = Buffer.alloc(12);
  const steps = s.splitter.push(Buffer.concat([empty, goldenBytes('codec8')])).map((f) => s.step(f));
  assert.deepEqual(
    steps.map((x) => x.do),
    ['skip', 'ingest'],
  );
});
