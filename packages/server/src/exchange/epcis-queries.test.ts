/**
 * EPCIS 2.0 named queries and their WebSocket subscriptions on a real platform listening on
 * loopback, with a real WebSocket client (ws) and every document checked with ajv against GS1's
 * official JSON schema: queries are validated against GS1's query schema and belong to their
 * organisation; a query's events are its parameters over the caller's scope; a subscriber receives
 * each new matching event of its scope and nothing of another party's; the socket closes when its
 * token is revoked (4401), its user's roles change (4403) or its query is deleted (4404).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import WebSocket from 'ws';
import type { DomainEvent } from '@sealwatch/core';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import type { EpcisSocketHub } from './epcis-sockets';
import { exchangeReferenceDir } from './xsd-validator';

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(exchangeReferenceDir, 'epcis', 'EPCIS-JSON-Schema.json'), 'utf8')));

interface QueryDoc {
  type: string;
  epcisBody: {
    queryResults: {
      queryName: string;
      subscriptionID?: string;
      resultsBody: { eventList: { epcList: string[]; bizStep: string; disposition?: string; recordTime: string }[] };
    };
  };
}

/** A real WebSocket client that keeps every message (each checked against GS1's schema) and can wait for the next one or the close. */
class Subscriber {
  readonly docs: QueryDoc[] = [];
  private waiting: ((d: QueryDoc) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<{ status: number; headers: Record<string, unknown>; body?: string }>;
  readonly ws: WebSocket;

  constructor(url: string, token: string | null, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    this.opened = new Promise((resolve) => {
      this.ws.on('upgrade', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      this.ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
    });
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('message', (data) => {
      const doc = JSON.parse(data.toString()) as QueryDoc;
      assert.ok(validate(doc), `valid against GS1's schema: ${JSON.stringify(validate.errors)}`);
      this.docs.push(doc);
      const waiting = this.waiting;
      this.waiting = [];
      for (const w of waiting) w(doc);
    });
  }

  /** The message number `n` (0-based), when it has come. */
  message(n: number): Promise<QueryDoc> {
    if (this.docs.length > n) return Promise.resolve(this.docs[n]);
    return new Promise((resolve) => {
      const want = () => (this.docs.length > n ? resolve(this.docs[n]) : this.waiting.push(want));
      this.waiting.push(want);
    });
  }
}

const eventsOf = (d: QueryDoc) => d.epcisBody.queryResults.resultsBody.eventList;

describe('EPCIS named queries and WebSocket subscriptions', () => {
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  let hub: EpcisSocketHub;
  let clock = Date.now();
  let ws = '';
  const tokens: Record<string, string> = {};
  const tokenIds: Record<string, string> = {};
  const users: Record<string, string> = {};
  const injectBase = 'http://localhost:80';
  let mine = '';
  let theirs = '';
  const open: Subscriber[] = [];
  const call = (who: string | null, method: string, url: string, payload?: unknown) =>
    p.http.inject({
      method: method as 'POST',
      url,
      headers: {
        authorization: who ? `Bearer ${tokens[who]}` : p.auth.authorization,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const subscribe = (who: string, path: string) => {
    const s = new Subscriber(`${ws}${path}`, tokens[who]);
    open.push(s);
    return s;
  };
  const sealBroken = (seal: string) => ({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date(clock).toISOString(),
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent',
          eventTime: new Date(clock - 1000).toISOString(),
          eventTimeZoneOffset: '+03:00',
          action: 'OBSERVE',
          epcList: [`${injectBase}/epcis/id/seal/${seal}`],
          disposition: 'container_open',
        },
      ],
    },
  });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clock });
    const address = await p.listen();
    ws = address.replace(/^http/, 'ws');
    hub = (p.http as unknown as { epcisSockets: EpcisSocketHub }).epcisSockets;
    for (const o of [mombasaOffice, malabaOffice]) await call(null, 'POST', '/api/v1/offices', o);
    for (const o of [
      { id: 'acme', name: 'Acme', kind: 'trader' },
      { id: 'beta', name: 'Beta', kind: 'trader' },
      { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
    ])
      assert.equal((await call(null, 'POST', '/api/v1/organisations', o)).statusCode, 201);
    for (const [name, org, roles] of [
      ['acme', 'acme', ['trader']],
      ['acme2', 'acme', ['trader']],
      ['beta', 'beta', ['trader']],
      ['kra', 'kra', ['officer']],
    ] as const) {
      const u = await call(null, 'POST', '/api/v1/users', {
        username: `${name}.u`,
        name,
        organisation: org,
        roles,
        password: `pw-${name}-long-enough`,
      });
      users[name] = u.json().id;
      const t = (await call(null, 'POST', '/api/v1/tokens', { name, user: users[name] })).json();
      tokens[name] = t.token;
      tokenIds[name] = t.id;
    }
    for (const [id, seal] of [
      ['SEAL-ACME', 'KE-7700001'],
      ['SEAL-BETA', 'KE-9900009'],
    ])
      await call(null, 'POST', '/api/v1/devices', {
        id,
        class: 'semi_active',
        kind: 'e_seal',
        protocol: 'epcis',
        identifiers: { sealNumber: seal },
      });
    mine = (
      await call(null, 'POST', '/api/v1/movements', {
        ...buildMovementBody({ devices: ['SEAL-ACME'], seals: ['KE-7700001'] }),
        trader: 'acme',
      })
    ).json().id;
    theirs = (
      await call(null, 'POST', '/api/v1/movements', {
        ...buildMovementBody({ container: 'MSCU1234566', devices: ['SEAL-BETA'], seals: ['KE-9900009'] }),
        trader: 'beta',
      })
    ).json().id;
  });
  after(async () => {
    for (const s of open) s.ws.terminate();
    await p?.cleanup();
  });

  test("a named query is checked against GS1's query schema and the parameters answered here, and is its organisation's own", async () => {
    const bad = await call('acme', 'POST', '/epcis/queries', { name: 'x', query: { EQ_bizStep: 'shipping' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'invalid_query');
    assert.match(bad.json().detail, /GS1's query schema/);
    const unknown = await call('acme', 'POST', '/epcis/queries', { name: 'x', query: { EQ_colour: ['red'] } });
    assert.equal(unknown.json().code, 'invalid_query');
    assert.match(unknown.json().detail, /additional properties \(EQ_colour\)/, 'the unknown member is named');
    const unsupported = await call('acme', 'POST', '/epcis/queries', { name: 'x', query: { EQ_action: ['ADD'], EQ_quantity: [1] } });
    assert.equal(unsupported.statusCode, 400);
    assert.deepEqual(
      unsupported.json().details.errors.map((e: { path: string }) => e.path),
      ['query.EQ_action', 'query.EQ_quantity'],
      'each parameter not answered here is named, none is ignored',
    );
    assert.equal((await call('acme', 'POST', '/epcis/queries', { name: 'SimpleEventQuery', query: {} })).json().code, 'query_exists');
    assert.equal((await call('acme', 'POST', '/epcis/queries', { name: 'a/b', query: {} })).statusCode, 400);

    const query = { EQ_disposition: ['container_open'], eventType: ['ObjectEvent'] };
    const created = await call('acme', 'POST', '/epcis/queries', { name: 'seals-open', query });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.headers.location, `${injectBase}/epcis/queries/seals-open`);
    assert.deepEqual(created.json(), { name: 'seals-open', query });
    assert.equal((await call('acme', 'POST', '/epcis/queries', { name: 'seals-open', query: {} })).statusCode, 409);
    assert.deepEqual((await call('acme', 'GET', '/epcis/queries/seals-open')).json(), { name: 'seals-open', query });
    assert.deepEqual((await call('acme', 'GET', '/epcis/queries')).json(), [
      { name: 'SimpleEventQuery', query: {} },
      { name: 'seals-open', query },
    ]);
    // Beta knows nothing of Acme's query, and may have one of the same name.
    assert.equal((await call('beta', 'GET', '/epcis/queries/seals-open')).json().code, 'unknown_query');
    assert.equal((await call('beta', 'GET', '/epcis/queries/seals-open/events')).statusCode, 404);
    assert.equal((await call('beta', 'DELETE', '/epcis/queries/seals-open')).statusCode, 404);
    assert.deepEqual((await call('beta', 'GET', '/epcis/queries')).json(), [{ name: 'SimpleEventQuery', query: {} }]);
    assert.equal(
      (await call('beta', 'POST', '/epcis/queries', { name: 'seals-open', query: { EQ_bizStep: ['departing'] } })).statusCode,
      201,
    );
    assert.equal((await call('acme', 'DELETE', '/epcis/queries/SimpleEventQuery')).json().code, 'predefined_query');
    // Paging the list: SimpleEventQuery first, then the organisation's own by name.
    await call('acme', 'POST', '/epcis/queries', { name: 'arrivals', query: { EQ_bizStep: ['arriving'] } });
    const page1 = await call('acme', 'GET', '/epcis/queries?perPage=2');
    assert.deepEqual(
      page1.json().map((q: { name: string }) => q.name),
      ['SimpleEventQuery', 'arrivals'],
    );
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.link as string)![1].replace(injectBase, '');
    assert.deepEqual(
      (await call('acme', 'GET', next)).json().map((q: { name: string }) => q.name),
      ['seals-open'],
    );
    assert.equal((await call('acme', 'DELETE', '/epcis/queries/arrivals')).statusCode, 204);
    assert.equal((await call('acme', 'GET', '/epcis/queries/arrivals')).statusCode, 404);
  });

  test('the WebSocket handshake is the API: authorised, validated, refused with problems', async () => {
    const anonymous = new Subscriber(`${ws}/epcis/queries/SimpleEventQuery/events?stream=true`, 'not-a-token');
    assert.equal((await anonymous.opened).status, 401);
    const both = subscribe('acme', '/epcis/queries/SimpleEventQuery/events?stream=true&minute=5');
    const refused = await both.opened;
    assert.equal(refused.status, 400);
    assert.equal(JSON.parse(refused.body!).code, 'invalid_subscription');
    const neither = await subscribe('acme', '/epcis/queries/SimpleEventQuery/events').opened;
    assert.equal(JSON.parse(neither.body!).code, 'invalid_subscription');
    const badSchedule = await subscribe('acme', '/epcis/queries/SimpleEventQuery/events?minute=61').opened;
    assert.match(JSON.parse(badSchedule.body!).detail, /minute: 61 is outside 0–59/);
    const unknownParameter = await subscribe('acme', '/epcis/queries/SimpleEventQuery/events?stream=true&foo=1').opened;
    assert.equal(unknownParameter.status, 400);
    const notMine = await subscribe('acme', '/epcis/queries/nope/events?stream=true').opened;
    assert.equal(JSON.parse(notMine.body!).code, 'unknown_query');
    // A plain GET with the subscription parameters is not silently answered as a page.
    const plain = await call('acme', 'GET', '/epcis/queries/SimpleEventQuery/events?stream=true');
    assert.equal(plain.json().code, 'invalid_subscription');
  });

  test("subscribers receive each new matching event of their own scope as it is recorded; another party's never arrive", async () => {
    const acmeOpen = subscribe('acme', '/epcis/queries/seals-open/events?stream=true');
    const betaAll = subscribe('beta', '/epcis/queries/SimpleEventQuery/events?stream=true');
    const customs = subscribe('kra', '/epcis/queries/SimpleEventQuery/events?stream=true');
    const handshake = await acmeOpen.opened;
    assert.equal(handshake.status, 101);
    assert.ok(handshake.headers['gs1-query-min-record-time'], 'GS1-Query-Min-Record-Time');
    assert.equal((await betaAll.opened).status, 101);
    assert.equal((await customs.opened).status, 101);

    assert.equal((await call(null, 'POST', `/api/v1/movements/${theirs}/start`, {})).statusCode, 200);
    const betaDeparture = await betaAll.message(0);
    assert.deepEqual(
      eventsOf(betaDeparture).map((e) => [e.bizStep, e.disposition]),
      [['departing', 'in_transit']],
    );
    assert.equal(betaDeparture.epcisBody.queryResults.queryName, 'SimpleEventQuery');
    assert.ok(betaDeparture.epcisBody.queryResults.subscriptionID);
    assert.equal((await call(null, 'POST', `/api/v1/movements/${mine}/start`, {})).statusCode, 200);
    clock += 10_000;
    // Beta's seal breaks first: Acme's query matches broken seals, but not Beta's.
    assert.equal((await call('beta', 'POST', '/epcis/capture', sealBroken('KE-9900009'))).statusCode, 202);
    assert.equal((await call('acme', 'POST', '/epcis/capture', sealBroken('KE-7700001'))).statusCode, 202);

    const acmeFirst = await acmeOpen.message(0);
    assert.deepEqual(
      eventsOf(acmeFirst).map((e) => [e.bizStep, e.disposition]),
      [['sensor_reporting', 'container_open']],
    );
    assert.ok(
      eventsOf(acmeFirst)[0].epcList.some((e) => e.endsWith('/container/CSQU3054383')),
      "Acme's own container",
    );
    assert.equal(acmeFirst.epcisBody.queryResults.queryName, 'seals-open');
    const betaBreak = await betaAll.message(1);
    assert.ok(eventsOf(betaBreak)[0].epcList.some((e) => e.endsWith('/container/MSCU1234566')));
    // Beta's next message is its own arrival, not Acme's departure or broken seal.
    assert.equal((await call(null, 'POST', `/api/v1/movements/${theirs}/arrive`, {})).statusCode, 200);
    const betaArrival = await betaAll.message(2);
    assert.deepEqual(
      eventsOf(betaArrival).map((e) => e.bizStep),
      ['arriving'],
    );
    // Customs of Kenya sees both movements (both depart from Mombasa).
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(...eventsOf(await customs.message(i)));
    assert.equal(seen.filter((e) => e.epcList.some((x) => x.endsWith('/container/CSQU3054383'))).length, 2);
    assert.equal(seen.filter((e) => e.epcList.some((x) => x.endsWith('/container/MSCU1234566'))).length, 3);
    await hub.idle();
    assert.equal(acmeOpen.docs.length, 1, 'Acme: only its own broken seal (its departure does not match the query)');
    for (const d of [...acmeOpen.docs, ...betaAll.docs].map((x) => JSON.stringify(x)))
      assert.ok(!(d.includes('CSQU3054383') && d.includes('MSCU1234566')));
    assert.ok(!betaAll.docs.some((d) => JSON.stringify(d).includes('CSQU3054383')), "no event of Acme's movement reached Beta");

    // The same query read as pages: the GS1 document, Acme's events only.
    const page = await call('acme', 'GET', '/epcis/queries/seals-open/events');
    assert.equal(page.statusCode, 200);
    const doc = page.json() as QueryDoc;
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.equal(doc.epcisBody.queryResults.queryName, 'seals-open');
    assert.equal(eventsOf(doc).length, 1);
    assert.ok(!page.body.includes('MSCU1234566'));
  });

  test('a scheduled WebSocket subscription reports the matching events recorded since its last run at each query time', async () => {
    const scheduled = subscribe(
      'acme',
      '/epcis/queries/SimpleEventQuery/events?second=0&reportIfEmpty=true&initialRecordTime=2000-01-01T00:00:00Z',
    );
    assert.equal((await scheduled.opened).status, 101);
    clock = Math.ceil(clock / 60_000) * 60_000 + 1000; // just past a whole minute
    await hub.runSchedules();
    const first = await scheduled.message(0);
    const events = eventsOf(first);
    assert.deepEqual(events.map((e) => e.bizStep).sort(), ['departing', 'sensor_reporting'], "Acme's departure and broken seal");
    assert.ok(!JSON.stringify(first).includes('MSCU1234566'));
    clock += 60_000;
    await hub.runSchedules();
    assert.equal(eventsOf(await scheduled.message(1)).length, 0, 'nothing new: an empty report, as reportIfEmpty asks');
    scheduled.ws.close();
    await scheduled.closed;
  });

  test('a webhook subscription to a named query reports only the events that match its parameters', async () => {
    assert.equal((await call('acme', 'POST', '/epcis/queries', { name: 'arrivals', query: { EQ_bizStep: ['arriving'] } })).statusCode, 201);
    const created = await call('acme', 'POST', '/epcis/queries/arrivals/subscriptions', {
      dest: 'http://127.0.0.1:9/acme',
      signatureToken: 'acme-signature-token-0123456789',
      stream: true,
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().subscriptionID;
    assert.equal(
      (
        await call('beta', 'POST', '/epcis/queries/arrivals/subscriptions', {
          dest: 'http://127.0.0.1:9/b',
          signatureToken: 'x'.repeat(16),
          stream: true,
        })
      ).json().code,
      'unknown_query',
    );
    // A broken seal on Acme's movement is in Acme's scope but not an arrival: nothing is queued.
    const sealEvent = {
      id: 'synthetic-seal-opened',
      type: 'seal_opened',
      movement: mine,
      device: 'SEAL-ACME',
      time: new Date(clock).toISOString(),
      details: {},
      observation: null,
      createdAt: new Date(clock).toISOString(),
    } as unknown as DomainEvent;
    assert.deepEqual(await p.epcisSubscriptions.onEvent(sealEvent), []);
    clock += 1000;
    assert.equal((await call(null, 'POST', `/api/v1/movements/${mine}/arrive`, {})).statusCode, 200);
    await p.ctx.processor.idle();
    await p.epcisSubscriptions.idle();
    const queued = (await p.ctx.store.webhooks.deliveries(id, { limit: 10 })).items;
    assert.equal(queued.length, 1, 'the arrival only');
    const doc = (queued[0].payload as { document: QueryDoc }).document;
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.equal(doc.epcisBody.queryResults.queryName, 'arrivals');
    assert.deepEqual(
      eventsOf(doc).map((e) => e.bizStep),
      ['arriving'],
    );
    // Deleting the query ends its subscriptions.
    assert.equal((await call('acme', 'DELETE', '/epcis/queries/arrivals')).statusCode, 204);
    assert.equal((await call('acme', 'GET', `/epcis/queries/SimpleEventQuery/subscriptions/${id}`)).statusCode, 404);
    assert.equal(await p.ctx.store.webhooks.get(id), null);
  });

  test('a socket closes when its token is revoked (4401), its user is disabled (4401), its roles change (4403) or its query is deleted (4404)', async () => {
    const revoked = subscribe('acme2', '/epcis/queries/SimpleEventQuery/events?stream=true');
    assert.equal((await revoked.opened).status, 101);
    assert.equal((await call(null, 'DELETE', `/api/v1/tokens/${tokenIds.acme2}`)).statusCode, 204);
    assert.equal((await revoked.closed).code, 4401);

    const deleted = subscribe('acme', '/epcis/queries/seals-open/events?stream=true');
    assert.equal((await deleted.opened).status, 101);
    assert.equal((await call('acme', 'DELETE', '/epcis/queries/seals-open')).statusCode, 204);
    assert.deepEqual(await deleted.closed, { code: 4404, reason: 'query deleted' });
    // Beta's query of the same name is untouched.
    assert.equal((await call('beta', 'GET', '/epcis/queries/seals-open')).statusCode, 200);

    const officer = subscribe('kra', '/epcis/queries/SimpleEventQuery/events?stream=true');
    assert.equal((await officer.opened).status, 101);
    assert.equal((await call(null, 'PATCH', `/api/v1/users/${users.kra}`, { roles: ['operator'] })).statusCode, 200);
    assert.equal((await officer.closed).code, 4403);

    const disabled = subscribe('beta', '/epcis/queries/SimpleEventQuery/events?stream=true');
    assert.equal((await disabled.opened).status, 101);
    assert.equal((await call(null, 'PATCH', `/api/v1/users/${users.beta}`, { disabled: true })).statusCode, 200);
    assert.equal((await disabled.closed).code, 4401);
  });

  test("a console session subscribes over a WebSocket only from this installation's own pages (no cross-site socket on its cookie)", async () => {
    const login = await p.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'acme.u', password: 'pw-acme-long-enough' },
    });
    assert.equal(login.statusCode, 200, login.body);
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] as string | string[])
      .map((c) => c.split(';')[0])
      .join('; ');
    const path = `${ws}/epcis/queries/SimpleEventQuery/events?stream=true`;
    const crossSite = new Subscriber(path, null, { cookie, origin: 'https://elsewhere.example' });
    const refused = await crossSite.opened;
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.body!).code, 'forbidden');
    const own = new Subscriber(path, null, { cookie, origin: ws.replace(/^ws/, 'http') });
    open.push(own);
    assert.equal((await own.opened).status, 101);
    // Signing out ends the session: the socket goes with it.
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-sealwatch-csrf': /sw_csrf=([^;]+)/.exec(cookie)![1] },
    });
    assert.equal((await own.closed).code, 4401);
  });
});
