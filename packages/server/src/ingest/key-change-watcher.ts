/**
 * Cluster mode: another process (an API process) may rotate or revoke a device's key while this
 * gateway holds the device's keys in its DeviceDirectory cache. Every `intervalMs` (2 s) the
 * watcher asks the store which devices' keys changed (DeviceKeyStore.changedSince, on the
 * database clock with a 5 s overlap) and drops them from the cache. So a revoked key is refused
 * by every process at most `intervalMs` plus one query after the revocation committed (about
 * 3 s with the defaults); in the process that revoked it, at once. Embedded mode has one process
 * and needs no watcher.
 */
import type { DeviceKeyStore } from '../storage/device-key-ports';

export class KeyChangeWatcher {
  private since: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: { keys: DeviceKeyStore; invalidate: (device: string) => void; onError: (e: Error) => void }) {}

  /** One poll: drops the devices whose keys changed since the previous one. */
  async poll(): Promise<void> {
    const { devices, now } = await this.deps.keys.changedSince(this.since);
    for (const d of devices) this.deps.invalidate(d);
    this.since = now;
  }

  async start(intervalMs = 2000): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.poll()
        .catch((e: Error) => this.deps.onError(e))
        .finally(() => (this.running = null));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
