/**
 * The PostgreSQL schema as an ordered list of steps. A step, once released, is never edited: a
 * change is a new step at the end. `schema_migrations` records what a schema has applied.
 */
import { accessTablesSql, signInThrottleSql, tokenMakerSql } from '../access-rows';
import type { Pool } from 'pg';
import { orderMigrations } from '../migrations';
import type { Migration } from '../migrations';
import { inTransaction, lockForTransaction, quoteIdent } from './sql';

// Text keys that lists sort and page by use COLLATE "C" (byte order), as SQLite does, so keyset
// cursors mean the same position on both engines whatever the database's locale.
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'devices, offices, movements',
    sql: `
      CREATE TABLE devices (
        id text COLLATE "C" PRIMARY KEY, class text NOT NULL, kind text NOT NULL,
        protocol text NOT NULL, identifiers jsonb NOT NULL, report_interval_s double precision,
        key jsonb, owner text, created_at timestamptz NOT NULL
      );
      CREATE TABLE offices (
        code text COLLATE "C" PRIMARY KEY, name text NOT NULL, country text NOT NULL,
        area jsonb NOT NULL, created_at timestamptz NOT NULL
      );
      CREATE TABLE movements (
        id text COLLATE "C" PRIMARY KEY, reference text NOT NULL UNIQUE, container text,
        vehicle text, trader text, devices jsonb NOT NULL, seals jsonb NOT NULL,
        departure_office text NOT NULL, destination_office text NOT NULL, route jsonb,
        corridor_width_m double precision NOT NULL, authorized_stops jsonb NOT NULL,
        time_limit timestamptz, status text NOT NULL, created_at timestamptz NOT NULL,
        started_at timestamptz, arrived_at timestamptz, ended_at timestamptz,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX movements_by_created ON movements (created_at, id);
      CREATE INDEX movements_by_status ON movements (status, created_at, id);
      -- The device filter and listOpenByDevice look movements up by device.
      CREATE TABLE movement_devices (
        movement_id text COLLATE "C" NOT NULL REFERENCES movements (id) ON DELETE CASCADE,
        device text COLLATE "C" NOT NULL,
        PRIMARY KEY (movement_id, device)
      );
      CREATE INDEX movement_devices_by_device ON movement_devices (device, movement_id);
    `,
  },
  {
    version: 2,
    name: 'observations by month, observation keys',
    sql: `
      -- One sequence for every partition: an id is the processor's log position, never reused.
      CREATE SEQUENCE observation_ids AS bigint;
      -- Monthly partitions (observations_y2026m11) are created on demand by partitions.ts;
      -- the DEFAULT partition catches a row whose month has no partition.
      CREATE TABLE observations (
        id bigint NOT NULL DEFAULT nextval('observation_ids'), device text COLLATE "C" NOT NULL,
        seq bigint, time timestamptz NOT NULL, received_at timestamptz NOT NULL,
        lat double precision, lon double precision, late boolean NOT NULL, trust text NOT NULL,
        protocol text NOT NULL, hash text NOT NULL, raw text NOT NULL, position jsonb,
        seal jsonb, door text, sensors jsonb, battery jsonb, reads jsonb, attributes jsonb
      ) PARTITION BY RANGE (time);
      ALTER SEQUENCE observation_ids OWNED BY observations.id;
      CREATE INDEX observations_by_device_time ON observations (device, time, id);
      CREATE INDEX observations_by_id ON observations (id);
      CREATE TABLE observations_default PARTITION OF observations DEFAULT;
      -- A unique index on a partitioned table must contain the partition key, so (device, seq)
      -- is made unique here, written in the same transaction as the observation.
      CREATE TABLE observation_keys (
        device text COLLATE "C" NOT NULL, seq bigint NOT NULL, hash text NOT NULL,
        observation_id bigint NOT NULL,
        PRIMARY KEY (device, seq)
      );
    `,
  },
  {
    version: 3,
    name: 'events, alerts, processing',
    sql: `
      CREATE TABLE events (
        id text COLLATE "C" PRIMARY KEY, type text NOT NULL, movement text, device text,
        time timestamptz NOT NULL, details jsonb NOT NULL, observation bigint,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX events_by_time ON events (time, id);
      CREATE INDEX events_by_movement ON events (movement, time, id);
      CREATE INDEX events_by_device ON events (device, time, id);
      CREATE INDEX events_by_type ON events (type, time, id);
      CREATE TABLE alerts (
        id text COLLATE "C" PRIMARY KEY, type text NOT NULL, severity text NOT NULL,
        status text NOT NULL, movement text, device text, time timestamptz NOT NULL,
        last_time timestamptz NOT NULL, count integer NOT NULL, details jsonb NOT NULL,
        assignee text, outcome text, comment text, history jsonb NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
      );
      CREATE INDEX alerts_by_key ON alerts (type, movement, device, status);
      CREATE INDEX alerts_by_updated ON alerts (updated_at, id);
      CREATE TABLE device_states (
        device text COLLATE "C" PRIMARY KEY, last_time timestamptz, last_received_at timestamptz,
        last_seq bigint, position jsonb, position_time timestamptz, seal jsonb, battery jsonb
      );
      CREATE TABLE processor_checkpoints (processor text PRIMARY KEY, position bigint NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'quarantine, settings',
    sql: `
      CREATE SEQUENCE quarantine_ids AS bigint;
      CREATE TABLE quarantine (
        id bigint PRIMARY KEY DEFAULT nextval('quarantine_ids'), received_at timestamptz NOT NULL,
        transport text NOT NULL, remote text, reason text NOT NULL, detail text NOT NULL,
        device text, seq bigint, raw bytea NOT NULL
      );
      ALTER SEQUENCE quarantine_ids OWNED BY quarantine.id;
      CREATE INDEX quarantine_by_reason ON quarantine (reason, id);
      CREATE INDEX quarantine_by_device ON quarantine (device, id);
      CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
    `,
  },
  {
    version: 5,
    name: 'processed observations',
    sql: `CREATE TABLE processed_observations (id bigint PRIMARY KEY);`,
  },
  {
    version: 6,
    name: 'device identifiers, quarantine by time',
    sql: `
      CREATE INDEX devices_by_imei ON devices ((identifiers->>'imei')) WHERE identifiers ? 'imei';
      CREATE INDEX devices_by_epc ON devices ((identifiers->>'epc')) WHERE identifiers ? 'epc';
      CREATE INDEX devices_by_seal ON devices ((identifiers->>'sealNumber')) WHERE identifiers ? 'sealNumber';
      CREATE INDEX quarantine_by_time ON quarantine (received_at);
    `,
  },
  {
    version: 7,
    name: 'alert revisions, one unresolved alert per movement and type',
    sql: `
      ALTER TABLE alerts ADD COLUMN revision integer NOT NULL DEFAULT 1;
      CREATE UNIQUE INDEX alerts_one_unresolved_per_movement ON alerts (type, movement) WHERE movement IS NOT NULL AND status <> 'resolved';
      CREATE UNIQUE INDEX alerts_one_unresolved_per_device ON alerts (type, device) WHERE movement IS NULL AND status <> 'resolved';
    `,
  },
  {
    version: 8,
    name: 'audit trail: hash chain, subjects index, signed checkpoints',
    sql: `
      CREATE TABLE audit_entries (
        seq bigint PRIMARY KEY, kind text NOT NULL, ref text NOT NULL UNIQUE, time text NOT NULL,
        actor text NOT NULL, subjects text NOT NULL, action text NOT NULL, data text NOT NULL,
        content_hash text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL);
      CREATE TABLE audit_subjects (subject text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (subject, seq));
      CREATE TABLE audit_checkpoints (
        seq bigint PRIMARY KEY, hash text NOT NULL, time text NOT NULL, key_id text NOT NULL, signature text NOT NULL);
    `,
  },
  {
    version: 9,
    name: 'risk: profile versions, active profile, assessments, inspections',
    sql: `
      CREATE TABLE risk_profiles (
        version integer PRIMARY KEY, profile jsonb NOT NULL, created_at timestamptz NOT NULL, created_by text NOT NULL);
      -- A profile version is evidence of how lanes were decided: never changed once stored.
      CREATE FUNCTION risk_profiles_immutable() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'risk profiles are immutable'; END $$;
      CREATE TRIGGER risk_profiles_immutable BEFORE UPDATE ON risk_profiles
        FOR EACH ROW EXECUTE FUNCTION risk_profiles_immutable();
      CREATE TABLE risk_active_profile (
        id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL REFERENCES risk_profiles (version),
        activated_at timestamptz NOT NULL, activated_by text NOT NULL);
      CREATE TABLE risk_assessments (
        id text PRIMARY KEY, movement text COLLATE "C" NOT NULL, revision integer NOT NULL, trader text,
        office text NOT NULL, cause text NOT NULL, lane text NOT NULL, score double precision NOT NULL,
        profile_version integer NOT NULL, seed bigint NOT NULL, facts jsonb NOT NULL, result jsonb NOT NULL,
        decision jsonb NOT NULL, decided_at timestamptz NOT NULL, decided_by text NOT NULL,
        UNIQUE (movement, revision));
      CREATE INDEX risk_assessments_by_trader ON risk_assessments (trader, movement);
      CREATE INDEX risk_assessments_by_office ON risk_assessments (office, decided_at);
      CREATE TABLE risk_inspections (
        movement text COLLATE "C" PRIMARY KEY, trader text, office text NOT NULL, lane text NOT NULL,
        reason text NOT NULL, fired jsonb NOT NULL, profile_version integer NOT NULL, result text NOT NULL,
        comment text, inspected_by text NOT NULL, at timestamptz NOT NULL);
      CREATE INDEX risk_inspections_by_trader ON risk_inspections (trader);
    `,
  },
  {
    version: 10,
    name: 'transit: movement sensor thresholds and checkpoints, transit findings, webhooks and deliveries',
    sql: `
      ALTER TABLE movements ADD COLUMN sensor_thresholds jsonb;
      ALTER TABLE movements ADD COLUMN checkpoints jsonb;
      -- What the last transit evaluation of a movement found: the "before" its next run is diffed against.
      CREATE TABLE transit_evaluations (movement text PRIMARY KEY, evaluated_at text NOT NULL);
      CREATE TABLE transit_findings (
        movement text NOT NULL, ord integer NOT NULL, kind text NOT NULL, type text NOT NULL,
        subject text NOT NULL, device text, start_time text NOT NULL, end_time text, details jsonb NOT NULL,
        PRIMARY KEY (movement, ord));
      CREATE INDEX transit_findings_by_type ON transit_findings (type, movement);
      CREATE TABLE webhooks (
        id text COLLATE "C" PRIMARY KEY, url text NOT NULL, secret text NOT NULL, types jsonb,
        created_at text NOT NULL, created_by text);
      CREATE TABLE webhook_deliveries (
        id text COLLATE "C" PRIMARY KEY, webhook text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_key text NOT NULL, payload jsonb NOT NULL, status text NOT NULL, attempts jsonb NOT NULL,
        next_attempt_at text, created_at text COLLATE "C" NOT NULL, updated_at text NOT NULL,
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
        id text COLLATE "C" PRIMARY KEY, kind text NOT NULL, name text NOT NULL, token_sha256 text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL, created_by text NOT NULL, revoked_at timestamptz);
      CREATE TABLE pending_devices (
        identifier text COLLATE "C" PRIMARY KEY, protocol text NOT NULL, transport text NOT NULL, remote text,
        first_seen_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL, count integer NOT NULL);
      -- A reader's registered location and UHF band ({location, band}); NULL for other devices.
      ALTER TABLE devices ADD COLUMN placement jsonb;
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
        device text COLLATE "C" NOT NULL, key_id text COLLATE "C" NOT NULL, alg text NOT NULL, jwk jsonb, secret text, content_key text,
        status text NOT NULL, valid_from text NOT NULL, valid_until text, created_at text COLLATE "C" NOT NULL,
        revoked_at text, revoked_reason text, changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (device, key_id));
      CREATE INDEX device_keys_by_changed ON device_keys (changed_at);
      -- Each registered key becomes the device's key k1. Secrets (HS256 secret, content key) move
      -- as 'plain.<secret>' and are sealed with the master key by the server on its next start
      -- (keys/device-keys.service.ts); the devices table keeps only the public part.
      INSERT INTO device_keys (device, key_id, alg, jwk, secret, content_key, status, valid_from, valid_until, created_at)
        SELECT id, 'k1', key->>'alg',
          CASE WHEN key->>'alg' = 'HS256' THEN NULL ELSE key->'jwk' END,
          CASE WHEN key->>'alg' = 'HS256' THEN 'plain.' || (key->>'secret') END,
          CASE WHEN key ? 'contentKey' THEN 'plain.' || (key->>'contentKey') END,
          'active', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL,
          to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        FROM devices WHERE key IS NOT NULL AND jsonb_typeof(key) = 'object';
      UPDATE devices SET key = key - 'secret' - 'contentKey' WHERE jsonb_typeof(key) = 'object';
    `,
  },
  {
    version: 14,
    name: 'device commands: the queue of remote unlocks and other commands, with their results',
    sql: `
      CREATE TABLE device_commands (
        id text PRIMARY KEY, device text NOT NULL, movement text NOT NULL, type text NOT NULL, params jsonb NOT NULL,
        status text NOT NULL, requested_by text NOT NULL, reason text NOT NULL, created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL, sent_at timestamptz, completed_at timestamptz, result jsonb);
      CREATE INDEX device_commands_by_device ON device_commands (device, created_at);
      CREATE INDEX device_commands_open ON device_commands (status, expires_at);
    `,
  },
  {
    version: 15,
    name: 'vendor observations identified by device, time and content hash',
    sql: `
      -- Seq-less (vendor) observations are identified by (device, time, hash): a resent frame is a
      -- duplicate. Not UNIQUE: rows stored before this step may hold the same triple twice; appends
      -- check before they insert, under the append lock.
      CREATE INDEX observations_by_content ON observations (device, time, hash) WHERE seq IS NULL;
    `,
  },
  {
    version: 16,
    name: 'risk: declared HS chapter and origin of a movement; the risk reference (origin countries, HS chapters, office pairs)',
    sql: `
      ALTER TABLE movements ADD COLUMN hs_chapter text;
      ALTER TABLE movements ADD COLUMN origin_country text;
      CREATE TABLE risk_reference (
        kind text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, level text NOT NULL, note text,
        updated_at timestamptz NOT NULL, updated_by text NOT NULL, PRIMARY KEY (kind, key));
    `,
  },
  {
    version: 17,
    name: 'device custody: custody grants, one arming per device and movement',
    sql: `
      CREATE TABLE custody_grants (
        id text COLLATE "C" PRIMARY KEY, device text COLLATE "C" NOT NULL, holder text NOT NULL, valid_from timestamptz NOT NULL,
        valid_to timestamptz, granted_by text NOT NULL, created_at timestamptz NOT NULL);
      CREATE INDEX custody_grants_by_device ON custody_grants (device, valid_from);
      CREATE TABLE device_armings (
        device text COLLATE "C" NOT NULL, movement text COLLATE "C" NOT NULL, armed_from timestamptz, armed_to timestamptz,
        released boolean NOT NULL DEFAULT false, PRIMARY KEY (device, movement));
      -- A device is on at most one movement that has not ended.
      CREATE UNIQUE INDEX device_armings_one_open ON device_armings (device) WHERE NOT released;
      INSERT INTO device_armings (device, movement, armed_from, armed_to, released)
        SELECT md.device, m.id, m.started_at, m.ended_at, true FROM movement_devices md JOIN movements m ON m.id = md.movement_id
        WHERE m.status = 'ended';
      -- Where earlier builds let a device onto several open movements, the newest keeps it.
      INSERT INTO device_armings (device, movement, armed_from, armed_to, released)
        SELECT DISTINCT ON (md.device) md.device, m.id, m.started_at, NULL::timestamptz, false
        FROM movement_devices md JOIN movements m ON m.id = md.movement_id
        WHERE m.status <> 'ended' ORDER BY md.device, m.created_at DESC, m.id DESC;
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
        id text COLLATE "C" PRIMARY KEY, movement text NOT NULL, code text NOT NULL, status text NOT NULL,
        opened_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, revision integer NOT NULL, doc jsonb NOT NULL);
      CREATE INDEX incidents_by_movement ON incidents (movement, status, opened_at);
      CREATE INDEX incidents_by_updated ON incidents (updated_at, id);
    `,
  },
  {
    version: 20,
    name: 'offices of transit of a movement (border posts included), in itinerary order',
    sql: `ALTER TABLE movements ADD COLUMN transit_offices jsonb;`,
  },
  {
    version: 21,
    name: 'which token made a token: revocation goes down the chain',
    sql: tokenMakerSql,
  },
  {
    version: 26,
    name: 'observations: the audit entry of the batch that stored them (one entry per batch, a Merkle root of its messages)',
    sql: `ALTER TABLE observations ADD COLUMN audit_seq BIGINT;`,
  },
  {
    version: 22,
    name: 'federation: partner administrations, the outbox of signed messages per partner, messages received, shared movements',
    sql: `
      CREATE TABLE federation_partners (
        administration text PRIMARY KEY, name text NOT NULL, country text NOT NULL, url text NOT NULL, inbox text NOT NULL,
        agreement jsonb NOT NULL, keys jsonb NOT NULL, pending_keys jsonb, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        ended_at timestamptz, last_exchange_at timestamptz);
      CREATE TABLE federation_outbox (
        seq bigserial PRIMARY KEY, id text NOT NULL, partner text NOT NULL, type text NOT NULL, movement text NOT NULL,
        jws text NOT NULL, status text NOT NULL, attempts integer NOT NULL, last_status integer, last_error text,
        next_attempt_at timestamptz NOT NULL, created_at timestamptz NOT NULL, delivered_at timestamptz, UNIQUE (partner, id));
      CREATE INDEX federation_outbox_pending ON federation_outbox (partner, status, seq);
      CREATE TABLE federation_received (
        partner text NOT NULL, id text NOT NULL, type text NOT NULL, movement text NOT NULL, received_at timestamptz NOT NULL,
        PRIMARY KEY (partner, id));
      CREATE TABLE federation_links (
        partner text NOT NULL, direction text NOT NULL, origin_movement text NOT NULL, local_movement text NOT NULL,
        control_results jsonb, created_at timestamptz NOT NULL, PRIMARY KEY (partner, direction, origin_movement));
      CREATE INDEX federation_links_local ON federation_links (local_movement);
    `,
  },
  {
    version: 28,
    name: 'movement mutes: alerts of a movement not notified until a time, with the reason',
    sql: `
      CREATE TABLE movement_mutes (
        movement text PRIMARY KEY, reason text NOT NULL, until timestamptz NOT NULL, by text NOT NULL, created_at timestamptz NOT NULL);
    `,
  },
  {
    version: 37,
    name: 'notification settings per user and the durable e-mail outbox',
    sql: `
      CREATE TABLE notification_prefs (user_id text PRIMARY KEY, doc jsonb NOT NULL);
      CREATE TABLE notification_outbox (
        id text PRIMARY KEY, user_id text NOT NULL, event_key text NOT NULL, status text NOT NULL,
        next_attempt_at timestamptz, created_at timestamptz NOT NULL, doc jsonb NOT NULL, UNIQUE (user_id, event_key));
      CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);
    `,
  },
  {
    version: 33,
    name: 'partition owners: the epoch each cluster partition is held under, checked by every processing commit (fencing)',
    sql: `
      CREATE TABLE partition_owners (
        partition integer PRIMARY KEY, owner text, epoch bigint NOT NULL, renewed_at timestamptz NOT NULL);
    `,
  },
  {
    version: 39,
    name: "federation: when a partner's movement left this territory, and when its copy here was purged (retention)",
    sql: `
      ALTER TABLE federation_links ADD COLUMN left_at timestamptz;
      ALTER TABLE federation_links ADD COLUMN purged_at timestamptz;
    `,
  },
  {
    version: 38,
    name: 'movement mutes per organisation: a mute silences only the administration that set it',
    sql: `
      ALTER TABLE movement_mutes ADD COLUMN organisation text;
      UPDATE movement_mutes SET organisation = coalesce((SELECT organisation FROM users WHERE users.id = movement_mutes.by), 'platform');
      ALTER TABLE movement_mutes ALTER COLUMN organisation SET NOT NULL;
      ALTER TABLE movement_mutes DROP CONSTRAINT movement_mutes_pkey;
      ALTER TABLE movement_mutes ADD PRIMARY KEY (movement, organisation);
    `,
  },
  {
    version: 40,
    name: 'risk settings per administration: profiles, the active profile of each, the risk reference',
    sql: `
      -- '' is the installation's own layer (the platform's): what an administration without settings of its own uses.
      ALTER TABLE risk_profiles ADD COLUMN administration text NOT NULL DEFAULT '';
      CREATE TABLE risk_active_profiles (
        administration text PRIMARY KEY, version integer NOT NULL REFERENCES risk_profiles (version),
        activated_at timestamptz NOT NULL, activated_by text NOT NULL);
      INSERT INTO risk_active_profiles (administration, version, activated_at, activated_by)
        SELECT '', version, activated_at, activated_by FROM risk_active_profile;
      DROP TABLE risk_active_profile;
      ALTER TABLE risk_reference ADD COLUMN administration text COLLATE "C" NOT NULL DEFAULT '';
      ALTER TABLE risk_reference DROP CONSTRAINT risk_reference_pkey;
      ALTER TABLE risk_reference ADD PRIMARY KEY (administration, kind, key);
    `,
  },
  {
    version: 41,
    name: 'EPCIS capture jobs: kept in the database so the Location of a capture still answers after a restart',
    sql: `
      CREATE TABLE epcis_capture_jobs (id text PRIMARY KEY, owner text NOT NULL, created_at timestamptz NOT NULL, job jsonb NOT NULL);
    `,
  },
  {
    version: 45,
    name: "federation: this installation's own retention per data class for a partner's copies, and the classes purged of each copy",
    sql: `
      ALTER TABLE federation_partners ADD COLUMN retention jsonb;
      ALTER TABLE federation_links ADD COLUMN purged_classes jsonb;
    `,
  },
  {
    version: 49,
    name: 'devices found by a name in any case: ids, IMEIs, EPCs and seal numbers are compared without case',
    sql: `
      DROP INDEX devices_by_imei;
      DROP INDEX devices_by_epc;
      CREATE INDEX devices_by_lower_id ON devices (lower(id));
      CREATE INDEX devices_by_imei ON devices (lower(identifiers->>'imei')) WHERE identifiers ? 'imei';
      CREATE INDEX devices_by_epc ON devices (lower(identifiers->>'epc')) WHERE identifiers ? 'epc';
      CREATE INDEX devices_by_seal_number ON devices (lower(identifiers->>'sealNumber')) WHERE identifiers ? 'sealNumber';
    `,
  },
  {
    version: 48,
    name: "integrations belong to an organisation: listed and revoked within it, feeding only its devices (those made before: their creator's organisation, the platform's when made with the installation token)",
    sql: `
      ALTER TABLE integrations ADD COLUMN organisation text NOT NULL DEFAULT 'platform';
      UPDATE integrations SET organisation = coalesce(
        (SELECT organisation FROM users WHERE 'user:' || users.id = integrations.created_by), 'platform');
    `,
  },
  {
    version: 42,
    name: 'EPCIS standing queries: a subscription is a webhook plus its query, schedule and record-time bounds',
    sql: `
      CREATE TABLE epcis_subscriptions (
        webhook text COLLATE "C" PRIMARY KEY REFERENCES webhooks (id) ON DELETE CASCADE, query_name text NOT NULL, base text NOT NULL,
        stream boolean NOT NULL, schedule jsonb, report_if_empty boolean NOT NULL,
        initial_record_time text NOT NULL, min_record_time text NOT NULL);
    `,
  },
  {
    version: 55,
    name: "EPCIS named queries: each organisation's own names, each with its query parameters as given",
    sql: `
      CREATE TABLE epcis_queries (
        organisation text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, query jsonb NOT NULL, created_by text NOT NULL,
        created_at text NOT NULL, PRIMARY KEY (organisation, name));
    `,
  },
  {
    version: 50,
    name: "pending devices seen through an organisation's integration are that organisation's; trader consents to lending its devices (a request per movement, or standing for an administration and a period)",
    sql: `
      ALTER TABLE pending_devices ADD COLUMN organisation text;
      CREATE TABLE lending_consents (
        id text COLLATE "C" PRIMARY KEY, trader text NOT NULL, administration text NOT NULL, movement text COLLATE "C", devices jsonb,
        status text NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz, created_at timestamptz NOT NULL,
        created_by text NOT NULL, decided_at timestamptz, decided_by text);
      CREATE INDEX lending_consents_by_trader ON lending_consents (trader, id);
      CREATE INDEX lending_consents_by_administration ON lending_consents (administration, id);
      -- One request per movement: a declaration asks its trader once.
      CREATE UNIQUE INDEX lending_consents_one_per_movement ON lending_consents (movement) WHERE movement IS NOT NULL;
    `,
  },
  {
    version: 52,
    name: 'audit trail in chains: each entry its chain and position, chain heads locked one by one, checkpoints naming every head',
    sql: `
      ALTER TABLE audit_entries ADD COLUMN chain text COLLATE "C" NOT NULL DEFAULT 'main';
      ALTER TABLE audit_entries ADD COLUMN pos bigint;
      UPDATE audit_entries SET pos = seq;
      ALTER TABLE audit_entries ALTER COLUMN pos SET NOT NULL;
      ALTER TABLE audit_entries ALTER COLUMN chain DROP DEFAULT;
      CREATE UNIQUE INDEX audit_entries_by_chain ON audit_entries (chain, pos);
      CREATE SEQUENCE audit_entry_seq;
      SELECT setval('audit_entry_seq', COALESCE((SELECT max(seq) FROM audit_entries), 0) + 1, false);
      CREATE TABLE audit_chains (chain text COLLATE "C" PRIMARY KEY, pos bigint NOT NULL, hash text NOT NULL);
      INSERT INTO audit_chains (chain, pos, hash)
        SELECT 'main', COALESCE(max(seq), 0),
          COALESCE((SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1), repeat('0', 64)) FROM audit_entries;
      CREATE TABLE audit_chain_checkpoints (
        id bigserial PRIMARY KEY, time text NOT NULL, heads text NOT NULL, key_id text NOT NULL, signature text NOT NULL);
    `,
  },
];

/**
 * Creates the schema if needed and applies the steps it lacks, in version order, in ONE
 * transaction that first takes an advisory lock: several processes starting at once queue up,
 * and each later one finds the steps applied. Returns the versions applied now. Refuses a
 * schema written by a newer binary rather than guess at its tables.
 */
export async function applyMigrations(pool: Pool, schema: string, steps: readonly Migration[] = migrations): Promise<number[]> {
  const { ordered, latest } = orderMigrations(steps);
  return inTransaction(pool, async (client) => {
    await lockForTransaction(client, schema, 'migrations');
    // Inside the lock: concurrent CREATE SCHEMA IF NOT EXISTS can still collide in the catalog.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > latest) {
      throw new Error(`database schema ${schema} is at version ${newest}, newer than this build (${latest})`);
    }
    const now: number[] = [];
    for (const step of ordered) {
      if (applied.has(step.version)) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [step.version, step.name]);
      now.push(step.version);
    }
    return now;
  });
}
