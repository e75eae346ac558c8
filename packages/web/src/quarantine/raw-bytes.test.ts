import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesOfBase64, hexDump, textOf } from './raw-bytes';

test('a binary frame is shown as a hex dump with offsets and printable characters', () => {
  const bytes = bytesOfBase64(Buffer.from([0x78, 0x78, 0x11, 0x01, 0x41, 0x0d, 0x0a, ...Array(12).fill(0)]).toString('base64'))!;
  assert.equal(bytes.length, 19);
  const dump = hexDump(bytes).split('\n');
  assert.equal(dump.length, 2);
  assert.equal(dump[0], '00000000  78 78 11 01 41 0d 0a 00 00 00 00 00 00 00 00 00  xx..A...........');
  assert.equal(dump[1], '00000010  00 00 00                                         ...');
  assert.equal(textOf(bytes), null);
});

test('text (a JWS) reads as text; base64url is accepted; junk is not base64; long input is cut', () => {
  const jws = 'eyJhbGciOiJFZERTQSJ9.eyJkZXZpY2UiOiJYIn0.c2ln';
  assert.equal(textOf(bytesOfBase64(Buffer.from(jws).toString('base64url'))!), jws);
  assert.equal(bytesOfBase64('not base64!'), null);
  assert.match(hexDump(new Uint8Array(40), 32), /… 8 more bytes$/);
});
