/**
 * The store and what guards it: the master key (a bad or missing key stops the start before
 * anything is opened), the engine (PostgreSQL when DATABASE_URL is set, else SQLite), settings
 * sealed with the master key, and the audit trail every event and alert change is written
 * through. Webhook secrets are sealed on the way in and opened on the way out.
 */
import type { Config } from '../config/config';
import { loadMasterKey, type MasterKeySource } from '../keys/master-key';
import { SealedSettings } from '../keys/sealed-settings';
import { sealWebhookSecrets } from '../notify/webhook-secrets';
import { AuditTrail } from '../audit/audit-trail';
import { auditedStore } from '../audit/audited-store';
import { loadServerKeyRing } from '../audit/server-key';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import type { Store } from '../storage/ports';

export interface OpenedStore {
  master: MasterKeySource;
  /** The store as opened: no audit, secrets as stored (resealing reads it). */
  raw: Store;
  /** The store every other part uses: audited, webhook secrets sealed. */
  store: Store;
  /** Secret settings, sealed with the master key (audit and encryption keys, demo seed). */
  secrets: SealedSettings;
  audit: AuditTrail;
}

export async function openStore(config: Readonly<Config>, now: () => number): Promise<OpenedStore> {
  const master = loadMasterKey(config);
  const raw: Store = config.databaseUrl
    ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema })
    : await openSqliteStore({ file: config.sqlite.file, synchronous: config.sqlite.synchronous });
  const secrets = new SealedSettings(raw.settings, master.box);
  const keyRing = () => loadServerKeyRing(raw.settings, secrets);
  const audit = new AuditTrail(raw.audit, (await keyRing()).current, now, keyRing);
  const store = auditedStore({ ...raw, webhooks: sealWebhookSecrets(raw.webhooks, master.box) }, audit);
  return { master, raw, store, secrets, audit };
}
