/**
 * GS1 EPCIS 2.0 on a real platform, checked with ajv against GS1's official JSON schema (the copy
 * in ../shared/reference, not the server's own): every one of GS1's 47 example documents captures
 * without error; an invalid document is a 400 with nothing stored; a seal applied and a reader's
 * read captured by a trader's and an officer's system become observations; the query answers a
 * valid EPCISQueryDocument of the caller's movements only, under each standard parameter and paging.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { exchangeReferenceDir } from './xsd-validator';

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(exchangeReferenceDir, 'epcis', 'EPCIS-JSON-Schema.json'), 'utf8')));
const examplesDir = new URL('./fixtures/gs1-epcis/', import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.jsonld'));

describe('GS1 EPCIS 2.0', () => {
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  const tokens: Record<string, string> = {};
  const base = 'http://localhost:80';
  const call = (who: string | null, method: string, url: string, payload?: unknown, type = 'application/json') =>
    p.http.inject({
      method: method as 'POST',
      url,
      headers: { authorization: who ? `Bearer ${tokens[who]}` : p.auth.authorization, 'content-type': type },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  let mine = '';
  let theirs = '';

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [mombasaOffice, malabaOffice]) await call(null, 'POST', '/api/v1/offices', o);
    for (const o of [
      { id: 'acme', name: 'Acme', kind: 'trader' },
      { id: 'beta', name: 'Beta', kind: 'trader' },
      { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' },
    ])
      await call(null, 'POST', '/api/v1/organisations', o);
    for (const [name, org, role] of [
      ['acme', 'acme', 'trader'],
      ['beta', 'beta', 'trader'],
      ['officer', 'kra', 'officer'],
    ]) {
      const u = await call(null, 'POST', '/api/v1/users', {
        username: `${name}.u`,
        name,
        organisation: org,
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      tokens[name] = (await call(null, 'POST', '/api/v1/tokens', { name, user: u.json().id })).json().token;
    }
    // An e-seal whose events arrive through EPCIS, and a fixed reader at the Mombasa gate.
    await call(null, 'POST', '/api/v1/devices', {
      id: 'EPCIS-SEAL-1',
      class: 'semi_active',
      kind: 'e_seal',
      protocol: 'epcis',
      identifiers: { sealNumber: 'KE-7700001' },
    });
    await call(null, 'POST', '/api/v1/devices', {
      id: 'GATE-READER-1',
      class: 'passive',
      kind: 'reader',
      protocol: 'rfid',
      // The administration's own reader: reads are taken from the reader's owner only.
      owner: 'kra',
      location: { lat: -4.0435, lon: 39.6682 },
    });
    mine = (
      await call(null, 'POST', '/api/v1/movements', {
        ...buildMovementBody({ devices: ['EPCIS-SEAL-1'], seals: ['KE-7700001'] }),
        trader: 'acme',
      })
    ).json().id;
    theirs = (
      await call(null, 'POST', '/api/v1/movements', {
        ...buildMovementBody({ container: 'MSCU1234566', seals: ['KE-9900009'] }),
        trader: 'beta',
      })
    ).json().id;
    for (const m of [mine, theirs]) assert.equal((await call(null, 'POST', `/api/v1/movements/${m}/start`, {})).statusCode, 200);
  });
  after(() => p.cleanup());

  test(`GS1's ${examples.length} example documents are valid and each captures without error (202, a finished successful job)`, async () => {
    assert.equal(examples.length, 47);
    for (const f of examples) {
      const doc = JSON.parse(readFileSync(new URL(f, examplesDir), 'utf8'));
      assert.ok(validate(doc), `${f} valid against the schema`);
      const r = await call('acme', 'POST', '/epcis/capture', doc, 'application/ld+json');
      assert.equal(r.statusCode, 202, `${f}: ${r.body}`);
      const job = (await call('acme', 'GET', r.headers.location as string)).json();
      assert.equal(job.success, true, f);
      assert.equal(job.running, false);
      assert.deepEqual(job.errors, [], f);
    }
  });

  test('an invalid document is a 400 problem naming the schema error, and nothing of it is stored', async () => {
    const before = (await call(null, 'GET', '/api/v1/devices/EPCIS-SEAL-1/observations')).json().items.length;
    const bad = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-12-01T10:00:00Z',
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: '2026-12-01T10:00:00Z',
            eventTimeZoneOffset: '+03:00',
            action: 'OBSERVE',
            epcList: [`${base}/epcis/id/seal/KE-7700001`],
            disposition: 'container_closed',
          },
          { type: 'ObjectEvent', eventTime: 'yesterday', eventTimeZoneOffset: '+03:00', action: 'OBSERVE', epcList: [] },
        ],
      },
    };
    const r = await call('acme', 'POST', '/epcis/capture', bad);
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().code, 'invalid_document');
    assert.match(r.json().detail, /eventTime/);
    assert.equal((await call(null, 'GET', '/api/v1/devices/EPCIS-SEAL-1/observations')).json().items.length, before);
  });

  test("a seal applied (staging_outbound, container_closed) from the trader's system becomes the e-seal's observation", async () => {
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            // Now, not a moment before: the movement started in before(), and on a quiet machine the
            // examples above take less than a second, so "a second ago" fell before its start.
            eventTime: new Date().toISOString(),
            eventTimeZoneOffset: '+03:00',
            action: 'OBSERVE',
            epcList: [`${base}/epcis/id/container/CSQU3054383`, `${base}/epcis/id/seal/KE-7700001`],
            bizStep: 'staging_outbound',
            disposition: 'container_closed',
          },
        ],
      },
    };
    const r = await call('acme', 'POST', '/epcis/capture', doc);
    assert.equal(r.statusCode, 202, r.body);
    const job = (await call('acme', 'GET', r.headers.location as string)).json();
    assert.deepEqual(job.summary, { events: 1, observations: 1, duplicates: 0, refused: 0, ignored: 0 });
    const obs = (await call(null, 'GET', '/api/v1/devices/EPCIS-SEAL-1/observations')).json().items;
    assert.equal(obs.length, 1);
    assert.deepEqual(obs[0].seal, { state: 'closed', rope: 'inserted' });
    assert.equal(obs[0].trust, 'unverified');
    assert.equal((await call('beta', 'POST', '/epcis/capture', doc)).json().captureID !== undefined, true);
    const other = (await call('beta', 'GET', r.headers.location as string)).statusCode;
    assert.equal(other, 404, "another party cannot read someone's capture job");
  });

  test("a reader's read (readPoint the reader) captured by customs becomes the reader's observation with the tag; a trader may not send reads for it", async () => {
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: new Date(Date.now() - 30_000).toISOString(),
            eventTimeZoneOffset: '+03:00',
            action: 'OBSERVE',
            epcList: ['urn:epc:raw:96.x3074257BF7194E4000001A85'],
            bizStep: 'loading',
            readPoint: { id: `${base}/epcis/id/device/GATE-READER-1` },
          },
        ],
      },
    };
    const r = await call('officer', 'POST', '/epcis/capture', doc);
    assert.equal((await call('officer', 'GET', r.headers.location as string)).json().summary.observations, 1);
    const obs = (await call(null, 'GET', '/api/v1/devices/GATE-READER-1/observations')).json().items;
    assert.equal(obs[0].reads[0].epc, '3074257bf7194e4000001a85');
    assert.deepEqual(obs[0].position.lat, -4.0435);
    const t = await call('acme', 'POST', '/epcis/capture', doc);
    assert.equal((await call('acme', 'GET', t.headers.location as string)).json().summary.refused, 1);
  });
  test("query: a trader's answer is a valid EPCISQueryDocument of its own movements only, a seal broken with its ALARM_CONDITION; customs sees both", async () => {
    // The trader's system reports the seal broken (after the departure): a seal_opened event on the movement.
    const broken = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: new Date().toISOString(),
            eventTimeZoneOffset: '+03:00',
            action: 'OBSERVE',
            epcList: [`${base}/epcis/id/seal/KE-7700001`],
            disposition: 'container_open',
          },
        ],
      },
    };
    const c = await call('acme', 'POST', '/epcis/capture', broken);
    assert.equal((await call('acme', 'GET', c.headers.location as string)).json().summary.observations, 1);
    await p.ctx.processor.idle();
    const r = await call('acme', 'GET', '/epcis/events');
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.headers['content-type'] as string, /application\/ld\+json/);
    const doc = r.json();
    assert.ok(validate(r.json()), JSON.stringify(validate.errors));
    assert.equal(doc.type, 'EPCISQueryDocument');
    const events = doc.epcisBody.queryResults.resultsBody.eventList as { epcList: string[]; bizStep?: string; disposition?: string }[];
    const epcs = events.flatMap((e) => e.epcList);
    assert.ok(epcs.includes(`${base}/epcis/id/container/CSQU3054383`));
    assert.ok(!epcs.includes(`${base}/epcis/id/container/MSCU1234566`), "no event of another trader's movement");
    assert.deepEqual(
      events.map((e) => [e.bizStep, e.disposition]),
      [
        ['departing', 'in_transit'],
        ['sensor_reporting', 'container_open'],
      ],
    );
    const alarm = (events[1] as unknown as { sensorElementList: { sensorReport: { exception: string }[] }[] }).sensorElementList;
    assert.equal(alarm[0].sensorReport[0].exception, 'ALARM_CONDITION');
    const customs = (await call('officer', 'GET', '/epcis/events')).json().epcisBody.queryResults.resultsBody.eventList;
    assert.equal(customs.filter((e: { bizStep: string }) => e.bizStep === 'departing').length, 2);
  });

  test('query: eventType, EQ_bizStep, EQ_disposition (short or CBV URI), MATCH_epc (exact or prefix*) and the eventTime bounds each restrict the answer', async () => {
    const q = async (who: string, params: Record<string, string>) => {
      const r = await call(who, 'GET', `/epcis/events?${new URLSearchParams(params)}`);
      assert.equal(r.statusCode, 200, r.body);
      assert.ok(validate(r.json()), JSON.stringify(validate.errors));
      return r.json().epcisBody.queryResults.resultsBody.eventList as { bizStep: string; eventTime: string }[];
    };
    const steps = (events: { bizStep: string }[]) => events.map((e) => e.bizStep);
    assert.equal((await q('acme', { eventType: 'ObjectEvent' })).length, 2);
    assert.deepEqual(await q('acme', { eventType: 'AggregationEvent,TransformationEvent' }), []);
    assert.deepEqual(steps(await q('acme', { EQ_bizStep: 'departing' })), ['departing']);
    assert.deepEqual(steps(await q('acme', { EQ_bizStep: 'https://ref.gs1.org/cbv/BizStep-departing' })), ['departing']);
    assert.deepEqual(steps(await q('acme', { EQ_disposition: 'container_open' })), ['sensor_reporting']);
    assert.deepEqual(steps(await q('acme', { EQ_disposition: 'https://ref.gs1.org/cbv/Disp-in_transit' })), ['departing']);
    assert.deepEqual(steps(await q('acme', { EQ_disposition: 'container_closed' })), []);
    assert.deepEqual(steps(await q('officer', { MATCH_epc: `${base}/epcis/id/container/MSCU1234566` })), ['departing']);
    assert.deepEqual(steps(await q('acme', { MATCH_epc: `${base}/epcis/id/container/MSCU1234566` })), [], 'not in scope');
    assert.equal((await q('officer', { MATCH_epc: `${base}/epcis/id/seal/*` })).length, 3);
    const all = await q('acme', {});
    const cut = all[1].eventTime;
    assert.deepEqual(steps(await q('acme', { GE_eventTime: cut })), ['sensor_reporting']);
    assert.deepEqual(steps(await q('acme', { LT_eventTime: cut })), ['departing']);
    assert.deepEqual(await q('acme', { GE_eventTime: cut, LT_eventTime: cut }), []);
    const bad = await call('acme', 'GET', '/epcis/events?GE_eventTime=yesterday');
    assert.equal(bad.statusCode, 400);
  });

  test('query: perPage pages the answer; the next page is in the Link header with its nextPageToken, and a made-up token is refused', async () => {
    const all = (await call('officer', 'GET', '/epcis/events')).json().epcisBody.queryResults.resultsBody.eventList;
    assert.equal(all.length, 3);
    const seen: unknown[] = [];
    let url: string | null = '/epcis/events?perPage=2';
    while (url) {
      const r = await call('officer', 'GET', url);
      const doc = r.json();
      assert.ok(validate(r.json()), JSON.stringify(validate.errors));
      seen.push(...doc.epcisBody.queryResults.resultsBody.eventList);
      const link = r.headers.link as string | undefined;
      url = link ? new URL(/<([^>]+)>; rel="next"/.exec(link)![1]).pathname + new URL(/<([^>]+)>/.exec(link)![1]).search : null;
      if (url) assert.match(url, /nextPageToken=/);
    }
    assert.deepEqual(seen, all);
    assert.equal((await call('officer', 'GET', '/epcis/events?nextPageToken=bm9wZQ')).statusCode, 400);
  });
});
