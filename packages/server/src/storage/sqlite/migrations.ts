/**
 * The SQLite schema as an ordered list of steps. A step, once released, is never edited: a
 * change is a new step at the end. `schema_migrations` records what a file has applied.
 */
import { accessTablesSql, signInThrottleSql, tokenMakerSql } from '../access-rows';
import { orderMigrations } from '../migrations';
import type { Migration } from '../migrations';
import type { Db } from './sql';

// Timestamps are canonical ISO strings (UTC, milliseconds, `Z`), so text order is time order.
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'devices, offices, movements',
    sql: `
      CREATE TABLE devices (
        id TEXT PRIMARY KEY, class TEXT NOT NULL, kind TEXT NOT NULL, protocol TEXT NOT NULL,
        identifiers TEXT NOT NULL, report_interval_s REAL, key TEXT, owner TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE offices (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, area TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE movements (
        id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, container TEXT, vehicle TEXT,
        trader TEXT, devices TEXT NOT NULL, seals TEXT NOT NULL, departure_office TEXT NOT NULL,
        destination_office TEXT NOT NULL, route TEXT, corridor_width_m REAL NOT NULL,
        authorized_stops TEXT NOT NULL, time_limit TEXT, status TEXT NOT NULL,
        created_at TEXT NOT NULL, started_at TEXT, arrived_at TEXT, ended_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX movements_by_created ON movements (created_at, id);
      CREATE INDEX movements_by_status ON movements (status, created_at, id);
      -- The device filter and listOpenByDevice look movements up by device.
      CREATE TABLE movement_devices (
        movement_id TEXT NOT NULL REFERENCES movements (id) ON DELETE CASCADE,
        device TEXT NOT NULL,
        PRIMARY KEY (movement_id, device)
      );
      CREATE INDEX movement_devices_by_device ON movement_devices (device);
    `,
  },
  {
    version: 2,
    name: 'observations',
    sql: `
      -- AUTOINCREMENT: an id is the processor's log position and must never be reused.
      CREATE TABLE observations (
        id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, seq INTEGER,
        time TEXT NOT NULL, received_at TEXT NOT NULL, lat REAL, lon REAL, trust TEXT NOT NULL,
        protocol TEXT NOT NULL, hash TEXT NOT NULL, raw TEXT NOT NULL, late INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE UNIQUE INDEX observations_by_device_seq ON observations (device, seq) WHERE seq IS NOT NULL;
      CREATE INDEX observations_by_device_time ON observations (device, time);
    `,
  },
  {
    version: 3,
    name: 'events, alerts, processing',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, movement TEXT, device TEXT, time TEXT NOT NULL,
        details TEXT NOT NULL, observation INTEGER, created_at TEXT NOT NULL
      );
      CREATE INDEX events_by_time ON events (time, id);
      CREATE INDEX events_by_movement ON events (movement, time, id);
      CREATE INDEX events_by_device ON events (device, time, id);
      CREATE INDEX events_by_type ON events (type, time, id);
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        movement TEXT, device TEXT, time TEXT NOT NULL, last_time TEXT NOT NULL,
        count INTEGER NOT NULL, details TEXT NOT NULL, assignee TEXT, outcome TEXT, comment TEXT,
        history TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      CREATE INDEX alerts_by_key ON alerts (type, movement, device, status);
      CREATE INDEX alerts_by_updated ON alerts (updated_at, id);
      CREATE TABLE device_states (
        device TEXT PRIMARY KEY, last_time TEXT, last_received_at TEXT, last_seq INTEGER,
        position TEXT, position_time TEXT, seal TEXT, battery TEXT
      );
      CREATE TABLE processor_checkpoints (processor TEXT PRIMARY KEY, position INTEGER NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'quarantine, settings',
    sql: `
      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, transport TEXT NOT NULL,
        remote TEXT, reason TEXT NOT NULL, detail TEXT NOT NULL, device TEXT, seq INTEGER,
        raw TEXT NOT NULL
      );
      CREATE INDEX quarantine_by_reason ON quarantine (reason, id);
      CREATE INDEX quarantine_by_device ON quarantine (device, id);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 5,
    name: 'processed observations',
    sql: `CREATE TABLE processed_observations (id INTEGER PRIMARY KEY);`,
  },
  {
    version: 6,
    name: 'device identifiers, quarantine by time',
    sql: `
      CREATE INDEX devices_by_imei ON devices (json_extract(identifiers, '$.imei')) WHERE json_extract(identifiers, '$.imei') IS NOT NULL;
      CREATE INDEX devices_by_epc ON devices (json_extract(identifiers, '$.epc')) WHERE json_extract(identifiers, '$.epc') IS NOT NULL;
      CREATE INDEX devices_by_seal ON devices (json_extract(identifiers, '$.sealNumber')) WHERE json_extract(identifiers, '$.sealNumber') IS NOT NULL;
      CREATE INDEX quarantine_by_time ON quarantine (received_at);
    `,
  },
  {
    version: 7,
    name: 'alert revisions, one unresolved alert per movement and type',
    sql: `
      ALTER TABLE alerts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
      CREATE UNIQUE INDEX alerts_one_unresolved_per_movement ON alerts (type, movement) WHERE movement IS NOT NULL AND status <> 'resolved';
      CREATE UNIQUE INDEX alerts_one_unresolved_per_device ON alerts (type, device) WHERE movement IS NULL AND status <> 'resolved';
    `,
  },
  {
    version: 8,
    name: 'audit trail: hash chain, subjects index, signed checkpoints',
    sql: `
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY, kind text NOT NULL, ref text NOT NULL UNIQUE, time text NOT NULL,
        actor text NOT NULL, subjects text NOT NULL, action text NOT NULL, data text NOT NULL,
        content_hash text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL);
      CREATE TABLE audit_subjects (subject text NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (subject, seq));
      CREATE TABLE audit_checkpoints (
        seq INTEGER PRIMARY KEY, hash text NOT NULL, time text NOT NULL, key_id text NOT NULL, signature text NOT NULL);
    `,
  },
  {
    version: 9,
    name: 'risk: profile versions, active profile, assessments, inspections',
    sql: `
      CREATE TABLE risk_profiles (
        version INTEGER PRIMARY KEY, profile TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL);
      -- A profile version is evidence of how lanes were decided: never changed once stored.
      CREATE TRIGGER risk_profiles_immutable BEFORE UPDATE ON risk_profiles
        BEGIN SELECT RAISE(ABORT, 'risk profiles are immutable'); END;
      CREATE TABLE risk_active_profile (
        id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL REFERENCES risk_profiles (version),
        activated_at TEXT NOT NULL, activated_by TEXT NOT NULL);
      CREATE TABLE risk_assessments (
        id TEXT PRIMARY KEY, movement TEXT NOT NULL, revision INTEGER NOT NULL, trader TEXT, office TEXT NOT NULL,
        cause TEXT NOT NULL, lane TEXT NOT NULL, score REAL NOT NULL, profile_version INTEGER NOT NULL, seed INTEGER NOT NULL,
        facts TEXT NOT NULL, result TEXT NOT NULL, decision TEXT NOT NULL, decided_at TEXT NOT NULL, decided_by TEXT NOT NULL,
        UNIQUE (movement, revision));
      CREATE INDEX risk_assessments_by_trader ON risk_assessments (trader, movement);
      CREATE INDEX risk_assessments_by_office ON risk_assessments (office, decided_at);
      CREATE TABLE risk_inspections (
        movement TEXT PRIMARY KEY, trader TEXT, office TEXT NOT NULL, lane TEXT NOT NULL, reason TEXT NOT NULL,
        fired TEXT NOT NULL, profile_version INTEGER NOT NULL, result TEXT NOT NULL, comment TEXT,
        inspected_by TEXT NOT NULL, at TEXT NOT NULL);
      CREATE INDEX risk_inspections_by_trader ON risk_inspections (trader);
    `,
  },
  {
    version: 10,
    name: 'transit: movement sensor thresholds and checkpoints, transit findings, webhooks and deliveries',
    sql: `
      ALTER TABLE movements ADD COLUMN sensor_thresholds TEXT;
      ALTER TABLE movements ADD COLUMN checkpoints TEXT;
      -- What the last transit evaluation of a movement found: the "before" its next run is diffed against.
      CREATE TABLE transit_evaluations (movement TEXT PRIMARY KEY, evaluated_at TEXT NOT NULL);
      CREATE TABLE transit_findings (
        movement TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,
        subject TEXT NOT NULL, device TEXT, start_time TEXT NOT NULL, end_time TEXT, details TEXT NOT NULL,
        PRIMARY KEY (movement, ord));
      CREATE INDEX transit_findings_by_type ON transit_findings (type, movement);
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, types TEXT,
        created_at TEXT NOT NULL, created_by TEXT);
      CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY, webhook TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_key TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, attempts TEXT NOT NULL,
        next_attempt_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        UNIQUE (webhook, event_key));
      CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook, created_at, id);
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
    `,
  },
  {
    version: 11,
    name: 'device integrations: integration tokens, pending devices, reader placement',
    sql: `
      CREATE TABLE integrations (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);
      CREATE TABLE pending_devices (
        identifier TEXT PRIMARY KEY, protocol TEXT NOT NULL, transport TEXT NOT NULL, remote TEXT,
        first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, count INTEGER NOT NULL);
      -- A reader's registered location and UHF band ({location, band}); NULL for other devices.
      ALTER TABLE devices ADD COLUMN placement TEXT;
    `,
  },
  {
    version: 12,
    name: 'organisations, users, sessions, API tokens',
    sql: accessTablesSql,
  },
  {
    version: 13,
    name: 'device keys: a key list per device with its lifecycle; HS256 secrets out of the devices table',
    sql: `
      CREATE TABLE device_keys (
        device TEXT NOT NULL, key_id TEXT NOT NULL, alg TEXT NOT NULL, jwk TEXT, secret TEXT, content_key TEXT,
        status TEXT NOT NULL, valid_from TEXT NOT NULL, valid_until TEXT, created_at TEXT NOT NULL,
        revoked_at TEXT, revoked_reason TEXT, changed_at TEXT NOT NULL,
        PRIMARY KEY (device, key_id));
      CREATE INDEX device_keys_by_changed ON device_keys (changed_at);
      -- Each registered key becomes the device's key k1. Secrets (HS256 secret, content key) move
      -- as 'plain.<secret>' and are sealed with the master key by the server on its next start
      -- (keys/device-keys.service.ts); the devices table keeps only the public part.
      INSERT INTO device_keys (device, key_id, alg, jwk, secret, content_key, status, valid_from, valid_until, created_at, revoked_at, revoked_reason, changed_at)
        SELECT id, 'k1', json_extract(key, '$.alg'),
          CASE WHEN json_extract(key, '$.alg') = 'HS256' THEN NULL ELSE json_extract(key, '$.jwk') END,
          CASE WHEN json_extract(key, '$.alg') = 'HS256' THEN 'plain.' || json_extract(key, '$.secret') END,
          CASE WHEN json_extract(key, '$.contentKey') IS NOT NULL THEN 'plain.' || json_extract(key, '$.contentKey') END,
          'active', created_at, NULL, created_at, NULL, NULL, created_at
        FROM devices WHERE key IS NOT NULL;
      UPDATE devices SET key = json_remove(key, '$.secret', '$.contentKey') WHERE key IS NOT NULL;
    `,
  },
  {
    version: 14,
    name: 'device commands: the queue of remote unlocks and other commands, with their results',
    sql: `
      CREATE TABLE device_commands (
        id TEXT PRIMARY KEY, device TEXT NOT NULL, movement TEXT NOT NULL, type TEXT NOT NULL, params TEXT NOT NULL,
        status TEXT NOT NULL, requested_by TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL, sent_at TEXT, completed_at TEXT, result TEXT);
      CREATE INDEX device_commands_by_device ON device_commands (device, created_at);
      CREATE INDEX device_commands_open ON device_commands (status, expires_at);
    `,
  },
  {
    version: 15,
    name: 'vendor observations identified by device, time and content hash',
    sql: `
      -- Seq-less (vendor) observations are identified by (device, time, hash): a resent frame is a
      -- duplicate. Not UNIQUE: rows stored before this step may hold the same triple twice; the
      -- append transaction (one writer) checks before it inserts.
      CREATE INDEX observations_by_content ON observations (device, time, hash) WHERE seq IS NULL;
    `,
  },
  {
    version: 16,
    name: 'risk: declared HS chapter and origin of a movement; the risk reference (origin countries, HS chapters, office pairs)',
    sql: `
      ALTER TABLE movements ADD COLUMN hs_chapter TEXT;
      ALTER TABLE movements ADD COLUMN origin_country TEXT;
      CREATE TABLE risk_reference (
        kind TEXT NOT NULL, key TEXT NOT NULL, level TEXT NOT NULL, note TEXT,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (kind, key));
    `,
  },
  {
    version: 17,
    name: 'device custody: custody grants, one arming per device and movement',
    sql: `
      CREATE TABLE custody_grants (
        id TEXT PRIMARY KEY, device TEXT NOT NULL, holder TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT,
        granted_by TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE INDEX custody_grants_by_device ON custody_grants (device, valid_from);
      CREATE TABLE device_armings (
        device TEXT NOT NULL, movement TEXT NOT NULL, armed_from TEXT, armed_to TEXT, released INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (device, movement));
      -- A device is on at most one movement that has not ended.
      CREATE UNIQUE INDEX device_armings_one_open ON device_armings (device) WHERE released = 0;
      INSERT INTO device_armings (device, movement, armed_from, armed_to, released)
        SELECT md.device, m.id, m.started_at, m.ended_at, 1 FROM movement_devices md JOIN movements m ON m.id = md.movement_id
        WHERE m.status = 'ended';
      -- Where earlier builds let a device onto several open movements, the newest keeps it.
      INSERT OR IGNORE INTO device_armings (device, movement, armed_from, armed_to, released)
        SELECT md.device, m.id, m.started_at, NULL, 0 FROM movement_devices md JOIN movements m ON m.id = md.movement_id
        WHERE m.status <> 'ended' ORDER BY m.created_at DESC, m.id DESC;
    `,
  },
  {
    version: 19,
    name: 'sign-in failures per user and source address; the last TOTP step used per user',
    sql: signInThrottleSql,
  },
  {
    version: 18,
    name: 'incidents: one physical event on a movement grouping the alerts it raised',
    sql: `
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY, movement TEXT NOT NULL, code TEXT NOT NULL, status TEXT NOT NULL,
        opened_at TEXT NOT NULL, updated_at TEXT NOT NULL, revision INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX incidents_by_movement ON incidents (movement, status, opened_at);
      CREATE INDEX incidents_by_updated ON incidents (updated_at, id);
    `,
  },
  {
    version: 20,
    name: 'offices of transit of a movement (border posts included), in itinerary order',
    sql: `ALTER TABLE movements ADD COLUMN transit_offices TEXT;`,
  },
  {
    version: 21,
    name: 'which token made a token: revocation goes down the chain',
    sql: tokenMakerSql,
  },
  {
    version: 26,
    name: 'observations: the audit entry of the batch that stored them (one entry per batch, a Merkle root of its messages)',
    sql: `ALTER TABLE observations ADD COLUMN audit_seq INTEGER;`,
  },
  {
    version: 22,
    name: 'federation: partner administrations, the outbox of signed messages per partner, messages received, shared movements',
    sql: `
      CREATE TABLE federation_partners (
        administration TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, url TEXT NOT NULL, inbox TEXT NOT NULL,
        agreement TEXT NOT NULL, keys TEXT NOT NULL, pending_keys TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        ended_at TEXT, last_exchange_at TEXT);
      CREATE TABLE federation_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, partner TEXT NOT NULL, type TEXT NOT NULL, movement TEXT NOT NULL,
        jws TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, last_status INTEGER, last_error TEXT,
        next_attempt_at TEXT NOT NULL, created_at TEXT NOT NULL, delivered_at TEXT, UNIQUE (partner, id));
      CREATE INDEX federation_outbox_pending ON federation_outbox (partner, status, seq);
      CREATE TABLE federation_received (
        partner TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, movement TEXT NOT NULL, received_at TEXT NOT NULL,
        PRIMARY KEY (partner, id));
      CREATE TABLE federation_links (
        partner TEXT NOT NULL, direction TEXT NOT NULL, origin_movement TEXT NOT NULL, local_movement TEXT NOT NULL,
        control_results TEXT, created_at TEXT NOT NULL, PRIMARY KEY (partner, direction, origin_movement));
      CREATE INDEX federation_links_local ON federation_links (local_movement);
    `,
  },
  {
    version: 28,
    name: 'movement mutes: alerts of a movement not notified until a time, with the reason',
    sql: `
      CREATE TABLE movement_mutes (
        movement TEXT PRIMARY KEY, reason TEXT NOT NULL, until TEXT NOT NULL, by TEXT NOT NULL, created_at TEXT NOT NULL);
    `,
  },
  {
    version: 37,
    name: 'notification settings per user and the durable e-mail outbox',
    sql: `
      CREATE TABLE notification_prefs (user_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE notification_outbox (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, event_key TEXT NOT NULL, status TEXT NOT NULL,
        next_attempt_at TEXT, created_at TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (user_id, event_key));
      CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);
    `,
  },
  {
    version: 33,
    name: 'partition owners: the epoch each cluster partition is held under, checked by every processing commit (fencing)',
    sql: `
      CREATE TABLE partition_owners (
        partition INTEGER PRIMARY KEY, owner TEXT, epoch INTEGER NOT NULL, renewed_at_ms INTEGER NOT NULL);
    `,
  },
  {
    version: 39,
    name: "federation: when a partner's movement left this territory, and when its copy here was purged (retention)",
    sql: `
      ALTER TABLE federation_links ADD COLUMN left_at TEXT;
      ALTER TABLE federation_links ADD COLUMN purged_at TEXT;
    `,
  },
  {
    version: 38,
    name: 'movement mutes per organisation: a mute silences only the administration that set it',
    sql: `
      CREATE TABLE movement_mutes_by_org (
        movement TEXT NOT NULL, organisation TEXT NOT NULL, reason TEXT NOT NULL, until TEXT NOT NULL, by TEXT NOT NULL,
        created_at TEXT NOT NULL, PRIMARY KEY (movement, organisation));
      INSERT INTO movement_mutes_by_org (movement, organisation, reason, until, by, created_at)
        SELECT movement, coalesce((SELECT organisation FROM users WHERE users.id = movement_mutes.by), 'platform'), reason, until, by, created_at
        FROM movement_mutes;
      DROP TABLE movement_mutes;
      ALTER TABLE movement_mutes_by_org RENAME TO movement_mutes;
    `,
  },
  {
    version: 40,
    name: 'risk settings per administration: profiles, the active profile of each, the risk reference',
    sql: `
      -- '' is the installation's own layer (the platform's): what an administration without settings of its own uses.
      ALTER TABLE risk_profiles ADD COLUMN administration TEXT NOT NULL DEFAULT '';
      CREATE TABLE risk_active_profiles (
        administration TEXT PRIMARY KEY, version INTEGER NOT NULL REFERENCES risk_profiles (version),
        activated_at TEXT NOT NULL, activated_by TEXT NOT NULL);
      INSERT INTO risk_active_profiles (administration, version, activated_at, activated_by)
        SELECT '', version, activated_at, activated_by FROM risk_active_profile;
      DROP TABLE risk_active_profile;
      CREATE TABLE risk_reference_by_admin (
        administration TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, key TEXT NOT NULL, level TEXT NOT NULL, note TEXT,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (administration, kind, key));
      INSERT INTO risk_reference_by_admin (administration, kind, key, level, note, updated_at, updated_by)
        SELECT '', kind, key, level, note, updated_at, updated_by FROM risk_reference;
      DROP TABLE risk_reference;
      ALTER TABLE risk_reference_by_admin RENAME TO risk_reference;
    `,
  },
  {
    version: 41,
    name: 'EPCIS capture jobs: kept in the database so the Location of a capture still answers after a restart',
    sql: `
      CREATE TABLE epcis_capture_jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at TEXT NOT NULL, job TEXT NOT NULL);
    `,
  },
  {
    version: 45,
    name: "federation: this installation's own retention per data class for a partner's copies, and the classes purged of each copy",
    sql: `
      ALTER TABLE federation_partners ADD COLUMN retention TEXT;
      ALTER TABLE federation_links ADD COLUMN purged_classes TEXT;
    `,
  },
  {
    version: 49,
    name: 'devices found by a name in any case: ids, IMEIs, EPCs and seal numbers are compared without case',
    sql: `
      DROP INDEX devices_by_imei;
      DROP INDEX devices_by_epc;
      CREATE INDEX devices_by_lower_id ON devices (lower(id));
      CREATE INDEX devices_by_imei ON devices (lower(json_extract(identifiers, '$.imei'))) WHERE json_extract(identifiers, '$.imei') IS NOT NULL;
      CREATE INDEX devices_by_epc ON devices (lower(json_extract(identifiers, '$.epc'))) WHERE json_extract(identifiers, '$.epc') IS NOT NULL;
      CREATE INDEX devices_by_seal_number ON devices (lower(json_extract(identifiers, '$.sealNumber')))
        WHERE json_extract(identifiers, '$.sealNumber') IS NOT NULL;
    `,
  },
  {
    version: 47,
    name: "observations: the track's seal state, seal reading and speed in columns of their own (a track page parses no JSON)",
    sql: `
      -- Set for rows with a position (the only ones a track reads); the payload keeps them too.
      -- SQLite stores the payload as text, so reading them from it parsed the payload once per
      -- column per row: most of a 50k-position track's time (docs/performance.md).
      ALTER TABLE observations ADD COLUMN seal_state TEXT;
      ALTER TABLE observations ADD COLUMN seal TEXT;
      ALTER TABLE observations ADD COLUMN speed REAL;
      UPDATE observations SET seal_state = payload ->> '$.seal.state', seal = nullif(payload -> '$.seal', 'null'),
        speed = payload ->> '$.position.speed'
      WHERE lat IS NOT NULL;
    `,
  },
  {
    version: 48,
    name: "integrations belong to an organisation: listed and revoked within it, feeding only its devices (those made before: their creator's organisation, the platform's when made with the installation token)",
    sql: `
      ALTER TABLE integrations ADD COLUMN organisation TEXT NOT NULL DEFAULT 'platform';
      UPDATE integrations SET organisation = coalesce(
        (SELECT organisation FROM users WHERE 'user:' || users.id = integrations.created_by), 'platform');
    `,
  },
  {
    version: 42,
    name: 'EPCIS standing queries: a subscription is a webhook plus its query, schedule and record-time bounds',
    sql: `
      CREATE TABLE epcis_subscriptions (
        webhook TEXT PRIMARY KEY REFERENCES webhooks (id) ON DELETE CASCADE, query_name TEXT NOT NULL, base TEXT NOT NULL,
        stream INTEGER NOT NULL, schedule TEXT, report_if_empty INTEGER NOT NULL,
        initial_record_time TEXT NOT NULL, min_record_time TEXT NOT NULL);
    `,
  },
  {
    version: 55,
    name: "EPCIS named queries: each organisation's own names, each with its query parameters as given",
    sql: `
      CREATE TABLE epcis_queries (
        organisation TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (organisation, name));
    `,
  },
  {
    version: 50,
    name: "pending devices seen through an organisation's integration are that organisation's; trader consents to lending its devices (a request per movement, or standing for an administration and a period)",
    sql: `
      ALTER TABLE pending_devices ADD COLUMN organisation TEXT;
      CREATE TABLE lending_consents (
        id TEXT PRIMARY KEY, trader TEXT NOT NULL, administration TEXT NOT NULL, movement TEXT, devices TEXT,
        status TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
        decided_at TEXT, decided_by TEXT);
      CREATE INDEX lending_consents_by_trader ON lending_consents (trader, id);
      CREATE INDEX lending_consents_by_administration ON lending_consents (administration, id);
      -- One request per movement: a declaration asks its trader once.
      CREATE UNIQUE INDEX lending_consents_one_per_movement ON lending_consents (movement) WHERE movement IS NOT NULL;
    `,
  },
  {
    version: 52,
    name: 'audit trail in chains: each entry its chain and position (one chain here, main), checkpoints naming every head',
    sql: `
      ALTER TABLE audit_entries ADD COLUMN chain text NOT NULL DEFAULT 'main';
      ALTER TABLE audit_entries ADD COLUMN pos INTEGER;
      UPDATE audit_entries SET pos = seq;
      CREATE UNIQUE INDEX audit_entries_by_chain ON audit_entries (chain, pos);
      CREATE TABLE audit_chain_checkpoints (
        id INTEGER PRIMARY KEY AUTOINCREMENT, time text NOT NULL, heads text NOT NULL, key_id text NOT NULL, signature text NOT NULL);
    `,
  },
];

/**
 * Applies the steps a database lacks, in version order, each in its own IMMEDIATE transaction
 * (so two processes opening the same file cannot both apply a step). Returns the versions
 * applied now. Refuses a file written by a newer binary rather than guess at its schema.
 */
export function applyMigrations(db: Db, steps: readonly Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const { ordered, latest } = orderMigrations(steps);
  const newest = db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number;
  if (newest > latest) {
    throw new Error(`database schema version ${newest} is newer than this build (${latest})`);
  }
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const step of ordered) {
    db.transaction(() => {
      if (isApplied.get(step.version)) return;
      db.exec(step.sql);
      record.run(step.version, step.name, new Date().toISOString());
      applied.push(step.version);
    }).immediate();
  }
  return applied;
}
