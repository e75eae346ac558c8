/**
 * The storage contract: the behaviour every adapter (SQLite, PostgreSQL) must show. An adapter's
 * test file calls `runStoreContract('sqlite', open)`; each test opens a fresh, empty store.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  verifyAuditEntries, DomainError, asAlertId, asDeviceId, asEventId, asMovementId, asOfficeCode, toTimestamp,
} from '@sealwatch/core';
import type {
  NewAuditEntry, Alert, Device, DeviceState, DomainErrorCode, DomainEvent, Movement, NewObservation,
  NewQuarantineEntry, Office, Timestamp,
} from '@sealwatch/core';
import type { Page, Store } from './ports';
import { runIntegrationContract } from './integration-contract';
import { riskStoreContract } from './risk-contract';
import { transitStoreContract } from './transit-contract';
import { incidentStoreContract } from './incident-contract';
import { deviceKeyStoreContract } from './device-key-contract';
import { commandStoreContract } from './command-contract';
import { webhookStoreContract } from './webhook-contract';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
/** A timestamp `minutes` after the suite's reference time. */
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);
const dev = asDeviceId;
const mov = asMovementId;

function buildDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: dev('SEAL-000123'), class: 'active', kind: 'e_lock', protocol: 'native',
    identifiers: { imei: '356307042441013', sealNumber: 'SW-000123' }, reportIntervalS: 60,
    key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } },
    owner: 'org-kra', createdAt: at(0), ...overrides,
  };
}

function buildOffice(overrides: Partial<Office> = {}): Office {
  return {
    code: asOfficeCode('KEMBA100'), name: 'Mombasa Port', country: 'KE',
    area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 1500 }, createdAt: at(0), ...overrides,
  };
}

function buildMovement(overrides: Partial<Movement> = {}): Movement {
  return {
    id: mov('MOV-1'), reference: '26KE0001234567890A', container: 'CSQU3054383', vehicle: 'KDA 123X',
    trader: 'org-acme', devices: [dev('SEAL-A')], seals: ['SW-000123'],
    departureOffice: asOfficeCode('KEMBA100'), destinationOffice: asOfficeCode('UGKLA200'), transitOffices: [asOfficeCode('KEMAL300'), asOfficeCode('UGMAL300')],
    route: { type: 'LineString', coordinates: [[39.6682, -4.0435], [36.8219, -1.2921], [32.5825, 0.3476]] },
    corridorWidthM: 2000,
    authorizedStops: [{ name: 'Mariakani weighbridge', area: { center: { lat: -3.86, lon: 39.47 }, radiusM: 300 }, maxDwellMinutes: 45 }],
    timeLimit: at(7 * 24 * 60), sensorThresholds: [{ sensor: 'temperature', max: 8 }], checkpoints: [{ readerId: 'RDR-1', order: 1, name: 'Gate 1' }], status: 'declared', createdAt: at(0), startedAt: null, arrivedAt: null,
    endedAt: null, updatedAt: at(0), hsChapter: null, originCountry: null, ...overrides,
  };
}

function buildObservation(overrides: Partial<NewObservation> = {}): NewObservation {
  const seq = overrides.seq === undefined ? 1 : overrides.seq;
  const device = overrides.device ?? dev('SEAL-A');
  return {
    device, seq, time: at(1), receivedAt: at(2), late: false,
    position: { lat: -1.2921, lon: 36.8219, accuracy: 8, speed: 54, heading: 270, source: 'gnss' },
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' }, door: 'closed',
    sensors: { temperature: 4.2, humidity: 55 }, battery: { level: 87, voltage: 3.91 },
    reads: null, attributes: null, trust: 'signed', protocol: 'native',
    hash: `hash-${device}-${seq}`, raw: `eyJhbGciOiJFZERTQSJ9.${device}.${seq}`, ...overrides,
  };
}

function buildEvent(overrides: Partial<DomainEvent> = {}): DomainEvent {
  return {
    id: asEventId('EV-1'), type: 'seal_opened', movement: mov('MOV-1'), device: dev('SEAL-A'),
    time: at(10), details: { seal: { state: 'open' }, at: [36.8, -1.29] }, observation: 7,
    createdAt: at(11), ...overrides,
  };
}

function buildAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: asAlertId('AL-1'), type: 'seal_opened', severity: 'critical', status: 'open',
    movement: mov('MOV-1'), device: dev('SEAL-A'), time: at(10), lastTime: at(10), count: 1,
    details: { position: { lat: -1.29, lon: 36.82 }, readings: [1, 2] }, assignee: null,
    outcome: null, comment: null, history: [{ action: 'opened', at: at(10), by: null }],
    createdAt: at(10), updatedAt: at(10), revision: 1, ...overrides,
  };
}

function buildQuarantineEntry(overrides: Partial<NewQuarantineEntry> = {}): NewQuarantineEntry {
  return {
    receivedAt: at(1), transport: 'http', remote: '203.0.113.7:51234', reason: 'bad_signature',
    detail: 'signature does not verify with the registered key', device: 'SEAL-A', seq: 12,
    raw: Buffer.from('eyJhbGciOiJFZERTQSJ9.e30.AAAA').toString('base64'), ...overrides,
  };
}

function buildDeviceState(overrides: Partial<DeviceState> = {}): DeviceState {
  return {
    device: dev('SEAL-A'), lastTime: at(5), lastReceivedAt: at(6), lastSeq: 42,
    position: { lat: -1.2921, lon: 36.8219, accuracy: 8 }, positionTime: at(5),
    seal: { state: 'closed', rope: 'inserted' }, battery: { level: 80 }, ...overrides,
  };
}

/** A predicate for assert.rejects: a DomainError with this code. */
const domainError = (code: DomainErrorCode) => (err: unknown) => {
  assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
  assert.equal(err.code, code);
  return true;
};

/** Follows nextCursor from the first page to the last; returns the pages' items. */
async function allPages<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetch(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 100);
  assert.equal(cursor, null, 'pagination did not end');
  return pages;
}

const ids = (pages: { id: string | number }[][]) => pages.map((p) => p.map((x) => x.id));

/** Registers the contract tests for one adapter; `open` must give a fresh, empty store each call. */
export function runStoreContract(label: string, open: () => Promise<Store>): void {
  const withStore = (fn: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`${label} store contract`, () => {
    test('ping resolves on an open store', withStore(async (s) => {
      await s.ping();
    }));

    describe('devices', () => {
      test('findByIdentifier finds a device by its IMEI, EPC or seal number, and nothing for an unknown one', withStore(async (s) => {
        await s.devices.create(buildDevice({ id: dev('GT-1'), protocol: 'gt06', identifiers: { imei: '356307042441013', sealNumber: 'KE-0009' }, key: null }));
        await s.devices.create(buildDevice({ id: dev('TAG-1'), protocol: 'rfid', identifiers: { epc: '3074257bf7194e4000001a85' }, key: null }));
        assert.equal((await s.devices.findByIdentifier('imei', '356307042441013'))?.id, 'GT-1');
        assert.equal((await s.devices.findByIdentifier('sealNumber', 'KE-0009'))?.id, 'GT-1');
        assert.equal((await s.devices.findByIdentifier('epc', '3074257bf7194e4000001a85'))?.id, 'TAG-1');
        assert.equal(await s.devices.findByIdentifier('imei', '000000000000000'), null);
        assert.equal(await s.devices.findByIdentifier('epc', '356307042441013'), null);
      }));

      test('creates a device and reads it back with identifiers and key intact', withStore(async (s) => {
        const device = buildDevice({ key: { alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'f83O', y: 'x_FE' } } });
        await s.devices.create(device);
        assert.deepEqual(await s.devices.get(device.id), device);
      }));

      test('keeps a null key, owner and report interval as null', withStore(async (s) => {
        const device = buildDevice({ class: 'passive', kind: 'rfid_seal', key: null, owner: null, reportIntervalS: null, identifiers: {} });
        await s.devices.create(device);
        assert.deepEqual(await s.devices.get(device.id), device);
      }));

      test('returns null for an unknown device id', withStore(async (s) => {
        assert.equal(await s.devices.get(dev('NOPE')), null);
      }));

      test('rejects a second device with the same id with device_exists and keeps the first', withStore(async (s) => {
        const first = buildDevice();
        await s.devices.create(first);
        await assert.rejects(s.devices.create(buildDevice({ protocol: 'jt600' })), domainError('device_exists'));
        assert.deepEqual(await s.devices.get(first.id), first);
      }));

      test('lists devices by id in pages of 2, each once', withStore(async (s) => {
        for (const id of ['D-3', 'D-1', 'D-5', 'D-2', 'D-4']) await s.devices.create(buildDevice({ id: dev(id) }));
        const pages = await allPages((cursor) => s.devices.list({ limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['D-1', 'D-2'], ['D-3', 'D-4'], ['D-5']]);
      }));

      test('clamps a page size below 1 to 1', withStore(async (s) => {
        for (const id of ['D-1', 'D-2']) await s.devices.create(buildDevice({ id: dev(id) }));
        const page = await s.devices.list({ limit: 0 });
        assert.deepEqual(page.items.map((d) => d.id), ['D-1']);
        assert.notEqual(page.nextCursor, null);
      }));

      test('rejects a malformed cursor instead of restarting the list', withStore(async (s) => {
        await s.devices.create(buildDevice());
        await assert.rejects(s.devices.list({ limit: 2, cursor: 'not a cursor' }));
        await assert.rejects(s.devices.list({ limit: 2, cursor: Buffer.from('[1,2,3]').toString('base64url') }));
      }));
    });

    describe('offices', () => {
      test('creates offices with a polygon or a circle area and reads them back intact', withStore(async (s) => {
        const polygon = buildOffice({
          code: asOfficeCode('UGKLA200'), name: 'Kampala', country: 'UG',
          area: { type: 'Polygon', coordinates: [[[32.5, 0.3], [32.6, 0.3], [32.6, 0.4], [32.5, 0.3]]] },
        });
        const circle = buildOffice();
        await s.offices.create(polygon);
        await s.offices.create(circle);
        assert.deepEqual(await s.offices.get(polygon.code), polygon);
        assert.deepEqual(await s.offices.get(circle.code), circle);
        assert.equal(await s.offices.get(asOfficeCode('XX000000')), null);
      }));

      test('rejects a taken office code with office_exists', withStore(async (s) => {
        await s.offices.create(buildOffice());
        await assert.rejects(s.offices.create(buildOffice({ name: 'Other' })), domainError('office_exists'));
        assert.equal((await s.offices.get(buildOffice().code))?.name, 'Mombasa Port');
      }));

      test('lists offices by code in pages of 2, each once', withStore(async (s) => {
        for (const code of ['TZ3', 'KE1', 'UG5', 'RW2', 'BI4']) await s.offices.create(buildOffice({ code: asOfficeCode(code) }));
        const pages = await allPages((cursor) => s.offices.list({ limit: 2, cursor }));
        assert.deepEqual(pages.map((p) => p.map((o) => o.code)), [['BI4', 'KE1'], ['RW2', 'TZ3'], ['UG5']]);
      }));
    });

    describe('movements', () => {
      test('creates a movement and reads back route, stops, devices and seals intact', withStore(async (s) => {
        const movement = buildMovement({ devices: [dev('SEAL-A'), dev('LOCK-B')], seals: ['S1', 'S2'] });
        await s.movements.create(movement);
        assert.deepEqual(await s.movements.get(movement.id), movement);
        assert.equal(await s.movements.get(mov('MOV-404')), null);
      }));

      test('rejects a taken movement id with movement_exists', withStore(async (s) => {
        await s.movements.create(buildMovement());
        await assert.rejects(s.movements.create(buildMovement({ reference: 'OTHER-REF' })), domainError('movement_exists'));
      }));

      test('rejects a reference already used by another movement with movement_exists', withStore(async (s) => {
        await s.movements.create(buildMovement());
        await assert.rejects(s.movements.create(buildMovement({ id: mov('MOV-2') })), domainError('movement_exists'));
        assert.equal(await s.movements.get(mov('MOV-2')), null);
        const page = await s.movements.list({ device: dev('SEAL-A') }, { limit: 10 });
        assert.deepEqual(page.items.map((m) => m.id), ['MOV-1']);
      }));

      test('update replaces status, lifecycle times and devices', withStore(async (s) => {
        const movement = buildMovement();
        await s.movements.create(movement);
        const started = { ...movement, status: 'in_transit' as const, startedAt: at(30), updatedAt: at(31), devices: [dev('SEAL-B')] };
        await s.movements.update(started);
        assert.deepEqual(await s.movements.get(movement.id), started);
        assert.deepEqual((await s.movements.list({ device: dev('SEAL-A') }, { limit: 10 })).items, []);
        assert.deepEqual((await s.movements.list({ device: dev('SEAL-B') }, { limit: 10 })).items, [started]);
      }));

      test('update of a movement that was never created fails with unknown_movement', withStore(async (s) => {
        await assert.rejects(s.movements.update(buildMovement()), domainError('unknown_movement'));
        assert.equal(await s.movements.get(mov('MOV-1')), null);
      }));

      test('update to a reference used by another movement fails with movement_exists', withStore(async (s) => {
        await s.movements.create(buildMovement());
        const other = buildMovement({ id: mov('MOV-2'), reference: 'REF-2' });
        await s.movements.create(other);
        await assert.rejects(s.movements.update({ ...other, reference: buildMovement().reference }), domainError('movement_exists'));
        assert.deepEqual(await s.movements.get(other.id), other);
      }));

      test('lists movements newest first by createdAt then id, in pages of 2', withStore(async (s) => {
        const created: [string, number][] = [['M3', 2], ['M1', 1], ['M5', 4], ['M2', 2], ['M4', 3]];
        for (const [id, minute] of created) {
          await s.movements.create(buildMovement({ id: mov(id), reference: `REF-${id}`, createdAt: at(minute) }));
        }
        const pages = await allPages((cursor) => s.movements.list({}, { limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['M5', 'M4'], ['M3', 'M2'], ['M1']]);
      }));

      test('filters the list by status, by device, and by both, across pages', withStore(async (s) => {
        const rows: [string, Movement['status'], string[]][] = [
          ['M1', 'in_transit', ['SEAL-A']], ['M2', 'declared', ['SEAL-A']], ['M3', 'in_transit', ['SEAL-B']],
          ['M4', 'in_transit', ['SEAL-A', 'SEAL-B']], ['M5', 'in_transit', ['SEAL-C']],
        ];
        for (const [i, [id, status, devices]] of rows.entries()) {
          await s.movements.create(buildMovement({ id: mov(id), reference: `REF-${id}`, status, devices: devices.map(dev), createdAt: at(i) }));
        }
        const list = (filter: Parameters<Store['movements']['list']>[0]) =>
          allPages((cursor) => s.movements.list(filter, { limit: 2, cursor }));
        assert.deepEqual(ids(await list({ status: 'in_transit' })), [['M5', 'M4'], ['M3', 'M1']]);
        assert.deepEqual(ids(await list({ device: dev('SEAL-A') })), [['M4', 'M2'], ['M1']]);
        assert.deepEqual(ids(await list({ status: 'in_transit', device: dev('SEAL-B') })), [['M4', 'M3']]);
        assert.deepEqual(ids(await list({ status: 'held' })), [[]]);
      }));

      test('listOpenByDevice gives the movements listing the device that are not ended, newest first', withStore(async (s) => {
        const rows: [string, Movement['status'], string[]][] = [
          ['M1', 'declared', ['SEAL-A']], ['M2', 'ended', ['SEAL-A']], ['M3', 'in_transit', ['SEAL-A', 'SEAL-B']],
          ['M4', 'held', ['SEAL-B']], ['M5', 'arrived', ['SEAL-A']],
        ];
        for (const [i, [id, status, devices]] of rows.entries()) {
          await s.movements.create(buildMovement({ id: mov(id), reference: `REF-${id}`, status, devices: devices.map(dev), createdAt: at(i) }));
        }
        assert.deepEqual((await s.movements.listOpenByDevice(dev('SEAL-A'))).map((m) => m.id), ['M5', 'M3', 'M1']);
        assert.deepEqual((await s.movements.listOpenByDevice(dev('SEAL-B'))).map((m) => m.id), ['M4', 'M3']);
        assert.deepEqual(await s.movements.listOpenByDevice(dev('SEAL-Z')), []);
      }));
    });

    describe('observations', () => {
      test('appends an observation and reads every field back by id', withStore(async (s) => {
        const obs = buildObservation({
          late: true, trust: 'hmac', door: 'open',
          reads: [{ epc: '3074257bf7194e4000001a85', tid: 'e2801160200074cf0e4a0a06', rssi: -61, time: at(1) }],
          attributes: { vendor: { fw: '2.1.0', flags: [1, 0] }, note: 'ünïcode ✓' },
        });
        const [outcome] = await s.observations.append([obs]);
        assert.equal(outcome.status, 'inserted');
        const id = (outcome as { id: number }).id;
        assert.deepEqual(await s.observations.get(id), { id, ...obs });
        assert.equal(await s.observations.get(id + 1000), null);
      }));

      test('keeps absent members of an observation as null', withStore(async (s) => {
        const obs = buildObservation({ position: null, seal: null, door: null, sensors: null, battery: null, trust: 'unverified', protocol: 'gt06' });
        const [outcome] = await s.observations.append([obs]);
        assert.deepEqual(await s.observations.get((outcome as { id: number }).id), { id: (outcome as { id: number }).id, ...obs });
      }));

      test('gives strictly increasing ids within a batch and across batches', withStore(async (s) => {
        const first = await s.observations.append([1, 2, 3].map((seq) => buildObservation({ seq })));
        const second = await s.observations.append([buildObservation({ seq: 4 }), buildObservation({ seq: null })]);
        const all = [...first, ...second].map((o) => {
          assert.equal(o.status, 'inserted');
          return (o as { id: number }).id;
        });
        for (let i = 1; i < all.length; i++) assert.ok(all[i] > all[i - 1], `id ${all[i]} after ${all[i - 1]}`);
      }));

      test('answers duplicate with the existing id for the same device, seq and hash, and stores it once', withStore(async (s) => {
        const [first] = await s.observations.append([buildObservation({ seq: 7 })]);
        const [again] = await s.observations.append([buildObservation({ seq: 7, receivedAt: at(9) })]);
        assert.deepEqual(again, { status: 'duplicate', id: (first as { id: number }).id });
        assert.equal(await s.observations.lastId(), (first as { id: number }).id);
        const page = await s.observations.listByDevice(dev('SEAL-A'), {}, { limit: 10 });
        assert.equal(page.items.length, 1);
        assert.equal(page.items[0].receivedAt, at(2));
      }));

      test('answers conflict with the stored hash for the same device and seq with another hash, and stores nothing', withStore(async (s) => {
        const original = buildObservation({ seq: 7, hash: 'hash-original' });
        const [first] = await s.observations.append([original]);
        const [clash] = await s.observations.append([buildObservation({ seq: 7, hash: 'hash-forged', raw: 'forged' })]);
        assert.deepEqual(clash, { status: 'conflict', existingHash: 'hash-original' });
        assert.equal(await s.observations.lastId(), (first as { id: number }).id);
        assert.equal((await s.observations.get((first as { id: number }).id))?.raw, original.raw);
      }));

      test('applies insert, duplicate and conflict within one batch, in input order', withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ seq: 1, hash: 'h1' }),
          buildObservation({ seq: 1, hash: 'h1' }),
          buildObservation({ seq: 1, hash: 'h2' }),
          buildObservation({ seq: 2, hash: 'h3' }),
        ]);
        assert.equal(outcomes[0].status, 'inserted');
        const id = (outcomes[0] as { id: number }).id;
        assert.deepEqual(outcomes.slice(1, 3), [{ status: 'duplicate', id }, { status: 'conflict', existingHash: 'h1' }]);
        assert.equal(outcomes[3].status, 'inserted');
        assert.ok((outcomes[3] as { id: number }).id > id);
        assert.equal((await s.observations.readLog(0, 100)).length, 2);
      }));

      test('identifies an observation without seq by device, time and hash: a resend is a duplicate of the stored row, in a batch or later', withStore(async (s) => {
        const obs = buildObservation({ seq: null, hash: 'content-1', protocol: 'teltonika', trust: 'unverified' });
        const outcomes = await s.observations.append([obs, { ...obs, receivedAt: at(3), raw: 'resent' }]);
        const [again] = await s.observations.append([{ ...obs, receivedAt: at(9) }]);
        const id = (outcomes[0] as { id: number }).id;
        assert.equal(outcomes[0].status, 'inserted');
        assert.deepEqual([outcomes[1], again], [{ status: 'duplicate', id }, { status: 'duplicate', id }]);
        assert.deepEqual(await s.observations.get(id), { id, ...obs });
        assert.equal((await s.observations.readLog(0, 100)).length, 1);
      }));

      test('stores observations without seq that differ in device, time or hash, and never confuses them with seq rows', withStore(async (s) => {
        const obs = buildObservation({ seq: null, hash: 'content-1', protocol: 'teltonika', trust: 'unverified' });
        const outcomes = await s.observations.append([
          obs, { ...obs, device: dev('SEAL-B') }, { ...obs, time: at(5) }, { ...obs, hash: 'content-2' },
          buildObservation({ seq: 1, hash: 'content-1' }),
        ]);
        assert.deepEqual(outcomes.map((o) => o.status), ['inserted', 'inserted', 'inserted', 'inserted', 'inserted']);
        const [seqLess] = await s.observations.append([obs]);
        assert.deepEqual(seqLess, { status: 'duplicate', id: (outcomes[0] as { id: number }).id });
      }));

      test('treats the same seq from another device as another message', withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ device: dev('SEAL-A'), seq: 5, hash: 'x' }),
          buildObservation({ device: dev('SEAL-B'), seq: 5, hash: 'y' }),
        ]);
        assert.deepEqual(outcomes.map((o) => o.status), ['inserted', 'inserted']);
      }));

      test('lists a device\'s observations by time then id, descending by default or ascending, in pages of 2', withStore(async (s) => {
        // Arrival order differs from time order (store-and-forward); seq 4 and 5 share a time.
        const minutes = [30, 10, 40, 20, 20];
        const outcomes = await s.observations.append(minutes.map((m, i) => buildObservation({ seq: i + 1, time: at(m) })));
        await s.observations.append([buildObservation({ device: dev('SEAL-B'), seq: 1, time: at(25) })]);
        const idOf = (seq: number) => (outcomes[seq - 1] as { id: number }).id;
        const asc = [idOf(2), idOf(4), idOf(5), idOf(1), idOf(3)];
        const desc = [...asc].reverse();
        const list = (order?: 'asc' | 'desc') =>
          allPages((cursor) => s.observations.listByDevice(dev('SEAL-A'), order ? { order } : {}, { limit: 2, cursor }));
        assert.deepEqual(ids(await list()), [desc.slice(0, 2), desc.slice(2, 4), desc.slice(4)]);
        assert.deepEqual(ids(await list('desc')), [desc.slice(0, 2), desc.slice(2, 4), desc.slice(4)]);
        assert.deepEqual(ids(await list('asc')), [asc.slice(0, 2), asc.slice(2, 4), asc.slice(4)]);
      }));

      test('limits a device listing to the from..to window, both ends inclusive', withStore(async (s) => {
        await s.observations.append([10, 20, 30, 40, 50].map((m, i) => buildObservation({ seq: i + 1, time: at(m) })));
        const page = await s.observations.listByDevice(dev('SEAL-A'), { from: at(20), to: at(40), order: 'asc' }, { limit: 10 });
        assert.deepEqual(page.items.map((o) => o.time), [at(20), at(30), at(40)]);
        assert.equal(page.nextCursor, null);
        const later = await s.observations.listByDevice(dev('SEAL-A'), { from: at(45) }, { limit: 10 });
        assert.deepEqual(later.items.map((o) => o.seq), [5]);
      }));

      test('clamps a page size above 1000 to 1000', withStore(async (s) => {
        await s.observations.append(Array.from({ length: 1001 }, (_, i) => buildObservation({ seq: i + 1, time: at(i) })));
        const page = await s.observations.listByDevice(dev('SEAL-A'), {}, { limit: 5000 });
        assert.equal(page.items.length, 1000);
        assert.notEqual(page.nextCursor, null);
      }));

      test('reads the log after an id, in id order across devices, up to the limit', withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ device: dev('SEAL-A'), seq: 1, time: at(50) }),
          buildObservation({ device: dev('SEAL-B'), seq: 1, time: at(10) }),
          buildObservation({ device: dev('SEAL-A'), seq: 2, time: at(5) }),
          buildObservation({ device: dev('SEAL-C'), seq: null }),
        ]);
        const all = outcomes.map((o) => (o as { id: number }).id);
        assert.deepEqual((await s.observations.readLog(0, 100)).map((o) => o.id), all);
        assert.deepEqual((await s.observations.readLog(all[0], 2)).map((o) => o.id), [all[1], all[2]]);
        assert.deepEqual(await s.observations.readLog(all[3], 100), []);
        const [first] = await s.observations.readLog(0, 1);
        assert.deepEqual(first, { id: all[0], ...buildObservation({ device: dev('SEAL-A'), seq: 1, time: at(50) }) });
      }));

      test('lastId is 0 on an empty log, then the highest id', withStore(async (s) => {
        assert.equal(await s.observations.lastId(), 0);
        const outcomes = await s.observations.append([buildObservation({ seq: 1 }), buildObservation({ seq: 2 })]);
        assert.equal(await s.observations.lastId(), (outcomes[1] as { id: number }).id);
      }));

      test('findKeys returns the stored (device, seq) keys with their hash and id, and nothing for unknown ones', withStore(async (s) => {
        const [a, b] = await s.observations.append([buildObservation({ seq: 1, hash: 'h1' }), buildObservation({ device: dev('SEAL-B'), seq: 1, hash: 'h2' })]);
        const found = await s.observations.findKeys([
          { device: dev('SEAL-A'), seq: 1 }, { device: dev('SEAL-B'), seq: 1 }, { device: dev('SEAL-A'), seq: 2 }, { device: dev('NOBODY'), seq: 1 },
        ]);
        const sorted = [...found].sort((x, y) => x.device.localeCompare(y.device));
        assert.deepEqual(sorted, [
          { device: 'SEAL-A', seq: 1, hash: 'h1', id: (a as { id: number }).id },
          { device: 'SEAL-B', seq: 1, hash: 'h2', id: (b as { id: number }).id },
        ]);
        assert.deepEqual(await s.observations.findKeys([]), []);
      }));

      test('lastSeq is the device\'s highest seq, whatever the arrival order, and null when it has none', withStore(async (s) => {
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), null);
        await s.observations.append([9, 12, 3].map((seq) => buildObservation({ seq })));
        await s.observations.append([buildObservation({ seq: null }), buildObservation({ device: dev('SEAL-B'), seq: 99 })]);
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), 12);
        assert.equal(await s.observations.lastSeq(dev('SEAL-B')), 99);
        await s.observations.append([buildObservation({ device: dev('SEAL-C'), seq: null })]);
        assert.equal(await s.observations.lastSeq(dev('SEAL-C')), null);
      }));

      // Retention. The times span several calendar months, so an engine that keeps months apart
      // (PostgreSQL partitions) removes some whole months and part of another.
      const days = (d: number) => at(d * 24 * 60);

      test('purgeBefore removes the observations made before the time, says how many, and keeps the rest', withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ seq: 1, time: days(-70) }),
          buildObservation({ seq: 2, time: days(-40) }),
          buildObservation({ seq: 3, time: days(-1) }),
          buildObservation({ seq: 4, time: at(0) }),
          buildObservation({ seq: 5, time: days(10) }),
          buildObservation({ device: dev('SEAL-B'), seq: 1, time: days(-40) }),
          buildObservation({ device: dev('SEAL-C'), seq: null, time: days(-70) }),
        ]);
        const id = outcomes.map((o) => (o as { id: number }).id);
        assert.equal(await s.observations.purgeBefore(at(0)), 5);
        const kept = await s.observations.listByDevice(dev('SEAL-A'), { order: 'asc' }, { limit: 10 });
        assert.deepEqual(kept.items.map((o) => o.seq), [4, 5]);
        assert.deepEqual((await s.observations.readLog(0, 100)).map((o) => o.id), [id[3], id[4]]);
        for (const i of [0, 1, 2, 5, 6]) assert.equal(await s.observations.get(id[i]), null);
        assert.deepEqual(await s.observations.get(id[3]), { id: id[3], ...buildObservation({ seq: 4, time: at(0) }) });
        assert.equal(await s.observations.lastId(), id[4]);
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), 5);
        assert.equal(await s.observations.lastSeq(dev('SEAL-B')), null);
        assert.deepEqual((await s.observations.listByDevice(dev('SEAL-C'), {}, { limit: 10 })).items, []);
        assert.equal(await s.observations.purgeBefore(at(0)), 0);
        assert.equal((await s.observations.readLog(0, 100)).length, 2);
      }));

      test('after purgeBefore a removed (device, seq) is a new message again, with an id never used before', withStore(async (s) => {
        const [old] = await s.observations.append([buildObservation({ seq: 1, time: days(-40), hash: 'h-old' })]);
        const [kept] = await s.observations.append([buildObservation({ seq: 2, time: at(1), hash: 'h-kept' })]);
        assert.equal(await s.observations.purgeBefore(at(0)), 1);
        const [again, dup, clash] = await s.observations.append([
          buildObservation({ seq: 1, time: days(-40), hash: 'h-new' }),
          buildObservation({ seq: 2, time: at(1), hash: 'h-kept' }),
          buildObservation({ seq: 2, time: at(1), hash: 'h-forged' }),
        ]);
        assert.equal(again.status, 'inserted');
        assert.ok((again as { id: number }).id > (kept as { id: number }).id);
        assert.notEqual((again as { id: number }).id, (old as { id: number }).id);
        assert.deepEqual(dup, { status: 'duplicate', id: (kept as { id: number }).id });
        assert.deepEqual(clash, { status: 'conflict', existingHash: 'h-kept' });
        assert.equal((await s.observations.get((again as { id: number }).id))?.hash, 'h-new');
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), 2);
      }));

      test('purgeBefore removes nothing from an empty store or when everything is newer', withStore(async (s) => {
        assert.equal(await s.observations.purgeBefore(at(0)), 0);
        await s.observations.append([buildObservation({ seq: 1, time: at(0) }), buildObservation({ seq: 2, time: days(40) })]);
        assert.equal(await s.observations.purgeBefore(at(0)), 0);
        assert.equal((await s.observations.readLog(0, 100)).length, 2);
      }));
    });

    describe('quarantine', () => {
      test('purgeBefore removes the entries received before the time and keeps the rest', withStore(async (s) => {
        await s.quarantine.add([1, 2, 3, 4].map((m) => buildQuarantineEntry({ receivedAt: at(m) })));
        assert.equal(await s.quarantine.purgeBefore(at(3)), 2);
        assert.deepEqual((await s.quarantine.list({}, { limit: 10 })).items.map((q) => q.receivedAt).sort(), [at(3), at(4)]);
      }));

      test('adds entries, returns their ids in input order, and keeps raw bytes exactly', withStore(async (s) => {
        const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x0d, 0x00, 0xc3, 0x28, 0x7f]);
        const entries = [
          buildQuarantineEntry({ raw: bytes.toString('base64') }),
          buildQuarantineEntry({ reason: 'unknown_device', device: null, seq: null, remote: null, transport: 'tcp:gt06' }),
        ];
        const added = await s.quarantine.add(entries);
        assert.equal(added.length, 2);
        assert.ok(added[1] > added[0]);
        const first = await s.quarantine.get(added[0]);
        assert.deepEqual(first, { id: added[0], ...entries[0] });
        assert.deepEqual(Buffer.from(first!.raw, 'base64'), bytes);
        assert.deepEqual(await s.quarantine.get(added[1]), { id: added[1], ...entries[1] });
        assert.equal(await s.quarantine.get(added[1] + 1000), null);
      }));

      test('lists entries newest first in pages of 2, each once', withStore(async (s) => {
        const added = await s.quarantine.add([1, 2, 3].map((m) => buildQuarantineEntry({ receivedAt: at(m) })));
        added.push(...await s.quarantine.add([4, 5].map((m) => buildQuarantineEntry({ receivedAt: at(m) }))));
        const pages = await allPages((cursor) => s.quarantine.list({}, { limit: 2, cursor }));
        const newest = [...added].reverse();
        assert.deepEqual(ids(pages), [newest.slice(0, 2), newest.slice(2, 4), newest.slice(4)]);
      }));

      test('filters entries by reason and by device', withStore(async (s) => {
        const [a, b, c] = await s.quarantine.add([
          buildQuarantineEntry({ reason: 'bad_signature', device: 'SEAL-A' }),
          buildQuarantineEntry({ reason: 'clock_skew', device: 'SEAL-A' }),
          buildQuarantineEntry({ reason: 'bad_signature', device: 'SEAL-B' }),
        ]);
        const list = async (filter: Parameters<Store['quarantine']['list']>[0]) =>
          (await s.quarantine.list(filter, { limit: 10 })).items.map((e) => e.id);
        assert.deepEqual(await list({ reason: 'bad_signature' }), [c, a]);
        assert.deepEqual(await list({ device: 'SEAL-A' }), [b, a]);
        assert.deepEqual(await list({ reason: 'bad_signature', device: 'SEAL-A' }), [a]);
        assert.deepEqual(await list({ reason: 'too_large' }), []);
      }));

      test('counts entries by reason', withStore(async (s) => {
        assert.deepEqual(await s.quarantine.countByReason(), {});
        await s.quarantine.add([
          buildQuarantineEntry({ reason: 'bad_signature' }), buildQuarantineEntry({ reason: 'clock_skew' }),
          buildQuarantineEntry({ reason: 'bad_signature' }),
        ]);
        assert.deepEqual(await s.quarantine.countByReason(), { bad_signature: 2, clock_skew: 1 });
      }));
    });

    describe('events', () => {
      test('lists events by time then id, filtered by movement, device or type', withStore(async (s) => {
        const events = [
          buildEvent({ id: asEventId('E3'), time: at(30), type: 'seal_opened' }),
          buildEvent({ id: asEventId('E1'), time: at(10), type: 'movement_started', device: null }),
          buildEvent({ id: asEventId('E5'), time: at(20), movement: mov('MOV-2'), device: dev('SEAL-B') }),
          buildEvent({ id: asEventId('E2'), time: at(20), type: 'route_deviation' }),
          buildEvent({ id: asEventId('E4'), time: at(40), movement: null, type: 'seq_conflict', observation: null }),
        ];
        await s.processing.record(events, []);
        const list = async (filter: Parameters<Store['events']['list']>[0]) =>
          (await s.events.list(filter, { limit: 10 })).items.map((e) => e.id);
        assert.deepEqual(await list({}), ['E1', 'E2', 'E5', 'E3', 'E4']);
        assert.deepEqual(await list({ movement: mov('MOV-1') }), ['E1', 'E2', 'E3']);
        assert.deepEqual(await list({ device: dev('SEAL-A') }), ['E2', 'E3', 'E4']);
        assert.deepEqual(await list({ type: 'seal_opened' }), ['E5', 'E3']);
        assert.deepEqual(await list({ movement: mov('MOV-1'), type: 'seal_opened' }), ['E3']);
        const page = await s.events.list({ type: 'seq_conflict' }, { limit: 10 });
        assert.deepEqual(page.items, [events[4]]);
      }));

      test('pages through events 2 at a time, each once', withStore(async (s) => {
        await s.processing.record([5, 1, 4, 2, 3].map((n) => buildEvent({ id: asEventId(`E${n}`), time: at(n) })), []);
        const pages = await allPages((cursor) => s.events.list({ movement: mov('MOV-1') }, { limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['E1', 'E2'], ['E3', 'E4'], ['E5']]);
      }));
    });

    describe('visibility (the policy scopes)', () => {
      test('movements and alerts are listed for a trader or a set of offices only', withStore(async (s) => {
        await s.movements.create(buildMovement({ id: mov('M-KE'), reference: 'R1', trader: 'org-acme' }));
        await s.movements.create(buildMovement({ id: mov('M-UG'), reference: 'R2', trader: 'org-beta', departureOffice: asOfficeCode('UGKLA200'), destinationOffice: asOfficeCode('RWKGL300') }));
        await s.movements.create(buildMovement({ id: mov('M-RW'), reference: 'R3', trader: 'org-acme', departureOffice: asOfficeCode('RWKGL300'), destinationOffice: asOfficeCode('BIBJM400') }));
        const ids = async (f: Parameters<Store['movements']['list']>[0]) => (await s.movements.list(f, { limit: 10 })).items.map((m) => m.id).sort();
        assert.deepEqual(await ids({ visibleTo: { trader: 'org-acme' } }), ['M-KE', 'M-RW']);
        assert.deepEqual(await ids({ visibleTo: { offices: ['UGKLA200'] } }), ['M-KE', 'M-UG']);
        assert.deepEqual(await ids({ visibleTo: { offices: ['KEMBA100'] } }), ['M-KE']);
        assert.deepEqual(await ids({ visibleTo: { offices: [] } }), []);
        assert.deepEqual(await ids({ visibleTo: { trader: 'org-acme' }, status: 'declared' }), ['M-KE', 'M-RW']);

        await s.alerts.save(buildAlert({ id: asAlertId('A-KE'), movement: mov('M-KE') }));
        await s.alerts.save(buildAlert({ id: asAlertId('A-UG'), movement: mov('M-UG') }));
        await s.alerts.save(buildAlert({ id: asAlertId('A-DEV'), movement: null, type: 'message_forged' }));
        const alerts = async (f: Parameters<Store['alerts']['list']>[0]) => (await s.alerts.list(f, { limit: 10 })).items.map((a) => a.id).sort();
        assert.deepEqual(await alerts({ visibleTo: { trader: 'org-beta' } }), ['A-UG']);
        assert.deepEqual(await alerts({ visibleTo: { offices: ['UGKLA200'] } }), ['A-KE', 'A-UG']);
        assert.deepEqual(await alerts({}), ['A-DEV', 'A-KE', 'A-UG']);
      }));
    });

    describe('alerts', () => {
      test('saves an alert and reads details and history back intact', withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save(alert);
        assert.deepEqual(await s.alerts.get(alert.id), alert);
        assert.equal(await s.alerts.get(asAlertId('AL-404')), null);
      }));

      test('save with an existing id replaces the alert', withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save(alert);
        const resolved: Alert = {
          ...alert, status: 'resolved', outcome: 'false_alarm', comment: 'door sensor fault', assignee: 'officer-7',
          count: 3, lastTime: at(40), updatedAt: at(50), revision: 2,
          history: [...alert.history, { action: 'resolved', at: at(50), by: 'officer-7', outcome: 'false_alarm', comment: 'door sensor fault' }],
        };
        await s.alerts.save(resolved);
        assert.deepEqual(await s.alerts.get(alert.id), resolved);
        assert.deepEqual((await s.alerts.list({}, { limit: 10 })).items, [resolved]);
      }));

      test('lists alerts newest first by updatedAt then id, in pages of 2', withStore(async (s) => {
        const rows: [string, number][] = [['A2', 2], ['A5', 5], ['A1', 1], ['A4', 2], ['A3', 3]];
        for (const [id, m] of rows) await s.alerts.save(buildAlert({ id: asAlertId(id), movement: mov(`MOV-${id}`), updatedAt: at(m) }));
        const pages = await allPages((cursor) => s.alerts.list({}, { limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['A5', 'A3'], ['A4', 'A2'], ['A1']]);
      }));

      test('filters alerts by movement, device, type and status', withStore(async (s) => {
        const alerts = [
          buildAlert({ id: asAlertId('A1'), updatedAt: at(1) }),
          buildAlert({ id: asAlertId('A2'), updatedAt: at(2), type: 'route_deviation', severity: 'major' }),
          buildAlert({ id: asAlertId('A3'), updatedAt: at(3), movement: mov('MOV-2'), device: dev('SEAL-B'), status: 'acknowledged' }),
          buildAlert({ id: asAlertId('A4'), updatedAt: at(4), movement: null, type: 'battery_low', status: 'resolved' }),
        ];
        for (const a of alerts) await s.alerts.save(a);
        const list = async (filter: Parameters<Store['alerts']['list']>[0]) =>
          (await s.alerts.list(filter, { limit: 10 })).items.map((a) => a.id);
        assert.deepEqual(await list({ movement: mov('MOV-1') }), ['A2', 'A1']);
        assert.deepEqual(await list({ device: dev('SEAL-A') }), ['A4', 'A2', 'A1']);
        assert.deepEqual(await list({ type: 'seal_opened' }), ['A3', 'A1']);
        assert.deepEqual(await list({ status: 'open' }), ['A2', 'A1']);
        assert.deepEqual(await list({ type: 'seal_opened', status: 'acknowledged', movement: mov('MOV-2'), device: dev('SEAL-B') }), ['A3']);
        assert.deepEqual(await list({ type: 'rope_cut' }), []);
      }));

      test('a change is written only over the revision it was made from; a stale one is alert_changed and leaves the alert as it was', withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save(alert);
        const acknowledged = { ...alert, status: 'acknowledged' as const, revision: 2, updatedAt: at(20) };
        await s.alerts.save(acknowledged);
        // Another writer's change made from revision 1 too (e.g. a processor counting a repeat):
        const stale = { ...alert, count: 2, revision: 2, updatedAt: at(21) };
        await assert.rejects(s.alerts.save(stale), (e: unknown) => e instanceof DomainError && e.code === 'alert_changed');
        assert.deepEqual(await s.alerts.get(alert.id), acknowledged);
        // Saving the same alert as new again (revision 1) is a conflict too.
        await assert.rejects(s.alerts.save(alert), (e: unknown) => e instanceof DomainError && e.code === 'alert_changed');
      }));

      test('a movement has at most one unresolved alert of a type; after resolution a new one may open', withStore(async (s) => {
        const first = buildAlert({ id: asAlertId('A1') });
        await s.alerts.save(first);
        await assert.rejects(s.alerts.save(buildAlert({ id: asAlertId('A2') })), (e: unknown) => e instanceof DomainError && e.code === 'alert_changed');
        await s.alerts.save({ ...first, status: 'resolved', outcome: 'confirmed', revision: 2 });
        await s.alerts.save(buildAlert({ id: asAlertId('A2') }));
        assert.equal((await s.alerts.findUnresolved('seal_opened', mov('MOV-1'), null))?.id, 'A2');
      }));

      test('a processing commit by observation that loses an alert race applies nothing and says so', withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save({ ...alert });
        await s.alerts.save({ ...alert, status: 'acknowledged', revision: 2 });
        const applied = await s.processing.commit({ processor: 'p-1', checkpoint: 9, observationIds: [9], events: [buildEvent({ id: asEventId('EV-race') })], alerts: [{ ...alert, count: 2, revision: 2 }], deviceStates: [] });
        assert.equal(applied, false);
        assert.deepEqual(await s.processing.unprocessed([9]), [9]);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, []);
        assert.equal((await s.alerts.get(alert.id))?.status, 'acknowledged');
      }));

      test('findUnresolved gives the unresolved alert of the type for the movement and ignores resolved ones', withStore(async (s) => {
        await s.alerts.save(buildAlert({ id: asAlertId('A1'), status: 'resolved', outcome: 'confirmed' }));
        assert.equal(await s.alerts.findUnresolved('seal_opened', mov('MOV-1'), dev('SEAL-A')), null);
        const acknowledged = buildAlert({ id: asAlertId('A2'), status: 'acknowledged', updatedAt: at(20) });
        await s.alerts.save(acknowledged);
        await s.alerts.save(buildAlert({ id: asAlertId('A3'), type: 'rope_cut' }));
        await s.alerts.save(buildAlert({ id: asAlertId('A4'), movement: mov('MOV-2') }));
        assert.deepEqual(await s.alerts.findUnresolved('seal_opened', mov('MOV-1'), dev('SEAL-A')), acknowledged);
        assert.equal(await s.alerts.findUnresolved('route_deviation', mov('MOV-1'), dev('SEAL-A')), null);
        assert.equal(await s.alerts.findUnresolved('seal_opened', mov('MOV-3'), dev('SEAL-A')), null);
      }));

      test('countUnresolved counts unresolved alerts by type, or by movement among those asked', withStore(async (s) => {
        await s.alerts.save(buildAlert({ id: asAlertId('A1') }));
        await s.alerts.save(buildAlert({ id: asAlertId('A2'), type: 'rope_cut' }));
        await s.alerts.save(buildAlert({ id: asAlertId('A3'), movement: mov('MOV-2'), status: 'acknowledged' }));
        await s.alerts.save(buildAlert({ id: asAlertId('A4'), movement: mov('MOV-3'), status: 'resolved' }));
        assert.deepEqual(await s.alerts.countUnresolved('type'), { seal_opened: 2, rope_cut: 1 });
        assert.deepEqual(await s.alerts.countUnresolved('movement', [mov('MOV-1'), mov('MOV-3')]), { 'MOV-1': 2 });
        assert.deepEqual(await s.alerts.countUnresolved('movement', []), {});
      }));

      test('findUnresolved keys on the device when the movement is null', withStore(async (s) => {
        const deviceAlert = buildAlert({ id: asAlertId('A1'), type: 'battery_low', movement: null, device: dev('SEAL-A') });
        await s.alerts.save(deviceAlert);
        await s.alerts.save(buildAlert({ id: asAlertId('A2'), type: 'battery_low', movement: null, device: dev('SEAL-B'), status: 'resolved' }));
        assert.deepEqual(await s.alerts.findUnresolved('battery_low', null, dev('SEAL-A')), deviceAlert);
        assert.equal(await s.alerts.findUnresolved('battery_low', null, dev('SEAL-B')), null);
        // An alert of a movement is not the device's own alert.
        await s.alerts.save(buildAlert({ id: asAlertId('A3'), type: 'signal_lost', device: dev('SEAL-C') }));
        assert.equal(await s.alerts.findUnresolved('signal_lost', null, dev('SEAL-C')), null);
      }));
    });

    describe('processing', () => {
      test('checkpoint is 0 for a processor that never committed', withStore(async (s) => {
        assert.equal(await s.processing.checkpoint('detectors'), 0);
      }));

      test('commit stores events, alerts, device states and the checkpoint together', withStore(async (s) => {
        const event = buildEvent();
        const alert = buildAlert();
        const state = buildDeviceState();
        await s.processing.commit({ processor: 'detectors', checkpoint: 7, events: [event], alerts: [alert], deviceStates: [state] });
        assert.equal(await s.processing.checkpoint('detectors'), 7);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, [event]);
        assert.deepEqual(await s.alerts.get(alert.id), alert);
        assert.deepEqual(await s.processing.deviceState(state.device), state);
      }));

      test('commit by observation ids applies once per observation, in any order of batches, and says whether it applied', withStore(async (s) => {
        const later = await s.processing.commit({ processor: 'p-1', checkpoint: 50, observationIds: [5, 6], events: [buildEvent({ id: asEventId('EV-later') })], alerts: [], deviceStates: [] });
        assert.equal(later, true);
        // An earlier batch committed after a later one still applies: no position makes it a replay.
        const earlier = await s.processing.commit({ processor: 'p-1', checkpoint: 20, observationIds: [3, 4], events: [buildEvent({ id: asEventId('EV-earlier') })], alerts: [], deviceStates: [] });
        assert.equal(earlier, true);
        assert.equal(await s.processing.checkpoint('p-1'), 50);
        // One id already processed: the whole commit is skipped.
        const overlap = await s.processing.commit({ processor: 'p-1', checkpoint: 60, observationIds: [4, 7], events: [buildEvent({ id: asEventId('EV-overlap') })], alerts: [], deviceStates: [] });
        assert.equal(overlap, false);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items.map((e) => e.id).sort(), ['EV-earlier', 'EV-later']);
        assert.deepEqual(await s.processing.unprocessed([8, 4, 7, 3]), [7, 8]);
        assert.deepEqual(await s.processing.unprocessed([]), []);
      }));

      test('a device state is never replaced by an older one', withStore(async (s) => {
        const newer = buildDeviceState({ lastTime: at(20), lastSeq: 20 });
        await s.processing.commit({ processor: 'p-1', checkpoint: 1, observationIds: [1], events: [], alerts: [], deviceStates: [newer] });
        await s.processing.commit({ processor: 'p-1', checkpoint: 2, observationIds: [2], events: [], alerts: [], deviceStates: [{ ...newer, lastTime: at(10), lastSeq: 10 }] });
        assert.deepEqual(await s.processing.deviceState(newer.device), newer);
      }));

      test('ignores a commit whose checkpoint is not past the stored one', withStore(async (s) => {
        const alert = buildAlert();
        const state = buildDeviceState();
        await s.processing.commit({ processor: 'detectors', checkpoint: 10, events: [buildEvent()], alerts: [alert], deviceStates: [state] });
        for (const checkpoint of [10, 4]) {
          await s.processing.commit({
            processor: 'detectors', checkpoint,
            events: [buildEvent({ id: asEventId(`EV-replay-${checkpoint}`) })],
            alerts: [{ ...alert, count: 99, updatedAt: at(99) }],
            deviceStates: [{ ...state, lastSeq: 99 }],
          });
        }
        assert.equal(await s.processing.checkpoint('detectors'), 10);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items.map((e) => e.id), ['EV-1']);
        assert.deepEqual(await s.alerts.get(alert.id), alert);
        assert.deepEqual(await s.processing.deviceState(state.device), state);
      }));

      test('keeps one checkpoint per processor', withStore(async (s) => {
        await s.processing.commit({ processor: 'detectors', checkpoint: 10, events: [], alerts: [], deviceStates: [] });
        await s.processing.commit({ processor: 'exporter', checkpoint: 3, events: [], alerts: [], deviceStates: [] });
        await s.processing.commit({ processor: 'detectors', checkpoint: 12, events: [], alerts: [], deviceStates: [] });
        assert.equal(await s.processing.checkpoint('detectors'), 12);
        assert.equal(await s.processing.checkpoint('exporter'), 3);
      }));

      test('a later commit keeps an event id already stored and upserts its alerts and states', withStore(async (s) => {
        const event = buildEvent();
        await s.processing.record([event], []);
        await s.processing.commit({ processor: 'detectors', checkpoint: 1, events: [], alerts: [buildAlert()], deviceStates: [buildDeviceState()] });
        const repeated = buildAlert({ count: 2, lastTime: at(20), updatedAt: at(20), revision: 2, history: [...buildAlert().history, { action: 'repeated', at: at(20), by: null }] });
        const moved = buildDeviceState({ lastSeq: 43, position: { lat: -1.3, lon: 36.9 }, positionTime: at(20) });
        await s.processing.commit({
          processor: 'detectors', checkpoint: 2, events: [{ ...event, details: { changed: true } }],
          alerts: [repeated], deviceStates: [moved],
        });
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, [event]);
        assert.deepEqual(await s.alerts.get(repeated.id), repeated);
        assert.deepEqual(await s.processing.deviceState(moved.device), moved);
        assert.equal(await s.processing.checkpoint('detectors'), 2);
      }));

      test('a commit that fails part-way stores nothing', withStore(async (s) => {
        // A BigInt cannot be serialised as JSON, so the alert fails after the event was written.
        const broken = buildAlert({ details: { reading: 10n } });
        await assert.rejects(s.processing.commit({
          processor: 'detectors', checkpoint: 5, events: [buildEvent()], alerts: [buildAlert({ id: asAlertId('AL-0') }), broken],
          deviceStates: [buildDeviceState()],
        }));
        assert.equal(await s.processing.checkpoint('detectors'), 0);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, []);
        assert.equal(await s.alerts.get(asAlertId('AL-0')), null);
        assert.equal(await s.processing.deviceState(dev('SEAL-A')), null);
      }));

      test('record saves events and alerts without moving any checkpoint, ignoring known event ids', withStore(async (s) => {
        const event = buildEvent({ type: 'seq_conflict', movement: null, observation: null });
        const alert = buildAlert({ type: 'message_forged', movement: null });
        await s.processing.record([event], [alert]);
        await s.processing.record([{ ...event, details: { other: 1 } }], [{ ...alert, status: 'acknowledged', revision: 2 }]);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, [event]);
        assert.equal((await s.alerts.get(alert.id))?.status, 'acknowledged');
        assert.equal(await s.processing.checkpoint('detectors'), 0);
      }));

      test('deviceState is null for an unknown device; deviceStates gives only the known ones', withStore(async (s) => {
        const a = buildDeviceState();
        const b = buildDeviceState({ device: dev('SEAL-B'), position: null, positionTime: null, seal: null, battery: null, lastSeq: null });
        await s.processing.commit({ processor: 'detectors', checkpoint: 1, events: [], alerts: [], deviceStates: [a, b] });
        assert.equal(await s.processing.deviceState(dev('SEAL-Z')), null);
        assert.deepEqual(await s.processing.deviceState(b.device), b);
        const states = await s.processing.deviceStates([dev('SEAL-B'), dev('SEAL-Z'), dev('SEAL-A')]);
        assert.deepEqual([...states].sort((x, y) => x.device.localeCompare(y.device)), [a, b]);
        assert.deepEqual(await s.processing.deviceStates([]), []);
      }));
    });

    describe('audit', () => {
      const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
      const entry = (ref: string, subjects: string[] = ['SEAL-A', 'MOV-1']): NewAuditEntry => ({
        kind: 'device_message', ref, time: at(1), actor: 'device:SEAL-A', subjects, action: 'accepted',
        data: { seq: 1, payloadHash: `p-${ref}`, ratio: 0.1, big: 12345678901234, nested: { b: 1, a: [1.5, 'x'] } },
      });

      test('appends a chain that verifies, once per ref, and reads it back exactly', withStore(async (s) => {
        assert.equal(await s.audit.head(), null);
        const first = await s.audit.append([entry('r1'), entry('r2'), entry('r1')]);
        assert.deepEqual(first.map((e) => [e.seq, e.ref]), [[1, 'r1'], [2, 'r2']]);
        const again = await s.audit.append([entry('r2'), entry('r3', ['SEAL-B'])]);
        assert.deepEqual(again.map((e) => [e.seq, e.ref]), [[3, 'r3']]);
        assert.deepEqual(await s.audit.head(), { seq: 3, hash: again[0].hash });
        const all = await s.audit.range(1, 10);
        assert.deepEqual(all, [...first, ...again]);
        assert.deepEqual(verifyAuditEntries(null, all, sha256), { ok: true, last: { seq: 3, hash: again[0].hash } });
        assert.deepEqual((await s.audit.range(2, 1)).map((e) => e.seq), [2]);
        assert.deepEqual(await s.audit.seqsBySubject('MOV-1'), [1, 2]);
        assert.deepEqual(await s.audit.seqsBySubject('SEAL-B'), [3]);
        assert.deepEqual(await s.audit.seqsBySubject('nobody'), []);
      }));

      test('concurrent appends still form one chain without gaps', withStore(async (s) => {
        await Promise.all(Array.from({ length: 12 }, (_, i) => s.audit.append([entry(`c${i}a`), entry(`c${i}b`)])));
        const all = await s.audit.range(1, 100);
        assert.equal(all.length, 24);
        assert.equal(verifyAuditEntries(null, all, sha256).ok, true);
      }));

      test('checkpoints are kept by seq and found at or after a position', withStore(async (s) => {
        const cp = (seq: number) => ({ seq, hash: `h${seq}`, time: at(seq), keyId: 'k1', signature: `sig${seq}` });
        await s.audit.addCheckpoint(cp(10));
        await s.audit.addCheckpoint(cp(4));
        await s.audit.addCheckpoint(cp(4));
        assert.deepEqual(await s.audit.checkpoints(), [cp(4), cp(10)]);
        assert.deepEqual(await s.audit.checkpointAtOrAfter(5), cp(10));
        assert.deepEqual(await s.audit.checkpointAtOrAfter(4), cp(4));
        assert.equal(await s.audit.checkpointAtOrAfter(11), null);
      }));
    });

    describe('access', () => {
      const org = { id: 'org-kra', name: 'Kenya Revenue Authority', kind: 'customs' as const, country: 'KE', aeo: false, createdAt: at(0) };
      const user = {
        id: 'u1', username: 'officer.ke', name: 'A. Officer', organisation: 'org-kra', roles: ['officer' as const, 'operator' as const],
        passwordHash: 'scrypt$16384$8$1$salt$hash', totpSecret: null, disabled: false, failedLogins: 0, lockedUntil: null, createdAt: at(1),
      };

      test('organisations and users are stored, read back intact and unique', withStore(async (s) => {
        await s.access.createOrganisation(org);
        await s.access.createOrganisation({ ...org, id: 'org-acme', name: 'Acme', kind: 'trader', country: null, aeo: true });
        await assert.rejects(s.access.createOrganisation(org), domainError('organisation_exists'));
        assert.deepEqual(await s.access.getOrganisation('org-kra'), org);
        assert.deepEqual((await s.access.listOrganisations()).map((o) => [o.id, o.aeo]), [['org-acme', true], ['org-kra', false]]);
        await s.access.createUser(user);
        await assert.rejects(s.access.createUser({ ...user, id: 'u2' }), domainError('user_exists'));
        assert.deepEqual(await s.access.getUser('u1'), user);
        assert.deepEqual(await s.access.getUserByUsername('officer.ke'), user);
        assert.equal(await s.access.getUser('nobody'), null);
        const locked = { ...user, failedLogins: 6, lockedUntil: at(30), disabled: true, roles: ['supervisor' as const] };
        await s.access.updateUser(locked);
        assert.deepEqual(await s.access.getUser('u1'), locked);
        assert.deepEqual((await s.access.listUsers('org-kra')).map((u) => u.id), ['u1']);
        assert.deepEqual(await s.access.listUsers('org-acme'), []);
      }));

      test('sign-in attempts: parallel attempts on one key are counted one by one; a TOTP step is used once', withStore(async (s) => {
        const delay = (n: number) => (n > 3 ? 60_000 : 0);
        const taken = await Promise.all(Array.from({ length: 8 }, () => s.access.takeSignInAttempt('bob|10.0.0.1', 1_000, delay)));
        assert.equal(taken.filter((t) => t.ok).length, 4, JSON.stringify(taken));
        assert.deepEqual(taken.find((t) => !t.ok), { ok: false, retryAfterMs: 60_000 });
        assert.deepEqual(await s.access.takeSignInAttempt('bob|10.0.0.2', 1_000, delay), { ok: true }, 'another source is another key');
        assert.deepEqual(await s.access.takeSignInAttempt('bob|10.0.0.1', 61_000, delay), { ok: true }, 'the wait is over');
        await s.access.clearSignInFailures('bob|10.0.0.1');
        assert.deepEqual(await s.access.takeSignInAttempt('bob|10.0.0.1', 61_001, (n) => (n > 1 ? 5 : 0)), { ok: true }, 'cleared: counting starts again');
        assert.equal(await s.access.pruneSignInFailures(61_000), 1, 'the other source was last touched at 1 s');
        await s.access.createOrganisation(org);
        await s.access.createUser(user);
        assert.equal(await s.access.useTotpStep('u1', 100), true);
        assert.equal(await s.access.useTotpStep('u1', 100), false);
        assert.equal(await s.access.useTotpStep('u1', 99), false);
        assert.equal(await s.access.useTotpStep('u1', 101), true);
      }));

      test('sessions and API tokens: found by hash, deleted, revoked', withStore(async (s) => {
        await s.access.createOrganisation(org);
        await s.access.createUser(user);
        const session = { idHash: 'h-session', user: 'u1', csrf: 'c', createdAt: at(0), expiresAt: at(720) };
        await s.access.createSession(session);
        await s.access.createSession({ ...session, idHash: 'h-other' });
        assert.deepEqual(await s.access.getSession('h-session'), session);
        await s.access.deleteSession('h-session');
        assert.equal(await s.access.getSession('h-session'), null);
        await s.access.deleteSessionsOf('u1');
        assert.equal(await s.access.getSession('h-other'), null);
        const token = { id: 't1', hash: 'h-token', user: 'u1', name: 'NCTS bridge', scopes: ['movements.read' as const], createdAt: at(0), expiresAt: at(60), revokedAt: null };
        await s.access.createToken(token);
        assert.deepEqual(await s.access.getTokenByHash('h-token'), token);
        assert.equal(await s.access.revokeToken('t1', at(5)), true);
        assert.equal(await s.access.revokeToken('t1', at(9)), true);
        assert.deepEqual((await s.access.getTokenByHash('h-token'))?.revokedAt, at(5));
        assert.equal(await s.access.revokeToken('t9', at(5)), false);
        assert.deepEqual((await s.access.listTokens('u1')).map((t) => t.id), ['t1']);
      }));
    });

    riskStoreContract(withStore);

    transitStoreContract(withStore);

    incidentStoreContract(withStore, buildMovement);

    deviceKeyStoreContract(withStore);

    commandStoreContract(withStore);

    webhookStoreContract(withStore);

    runIntegrationContract(withStore);

    describe('settings', () => {
      test('get is null for an unknown key; set stores a value and then overwrites it', withStore(async (s) => {
        assert.equal(await s.settings.get('admin_token_hash'), null);
        await s.settings.set('admin_token_hash', 'sha256:abc');
        await s.settings.set('other', 'x');
        assert.equal(await s.settings.get('admin_token_hash'), 'sha256:abc');
        await s.settings.set('admin_token_hash', 'sha256:def');
        assert.equal(await s.settings.get('admin_token_hash'), 'sha256:def');
        assert.equal(await s.settings.get('other'), 'x');
      }));

      test('setIfAbsent keeps the first value written', withStore(async (s) => {
        assert.equal(await s.settings.setIfAbsent('signing_key', 'first'), 'first');
        assert.equal(await s.settings.setIfAbsent('signing_key', 'second'), 'first');
        assert.equal(await s.settings.get('signing_key'), 'first');
      }));
    });
  });
}
