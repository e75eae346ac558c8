/**
 * The storage contract of the RiskStore (part of `runStoreContract`): profile versions are kept
 * whole and immutable with one active version, assessments are numbered revisions per movement,
 * an inspection per movement, and a trader's history is counted over its other movements.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DomainError,
  asMovementId,
  asOfficeCode,
  defaultRiskProfile,
  deriveRiskFacts,
  mulberry32,
  scoreMovement,
  selectLane,
  toTimestamp,
  type DomainErrorCode,
  type Lane,
  type Timestamp,
} from '@sealwatch/core';
import type { RiskAssessment, Store, StoredInspection, StoredRiskProfile } from '../ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);
const domainError = (code: DomainErrorCode) => (err: unknown) => err instanceof DomainError && err.code === code;

const stored = (version: number, overrides: Partial<StoredRiskProfile> = {}): StoredRiskProfile => ({
  version,
  profile: { ...defaultRiskProfile, version, basedOn: version > 1 ? version - 1 : null, name: `v${version}` },
  createdAt: at(version),
  createdBy: 'analyst',
  ...overrides,
});

/** A scored and decided assessment of a clean trip (or a tampered one), as the service would store it. */
function buildAssessment(
  movement: string,
  o: { trader?: string | null; office?: string; tampered?: boolean; minutes?: number; id?: string } = {},
): Omit<RiskAssessment, 'revision'> {
  const facts = deriveRiskFacts({
    trader: { aeo: false, movements: 10, inspections: 2, irregularities: 0 },
    movement: { routeRisk: 'low', originRisk: 'low', hsChapter: 84, routeMismatchM: 0, routeOffShare: 0 },
    alerts: o.tampered ? [{ type: 'seal_tampered' }] : [],
    trust: { signed: 40, vendor: 0, passive: 0 },
  });
  const score = scoreMovement(facts, defaultRiskProfile);
  const seed = 1234567890;
  return {
    id: o.id ?? `RA-${movement}-${o.minutes ?? 0}`,
    movement: asMovementId(movement),
    trader: o.trader === undefined ? 'org-acme' : o.trader,
    office: asOfficeCode(o.office ?? 'UGMAL'),
    cause: 'arrival',
    facts,
    score,
    decision: selectLane(score, defaultRiskProfile, facts, mulberry32(seed)),
    profileVersion: 1,
    seed,
    decidedAt: at(o.minutes ?? 0),
    decidedBy: 'system',
  };
}

function buildInspection(
  movement: string,
  result: StoredInspection['result'],
  o: { trader?: string; lane?: Lane; version?: number; minutes?: number } = {},
): StoredInspection {
  return {
    movement,
    trader: o.trader ?? 'org-acme',
    office: 'UGMAL',
    lane: o.lane ?? 'red',
    reason: 'forced',
    fired: ['SEAL_TAMPERED', 'TRADER_NEW'],
    profileVersion: o.version ?? 1,
    result,
    comment: result === 'seizure' ? '40 cartons of cigarettes' : null,
    by: 'officer-7',
    at: at(o.minutes ?? 30),
  };
}

/** Registers the RiskStore contract; `withStore` gives each test a fresh, empty store. */
export function riskStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('risk', () => {
    test(
      'profiles: seeding stores and activates version 1 once; versions are whole, unique and listed newest first',
      withStore(async (s) => {
        assert.equal(await s.risk.activeProfile(), null);
        assert.equal(await s.risk.latestProfileVersion(), 0);
        await s.risk.seedProfile(stored(1, { createdBy: 'system' }));
        await s.risk.seedProfile(stored(1, { createdBy: 'other', profile: { ...stored(1).profile, name: 'changed' } }));
        assert.deepEqual(await s.risk.getProfile(1), stored(1, { createdBy: 'system' }));
        assert.deepEqual(await s.risk.activeProfile(), { version: 1, activatedAt: at(1), activatedBy: 'system' });
        await s.risk.addProfile(stored(2));
        await s.risk.addProfile(stored(3));
        await assert.rejects(s.risk.addProfile(stored(2, { createdBy: 'intruder' })), domainError('risk_profile_exists'));
        assert.equal((await s.risk.getProfile(2))?.createdBy, 'analyst');
        assert.equal(await s.risk.getProfile(9), null);
        assert.equal(await s.risk.latestProfileVersion(), 3);
        const first = await s.risk.listProfiles({ limit: 2 });
        assert.deepEqual(
          first.items.map((p) => p.version),
          [3, 2],
        );
        const second = await s.risk.listProfiles({ limit: 2, cursor: first.nextCursor });
        assert.deepEqual([second.items.map((p) => p.version), second.nextCursor], [[1], null]);
      }),
    );

    test(
      'activation switches the one active version and refuses an unknown one',
      withStore(async (s) => {
        await s.risk.seedProfile(stored(1));
        await s.risk.addProfile(stored(2));
        await s.risk.activateProfile(2, 'chief-analyst', at(50));
        assert.deepEqual(await s.risk.activeProfile(), { version: 2, activatedAt: at(50), activatedBy: 'chief-analyst' });
        await assert.rejects(s.risk.activateProfile(7, 'x', at(51)), domainError('unknown_risk_profile'));
        await s.risk.seedProfile(stored(1));
        assert.equal((await s.risk.activeProfile())?.version, 2, 'seeding again does not take the activation back');
      }),
    );

    test(
      "each administration keeps its own active version and reference layer beside the installation's",
      withStore(async (s) => {
        await s.risk.seedProfile(stored(1));
        await s.risk.addProfile(stored(2, { administration: 'kra' }));
        await s.risk.addProfile(stored(3, { administration: 'rra' }));
        assert.deepEqual(await s.risk.getProfile(2), stored(2, { administration: 'kra' }));
        assert.equal(await s.risk.activeProfile('kra'), null, 'an administration has no active version until it chooses one');
        await s.risk.activateProfile(2, 'analyst.ke', at(60), 'kra');
        await s.risk.activateProfile(3, 'analyst.rw', at(61), 'rra');
        assert.deepEqual(
          [
            (await s.risk.activeProfile())?.version,
            (await s.risk.activeProfile('kra'))?.version,
            (await s.risk.activeProfile('rra'))?.version,
          ],
          [1, 2, 3],
        );
        const kra = await s.risk.listProfiles({ limit: 10 }, { administration: 'kra' });
        assert.deepEqual(
          kra.items.map((p) => p.version),
          [2, 1],
        );
        assert.deepEqual(
          (await s.risk.listProfiles({ limit: 10 }, { administration: '' })).items.map((p) => p.version),
          [1],
        );
        const entry = { kind: 'origin_country' as const, key: 'CN', level: 'high' as const, note: null, updatedAt: at(5), updatedBy: 'a' };
        await s.risk.putReference(entry, 'rra');
        await s.risk.putReference({ ...entry, level: 'low' });
        assert.deepEqual(await s.risk.listReference({ administration: 'rra' }), [entry]);
        assert.deepEqual(
          (await s.risk.listReference({})).map((e) => e.level),
          ['low'],
        );
        assert.equal(await s.risk.deleteReference('origin_country', 'CN', 'kra'), false);
        assert.equal(await s.risk.deleteReference('origin_country', 'CN', 'rra'), true);
        assert.equal((await s.risk.listReference({})).length, 1, "the installation's entry stays");
      }),
    );

    test(
      'assessments are numbered revisions per movement, read back exactly; latest and history',
      withStore(async (s) => {
        const a1 = await s.risk.addAssessment(buildAssessment('MOV-1', { minutes: 1 }));
        const b1 = await s.risk.addAssessment(buildAssessment('MOV-2', { tampered: true, minutes: 2 }));
        const override = buildAssessment('MOV-1', { minutes: 3 });
        override.cause = 'override';
        override.decision = {
          ...override.decision,
          lane: 'yellow',
          reason: 'override',
          overrides: [{ from: 'green', to: 'yellow', reason: 'intelligence', by: 'officer-7', at: at(3) }],
        };
        const a2 = await s.risk.addAssessment(override);
        assert.deepEqual([a1.revision, b1.revision, a2.revision], [1, 1, 2]);
        assert.deepEqual(await s.risk.latestAssessment(asMovementId('MOV-1')), a2);
        assert.deepEqual(await s.risk.assessmentHistory(asMovementId('MOV-1')), [a1, a2]);
        assert.equal(b1.decision.lane, 'red');
        assert.equal(b1.score.score, 37.75);
        assert.deepEqual(await s.risk.latestAssessment(asMovementId('MOV-2')), b1);
        assert.equal(await s.risk.latestAssessment(asMovementId('MOV-9')), null);
        const latest = await s.risk.latestAssessments([asMovementId('MOV-2'), asMovementId('MOV-1'), asMovementId('MOV-9')]);
        assert.deepEqual(latest.map((a) => [a.movement, a.revision]).sort(), [
          ['MOV-1', 2],
          ['MOV-2', 1],
        ]);
        assert.deepEqual(await s.risk.latestAssessments([]), []);
      }),
    );

    test(
      'concurrent revisions of one movement get distinct numbers',
      withStore(async (s) => {
        const added = await Promise.all(
          Array.from({ length: 6 }, (_, i) => s.risk.addAssessment(buildAssessment('MOV-1', { id: `RA-${i}`, minutes: i }))),
        );
        assert.deepEqual(added.map((a) => a.revision).sort(), [1, 2, 3, 4, 5, 6]);
        assert.equal((await s.risk.assessmentHistory(asMovementId('MOV-1'))).length, 6);
      }),
    );

    test(
      'latest assessments of all movements or one office, by decision time',
      withStore(async (s) => {
        await s.risk.addAssessment(buildAssessment('MOV-B', { minutes: 5, office: 'KEMBA' }));
        await s.risk.addAssessment(buildAssessment('MOV-A', { minutes: 9 }));
        await s.risk.addAssessment(buildAssessment('MOV-B', { minutes: 7, office: 'KEMBA' }));
        const all = await s.risk.listLatestAssessments({});
        assert.deepEqual(
          all.map((a) => [a.movement, a.revision]),
          [
            ['MOV-B', 2],
            ['MOV-A', 1],
          ],
        );
        assert.deepEqual(
          (await s.risk.listLatestAssessments({ office: asOfficeCode('UGMAL') })).map((a) => a.movement),
          ['MOV-A'],
        );
      }),
    );

    test(
      'inspections: one per movement (recording again replaces it), listed by time, filtered by profile version',
      withStore(async (s) => {
        await s.risk.saveInspection(buildInspection('MOV-2', 'nothing_found', { minutes: 40, version: 2, lane: 'yellow' }));
        await s.risk.saveInspection(buildInspection('MOV-1', 'irregularity', { minutes: 30 }));
        await s.risk.saveInspection(buildInspection('MOV-1', 'seizure', { minutes: 35 }));
        assert.deepEqual(await s.risk.getInspection(asMovementId('MOV-1')), buildInspection('MOV-1', 'seizure', { minutes: 35 }));
        assert.equal(await s.risk.getInspection(asMovementId('MOV-3')), null);
        assert.deepEqual(
          (await s.risk.listInspections({})).map((i) => [i.movement, i.result]),
          [
            ['MOV-1', 'seizure'],
            ['MOV-2', 'nothing_found'],
          ],
        );
        assert.deepEqual(
          (await s.risk.listInspections({ profileVersion: 2 })).map((i) => i.movement),
          ['MOV-2'],
        );
      }),
    );

    test(
      "a trader's history counts its other movements, inspections and irregularities",
      withStore(async (s) => {
        for (const m of ['MOV-1', 'MOV-2', 'MOV-3']) await s.risk.addAssessment(buildAssessment(m));
        await s.risk.addAssessment(buildAssessment('MOV-1', { minutes: 5 }));
        await s.risk.addAssessment(buildAssessment('MOV-X', { trader: 'org-other' }));
        await s.risk.saveInspection(buildInspection('MOV-1', 'seizure'));
        await s.risk.saveInspection(buildInspection('MOV-2', 'nothing_found'));
        await s.risk.saveInspection(buildInspection('MOV-3', 'irregularity'));
        await s.risk.saveInspection(buildInspection('MOV-X', 'seizure', { trader: 'org-other' }));
        assert.deepEqual(await s.risk.traderHistory('org-acme', asMovementId('MOV-3')), {
          movements: 2,
          inspections: 2,
          irregularities: 1,
        });
        assert.deepEqual(await s.risk.traderHistory('org-acme', asMovementId('MOV-NEW')), {
          movements: 3,
          inspections: 3,
          irregularities: 2,
        });
        assert.deepEqual(await s.risk.traderHistory('org-nobody', asMovementId('MOV-1')), {
          movements: 0,
          inspections: 0,
          irregularities: 0,
        });
      }),
    );
  });
}
