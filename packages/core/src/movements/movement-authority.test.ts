import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../access/policy';
import { assertMayRecordStep } from './movement-authority';

const officer = (country: string | null, kind: Principal['organisation']['kind'] = 'customs'): Principal => ({
  id: 'u',
  name: 'u',
  roles: ['officer'],
  organisation: { id: `org-${country}`, kind, country },
});
const keToUg = { departure: 'KE', destination: 'UG' };
const code = (f: () => void) => {
  try {
    f();
    return 'allowed';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

test('the departure administration starts; the destination administration arrives and ends', () => {
  assert.equal(
    code(() => assertMayRecordStep(officer('KE'), 'start', keToUg)),
    'allowed',
  );
  assert.equal(
    code(() => assertMayRecordStep(officer('UG'), 'start', keToUg)),
    'not_departure_administration',
  );
  for (const action of ['arrive', 'end'] as const) {
    assert.equal(
      code(() => assertMayRecordStep(officer('UG'), action, keToUg)),
      'allowed',
      action,
    );
    assert.equal(
      code(() => assertMayRecordStep(officer('KE'), action, keToUg)),
      'not_destination_administration',
      action,
    );
  }
});

test('a transit country records no step; the platform and a country-less administration record any', () => {
  for (const action of ['start', 'arrive', 'end'] as const) {
    assert.notEqual(
      code(() => assertMayRecordStep(officer('RW'), action, keToUg)),
      'allowed',
      action,
    );
    assert.equal(
      code(() => assertMayRecordStep(officer(null), action, keToUg)),
      'allowed',
      action,
    );
    assert.equal(
      code(() => assertMayRecordStep(officer(null, 'platform'), action, keToUg)),
      'allowed',
      action,
    );
    assert.notEqual(
      code(() => assertMayRecordStep(officer('KE', 'trader'), action, keToUg)),
      'allowed',
      action,
    );
  }
});
