/**
 * The composition root. Embedded mode: SQLite, the observations table as the ingest log, the
 * embedded MQTT broker. Cluster mode (DATABASE_URL, NATS_URL): PostgreSQL, JetStream as the
 * ingest log with partition leases for processors, an external MQTT broker when MQTT_URL is
 * set, and only the roles chosen by SEALWATCH_ROLES. Tests build the same platform.
 */
import type { DeviceId } from '@sealwatch/core';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config';
import { readTlsFiles } from './http/tls';
import type { AppContext } from './app-context';
import { openSqliteStore } from './storage/sqlite/sqlite-store';
import { openPostgresStore } from './storage/postgres/postgres-store';
import type { Store } from './storage/ports';
import { StreamBus } from './stream/stream-bus';
import { Mutex } from './processing/mutex';
import { Processor } from './processing/processor';
import { makeSeqConflictRecorder } from './processing/security-events';
import { makeForgedMessageRecorder } from './processing/forged-messages';
import { loadMasterKey } from './keys/master-key';
import { DeviceKeyService } from './keys/device-keys.service';
import { SealedSettings } from './keys/sealed-settings';
import { resealAllSecrets, resealTotal } from './keys/secrets-at-rest';
import { sealWebhookSecrets } from './notify/webhook-secrets';
import { KeyChangeWatcher } from './ingest/key-change-watcher';
import { DeviceDirectory } from './ingest/device-directory';
import { GroupCommitter } from './ingest/group-commit';
import { AuditTrail } from './audit/audit-trail';
import { AccessService } from './access/access.service';
import { Scopes } from './access/scope';
import { auditedStore } from './audit/audited-store';
import { loadServerKeyRing } from './audit/server-key';
import { contentKeysFromDirectory, PayloadDecryption } from './ingest/payload-decryption';
import { loadServerEncryptionKeys } from './ingest/server-encryption-key';
import type { IngestLog } from './ingest/ingest-log';
import { Admission } from './ingest/admission';
import { IngestService } from './ingest/ingest.service';
import { VendorIngestService } from './ingest/vendor-ingest';
import { IntegrationTokens } from './integrations/integration-tokens';
import { DeviceIntegrations } from './integrations/device-integrations';
import { PendingDevices } from './integrations/pending-devices';
import type { VendorListener } from './transports/vendor-listener';
import { startVendorListeners } from './transports/listener-host';
import { SignatureVerifier } from './ingest/signature-verifier';
import { RegistryService } from './registry/registry.service';
import { AlertService } from './alerts/alert.service';
import { Metrics } from './ops/metrics';
import { TokenAuth, bootstrapAdminToken } from './http/auth';
import { buildHttpApp } from './http/app';
import { version } from './version';
import { startEmbeddedMqtt, type EmbeddedMqtt } from './transports/mqtt-embedded';
import { startExternalMqttGateway } from './transports/mqtt-external';
import { deviceRateLimit } from './ingest/device-rate-limit';
import { QuarantineBudget } from './ingest/quarantine-budget';
import { startCluster, type ClusterRuntime } from './cluster/cluster-runtime';
import { RetentionService } from './retention/retention.service';
import { TransitMonitor } from './transit/transit-monitor';
import { AlertEscalator } from './alerts/alert-escalation';
import { IncidentService } from './incidents/incident.service';
import { WebhookDispatcher } from './notify/webhook-dispatcher';
import { RiskService } from './risk/risk.service';
import { CommandService } from './commands/command.service';

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
  /** Cluster mode's runtime (partitions owned, NATS connection); null in embedded mode. */
  cluster: ClusterRuntime | null;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  now?: () => number;
  newId?: () => string;
  /** pino options or false. */
  logger?: boolean | object;
}

export async function createPlatform(config: Readonly<Config>, options: PlatformOptions = {}): Promise<Platform> {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  // Before the store: a bad or missing master key stops the start here.
  const master = loadMasterKey(config);
  const rawStore: Store = config.databaseUrl
    ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema })
    : await openSqliteStore({ file: config.sqlite.file, synchronous: config.sqlite.synchronous });
  // Secrets in settings (audit and encryption keys, demo seed) are sealed with the master key.
  const secrets = new SealedSettings(rawStore.settings, master.box);
  const keyRing = () => loadServerKeyRing(rawStore.settings, secrets);
  const audit = new AuditTrail(rawStore.audit, (await keyRing()).current, now, keyRing);
  // From here on, every event and alert change written through `store` is audited first;
  // webhook secrets are sealed on the way in and opened on the way out.
  const store = auditedStore({ ...rawStore, webhooks: sealWebhookSecrets(rawStore.webhooks, master.box) }, audit);
  const bus = new StreamBus();
  const alertLock = new Mutex();
  const auth = new TokenAuth();
  const { generated } = await bootstrapAdminToken(auth, store.settings, config.adminToken);
  const access = new AccessService({ store: store.access, adminTokens: auth, now, newId, sessionTtlMs: config.http.sessionTtlMs, box: master.box });
  await access.bootstrap();

  const cluster: ClusterRuntime | null = config.natsUrl ? await startCluster(config, store, bus) : null;
  let processor: Processor;
  const log: IngestLog = cluster
    ? cluster.ingestLog(config.ingest.maxPending)
    : new GroupCommitter(store.observations, { maxPending: config.ingest.maxPending, maxRowsPerCommit: 10_000, onCommitted: () => processor.kick() });
  const metrics = new Metrics({
    pendingCommitRows: () => log.pendingRows,
    processorLag: async () => (cluster ? 0 : (await store.observations.lastId()) - processor.position),
    streamClients: () => bus.listenerCount,
    unresolvedAlerts: () => store.alerts.countUnresolved('type'),
  });
  processor = new Processor({
    store, bus, alertLock, now, newId,
    onError: (e) => http.log.warn({ err: e.message }, 'processing failed; retrying'),
    onProcessed: (n, events, alerts) => {
      metrics.processed.inc(n);
      for (const e of events) metrics.events.inc({ type: e.type });
      for (const a of alerts) metrics.alertsRaised.inc({ type: a.type, severity: a.severity });
    },
  });
  const deviceKeys = new DeviceKeyService({ store: store.deviceKeys, box: master.box, now, onChanged: (id) => devices.invalidate(id) });
  // Secrets stored in clear (migration 13, settings, webhooks, TOTP from before sealing), or sealed
  // under an earlier master key, are sealed under the current one (idempotent).
  const resealed = await resealAllSecrets({ box: master.box, deviceKeys, settings: secrets, webhooks: rawStore.webhooks, access: rawStore.access });
  const devices = new DeviceDirectory(store.devices, (d) => deviceKeys.keysForIngest(d.id, (e) => http.log.error({ err: e.message }, 'a device key cannot be opened')));
  // Cluster: keys changed by another process leave this one's cache within ~3 s (key-change-watcher.ts).
  const keyWatcher = config.databaseUrl && config.roles.gateway
    ? new KeyChangeWatcher({ keys: store.deviceKeys, invalidate: (id) => devices.invalidate(id), onError: (e) => http.log.warn({ err: e.message }, 'device key change poll failed; retrying') })
    : null;
  const verifier = new SignatureVerifier(config.roles.gateway ? config.ingest.verifyWorkers : 0);
  const onSeqConflict = makeSeqConflictRecorder({ store, bus, alertLock, now, newId });
  const encryptionKeys = await loadServerEncryptionKeys(secrets);
  const decryption = new PayloadDecryption({ contentKey: contentKeysFromDirectory(devices, now), keys: encryptionKeys });
  // Native and vendor messages share one admission step after their own identity check.
  // A device may upload a day of backlog at its registered report interval (the device rate limits).
  const reportInterval = async (id: string) => (await store.devices.get(id as DeviceId))?.reportIntervalS ?? null;
  const { perSourcePerMin, perDevicePerMin } = config.quarantineBudget;
  const quarantineBudget = perSourcePerMin > 0 || perDevicePerMin > 0 ? new QuarantineBudget({ perSourcePerMin, perDevicePerMin, now }) : null;
  const admission = new Admission({
    log, quarantine: store.quarantine, quarantineBudget,
    countOverBudget: (reason) => metrics.quarantineOverBudget.inc({ reason }),
    rules: { maxClockSkewMs: config.ingest.maxClockSkewMs, lateAfterMs: config.ingest.lateAfterMs },
    count: (status, reason) => metrics.countIngest(status, reason),
    audit: (entries) => audit.record(entries),
    onSeqConflict,
    onForged: makeForgedMessageRecorder({ store, bus, alertLock, now, newId }),
  });
  const ingest = new IngestService({
    devices, verifier, admission, now,
    onFailure: (e) => http.log.warn({ err: e.message }, 'ingest dependency failed; answering retry later'),
    unwrap: (raw) => decryption.unwrap(raw),
  });
  const vendorIngest = new VendorIngestService({
    devices, admission, now,
    onFailure: (e) => http.log.warn({ err: e.message }, 'vendor ingest dependency failed; answering retry later'),
    pending: config.pendingDevices ? store.pendingDevices : null,
  });
  const risk = new RiskService({ store, audit, now, newId });
  await risk.start();
  const registry = new RegistryService({
    store, bus, now, newId, onDeviceChanged: (id) => devices.invalidate(id), keys: deviceKeys,
    // Arrival proposes the lane. The arrival itself is already stored: a failed assessment is logged, and can be asked for again.
    onMovementChanged: async (m, action) => {
      if (action !== 'arrive') return;
      await risk.assess(m.id, 'arrival').catch((e: Error) => http.log.warn({ err: e.message, movement: m.id }, 'risk assessment on arrival failed'));
    },
  });
  const alerts = new AlertService({ alerts: store.alerts, bus, alertLock, now });
  const incidents = new IncidentService({ store, bus, alertLock, now });
  const integrations = {
    tokens: new IntegrationTokens({ store: store.integrations, now, newId }),
    devices: new DeviceIntegrations({ ingest: vendorIngest, devices }),
    pending: new PendingDevices({ store: store.pendingDevices, registry }),
  };

  // The device command queue: queued through the API, delivered by the vendor listeners.
  const commands = new CommandService({
    store, scopes: new Scopes(store), audit: (entries) => audit.record(entries), deviceByIdentifier: (id) => devices.getByIdentifier(id), now, newId, ttlMs: config.commandTtlS * 1000, box: master.box,
  });
  const ctx: AppContext = { config, version, now, newId, store, registry, alerts, incidents, ingest, bus, metrics, processor, auth, access, scopes: new Scopes(store), audit, integrations, cluster, risk, commands, encryptionJwks: encryptionKeys.jwks, deviceKeys, quarantineBudget };
  const http = await buildHttpApp(ctx, options.logger ?? false, { api: config.roles.api, ingest: config.roles.gateway });
  if (master.generated) http.log.warn({ file: master.file }, 'generated the master key that seals device secrets (mode 0600); back it up with the database: without it stored device secrets cannot be opened. Set SEALWATCH_MASTER_KEY to manage it yourself');
  for (const w of master.warnings) http.log.warn(w);
  if (resealTotal(resealed)) http.log.info({ resealed }, 'stored secrets sealed under the current master key');
  await keyWatcher?.start();
  if (config.roles.processor) {
    if (cluster) await cluster.startProcessing({ processor, store, onSeqConflict, log: http.log });
    else await processor.start();
  }

  // Transit rules run where observations are processed; in a cluster only on the owner of partition 0.
  const transit = new TransitMonitor({ store, bus, alertLock, now, newId, log: http.log, isLeader: () => !cluster || cluster.ownedPartitions().includes(0) });
  if (config.roles.processor && config.transitEvalMs > 0) transit.schedule(config.transitEvalMs);
  // Escalation and webhook sending run on the same one process; every process sees alerts on the bus.
  const leader = () => config.roles.processor && (!cluster || cluster.ownedPartitions().includes(0));
  const escalation = new AlertEscalator({ alerts: store.alerts, bus, alertLock, now, afterS: config.alertEscalateS, log: http.log, isLeader: leader });
  const webhooks = new WebhookDispatcher({ store: store.webhooks, bus, now, newId, log: http.log, isLeader: leader });
  if (config.roles.processor) {
    escalation.schedule(Math.min(30_000, Math.max(1000, config.alertEscalateS * 250)));
    webhooks.schedule(2000);
  }

  // Commands nobody answered expire on one process (in a cluster the owner of partition 0).
  const expireCommands = setInterval(() => {
    if (!config.roles.processor || (cluster && !cluster.ownedPartitions().includes(0))) return;
    commands.expireDue().catch((e: Error) => http.log.warn({ err: e.message }, 'command expiry failed; retrying at the next interval'));
  }, Math.min(30_000, Math.max(1000, config.commandTtlS * 250)));
  expireCommands.unref();

  // Retention runs where the API runs (idempotent if several API processes run it).
  const retention = new RetentionService({ store, policy: config.retention, now, log: http.log });
  if (config.roles.api) retention.schedule(3_600_000);
  const stopCheckpoints = config.roles.api && config.auditCheckpointMs > 0
    ? audit.startCheckpoints(config.auditCheckpointMs, (e) => http.log.warn({ err: e.message }, 'audit checkpoint failed; retrying at the next interval'))
    : () => {};

  // SEALWATCH_TLS_LISTENERS: these TCP device listeners speak TLS with the HTTP certificate.
  const listenerTls = config.tls && config.tlsListeners.length ? readTlsFiles(config.tls) : null;
  let mqtt: EmbeddedMqtt | null = null;
  let vendorListeners = new Map<string, VendorListener>();
  let external: { close(): Promise<void> } | null = null;
  return {
    ctx,
    http,
    generatedAdminToken: generated,
    secrets,
    cluster,
    transit,
    escalation,
    webhooks,
    async listen() {
      const address = await http.listen({ port: config.http.port, host: config.http.host });
      if (config.roles.gateway && config.mqttUrl) {
        external = await startExternalMqttGateway({ url: config.mqttUrl, group: config.cluster.mqttShareGroup, clientId: `sealwatch-gw-${config.cluster.instanceId}`, ingest, log: http.log, rateLimit: deviceRateLimit(config.rate.devicePerMin, reportInterval) });
      } else if (config.roles.gateway && config.mqtt.port !== 'off') {
        mqtt = await startEmbeddedMqtt({ port: config.mqtt.port, host: config.mqtt.host, ingest, log: http.log, rateLimit: deviceRateLimit(config.rate.devicePerMin, reportInterval) });
      }
      if (config.roles.gateway) {
        vendorListeners = await startVendorListeners({
          ports: config.listeners, host: config.http.host, ingest: vendorIngest, log: http.log, commands,
          knows: async (protocol, id) => (await devices.getByIdentifier(id))?.protocol === protocol,
          tls: listenerTls && { ...listenerTls, protocols: config.tlsListeners },
        });
      }
      return address;
    },
    mqtt: () => mqtt,
    listeners: () => Object.fromEntries([...vendorListeners].map(([p, l]) => [p, l.port])),
    async stop() {
      retention.stop();
      clearInterval(expireCommands);
      stopCheckpoints();
      await transit.stop();
      await escalation.stop();
      await webhooks.stop();
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
