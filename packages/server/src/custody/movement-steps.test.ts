/**
 * Each step of a movement is its office's administration's, with the demo's users: Kenya (the
 * office of departure, Mombasa) starts the Mombasa → Malaba movement, Uganda (the office of
 * destination, Malaba) arrives and ends it; neither records the other's steps (403 with a code).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoParty, seedDemoParties, SealwatchClient } from '@sealwatch/sim';
import { injectFetch } from '../cli/inject-fetch';
import { buildMovementBody, consentToLend, malabaOffice, mombasaOffice, startTestPlatform, TEST_TOKEN } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('who records which step of a movement', () => {
  let p: P;
  const tokens: Record<string, string> = {};
  let movement = '';
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });
  const step = (who: string, action: string, payload: object = {}) =>
    p.http.inject({
      method: 'POST',
      url: `/api/v1/movements/${movement}/${action}`,
      headers: { authorization: `Bearer ${tokens[who]}` },
      payload,
    });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    await seedDemoParties(new SealwatchClient(injectFetch(p.http), 'http://in-process', TEST_TOKEN));
    const users = (await admin('GET', '/api/v1/users')).json().items as { id: string; username: string }[];
    for (const name of ['officer.ke', 'supervisor.ug']) {
      const user = users.find((u) => u.username === name);
      assert.ok(user, name);
      tokens[name] = (await admin('POST', '/api/v1/tokens', { name, user: user.id })).json().token;
    }
    for (const o of [mombasaOffice, malabaOffice]) assert.equal((await admin('POST', '/api/v1/offices', o)).statusCode, 201);
    assert.equal(
      (await admin('POST', '/api/v1/devices', { id: 'LOCK-MSA', class: 'active', kind: 'e_lock', protocol: 'jt600' })).statusCode,
      201,
    );
    assert.equal((await admin('POST', '/api/v1/devices/LOCK-MSA/custody', { holder: demoParty.aeoTrader })).statusCode, 201);
    await consentToLend(p, demoParty.aeoTrader, [demoParty.kenyaCustoms]);
    const m = await p.http.inject({
      method: 'POST',
      url: '/api/v1/movements',
      headers: { authorization: `Bearer ${tokens['officer.ke']}` },
      payload: buildMovementBody({ devices: ['LOCK-MSA'], trader: demoParty.aeoTrader }),
    });
    assert.equal(m.statusCode, 201, m.body);
    movement = m.json().id;
  });
  after(() => p.cleanup());

  test('the destination administration cannot start; the departure administration can', async () => {
    const ug = await step('supervisor.ug', 'start');
    assert.equal(ug.statusCode, 403, ug.body);
    assert.equal(ug.json().code, 'not_departure_administration');
    assert.equal((await step('officer.ke', 'start')).statusCode, 200);
  });

  test('the departure administration cannot arrive nor end; the destination administration does both', async () => {
    const arrive = await step('officer.ke', 'arrive');
    assert.equal(arrive.statusCode, 403, arrive.body);
    assert.equal(arrive.json().code, 'not_destination_administration');
    assert.equal((await admin('GET', `/api/v1/movements/${movement}`)).json().status, 'in_transit', 'nothing changed');
    assert.equal((await step('supervisor.ug', 'arrive')).statusCode, 200);
    const end = await step('officer.ke', 'end');
    assert.equal(end.statusCode, 403, end.body);
    assert.equal(end.json().code, 'not_destination_administration');
    const ended = await step('supervisor.ug', 'end');
    assert.equal(ended.statusCode, 200, ended.body);
    assert.equal(ended.json().status, 'ended');
  });
});
