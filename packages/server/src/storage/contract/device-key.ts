/**
 * The storage contract of the DeviceKeyStore (part of `runStoreContract`): keys come back whole
 * and in creation order, a save inserts new keys and changes the lifecycle of stored ones in one
 * go and sets the device's public `key`, secrets are replaced in place, and changes are visible
 * to `changedSince` (what other processes of a cluster poll).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asDeviceId, toTimestamp, type Device } from '@sealwatch/core';
import type { Store } from '../ports';
import type { StoredDeviceKey } from '../device-key-ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (s: number) => toTimestamp(t0 + s * 1000);
const device = asDeviceId('SEAL-K1');
const record: Device = {
  id: device,
  class: 'active',
  kind: 'e_lock',
  protocol: 'native',
  identifiers: {},
  reportIntervalS: 60,
  key: null,
  owner: 'org-prov',
  createdAt: at(0),
};
const ed: StoredDeviceKey = {
  device,
  keyId: 'k1',
  alg: 'EdDSA',
  jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  sealedSecret: null,
  sealedContentKey: 'sw1.abc.iv.ct.tag',
  status: 'active',
  validFrom: at(0),
  validUntil: null,
  createdAt: at(0),
  revokedAt: null,
  revokedReason: null,
};
const hs: StoredDeviceKey = {
  ...ed,
  keyId: 'k2',
  alg: 'HS256',
  jwk: null,
  sealedSecret: 'sw1.abc.iv.secret.tag',
  sealedContentKey: null,
  createdAt: at(10),
  validFrom: at(10),
};

/** Registers the device key store tests; `withStore` gives each a fresh store. */
export function deviceKeyStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('device keys', () => {
    test(
      'a device without keys has none; saved keys come back whole, oldest first, and set the public key of the device',
      withStore(async (s) => {
        await s.devices.create(record);
        assert.deepEqual(await s.deviceKeys.list(device), []);
        await s.deviceKeys.save(device, [hs, ed], { alg: 'HS256' });
        assert.deepEqual(await s.deviceKeys.list(device), [ed, hs]);
        assert.deepEqual((await s.devices.get(device))?.key, { alg: 'HS256' });
        assert.deepEqual(await s.deviceKeys.list(asDeviceId('SEAL-OTHER')), []);
      }),
    );

    test(
      'a save changes the lifecycle of stored keys (material untouched) and adds new ones at once',
      withStore(async (s) => {
        await s.devices.create(record);
        await s.deviceKeys.save(device, [ed], { alg: 'EdDSA', jwk: ed.jwk as { kty: 'OKP'; crv: 'Ed25519'; x: string } });
        const retiring = { ...ed, status: 'retiring' as const, validUntil: at(600) };
        const revoked = { ...hs, status: 'revoked' as const, revokedAt: at(20), revokedReason: 'leaked' };
        await s.deviceKeys.save(device, [retiring, { ...revoked, sealedSecret: 'sw1.other.iv.ct.tag' }], null);
        assert.deepEqual(await s.deviceKeys.list(device), [retiring, { ...revoked, sealedSecret: 'sw1.other.iv.ct.tag' }]);
        await s.deviceKeys.save(device, [{ ...revoked, sealedSecret: 'changed?' }], null);
        assert.equal((await s.deviceKeys.list(device))[1].sealedSecret, 'sw1.other.iv.ct.tag', 'a save never replaces a stored secret');
        assert.equal((await s.devices.get(device))?.key, null);
      }),
    );

    test(
      'secrets are listed by kind and replaced in place',
      withStore(async (s) => {
        await s.devices.create(record);
        await s.deviceKeys.save(device, [ed, hs], { alg: 'HS256' });
        assert.deepEqual(await s.deviceKeys.listSecrets(), [
          { device, keyId: 'k1', kind: 'content_key', sealed: ed.sealedContentKey },
          { device, keyId: 'k2', kind: 'secret', sealed: hs.sealedSecret },
        ]);
        await s.deviceKeys.replaceSecrets([
          { device, keyId: 'k2', kind: 'secret', sealed: 'sw1.new.a.b.c' },
          { device, keyId: 'k1', kind: 'content_key', sealed: 'sw1.new.d.e.f' },
        ]);
        const [a, b] = await s.deviceKeys.list(device);
        assert.equal(a.sealedContentKey, 'sw1.new.d.e.f');
        assert.equal(b.sealedSecret, 'sw1.new.a.b.c');
        assert.equal(b.status, 'active');
      }),
    );

    test(
      'changedSince names the devices whose keys changed after a previous poll',
      withStore(async (s) => {
        await s.devices.create(record);
        const first = await s.deviceKeys.changedSince(null);
        assert.deepEqual(first.devices, []);
        assert.ok(first.now);
        await s.deviceKeys.save(device, [ed], null);
        const next = await s.deviceKeys.changedSince(first.now);
        assert.deepEqual(next.devices, [device]);
      }),
    );
  });
}
