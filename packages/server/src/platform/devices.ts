/**
 * Device identity: the device key service (secrets sealed with the master key), the cached
 * directory ingest looks devices up in, and how a change reaches that cache (at once in this
 * process; from other processes of a cluster through the key change watcher, within ~3 s).
 * Secrets stored in clear or under an earlier master key are sealed under the current one here.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { DeviceId } from '@sealwatch/core';
import { DeviceKeyService } from '../keys/device-keys.service';
import { resealAllSecrets, type ResealCounts } from '../keys/secrets-at-rest';
import { DeviceDirectory } from '../ingest/device-directory';
import { KeyChangeWatcher } from '../ingest/key-change-watcher';
import type { OpenedStore } from './store';

export interface DeviceParts {
  deviceKeys: DeviceKeyService;
  devices: DeviceDirectory;
  /** Tell ingest a device or its keys changed (its cached entry is dropped). */
  deviceChanged: (id: string) => void;
  /** Cluster gateways only: polls key changes made by other processes. */
  keyWatcher: KeyChangeWatcher | null;
  resealed: ResealCounts;
}

export async function wireDevices(p: {
  config: Readonly<Config>;
  opened: OpenedStore;
  now: () => number;
  log: Logger;
}): Promise<DeviceParts> {
  const {
    config,
    opened: { store, raw, master, secrets },
    log,
  } = p;
  // The directory and the key service need each other (keys are loaded through the service, a
  // key change empties the directory's entry): changes go to whoever subscribed, the directory below.
  const subscribers: ((id: string) => void)[] = [];
  const deviceChanged = (id: string) => subscribers.forEach((s) => s(id));
  const deviceKeys = new DeviceKeyService({
    store: store.deviceKeys,
    box: master.box,
    now: p.now,
    onChanged: (id: DeviceId) => deviceChanged(id),
  });
  // Secrets stored in clear (migration 13, settings, webhooks, TOTP from before sealing), or sealed
  // under an earlier master key, are sealed under the current one (idempotent).
  const resealed = await resealAllSecrets({ box: master.box, deviceKeys, settings: secrets, webhooks: raw.webhooks, access: raw.access });
  const devices = new DeviceDirectory(store.devices, (d) =>
    deviceKeys.keysForIngest(d.id, (e) => log.error({ err: e.message }, 'a device key cannot be opened')),
  );
  subscribers.push((id) => devices.invalidate(id));
  const keyWatcher =
    config.databaseUrl && config.roles.gateway
      ? new KeyChangeWatcher({
          keys: store.deviceKeys,
          invalidate: deviceChanged,
          onError: (e) => log.warn({ err: e.message }, 'device key change poll failed; retrying'),
        })
      : null;
  return { deviceKeys, devices, deviceChanged, keyWatcher, resealed };
}
