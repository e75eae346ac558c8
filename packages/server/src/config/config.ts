/**
 * The one validated configuration (DESIGN §6). Parsed once at start from the environment into
 * a frozen Config; a bad start lists every bad variable at once. Nothing else reads process.env.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { vendorProtocols, type VendorProtocolName } from '@sealwatch/protocols/registry';
import { lorawanProfilesSchema, type LorawanProfiles } from '@sealwatch/protocols';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
/** A device listener port: a number, or `off`. */
const listenerPort = (dflt: number) => z.union([z.literal('off'), port]).default(dflt);

/** Device protocols with a listener, and their default ports (from the protocol descriptors). */
export const deviceProtocolPorts = Object.fromEntries(vendorProtocols.map((p) => [p.name, p.defaultPort])) as Record<
  VendorProtocolName,
  number
>;
export type ListenerProtocol = VendorProtocolName;

const envSchema = z.object({
  /** HTTP API and console port. */
  SEALWATCH_HTTP_PORT: port.default(8080),
  /**
   * Address the HTTP server binds to: loopback by default, since the demo's users have public
   * passwords; `0.0.0.0` (or one interface's address) exposes it, once those are changed or the demo is off.
   */
  SEALWATCH_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Hours a console session lasts after sign-in. */
  SEALWATCH_SESSION_TTL_H: z.coerce.number().min(0.1).max(720).default(12),
  /**
   * Marks the session cookies Secure (sent over HTTPS only) on every answer. Without it they are
   * Secure whenever the request came over TLS (SEALWATCH_TLS_CERT); set it behind a TLS-terminating proxy.
   */
  SEALWATCH_COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  /** Folder of the SQLite database and other local state in embedded mode. */
  SEALWATCH_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * Embedded MQTT broker port, or off. Not 1883: that is the port of a system Mosquitto on many
   * servers (and on our CI machines). A busy port is logged and skipped, never fatal.
   */
  SEALWATCH_MQTT_PORT: z.union([z.literal('off'), port]).default(1884),
  /** Address the embedded MQTT broker binds to. */
  SEALWATCH_MQTT_HOST: z.string().min(1).default('0.0.0.0'),
  /** Start the demo fleet. */
  SEALWATCH_DEMO: bool.default(true),
  /** Admin bearer token; if unset a token is generated on first start, printed once, stored hashed. */
  SEALWATCH_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Master key (base64, 32 bytes: `openssl rand -base64 32`) sealing device secrets at rest
   * (AES-256-GCM). Required in cluster mode; unset in embedded mode: generated on first start
   * into <SEALWATCH_DATA_DIR>/master.key (mode 0600).
   */
  SEALWATCH_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  /** Earlier master keys, comma-separated base64: they only decrypt, until `sealwatch keys rotate-master` has re-encrypted with the current one. */
  SEALWATCH_MASTER_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length === 32), 'comma-separated base64 keys of 32 bytes')
    .optional(),
  /** Log level: fatal, error, warn, info, debug, trace, silent. */
  SEALWATCH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Messages timed further ahead of the server clock than this are rejected (clock_skew). */
  SEALWATCH_MAX_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Messages older than this on arrival are marked late (store-and-forward). */
  SEALWATCH_LATE_AFTER_S: z.coerce.number().int().min(1).default(120),
  /** Worker threads that verify signatures; default: one per core. */
  SEALWATCH_VERIFY_WORKERS: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  /** SQLite synchronous mode: FULL survives power loss; NORMAL only process crashes. */
  SEALWATCH_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  /** Ingest rows waiting for a commit before new requests get 503 Retry-After. */
  SEALWATCH_INGEST_MAX_PENDING: z.coerce.number().int().min(100).default(50_000),
  /** Seconds between demo device reports. */
  SEALWATCH_DEMO_INTERVAL_S: z.coerce.number().min(0.2).max(3600).default(2),
  /** Days observations are kept (0: forever). PostgreSQL drops whole monthly partitions. */
  SEALWATCH_RETENTION_OBSERVATIONS_DAYS: z.coerce.number().int().min(0).max(36_500).default(730),
  /** Days rejected inputs stay in the quarantine (0: forever). */
  SEALWATCH_RETENTION_QUARANTINE_DAYS: z.coerce.number().int().min(0).max(36_500).default(180),
  /** Days a finished EPCIS capture job (GET /epcis/capture/{id}) is kept after it finished (0: forever). */
  SEALWATCH_RETENTION_CAPTURE_JOBS_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** Seconds between runs of the transit rules (route deviation, stops, time limit, signal loss); 0 turns them off. */
  SEALWATCH_TRAINING_EXERCISES_DIR: z.string().min(1).optional(),
  SEALWATCH_TRANSIT_EVAL_S: z.coerce.number().min(0).max(3600).default(30),
  /** The SMTP server incident e-mails go through, e.g. smtp://user:pass@mail.example:587 (STARTTLS when offered) or smtps://…:465; unset: no e-mail. Never logged. */
  SEALWATCH_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'smtp://[user:pass@]host[:port] or smtps://…')
    .optional(),
  /** Let webhooks (and other receivers users register) be on loopback, private or link-local addresses: closed networks and tests only (server-side request forgery otherwise). */
  SEALWATCH_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** The sender of incident e-mails. */
  SEALWATCH_SMTP_FROM: z.string().min(3).max(254).default('Sealwatch <sealwatch@localhost>'),
  /** Seconds an alert may stay open (not acknowledged) before it is escalated: marked, audited, re-announced and re-sent to webhooks; 0 turns escalation off. */
  SEALWATCH_ALERT_ESCALATE_S: z.coerce
    .number()
    .min(0)
    .max(7 * 86_400)
    .default(900),
  /** Seconds a device command (e.g. a remote unlock) may wait for the device to connect and answer before it expires. */
  SEALWATCH_COMMAND_TTL_S: z.coerce
    .number()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  /** Seconds a remote unlock accepts as the age of the device's last position (it must lie inside the office of destination). */
  SEALWATCH_UNLOCK_POSITION_MAX_AGE_S: z.coerce.number().min(10).max(86_400).default(600),
  /** Seconds a movement's recorded departure may reach back from when it is recorded (never before the device's previous movement ended). */
  SEALWATCH_START_BACKDATE_MAX_S: z.coerce
    .number()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  /** Largest distance in metres from an office area's centre to its edge (a remote unlock is allowed inside it). */
  SEALWATCH_OFFICE_MAX_RADIUS_M: z.coerce.number().min(100).max(50_000).default(5000),
  /** Unknown vendor device ids land in a pending list that an operator approves (still quarantined until then). */
  SEALWATCH_PENDING_DEVICES: bool.default(false),
  /**
   * A JSON file of LoRaWAN device profiles: per profile (ChirpStack device-profile name or id, TTS
   * `brand_id/model_id`), which field of the payload the network server decoded is which seal-model
   * field (docs/devices.md). Read once at start; without it every profile gets the default mapping.
   */
  SEALWATCH_LORAWAN_PROFILES: z.string().min(1).optional(),
  /** Seconds between signed checkpoints of the audit trail's head; 0: only on demand (export, CLI). */
  SEALWATCH_AUDIT_CHECKPOINT_S: z.coerce.number().min(0).max(86_400).default(300),
  /** Management API requests per minute per client IP (token bucket, 429 with Retry-After); 0: no limit. */
  SEALWATCH_RATE_API_PER_MIN: z.coerce.number().int().min(0).default(600),
  /** Sign-in attempts per minute per client IP; 0: no limit. */
  SEALWATCH_RATE_LOGIN_PER_MIN: z.coerce.number().int().min(0).default(10),
  /**
   * Native messages per minute per device over HTTP ingest and MQTT, each transport its own budget;
   * charged only for messages the device is proven to have sent and that are not duplicates. A
   * device may always upload a day of backlog at its report interval at once; 0: no limit.
   */
  SEALWATCH_RATE_DEVICE_PER_MIN: z.coerce.number().int().min(0).default(120),
  /** Device messages per minute per client address on HTTP ingest (unauthenticated: counted before any check); 0: no limit. */
  SEALWATCH_RATE_INGEST_PER_MIN: z.coerce.number().int().min(0).default(6000),
  /** Refused messages kept in the quarantine per minute per source address (bursts of ten minutes' worth); beyond, counted and sampled, and HTTP ingest answers 429; 0: no budget. */
  SEALWATCH_QUARANTINE_PER_SOURCE_PER_MIN: z.coerce.number().int().min(0).default(60),
  /** Refused messages kept in the quarantine per minute per claimed device (bursts of ten minutes' worth); beyond, counted and sampled; 0: no budget. */
  SEALWATCH_QUARANTINE_PER_DEVICE_PER_MIN: z.coerce.number().int().min(0).default(20),
  /** PEM certificate (chain) file: with SEALWATCH_TLS_KEY the HTTP server speaks HTTPS only. */
  SEALWATCH_TLS_CERT: z.string().optional(),
  /** PEM private key file of SEALWATCH_TLS_CERT. */
  SEALWATCH_TLS_KEY: z.string().optional(),
  /** TCP device listeners that speak TLS with the same certificate (comma-separated, e.g. jt808,teltonika). */
  SEALWATCH_TLS_LISTENERS: z.string().optional(),
  /** PostgreSQL URL: the store of cluster mode (postgres://…). Unset: SQLite under SEALWATCH_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** NATS URL: JetStream becomes the durable ingest log (needs DATABASE_URL). */
  NATS_URL: z.string().optional(),
  /** External MQTT broker URL (mqtt://…): gateways take device messages from it with a shared subscription. */
  MQTT_URL: z.string().optional(),
  /** What this process does: any of gateway, processor, api (comma-separated). */
  SEALWATCH_ROLES: z
    .string()
    .regex(/^(gateway|processor|api)(,(gateway|processor|api))*$/, 'comma-separated gateway, processor, api')
    .default('gateway,processor,api'),
  /** Partitions of the JetStream ingest log (fixed once the stream exists). */
  SEALWATCH_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(16),
  /** This process's name in the cluster (partition leases, NATS client name). */
  SEALWATCH_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  /** PostgreSQL schema of Sealwatch's tables (created if missing). */
  SEALWATCH_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('sealwatch'),
  /** Name of this cluster: prefixes its JetStream stream, subjects and KV bucket on a shared NATS. */
  SEALWATCH_CLUSTER_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .default('sealwatch'),
  /** Seconds before JetStream redelivers a batch a processor took but did not acknowledge (it died). */
  SEALWATCH_NATS_ACK_WAIT_S: z.coerce.number().int().min(2).max(3600).default(30),
  /** Shared-subscription group of the gateways on an external MQTT broker. */
  SEALWATCH_MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('sealwatch-gateways'),
  /** This installation's administration as partners know it: a short id (e.g. KRA, URA); with SEALWATCH_COUNTRY and SEALWATCH_PUBLIC_URL it turns federation on (docs/federation.md). */
  SEALWATCH_ADMINISTRATION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _, at most 32')
    .optional(),
  /** The administration's full name, shown to partners (default: SEALWATCH_ADMINISTRATION). */
  SEALWATCH_ADMINISTRATION_NAME: z.string().min(1).max(200).optional(),
  /** The administration's country (ISO 3166-1 alpha-2): partners share positions inside it when their agreement says partner_territory. */
  SEALWATCH_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case (e.g. KE)')
    .optional(),
  /** This installation's base URL as partners reach it (https://…); its federation inbox is this + /api/v1/federation/inbox. */
  SEALWATCH_PUBLIC_URL: z.string().url().optional(),
  /** Allow plain-http partner URLs that are not loopback (tests and closed networks only: messages are signed, not encrypted). */
  SEALWATCH_FEDERATION_INSECURE: bool.default(false),
  ...Object.fromEntries(Object.entries(deviceProtocolPorts).map(([p, d]) => [`SEALWATCH_PORT_${p.toUpperCase()}`, listenerPort(d)])),
});

/** Every variable Sealwatch reads (each documented in .env.example). */
export const configVariables: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  http: { port: number; host: string; sessionTtlMs: number; cookieSecure: boolean };
  mqtt: { port: number | 'off'; host: string };
  dataDir: string;
  demo: { enabled: boolean; intervalMs: number };
  adminToken: string | null;
  /** SEALWATCH_MASTER_KEY (base64) or null (embedded mode: the key file); earlier keys that only decrypt. */
  masterKey: string | null;
  previousMasterKeys: string[];
  logLevel: z.infer<typeof envSchema>['SEALWATCH_LOG_LEVEL'];
  ingest: { maxClockSkewMs: number; lateAfterMs: number; verifyWorkers: number; maxPending: number };
  sqlite: { file: string; synchronous: 'FULL' | 'NORMAL' };
  databaseUrl: string | null;
  natsUrl: string | null;
  mqttUrl: string | null;
  roles: { gateway: boolean; processor: boolean; api: boolean };
  dbSchema: string;
  transitEvalMs: number;
  /** A folder of an installation's own training exercises, beside the shipped ones (SEALWATCH_TRAINING_EXERCISES_DIR). */
  training: { exercisesDir: string | null };
  /** Seconds before an open alert is escalated; 0: never. */
  alertEscalateS: number;
  /** Where incident e-mails go out (null: none are sent); the URL may carry a password and is never logged. */
  smtp: { url: string; from: string } | null;
  /** SEALWATCH_WEBHOOK_ALLOW_PRIVATE: receivers may be on loopback, private or link-local addresses. */
  webhookAllowPrivate: boolean;
  /** Seconds before an unsent or unanswered device command expires. */
  commandTtlS: number;
  /** Custody and remote-unlock bounds: position age for an unlock, backdating of a departure, office area radius. */
  custody: { unlockPositionMaxAgeMs: number; startBackdateMaxMs: number; officeMaxRadiusM: number };
  /** SEALWATCH_PENDING_DEVICES: unknown vendor device ids are listed for approval. */
  pendingDevices: boolean;
  /** SEALWATCH_LORAWAN_PROFILES, read and checked: field mappings per LoRaWAN device profile; null: the default mapping only. */
  lorawanProfiles: LorawanProfiles | null;
  auditCheckpointMs: number;
  retention: { observationsDays: number; quarantineDays: number; captureJobsDays: number };
  cluster: { name: string; partitions: number; instanceId: string; mqttShareGroup: string; ackWaitMs: number };
  listeners: Record<ListenerProtocol, number | 'off'>;
  /** Per-minute token buckets; 0: off. */
  rate: { apiPerMin: number; loginPerMin: number; devicePerMin: number; ingestPerMin: number };
  quarantineBudget: { perSourcePerMin: number; perDevicePerMin: number };
  /** Certificate and key files (PEM) of HTTPS and the TLS listeners; null: plain HTTP. */
  tls: { certFile: string; keyFile: string } | null;
  /** TCP device listeners that speak TLS. */
  tlsListeners: ListenerProtocol[];
  /** This installation's identity among administrations; null: federation off (SEALWATCH_ADMINISTRATION unset). */
  federation: { administration: string; name: string; country: string; publicUrl: string; insecure: boolean } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Throws ConfigError naming every bad variable. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = r.data as z.infer<typeof envSchema> & Record<string, number | 'off'>;
  const problems: string[] = [];
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) problems.push('DATABASE_URL: must start with postgres://');
  if (e.NATS_URL && !e.DATABASE_URL) problems.push('NATS_URL: needs DATABASE_URL (processes of a cluster share one PostgreSQL store)');
  if (e.NATS_URL && !/^nats:\/\//.test(e.NATS_URL)) problems.push('NATS_URL: must start with nats://');
  // Every process of a cluster must seal and open device secrets with the same key: none may generate its own.
  if (e.DATABASE_URL && !e.SEALWATCH_MASTER_KEY)
    problems.push('SEALWATCH_MASTER_KEY: required with DATABASE_URL (cluster mode); generate one with `openssl rand -base64 32`');
  if (e.MQTT_URL && !/^mqtts?:\/\//.test(e.MQTT_URL)) problems.push('MQTT_URL: must start with mqtt:// or mqtts://');
  const roles = new Set(e.SEALWATCH_ROLES.split(','));
  // The gateway's MQTT session (and the messages the broker keeps for it) is named after it.
  if (e.MQTT_URL && roles.has('gateway') && !e.SEALWATCH_INSTANCE_ID)
    problems.push('SEALWATCH_INSTANCE_ID: required with MQTT_URL, so a restarted gateway resumes its broker session');
  if (!e.NATS_URL && roles.size < 3)
    problems.push('SEALWATCH_ROLES: separate roles need NATS_URL (the ingest log between gateways and processors)');
  if (Boolean(e.SEALWATCH_TLS_CERT) !== Boolean(e.SEALWATCH_TLS_KEY))
    problems.push('SEALWATCH_TLS_CERT, SEALWATCH_TLS_KEY: set both or neither');
  const tlsListeners = (e.SEALWATCH_TLS_LISTENERS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  // Only TCP streams take TLS (OsmAnd is HTTP on its port: not covered by TLS listeners yet).
  const tcpProtocols = vendorProtocols.filter((p) => p.transports.includes('tcp')).map((p) => p.name as string);
  for (const p of tlsListeners)
    if (!tcpProtocols.includes(p)) problems.push(`SEALWATCH_TLS_LISTENERS: ${p} is not a TCP device listener (${tcpProtocols.join(', ')})`);
  if (tlsListeners.length && !e.SEALWATCH_TLS_CERT)
    problems.push('SEALWATCH_TLS_LISTENERS: needs SEALWATCH_TLS_CERT and SEALWATCH_TLS_KEY');
  const identity = [e.SEALWATCH_ADMINISTRATION, e.SEALWATCH_COUNTRY, e.SEALWATCH_PUBLIC_URL];
  if (identity.some(Boolean) && !identity.every(Boolean))
    problems.push('SEALWATCH_ADMINISTRATION, SEALWATCH_COUNTRY, SEALWATCH_PUBLIC_URL: set all three (federation) or none');
  if (e.SEALWATCH_PUBLIC_URL && !/^https?:\/\//.test(e.SEALWATCH_PUBLIC_URL))
    problems.push('SEALWATCH_PUBLIC_URL: must start with https:// or http://');
  const lorawanProfiles = e.SEALWATCH_LORAWAN_PROFILES ? readProfiles(resolve(e.SEALWATCH_LORAWAN_PROFILES), problems) : null;
  if (problems.length) throw new ConfigError(problems);
  const dataDir = resolve(e.SEALWATCH_DATA_DIR);
  const listeners = Object.fromEntries(Object.keys(deviceProtocolPorts).map((p) => [p, e[`SEALWATCH_PORT_${p.toUpperCase()}`]])) as Record<
    ListenerProtocol,
    number | 'off'
  >;
  return Object.freeze({
    http: {
      port: e.SEALWATCH_HTTP_PORT,
      host: e.SEALWATCH_HTTP_HOST,
      sessionTtlMs: Math.round(e.SEALWATCH_SESSION_TTL_H * 3_600_000),
      cookieSecure: e.SEALWATCH_COOKIE_SECURE === 'true',
    },
    mqtt: { port: e.SEALWATCH_MQTT_PORT, host: e.SEALWATCH_MQTT_HOST },
    dataDir,
    demo: { enabled: e.SEALWATCH_DEMO, intervalMs: Math.round(e.SEALWATCH_DEMO_INTERVAL_S * 1000) },
    adminToken: e.SEALWATCH_ADMIN_TOKEN ?? null,
    masterKey: e.SEALWATCH_MASTER_KEY ?? null,
    previousMasterKeys: e.SEALWATCH_MASTER_KEY_PREVIOUS ? e.SEALWATCH_MASTER_KEY_PREVIOUS.split(',').map((k) => k.trim()) : [],
    logLevel: e.SEALWATCH_LOG_LEVEL,
    ingest: {
      maxClockSkewMs: e.SEALWATCH_MAX_CLOCK_SKEW_S * 1000,
      lateAfterMs: e.SEALWATCH_LATE_AFTER_S * 1000,
      verifyWorkers: e.SEALWATCH_VERIFY_WORKERS,
      maxPending: e.SEALWATCH_INGEST_MAX_PENDING,
    },
    sqlite: { file: resolve(dataDir, 'sealwatch.db'), synchronous: e.SEALWATCH_SQLITE_SYNCHRONOUS },
    databaseUrl: e.DATABASE_URL ?? null,
    natsUrl: e.NATS_URL ?? null,
    mqttUrl: e.MQTT_URL ?? null,
    roles: { gateway: roles.has('gateway'), processor: roles.has('processor'), api: roles.has('api') },
    dbSchema: e.SEALWATCH_DB_SCHEMA,
    transitEvalMs: Math.round(e.SEALWATCH_TRANSIT_EVAL_S * 1000),
    training: { exercisesDir: e.SEALWATCH_TRAINING_EXERCISES_DIR ? resolve(e.SEALWATCH_TRAINING_EXERCISES_DIR) : null },
    alertEscalateS: e.SEALWATCH_ALERT_ESCALATE_S,
    smtp: e.SEALWATCH_SMTP_URL ? { url: e.SEALWATCH_SMTP_URL, from: e.SEALWATCH_SMTP_FROM } : null,
    webhookAllowPrivate: e.SEALWATCH_WEBHOOK_ALLOW_PRIVATE,
    commandTtlS: e.SEALWATCH_COMMAND_TTL_S,
    custody: {
      unlockPositionMaxAgeMs: e.SEALWATCH_UNLOCK_POSITION_MAX_AGE_S * 1000,
      startBackdateMaxMs: e.SEALWATCH_START_BACKDATE_MAX_S * 1000,
      officeMaxRadiusM: e.SEALWATCH_OFFICE_MAX_RADIUS_M,
    },
    pendingDevices: e.SEALWATCH_PENDING_DEVICES,
    lorawanProfiles,
    auditCheckpointMs: Math.round(e.SEALWATCH_AUDIT_CHECKPOINT_S * 1000),
    retention: {
      observationsDays: e.SEALWATCH_RETENTION_OBSERVATIONS_DAYS,
      quarantineDays: e.SEALWATCH_RETENTION_QUARANTINE_DAYS,
      captureJobsDays: e.SEALWATCH_RETENTION_CAPTURE_JOBS_DAYS,
    },
    cluster: {
      name: e.SEALWATCH_CLUSTER_NAME,
      partitions: e.SEALWATCH_PARTITIONS,
      instanceId:
        e.SEALWATCH_INSTANCE_ID ??
        `${hostname()
          .replace(/[^A-Za-z0-9_-]/g, '-')
          .slice(0, 40)}-${process.pid}`,
      mqttShareGroup: e.SEALWATCH_MQTT_SHARE_GROUP,
      ackWaitMs: e.SEALWATCH_NATS_ACK_WAIT_S * 1000,
    },
    listeners,
    rate: {
      apiPerMin: e.SEALWATCH_RATE_API_PER_MIN,
      loginPerMin: e.SEALWATCH_RATE_LOGIN_PER_MIN,
      devicePerMin: e.SEALWATCH_RATE_DEVICE_PER_MIN,
      ingestPerMin: e.SEALWATCH_RATE_INGEST_PER_MIN,
    },
    quarantineBudget: {
      perSourcePerMin: e.SEALWATCH_QUARANTINE_PER_SOURCE_PER_MIN,
      perDevicePerMin: e.SEALWATCH_QUARANTINE_PER_DEVICE_PER_MIN,
    },
    tls:
      e.SEALWATCH_TLS_CERT && e.SEALWATCH_TLS_KEY
        ? { certFile: resolve(e.SEALWATCH_TLS_CERT), keyFile: resolve(e.SEALWATCH_TLS_KEY) }
        : null,
    tlsListeners: tlsListeners as ListenerProtocol[],
    federation:
      e.SEALWATCH_ADMINISTRATION && e.SEALWATCH_COUNTRY && e.SEALWATCH_PUBLIC_URL
        ? {
            administration: e.SEALWATCH_ADMINISTRATION,
            name: e.SEALWATCH_ADMINISTRATION_NAME ?? e.SEALWATCH_ADMINISTRATION,
            country: e.SEALWATCH_COUNTRY,
            publicUrl: e.SEALWATCH_PUBLIC_URL.replace(/\/+$/, ''),
            insecure: e.SEALWATCH_FEDERATION_INSECURE,
          }
        : null,
  });
}

/** The LoRaWAN profile file, checked whole; what is wrong goes to `problems` with the other variables'. */
function readProfiles(file: string, problems: string[]): LorawanProfiles | null {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`SEALWATCH_LORAWAN_PROFILES: ${file}: ${(err as Error).message}`);
    return null;
  }
  const r = lorawanProfilesSchema.safeParse(doc);
  if (r.success) return r.data;
  for (const i of r.error.issues.slice(0, 5))
    problems.push(`SEALWATCH_LORAWAN_PROFILES: ${file}: ${i.path.join('.') || 'document'}: ${i.message}`);
  return null;
}
