/**
 * Risk management end to end through the HTTP API on a real SQLite file: a seal tampered in
 * transit sends the movement to red, a clean signed trip of an AEO arrives green; an override
 * needs a reason and is recorded; inspection outcomes feed hit rates, KPIs and a calibration.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { laneSeed } from './risk.service';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
// Movement ids are fixed so that their lane draws (seeded by id and profile version) are too.
const ids: string[] = [];
const CLEAN = 'MOV-CLEAN-1',
  TAMPER = 'MOV-TAMPER-1';

describe('risk management through the API (SQLite)', () => {
  let p: P;
  const send = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const r = await send(method, url, payload);
    assert.equal(r.statusCode, status, r.body);
    return r.json();
  };
  const problem = async (method: 'POST' | 'PUT', url: string, payload: unknown, status: number, code: string) => {
    const r = await send(method, url, payload);
    assert.equal(r.statusCode, status, r.body);
    assert.equal(r.json().code, code);
    return r.json();
  };
  // Points on the first leg of the declared route (Mombasa → Nairobi).
  const onRoute = (f: number) => ({ lat: -4.0435 + f * (-1.2921 + 4.0435), lon: 39.6682 + f * (36.8219 - 39.6682) });

  before(async () => {
    p = await startTestPlatform({}, { newId: () => ids.shift() ?? randomUUID() });
    for (const office of [mombasaOffice, malabaOffice]) await ok('POST', '/api/v1/offices', office, 201);
    const keys = { 'KE-LOCK-C': generateDeviceKey('EdDSA'), 'KE-LOCK-T': generateDeviceKey('EdDSA') };
    for (const [id, key] of Object.entries(keys))
      await ok(
        'POST',
        '/api/v1/devices',
        { id, class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration, reportIntervalS: 60 },
        201,
      );
    await ok('PUT', '/api/v1/risk/traders/org-clean', { aeo: true, name: 'Clean Logistics Ltd' });
    for (const [id, trader, device] of [
      [CLEAN, 'org-clean', 'KE-LOCK-C'],
      [TAMPER, 'org-risky', 'KE-LOCK-T'],
    ]) {
      ids.push(id);
      await ok('POST', '/api/v1/movements', buildMovementBody({ trader, devices: [device], timeLimit: '2027-06-30T00:00:00.000Z' }), 201);
      await ok('POST', `/api/v1/movements/${id}/start`, {});
    }
    const msg = (device: keyof typeof keys, seq: number, f: number, state = 'closed') =>
      signMessage(keys[device], {
        device,
        seq,
        time: new Date().toISOString(),
        position: onRoute(f),
        seal: { state, rope: 'inserted', lock: 'locked' },
      });
    const r = await ok('POST', '/api/v1/ingest', {
      messages: [
        ...[1, 2, 3, 4, 5].map((s) => msg('KE-LOCK-C', s, s / 10)),
        msg('KE-LOCK-T', 1, 0.1),
        msg('KE-LOCK-T', 2, 0.2),
        msg('KE-LOCK-T', 3, 0.3, 'tampered'),
      ],
    });
    assert.deepEqual(
      r.results.map((x: { status: string }) => x.status),
      Array(8).fill('accepted'),
    );
    for (let i = 0; i < 100; i++) {
      if ((await ok('GET', `/api/v1/alerts?movement=${TAMPER}&type=seal_tampered`)).items.length) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  });
  after(() => p.cleanup());

  test('the default profile is version 1, stored and active on first start', async () => {
    const list = await ok('GET', '/api/v1/risk/profiles');
    assert.deepEqual(
      list.items.map((x: { version: number; active: boolean; createdBy: string }) => [x.version, x.active, x.createdBy]),
      [[1, true, 'system']],
    );
    assert.equal((await ok('GET', '/api/v1/risk/profiles/1')).profile.thresholds.red, 50);
  });

  test('a tamper in transit turns the lane red (forced), on request and on arrival', async () => {
    assert.equal((await ok('GET', `/api/v1/movements/${TAMPER}`)).risk, null);
    const now = await ok('POST', `/api/v1/movements/${TAMPER}/risk/assess`, {});
    assert.deepEqual(
      [now.cause, now.decision.lane, now.decision.reason, now.decision.forcedBy],
      ['request', 'red', 'forced', ['SEAL_TAMPERED', 'seal_broken']],
    );
    const arrived = await ok('POST', `/api/v1/movements/${TAMPER}/arrive`, {});
    // −3 (intercept) + 0.6 new trader + 3.0 seal tampered − 0.5 signed data = 0.1 → 52.5 %
    assert.deepEqual(arrived.risk, {
      score: 52.5,
      lane: 'red',
      reason: 'forced',
      profileVersion: 1,
      indicators: [
        { code: 'TRADER_NEW', contribution: 0.6 },
        { code: 'SEAL_TAMPERED', contribution: 3 },
        { code: 'DATA_SIGNED', contribution: -0.5 },
      ],
    });
  });

  test('a clean signed trip of an AEO arriving is proposed green, reproducibly seeded', async () => {
    const arrived = await ok('POST', `/api/v1/movements/${CLEAN}/arrive`, {});
    // −3 − 1.2 AEO + 0.6 new trader − 1.0 clean trip − 0.5 signed data = −5.1 → 0.61 %, under blue's 12
    assert.deepEqual([arrived.risk.score, arrived.risk.lane, arrived.risk.reason], [0.61, 'green', 'score']);
    const risk = await ok('GET', `/api/v1/movements/${CLEAN}/risk`);
    assert.equal(risk.history.length, 1);
    const a = risk.assessment;
    assert.deepEqual(
      [a.cause, a.revision, a.profileVersion, a.seed, a.decision.randomSelected, a.decidedBy],
      ['arrival', 1, 1, laneSeed(CLEAN, 1), false, 'system'],
    );
    assert.deepEqual([a.facts.trust_signed_share, a.facts.route_off_share, a.facts.clean_trip, a.facts.observation_count], [1, 0, true, 5]);
    const listed = (await ok('GET', '/api/v1/movements?status=arrived')).items;
    assert.deepEqual(listed.map((m: { id: string; risk: { lane: string } }) => [m.id, m.risk.lane]).sort(), [
      [CLEAN, 'green'],
      [TAMPER, 'red'],
    ]);
  });

  test('an override needs a reason (422) and is recorded with the officer, in the assessment and the audit trail', async () => {
    await problem('POST', `/api/v1/movements/${CLEAN}/risk/override`, { lane: 'yellow' }, 422, 'override_reason_required');
    await problem('POST', `/api/v1/movements/${CLEAN}/risk/override`, { lane: 'yellow', reason: '   ' }, 422, 'override_reason_required');
    const o = await ok('POST', `/api/v1/movements/${CLEAN}/risk/override`, { lane: 'yellow', reason: 'intelligence on a consignee' });
    assert.deepEqual(
      [o.revision, o.cause, o.decision.lane, o.decision.reason, o.decision.scoreLane],
      [2, 'override', 'yellow', 'override', 'green'],
    );
    assert.deepEqual(
      o.decision.overrides.map((x: Record<string, string>) => [x.from, x.to, x.reason, x.by]),
      [['green', 'yellow', 'intelligence on a consignee', 'admin']],
    );
    assert.equal((await ok('GET', `/api/v1/movements/${CLEAN}`)).risk.lane, 'yellow');
    const trail = (await ok('GET', '/api/v1/audit/entries?limit=1000')).items as {
      action: string;
      actor: string;
      subjects: string[];
      data: Record<string, unknown>;
    }[];
    const mine = trail.filter((e) => e.subjects.includes(CLEAN) && e.action.startsWith('risk_'));
    assert.deepEqual(
      mine.map((e) => [e.action, e.actor, e.data.lane]),
      [
        ['risk_assessed', 'system', 'green'],
        ['risk_overridden', 'user:admin', 'yellow'],
      ],
    );
    assert.ok(trail.some((e) => e.action === 'overrideMovementLane' && e.subjects.includes(CLEAN)));
  });

  test('inspection outcomes feed hit rates, KPIs and a calibration proposal', async () => {
    const fresh = await ok('POST', '/api/v1/movements', buildMovementBody(), 201);
    await problem('POST', `/api/v1/movements/${fresh.id}/inspection`, { result: 'seizure' }, 409, 'risk_not_assessed');
    const seized = await ok('POST', `/api/v1/movements/${TAMPER}/inspection`, {
      result: 'seizure',
      comment: 'cigarettes behind the pallets',
    });
    assert.deepEqual([seized.lane, seized.reason, seized.office, seized.by], ['red', 'forced', 'UGMAL', 'admin']);
    await ok('POST', `/api/v1/movements/${CLEAN}/inspection`, { result: 'nothing_found' });
    const rates = await ok('GET', '/api/v1/risk/hit-rates');
    assert.deepEqual(rates.overall, { inspections: 2, hits: 1, seizures: 1, hitRate: 0.5 });
    assert.deepEqual([rates.byLane.red.hitRate, rates.byLane.yellow.hitRate, rates.byLane.green.inspections], [1, 0, 0]);
    assert.deepEqual([rates.byReason.forced.hits, rates.byReason.override.inspections], [1, 1]);
    assert.deepEqual(
      rates.byIndicator.find((r: { code: string }) => r.code === 'SEAL_TAMPERED'),
      { code: 'SEAL_TAMPERED', inspections: 1, hits: 1, seizures: 1, hitRate: 1 },
    );

    const kpis = await ok('GET', '/api/v1/risk/kpis?period=day');
    const all = kpis.items.find((r: { office: string }) => r.office === '*');
    assert.deepEqual([all.movements, all.lanes, all.inspections, all.hitRate], [2, { red: 1, yellow: 1, blue: 0, green: 0 }, 2, 0.5]);
    assert.deepEqual((await ok('GET', '/api/v1/risk/kpis?office=KEMBA')).items, []);

    const cal = await ok('POST', '/api/v1/risk/calibrations', { l2: 1 });
    assert.deepEqual([cal.proposal.version, cal.proposal.basedOn, cal.fit.samples, cal.fit.hits], [2, 1, 2, 1]);
    // Two inspections support no indicator's refit (minimum 30): every weight is kept, the intercept moves.
    assert.equal(cal.changes.length, 25);
    assert.ok(cal.changes.every((c: { kept: boolean; from: number; to: number }) => c.kept && c.from === c.to));
    assert.equal((await ok('GET', '/api/v1/risk/profiles')).items.length, 1, 'a proposal is not stored');
    await problem('POST', '/api/v1/risk/calibrations', { randomOnly: true }, 422, 'insufficient_outcomes');
  });

  test('profiles: a new version is validated, immutable, activated on demand, and used by the next assessment', async () => {
    const base = (await ok('GET', '/api/v1/risk/profiles/1')).profile;
    const bad = await problem(
      'POST',
      '/api/v1/risk/profiles',
      { ...base, thresholds: { red: 10, yellow: 20, blue: 5 }, laneRates: { red: 1, yellow: 1, blue: 0, green: 0 } },
      400,
      'invalid_risk_profile',
    );
    assert.deepEqual(
      bad.details.issues.map((i: { path: string }) => i.path),
      ['thresholds', 'laneRates'],
    );
    const v2 = await ok(
      'POST',
      '/api/v1/risk/profiles',
      { ...base, name: 'Stricter', thresholds: { red: 40, yellow: 20, blue: 0.5 }, randomRate: 0 },
      201,
    );
    assert.deepEqual([v2.version, v2.active, v2.profile.basedOn, v2.createdBy], [2, false, 1, 'admin']);
    await problem('POST', '/api/v1/risk/profiles/9/activate', {}, 404, 'unknown_risk_profile');
    assert.equal((await ok('POST', '/api/v1/risk/profiles/2/activate', {})).active, true);
    const again = await ok('POST', `/api/v1/movements/${CLEAN}/risk/assess`, {});
    assert.deepEqual(
      [again.revision, again.profileVersion, again.seed, again.decision.lane, again.score.score],
      [3, 2, laneSeed(CLEAN, 2), 'blue', 0.61],
    );
    assert.equal((await ok('GET', '/api/v1/risk/profiles/1')).profile.thresholds.blue, 12, 'version 1 is unchanged');
  });

  test('device advice ranks classes on the cost model, which the administration can set', async () => {
    const advice = await ok('POST', '/api/v1/risk/device-advice', { distanceKm: 1200, durationH: 40, readersOnRoute: 6, score: 2.66 });
    assert.equal(advice.recommended, 'passive');
    assert.deepEqual(
      advice.options.map((o: { deviceClass: string; expectedCost: number }) => [o.deviceClass, o.expectedCost]),
      [
        ['passive', 12],
        ['semi_active', 28],
        ['active', 86],
      ],
    );
    const model = await ok('GET', '/api/v1/risk/device-cost-model');
    assert.equal(model.currency, 'USD');
    await ok('PUT', '/api/v1/risk/device-cost-model', { ...model, inspectionCost: 30_000 });
    const costly = await ok('POST', '/api/v1/risk/device-advice', { distanceKm: 1200, durationH: 40, readersOnRoute: 6, score: 60 });
    assert.equal(costly.recommended, 'active');
    await problem('PUT', '/api/v1/risk/traders/org-x', { name: 'no aeo field' }, 400, 'validation_failed');
  });
});
