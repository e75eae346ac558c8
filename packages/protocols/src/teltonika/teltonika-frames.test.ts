/** The TCP frame splitter beyond the protocol contract (teltonika-protocol.test.ts): garbage and oversized input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TELTONIKA_MAX_DATA_LENGTH, TeltonikaFrameSplitter, type TeltonikaFrame } from './teltonika-frames';
import { goldenBytes } from './golden-frames';

/** A session as a device sends it: handshake, a packet, a ping, two more packets. */
const session = Buffer.concat([
  goldenBytes('imei'),
  goldenBytes('codec8'),
  Buffer.from([0xff]),
  goldenBytes('codec8ThreeRecords'),
  goldenBytes('codec8eVin'),
]);

test('garbage is reported once with all its bytes, and the splitter then stops', () => {
  const splitter = new TeltonikaFrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const [frame, ...rest] = splitter.push(http);
  assert.equal(rest.length, 0);
  assert.equal(frame.kind, 'garbage');
  assert.match((frame as { detail: string }).detail, /neither an IMEI length/);
  assert.deepEqual((frame as { bytes: Buffer }).bytes, http);
  assert.deepEqual(splitter.push(session), []);
  assert.equal(splitter.buffered, 0);
});

test('a handshake that is not digits, and a preamble that is not zeros, are garbage at once', () => {
  assert.deepEqual(
    new TeltonikaFrameSplitter().push(Buffer.from('0003616263', 'hex')).map((f) => f.kind === 'garbage' && f.detail),
    ['IMEI frame carries "abc", not decimal digits'],
  );
  // The third byte already shows it is no preamble: no need to wait for more.
  assert.deepEqual(
    new TeltonikaFrameSplitter().push(Buffer.from('000001', 'hex')).map((f) => f.kind === 'garbage' && f.detail),
    ['AVL packet preamble is not four zero bytes'],
  );
});

test('an oversized data field length is refused as soon as the 8-byte header is in, without buffering the body', () => {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(TELTONIKA_MAX_DATA_LENGTH + 1, 4);
  const splitter = new TeltonikaFrameSplitter();
  assert.deepEqual(splitter.push(header.subarray(0, 7)), []);
  const [frame] = splitter.push(header.subarray(7));
  assert.equal(frame.kind, 'garbage');
  assert.equal(
    (frame as { detail: string }).detail,
    `data field length ${TELTONIKA_MAX_DATA_LENGTH + 1} exceeds the limit of ${TELTONIKA_MAX_DATA_LENGTH} bytes`,
  );
  const small = new TeltonikaFrameSplitter(100);
  assert.equal(small.push(goldenBytes('codec8ThreeRecords'))[0].kind, 'garbage');
  assert.equal(new TeltonikaFrameSplitter().push(Buffer.from('0000000000000002', 'hex'))[0].kind, 'garbage');
});
