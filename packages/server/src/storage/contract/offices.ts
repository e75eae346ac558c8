/** Storage contract, offices: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asMovementId, asOfficeCode } from '@sealwatch/core';
import { buildMovement, buildOffice, domainError, allPages, type WithStore } from './fixtures';

export function officesContract(withStore: WithStore): void {
  describe('offices', () => {
    test(
      'creates offices with a polygon or a circle area and reads them back intact',
      withStore(async (s) => {
        const polygon = buildOffice({
          code: asOfficeCode('UGKLA200'),
          name: 'Kampala',
          country: 'UG',
          area: {
            type: 'Polygon',
            coordinates: [
              [
                [32.5, 0.3],
                [32.6, 0.3],
                [32.6, 0.4],
                [32.5, 0.3],
              ],
            ],
          },
        });
        const circle = buildOffice();
        await s.offices.create(polygon);
        await s.offices.create(circle);
        assert.deepEqual(await s.offices.get(polygon.code), polygon);
        assert.deepEqual(await s.offices.get(circle.code), circle);
        assert.equal(await s.offices.get(asOfficeCode('XX000000')), null);
      }),
    );

    test(
      'rejects a taken office code with office_exists',
      withStore(async (s) => {
        await s.offices.create(buildOffice());
        await assert.rejects(s.offices.create(buildOffice({ name: 'Other' })), domainError('office_exists'));
        assert.equal((await s.offices.get(buildOffice().code))?.name, 'Mombasa Port');
      }),
    );

    test(
      'lists offices by code in pages of 2, each once',
      withStore(async (s) => {
        for (const code of ['TZ3', 'KE1', 'UG5', 'RW2', 'BI4']) await s.offices.create(buildOffice({ code: asOfficeCode(code) }));
        const pages = await allPages((cursor) => s.offices.list({ limit: 2, cursor }));
        assert.deepEqual(
          pages.map((p) => p.map((o) => o.code)),
          [['BI4', 'KE1'], ['RW2', 'TZ3'], ['UG5']],
        );
      }),
    );

    test(
      'updates name, country and area of an office in place (its creation time kept) and deletes it; false for an unknown code',
      withStore(async (s) => {
        const office = buildOffice();
        await s.offices.create(office);
        const moved = { ...office, name: 'Kilindini', area: { center: { lat: -4.05, lon: 39.66 }, radiusM: 1200 } };
        assert.equal(await s.offices.update(moved), true);
        assert.deepEqual(await s.offices.get(office.code), moved);
        assert.equal(await s.offices.update({ ...moved, code: asOfficeCode('XX000000') }), false);
        assert.equal(await s.offices.delete(asOfficeCode('XX000000')), false);
        assert.equal(await s.offices.delete(office.code), true);
        assert.equal(await s.offices.get(office.code), null);
      }),
    );

    test(
      'names the movements that rely on an office as departure, destination or transit, by reference: not yet ended, or all',
      withStore(async (s) => {
        await s.movements.create(buildMovement({ id: asMovementId('M-DEP'), reference: 'REF-B' }));
        await s.movements.create(buildMovement({ id: asMovementId('M-ENDED'), reference: 'REF-A', status: 'ended' }));
        await s.movements.create(
          buildMovement({
            id: asMovementId('M-TRANSIT'),
            reference: 'REF-C',
            departureOffice: asOfficeCode('TZDAR100'),
            destinationOffice: asOfficeCode('RWKGL100'),
            transitOffices: [asOfficeCode('KEMBA100')],
            status: 'in_transit',
          }),
        );
        assert.deepEqual(await s.offices.movementsUsing(asOfficeCode('KEMBA100'), 10, 'open'), [
          { id: 'M-DEP', reference: 'REF-B' },
          { id: 'M-TRANSIT', reference: 'REF-C' },
        ]);
        assert.deepEqual(await s.offices.movementsUsing(asOfficeCode('KEMBA100'), 1, 'open'), [{ id: 'M-DEP', reference: 'REF-B' }]);
        assert.deepEqual(await s.offices.movementsUsing(asOfficeCode('RWKGL100'), 10, 'open'), [{ id: 'M-TRANSIT', reference: 'REF-C' }]);
        assert.deepEqual(await s.offices.movementsUsing(asOfficeCode('KEMAL'), 10, 'all'), [], 'a prefix of a code is not the code');
        assert.deepEqual(
          await s.offices.movementsUsing(asOfficeCode('KEMBA100'), 10, 'all'),
          [
            { id: 'M-ENDED', reference: 'REF-A' },
            { id: 'M-DEP', reference: 'REF-B' },
            { id: 'M-TRANSIT', reference: 'REF-C' },
          ],
          'an ended movement still names its offices',
        );
      }),
    );
  });
}
