import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyParties, partiesToBody, utcInputToIso } from './declaration-pickers';

test('a time limit typed in the form is read as UTC, and an impossible one is refused', () => {
  assert.equal(utcInputToIso('2026-12-09 14:00'), '2026-12-09T14:00:00.000Z');
  assert.equal(utcInputToIso('2026-12-09T14:00'), '2026-12-09T14:00:00.000Z');
  assert.equal(utcInputToIso(' 2026-12-09 00:05 '), '2026-12-09T00:05:00.000Z');
  for (const bad of ['2026-02-30 10:00', '2026-12-09 24:00', '09/12/2026 14:00', '2026-12-09', '2026-12-09 2:00 PM', ''])
    assert.equal(utcInputToIso(bad), null, bad);
});

test('the body has the chosen devices’ seals first, then the others, once each; empty fields are null', () => {
  const declarable = [
    { id: 'A', kind: 'e_seal', sealNumber: 'S-A', holder: 'ke' },
    { id: 'B', kind: 'e_lock', sealNumber: null, holder: 'trader' },
  ];
  const body = partiesToBody(
    {
      ...emptyParties(),
      trader: 'trader',
      devices: ['A', 'B'],
      otherSeals: 'BOLT-1, S-A ,',
      originCountry: 'ke',
      timeLimit: '2026-12-09 14:00',
    },
    declarable,
  );
  assert.deepEqual(body, {
    trader: 'trader',
    devices: ['A', 'B'],
    seals: ['S-A', 'BOLT-1'],
    vehicle: null,
    hsChapter: null,
    originCountry: 'KE',
    timeLimit: '2026-12-09T14:00:00.000Z',
  });
  assert.equal(partiesToBody(emptyParties(), []).trader, null);
});
