// End to end, through the signed ingest API: one trip with a deviation, an unauthorised stop, a
// coverage gap, a temperature excursion and a GNSS jump, fed to two platforms. One gets it in
// order, an hour at a time, the transit rules running after each hour (live). The other gets
// the same messages shuffled, in four bulk re-uploads after the trip, the rules running once.
// Both must end with the same events and alerts, dated when things happened; the late one
// detected them later. Then the trip report of the movement, as JSON and as a printable page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '@sealwatch/core';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, mombasaOffice, malabaOffice, startTestPlatform } from '../src/testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const t0 = Date.now() - 12 * 3600_000;
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
const route = {
  type: 'LineString',
  coordinates: [
    [39.6, -4.0],
    [39.0, -3.6],
  ],
};

/** The trip: a report every 10 min for 10 h, as payloads without device and seq. */
function scenario(): Array<Record<string, unknown> & { min: number }> {
  const out: Array<Record<string, unknown> & { min: number }> = [];
  for (let min = 0; min <= 600; min += 10) {
    if (min > 300 && min < 400) continue; // coverage gap: nothing for 100 min
    let f = min / 600;
    if (min >= 200 && min <= 260) f = 200 / 600; // an hour stood still, outside any authorised stop
    let lat = -4.0 + 0.4 * f,
      lon = 39.6 - 0.6 * f;
    if (min >= 100 && min <= 150) lat += 0.045; // 5 km north of the corridor
    if (min === 500) {
      lat = -1.3;
      lon = 36.8;
    } // one fix 300 km away: a jump
    const temperature = min >= 420 && min <= 460 ? 12 : 4;
    out.push({ min, position: { lat, lon, accuracy: 5 }, sensors: { temperature } });
  }
  return out;
}

async function setUp(p: P) {
  for (const o of [mombasaOffice, malabaOffice])
    await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: o });
  const key = generateDeviceKey('EdDSA');
  await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id: 'AO-1', class: 'active', kind: 'container_sensor', protocol: 'native', key: key.registration, reportIntervalS: 600 },
  });
  const m = (
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/movements',
      headers: p.auth,
      payload: buildMovementBody({
        devices: ['AO-1'],
        route,
        corridorWidthM: 1000,
        authorizedStops: [],
        sensorThresholds: [{ sensor: 'temperature', max: 8 }],
      }),
    })
  ).json();
  await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/start`, headers: p.auth, payload: { time: at(0) } });
  const messages = scenario().map(({ min, ...rest }, i) => ({
    min,
    jws: signMessage(key, { device: 'AO-1', seq: i + 1, time: at(min), ...rest }),
  }));
  return { movement: m.id as string, messages };
}

async function deliver(p: P, jws: string[]) {
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { 'content-type': 'application/json' },
    payload: { messages: jws },
  });
  assert.equal(r.statusCode, 200, r.body);
  assert.ok(
    r.json().results.every((x: { status: string }) => x.status === 'accepted'),
    r.body,
  );
  await p.ctx.processor.idle();
}

let clockA = t0,
  clockB = t0;
let a: P, b: P;
before(async () => {
  a = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clockA });
  b = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clockB });
});
after(async () => {
  await a?.cleanup();
  await b?.cleanup();
});

const summary = async (p: P, movement: string) => ({
  events: (await p.ctx.store.events.list({ movement: movement as never }, { limit: 500 })).items
    .filter((e) => !e.type.startsWith('movement_'))
    .map((e) => `${e.time} ${e.type}`)
    .sort(),
  alerts: (await p.ctx.store.alerts.list({ movement: movement as never }, { limit: 100 })).items.map((x) => `${x.time} ${x.type}`).sort(),
});

let movementA = '';
test('the same trip in order (live) and shuffled in late bulk uploads gives the same events and alerts, dated when they happened', async () => {
  const A = await setUp(a);
  movementA = A.movement;
  for (let hour = 0; hour <= 10; hour++) {
    const batch = A.messages.filter((m) => m.min >= hour * 60 && m.min < (hour + 1) * 60);
    clockA = t0 + Math.min((hour + 1) * 60, 610) * 60_000; // the end of each hour, the last one ten minutes after the trip
    if (batch.length)
      await deliver(
        a,
        batch.map((m) => m.jws),
      );
    await a.transit.evaluateAll();
  }
  clockA = t0 + 610 * 60_000;
  await a.transit.evaluateAll();

  clockB = t0 + 605 * 60_000;
  const B = await setUp(b);
  const random = mulberry32(20261126);
  const shuffled = B.messages
    .map((m) => ({ m, k: random() }))
    .sort((x, y) => x.k - y.k)
    .map((x) => x.m.jws);
  const quarter = Math.ceil(shuffled.length / 4);
  for (let i = 0; i < 4; i++) await deliver(b, shuffled.slice(i * quarter, (i + 1) * quarter));
  clockB = t0 + 610 * 60_000;
  await b.transit.evaluateAll();

  const [sa, sb] = [await summary(a, A.movement), await summary(b, B.movement)];
  assert.deepEqual(sb, sa);
  const types = new Set(sa.alerts.map((s) => s.split(' ')[1]));
  for (const t of ['route_deviation', 'unauthorized_stop', 'signal_lost', 'sensor_out_of_range', 'gnss_anomaly'])
    assert.ok(types.has(t), `${t} in ${[...types]}`);
  assert.ok(sa.events.includes(`${at(100)} route_deviation`), 'dated at the first fix outside');

  // Same occurrence, detected at different times: live within the hour, late only after the re-upload.
  const dev = async (p: P, m: string) =>
    (await p.ctx.store.events.list({ movement: m as never, type: 'route_deviation' }, { limit: 5 })).items[0];
  assert.ok((await dev(a, A.movement)).createdAt <= at(180));
  assert.equal((await dev(b, B.movement)).createdAt, at(610));
  assert.equal(((await dev(b, B.movement)).details.detection as { occurredAt: string }).occurredAt, at(100));
});

test('the trip report: timeline with alert outcomes, track summary, data gaps; and a printable page with an inline map', async () => {
  const r = await a.http.inject({ method: 'GET', url: `/api/v1/movements/${movementA}/report`, headers: a.auth });
  assert.equal(r.statusCode, 200, r.body);
  const report = r.json();
  assert.ok(report.timeline.some((e: { kind: string; type: string }) => e.kind === 'alert' && e.type === 'route_deviation'));
  const cleared = report.timeline.find((e: { kind: string; type: string }) => e.kind === 'alert' && e.type === 'route_deviation');
  assert.equal(cleared.cleared.reason, 'ended', 'back in the corridor');
  assert.ok(report.track.distanceM > 70_000, String(report.track.distanceM));
  assert.equal(report.track.durationS, 600 * 60);
  assert.ok(report.track.stops.length >= 1);
  assert.deepEqual(
    report.dataGaps.map((g: { start: string; end: string }) => [g.start, g.end]),
    [[at(300), at(400)]],
  );

  const page = await a.http.inject({ method: 'GET', url: `/api/v1/movements/${movementA}/report.html`, headers: a.auth });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /<svg[^>]*>[\s\S]*<polyline/);
  // Nothing from elsewhere: no script, no inline style, one stylesheet, this server's (public: it carries no data).
  assert.doesNotMatch(page.body, /<script|<style|style=|src=/);
  const links = [...page.body.matchAll(/<link[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(links, ['http://localhost:80/api/v1/reports/trip-report.css']);
  const css = await a.http.inject({ method: 'GET', url: '/api/v1/reports/trip-report.css' });
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers['content-type']), /^text\/css/);
  assert.match(css.body, /@media print/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  assert.equal((await a.http.inject({ method: 'GET', url: '/api/v1/movements/nope/report', headers: a.auth })).statusCode, 404);
});
