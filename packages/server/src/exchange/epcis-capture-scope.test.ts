/**
 * Who may put a reading in through EPCIS capture (found by the adversarial pass of 2026-12-07):
 * a reader's reads come from the reader's owner only, as an integration's do (an officer of one
 * administration faked reads at another's reader), and a seal reading is authorised against the
 * movement it is filed under, the one armed at its eventTime, not the one the seal is on now (a
 * trader holding the seal now broke the seal of another trader's ended movement, in the past).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMovementBody, createParties, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

const base = 'http://localhost:80';
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const document = (event: Record<string, unknown>) => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: new Date().toISOString(),
  epcisBody: { eventList: [{ type: 'ObjectEvent', eventTimeZoneOffset: '+03:00', action: 'OBSERVE', ...event }] },
});
const sealBroken = (time: string) =>
  document({ eventTime: time, epcList: [`${base}/epcis/id/seal/KE-7700001`], disposition: 'container_open' });
const readAt = (reader: string, time: string) =>
  document({
    eventTime: time,
    epcList: ['urn:epc:raw:96.x3074257BF7194E4000001A85'],
    readPoint: { id: `${base}/epcis/id/device/${reader}` },
  });

describe('EPCIS capture: whose readings a caller may add', () => {
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  let tokens: Record<string, string> = {};
  const call = (who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    p.http.inject({
      method,
      url,
      headers: { authorization: who ? `Bearer ${tokens[who]}` : p.auth.authorization, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const capture = async (who: string, doc: unknown) => {
    const r = await call(who, 'POST', '/epcis/capture', doc);
    assert.equal(r.statusCode, 202, r.body);
    return (await call(who, 'GET', r.headers.location as string)).json();
  };
  let ended = '';
  let current = '';

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [mombasaOffice, malabaOffice]) assert.equal((await call(null, 'POST', '/api/v1/offices', o)).statusCode, 201);
    ({ tokens } = await createParties(p, {
      organisations: [
        { id: 'acme', name: 'Acme', kind: 'trader' },
        { id: 'beta', name: 'Beta', kind: 'trader' },
        { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' },
        { id: 'rra', name: 'RRA', kind: 'customs', country: 'RW' },
      ],
      users: [
        ['acme.u', 'acme', 'trader'],
        ['beta.u', 'beta', 'trader'],
        ['officer.ke', 'kra', 'officer'],
        ['officer.rw', 'rra', 'officer'],
      ],
    }));
    const devices = [
      { id: 'EPCIS-SEAL-1', class: 'semi_active', kind: 'e_seal', protocol: 'epcis', identifiers: { sealNumber: 'KE-7700001' } },
      { id: 'P2-READER-RW', class: 'passive', kind: 'reader', protocol: 'rfid', owner: 'rra', location: { lat: -1.95, lon: 30.06 } },
      { id: 'GATE-READER-KE', class: 'passive', kind: 'reader', protocol: 'rfid', owner: 'kra', location: { lat: -4.0435, lon: 39.6682 } },
    ];
    for (const d of devices) assert.equal((await call(null, 'POST', '/api/v1/devices', d)).statusCode, 201);
    // The seal sealed Beta's movement (Mombasa → Malaba) three to two hours ago, and Acme's since an hour ago.
    const declare = async (trader: string) =>
      (
        await call(null, 'POST', '/api/v1/movements', {
          ...buildMovementBody({ devices: ['EPCIS-SEAL-1'], seals: ['KE-7700001'] }),
          trader,
        })
      ).json().id as string;
    ended = await declare('beta');
    for (const [step, time] of [
      ['start', ago(180)],
      ['arrive', ago(120)],
      ['end', ago(120)],
    ])
      assert.equal((await call(null, 'POST', `/api/v1/movements/${ended}/${step}`, { time })).statusCode, 200);
    current = await declare('acme');
    assert.equal((await call(null, 'POST', `/api/v1/movements/${current}/start`, { time: ago(60) })).statusCode, 200);
  });
  after(() => p.cleanup());

  const sealOpened = async (movement: string) => {
    await p.ctx.processor.idle();
    const alerts = (await call(null, 'GET', `/api/v1/alerts?movement=${movement}`)).json().items as { type: string }[];
    return alerts.filter((a) => a.type === 'seal_opened').length;
  };

  test("a trader holding the seal now cannot break it in another trader's past movement; an administration not of its countries cannot either", async () => {
    for (const who of ['acme.u', 'officer.rw']) {
      const job = await capture(who, sealBroken(ago(150)));
      assert.equal(job.summary.refused, 1, `${who}: ${JSON.stringify(job)}`);
      assert.equal(job.summary.observations, 0);
      assert.match(job.errors[0].reason, /^outside_scope/);
    }
    assert.equal(await sealOpened(ended), 0, 'no seal_opened on the ended movement');
    const obs = (await call(null, 'GET', '/api/v1/devices/EPCIS-SEAL-1/observations')).json().items;
    assert.equal(obs.length, 0, 'nothing stored');
  });

  test('a reading between two movements, or before the previous one ended, is nobody’s to add; in its own movement it is', async () => {
    assert.equal(
      (await capture('acme.u', sealBroken(ago(90)))).summary.refused,
      1,
      'between the two movements, before Acme declared its own',
    );
    const own = await capture('acme.u', sealBroken(ago(10)));
    assert.equal(own.summary.observations, 1, JSON.stringify(own));
    assert.equal(await sealOpened(current), 1);
  });

  test('an eventTime more than a minute ahead of the server is refused (clock_skew)', async () => {
    const job = await capture('acme.u', sealBroken(new Date(Date.now() + 4 * 60_000).toISOString()));
    assert.equal(job.summary.refused, 1, JSON.stringify(job));
    assert.match(job.errors[0].reason, /^clock_skew/);
  });

  test("an officer cannot capture reads at another administration's reader; the reader's owner can", async () => {
    const faked = await capture('officer.ke', readAt('P2-READER-RW', ago(5)));
    assert.equal(faked.summary.observations, 0, JSON.stringify(faked));
    assert.equal(faked.summary.refused, 1);
    assert.match(faked.errors[0].reason, /not_integration_device/);
    assert.equal((await call(null, 'GET', '/api/v1/devices/P2-READER-RW/observations')).json().items.length, 0);
    assert.equal((await capture('officer.rw', readAt('P2-READER-RW', ago(5)))).summary.observations, 1);
    assert.equal((await capture('officer.ke', readAt('GATE-READER-KE', ago(5)))).summary.observations, 1);
    assert.equal((await capture('acme.u', readAt('GATE-READER-KE', ago(4)))).summary.refused, 1, 'a trader sees no reader');
  });
});
