/** Prometheus metrics (text format at /metrics): ingest results by reason, queue depths, alerts. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RejectReason } from '@sealwatch/core';
import type { HealthReport } from './health';

export interface MetricProbes {
  pendingCommitRows: () => number;
  processorLag: () => Promise<number>;
  /** Cluster processors: lag per owned partition. */
  partitionLag?: () => Promise<Map<number, number>>;
  streamClients: () => number;
  unresolvedAlerts: () => Promise<Record<string, number>>;
}

const HEALTH_LEVEL = { ok: 0, degraded: 1, failing: 2 } as const;
// A scrape must answer even when a source hangs (a stopped database): Prometheus' own timeout is 10 s.
const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(v: T | Promise<T>, ms: number): Promise<T> {
  if (!(v instanceof Promise)) return Promise.resolve(v);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    v,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class Metrics {
  readonly registry = new Registry();
  readonly ingest = new Counter({
    name: 'sealwatch_ingest_messages_total',
    help: 'Device messages by result and reject reason',
    labelNames: ['result', 'reason'],
    registers: [this.registry],
  });
  readonly quarantineOverBudget = new Counter({
    name: 'sealwatch_quarantine_over_budget_total',
    help: 'Refused messages not kept in the quarantine because their sender was over its budget (counted; one in a hundred kept as a sample), by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly processed = new Counter({
    name: 'sealwatch_processor_observations_total',
    help: 'Observations processed by the detectors',
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'sealwatch_events_total',
    help: 'Domain events recorded, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly alertsRaised = new Counter({
    name: 'sealwatch_alerts_raised_total',
    help: 'Alert occurrences (new or repeated), by type and severity',
    labelNames: ['type', 'severity'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'sealwatch_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sealwatch_' });
  }

  /**
   * The gauges, read at each scrape from the parts they describe (registered once those exist).
   * A source that fails (the store down) never fails the scrape: its gauge keeps its last value
   * and `sealwatch_collector_up{collector}` says 0, so every other figure stays visible.
   */
  watch(probes: MetricProbes): void {
    const up = new Map<string, number>();
    const readings: Promise<void>[] = [];
    const guarded =
      <T>(collector: string, read: () => T | Promise<T>, apply: (v: T) => void) =>
      () => {
        const reading = (async () => {
          try {
            apply(await withTimeout(read(), PROBE_TIMEOUT_MS));
            up.set(collector, 1);
          } catch {
            up.set(collector, 0);
          }
        })();
        readings.push(reading);
        return reading;
      };
    new Gauge({
      name: 'sealwatch_ingest_pending_rows',
      help: 'Accepted rows waiting for the group commit',
      registers: [this.registry],
      collect: guarded('ingest_pending', probes.pendingCommitRows, (v) => this.gauge('sealwatch_ingest_pending_rows').set(v)),
    });
    new Gauge({
      name: 'sealwatch_processor_lag_observations',
      help: 'Observations (embedded) or ingest-log messages (cluster: the partitions this process owns) not yet processed',
      registers: [this.registry],
      collect: guarded('processor_lag', probes.processorLag, (v) => this.gauge('sealwatch_processor_lag_observations').set(v)),
    });
    if (probes.partitionLag) {
      const read = probes.partitionLag;
      new Gauge({
        name: 'sealwatch_partition_lag_messages',
        help: 'Cluster: ingest-log messages not yet processed (pending and unacknowledged) per partition this process owns',
        labelNames: ['partition'],
        registers: [this.registry],
        collect: guarded('partition_lag', read, (lag) => {
          const g = this.gauge('sealwatch_partition_lag_messages');
          g.reset();
          for (const [p, n] of lag) g.set({ partition: String(p) }, n);
        }),
      });
    }
    new Gauge({
      name: 'sealwatch_stream_clients',
      help: 'Connected SSE clients',
      registers: [this.registry],
      collect: guarded('stream_clients', probes.streamClients, (v) => this.gauge('sealwatch_stream_clients').set(v)),
    });
    new Gauge({
      name: 'sealwatch_alerts_unresolved',
      help: 'Unresolved alerts by type',
      labelNames: ['type'],
      registers: [this.registry],
      collect: guarded('alerts_unresolved', probes.unresolvedAlerts, (counts) => {
        const g = this.gauge('sealwatch_alerts_unresolved');
        g.reset();
        for (const [type, n] of Object.entries(counts)) g.set({ type }, n);
      }),
    });
    // Registered after the gauges it reports on, and waits for their readings of this scrape.
    new Gauge({
      name: 'sealwatch_collector_up',
      help: 'Whether a gauge could be read at this scrape (0: its source, e.g. the store, failed or did not answer; the gauge keeps its last value)',
      labelNames: ['collector'],
      registers: [this.registry],
      async collect() {
        await Promise.allSettled(readings.splice(0));
        for (const [collector, v] of up) this.set({ collector }, v);
      },
    });
  }

  /** The health checks as a gauge (read from the monitor's last report: never waits on a dependency). */
  watchHealth(health: () => HealthReport): void {
    const gauge = () => this.gauge('sealwatch_health_check');
    new Gauge({
      name: 'sealwatch_health_check',
      help: 'State of each health check at its last evaluation: 0 ok, 1 degraded, 2 failing (see /healthz/ready)',
      labelNames: ['check'],
      registers: [this.registry],
      collect() {
        gauge().reset();
        for (const [check, c] of Object.entries(health().checks)) gauge().set({ check }, HEALTH_LEVEL[c.status]);
      },
    });
  }

  private gauge(name: string): Gauge {
    return this.registry.getSingleMetric(name) as Gauge;
  }

  countIngest(result: string, reason?: RejectReason): void {
    this.ingest.inc({ result, reason: reason ?? '' });
  }
}
