/** What the transports (HTTP, CLI, later MQTT and TCP) get from the composition root. */
import type { Config } from './config/config';
import type { Store } from './storage/ports';
import type { RegistryService } from './registry/registry.service';
import type { AlertService } from './alerts/alert.service';
import type { IncidentService } from './incidents/incident.service';
import type { IngestService } from './ingest/ingest.service';
import type { StreamBus } from './stream/stream-bus';
import type { Metrics } from './ops/metrics';
import type { HealthMonitor } from './ops/health';
import type { Processor } from './processing/processor';
import type { TokenAuth } from './http/auth';
import type { AuditTrail } from './audit/audit-trail';
import type { AccessService } from './access/access.service';
import type { Scopes } from './access/scope';
import type { IntegrationTokens } from './integrations/integration-tokens';
import type { DeviceIntegrations } from './integrations/device-integrations';
import type { PendingDevices } from './integrations/pending-devices';
import type { RiskService } from './risk/risk.service';
import type { CommandService } from './commands/command.service';
import type { DeviceKeyService } from './keys/device-keys.service';
import type { CustodyService } from './custody/custody.service';
import type { KeyChangeGuard } from './custody/key-change-alert';
import type { EncryptionJwk } from './ingest/server-encryption-key';
import type { QuarantineBudget } from './ingest/quarantine-budget';
import type { TrainingService } from './training/training.service';
import type { Federation } from './federation/federation';

export interface AppContext {
  config: Readonly<Config>;
  version: string;
  /** The clock and id source every route and service uses (tests inject their own). */
  now: () => number;
  newId: () => string;
  store: Store;
  registry: RegistryService;
  alerts: AlertService;
  /** Operator actions on incidents (with their alerts) and per-movement mutes. */
  incidents: IncidentService;
  ingest: IngestService;
  bus: StreamBus;
  metrics: Metrics;
  /** What this process depends on, checked (/healthz/ready, the health gauge, warnings in the log). */
  health: HealthMonitor;
  processor: Processor;
  auth: TokenAuth;
  /** Users, sessions, API tokens: who a request is. */
  access: AccessService;
  /** The policy's data scopes applied to stored data (lists and single items). */
  scopes: Scopes;
  /** The tamper-evident trail every device message, alert change and API change is recorded in. */
  audit: AuditTrail;
  /** Risk assessments, lanes, overrides, inspections and profile versions. */
  risk: RiskService;
  /** The device command queue: remote unlocks and other commands. */
  commands: CommandService;
  /** HTTP device integrations: their scoped tokens, and LoRaWAN/RFID decoding into vendor ingest. */
  integrations: { tokens: IntegrationTokens; devices: DeviceIntegrations; pending: PendingDevices };
  /** Cluster mode: the partitions this process processes now. Null in embedded mode. */
  cluster: { ownedPartitions(): number[] } | null;
  /** Device keys: provision, rotate, revoke, list (secrets sealed with the master key). */
  deviceKeys: DeviceKeyService;
  /** Device custody: grants to parties, one movement per device, office bounds. */
  custody: CustodyService;
  /** Key changes of a device on a movement: a reason, and an alert on the movement. */
  keyChanges: KeyChangeGuard;
  /** The installation's public keys for ECDH-ES payload encryption (GET /api/v1/ingest/encryption-key). */
  encryptionJwks: { keys: EncryptionJwk[] };
  /** Refused messages kept per source address and claimed device (null: no budget). */
  quarantineBudget: QuarantineBudget | null;
  /** Training runs, each in a space of its own (DESIGN §8). */
  training: TrainingService;
  /** Federation with partner administrations (docs/federation.md); null without SEALWATCH_ADMINISTRATION. */
  federation: Federation | null;
}
