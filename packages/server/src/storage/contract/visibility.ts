/** Storage contract, visibility (the policy scopes): part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAlertId, asOfficeCode } from '@sealwatch/core';
import { mov, buildMovement, buildAlert, ids, type WithStore } from './fixtures';
import type { Store } from '../ports';

export function visibilityContract(withStore: WithStore): void {
  describe('visibility (the policy scopes)', () => {
    test(
      'movements and alerts are listed for a trader or a set of offices only',
      withStore(async (s) => {
        await s.movements.create(buildMovement({ id: mov('M-KE'), reference: 'R1', trader: 'org-acme' }));
        await s.movements.create(
          buildMovement({
            id: mov('M-UG'),
            reference: 'R2',
            trader: 'org-beta',
            departureOffice: asOfficeCode('UGKLA200'),
            destinationOffice: asOfficeCode('RWKGL300'),
          }),
        );
        await s.movements.create(
          buildMovement({
            id: mov('M-RW'),
            reference: 'R3',
            trader: 'org-acme',
            departureOffice: asOfficeCode('RWKGL300'),
            destinationOffice: asOfficeCode('BIBJM400'),
          }),
        );
        const ids = async (f: Parameters<Store['movements']['list']>[0]) =>
          (await s.movements.list(f, { limit: 10 })).items.map((m) => m.id).sort();
        assert.deepEqual(await ids({ visibleTo: { trader: 'org-acme' } }), ['M-KE', 'M-RW']);
        assert.deepEqual(await ids({ visibleTo: { offices: ['UGKLA200'] } }), ['M-KE', 'M-UG']);
        assert.deepEqual(await ids({ visibleTo: { offices: ['KEMBA100'] } }), ['M-KE']);
        assert.deepEqual(await ids({ visibleTo: { offices: [] } }), []);
        assert.deepEqual(await ids({ visibleTo: { trader: 'org-acme' }, status: 'declared' }), ['M-KE', 'M-RW']);

        await s.alerts.save(buildAlert({ id: asAlertId('A-KE'), movement: mov('M-KE') }));
        await s.alerts.save(buildAlert({ id: asAlertId('A-UG'), movement: mov('M-UG') }));
        await s.alerts.save(buildAlert({ id: asAlertId('A-DEV'), movement: null, type: 'message_forged' }));
        const alerts = async (f: Parameters<Store['alerts']['list']>[0]) =>
          (await s.alerts.list(f, { limit: 10 })).items.map((a) => a.id).sort();
        assert.deepEqual(await alerts({ visibleTo: { trader: 'org-beta' } }), ['A-UG']);
        assert.deepEqual(await alerts({ visibleTo: { offices: ['UGKLA200'] } }), ['A-KE', 'A-UG']);
        assert.deepEqual(await alerts({}), ['A-DEV', 'A-KE', 'A-UG']);
      }),
    );
  });
}
