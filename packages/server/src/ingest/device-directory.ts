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
   * else one whose IMEI it is. Not cached: a device registered later must be found at once.
   */
  async getByIdentifier(identifier: string): Promise<Device | null> {
    return (await this.devices.get(identifier as DeviceId)) ?? (await this.devices.findByIdentifier('imei', identifier));
  }

  /** Forget a device after it was registered or changed. */
  invalidate(id: string): void {
    this.cache.delete(id);
  }
}
