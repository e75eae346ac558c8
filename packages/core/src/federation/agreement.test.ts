import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Agreement } from './agreement';
import {
  afterLeaving,
  anticipatedArrivalBody,
  crossingScope,
  exceedsAgreement,
  incidentBody,
  positionBody,
  sharedRoute,
} from './agreement';
import { parseFederationKid, federationRetryDelayMs } from './message';
import type { Movement, Office } from '../model';
import type { Incident } from '../incidents/incident';

// Uganda, roughly: east of 33.9° and west of 34.0° is the Kenyan side near Malaba, for this test only.
const inUganda = (p: { lat: number; lon: number }) => p.lon < 34.1;
const office = (code: string, country: string, lon: number): Office =>
  ({ code, name: code, country, area: { center: { lat: 0.5, lon }, radiusM: 1000 }, createdAt: '2026-01-01T00:00:00.000Z' }) as Office;
const movement = {
  id: 'm1',
  reference: 'MRN1',
  container: 'CSQU3054383',
  vehicle: 'KBX 123A',
  trader: 'trader-1',
  devices: [],
  seals: ['S1'],
  route: {
    type: 'LineString',
    coordinates: [
      [39.66, -4.04],
      [34.28, 0.63],
      [33.9, 0.5],
      [32.58, 0.31],
    ],
  },
  corridorWidthM: 2000,
  status: 'in_transit',
  startedAt: '2026-12-06T10:00:00.000Z',
  timeLimit: null,
  hsChapter: '84',
  originCountry: 'CN',
} as unknown as Movement;
const offices = { departure: office('KEMBA', 'KE', 39.66), destination: office('UGKLA', 'UG', 32.58), transit: [] };
const limited: Agreement = { fields: [], positionsInside: 'partner_territory', retentionDays: 30 };
const everything: Agreement = {
  fields: ['position', 'seal', 'sensors', 'trader', 'goods', 'driver'],
  positionsInside: 'whole_route',
  retentionDays: 30,
};

test('an announcement carries trader, goods and driver only when agreed: absent, not blank', () => {
  const bare = anticipatedArrivalBody(movement, offices, limited, inUganda);
  assert.equal('trader' in bare, false);
  assert.equal('goods' in bare, false);
  assert.equal('driver' in bare, false);
  const full = anticipatedArrivalBody(movement, offices, everything, inUganda);
  assert.equal(full.trader, 'trader-1');
  assert.deepEqual(full.goods, { hsChapter: '84', originCountry: 'CN' });
  assert.deepEqual(full.driver, { vehicle: 'KBX 123A' });
});

test('without driver agreed the registration goes as the pseudonym the sender made, never as itself', () => {
  const bare = anticipatedArrivalBody(movement, offices, limited, inUganda, 'p-3f9a');
  assert.equal(bare.vehiclePseudonym, 'p-3f9a');
  assert.ok(!JSON.stringify(bare).includes('KBX 123A'));
  const full = anticipatedArrivalBody(movement, offices, everything, inUganda, 'p-3f9a');
  assert.equal('vehiclePseudonym' in full, false, 'the registration itself when agreed');
  assert.equal('vehiclePseudonym' in anticipatedArrivalBody({ ...movement, vehicle: null }, offices, limited, inUganda, 'p'), false);
  assert.equal(exceedsAgreement('anticipated_arrival', { ...bare }, limited, inUganda), null, 'a pseudonym is within any agreement');
});

test('partner_territory keeps only the route inside the territory, cut at the border; whole_route keeps it all', () => {
  const inside = sharedRoute(movement.route, limited, inUganda)!.coordinates;
  assert.equal(inside.length, 3);
  assert.ok(Math.abs(inside[0][0] - 34.1) < 1e-6, `cut at the border, got ${inside[0]}`);
  assert.ok(inside.every((c) => inUganda({ lon: c[0], lat: c[1] })));
  assert.deepEqual(inside.slice(1), [
    [33.9, 0.5],
    [32.58, 0.31],
  ]);
  assert.equal(sharedRoute(movement.route, everything, inUganda), movement.route);
  assert.equal(
    sharedRoute(movement.route, limited, () => false),
    null,
  );
});

test('a position message exists only for agreed data, and only inside the territory when limited', () => {
  const inside = { time: 't', position: { lat: 0.4, lon: 33 }, seal: { state: 'closed' as const }, sensors: null };
  const outside = { ...inside, position: { lat: 0.6, lon: 34.5 } };
  assert.equal(positionBody(inside, limited, inUganda), null, 'nothing agreed beyond what is always shared');
  const agreed: Agreement = { ...limited, fields: ['position'] };
  assert.deepEqual(positionBody(inside, agreed, inUganda), { time: 't', position: { lat: 0.4, lon: 33 } });
  assert.equal(positionBody(outside, agreed, inUganda), null);
  assert.deepEqual(positionBody(outside, everything, inUganda), { time: 't', position: outside.position, seal: { state: 'closed' } });
});

test('an incident is always shared; its position outside the territory is left out when limited', () => {
  const incident = {
    id: 'i1',
    code: 'seal_broken',
    status: 'open',
    severity: 'critical',
    openedAt: 't',
    position: { lat: 0.6, lon: 34.5 },
    container: 'C',
    seals: ['S1'],
  } as unknown as Incident;
  assert.equal('position' in incidentBody(incident, limited, inUganda), false);
  assert.deepEqual(incidentBody(incident, everything, inUganda).position, { lat: 0.6, lon: 34.5 });
});

test('the receiver refuses what its own agreement leaves out', () => {
  assert.match(exceedsAgreement('anticipated_arrival', { trader: 'x', route: null }, limited, inUganda) ?? '', /trader/);
  assert.equal(exceedsAgreement('anticipated_arrival', { route: null }, limited, inUganda), null);
  assert.match(exceedsAgreement('position', { time: 't', position: { lat: 0.4, lon: 33 } }, limited, inUganda) ?? '', /position/);
  assert.match(exceedsAgreement('incident', { position: { lat: 0.6, lon: 34.5 } }, limited, inUganda) ?? '', /only inside/);
  assert.equal(exceedsAgreement('incident', { position: { lat: 0.6, lon: 34.5 } }, everything, inUganda), null);
});

test('kids name the administration and the key; retries back off to an hour', () => {
  assert.deepEqual(parseFederationKid('URA/abc'), { administration: 'URA', keyId: 'abc' });
  assert.equal(parseFederationKid('abc'), null);
  assert.equal(parseFederationKid('URA/'), null);
  assert.equal(federationRetryDelayMs(1), 5000);
  assert.equal(federationRetryDelayMs(2), 10000);
  assert.equal(federationRetryDelayMs(40), 3_600_000);
});

test('a movement leaves a partner’s scope by a crossing out of its country and comes back by a crossing in', () => {
  assert.equal(crossingScope('UG', { from: 'UG', to: 'RW' }), 'left');
  assert.equal(crossingScope('UG', { from: 'KE', to: 'UG' }), 'entered');
  assert.equal(crossingScope('UG', { from: 'RW', to: 'BI' }), null);
  assert.equal(crossingScope('UG', { from: 'KE', to: 'TZ' }), null);
  const left = '2026-12-07T10:00:00.000Z';
  assert.equal(afterLeaving('2026-12-07T10:00:00.000Z', left), true, 'the fix that crossed is already outside');
  assert.equal(afterLeaving('2026-12-07T10:05:00.000Z', left), true);
  assert.equal(afterLeaving('2026-12-07T09:59:59.000Z', left), false, 'a reading made before, forwarded late, is within');
  assert.equal(afterLeaving('2026-12-07T11:00:00.000Z', null), false, 'not left');
});
