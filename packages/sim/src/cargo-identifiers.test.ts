import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidContainerNumber } from '@sealwatch/core';
import { compactUtc, containerNumber, imei, isValidImei, sealNumber } from './cargo-identifiers';

test('container numbers carry the ISO 6346 check digit', () => {
  assert.equal(containerNumber('CSQU', 305438), 'CSQU3054383'); // the worked example of ISO 6346
  for (const serial of [0, 1, 42, 999_999, 123_456]) assert.equal(isValidContainerNumber(containerNumber('MSCU', serial)), true);
  assert.throws(() => containerNumber('MSC1', 1), /ISO 6346/);
});

test('IMEIs carry the Luhn check digit', () => {
  assert.equal(imei('49015420', 323751), '490154203237518'); // the IMEI example of 3GPP TS 23.003 / Wikipedia
  assert.equal(isValidImei('490154203237518'), true);
  assert.equal(isValidImei('490154203237517'), false);
  assert.throws(() => imei('123', 1), /TAC/);
});

test('seal numbers and compact UTC stamps have a fixed shape', () => {
  assert.equal(sealNumber('KRA', 4820193), 'KRA4820193');
  assert.equal(sealNumber('KRA', 12), 'KRA0000012');
  assert.equal(compactUtc(Date.parse('2026-11-26T03:22:52.120Z')), '20261126032252');
});
