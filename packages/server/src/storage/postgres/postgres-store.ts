/**
 * The cluster-mode store: PostgreSQL through a connection pool, migrated on open. Every pooled
 * connection works in one schema (its search_path), so several installations or test runs can
 * share a database.
 */
import { postgresPartitionOwnerStore } from './partition-owner-store';
import pg from 'pg';
import type { Store } from '../ports';
import { postgresAccessStore } from './access-store';
import { postgresAuditStore } from './audit-store';
import { postgresDeviceKeyStore } from './device-key-store';
import { postgresCaptureJobStore } from './capture-job-store';
import { postgresEpcisSubscriptionStore } from './epcis-subscription-store';
import { postgresEpcisQueryStore } from './epcis-query-store';
import { postgresAlertStore, postgresEventStore } from './alert-event-stores';
import { postgresIntegrationStore, postgresPendingDeviceStore } from './integration-stores';
import { applyMigrations } from './migrations';
import { postgresMovementStore } from './movement-store';
import { postgresObservationStore } from './observation-store';
import { postgresProcessingStore } from './processing-store';
import { postgresQuarantineStore } from './quarantine-store';
import { postgresRiskStore } from './risk-store';
import { postgresDeviceStore, postgresOfficeStore, postgresSettingsStore } from './registry-stores';
import { postgresTransitStore } from './transit-store';
import { postgresIncidentStore } from './incident-store';
import { postgresCommandStore } from './command-store';
import { postgresWebhookStore } from './webhook-store';
import { postgresFederationStore } from './federation-store';
import { postgresNotificationStore } from './notification-store';
import { postgresCustodyStore } from './custody-store';
import { checkSchemaName, quoteIdent, typeParsers } from './sql';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Schema holding Sealwatch's tables; created if missing. Default `public`. */
  schema?: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /** Drops the schema and everything in it on close: for throwaway test schemas only. */
  dropSchemaOnClose?: boolean;
}

/** Opens (creating the schema and migrating if needed) a PostgreSQL store. Close it with `store.close()`. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = checkSchemaName(options.schema ?? 'public');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A startup option, so it holds on every connection the pool ever opens, before any query.
    options: `-c search_path=${schema}`,
    types: typeParsers,
    // A database that does not answer fails the request instead of hanging it.
    connectionTimeoutMillis: 30_000,
  });
  // An idle connection that breaks (server restart, network) is dropped by the pool, which
  // opens a new one when needed; without a listener the 'error' event would end the process.
  pool.on('error', () => {});
  try {
    await applyMigrations(pool, schema);
  } catch (err) {
    await pool.end();
    throw err;
  }

  let closed = false;
  return {
    engine: 'postgres',
    devices: postgresDeviceStore(pool),
    deviceKeys: postgresDeviceKeyStore(pool),
    captureJobs: postgresCaptureJobStore(pool),
    epcisSubscriptions: postgresEpcisSubscriptionStore(pool),
    epcisQueries: postgresEpcisQueryStore(pool),
    offices: postgresOfficeStore(pool),
    movements: postgresMovementStore(pool),
    observations: postgresObservationStore(pool, schema),
    events: postgresEventStore(pool),
    alerts: postgresAlertStore(pool),
    quarantine: postgresQuarantineStore(pool),
    processing: postgresProcessingStore(pool),
    partitionOwners: postgresPartitionOwnerStore(pool),
    audit: postgresAuditStore(pool),
    risk: postgresRiskStore(pool),
    access: postgresAccessStore(pool),
    settings: postgresSettingsStore(pool),
    transit: postgresTransitStore(pool),
    incidents: postgresIncidentStore(pool),
    commands: postgresCommandStore(pool),
    webhooks: postgresWebhookStore(pool),
    federation: postgresFederationStore(pool),
    notifications: postgresNotificationStore(pool),
    custody: postgresCustodyStore(pool),
    integrations: postgresIntegrationStore(pool),
    pendingDevices: postgresPendingDeviceStore(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (options.dropSchemaOnClose) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}
