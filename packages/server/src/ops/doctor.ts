/**
 * `sealwatch doctor`: checks an installation's configuration before (or instead of) starting it,
 * and says what to fix. Every check reads; none writes, generates a key or creates a database.
 */
import { existsSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { decodeMasterKey, masterKeyFile, readKeyFile } from '../keys/master-key';
import { SecretBox } from '../keys/secret-box';
import { SECRET_SETTINGS, isSealedValue } from '../keys/sealed-settings';
import { orderMigrations, type Migration } from '../storage/migrations';
import { migrations as sqliteMigrations } from '../storage/sqlite/migrations';
import { migrations as postgresMigrations } from '../storage/postgres/migrations';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or a failure. */
  fix?: string;
}

/** Free space under which the data directory is a warning, and a failure. */
export const DISK_WARN_BYTES = 1e9;
export const DISK_FAIL_BYTES = 100e6;
/** Clock differences with the database server or the newest audit entry beyond which the clock is suspect. */
const CLOCK_TOLERANCE_MS = 5_000;

/** Whether something already listens on host:port (binding it, then releasing it at once). */
export function portIsFree(port: number, host: string): Promise<{ free: boolean; code?: string }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve({ free: false, code: e.code }));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve({ free: true })));
  });
}

async function checkPorts(config: Readonly<Config>): Promise<Check[]> {
  const wanted: { what: string; port: number; host: string; variable: string; fatal: boolean }[] = [
    { what: 'HTTP', port: config.http.port, host: config.http.host, variable: 'SEALWATCH_HTTP_PORT', fatal: true },
  ];
  if (config.roles.gateway && !config.mqttUrl && config.mqtt.port !== 'off')
    wanted.push({ what: 'MQTT', port: config.mqtt.port, host: config.mqtt.host, variable: 'SEALWATCH_MQTT_PORT', fatal: false });
  if (config.roles.gateway) {
    for (const [p, port] of Object.entries(config.listeners)) {
      if (port !== 'off')
        wanted.push({ what: p, port, host: config.http.host, variable: `SEALWATCH_PORT_${p.toUpperCase()}`, fatal: false });
    }
  }
  const checks: Check[] = [];
  const free: string[] = [];
  for (const w of wanted) {
    if (w.port === 0) continue;
    const r = await portIsFree(w.port, w.host);
    if (r.free) free.push(`${w.port} (${w.what})`);
    else {
      checks.push({
        name: `port ${w.port}`,
        status: w.fatal ? 'fail' : 'warn',
        detail: `${w.what}: ${r.code === 'EACCES' ? 'not allowed to bind' : 'in use'} on ${w.host}${w.fatal ? '' : ' (start skips it)'}`,
        fix: `stop what holds it (a Sealwatch already running?) or set ${w.variable} to another port${w.fatal ? '' : ', or off'}`,
      });
    }
  }
  if (free.length) checks.unshift({ name: 'ports', status: 'ok', detail: `free: ${free.join(', ')}` });
  return checks;
}

/** The keys configured, without generating any: null when the embedded key file does not exist yet. */
function configuredKeys(config: Readonly<Config>): { box: SecretBox; source: string } | null {
  const previous = config.previousMasterKeys.map(decodeMasterKey);
  if (config.masterKey) return { box: new SecretBox(decodeMasterKey(config.masterKey), previous), source: 'SEALWATCH_MASTER_KEY' };
  const file = masterKeyFile(config.dataDir);
  if (!existsSync(file)) return null;
  const [current, ...older] = readKeyFile(file);
  return { box: new SecretBox(current, [...older, ...previous]), source: file };
}

/** The stored secret settings that the configured keys cannot open (names), given the rows. */
function unopenable(box: SecretBox, rows: { key: string; value: string }[]): string[] {
  const bad: string[] = [];
  for (const r of rows) {
    if (!isSealedValue(r.value)) continue;
    try {
      box.open(r.value, `setting:${r.key}`);
    } catch {
      bad.push(r.key);
    }
  }
  return bad;
}

function checkMasterKey(config: Readonly<Config>, sealed: { key: string; value: string }[] | null): Check {
  let keys: ReturnType<typeof configuredKeys>;
  try {
    keys = configuredKeys(config);
  } catch (e) {
    return {
      name: 'master key',
      status: 'fail',
      detail: (e as Error).message,
      fix: 'restore the key file from the backup made with this database',
    };
  }
  const stored = (sealed ?? []).filter((r) => isSealedValue(r.value));
  if (!keys) {
    if (stored.length)
      return {
        name: 'master key',
        status: 'fail',
        detail: `${masterKeyFile(config.dataDir)} is missing but the database holds ${stored.length} sealed secret(s)`,
        fix: 'restore master.key from the backup of this database, or set SEALWATCH_MASTER_KEY to its key',
      };
    return {
      name: 'master key',
      status: 'ok',
      detail: `none yet: generated into ${masterKeyFile(config.dataDir)} on the first start (back it up with the database)`,
    };
  }
  const bad = unopenable(keys.box, stored);
  if (bad.length)
    return {
      name: 'master key',
      status: 'fail',
      detail: `${keys.source} does not open ${bad.join(', ')} (sealed under another key)`,
      fix: 'use the master key this database was sealed with (its backup), or add the old one to SEALWATCH_MASTER_KEY_PREVIOUS',
    };
  return {
    name: 'master key',
    status: 'ok',
    detail: `${keys.source}: key ${keys.box.currentKeyId}${stored.length ? `, opens the ${stored.length} sealed secret(s)` : ''}`,
  };
}

/** Free bytes for an unprivileged writer on the file system holding `path` (or its nearest existing parent). */
export function freeBytesUnder(path: string): { at: string; free: number } {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const s = statfsSync(at);
  return { at, free: s.bavail * s.bsize };
}

function checkDisk(path: string): Check {
  const { at, free } = freeBytesUnder(path);
  const gb = (free / 1e9).toFixed(1);
  if (free < DISK_FAIL_BYTES)
    return {
      name: 'disk',
      status: 'fail',
      detail: `${gb} GB free under ${at}`,
      fix: 'free space or move SEALWATCH_DATA_DIR: SQLite refuses writes on a full disk and ingest then answers 503',
    };
  if (free < DISK_WARN_BYTES)
    return {
      name: 'disk',
      status: 'warn',
      detail: `${gb} GB free under ${at}`,
      fix: 'free space or lower SEALWATCH_RETENTION_OBSERVATIONS_DAYS',
    };
  return { name: 'disk', status: 'ok', detail: `${gb} GB free under ${at}` };
}

function checkClock(now: number, reference: { what: string; time: number } | null): Check {
  if (new Date(now).getUTCFullYear() < 2024)
    return {
      name: 'clock',
      status: 'fail',
      detail: `the clock says ${new Date(now).toISOString()}`,
      fix: 'set the system clock (NTP: systemd-timesyncd or chrony); devices are judged against it (SEALWATCH_MAX_CLOCK_SKEW_S)',
    };
  if (reference && reference.time - now > CLOCK_TOLERANCE_MS) {
    return {
      name: 'clock',
      status: 'fail',
      detail: `${((reference.time - now) / 1000).toFixed(0)} s behind ${reference.what}`,
      fix: 'the clock went back: fix NTP before starting, or new records will predate old ones',
    };
  }
  return { name: 'clock', status: 'ok', detail: `${new Date(now).toISOString()}${reference ? ` (not behind ${reference.what})` : ''}` };
}

/** What the embedded database holds that the other checks need, read without creating anything. */
function readSqlite(
  file: string,
): { sealed: { key: string; value: string }[]; newestAudit: number | null; applied: number[] } | { error: string } | null {
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const has = (t: string) => Boolean(db!.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t));
    const placeholders = SECRET_SETTINGS.map(() => '?').join(',');
    const sealed = has('settings')
      ? (db.prepare(`SELECT key, value FROM settings WHERE key IN (${placeholders})`).all(...SECRET_SETTINGS) as {
          key: string;
          value: string;
        }[])
      : [];
    const last = has('audit_entries')
      ? (db.prepare('SELECT time FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as { time: string } | undefined)
      : undefined;
    const applied = has('schema_migrations') ? (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) : [];
    return { sealed, newestAudit: last ? Date.parse(last.time) : null, applied };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    db?.close();
  }
}

async function readPostgres(
  config: Readonly<Config>,
): Promise<{ sealed: { key: string; value: string }[]; serverTime: number; applied: number[] } | { error: string }> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: config.databaseUrl!, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const started = Date.now();
    const t = await client.query<{ now: Date }>('SELECT now() AS now');
    const serverTime = t.rows[0].now.getTime() + (Date.now() - started) / 2;
    const exists = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [
      config.dbSchema,
      'settings',
    ]);
    const sealed = exists.rowCount
      ? (
          await client.query<{ key: string; value: string }>(`SELECT key, value FROM "${config.dbSchema}".settings WHERE key = ANY($1)`, [
            [...SECRET_SETTINGS],
          ])
        ).rows
      : [];
    const hasMigrations = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [
      config.dbSchema,
      'schema_migrations',
    ]);
    const applied = hasMigrations.rowCount
      ? (await client.query<{ version: number }>(`SELECT version FROM "${config.dbSchema}".schema_migrations`)).rows.map((r) =>
          Number(r.version),
        )
      : [];
    return { sealed, serverTime, applied };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The schema against this build's migrations: a newer schema fails, missing steps are an upgrade to back up for. */
export function checkSchema(applied: number[], steps: readonly Migration[]): Check {
  const { latest } = orderMigrations(steps);
  const newest = Math.max(0, ...applied);
  if (newest > latest)
    return {
      name: 'schema',
      status: 'fail',
      detail: `the database is at migration ${newest}, newer than this build (${latest})`,
      fix: 'run the Sealwatch version that wrote it, or restore the backup taken before its upgrade',
    };
  const have = new Set(applied);
  const pending = steps.filter((m) => !have.has(m.version)).map((m) => m.version);
  if (applied.length && pending.length)
    return {
      name: 'schema',
      status: 'warn',
      detail: `start will apply migration(s) ${pending.join(', ')}`,
      fix: 'back up first (npx sealwatch backup, or pg_dump): a migration is not undone by downgrading',
    };
  return { name: 'schema', status: 'ok', detail: applied.length ? `at migration ${newest}, as this build` : 'created on the first start' };
}

/** Every check, in the order a person would fix them. */
export async function runDoctor(env: Record<string, string | undefined>, now: () => number = Date.now): Promise<Check[]> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError)
      return e.problems.map((p) => ({
        name: 'configuration',
        status: 'fail' as const,
        detail: p,
        fix: 'see .env.example for every variable',
      }));
    throw e;
  }
  const checks: Check[] = [
    {
      name: 'configuration',
      status: 'ok',
      detail: config.databaseUrl ? 'cluster mode (PostgreSQL)' : `embedded mode, data in ${config.dataDir}`,
    },
  ];
  checks.push(...(await checkPorts(config)));
  if (config.databaseUrl) {
    const pg = await readPostgres(config);
    if ('error' in pg) {
      checks.push({
        name: 'database',
        status: 'fail',
        detail: `PostgreSQL not reachable: ${pg.error}`,
        fix: 'check DATABASE_URL, that PostgreSQL runs and accepts this user',
      });
      checks.push(checkClock(now(), null));
    } else {
      checks.push({ name: 'database', status: 'ok', detail: `PostgreSQL reachable, schema ${config.dbSchema}` });
      checks.push(checkSchema(pg.applied, postgresMigrations));
      checks.push(checkMasterKey(config, pg.sealed));
      const skew = Math.abs(pg.serverTime - now());
      checks.push(
        skew > CLOCK_TOLERANCE_MS
          ? {
              name: 'clock',
              status: 'fail',
              detail: `${(skew / 1000).toFixed(1)} s from the PostgreSQL server's clock`,
              fix: 'run NTP on every machine of the cluster',
            }
          : checkClock(now(), null),
      );
    }
  } else {
    const db = readSqlite(config.sqlite.file);
    if (db === null)
      checks.push({ name: 'database', status: 'ok', detail: `no database yet: ${config.sqlite.file} is created on the first start` });
    else if ('error' in db)
      checks.push({
        name: 'database',
        status: 'fail',
        detail: `${config.sqlite.file} cannot be read: ${db.error}`,
        fix: 'check its owner and mode, or restore it from a backup (docs/operations.md)',
      });
    else checks.push({ name: 'database', status: 'ok', detail: `${config.sqlite.file} opens` }, checkSchema(db.applied, sqliteMigrations));
    checks.push(checkMasterKey(config, db && !('error' in db) ? db.sealed : null));
    checks.push(
      checkClock(now(), db && !('error' in db) && db.newestAudit ? { what: 'the newest audit entry', time: db.newestAudit } : null),
    );
  }
  checks.push(checkDisk(config.dataDir));
  return checks;
}

/** The report as lines: one per check, the fix under each problem, a verdict last. */
export function formatDoctor(checks: Check[]): string[] {
  const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
  const lines = checks.flatMap((c) => [
    `${mark[c.status]}  ${c.name}: ${c.detail}`,
    ...(c.fix && c.status !== 'ok' ? [`      fix: ${c.fix}`] : []),
  ]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(
    failed
      ? `${failed} problem(s) to fix before starting${warned ? `, ${warned} warning(s)` : ''}`
      : `ready to start${warned ? ` (${warned} warning(s))` : ''}`,
  );
  return lines;
}
