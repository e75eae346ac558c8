/**
 * Two trips of the core corpus (core/transit/corpus) through the real platform: signed messages
 * ingested as the devices would send them (buffered ones late), the processor and the transit
 * monitor run every 15 minutes of trip time on a SQLite file, with a clock that follows the trip.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { T0, faultyTrips, honestTrips, offices, type CorpusTrip } from '@sealwatch/core/transit/corpus/honest-corpus';
import { startTestPlatform } from '../testing/test-platform';

let clock = T0;
let p: Awaited<ReturnType<typeof startTestPlatform>>;

before(async () => {
  p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clock });
  for (const o of offices) {
    // Stored directly, not through POST /offices: the corpus places its Malaba post on its route's
    // Malaba point (33.64 E), about 70 km inside Uganda on the country map, which the API refuses
    // for a Kenyan office (office_outside_country). The transit rules only need the area.
    await p.ctx.store.offices.create({
      code: o.code,
      name: o.name,
      country: o.country,
      area: o.area,
      createdAt: new Date(clock).toISOString() as never,
    });
  }
});
after(() => p.cleanup());

/** Declares the trip's movement (its device renamed per trip), then replays it; returns the movement id. */
async function replay(trip: CorpusTrip, deviceId: string): Promise<string> {
  clock = T0 - 3600_000;
  const key = generateDeviceKey('HS256');
  const d = trip.devices[0];
  const dev = await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id: deviceId, class: d.class, kind: d.kind, protocol: 'native', key: key.registration, reportIntervalS: d.reportIntervalS },
  });
  assert.equal(dev.statusCode, 201, dev.body);
  const m = trip.movement;
  const body = {
    reference: `${m.reference}-${deviceId}`,
    devices: [deviceId],
    departureOffice: m.departureOffice,
    destinationOffice: m.destinationOffice,
    transitOffices: m.transitOffices,
    route: m.route,
    corridorWidthM: m.corridorWidthM,
    authorizedStops: m.authorizedStops,
    timeLimit: m.timeLimit,
  };
  const created = await p.http.inject({ method: 'POST', url: '/api/v1/movements', headers: p.auth, payload: body });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  clock = T0;
  const started = await p.http.inject({
    method: 'POST',
    url: `/api/v1/movements/${id}/start`,
    headers: p.auth,
    payload: { time: new Date(T0).toISOString() },
  });
  assert.equal(started.json().status, 'in_transit', started.body);
  const byReceipt = [...trip.observations].sort((a, b) => a.receivedS - b.receivedS);
  let seq = 0,
    next = 0;
  for (let s = 0; ; s = Math.min(s + 900, trip.endS)) {
    clock = T0 + s * 1000;
    const batch = [];
    while (next < byReceipt.length && byReceipt[next].receivedS <= s) {
      const o = byReceipt[next++];
      batch.push(
        signMessage(key, {
          device: deviceId,
          seq: ++seq,
          time: o.time,
          ...(o.position
            ? { position: { lat: o.position.lat, lon: o.position.lon, ...(o.position.accuracy ? { accuracy: o.position.accuracy } : {}) } }
            : {}),
          ...(o.battery ? { battery: o.battery } : {}),
        }),
      );
    }
    if (batch.length) {
      const results = await p.ctx.ingest.ingest(batch, { transport: 'test', remote: null });
      assert.ok(
        results.every((r) => r.status === 'accepted'),
        JSON.stringify(results.find((r) => r.status !== 'accepted')),
      );
    }
    await p.ctx.processor.idle();
    await p.transit.evaluateAll();
    if (s >= trip.endS) break;
  }
  return id;
}

test('the Northern Corridor case (18 h, a 1-hour authorised stop at Nairobi, a day early) raises no alert on the real platform', async () => {
  const trip = honestTrips().find((t) => t.name === 'northern-corridor')!;
  const id = await replay(trip, 'CORPUS-NC');
  const alerts = (await p.ctx.store.alerts.list({ movement: id as never }, { limit: 50 })).items;
  assert.deepEqual(
    alerts.map((a) => a.type),
    [],
  );
  const events = (await p.ctx.store.events.list({ movement: id as never }, { limit: 500 })).items;
  assert.ok(
    events.some((e) => e.type === 'movement_arrived_detected'),
    'the trip did reach Malaba',
  );
});

test('a truck that cannot make its limit gets a warning-rank transit_overdue first, raised to the breach rank at the limit', async () => {
  const trip = faultyTrips().find((t) => t.name === 'transit-overdue')!;
  const id = await replay(trip, 'CORPUS-TO');
  const alerts = (await p.ctx.store.alerts.list({ movement: id as never }, { limit: 50 })).items;
  assert.deepEqual(
    alerts.map((a) => a.type),
    ['transit_overdue'],
  );
  const [a] = alerts;
  assert.equal(a.severity, 'minor', 'the limit has passed: the breach');
  assert.equal(a.history[0].action, 'opened');
  const events = (await p.ctx.store.events.list({ movement: id as never, type: 'transit_overdue' } as never, { limit: 50 })).items;
  assert.deepEqual(events.map((e) => e.details.level).sort(), ['overdue', 'warning']);
  const expected = trip.expected[0];
  const warning = events.find((e) => e.details.level === 'warning')!;
  assert.ok(Math.abs((Date.parse(warning.time) - T0) / 1000 - expected.atS) <= expected.toleranceS, `warning at ${warning.time}`);
});
