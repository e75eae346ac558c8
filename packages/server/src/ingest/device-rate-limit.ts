/**
 * The per-device ingest rate limit (SEALWATCH_RATE_DEVICE_PER_MIN) for transports other than the
 * HTTP ingest route: the embedded MQTT broker and the external MQTT gateway. A device is admitted
 * while it has budget left under the id its topic names (unproven, so it only decides admission);
 * only answers that prove the device sent the message are charged, so nobody can exhaust another
 * device's budget by publishing under its id.
 */
import { TokenBuckets } from '../http/rate-limit';
import type { IngestResult } from './ingest.service';

/** Answers that prove the device sent the message (its signature verified first). */
export const provenBySignature = (r: IngestResult): boolean =>
  r.status !== 'rejected' || r.reason === 'seq_conflict' || r.reason === 'clock_skew' || r.reason === 'invalid_payload';

export class DeviceRateLimit {
  private readonly buckets: TokenBuckets;

  constructor(readonly perMinute: number, now: () => number = Date.now) {
    this.buckets = new TokenBuckets({ perMinute, burst: perMinute, now });
  }

  /** Seconds the device must wait before its next message is taken; 0: admitted now. */
  admit(device: string): number {
    return this.buckets.wait(device);
  }

  /** Charges the proven answers to their devices (into debt if need be). */
  charge(results: IngestResult[]): void {
    for (const r of results) if (r.device && provenBySignature(r)) this.buckets.charge(r.device, 1);
  }
}

/** The limit for `perMinute` messages a minute per device; null when 0 (no limit). */
export const deviceRateLimit = (perMinute: number): DeviceRateLimit | null => (perMinute > 0 ? new DeviceRateLimit(perMinute) : null);

/** What a device over its limit is told on its results topic: it must send the message again later. */
export const rateLimitedResult = (device: string, retryAfterS: number) => ({
  device, seq: null, status: 'rejected' as const, reason: 'rate_limited',
  detail: `more than the device's limit of messages a minute (SEALWATCH_RATE_DEVICE_PER_MIN); not ingested, send it again after ${retryAfterS} s`,
  retryAfterS,
});
