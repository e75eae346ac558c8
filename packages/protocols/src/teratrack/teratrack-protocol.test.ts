/** The TeraTrack descriptor runs the protocol contract over golden JSON objects, whitespace between them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProtocolContract } from '../testing/protocol-contract';
import { buildTeraTrackFrame, teraTrackGoldenBytes } from './golden-frames';
import { teraTrackProtocol } from './teratrack-protocol';

const braces = buildTeraTrackFrame({ CardNo: 'a}b{"c\\"}', Index: '21' }); // braces and an escaped quote inside a string
const objects = [teraTrackGoldenBytes('sealed'), teraTrackGoldenBytes('tampered'), braces, teraTrackGoldenBytes('sealed')];
// Whitespace between objects is skipped: it leads the next object here, so each object ends its part.
const stream = [objects[0], Buffer.concat([Buffer.from('\r\n'), objects[1]]), objects[2], Buffer.concat([Buffer.from(' \n'), objects[3]])];

runProtocolContract(teraTrackProtocol, {
  stream,
  frames: objects.map((bytes) => ({ kind: 'json', text: bytes.toString('utf8'), bytes })),
  steps: ['ingest', 'ingest', 'ingest', 'ingest'],
  seed: 5239,
  maxChunk: 120,
  alphabet: Buffer.from('{}[]":,01 '),
});

test('braces and an escaped quote inside a string do not end the object', () => {
  const frames = teraTrackProtocol.openStream!().splitter.push(Buffer.concat(stream));
  assert.equal(JSON.parse(String(frames[2].text)).CardNo, 'a}b{"c\\"}');
});
