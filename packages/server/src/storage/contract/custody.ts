/**
 * The storage contract of the CustodyStore (part of `runStoreContract`): grants come back whole
 * and end once; a device is claimed by at most one unreleased movement, all of a movement's
 * devices or none, also when claims race; armings carry the movement's start and end, so the
 * movement an observation belongs to is the same on every engine.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DomainError,
  asDeviceId,
  asMovementId,
  movementArmedAt,
  toTimestamp,
  type CustodyGrant,
  type LendingConsent,
} from '@sealwatch/core';
import type { Store } from '../ports';
import { buildMovement } from './fixtures';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (m: number) => toTimestamp(t0 + m * 60_000);
const lock = asDeviceId('LOCK-1');
const other = asDeviceId('LOCK-2');
const mov = asMovementId;
const onMovement = (movement: string) => (e: unknown) =>
  e instanceof DomainError && e.code === 'device_on_movement' && e.details?.movement === movement;

/** Registers the custody store tests; `withStore` gives each a fresh store. */
export function custodyStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('device custody', () => {
    test(
      'a grant comes back whole, listed by start; it ends once',
      withStore(async (s) => {
        const g: CustodyGrant = { id: 'G-2', device: lock, holder: 'tra', from: at(10), to: null, grantedBy: 'admin', createdAt: at(10) };
        await s.custody.addGrant(g);
        await s.custody.addGrant({ ...g, id: 'G-1', holder: 'acme', from: at(0), to: at(10) });
        await s.custody.addGrant({ ...g, id: 'G-X', device: other });
        assert.deepEqual(await s.custody.getGrant('G-2'), g);
        assert.equal(await s.custody.getGrant('G-9'), null);
        assert.deepEqual(
          (await s.custody.grants(lock)).map((x) => x.id),
          ['G-1', 'G-2'],
        );
        assert.equal(await s.custody.endGrant('G-2', at(20)), true);
        assert.equal(await s.custody.endGrant('G-2', at(30)), false, 'already ended');
        assert.equal((await s.custody.getGrant('G-2'))?.to, at(20));
      }),
    );

    test(
      'a device is claimed by one movement at a time; a movement claims all its devices or none',
      withStore(async (s) => {
        await s.custody.claim(mov('M1'), [lock]);
        await assert.rejects(s.custody.claim(mov('M2'), [other, lock]), onMovement('M1'));
        assert.deepEqual(await s.custody.armings(other), [], 'nothing of M2 was claimed');
        await s.custody.claim(mov('M1'), [lock]);
        await s.custody.release(mov('M1'), at(1));
        await s.custody.claim(mov('M2'), [other, lock]);
        assert.deepEqual(
          (await s.custody.armings(lock)).map((a) => [a.movement, a.released]),
          [
            ['M1', true],
            ['M2', false],
          ],
        );
      }),
    );

    test(
      'a declaration stores the movement and claims its devices in one transaction: a failure of either leaves neither',
      withStore(async (s) => {
        const m1 = buildMovement({ id: mov('M1'), reference: 'REF-1', devices: [lock] });
        await s.custody.declare(m1);
        assert.equal((await s.movements.get(mov('M1')))?.reference, 'REF-1');
        assert.deepEqual(
          (await s.custody.armings(lock)).map((a) => a.movement),
          ['M1'],
        );
        // A device on another movement: the movement is not stored, its other device not claimed.
        await assert.rejects(
          s.custody.declare(buildMovement({ id: mov('M2'), reference: 'REF-2', devices: [other, lock] })),
          onMovement('M1'),
        );
        assert.equal(await s.movements.get(mov('M2')), null);
        assert.deepEqual(await s.custody.armings(other), []);
        // The movement cannot be stored (its reference is taken) after its device was claimed: the claim goes too.
        await assert.rejects(
          s.custody.declare(buildMovement({ id: mov('M3'), reference: 'REF-1', devices: [other] })),
          (e: unknown) => e instanceof DomainError && e.code === 'movement_exists',
        );
        assert.deepEqual(await s.custody.armings(other), [], 'no claim is left without its movement');
        await s.custody.declare(buildMovement({ id: mov('M3'), reference: 'REF-3', devices: [other] }));
      }),
    );

    test(
      'a lifecycle step and its armings are stored in one transaction',
      withStore(async (s) => {
        const m1 = buildMovement({ id: mov('M1'), reference: 'REF-1', devices: [lock] });
        await s.custody.declare(m1);
        await s.custody.declare(buildMovement({ id: mov('M2'), reference: 'REF-2', devices: [other] }));
        const started = { ...m1, status: 'in_transit' as const, startedAt: at(0) };
        await s.custody.recordStep(started, { arm: at(0) });
        assert.equal((await s.movements.get(mov('M1')))?.status, 'in_transit');
        assert.equal((await s.custody.armings(lock))[0].from, at(0));
        // The end cannot be stored (the reference is taken): the device stays armed on M1.
        const ended = { ...started, status: 'ended' as const, endedAt: at(60) };
        await assert.rejects(
          s.custody.recordStep({ ...ended, reference: 'REF-2' }, { release: at(60) }),
          (e: unknown) => e instanceof DomainError && e.code === 'movement_exists',
        );
        assert.deepEqual(await s.custody.armings(lock), [{ device: lock, movement: 'M1', from: at(0), to: null, released: false }]);
        await s.custody.recordStep(ended, { release: at(60) });
        assert.equal((await s.movements.get(mov('M1')))?.status, 'ended');
        assert.deepEqual(await s.custody.armings(lock), [{ device: lock, movement: 'M1', from: at(0), to: at(60), released: true }]);
      }),
    );

    test(
      'of claims racing for one device exactly one wins',
      withStore(async (s) => {
        const results = await Promise.allSettled(['MA', 'MB', 'MC', 'MD'].map((m) => s.custody.claim(mov(m), [lock])));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(onMovement((await s.custody.armings(lock))[0].movement)(r.reason));
      }),
    );

    test(
      'armed from the start, released at the end: the next movement may claim it; the movement of a time is decided by the periods',
      withStore(async (s) => {
        await s.custody.claim(mov('M1'), [lock]);
        await s.custody.arm(mov('M1'), at(0));
        await s.custody.release(mov('M1'), at(60));
        await s.custody.claim(mov('M2'), [lock]);
        assert.deepEqual(await s.custody.armings(lock), [
          { device: lock, movement: 'M1', from: at(0), to: at(60), released: true },
          { device: lock, movement: 'M2', from: null, to: null, released: false },
        ]);
        await s.custody.arm(mov('M2'), at(90));
        const armings = await s.custody.armings(lock);
        assert.equal(movementArmedAt(armings, at(30)), 'M1');
        assert.equal(movementArmedAt(armings, at(75)), null);
        assert.equal(movementArmedAt(armings, at(120)), 'M2');
      }),
    );

    test(
      'a claim the trader refused is withdrawn: the device is free, and no period is attributed to that movement',
      withStore(async (s) => {
        await s.custody.claim(mov('M1'), [lock, other]);
        await s.custody.withdrawClaims(mov('M1'), [lock]);
        assert.deepEqual(await s.custody.armings(lock), [{ device: lock, movement: 'M1', from: null, to: null, released: true }]);
        await s.custody.claim(mov('M2'), [lock]);
        await s.custody.arm(mov('M1'), at(0));
        assert.equal((await s.custody.armings(lock)).find((a) => a.movement === 'M1')?.from, null, 'a withdrawn claim is never armed');
        assert.equal((await s.custody.armings(other))[0].from, at(0));
      }),
    );

    test(
      'lending consents: one request per movement, standing ones per trader and administration, listed by party before paging, decided once',
      withStore(async (s) => {
        const request: LendingConsent = {
          id: 'C-1',
          trader: 'acme',
          administration: 'kra',
          movement: mov('M1'),
          devices: [lock],
          status: 'requested',
          from: at(0),
          to: null,
          createdAt: at(0),
          createdBy: 'u-ke',
          decidedAt: null,
          decidedBy: null,
        };
        assert.deepEqual(await s.custody.addConsent(request), request);
        assert.deepEqual(await s.custody.addConsent({ ...request, id: 'C-1b', devices: [other] }), request, 'the first request wins');
        assert.equal(await s.custody.getConsent('C-1b'), null);
        const standing: LendingConsent = { ...request, id: 'C-2', movement: null, devices: null, status: 'confirmed', to: at(600) };
        await s.custody.addConsent(standing);
        await s.custody.addConsent({ ...standing, id: 'C-3', administration: 'ura' });
        await s.custody.addConsent({ ...standing, id: 'C-4', trader: 'beta' });
        assert.deepEqual(await s.custody.consentForMovement(mov('M1')), request);
        assert.equal(await s.custody.consentForMovement(mov('M9')), null);
        assert.deepEqual(
          (await s.custody.standingConsents('acme', 'kra')).map((c) => c.id),
          ['C-2'],
        );
        const first = await s.custody.listConsents({ party: 'kra' }, { limit: 2 });
        assert.deepEqual(
          first.items.map((c) => c.id),
          ['C-1', 'C-2'],
        );
        const second = await s.custody.listConsents({ party: 'kra' }, { limit: 2, cursor: first.nextCursor });
        assert.deepEqual(
          second.items.map((c) => c.id),
          ['C-4'],
        );
        assert.equal(second.nextCursor, null);
        assert.deepEqual(
          (await s.custody.listConsents({ party: 'ura' }, { limit: 10 })).items.map((c) => c.id),
          ['C-3'],
        );
        assert.deepEqual(
          (await s.custody.listConsents({ status: 'requested' }, { limit: 10 })).items.map((c) => c.id),
          ['C-1'],
        );
        assert.deepEqual(
          (await s.custody.listConsents({ movement: mov('M1') }, { limit: 10 })).items.map((c) => c.id),
          ['C-1'],
        );
        assert.equal(await s.custody.decideConsent('C-1', ['requested'], 'confirmed', at(5), 'u-acme'), true);
        assert.equal(await s.custody.decideConsent('C-1', ['requested'], 'refused', at(6), 'u-acme'), false, 'decided once');
        assert.deepEqual(await s.custody.getConsent('C-1'), { ...request, status: 'confirmed', decidedAt: at(5), decidedBy: 'u-acme' });
        assert.equal(await s.custody.decideConsent('C-2', ['confirmed'], 'withdrawn', at(7), 'u-acme', at(7)), true);
        assert.equal((await s.custody.getConsent('C-2'))?.to, at(7));
      }),
    );
  });
}
