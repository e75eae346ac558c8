import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeJt808Location } from './jt808-encoder';
import {
  encodeJt808LocatedAnswer,
  encodeJt808LocationQuery,
  encodeJt808TerminalResponse,
  encodeJt808Transparent,
  encodeJt808VehicleControl,
  readJt808CommandAnswer,
} from './jt808-commands';
import { readJt808Message } from './jt808-message';

const to = { version: null, phoneBytes: Buffer.from('013912345678', 'hex') };
const terminal = { phone: '013912345678' };

test('vehicle control 0x8500 (unlock: control byte 0) and position query 0x8201 are framed with header, serial and XOR check code', () => {
  assert.equal(encodeJt808VehicleControl(to, 7, false).toString('hex'), '7e85000001013912345678000700b37e');
  assert.equal(encodeJt808VehicleControl(to, 7, true).subarray(13, 14).toString('hex'), '01');
  assert.equal(encodeJt808LocationQuery(to, 8).toString('hex'), '7e820100000139123456780008bb7e');
  const t = readJt808Message(encodeJt808Transparent(to, 9, 0xf1, Buffer.from('7e7d', 'hex')));
  assert.ok(typeof t !== 'string');
  assert.equal(t.header.msgId, 0x8900);
  assert.equal(t.body.toString('hex'), 'f17e7d', 'escaped on the wire, restored when read');
});

test("the terminal's answers name the serial they answer: 0x0500 with the door lock bit, 0x0201 with a position, 0x0001 with a result", () => {
  const location = encodeJt808Location({ lat: 0.635, lon: 34.275, time: Date.UTC(2026, 10, 26, 8, 0, 0), status: 0x2 });
  const unlocked = readJt808CommandAnswer(encodeJt808LocatedAnswer(terminal, 0x0500, 40, 7, location));
  assert.equal(unlocked?.msgId, 0x0500);
  assert.equal(unlocked?.answerSerial, 7);
  assert.equal(unlocked?.location?.attributes?.doorLocked, false);
  assert.deepEqual([unlocked?.location?.position?.lat, unlocked?.location?.position?.lon], [0.635, 34.275]);
  const general = readJt808CommandAnswer(encodeJt808TerminalResponse(terminal, 41, 9, 0x8900, 3));
  assert.deepEqual(general, { msgId: 0x0001, answerSerial: 9, answeredMsgId: 0x8900, result: 3 });
  assert.equal(readJt808CommandAnswer(Buffer.from('7e0002000001391234567800010a7e', 'hex')), null, 'a heartbeat answers nothing');
});
