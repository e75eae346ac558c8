import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

test('observations committed but not processed before a stop are processed once after restart, never twice', async () => {
  const key = generateDeviceKey('EdDSA');
  const first = await startTestPlatform();
  const { dir } = first;
  const post = (url: string, payload: object) => first.http.inject({ method: 'POST', url, headers: first.auth, payload });
  for (const o of [mombasaOffice, malabaOffice]) await post('/api/v1/offices', o);
  await post('/api/v1/devices', { id: 'R-1', class: 'active', kind: 'e_seal', protocol: 'native', key: key.registration });
  const movement = (await post('/api/v1/movements', buildMovementBody({ devices: ['R-1'] }))).json();
  await post(`/api/v1/movements/${movement.id}/start`, {});

  // The processor stops (as if the process died after the ingest commit, before processing).
  await first.ctx.processor.stop();
  const results = await first.ctx.ingest.ingest(
    [signMessage(key, { device: 'R-1', seq: 1, time: new Date().toISOString(), seal: { state: 'open', rope: 'cut' } })],
    { transport: 'test', remote: null },
  );
  assert.equal(results[0].status, 'accepted');
  assert.equal((await first.ctx.store.alerts.list({}, { limit: 10 })).items.length, 0);
  await first.stop();

  for (let run = 0; run < 2; run++) {
    const again = await startTestPlatform({}, { dir });
    await again.ctx.processor.idle();
    const alerts = (await again.ctx.store.alerts.list({ movement: movement.id }, { limit: 10 })).items;
    assert.deepEqual(alerts.map((a) => [a.type, a.count]).sort(), [['rope_cut', 1]], 'a rope cut that opens the seal is one alert');
    const state = await again.ctx.store.processing.deviceState('R-1' as never);
    assert.equal(state?.seal?.rope, 'cut');
    await again.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a late observation from before departure raises nothing; one made in transit but received after arrival still does', async () => {
  const key = generateDeviceKey('HS256');
  const p = await startTestPlatform();
  const post = (url: string, payload: object) => p.http.inject({ method: 'POST', url, headers: p.auth, payload });
  for (const o of [mombasaOffice, malabaOffice]) await post('/api/v1/offices', o);
  await post('/api/v1/devices', { id: 'L-1', class: 'active', kind: 'e_seal', protocol: 'native', key: key.registration });
  const m = (await post('/api/v1/movements', buildMovementBody({ devices: ['L-1'] }))).json();
  const t = (minAgo: number) => new Date(Date.now() - minAgo * 60_000).toISOString();
  await post(`/api/v1/movements/${m.id}/start`, { time: t(60) });
  await post(`/api/v1/movements/${m.id}/arrive`, { time: t(10) });
  const r = await p.ctx.ingest.ingest(
    [
      signMessage(key, { device: 'L-1', seq: 1, time: t(90), seal: { state: 'open' } }),
      signMessage(key, { device: 'L-1', seq: 2, time: t(30), seal: { state: 'tampered' } }),
    ],
    { transport: 'test', remote: null },
  );
  assert.deepEqual(
    r.map((x) => x.status),
    ['accepted', 'accepted'],
  );
  await p.ctx.processor.idle();
  const alerts = (await p.ctx.store.alerts.list({ movement: m.id }, { limit: 10 })).items;
  assert.deepEqual(
    alerts.map((a) => a.type),
    ['seal_tampered'],
  );
  const obs = (await p.ctx.store.observations.listByDevice('L-1' as never, {}, { limit: 10 })).items;
  assert.ok(
    obs.every((o) => o.late),
    'both were made long before they arrived',
  );
  await p.cleanup();
});

test('after arrival, opening the seal inside the office of destination is recorded without alert; opening elsewhere raises one', async () => {
  const key = generateDeviceKey('EdDSA');
  const p = await startTestPlatform();
  try {
    const post = (url: string, payload: object) => p.http.inject({ method: 'POST', url, headers: p.auth, payload });
    for (const o of [mombasaOffice, malabaOffice]) await post('/api/v1/offices', o);
    const ingest = (seq: number, lat: number, lon: number, seal: object) =>
      p.ctx.ingest.ingest([signMessage(key, { device: 'ARR-1', seq, time: new Date().toISOString(), position: { lat, lon }, seal })], {
        transport: 'test',
        remote: null,
      });
    await post('/api/v1/devices', { id: 'ARR-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration });
    // Destination: Malaba (a polygon around 0.635 N, 34.275 E).
    const m = (await post('/api/v1/movements', buildMovementBody({ devices: ['ARR-1'] }))).json();
    await post(`/api/v1/movements/${m.id}/start`, { time: new Date(Date.now() - 3600_000).toISOString() });
    await post(`/api/v1/movements/${m.id}/arrive`, { time: new Date(Date.now() - 60_000).toISOString() });
    await ingest(1, 0.635, 34.275, { state: 'closed', rope: 'inserted', lock: 'locked' });
    await ingest(2, 0.635, 34.275, { state: 'open', rope: 'removed', lock: 'unlocked' });
    await p.ctx.processor.idle();
    assert.deepEqual((await p.ctx.store.alerts.list({ movement: m.id }, { limit: 10 })).items, []);
    const events = (await p.ctx.store.events.list({ movement: m.id }, { limit: 20 })).items.filter((e) => e.device === 'ARR-1');
    assert.ok(events.some((e) => e.type === 'seal_opened' && e.details.atDestination === true));
    assert.ok(events.some((e) => e.type === 'seal_unlocked'));

    // The same after arrival, but 300 km away from the office: an alert.
    // The device is released when the first movement ends; the next departs no earlier.
    await post(`/api/v1/movements/${m.id}/end`, {});
    const m2 = (await post('/api/v1/movements', buildMovementBody({ devices: ['ARR-1'] }))).json();
    assert.equal((await post(`/api/v1/movements/${m2.id}/start`, {})).statusCode, 200);
    assert.equal((await post(`/api/v1/movements/${m2.id}/arrive`, {})).statusCode, 200);
    await ingest(3, -1.0, 36.0, { state: 'closed', rope: 'inserted', lock: 'locked' });
    await ingest(4, -1.0, 36.0, { state: 'open', rope: 'inserted', lock: 'unlocked' });
    await p.ctx.processor.idle();
    const types = (await p.ctx.store.alerts.list({ movement: m2.id }, { limit: 10 })).items.map((a) => a.type).sort();
    assert.deepEqual(types, ['seal_opened', 'unlock_unauthorized']);
  } finally {
    await p.cleanup();
  }
});

test('a battery falling to 20 % in transit raises one battery_low warning, not one per reading', async () => {
  const key = generateDeviceKey('HS256');
  const p = await startTestPlatform();
  try {
    const post = (url: string, payload: object) => p.http.inject({ method: 'POST', url, headers: p.auth, payload });
    for (const o of [mombasaOffice, malabaOffice]) await post('/api/v1/offices', o);
    await post('/api/v1/devices', { id: 'BAT-1', class: 'active', kind: 'tracker', protocol: 'native', key: key.registration });
    const m = (await post('/api/v1/movements', buildMovementBody({ devices: ['BAT-1'] }))).json();
    await post(`/api/v1/movements/${m.id}/start`, { time: new Date(Date.now() - 3600_000).toISOString() });
    const levels = [40, 30, 21, 20, 19, 18];
    await p.ctx.ingest.ingest(
      levels.map((level, i) =>
        signMessage(key, {
          device: 'BAT-1',
          seq: i + 1,
          time: new Date(Date.now() - (levels.length - i) * 1000).toISOString(),
          battery: { level },
        }),
      ),
      { transport: 'test', remote: null },
    );
    await p.ctx.processor.idle();
    const alerts = (await p.ctx.store.alerts.list({ movement: m.id, type: 'battery_low' }, { limit: 10 })).items;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].severity, 'warning');
    assert.equal(alerts[0].count, 1);
    assert.equal(alerts[0].details.level, 20);
  } finally {
    await p.cleanup();
  }
});
