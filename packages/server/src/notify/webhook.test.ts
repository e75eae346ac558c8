import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { verifyWebhook } from './webhook-signature';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let clock = Date.now();
const t0 = clock - 3600_000;
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
const secret = 'a-receiver-secret-0123456789';

/** A receiver on 127.0.0.1 that answers 503, 500, then 204, and keeps every request. */
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const answers = [503, 500];
let receiver: Server;
let url = '';

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sealwatch`;
  p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_ALERT_ESCALATE_S: '600' }, { now: () => clock });
  for (const o of [mombasaOffice, malabaOffice])
    await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: o });
});
after(async () => {
  receiver.close();
  await p?.cleanup();
});

test('webhooks: the secret is never shown; a tamper alert is delivered signed after two failures, with every attempt logged; escalation sends it again', async () => {
  const created = await p.http.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: p.auth,
    payload: { url, secret, types: ['seal_tampered'] },
  });
  assert.equal(created.statusCode, 201, created.body);
  const hook = created.json();
  assert.equal(hook.secret, undefined);
  assert.ok(!(await p.http.inject({ method: 'GET', url: '/api/v1/webhooks', headers: p.auth })).body.includes(secret));
  assert.equal(
    (await p.http.inject({ method: 'POST', url: '/api/v1/webhooks', headers: p.auth, payload: { url: 'ftp://x', secret } })).statusCode,
    400,
  );

  const key = generateDeviceKey('HS256');
  await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id: 'WH-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration },
  });
  const m = (
    await p.http.inject({ method: 'POST', url: '/api/v1/movements', headers: p.auth, payload: buildMovementBody({ devices: ['WH-1'] }) })
  ).json();
  await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/start`, headers: p.auth, payload: { time: at(0) } });
  const jws = signMessage(key, { device: 'WH-1', seq: 1, time: at(5), seal: { state: 'tampered' } });
  assert.equal(
    (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': 'application/jose' }, payload: jws }))
      .statusCode,
    200,
  );
  await p.ctx.processor.idle();

  // Attempt 1 now, attempt 2 after 5 s, attempt 3 after 10 s more: the clock is moved, nothing waits.
  // (The platform's own timer may run a round as well; rounds are serialised, so count what arrived.)
  for (const [i, step] of [0, 5_000, 10_000].entries()) {
    clock += step;
    await p.webhooks.deliverDue();
    assert.equal(received.length, i + 1);
  }
  assert.equal(await p.webhooks.deliverDue(), 0, 'nothing left to send');
  assert.equal(received.length, 3);
  for (const r of received) {
    const ts = Number(r.headers['x-sealwatch-timestamp']);
    assert.ok(verifyWebhook(secret, ts, r.body, String(r.headers['x-sealwatch-signature'])), 'signature checks out');
    assert.ok(!verifyWebhook('another-secret-0123456789', ts, r.body, String(r.headers['x-sealwatch-signature'])));
  }
  const sent = JSON.parse(received[2].body);
  assert.equal(sent.kind, 'alert');
  assert.equal(sent.change, 'opened');
  assert.equal(sent.alert.type, 'seal_tampered');
  assert.equal(sent.alert.movement, m.id);

  const log = (await p.http.inject({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, headers: p.auth })).json();
  assert.equal(log.items.length, 1);
  assert.equal(log.items[0].status, 'delivered');
  assert.deepEqual(
    log.items[0].attempts.map((a: { status: number }) => a.status),
    [503, 500, 204],
  );

  // Nobody acknowledged it: ten minutes later it is escalated and sent again.
  clock += 600_000;
  const escalated = await p.escalation.escalateDue();
  assert.deepEqual(
    escalated.map((a) => a.type),
    ['seal_tampered'],
  );
  assert.equal(escalated[0].history.at(-1)?.action, 'escalated');
  await p.webhooks.deliverDue();
  assert.equal(received.length, 4);
  assert.equal(JSON.parse(received[3].body).change, 'escalated');
  assert.deepEqual(await p.escalation.escalateDue(), [], 'escalated once');

  assert.equal((await p.http.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: p.auth })).statusCode, 204);
  const gone = await p.http.inject({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, headers: p.auth });
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json().code, 'unknown_webhook');
});

test('webhooks: a receiver that names `incident` gets the incident opened, once, and not the alerts', async () => {
  const created = await p.http.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: p.auth,
    payload: { url, secret, types: ['incident'] },
  });
  assert.equal(created.statusCode, 201, created.body);
  const key = generateDeviceKey('HS256');
  await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: p.auth,
    payload: { id: 'WH-2', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration },
  });
  const m = (
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/movements',
      headers: p.auth,
      payload: buildMovementBody({ devices: ['WH-2'], reference: 'WH-INC-1' }),
    })
  ).json();
  await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/start`, headers: p.auth, payload: { time: at(0) } });
  const before = received.length;
  const jws = signMessage(key, { device: 'WH-2', seq: 1, time: at(6), seal: { state: 'tampered' } });
  await p.http.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': 'application/jose' }, payload: jws });
  await p.ctx.processor.idle();
  await p.webhooks.idle();
  await p.webhooks.deliverDue();
  const bodies = received.slice(before).map((r) => JSON.parse(r.body));
  assert.deepEqual(
    bodies.map((b) => [b.kind, b.change]),
    [['incident', 'opened']],
  );
  assert.equal(bodies[0].incident.code, 'seal_broken');
  assert.equal(bodies[0].incident.movement, m.id);
  const incident = bodies[0].incident;
  assert.deepEqual(await p.webhooks.enqueueIncident(incident), [], 'the same change is queued once');
});
