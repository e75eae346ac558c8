/**
 * Degraded states become platform alerts: opened while a check is degraded or failing, cleared
 * when it is ok, listed by the API the console reads and carried by webhooks; a store outage is
 * recorded once the store answers again, with the times it began and ended.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '@sealwatch/core';
import { startTestPlatform } from '../testing/test-platform';
import type { Store } from '../storage/ports';
import { PlatformAlerts } from './platform-alerts';

let p: Awaited<ReturnType<typeof startTestPlatform>>;
let receiver: Server;
const received: { kind: string; change: string; alert: Alert }[] = [];
let clock = Date.parse('2026-12-07T01:00:00Z');

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  p = await startTestPlatform({}, { now: () => clock });
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const hook = await p.http.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: p.auth,
    payload: { url, secret: 'a-receiver-secret-0123456789' },
  });
  assert.equal(hook.statusCode, 201, hook.body);
});
after(async () => {
  receiver.close();
  await p?.cleanup();
});

async function platformAlerts(): Promise<Alert[]> {
  const r = await p.http.inject({ method: 'GET', url: '/api/v1/alerts?type=platform_degraded', headers: p.auth });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items;
}

async function delivered(): Promise<{ change: string; check: unknown; status: unknown }[]> {
  await p.webhooks.idle();
  await p.webhooks.deliverDue();
  // Deliveries due at one instant may go in any order: the alert's revision orders the changes.
  return received
    .filter((r) => r.kind === 'alert')
    .sort((a, b) => a.alert.revision - b.alert.revision)
    .map((r) => ({ change: r.change, check: r.alert.details.check, status: r.alert.details.status }));
}

test('a low disk opens a minor platform alert, failing raises it to major, ok clears it; the API lists it and webhooks carry each change', async () => {
  const alerts = new PlatformAlerts({
    store: p.ctx.store,
    bus: p.ctx.bus,
    now: () => clock,
    newId: p.ctx.newId,
    instance: 'node-a',
    log: { warn: () => {} },
  });
  alerts.report('disk', { status: 'degraded', detail: '0.80 GB free under /srv' });
  await alerts.apply();
  let [a] = await platformAlerts();
  assert.equal(a.movement, null);
  assert.equal(a.device, null);
  assert.equal(a.severity, 'minor');
  assert.deepEqual([a.details.check, a.details.status, a.details.instance], ['disk', 'degraded', 'node-a']);

  clock += 60_000;
  alerts.report('disk', { status: 'failing', detail: '0.05 GB free under /srv' });
  alerts.report('disk', { status: 'ok', detail: '40 GB free under /srv' });
  await alerts.apply();
  const list = await platformAlerts();
  assert.equal(list.length, 1, 'one alert per check and process');
  [a] = list;
  assert.equal(a.severity, 'major', 'failing ranks major');
  assert.equal(a.count, 2);
  assert.deepEqual(a.details.cleared, { at: new Date(clock).toISOString(), reason: 'ended' });
  assert.deepEqual(
    (await delivered()).filter((d) => d.check === 'disk'),
    [
      { change: 'opened', check: 'disk', status: 'degraded' },
      { change: 'repeated', check: 'disk', status: 'failing' },
      { change: 'cleared', check: 'disk', status: 'failing' },
    ],
  );
});

test('a store outage is recorded when the store answers again: opened and cleared at the times it began and ended', async () => {
  let down = true;
  const failing = <T extends object>(o: T): T =>
    new Proxy(o, {
      get: (t, k) => {
        const v = Reflect.get(t, k);
        return typeof v === 'function'
          ? (...args: unknown[]) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : v.apply(t, args))
          : v;
      },
    });
  const store: Pick<Store, 'alerts' | 'processing'> = { alerts: failing(p.ctx.store.alerts), processing: failing(p.ctx.store.processing) };
  const warnings: string[] = [];
  const alerts = new PlatformAlerts({
    store,
    bus: p.ctx.bus,
    now: () => clock,
    newId: p.ctx.newId,
    instance: 'node-a',
    log: { warn: (_o, m) => void warnings.push(m) },
  });
  const began = clock;
  alerts.report('store', { status: 'failing', detail: 'connect ECONNREFUSED 127.0.0.1:5432' });
  await alerts.apply();
  assert.equal((await platformAlerts()).filter((a) => a.details.check === 'store').length, 0, 'nothing could be recorded yet');
  assert.equal(warnings.length, 1);

  clock += 90_000;
  down = false;
  alerts.report('store', { status: 'ok', detail: 'postgres answers' });
  await alerts.apply();
  const [a] = (await platformAlerts()).filter((x) => x.details.check === 'store');
  assert.equal(a.time, new Date(began).toISOString(), 'opened when the outage began');
  assert.deepEqual(a.details.cleared, { at: new Date(clock).toISOString(), reason: 'ended' });
  assert.equal(a.severity, 'major');
  assert.deepEqual(
    (await delivered()).filter((d) => d.check === 'store').map((d) => d.change),
    ['opened', 'cleared'],
  );
});
