import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeText } from './trip-report-html';

test('the trip report names positions by the nearest gazetteer place, coordinates when none is near', () => {
  assert.equal(placeText({ lat: 0.6345, lon: 34.2795 + 12 / 111.19 }), '12 km E of Malaba (KE)');
  assert.equal(placeText({ lat: -3.863, lon: 39.473 }), 'Mariakani (KE)');
  assert.equal(placeText({ lat: -3.44, lon: 38.6 }), '6.9 km SE of Voi (KE)');
  assert.equal(placeText({ lat: -33.9, lon: 18.4 }), '-33.9000, 18.4000');
  assert.equal(placeText(null), '');
});
