/**
 * EPCIS 2.0 standing queries on a real platform, reported to a real HTTP receiver on loopback and
 * checked with ajv against GS1's official JSON schema: a trader's subscription receives, signed,
 * only its own movements' events (another trader's never arrive); unsubscribing stops the reports;
 * a scheduled subscription reports what was recorded since its last run, and empty runs when
 * `reportIfEmpty`. Deliveries go through the webhook machinery (queue, signature, delivery log).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { verifyWebhook } from '../notify/webhook-signature';
import { exchangeReferenceDir } from './xsd-validator';

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(exchangeReferenceDir, 'epcis', 'EPCIS-JSON-Schema.json'), 'utf8')));

interface Report {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
interface QueryDoc {
  type: string;
  epcisBody: {
    queryResults: {
      queryName: string;
      subscriptionID: string;
      resultsBody: { eventList: { epcList: string[]; bizStep: string; disposition?: string }[] };
    };
  };
}

describe('EPCIS standing queries (subscriptions)', () => {
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  let clock = Date.now();
  const tokens: Record<string, string> = {};
  const base = 'http://localhost:80';
  const signatureToken = 'acme-signature-token-0123456789';
  const received: Report[] = [];
  let receiver: Server;
  let dest = '';
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
  let mine = '';
  let theirs = '';
  const SUBS = '/epcis/queries/SimpleEventQuery/subscriptions';
  /** Queues what was published, sends what is due, and answers the reports received at `path` since `from`. */
  const deliver = async (path: string, from = 0) => {
    await p.ctx.processor.idle();
    await p.epcisSubscriptions.idle();
    await p.webhooks.deliverDue();
    return received.slice(from).filter((r) => r.path === path);
  };
  const docOf = (r: Report) => JSON.parse(r.body) as QueryDoc;
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
          epcList: [`${base}/epcis/id/seal/${seal}`],
          disposition: 'container_open',
        },
      ],
    },
  });

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    dest = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' }, { now: () => clock });
    for (const o of [mombasaOffice, malabaOffice]) await call(null, 'POST', '/api/v1/offices', o);
    for (const o of [
      { id: 'acme', name: 'Acme', kind: 'trader' },
      { id: 'beta', name: 'Beta', kind: 'trader' },
    ])
      await call(null, 'POST', '/api/v1/organisations', o);
    for (const name of ['acme', 'beta']) {
      const u = await call(null, 'POST', '/api/v1/users', {
        username: `${name}.u`,
        name,
        organisation: name,
        roles: ['trader'],
        password: `pw-${name}-long-enough`,
      });
      tokens[name] = (await call(null, 'POST', '/api/v1/tokens', { name, user: u.json().id })).json().token;
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
    receiver.close();
    await p?.cleanup();
  });

  test('a subscription needs SimpleEventQuery, either stream or a schedule in the standard grammar, and a signatureToken', async () => {
    const body = { dest: `${dest}/x`, signatureToken, stream: true };
    assert.equal((await call('acme', 'POST', '/epcis/queries/MyQuery/subscriptions', body)).json().code, 'unknown_query');
    const neither = await call('acme', 'POST', SUBS, { dest: `${dest}/x`, signatureToken });
    assert.equal(neither.statusCode, 400);
    assert.equal(neither.json().code, 'invalid_subscription');
    const both = await call('acme', 'POST', SUBS, { ...body, schedule: { minute: '5' } });
    assert.equal(both.json().code, 'invalid_subscription');
    const badSchedule = await call('acme', 'POST', SUBS, { dest: `${dest}/x`, signatureToken, schedule: { minute: '61' } });
    assert.equal(badSchedule.json().code, 'invalid_subscription');
    assert.match(badSchedule.json().detail, /minute: 61 is outside 0–59/);
    assert.equal((await call('acme', 'POST', SUBS, { dest: `${dest}/x`, stream: true })).statusCode, 400, 'no signatureToken');
    assert.equal((await call('acme', 'GET', SUBS)).json().length, 0, 'nothing was stored');
  });

  test("a trader's streaming subscription receives its own movements' events, signed and valid; another trader's never arrive; unsubscribing stops them", async () => {
    const created = await call('acme', 'POST', SUBS, { dest: `${dest}/acme`, signatureToken, stream: true });
    assert.equal(created.statusCode, 201, created.body);
    const sub = created.json();
    assert.equal(sub.signatureToken, undefined, 'the token is never shown');
    assert.equal(created.headers.location, `${base}${SUBS}/${sub.subscriptionID}`);
    assert.equal(sub.stream, true);
    // Beta's own subscription, to its own path: it must never get Acme's events either.
    const betaSub = (
      await call('beta', 'POST', SUBS, { dest: `${dest}/beta`, signatureToken: 'beta-signature-token-012345', stream: true })
    ).json();

    for (const m of [mine, theirs]) assert.equal((await call(null, 'POST', `/api/v1/movements/${m}/start`, {})).statusCode, 200);
    clock += 10_000; // the seals break after the departure
    for (const [who, seal] of [
      ['acme', 'KE-7700001'],
      ['beta', 'KE-9900009'],
    ])
      assert.equal((await call(who, 'POST', '/epcis/capture', sealBroken(seal))).statusCode, 202);

    const reports = await deliver('/acme');
    assert.equal(reports.length, 2, 'the departure and the broken seal');
    const events = [];
    for (const r of reports) {
      assert.ok(validate(JSON.parse(r.body)), JSON.stringify(validate.errors));
      const timestamp = Number(r.headers['x-sealwatch-timestamp']);
      assert.ok(verifyWebhook(signatureToken, timestamp, r.body, r.headers['gs1-signature'] as string), 'GS1-Signature verifies');
      assert.equal(r.headers['gs1-signature'], r.headers['x-sealwatch-signature']);
      const doc = docOf(r);
      assert.equal(doc.type, 'EPCISQueryDocument');
      assert.equal(doc.epcisBody.queryResults.subscriptionID, sub.subscriptionID);
      assert.equal(doc.epcisBody.queryResults.queryName, 'SimpleEventQuery');
      events.push(...doc.epcisBody.queryResults.resultsBody.eventList);
    }
    assert.deepEqual(events.map((e) => [e.bizStep, e.disposition]).sort(), [
      ['departing', 'in_transit'],
      ['sensor_reporting', 'container_open'],
    ]);
    assert.ok(events.every((e) => e.epcList.includes(`${base}/epcis/id/container/CSQU3054383`)));
    const acmeBodies = received.filter((r) => r.path === '/acme').map((r) => r.body);
    assert.ok(!acmeBodies.some((b) => b.includes('MSCU1234566') || b.includes('KE-9900009')), "no event of Beta's movement reached Acme");
    const betaBodies = received.filter((r) => r.path === '/beta').map((r) => r.body);
    assert.equal(betaBodies.length, 2, "Beta's own departure and broken seal");
    assert.ok(!betaBodies.some((b) => b.includes('CSQU3054383') || b.includes('KE-7700001')), "no event of Acme's movement reached Beta");

    // Read back: Acme's own, with lastNotifiedAt; Beta neither lists nor reads nor removes it.
    const read = (await call('acme', 'GET', `${SUBS}/${sub.subscriptionID}`)).json();
    assert.equal(read.dest, `${dest}/acme`);
    assert.ok(read.lastNotifiedAt);
    assert.deepEqual(
      (await call('acme', 'GET', SUBS)).json().map((s: { subscriptionID: string }) => s.subscriptionID),
      [sub.subscriptionID],
    );
    assert.deepEqual(
      (await call('beta', 'GET', SUBS)).json().map((s: { subscriptionID: string }) => s.subscriptionID),
      [betaSub.subscriptionID],
    );
    assert.equal((await call('beta', 'GET', `${SUBS}/${sub.subscriptionID}`)).statusCode, 404);
    assert.equal((await call('beta', 'DELETE', `${SUBS}/${sub.subscriptionID}`)).statusCode, 404);

    // Unsubscribed: the arrival is reported to nobody at /acme.
    assert.equal((await call('acme', 'DELETE', `${SUBS}/${sub.subscriptionID}`)).statusCode, 204);
    assert.equal((await call('acme', 'GET', `${SUBS}/${sub.subscriptionID}`)).statusCode, 404);
    const before = received.length;
    assert.equal((await call(null, 'POST', `/api/v1/movements/${mine}/arrive`, {})).statusCode, 200);
    assert.equal((await deliver('/acme', before)).length, 0);
    assert.equal((await call('beta', 'DELETE', `${SUBS}/${betaSub.subscriptionID}`)).statusCode, 204);
  });

  test('a scheduled subscription reports the events recorded since its last run at each query time, and an empty report when reportIfEmpty', async () => {
    // Start on a whole minute + 10 s, schedule at second 0 of every minute.
    clock = Math.ceil(clock / 60_000) * 60_000 + 10_000;
    const created = await call('acme', 'POST', SUBS, {
      dest: `${dest}/scheduled`,
      signatureToken,
      schedule: { second: '0' },
      reportIfEmpty: true,
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().subscriptionID;
    assert.equal(await p.epcisSubscriptions.runSchedules(), 0, 'the query time has not come yet');

    clock += 5_000;
    const ended = await call(null, 'POST', `/api/v1/movements/${mine}/end`, {});
    assert.equal(ended.statusCode, 200, ended.body);
    // A new movement of Acme's departs during the minute: its departure is the report's one event (the end has no EPCIS meaning).
    const next = (await call(null, 'POST', '/api/v1/movements', { ...buildMovementBody(), trader: 'acme' })).json().id;
    assert.equal((await call(null, 'POST', `/api/v1/movements/${next}/start`, {})).statusCode, 200);
    clock += 50_000; // past second 0 of the next minute
    await p.epcisSubscriptions.runSchedules();
    let reports = await deliver('/scheduled');
    assert.equal(reports.length, 1);
    assert.ok(validate(JSON.parse(reports[0].body)), JSON.stringify(validate.errors));
    const listed = docOf(reports[0]).epcisBody.queryResults.resultsBody.eventList as unknown as {
      bizStep: string;
      bizTransactionList: { bizTransaction: string }[];
    }[];
    assert.deepEqual(
      listed.map((e) => [e.bizStep, e.bizTransactionList[0].bizTransaction]),
      [['departing', `${base}/epcis/id/movement/${next}`]],
      'only what was recorded since the subscription',
    );
    assert.equal(docOf(reports[0]).epcisBody.queryResults.subscriptionID, id);

    // Only the arrival of Beta's movement (not in Acme's scope) is recorded during the next minute: an empty report.
    const beforeRun = received.length;
    assert.equal((await call(null, 'POST', `/api/v1/movements/${theirs}/arrive`, {})).statusCode, 200);
    const betaArrival = (await call('beta', 'GET', `/epcis/events?EQ_bizStep=arriving`)).json().epcisBody.queryResults.resultsBody
      .eventList;
    assert.equal(betaArrival.length, 1, "the arrival is an EPCIS event, in Beta's scope");
    clock += 60_000;
    await p.epcisSubscriptions.runSchedules();
    reports = await deliver('/scheduled', beforeRun);
    assert.equal(reports.length, 1);
    assert.ok(validate(JSON.parse(reports[0].body)), JSON.stringify(validate.errors));
    assert.deepEqual(docOf(reports[0]).epcisBody.queryResults.resultsBody.eventList, [], "Beta's event is not in Acme's report");
    assert.equal(
      (await call('acme', 'GET', `${SUBS}/${id}`)).json().minRecordTime,
      new Date(Math.floor(clock / 60_000) * 60_000).toISOString(),
    );
    assert.equal((await call('acme', 'DELETE', `${SUBS}/${id}`)).statusCode, 204);
  });
});
