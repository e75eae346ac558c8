/**
 * The storage contract of device integrations: integration tokens, pending devices and
 * a reader's registered placement. Called from `runStoreContract`, so both engines run it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asDeviceId, DomainError, toTimestamp, type Device, type Timestamp } from '@sealwatch/core';
import type { IntegrationToken, Store } from '../ports';

const at = (minutes: number): Timestamp => toTimestamp(Date.UTC(2026, 10, 26, 3, 0, 0) + minutes * 60_000);

function buildToken(overrides: Partial<IntegrationToken> = {}): IntegrationToken {
  return {
    id: 'int-1',
    kind: 'chirpstack',
    name: 'ChirpStack Nairobi',
    tokenSha256: 'a'.repeat(64),
    createdAt: at(0),
    createdBy: 'user:admin',
    organisation: 'platform',
    revokedAt: null,
    ...overrides,
  };
}

const isCode = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

/** Registers the integration tests; `withStore` opens a fresh store per test and closes it. */
export function runIntegrationContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('integration tokens', () => {
    test(
      'creates a token and finds it by its hash; an unknown hash finds nothing',
      withStore(async (s) => {
        const t = buildToken();
        await s.integrations.create(t);
        assert.deepEqual(await s.integrations.findByHash(t.tokenSha256), t);
        assert.equal(await s.integrations.findByHash('b'.repeat(64)), null);
      }),
    );

    test(
      'refuses a taken id or a taken token hash with integration_exists',
      withStore(async (s) => {
        await s.integrations.create(buildToken());
        await assert.rejects(s.integrations.create(buildToken({ tokenSha256: 'c'.repeat(64) })), isCode('integration_exists'));
        await assert.rejects(s.integrations.create(buildToken({ id: 'int-2' })), isCode('integration_exists'));
      }),
    );

    test(
      "lists one organisation's integrations, or every one; get by id",
      withStore(async (s) => {
        await s.integrations.create(buildToken());
        await s.integrations.create(buildToken({ id: 'int-2', tokenSha256: 'd'.repeat(64), organisation: 'kra' }));
        await s.integrations.create(buildToken({ id: 'int-3', tokenSha256: 'e'.repeat(64), organisation: 'kra' }));
        const ids = (p: { items: IntegrationToken[] }) => p.items.map((t) => t.id);
        assert.deepEqual(ids(await s.integrations.list({ limit: 10 })), ['int-1', 'int-2', 'int-3']);
        const first = await s.integrations.list({ limit: 1 }, 'kra');
        assert.deepEqual(ids(first), ['int-2']);
        assert.deepEqual(ids(await s.integrations.list({ limit: 1, cursor: first.nextCursor }, 'kra')), ['int-3']);
        assert.equal((await s.integrations.get('int-2'))?.organisation, 'kra');
        assert.equal(await s.integrations.get('nope'), null);
      }),
    );

    test(
      'revoke stamps the first revocation time and keeps it; an unknown id gives null',
      withStore(async (s) => {
        await s.integrations.create(buildToken());
        assert.equal((await s.integrations.revoke('int-1', at(5)))?.revokedAt, at(5));
        assert.equal((await s.integrations.revoke('int-1', at(9)))?.revokedAt, at(5));
        assert.equal((await s.integrations.findByHash('a'.repeat(64)))?.revokedAt, at(5));
        assert.equal(await s.integrations.revoke('nope', at(5)), null);
      }),
    );

    test(
      'lists tokens by id in pages',
      withStore(async (s) => {
        for (const [i, id] of ['int-c', 'int-a', 'int-b'].entries())
          await s.integrations.create(buildToken({ id, tokenSha256: String(i).repeat(64), kind: 'rfid' }));
        const first = await s.integrations.list({ limit: 2 });
        assert.deepEqual(
          first.items.map((t) => t.id),
          ['int-a', 'int-b'],
        );
        const second = await s.integrations.list({ limit: 2, cursor: first.nextCursor });
        assert.deepEqual(
          second.items.map((t) => t.id),
          ['int-c'],
        );
        assert.equal(second.nextCursor, null);
      }),
    );
  });

  describe('pending devices', () => {
    test(
      'note adds an identifier once and counts later sightings, keeping the latest protocol and time',
      withStore(async (s) => {
        await s.pendingDevices.note({
          identifier: '356307042441013',
          protocol: 'gt06',
          transport: 'tcp:gt06',
          remote: '10.0.0.1',
          at: at(1),
        });
        await s.pendingDevices.note({
          identifier: '356307042441013',
          protocol: 'jt808',
          transport: 'tcp:jt808',
          remote: '10.0.0.2',
          at: at(4),
        });
        await s.pendingDevices.note({ identifier: '356307042441013', protocol: 'jt808', transport: 'tcp:jt808', remote: null, at: at(3) });
        assert.deepEqual(await s.pendingDevices.get('356307042441013'), {
          identifier: '356307042441013',
          protocol: 'jt808',
          transport: 'tcp:jt808',
          remote: null,
          firstSeenAt: at(1),
          lastSeenAt: at(4),
          count: 3,
          organisation: null,
        });
        assert.equal(await s.pendingDevices.get('000'), null);
      }),
    );

    test(
      "an identifier reported through one organisation's integrations is that organisation's, listed for it before paging; through two, the platform's alone",
      withStore(async (s) => {
        const seen = (identifier: string, organisation: string | null) =>
          s.pendingDevices.note({
            identifier,
            protocol: 'chirpstack',
            transport: 'http:chirpstack',
            remote: null,
            at: at(1),
            organisation,
          });
        await seen('A1', 'orga');
        await seen('A1', 'orga');
        await seen('B1', 'orgb');
        await seen('A2', 'orga');
        await seen('X1', 'orga');
        await seen('X1', 'orgb');
        await seen('L1', null);
        await seen('L2', 'orga');
        await seen('L2', null);
        assert.equal((await s.pendingDevices.get('A1'))?.organisation, 'orga');
        assert.equal((await s.pendingDevices.get('X1'))?.organisation, null);
        assert.equal((await s.pendingDevices.get('L2'))?.organisation, null);
        const first = await s.pendingDevices.list({ limit: 1 }, { organisation: 'orga' });
        assert.deepEqual(
          first.items.map((p) => p.identifier),
          ['A1'],
        );
        const second = await s.pendingDevices.list({ limit: 1, cursor: first.nextCursor }, { organisation: 'orga' });
        assert.deepEqual(
          second.items.map((p) => p.identifier),
          ['A2'],
        );
        assert.equal(second.nextCursor, null);
        assert.equal((await s.pendingDevices.list({ limit: 10 })).items.length, 6);
      }),
    );

    test(
      'lists by identifier in pages and removes one',
      withStore(async (s) => {
        for (const id of ['C', 'A', 'B'])
          await s.pendingDevices.note({ identifier: id, protocol: 'osmand', transport: 'http:osmand', remote: null, at: at(1) });
        const first = await s.pendingDevices.list({ limit: 2 });
        assert.deepEqual(
          first.items.map((p) => p.identifier),
          ['A', 'B'],
        );
        assert.deepEqual(
          (await s.pendingDevices.list({ limit: 2, cursor: first.nextCursor })).items.map((p) => p.identifier),
          ['C'],
        );
        assert.equal(await s.pendingDevices.remove('B'), true);
        assert.equal(await s.pendingDevices.remove('B'), false);
        assert.deepEqual(
          (await s.pendingDevices.list({ limit: 10 })).items.map((p) => p.identifier),
          ['A', 'C'],
        );
      }),
    );
  });

  describe('reader placement', () => {
    test(
      'a reader keeps its registered location and band; a device without them has neither member',
      withStore(async (s) => {
        const reader: Device = {
          id: asDeviceId('RDR-1'),
          class: 'passive',
          kind: 'reader',
          protocol: 'rfid',
          identifiers: {},
          reportIntervalS: null,
          key: null,
          owner: null,
          createdAt: at(0),
          location: { lat: -4.0435, lon: 39.6682, accuracy: 5 },
          band: 'ETSI',
        };
        await s.devices.create(reader);
        assert.deepEqual(await s.devices.get(reader.id), reader);
        const bare: Device = { ...reader, id: asDeviceId('RDR-2') };
        delete bare.location;
        delete bare.band;
        await s.devices.create(bare);
        const got = await s.devices.get(bare.id);
        assert.deepEqual(got, bare);
        assert.ok(got && !('location' in got) && !('band' in got));
      }),
    );
  });
}
