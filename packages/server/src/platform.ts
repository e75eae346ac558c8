/**
 * The composition root. Embedded mode: SQLite, the observations table as the ingest log, the
 * embedded MQTT broker. Cluster mode (DATABASE_URL, NATS_URL): PostgreSQL, JetStream as the
 * ingest log with partition leases for processors, an external MQTT broker when MQTT_URL is
 * set, and only the roles chosen by SEALWATCH_ROLES. Tests build the same platform.
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config';
import { readTlsFiles } from './http/tls';
import type { AppContext } from './app-context';
import { StreamBus } from './stream/stream-bus';
import { Mutex } from './processing/mutex';
import type { SealedSettings } from './keys/sealed-settings';
import { resealTotal } from './keys/secrets-at-rest';
import { Metrics } from './ops/metrics';
import { buildHttpApp } from './http/app';
import { version } from './version';
import { startCluster, type ClusterRuntime } from './cluster/cluster-runtime';
import type { TransitMonitor } from './transit/transit-monitor';
import type { AlertEscalator } from './alerts/alert-escalation';
import type { WebhookDispatcher } from './notify/webhook-dispatcher';
import type { EpcisSubscriptionFeed } from './exchange/epcis-subscriptions';
import type { EmailDispatcher } from './notify/email-dispatcher';
import type { VendorListener } from './transports/vendor-listener';
import { startVendorListeners } from './transports/listener-host';
import { startEmbeddedMqtt, type EmbeddedMqtt } from './transports/mqtt-embedded';
import { startExternalMqttGateway, type ExternalMqttGateway } from './transports/mqtt-external';
import { deviceRateLimit } from './ingest/device-rate-limit';
import { createLog, type LogOption } from './platform/log';
import { openStore } from './platform/store';
import { wireAccess } from './platform/access';
import { startProcessing, wireProcessing } from './platform/processing';
import { wireDevices } from './platform/devices';
import { wireIngest } from './platform/ingest';
import { wireServices } from './platform/services';
import { startSchedules } from './platform/schedules';
import { wireHealth } from './platform/health';
import { PlatformAlerts } from './ops/platform-alerts';

/** How often the health checks run by themselves (a change is logged within this time). */
const HEALTH_INTERVAL_MS = 5000;
import { authoredExercisesDir, TrainingService } from './training/training.service';
import { loadExercises, shippedExercisesDir } from '@sealwatch/sim';
import { wireFederation } from './platform/federation';
import type { Federation } from './federation/federation';

export interface Platform {
  ctx: AppContext;
  http: FastifyInstance;
  /** The admin token generated on this first start, to print once; null otherwise. */
  generatedAdminToken: string | null;
  /** Secret settings, sealed with the master key (e.g. the demo seed). */
  secrets: SealedSettings;
  /** Listens on the configured HTTP port and starts the MQTT transport; returns the HTTP address. */
  listen(): Promise<string>;
  /** The embedded MQTT broker once listening; null when off, busy, or in external-broker mode. */
  mqtt(): EmbeddedMqtt | null;
  /** Vendor protocol listeners once listening (protocol → port). */
  listeners(): Record<string, number>;
  /** The transit rules (route, stops, time limit, signal), also run on demand. */
  transit: TransitMonitor;
  /** Escalation of alerts nobody acknowledged in time (SEALWATCH_ALERT_ESCALATE_S), also run on demand. */
  escalation: AlertEscalator;
  /** Signed webhook notifications of alert changes, with retries and a delivery log. */
  webhooks: WebhookDispatcher;
  /** EPCIS standing queries (their reports go out as webhook deliveries), also run on demand. */
  epcisSubscriptions: EpcisSubscriptionFeed;
  /** Incident e-mails; null without SEALWATCH_SMTP_URL. */
  emails: EmailDispatcher | null;
  /** Cluster mode's runtime (partitions owned, NATS connection); null in embedded mode. */
  cluster: ClusterRuntime | null;
  /** Federation with partner administrations; null without SEALWATCH_ADMINISTRATION. */
  federation: Federation | null;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  now?: () => number;
  newId?: () => string;
  /** pino options or false. */
  logger?: LogOption;
}

export async function createPlatform(config: Readonly<Config>, options: PlatformOptions = {}): Promise<Platform> {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const log = createLog(options.logger ?? false);

  // Store, master key, sealed settings and the audit trail every change is written through.
  const opened = await openStore(config, now);
  const { store, secrets, audit, master } = opened;
  if (master.generated)
    log.warn(
      { file: master.file },
      'generated the master key that seals device secrets (mode 0600); back it up with the database: without it stored device secrets cannot be opened. Set SEALWATCH_MASTER_KEY to manage it yourself',
    );
  for (const w of master.warnings) log.warn(w);
  const { auth, access, generatedAdminToken } = await wireAccess({ config, opened, now, newId });

  // In-process fan-out of changes (SSE), and the lock every alert change is made under.
  const bus = new StreamBus();
  const alertLock = new Mutex();
  const metrics = new Metrics();
  const cluster: ClusterRuntime | null = config.natsUrl ? await startCluster(config, store, bus) : null;
  const { processor, ingestLog } = wireProcessing({ config, store, bus, alertLock, now, newId, log, metrics, cluster });
  const { deviceKeys, devices, deviceChanged, keyWatcher, resealed } = await wireDevices({ config, opened, now, log });
  if (resealTotal(resealed)) log.info({ resealed }, 'stored secrets sealed under the current master key');
  const { ingest, vendorIngest, verifier, encryptionKeys, onSeqConflict, quarantineBudget, reportInterval } = await wireIngest({
    config,
    opened,
    bus,
    alertLock,
    now,
    newId,
    log,
    metrics,
    ingestLog,
    devices,
  });
  const { registry, alerts, incidents, risk, commands, custody, keyChanges, scopes, integrations } = await wireServices({
    config,
    opened,
    bus,
    alertLock,
    now,
    newId,
    log,
    devices,
    deviceChanged,
    deviceKeys,
    vendorIngest,
  });
  const federated = await wireFederation({
    config,
    store,
    settings: opened.raw.settings,
    secrets,
    audit,
    bus,
    registry,
    now,
    newId,
    log,
    // Embedded, the processor reads the observations table: a partner's readings stored there update the feed's state.
    kickProcessor: cluster ? undefined : () => processor.kick(),
    quarantineBudget,
  });

  let external: ExternalMqttGateway | null = null;
  const platformAlerts = new PlatformAlerts({ store, bus, now, newId, instance: config.cluster.instanceId, log });
  const health = wireHealth({
    config,
    store,
    cluster,
    processor,
    metrics,
    log,
    mqttConnected: () => external?.stats().connected ?? null,
    onChange: (check, state) => platformAlerts.report(check, state),
  });
  // Training runs: each a platform of its own (training/run-space.ts), made by this same function.
  const training = new TrainingService({
    config,
    exercises: loadExercises([
      shippedExercisesDir,
      ...(config.training.exercisesDir ? [config.training.exercisesDir] : []),
      ...(existsSync(authoredExercisesDir(config)) ? [authoredExercisesDir(config)] : []),
    ]),
    open: (runConfig) => createPlatform(runConfig, { logger: false }),
    now,
    newId,
    users: store.access,
    live: store,
    log,
  });
  if (config.roles.api) await training.load();

  const ctx: AppContext = {
    config,
    version,
    now,
    newId,
    store,
    registry,
    alerts,
    incidents,
    ingest,
    bus,
    metrics,
    health,
    processor,
    auth,
    access,
    scopes,
    audit,
    integrations,
    cluster,
    risk,
    commands,
    encryptionJwks: encryptionKeys.jwks,
    deviceKeys,
    quarantineBudget,
    custody,
    keyChanges,
    training,
    federation: federated.federation,
  };
  const http = await buildHttpApp(ctx, options.logger ? log : false, { api: config.roles.api, ingest: config.roles.gateway });

  await keyWatcher?.start();
  await startProcessing({ config, store, cluster, log, processor, onSeqConflict });
  const schedules = startSchedules({ config, store, audit, bus, alertLock, now, newId, log, cluster, commands, access, scopes });
  const { transit, escalation, webhooks, epcisSubscriptions, emails } = schedules;

  // SEALWATCH_TLS_LISTENERS: these TCP device listeners speak TLS with the HTTP certificate.
  const listenerTls = config.tls && config.tlsListeners.length ? readTlsFiles(config.tls) : null;
  let mqtt: EmbeddedMqtt | null = null;
  let vendorListeners = new Map<string, VendorListener>();
  return {
    ctx,
    http,
    generatedAdminToken,
    secrets,
    cluster,
    transit,
    escalation,
    webhooks,
    epcisSubscriptions,
    federation: federated.federation,
    emails,
    async listen() {
      const address = await http.listen({ port: config.http.port, host: config.http.host });
      if (config.roles.gateway && config.mqttUrl) {
        external = await startExternalMqttGateway({
          url: config.mqttUrl,
          group: config.cluster.mqttShareGroup,
          clientId: `sealwatch-gw-${config.cluster.instanceId}`,
          ingest,
          log: http.log,
          rateLimit: deviceRateLimit(config.rate.devicePerMin, reportInterval),
        });
      } else if (config.roles.gateway && config.mqtt.port !== 'off') {
        mqtt = await startEmbeddedMqtt({
          port: config.mqtt.port,
          host: config.mqtt.host,
          ingest,
          log: http.log,
          rateLimit: deviceRateLimit(config.rate.devicePerMin, reportInterval),
        });
      }
      if (config.roles.gateway) {
        vendorListeners = await startVendorListeners({
          ports: config.listeners,
          host: config.http.host,
          ingest: vendorIngest,
          log: http.log,
          commands,
          knows: async (protocol, id) => (await devices.getByIdentifier(id))?.protocol === protocol,
          tls: listenerTls && { ...listenerTls, protocols: config.tlsListeners },
        });
      }
      health.start(HEALTH_INTERVAL_MS);
      return address;
    },
    mqtt: () => mqtt,
    listeners: () => Object.fromEntries([...vendorListeners].map(([p, l]) => [p, l.port])),
    async stop() {
      health.stop();
      await training.stop();
      await federated.stop();
      await schedules.stop();
      for (const l of vendorListeners.values()) await l.close();
      await mqtt?.close();
      await external?.close();
      await http.close();
      await cluster?.stopProcessing();
      await processor.stop();
      await cluster?.close();
      await keyWatcher?.stop();
      await verifier.close();
      await store.close();
    },
  };
}
