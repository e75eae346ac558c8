/**
 * The per-device ingest rate limit (SEALWATCH_RATE_DEVICE_PER_MIN), one instance per transport
 * (HTTP ingest, the embedded MQTT broker, the external MQTT gateway). A device is admitted while it
 * has budget left under the id its message names (unproven, so it only decides admission); only
 * answers that prove the device sent the message are charged, and never a duplicate, so nobody can
 * exhaust another device's budget by publishing under its id or replaying what it sent.
 *
 * History is a right (DESIGN §5): a device back in coverage uploads its backlog, so its budget holds
 * at least a day of reports at its registered interval (else a minute's worth), refilled at the limit.
 */
import { TokenBuckets } from '../http/rate-limit';
import type { IngestResult } from './ingest.service';

/** Answers that prove the device sent the message (its signature verified first) and cost a store: not duplicates. */
export const provenBySignature = (r: IngestResult): boolean =>
  r.status === 'accepted' ||
  (r.status === 'rejected' && (r.reason === 'seq_conflict' || r.reason === 'clock_skew' || r.reason === 'invalid_payload'));

const DAY_S = 86_400;
/** Devices whose budget size is remembered (a forgotten one is looked up again). */
const MAX_REMEMBERED = 100_000;

export class DeviceRateLimit {
  private readonly buckets: TokenBuckets;
  private readonly bursts = new Map<string, number>();

  /** `intervalOf` gives a device's registered report interval in seconds (null: unknown or none). */
  constructor(
    readonly perMinute: number,
    private readonly intervalOf: (device: string) => Promise<number | null> = async () => null,
    now: () => number = Date.now,
  ) {
    this.buckets = new TokenBuckets({ perMinute, burst: perMinute, now, burstOf: (device) => this.bursts.get(device) ?? perMinute });
  }

  /** Seconds the device must wait before its next message is taken; 0: admitted now. */
  async admit(device: string): Promise<number> {
    if (!this.bursts.has(device)) {
      const interval = await this.intervalOf(device);
      if (this.bursts.size >= MAX_REMEMBERED) this.bursts.clear();
      this.bursts.set(device, Math.max(this.perMinute, interval && interval > 0 ? Math.ceil(DAY_S / interval) : 0));
    }
    return this.buckets.wait(device);
  }

  /** Charges the proven, new answers to their devices (into debt if need be). */
  charge(results: IngestResult[]): void {
    for (const r of results) if (r.device && provenBySignature(r)) this.buckets.charge(r.device, 1);
  }
}

/** The limit for `perMinute` messages a minute per device; null when 0 (no limit). */
export const deviceRateLimit = (perMinute: number, intervalOf?: (device: string) => Promise<number | null>): DeviceRateLimit | null =>
  perMinute > 0 ? new DeviceRateLimit(perMinute, intervalOf) : null;

/** What a device over its limit is told on its results topic: it must send the message again later. */
export const rateLimitedResult = (device: string, retryAfterS: number) => ({
  device,
  seq: null,
  status: 'rejected' as const,
  reason: 'rate_limited',
  detail: `more than the device's limit of messages a minute (SEALWATCH_RATE_DEVICE_PER_MIN); not ingested, send it again after ${retryAfterS} s`,
  retryAfterS,
});
