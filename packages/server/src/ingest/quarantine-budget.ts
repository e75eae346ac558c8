/**
 * The quarantine is evidence, not a sink (DESIGN §3: nothing is silently dropped, yet nobody may
 * fill the disk without signing in). Each source address and each claimed device has a budget of
 * refusals kept with their raw bytes; beyond it a refusal is counted (metrics) and one in
 * `sampleEvery` is still kept as a sample, and the HTTP ingest answers 429 to that address until
 * its budget refills. A claimed device's budget never refuses anyone's requests: a forger could
 * otherwise silence a real device by spending it. A refusal costs one unit per started
 * `unitBytes` of raw bytes kept, so large junk fills the budget as fast as many small refusals
 * would fill the disk (adversarial pass of 2026-12-07: 60 KB junk messages grew the data by 47 MB
 * within the budget of one address).
 */
import { TokenBuckets } from '../http/rate-limit';

export type QuarantineVerdict = 'keep' | 'sample' | 'count';

export interface QuarantineBudgetOptions {
  /** Refusals kept a minute per source address (a burst of ten minutes' worth); 0: no budget. */
  perSourcePerMin: number;
  /** Refusals kept a minute per claimed device (a burst of ten minutes' worth); 0: no budget. */
  perDevicePerMin: number;
  now: () => number;
  /** Beyond a budget, one refusal in this many is still kept. */
  sampleEvery?: number;
  /** Raw bytes one unit of budget pays for (default 4 KiB: a device message is well under it). */
  unitBytes?: number;
}

export class QuarantineBudget {
  private readonly sources: TokenBuckets | null;
  private readonly devices: TokenBuckets | null;
  private readonly over = new Map<string, number>();
  private readonly sampleEvery: number;
  private readonly unitBytes: number;

  constructor(o: QuarantineBudgetOptions) {
    const buckets = (perMinute: number) => (perMinute > 0 ? new TokenBuckets({ perMinute, burst: perMinute * 10, now: o.now }) : null);
    this.sources = buckets(o.perSourcePerMin);
    this.devices = buckets(o.perDevicePerMin);
    this.sampleEvery = o.sampleEvery ?? 100;
    this.unitBytes = o.unitBytes ?? 4096;
  }

  /** Seconds until refusals from `source` are kept again; 0: now. */
  sourceWait(source: string | null): number {
    return this.sources?.wait(source ?? 'unknown') ?? 0;
  }

  /** Decides one refusal of `bytes` raw bytes from `source` claiming `device`: kept, kept as a sample, or only counted. */
  judge(source: string | null, device: string | null, bytes = 0): QuarantineVerdict {
    const s = source ?? 'unknown';
    const cost = Math.max(1, Math.ceil(bytes / this.unitBytes));
    const sourceOk = (this.sources?.wait(s) ?? 0) === 0;
    const deviceOk = device === null || (this.devices?.wait(device) ?? 0) === 0;
    if (sourceOk && deviceOk) {
      this.sources?.charge(s, cost);
      if (device !== null) this.devices?.charge(device, cost);
      return 'keep';
    }
    const key = sourceOk ? `device:${device}` : `source:${s}`;
    const n = (this.over.get(key) ?? 0) + 1;
    if (this.over.size > 100_000) this.over.clear();
    this.over.set(key, n);
    return n % this.sampleEvery === 1 ? 'sample' : 'count';
  }
}
