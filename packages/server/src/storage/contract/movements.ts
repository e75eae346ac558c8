/** Storage contract, movements: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Movement } from '@sealwatch/core';
import { at, dev, mov, buildMovement, domainError, allPages, ids, type WithStore } from './fixtures';
import type { Store } from '../ports';

export function movementsContract(withStore: WithStore): void {
  describe('movements', () => {
    test(
      'creates a movement and reads back route, stops, devices and seals intact',
      withStore(async (s) => {
        const movement = buildMovement({ devices: [dev('SEAL-A'), dev('LOCK-B')], seals: ['S1', 'S2'] });
        await s.movements.create(movement);
        assert.deepEqual(await s.movements.get(movement.id), movement);
        assert.equal(await s.movements.get(mov('MOV-404')), null);
      }),
    );

    test(
      'rejects a taken movement id with movement_exists',
      withStore(async (s) => {
        await s.movements.create(buildMovement());
        await assert.rejects(s.movements.create(buildMovement({ reference: 'OTHER-REF' })), domainError('movement_exists'));
      }),
    );

    test(
      'rejects a reference already used by another movement with movement_exists',
      withStore(async (s) => {
        await s.movements.create(buildMovement());
        await assert.rejects(s.movements.create(buildMovement({ id: mov('MOV-2') })), domainError('movement_exists'));
        assert.equal(await s.movements.get(mov('MOV-2')), null);
        const page = await s.movements.list({ device: dev('SEAL-A') }, { limit: 10 });
        assert.deepEqual(
          page.items.map((m) => m.id),
          ['MOV-1'],
        );
      }),
    );

    test(
      'update replaces status, lifecycle times and devices',
      withStore(async (s) => {
        const movement = buildMovement();
        await s.movements.create(movement);
        const started = { ...movement, status: 'in_transit' as const, startedAt: at(30), updatedAt: at(31), devices: [dev('SEAL-B')] };
        await s.movements.update(started);
        assert.deepEqual(await s.movements.get(movement.id), started);
        assert.deepEqual((await s.movements.list({ device: dev('SEAL-A') }, { limit: 10 })).items, []);
        assert.deepEqual((await s.movements.list({ device: dev('SEAL-B') }, { limit: 10 })).items, [started]);
      }),
    );

    test(
      'update of a movement that was never created fails with unknown_movement',
      withStore(async (s) => {
        await assert.rejects(s.movements.update(buildMovement()), domainError('unknown_movement'));
        assert.equal(await s.movements.get(mov('MOV-1')), null);
      }),
    );

    test(
      'update to a reference used by another movement fails with movement_exists',
      withStore(async (s) => {
        await s.movements.create(buildMovement());
        const other = buildMovement({ id: mov('MOV-2'), reference: 'REF-2' });
        await s.movements.create(other);
        await assert.rejects(s.movements.update({ ...other, reference: buildMovement().reference }), domainError('movement_exists'));
        assert.deepEqual(await s.movements.get(other.id), other);
      }),
    );

    test(
      'lists movements newest first by createdAt then id, in pages of 2',
      withStore(async (s) => {
        const created: [string, number][] = [
          ['M3', 2],
          ['M1', 1],
          ['M5', 4],
          ['M2', 2],
          ['M4', 3],
        ];
        for (const [id, minute] of created) {
          await s.movements.create(buildMovement({ id: mov(id), reference: `REF-${id}`, createdAt: at(minute) }));
        }
        const pages = await allPages((cursor) => s.movements.list({}, { limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['M5', 'M4'], ['M3', 'M2'], ['M1']]);
      }),
    );

    test(
      'filters the list by status, by device, and by both, across pages',
      withStore(async (s) => {
        const rows: [string, Movement['status'], string[]][] = [
          ['M1', 'in_transit', ['SEAL-A']],
          ['M2', 'declared', ['SEAL-A']],
          ['M3', 'in_transit', ['SEAL-B']],
          ['M4', 'in_transit', ['SEAL-A', 'SEAL-B']],
          ['M5', 'in_transit', ['SEAL-C']],
        ];
        for (const [i, [id, status, devices]] of rows.entries()) {
          await s.movements.create(
            buildMovement({ id: mov(id), reference: `REF-${id}`, status, devices: devices.map(dev), createdAt: at(i) }),
          );
        }
        const list = (filter: Parameters<Store['movements']['list']>[0]) =>
          allPages((cursor) => s.movements.list(filter, { limit: 2, cursor }));
        assert.deepEqual(ids(await list({ status: 'in_transit' })), [
          ['M5', 'M4'],
          ['M3', 'M1'],
        ]);
        assert.deepEqual(ids(await list({ device: dev('SEAL-A') })), [['M4', 'M2'], ['M1']]);
        assert.deepEqual(ids(await list({ status: 'in_transit', device: dev('SEAL-B') })), [['M4', 'M3']]);
        assert.deepEqual(ids(await list({ status: 'held' })), [[]]);
      }),
    );

    test(
      'listOpenByDevice gives the movements listing the device that are not ended, newest first',
      withStore(async (s) => {
        const rows: [string, Movement['status'], string[]][] = [
          ['M1', 'declared', ['SEAL-A']],
          ['M2', 'ended', ['SEAL-A']],
          ['M3', 'in_transit', ['SEAL-A', 'SEAL-B']],
          ['M4', 'held', ['SEAL-B']],
          ['M5', 'arrived', ['SEAL-A']],
        ];
        for (const [i, [id, status, devices]] of rows.entries()) {
          await s.movements.create(
            buildMovement({ id: mov(id), reference: `REF-${id}`, status, devices: devices.map(dev), createdAt: at(i) }),
          );
        }
        assert.deepEqual(
          (await s.movements.listOpenByDevice(dev('SEAL-A'))).map((m) => m.id),
          ['M5', 'M3', 'M1'],
        );
        assert.deepEqual(
          (await s.movements.listOpenByDevice(dev('SEAL-B'))).map((m) => m.id),
          ['M4', 'M3'],
        );
        assert.deepEqual(await s.movements.listOpenByDevice(dev('SEAL-Z')), []);
      }),
    );
  });
}
