/**
 * Device lookups for ingest, cached: every message names its device, and the device's keys
 * decide the algorithm. A device is re-read after a registry or key change (`invalidate`: at
 * once in this process; other processes of a cluster through KeyChangeWatcher).
 */
import { createHash } from 'node:crypto';
import type { Device, DeviceId } from '@sealwatch/core';
import type { DeviceStore } from '../storage/ports';
import type { IngestKey } from './key-selection';

export interface KnownDevice {
  /**
   * The device; its `key` (in memory only) is its newest active key with the material opened,
   * e.g. the content key payload decryption reads.
   */
  device: Device;
  /** The device's keys (all of them, revoked ones too: they name a rejection), oldest first. */
  keys: IngestKey[];
}

/** Loads a device's keys, secrets opened (keys/device-keys.service.ts). */
export type KeyLoader = (device: Device) => Promise<IngestKey[]>;

/** Without a key list (tests of vendor ingest): the key registered on the device record, if it holds its material. */
const keyOfRecord: KeyLoader = async (device) => {
  const key = device.key;
  if (!key || !('jwk' in key || 'secret' in key)) return [];
  const fingerprint = createHash('sha256').update(JSON.stringify(key)).digest('base64url').slice(0, 16);
  return [{ keyId: 'k1', cacheId: `${device.id}:k1:${fingerprint}`, status: 'active', validFromMs: 0, validUntilMs: null, key }];
};

export class DeviceDirectory {
  private readonly cache = new Map<string, KnownDevice>();
  /** Vendor identifiers (id or IMEI) of devices found; misses are not cached, so a device registered later is found at once. */
  private readonly byIdentifier = new Map<string, Device>();
  /** device id → the identifiers it was found by (to forget them in O(1)). */
  private readonly identifiersOf = new Map<string, string[]>();

  constructor(
    private readonly devices: DeviceStore,
    private readonly loadKeys: KeyLoader = keyOfRecord,
  ) {}

  async get(id: string): Promise<KnownDevice | null> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const device = await this.devices.get(id as DeviceId);
    if (!device) return null;
    const keys = await this.loadKeys(device);
    const current = [...keys].reverse().find((k) => k.status === 'active')?.key;
    const known = { device: current ? { ...device, key: current } : device, keys };
    if (this.cache.size > 500_000) this.cache.clear();
    this.cache.set(id, known);
    return known;
  }

  /**
   * The device a vendor protocol names by its own identifier: a device registered with that id,
   * else one whose IMEI it is.
   */
  async getByIdentifier(identifier: string): Promise<Device | null> {
    const hit = this.byIdentifier.get(identifier);
    if (hit) return hit;
    const device = (await this.devices.get(identifier as DeviceId)) ?? (await this.devices.findByIdentifier('imei', identifier));
    if (device) {
      if (this.byIdentifier.size > 500_000) {
        this.byIdentifier.clear();
        this.identifiersOf.clear();
      }
      this.byIdentifier.set(identifier, device);
      this.identifiersOf.set(device.id, [...(this.identifiersOf.get(device.id) ?? []), identifier]);
    }
    return device;
  }

  /** Forget a device after it was registered or changed. */
  invalidate(id: string): void {
    this.cache.delete(id);
    for (const k of this.identifiersOf.get(id) ?? []) this.byIdentifier.delete(k);
    this.identifiersOf.delete(id);
  }
}
