/** Prometheus metrics (text format at /metrics): ingest results by reason, queue depths, alerts. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RejectReason } from '@sealwatch/core';

export interface MetricProbes {
  pendingCommitRows: () => number;
  processorLag: () => Promise<number>;
  streamClients: () => number;
  unresolvedAlerts: () => Promise<Record<string, number>>;
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

  /** The gauges, read at each scrape from the parts they describe (registered once those exist). */
  watch(probes: MetricProbes): void {
    new Gauge({
      name: 'sealwatch_ingest_pending_rows',
      help: 'Accepted rows waiting for the group commit',
      registers: [this.registry],
      collect() {
        this.set(probes.pendingCommitRows());
      },
    });
    new Gauge({
      name: 'sealwatch_processor_lag_observations',
      help: 'Committed observations not yet processed',
      registers: [this.registry],
      async collect() {
        this.set(await probes.processorLag());
      },
    });
    new Gauge({
      name: 'sealwatch_stream_clients',
      help: 'Connected SSE clients',
      registers: [this.registry],
      collect() {
        this.set(probes.streamClients());
      },
    });
    new Gauge({
      name: 'sealwatch_alerts_unresolved',
      help: 'Unresolved alerts by type',
      labelNames: ['type'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [type, n] of Object.entries(await probes.unresolvedAlerts())) this.set({ type }, n);
      },
    });
  }

  countIngest(result: string, reason?: RejectReason): void {
    this.ingest.inc({ result, reason: reason ?? '' });
  }
}
