/**
 * Device lookups for ingest, cached: every message names its device, and the registered key
 * decides the algorithm. Devices are re-read after a registry change.
 */
import { createHash } from 'node:crypto';
import type { Device, DeviceId } from '@sealwatch/core';
import type { DeviceStore } from '../storage/ports';

export interface KnownDevice {
  device: Device;
  /** Device id + key fingerprint: a key cache entry dies with its key. */
  keyId: string;
}

export class DeviceDirectory {
  private readonly cache = new Map<string, KnownDevice>();
  /** Vendor identifiers (id or IMEI) of devices found; misses are not cached, so a device registered later is found at once. */
  private readonly byIdentifier = new Map<string, Device>();
  /** device id → the identifiers it was found by (to forget them in O(1)). */
  private readonly identifiersOf = new Map<string, string[]>();

  constructor(private readonly devices: DeviceStore) {}

  async get(id: string): Promise<KnownDevice | null> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const device = await this.devices.get(id as DeviceId);
    if (!device) return null;
    const fingerprint = createHash('sha256').update(JSON.stringify(device.key)).digest('base64url').slice(0, 16);
    const known = { device, keyId: `${device.id}:${fingerprint}` };
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
