import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors';
import { asDeviceId, asMovementId, toTimestamp } from '../ids';
import {
  assertCustody,
  assertGrantPeriod,
  assertStartTime,
  holdsCustody,
  movementArmedAt,
  endedMovementAt,
  movementOfReading,
  previousArmingEnd,
  type Arming,
  type CustodyGrant,
} from './custody';
import { BORDER_TOLERANCE_M, areaProbePoints, areaRadiusM, assertOfficeAreaSize } from './office-area';
import { distanceM } from '../geo/distance';

const lock = asDeviceId('LOCK-1');
const at = (h: number) => toTimestamp(Date.UTC(2026, 10, 26, 0, 0, 0) + h * 3600_000);
const grant = (holder: string, from: number, to: number | null): CustodyGrant => ({
  id: `G-${holder}-${from}`,
  device: lock,
  holder,
  from: at(from),
  to: to === null ? null : at(to),
  grantedBy: 'admin',
  createdAt: at(from),
});
const code = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return e.code;
  }
};

describe('device custody', () => {
  test("a holder has custody within its grant's period [from, to), and only its own", () => {
    const grants = [grant('tra', 0, 10), grant('acme', 10, null)];
    assert.equal(holdsCustody(grants, 'tra', at(0)), true);
    assert.equal(holdsCustody(grants, 'tra', at(10)), false, 'the end is exclusive');
    assert.equal(holdsCustody(grants, 'acme', at(500)), true, 'an open grant lasts');
    assert.equal(holdsCustody(grants, 'kra', at(5)), false);
    assert.equal(
      code(() => assertCustody(lock, grants, ['kra', null], at(5))),
      'device_not_in_custody',
    );
    assert.equal(
      code(() => assertCustody(lock, grants, ['kra', 'tra'], at(5))),
      null,
      "the movement's trader holds it",
    );
  });

  test('a grant must end after it starts', () => {
    assert.equal(
      code(() => assertGrantPeriod(at(2), at(2))),
      'invalid_time',
    );
    assert.equal(
      code(() => assertGrantPeriod(at(2), null)),
      null,
    );
  });

  test('an observation belongs to the movement whose armed period covers its time; a claimed, not started movement takes none', () => {
    const armings: Arming[] = [
      { device: lock, movement: asMovementId('M1'), from: at(0), to: at(10), released: true },
      { device: lock, movement: asMovementId('M2'), from: at(12), to: null, released: false },
    ];
    assert.equal(movementArmedAt(armings, at(5)), 'M1');
    assert.equal(movementArmedAt(armings, at(10)), null, 'between movements');
    assert.equal(movementArmedAt(armings, at(12)), 'M2');
    assert.equal(movementArmedAt([{ device: lock, movement: asMovementId('M3'), from: null, to: null, released: false }], at(5)), null);
    assert.equal(previousArmingEnd(armings, asMovementId('M2')), at(10));
  });

  test('a time inside an ended movement names it; inside an open one, between movements or in a withdrawn claim, none', () => {
    const armings: Arming[] = [
      { device: lock, movement: asMovementId('M1'), from: at(0), to: at(10), released: true },
      { device: lock, movement: asMovementId('M0'), from: null, to: null, released: true },
      { device: lock, movement: asMovementId('M2'), from: at(12), to: null, released: false },
    ];
    assert.equal(endedMovementAt(armings, at(0)), 'M1');
    assert.equal(endedMovementAt(armings, at(9)), 'M1');
    assert.equal(endedMovementAt(armings, at(10)), null, 'the end itself is after the period');
    assert.equal(endedMovementAt(armings, at(11)), null);
    assert.equal(endedMovementAt(armings, at(20)), null, 'the movement under way takes its late readings');
  });

  test('a captured reading is the evidence of the movement armed at its time, or of the next one before it starts; of none between past movements', () => {
    const armings: Arming[] = [
      { device: lock, movement: asMovementId('M1'), from: at(0), to: at(10), released: true },
      { device: lock, movement: asMovementId('M2'), from: at(12), to: null, released: false },
    ];
    assert.deepEqual(
      movementOfReading(armings, at(5)),
      { movement: 'M1', armed: true },
      'filed under the ended movement, not the current one',
    );
    assert.deepEqual(movementOfReading(armings, at(11)), { movement: 'M2', armed: false }, 'before M2 starts: the sealing');
    assert.equal(movementOfReading(armings, at(-1)), null, 'before the previous movement');
    assert.deepEqual(movementOfReading(armings, at(13)), { movement: 'M2', armed: true });
    assert.equal(movementOfReading(armings.slice(0, 1), at(11)), null, 'no movement claims the device');
  });

  test("a departure cannot be recorded before the device's previous movement ended, nor beyond the backdating window (backdated_start)", () => {
    const base = { device: lock, now: at(100), previousEnd: at(90), maxBackdateMs: 24 * 3600_000 };
    assert.equal(
      code(() => assertStartTime({ ...base, at: at(95) })),
      null,
    );
    assert.equal(
      code(() => assertStartTime({ ...base, at: at(89) })),
      'backdated_start',
    );
    assert.equal(
      code(() => assertStartTime({ ...base, previousEnd: null, at: at(100 - 24 * 365) })),
      'backdated_start',
      'a year back',
    );
    assert.equal(
      code(() => assertStartTime({ ...base, previousEnd: null, at: at(77) })),
      null,
      'within 24 h',
    );
  });
});

describe('office areas', () => {
  test('an office area reaches at most the configured radius: circles and polygons (office_area_too_large)', () => {
    assert.equal(
      code(() => assertOfficeAreaSize({ center: { lat: 0, lon: 30 }, radiusM: 500_000 }, 5000)),
      'office_area_too_large',
    );
    assert.equal(
      code(() => assertOfficeAreaSize({ center: { lat: 0, lon: 30 }, radiusM: 3000 }, 5000)),
      null,
    );
    const malaba = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [34.26, 0.62],
          [34.29, 0.62],
          [34.29, 0.65],
          [34.26, 0.65],
          [34.26, 0.62],
        ],
      ],
    };
    assert.ok(areaRadiusM(malaba) < 2500);
    assert.equal(
      code(() => assertOfficeAreaSize(malaba, 5000)),
      null,
    );
    const province = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [34, 0],
          [35, 0],
          [35, 1],
          [34, 1],
          [34, 0],
        ],
      ],
    };
    assert.equal(
      code(() => assertOfficeAreaSize(province, 5000)),
      'office_area_too_large',
    );
  });

  test('probe points are the centre and two rings of eight points around it, the outer at the border tolerance', () => {
    const points = areaProbePoints({ center: { lat: -1.95, lon: 30.06 }, radiusM: 2000 });
    assert.equal(points.length, 17);
    assert.ok(Math.abs(distanceM(points[0], points[16]) - BORDER_TOLERANCE_M) < 10);
    assert.deepEqual(points[0], { lat: -1.95, lon: 30.06 });
  });
});
