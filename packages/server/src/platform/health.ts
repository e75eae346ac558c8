/**
 * The health checks of this process, by role: the store (every role), NATS (cluster), the
 * external MQTT broker (gateways with MQTT_URL), free disk under the data directory, and the
 * processing lag (processors). /healthz/ready, the `sealwatch_health_check` gauge and the
 * warnings in the log all read this one monitor.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { ClusterRuntime } from '../cluster/cluster-runtime';
import { freeBytesUnder } from '../ops/doctor';
import { diskCheck, HealthMonitor, lagCheck, type HealthCheck, type HealthProbe } from '../ops/health';
import type { Metrics } from '../ops/metrics';
import type { Processor } from '../processing/processor';
import type { Store } from '../storage/ports';

export function wireHealth(p: {
  config: Readonly<Config>;
  store: Store;
  cluster: ClusterRuntime | null;
  processor: Processor;
  metrics: Metrics;
  log: Logger;
  /** The external MQTT gateway's connection once started (null before, or without MQTT_URL). */
  mqttConnected: () => boolean | null;
  onChange?: (name: string, now: HealthCheck, before: HealthCheck | null) => void;
}): HealthMonitor {
  const { config, store, cluster, processor } = p;
  const probes: Record<string, HealthProbe> = {
    store: async () => {
      await store.ping();
      return { status: 'ok', detail: `${store.engine} answers` };
    },
    disk: () => {
      const { at, free } = freeBytesUnder(config.dataDir);
      return diskCheck(free, at);
    },
  };
  if (cluster) {
    probes.nats = () => {
      const s = cluster.natsStatus();
      return { status: s.connected ? 'ok' : 'failing', detail: s.detail };
    };
  }
  if (config.roles.gateway && config.mqttUrl) {
    probes.mqtt = () => {
      const connected = p.mqttConnected();
      if (connected === null) return { status: 'failing', detail: 'not connected to the MQTT broker yet' };
      return connected
        ? { status: 'ok', detail: 'connected to the MQTT broker' }
        : { status: 'failing', detail: 'MQTT broker connection lost; reconnecting' };
    };
  }
  if (cluster && config.roles.processor) probes.leases = () => cluster.leaseHealth();
  if (config.roles.processor) {
    probes.lag = cluster
      ? async () => {
          const lag = await cluster.partitionLag();
          const total = [...lag.values()].reduce((a, b) => a + b, 0);
          return lagCheck(total, `messages in ${lag.size} owned partition(s)`);
        }
      : async () => lagCheck((await store.observations.lastId()) - processor.position, 'observations');
  }
  const monitor = new HealthMonitor(probes, p.log, p.onChange);
  p.metrics.watchHealth(() => monitor.report);
  return monitor;
}
