/**
 * What this process depends on, checked the same way for /healthz/ready, /metrics and the log:
 * the store, NATS (cluster), the external MQTT broker (gateways with MQTT_URL), free disk under
 * the data directory, and the processing lag (processors). A check is `ok`, `degraded` (works,
 * needs attention: low disk, lag over the limit) or `failing` (cannot work: not ready). Every
 * change of a check's state is logged once (warning when it worsens, info when it recovers) and
 * handed to `onChange` (platform alerts).
 */
import { DISK_FAIL_BYTES, DISK_WARN_BYTES } from './doctor';

export type CheckStatus = 'ok' | 'degraded' | 'failing';
export interface HealthCheck {
  status: CheckStatus;
  detail: string;
}
export interface HealthReport {
  status: CheckStatus;
  checks: Record<string, HealthCheck>;
}

/** Each probe answers its check's state; one that throws or does not answer in time is failing. */
export type HealthProbe = () => Promise<HealthCheck> | HealthCheck;

/** Processing lag (messages or observations not yet processed) above which the lag check is degraded. */
export const MAX_HEALTHY_LAG = 10_000;
const PROBE_TIMEOUT_MS = 2000;

export interface HealthLog {
  warn(o: object, m: string): void;
  info(o: object, m: string): void;
}

export class HealthMonitor {
  private last: HealthReport = { status: 'ok', checks: {} };
  private timer: NodeJS.Timeout | null = null;
  private evaluating: Promise<HealthReport> | null = null;

  constructor(
    private readonly probes: Record<string, HealthProbe>,
    private readonly log: HealthLog,
    private readonly onChange: (name: string, now: HealthCheck, before: HealthCheck | null) => void = () => {},
  ) {}

  /** The last evaluated report (what /metrics reads without waiting on a dependency). */
  get report(): HealthReport {
    return this.last;
  }

  /** Re-checks every `intervalMs` so that a change is logged even when nobody asks. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.evaluate(), intervalMs);
    this.timer.unref();
    void this.evaluate();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs every probe (at most one evaluation at a time; concurrent callers share it). */
  evaluate(): Promise<HealthReport> {
    this.evaluating ??= this.run().finally(() => (this.evaluating = null));
    return this.evaluating;
  }

  private async run(): Promise<HealthReport> {
    const names = Object.keys(this.probes);
    const results = await Promise.all(names.map((n) => runProbe(this.probes[n])));
    const checks: Record<string, HealthCheck> = {};
    names.forEach((n, i) => (checks[n] = results[i]));
    for (const n of names) {
      const before = this.last.checks[n] ?? null;
      const now = checks[n];
      if (before?.status === now.status || (!before && now.status === 'ok')) continue;
      if (now.status === 'ok') this.log.info({ check: n, detail: now.detail }, `${n} recovered`);
      else this.log.warn({ check: n, status: now.status, detail: now.detail }, `${n} ${now.status}: ${now.detail}`);
      this.onChange(n, now, before);
    }
    const statuses = results.map((r) => r.status);
    const status: CheckStatus = statuses.includes('failing') ? 'failing' : statuses.includes('degraded') ? 'degraded' : 'ok';
    this.last = { status, checks };
    return this.last;
  }
}

async function runProbe(probe: HealthProbe): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(probe),
      new Promise<HealthCheck>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'failing', detail: `no answer within ${PROBE_TIMEOUT_MS} ms` }), PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    return { status: 'failing', detail: (e as Error).message || String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** The disk check: failing under 100 MB free (SQLite refuses writes), degraded under 1 GB (as `sealwatch doctor`). */
export function diskCheck(free: number, _at: string): HealthCheck {
  // Not the path itself: /healthz answers without signing in, and a path tells an outsider about
  // the installation (adversarial pass of 2026-12-07); `sealwatch doctor` names it to the operator.
  const detail = `${(free / 1e9).toFixed(2)} GB free in the data directory`;
  return { status: free < DISK_FAIL_BYTES ? 'failing' : free < DISK_WARN_BYTES ? 'degraded' : 'ok', detail };
}

/** The lag check: degraded over MAX_HEALTHY_LAG (the processor falls behind but works). */
export function lagCheck(lag: number, what: string): HealthCheck {
  return { status: lag > MAX_HEALTHY_LAG ? 'degraded' : 'ok', detail: `${lag} ${what} not processed yet` };
}
