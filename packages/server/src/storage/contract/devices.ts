/** Storage contract, devices: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dev, buildDevice, domainError, allPages, ids, type WithStore } from './fixtures';

export function devicesContract(withStore: WithStore): void {
  describe('devices', () => {
    test(
      'findByIdentifier finds a device by its id, IMEI, EPC or seal number in any case, and nothing for an unknown one',
      withStore(async (s) => {
        await s.devices.create(
          buildDevice({ id: dev('GT-1'), protocol: 'gt06', identifiers: { imei: '356307042441013', sealNumber: 'KE-0009' }, key: null }),
        );
        await s.devices.create(
          buildDevice({ id: dev('TAG-1'), protocol: 'rfid', identifiers: { epc: '3074257bf7194e4000001a85' }, key: null }),
        );
        assert.equal((await s.devices.findByIdentifier('imei', '356307042441013'))?.id, 'GT-1');
        assert.equal((await s.devices.findByIdentifier('sealNumber', 'KE-0009'))?.id, 'GT-1');
        assert.equal((await s.devices.findByIdentifier('epc', '3074257bf7194e4000001a85'))?.id, 'TAG-1');
        assert.equal(await s.devices.findByIdentifier('imei', '000000000000000'), null);
        assert.equal(await s.devices.findByIdentifier('epc', '356307042441013'), null);
        // Without case: hex DevEUIs and EPCs, and seal numbers, are written in either case.
        assert.equal((await s.devices.findByIdentifier('epc', '3074257BF7194E4000001A85'))?.id, 'TAG-1');
        assert.equal((await s.devices.findByIdentifier('sealNumber', 'ke-0009'))?.id, 'GT-1');
        assert.equal((await s.devices.findByIdentifier('id', 'gt-1'))?.id, 'GT-1');
        assert.equal(await s.devices.findByIdentifier('id', 'GT-2'), null);
      }),
    );

    test(
      'creates a device and reads it back with identifiers and key intact',
      withStore(async (s) => {
        const device = buildDevice({ key: { alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'f83O', y: 'x_FE' } } });
        await s.devices.create(device);
        assert.deepEqual(await s.devices.get(device.id), device);
      }),
    );

    test(
      'keeps a null key, owner and report interval as null',
      withStore(async (s) => {
        const device = buildDevice({ class: 'passive', kind: 'rfid_seal', key: null, owner: null, reportIntervalS: null, identifiers: {} });
        await s.devices.create(device);
        assert.deepEqual(await s.devices.get(device.id), device);
      }),
    );

    test(
      'returns null for an unknown device id',
      withStore(async (s) => {
        assert.equal(await s.devices.get(dev('NOPE')), null);
      }),
    );

    test(
      'rejects a second device with the same id with device_exists and keeps the first',
      withStore(async (s) => {
        const first = buildDevice();
        await s.devices.create(first);
        await assert.rejects(s.devices.create(buildDevice({ protocol: 'jt600' })), domainError('device_exists'));
        assert.deepEqual(await s.devices.get(first.id), first);
      }),
    );

    test(
      'lists devices by id in pages of 2, each once',
      withStore(async (s) => {
        for (const id of ['D-3', 'D-1', 'D-5', 'D-2', 'D-4']) await s.devices.create(buildDevice({ id: dev(id) }));
        const pages = await allPages((cursor) => s.devices.list({ limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['D-1', 'D-2'], ['D-3', 'D-4'], ['D-5']]);
      }),
    );

    test(
      'clamps a page size below 1 to 1',
      withStore(async (s) => {
        for (const id of ['D-1', 'D-2']) await s.devices.create(buildDevice({ id: dev(id) }));
        const page = await s.devices.list({ limit: 0 });
        assert.deepEqual(
          page.items.map((d) => d.id),
          ['D-1'],
        );
        assert.notEqual(page.nextCursor, null);
      }),
    );

    test(
      'rejects a malformed cursor instead of restarting the list',
      withStore(async (s) => {
        await s.devices.create(buildDevice());
        await assert.rejects(s.devices.list({ limit: 2, cursor: 'not a cursor' }));
        await assert.rejects(s.devices.list({ limit: 2, cursor: Buffer.from('[1,2,3]').toString('base64url') }));
      }),
    );
  });
}
