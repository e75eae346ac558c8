/**
 * Incidents end to end on a real platform: a seal opened and its rope then cut are one seal_broken
 * incident grouping both alerts; a later reading of the same seal joins it without being
 * notified again; the operator acknowledges, assigns, notes and closes it in one place (its
 * alerts follow); another trader sees none of it; a muted movement's alerts are grouped, not notified
 * to the administration that muted it, and only to it: the other administration on the movement is
 * notified as before and can neither lift nor change that mute.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotifiable, type Alert } from '@sealwatch/core';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('incidents', () => {
  let p: P;
  const key = generateDeviceKey('EdDSA');
  const other = generateDeviceKey('EdDSA');
  let movement = '';
  let muted = '';
  let seq = 0;
  const tokens: Record<string, string> = {};
  const admin = (method: string, url: string, payload?: unknown) =>
    p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const as = (who: string, method: string, url: string, payload?: unknown) =>
    p.http.inject({
      method: method as 'POST',
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const send = async (k: typeof key, device: string, body: Record<string, unknown>) => {
    const r = await p.ctx.ingest.ingest(
      [signMessage(k, { device, seq: ++seq, time: new Date().toISOString(), position: { lat: -3.9, lon: 39.5 }, ...body })],
      { transport: 'test', remote: null },
    );
    assert.equal(r[0].status, 'accepted');
    await p.ctx.processor.idle();
  };
  const published: Alert[] = [];

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    p.ctx.bus.subscribe((m) => {
      if (m.kind === 'alert') published.push(m.data);
    });
    for (const o of [
      { id: 'acme', name: 'Acme Freight', kind: 'trader' },
      { id: 'beta', name: 'Beta Logistics', kind: 'trader' },
      { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' },
      { id: 'ura', name: 'URA', kind: 'customs', country: 'UG' },
    ]) {
      assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
    }
    for (const [name, org, role] of [
      ['op', 'kra', 'operator'],
      ['acme', 'acme', 'trader'],
      ['beta', 'beta', 'trader'],
      ['ug', 'ura', 'operator'],
      ['keadm', 'kra', 'admin'],
      ['ugadm', 'ura', 'admin'],
    ]) {
      const u = await admin('POST', '/api/v1/users', {
        username: `${name}.user`,
        name,
        organisation: org,
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      tokens[name] = (await admin('POST', '/api/v1/tokens', { name: `${name} token`, user: u.json().id })).json().token;
    }
    for (const o of [mombasaOffice, malabaOffice]) await admin('POST', '/api/v1/offices', o);
    await admin('POST', '/api/v1/devices', {
      id: 'SEAL-1',
      class: 'active',
      kind: 'e_seal',
      protocol: 'native',
      key: key.registration,
      identifiers: { sealNumber: 'KE-0001234' },
    });
    await admin('POST', '/api/v1/devices', { id: 'SEAL-2', class: 'active', kind: 'e_seal', protocol: 'native', key: other.registration });
    movement = (
      await admin('POST', '/api/v1/movements', {
        ...buildMovementBody({ devices: ['SEAL-1'], seals: ['KE-0001234', 'KE-0009999'] }),
        trader: 'acme',
      })
    ).json().id;
    muted = (await admin('POST', '/api/v1/movements', { ...buildMovementBody({ devices: ['SEAL-2'] }), trader: 'acme' })).json().id;
    for (const m of [movement, muted]) assert.equal((await admin('POST', `/api/v1/movements/${m}/start`, {})).statusCode, 200);
  });
  after(() => p.cleanup());

  test('a seal opened and its rope cut moments later are one seal_broken incident with both alerts, its seal, container and position', async () => {
    await send(key, 'SEAL-1', { seal: { state: 'open', rope: 'inserted' } });
    await send(key, 'SEAL-1', { seal: { state: 'open', rope: 'cut' } });
    const alerts = (await admin('GET', `/api/v1/alerts?movement=${movement}`)).json().items as Alert[];
    assert.deepEqual(alerts.map((a) => a.type).sort(), ['rope_cut', 'seal_opened']);
    const list = (await as('op', 'GET', `/api/v1/incidents?movement=${movement}&status=open`)).json().items;
    assert.equal(list.length, 1);
    const [incident] = list;
    assert.equal(incident.code, 'seal_broken');
    assert.equal(incident.severity, 'critical');
    assert.deepEqual([...incident.alerts].sort(), alerts.map((a) => a.id).sort());
    assert.deepEqual(incident.seals, ['KE-0001234'], 'the seal of the device that reported, not every seal of the movement');
    assert.equal(incident.container, 'CSQU3054383');
    assert.deepEqual(incident.position, { lat: -3.9, lon: 39.5 });
    assert.equal(incident.cause, undefined, 'the grouping key stays inside');
    assert.ok(
      alerts.every((a) => a.details.incident === incident.id),
      'each alert names its incident',
    );
    const notified = published.filter((a) => a.movement === movement && isNotifiable(a)).map((a) => a.type);
    assert.equal(notified.length, 1, `one notification for one event, got ${notified.join(', ')}`);
  });

  test('a later reading of the same seal joins the open incident and is not notified again', async () => {
    published.length = 0;
    await send(key, 'SEAL-1', { seal: { state: 'tampered' } });
    const incidents = (await admin('GET', `/api/v1/incidents?movement=${movement}`)).json().items;
    assert.equal(incidents.length, 1);
    assert.deepEqual([...incidents[0].types].sort(), ['rope_cut', 'seal_opened', 'seal_tampered']);
    const tampered = published.find((a) => a.type === 'seal_tampered');
    assert.ok(tampered);
    assert.equal(isNotifiable(tampered), false);
    assert.deepEqual(tampered.details.quiet, { reason: 'incident_open', revision: 1, incident: incidents[0].id });
  });

  test('another trader sees no incident of the movement: 404, and an empty list', async () => {
    const [incident] = (await admin('GET', `/api/v1/incidents?movement=${movement}`)).json().items;
    assert.equal((await as('acme', 'GET', `/api/v1/incidents/${incident.id}`)).statusCode, 200);
    assert.equal((await as('beta', 'GET', `/api/v1/incidents/${incident.id}`)).statusCode, 404);
    assert.deepEqual((await as('beta', 'GET', '/api/v1/incidents')).json().items, []);
    assert.equal(
      (await as('acme', 'POST', `/api/v1/incidents/${incident.id}/acknowledge`, {})).statusCode,
      403,
      'traders may not act on incidents',
    );
  });

  test('the operator acknowledges, assigns, notes and closes in one place; the alerts follow and stay as evidence', async () => {
    const [incident] = (await admin('GET', `/api/v1/incidents?movement=${movement}`)).json().items;
    const url = `/api/v1/incidents/${incident.id}`;
    assert.equal((await as('op', 'POST', `${url}/acknowledge`, { comment: 'seen' })).statusCode, 200);
    assert.equal((await as('op', 'POST', `${url}/assign`, { assignee: 'Mobile unit 7' })).json().assignee, 'Mobile unit 7');
    assert.equal((await as('op', 'POST', `${url}/note`, {})).statusCode, 400, 'a note needs its text');
    assert.equal((await as('op', 'POST', `${url}/note`, { comment: 'driver called, truck stopped at Mariakani' })).statusCode, 200);
    assert.equal((await as('op', 'POST', `${url}/close`, { outcome: 'confirmed' })).statusCode, 400, 'closing needs a comment');
    const closed = (await as('op', 'POST', `${url}/close`, { outcome: 'confirmed', comment: 'seal cut, cargo checked' })).json();
    assert.equal(closed.status, 'closed');
    assert.deepEqual(
      closed.history.map((h: { action: string }) => h.action),
      ['opened', 'grouped', 'grouped', 'acknowledged', 'assigned', 'noted', 'closed'],
    );
    assert.equal((await as('op', 'POST', `${url}/close`, { outcome: 'confirmed', comment: 'again' })).statusCode, 409);
    const alerts = (await admin('GET', `/api/v1/alerts?movement=${movement}`)).json().items as Alert[];
    assert.equal(alerts.length, 3);
    assert.ok(
      alerts.every((a) => a.status === 'resolved' && a.outcome === 'confirmed' && a.assignee === 'Mobile unit 7'),
      JSON.stringify(alerts.map((a) => [a.type, a.status])),
    );
    assert.equal((await as('op', 'GET', `/api/v1/incidents?movement=${movement}&status=open`)).json().items.length, 0);
    assert.equal((await as('op', 'GET', '/api/v1/incidents/nope')).statusCode, 404);
  });

  test("a mute is its administration's: KRA's mute silences KRA's receivers only; URA is notified, cannot lift or change it, and sets its own", async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    assert.equal(
      (await as('op', 'PUT', `/api/v1/movements/${muted}/mute`, { reason: 'x', until })).statusCode,
      400,
      'a reason of some words',
    );
    assert.equal(
      (
        await as('op', 'PUT', `/api/v1/movements/${muted}/mute`, {
          reason: 'escorted convoy',
          until: new Date(Date.now() - 1000).toISOString(),
        })
      ).statusCode,
      422,
    );
    const mute = await as('op', 'PUT', `/api/v1/movements/${muted}/mute`, { reason: 'escorted convoy, officer on board', until });
    assert.equal(mute.statusCode, 200, mute.body);
    assert.equal(mute.json().organisation, 'kra');
    const mutesOf = async (who: string) =>
      (await as(who, 'GET', '/api/v1/mutes')).json().items.map((m: { movement: string; reason: string }) => [m.movement, m.reason]);
    assert.deepEqual(await mutesOf('op'), [[muted, 'escorted convoy, officer on board']]);
    assert.deepEqual(await mutesOf('ug'), [], "the destination's console sees no mute of its own: its alarm still sounds");
    assert.deepEqual(await mutesOf('beta'), []);

    assert.equal((await as('ug', 'DELETE', `/api/v1/movements/${muted}/mute`)).statusCode, 404, "URA cannot lift KRA's mute");
    const own = await as('ug', 'PUT', `/api/v1/movements/${muted}/mute`, { reason: 'our own pause, border convoy', until });
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(await mutesOf('op'), [[muted, 'escorted convoy, officer on board']], "URA's mute did not change KRA's");
    assert.deepEqual(await mutesOf('ug'), [[muted, 'our own pause, border convoy']]);
    assert.equal((await as('ug', 'DELETE', `/api/v1/movements/${muted}/mute`)).statusCode, 204, 'URA lifts its own');
    assert.deepEqual(await mutesOf('op'), [[muted, 'escorted convoy, officer on board']], "and KRA's stays");

    const hooks: Record<string, string> = {};
    for (const who of ['keadm', 'ugadm']) {
      const r = await as(who, 'POST', '/api/v1/webhooks', {
        url: `http://127.0.0.1:9/${who}`,
        secret: 'a-receiver-secret-0123456789',
        types: ['seal_tampered', 'incident'],
      });
      assert.equal(r.statusCode, 201, r.body);
      hooks[who] = r.json().id;
    }
    published.length = 0;
    await send(other, 'SEAL-2', { seal: { state: 'tampered' } });
    const [alert] = published;
    assert.equal(alert?.type, 'seal_tampered');
    assert.equal(isNotifiable(alert), true, "a mute is not written into the shared alert: it is one administration's");
    assert.equal((await admin('GET', `/api/v1/incidents?movement=${muted}`)).json().items.length, 1, 'still grouped into an incident');
    await p.webhooks.idle();
    const told = async (who: string) =>
      (await admin('GET', `/api/v1/webhooks/${hooks[who]}/deliveries`))
        .json()
        .items.map((d: { eventKey: string }) => d.eventKey.split(':')[0]);
    assert.deepEqual(await told('keadm'), [], "KRA's receiver is silenced by KRA's mute");
    assert.deepEqual((await told('ugadm')).sort(), ['alert', 'incident'], "URA's receiver is told of the alert and the incident");

    assert.equal((await as('op', 'DELETE', `/api/v1/movements/${muted}/mute`)).statusCode, 204);
    assert.equal((await as('op', 'DELETE', `/api/v1/movements/${muted}/mute`)).statusCode, 404);
    assert.deepEqual((await as('op', 'GET', '/api/v1/mutes')).json().items, []);
  });
});
