/** What the storage contract's suites share: the reference time, builders of valid records, assertion helpers. */
import assert from 'node:assert/strict';
import { DomainError, asAlertId, asDeviceId, asEventId, asMovementId, asOfficeCode, toTimestamp } from '@sealwatch/core';
import type {
  Alert,
  Device,
  DeviceState,
  DomainErrorCode,
  DomainEvent,
  Movement,
  NewObservation,
  NewQuarantineEntry,
  Office,
  Timestamp,
} from '@sealwatch/core';
import type { Page, Store } from '../ports';

/** Wraps a test body: a fresh, empty store opened before it and closed after it. */
export type WithStore = (fn: (store: Store) => Promise<void>) => () => Promise<void>;

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
/** A timestamp `minutes` after the suite's reference time. */
export const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);
export const dev = asDeviceId;
export const mov = asMovementId;

export function buildDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: dev('SEAL-000123'),
    class: 'active',
    kind: 'e_lock',
    protocol: 'native',
    identifiers: { imei: '356307042441013', sealNumber: 'SW-000123' },
    reportIntervalS: 60,
    key: { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } },
    owner: 'org-kra',
    createdAt: at(0),
    ...overrides,
  };
}

export function buildOffice(overrides: Partial<Office> = {}): Office {
  return {
    code: asOfficeCode('KEMBA100'),
    name: 'Mombasa Port',
    country: 'KE',
    area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 1500 },
    createdAt: at(0),
    ...overrides,
  };
}

export function buildMovement(overrides: Partial<Movement> = {}): Movement {
  return {
    id: mov('MOV-1'),
    reference: '26KE0001234567890A',
    container: 'CSQU3054383',
    vehicle: 'KDA 123X',
    trader: 'org-acme',
    devices: [dev('SEAL-A')],
    seals: ['SW-000123'],
    departureOffice: asOfficeCode('KEMBA100'),
    destinationOffice: asOfficeCode('UGKLA200'),
    transitOffices: [asOfficeCode('KEMAL300'), asOfficeCode('UGMAL300')],
    route: {
      type: 'LineString',
      coordinates: [
        [39.6682, -4.0435],
        [36.8219, -1.2921],
        [32.5825, 0.3476],
      ],
    },
    corridorWidthM: 2000,
    authorizedStops: [{ name: 'Mariakani weighbridge', area: { center: { lat: -3.86, lon: 39.47 }, radiusM: 300 }, maxDwellMinutes: 45 }],
    timeLimit: at(7 * 24 * 60),
    sensorThresholds: [{ sensor: 'temperature', max: 8 }],
    checkpoints: [{ readerId: 'RDR-1', order: 1, name: 'Gate 1' }],
    status: 'declared',
    createdAt: at(0),
    startedAt: null,
    arrivedAt: null,
    endedAt: null,
    updatedAt: at(0),
    hsChapter: null,
    originCountry: null,
    ...overrides,
  };
}

export function buildObservation(overrides: Partial<NewObservation> = {}): NewObservation {
  const seq = overrides.seq === undefined ? 1 : overrides.seq;
  const device = overrides.device ?? dev('SEAL-A');
  return {
    device,
    seq,
    time: at(1),
    receivedAt: at(2),
    late: false,
    position: { lat: -1.2921, lon: 36.8219, accuracy: 8, speed: 54, heading: 270, source: 'gnss' },
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    door: 'closed',
    sensors: { temperature: 4.2, humidity: 55 },
    battery: { level: 87, voltage: 3.91 },
    reads: null,
    attributes: null,
    trust: 'signed',
    protocol: 'native',
    hash: `hash-${device}-${seq}`,
    raw: `eyJhbGciOiJFZERTQSJ9.${device}.${seq}`,
    ...overrides,
  };
}

export function buildEvent(overrides: Partial<DomainEvent> = {}): DomainEvent {
  return {
    id: asEventId('EV-1'),
    type: 'seal_opened',
    movement: mov('MOV-1'),
    device: dev('SEAL-A'),
    time: at(10),
    details: { seal: { state: 'open' }, at: [36.8, -1.29] },
    observation: 7,
    createdAt: at(11),
    ...overrides,
  };
}

export function buildAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: asAlertId('AL-1'),
    type: 'seal_opened',
    severity: 'critical',
    status: 'open',
    movement: mov('MOV-1'),
    device: dev('SEAL-A'),
    time: at(10),
    lastTime: at(10),
    count: 1,
    details: { position: { lat: -1.29, lon: 36.82 }, readings: [1, 2] },
    assignee: null,
    outcome: null,
    comment: null,
    history: [{ action: 'opened', at: at(10), by: null }],
    createdAt: at(10),
    updatedAt: at(10),
    revision: 1,
    ...overrides,
  };
}

export function buildQuarantineEntry(overrides: Partial<NewQuarantineEntry> = {}): NewQuarantineEntry {
  return {
    receivedAt: at(1),
    transport: 'http',
    remote: '203.0.113.7:51234',
    reason: 'bad_signature',
    detail: 'signature does not verify with the registered key',
    device: 'SEAL-A',
    seq: 12,
    raw: Buffer.from('eyJhbGciOiJFZERTQSJ9.e30.AAAA').toString('base64'),
    ...overrides,
  };
}

export function buildDeviceState(overrides: Partial<DeviceState> = {}): DeviceState {
  return {
    device: dev('SEAL-A'),
    lastTime: at(5),
    lastReceivedAt: at(6),
    lastSeq: 42,
    position: { lat: -1.2921, lon: 36.8219, accuracy: 8 },
    positionTime: at(5),
    seal: { state: 'closed', rope: 'inserted' },
    battery: { level: 80 },
    ...overrides,
  };
}

/** A predicate for assert.rejects: a DomainError with this code. */
export const domainError = (code: DomainErrorCode) => (err: unknown) => {
  assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
  assert.equal(err.code, code);
  return true;
};

/** Follows nextCursor from the first page to the last; returns the pages' items. */
export async function allPages<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<T[][]> {
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

export const ids = (pages: { id: string | number }[][]) => pages.map((p) => p.map((x) => x.id));
