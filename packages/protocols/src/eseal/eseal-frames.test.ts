/** The line splitter beyond the protocol contract (eseal-protocol.test.ts): empty lines, garbage and overlong lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESEAL_MAX_LINE_LENGTH, EsealFrameSplitter, type EsealFrame } from './eseal-frames';
import { buildEsealReport, esealGoldenBytes } from './golden-frames';

const lock = Buffer.concat([buildEsealReport({ type: 'Event-Lock', index: 36 }), Buffer.from('\n')]); // a bare LF ends a line too
const parts = [
  esealGoldenBytes('startup'),
  esealGoldenBytes('startupOk'),
  esealGoldenBytes('normal'),
  lock,
  esealGoldenBytes('commandAck'),
];
const session = Buffer.concat(parts);
const expected: EsealFrame[] = parts.map((p) => {
  const bytes = Buffer.from(p.toString('latin1').replace(/\r?\n$/, ''), 'latin1');
  return { kind: 'line', text: bytes.toString('latin1'), bytes };
});

test('empty lines are skipped; lines are copies of the chunk', () => {
  const chunk = Buffer.concat([Buffer.from('\r\n\r\n\n'), esealGoldenBytes('normal')]);
  const frames = new EsealFrameSplitter().push(chunk);
  chunk.fill(0x41);
  assert.deepEqual(frames, [expected[2]]);
});

test('a line not starting with "##" is garbage at once, reported with all its bytes, and the splitter stops', () => {
  const s = new EsealFrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [line, g, ...rest] = s.push(Buffer.concat([esealGoldenBytes('normal'), http]));
  assert.equal(line.kind, 'line');
  assert.deepEqual(g, { kind: 'garbage', detail: 'line starts with 0x4745, not "##"', bytes: http });
  assert.deepEqual(rest, []);
  assert.deepEqual(s.push(session), []);
  assert.equal(s.buffered, 0);
  assert.deepEqual(new EsealFrameSplitter().push(Buffer.from('#')), [], 'one "#" may still be the start of a frame');
});

test('a line longer than the limit without a line end is garbage without buffering more', () => {
  const s = new EsealFrameSplitter();
  assert.deepEqual(s.push(Buffer.from('##' + 'x'.repeat(ESEAL_MAX_LINE_LENGTH - 2))), []);
  const [g] = s.push(Buffer.from('yy'));
  assert.equal(g.kind, 'garbage');
  assert.equal((g as { detail: string }).detail, `line longer than ${ESEAL_MAX_LINE_LENGTH} bytes without a line end`);
  assert.equal(s.buffered, 0);
});
