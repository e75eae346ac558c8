/** The embedded-mode store: one SQLite file, opened with durable settings and migrated on open. */
import { sqlitePartitionOwnerStore } from './partition-owner-store';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../ports';
import { sqliteAccessStore } from './access-store';
import { sqliteAuditAppender, sqliteAuditStore } from './audit-store';
import { sqliteDeviceKeyStore } from './device-key-store';
import { sqliteCaptureJobStore } from './capture-job-store';
import { sqliteEpcisSubscriptionStore } from './epcis-subscription-store';
import { sqliteEpcisQueryStore } from './epcis-query-store';
import { sqliteAlertStore, sqliteEventStore } from './alert-event-stores';
import { sqliteIntegrationStore, sqlitePendingDeviceStore } from './integration-stores';
import { applyMigrations } from './migrations';
import { sqliteMovementStore } from './movement-store';
import { sqliteObservationStore } from './observation-store';
import { sqliteProcessingStore } from './processing-store';
import { sqliteQuarantineStore } from './quarantine-store';
import { sqliteRiskStore } from './risk-store';
import { sqliteDeviceStore, sqliteOfficeStore, sqliteSettingsStore } from './registry-stores';
import { sqliteTransitStore } from './transit-store';
import { sqliteIncidentStore } from './incident-store';
import { sqliteCommandStore } from './command-store';
import { sqliteWebhookStore } from './webhook-store';
import { sqliteFederationStore } from './federation-store';
import { sqliteNotificationStore } from './notification-store';
import { sqliteCustodyStore } from './custody-store';
import { walFlush } from './wal-flush';

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created if missing. `:memory:` for a throwaway store. */
  file: string;
  /**
   * FULL (default) syncs the WAL on every commit, so an acknowledged message survives a power
   * loss. NORMAL survives a process crash but may lose the last commits on power loss.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The database holds password hashes, sealed secrets and every party's data: readable by the
 * server's user only (0600, its folder 0700 when created here). SQLite gives the -wal and -shm
 * files it creates the database file's mode; ones left by an older run are narrowed too.
 */
function ownerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** Opens (creating and migrating if needed) a SQLite store. Close it with `store.close()`. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  if (options.file !== ':memory:') ownerOnly(options.file);
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    // Another process (the CLI next to a running server) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    applyMigrations(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const probe = db.prepare('SELECT 1');
  // The group commit and the processor's commit sync the WAL off the event loop (wal-flush.ts);
  // every other commit syncs itself (FULL).
  const wal = walFlush(db);
  return {
    engine: 'sqlite',
    devices: sqliteDeviceStore(db),
    deviceKeys: sqliteDeviceKeyStore(db),
    captureJobs: sqliteCaptureJobStore(db),
    epcisSubscriptions: sqliteEpcisSubscriptionStore(db),
    epcisQueries: sqliteEpcisQueryStore(db),
    offices: sqliteOfficeStore(db),
    movements: sqliteMovementStore(db),
    observations: sqliteObservationStore(db, sqliteAuditAppender(db), wal),
    events: sqliteEventStore(db),
    alerts: sqliteAlertStore(db),
    quarantine: sqliteQuarantineStore(db),
    processing: sqliteProcessingStore(db, wal),
    partitionOwners: sqlitePartitionOwnerStore(db),
    audit: sqliteAuditStore(db),
    risk: sqliteRiskStore(db),
    access: sqliteAccessStore(db),
    settings: sqliteSettingsStore(db),
    transit: sqliteTransitStore(db),
    incidents: sqliteIncidentStore(db),
    commands: sqliteCommandStore(db),
    webhooks: sqliteWebhookStore(db),
    federation: sqliteFederationStore(db),
    notifications: sqliteNotificationStore(db),
    custody: sqliteCustodyStore(db),
    integrations: sqliteIntegrationStore(db),
    pendingDevices: sqlitePendingDeviceStore(db),
    async ping() {
      probe.get();
    },
    async close() {
      wal?.close();
      if (db.open) db.close();
    },
  };
}
