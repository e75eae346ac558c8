/**
 * RiskService on a real (in-memory) SQLite store: which stored facts move a movement's score and
 * lane — false alarms, trader history, confirmed route deviations, data trust, the seeded draw.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asAlertId,
  asDeviceId,
  asEventId,
  asMovementId,
  asOfficeCode,
  defaultRiskProfile,
  toTimestamp,
  type Alert,
  type Movement,
  type NewObservation,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import { laneSeed, RiskService } from './risk.service';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);
const DEVICE = asDeviceId('LOCK-1');

function buildMovement(id: string, trader: string | null = 'org-acme'): Movement {
  return {
    id: asMovementId(id),
    reference: `REF-${id}`,
    container: null,
    vehicle: null,
    trader,
    devices: [DEVICE],
    seals: [],
    departureOffice: asOfficeCode('KEMBA'),
    destinationOffice: asOfficeCode('UGMAL'),
    route: {
      type: 'LineString',
      coordinates: [
        [39.6682, -4.0435],
        [36.8219, -1.2921],
      ],
    },
    corridorWidthM: 2000,
    authorizedStops: [],
    timeLimit: null,
    status: 'arrived',
    createdAt: at(0),
    startedAt: at(1),
    arrivedAt: at(60),
    endedAt: null,
    updatedAt: at(60),
    sensorThresholds: [],
    checkpoints: [],
  };
}
const observation = (seq: number, trust: NewObservation['trust']): NewObservation => ({
  device: DEVICE,
  seq,
  time: at(10 + seq),
  receivedAt: at(10 + seq),
  late: false,
  position: { lat: -4.0435 + seq * 0.01, lon: 39.6682 - seq * 0.0104 },
  seal: { state: 'closed' },
  door: null,
  sensors: null,
  battery: null,
  reads: null,
  attributes: null,
  trust,
  protocol: 'native',
  hash: `h${seq}`,
  raw: `r${seq}`,
});
const alert = (id: string, type: Alert['type'], outcome: Alert['outcome']): Alert => ({
  id: asAlertId(id),
  type,
  severity: 'critical',
  status: outcome ? 'resolved' : 'open',
  movement: asMovementId('MOV-1'),
  device: DEVICE,
  time: at(20),
  lastTime: at(20),
  count: 1,
  details: {},
  assignee: null,
  outcome,
  comment: outcome ? 'checked' : null,
  history: [{ action: 'opened', at: at(20), by: null }],
  createdAt: at(20),
  updatedAt: at(20),
  revision: 1,
});

describe('RiskService', () => {
  let store: Store;
  let risk: RiskService;
  let n = 0;
  const fired = (a: { score: { indicators: { code: string; fired: boolean }[] } }) =>
    a.score.indicators.filter((i) => i.fired).map((i) => i.code);

  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
    risk = new RiskService({ store, audit: null, now: () => t0 + 3_600_000, newId: () => `ID-${++n}` });
    await risk.start();
    await store.devices.create({
      id: DEVICE,
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      identifiers: {},
      reportIntervalS: 60,
      key: null,
      owner: null,
      createdAt: at(0),
    });
    await store.movements.create(buildMovement('MOV-1'));
    await store.observations.append([1, 2, 3, 4].map((s) => observation(s, 'signed')));
  });
  afterEach(() => store.close());

  test('a seal_tampered alert resolved as a false alarm does not count; a confirmed one forces red', async () => {
    await store.alerts.save(alert('AL-1', 'seal_tampered', 'false_alarm'));
    const cleared = await risk.assess(asMovementId('MOV-1'), 'request');
    assert.deepEqual(
      [cleared.facts.seal_tampered, cleared.decision.lane, fired(cleared)],
      [0, 'green', ['TRADER_NEW', 'CLEAN_TRIP', 'DATA_SIGNED']],
    );
    await store.alerts.save(alert('AL-2', 'seal_tampered', 'confirmed'));
    const confirmed = await risk.assess(asMovementId('MOV-1'), 'request');
    assert.deepEqual(
      [confirmed.revision, confirmed.decision.lane, confirmed.decision.reason, confirmed.score.score],
      [2, 'red', 'forced', 52.5],
    );
  });

  test("the trader's history: five other movements make it established, one irregularity in two inspections non-compliant", async () => {
    for (let i = 1; i <= 5; i++) {
      await store.movements.create(buildMovement(`MOV-P${i}`));
      await risk.assess(asMovementId(`MOV-P${i}`), 'arrival');
    }
    await risk.inspect(asMovementId('MOV-P1'), { result: 'irregularity', by: 'officer-7' });
    await risk.inspect(asMovementId('MOV-P2'), { result: 'nothing_found', by: 'officer-7' });
    const a = await risk.assess(asMovementId('MOV-1'), 'arrival');
    assert.deepEqual([a.facts.trader_movements, a.facts.trader_irregularity_rate, a.facts.trader_new], [5, 0.5, false]);
    // −3 + 1.2 non-compliant − 1.0 clean trip − 0.5 signed = −3.3 → 3.56: green
    assert.deepEqual([fired(a), a.score.score, a.decision.lane], [['TRADER_NONCOMPLIANT', 'CLEAN_TRIP', 'DATA_SIGNED'], 3.56, 'green']);
  });

  test('a confirmed route deviation of 4.2 km fires ROUTE_MISMATCH; unauthenticated data fires DATA_UNAUTHENTICATED', async () => {
    await store.processing.record(
      [
        {
          id: asEventId('EV-1'),
          type: 'route_deviation',
          movement: asMovementId('MOV-1'),
          device: DEVICE,
          time: at(30),
          details: { maxDistanceM: 4200, durationS: 600 },
          observation: null,
          createdAt: at(31),
        },
      ],
      [],
    );
    await store.observations.append([5, 6, 7, 8, 9].map((s) => observation(s, 'unverified')));
    const a = await risk.assess(asMovementId('MOV-1'), 'request');
    assert.deepEqual([a.facts.route_mismatch_m, a.facts.trust_vendor_share, a.facts.route_off_share], [4200, 5 / 9, 0]);
    assert.deepEqual(fired(a), ['TRADER_NEW', 'ROUTE_MISMATCH', 'CLEAN_TRIP', 'DATA_UNAUTHENTICATED']);
  });

  test('the lane draw is seeded by movement and profile version: a random selection is reproducible and cannot be dodged', async () => {
    const v2 = await risk.addProfile({ ...defaultRiskProfile, randomRate: 1 }, 'analyst');
    await risk.activateProfile(v2.version, 'analyst');
    const first = await risk.assess(asMovementId('MOV-1'), 'request');
    const again = await risk.assess(asMovementId('MOV-1'), 'request');
    for (const a of [first, again]) {
      assert.deepEqual(
        [a.profileVersion, a.seed, a.decision.lane, a.decision.reason, a.decision.scoreLane],
        [2, laneSeed('MOV-1', 2), 'red', 'random', 'green'],
      );
    }
    assert.notEqual(laneSeed('MOV-1', 1), laneSeed('MOV-1', 2));
    assert.equal(laneSeed('MOV-1', 1), laneSeed('MOV-1', 1));
  });
});
