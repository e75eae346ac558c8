import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countryAt } from './country-at';

test('places points on the Northern Corridor in their countries, either side of Malaba and Busia', () => {
  assert.equal(countryAt({ lat: -4.0435, lon: 39.6682 }), 'KE'); // Mombasa
  assert.equal(countryAt({ lat: 0.3476, lon: 32.5825 }), 'UG'); // Kampala
  assert.equal(countryAt({ lat: -1.9441, lon: 30.0619 }), 'RW'); // Kigali
  assert.equal(countryAt({ lat: 0.6, lon: 34.2 }), 'KE'); // west of Bungoma, before Malaba
  assert.equal(countryAt({ lat: 0.66, lon: 34.05 }), 'UG'); // Tororo side
  assert.equal(countryAt({ lat: 45.4642, lon: 9.19 }), 'IT'); // Milan
  assert.equal(countryAt({ lat: 51.9244, lon: 4.4777 }), 'NL'); // Rotterdam
});

test('answers null at sea and for impossible coordinates', () => {
  assert.equal(countryAt({ lat: -10, lon: 60 }), null); // Indian Ocean
  assert.equal(countryAt({ lat: Number.NaN, lon: 0 }), null);
});

test("knows the countries whose codes sit where the code table's lines join (Tanzania on the Central Corridor, Armenia, Barbados)", () => {
  assert.equal(countryAt({ lat: -6.2, lon: 35.7 }), 'TZ'); // Dodoma
  assert.equal(countryAt({ lat: -6.842, lon: 39.288 }), 'TZ'); // Dar es Salaam port
  assert.equal(countryAt({ lat: 40.18, lon: 44.5 }), 'AM'); // Yerevan
  assert.equal(countryAt({ lat: 13.1, lon: -59.6 }), 'BB'); // Bridgetown
});
