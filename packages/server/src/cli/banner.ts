/**
 * The screen `sealwatch start` prints once it listens: what runs on which port, how to sign in,
 * who can reach it, where the data lives and how to back it up, and how to stop. A function of
 * what started, so that a test can read it.
 */

export interface BannerInput {
  version: string;
  /** Base URL people open (localhost when bound to every interface). */
  url: string;
  /** SEALWATCH_HTTP_HOST as configured. */
  httpHost: string;
  /** `mqtt :1884`-style description of the embedded broker (port, off, or busy). */
  mqtt: string;
  /** The device listener lines (one or more), already formatted. */
  listenerLines: string[];
  /** SQLite file, or null in cluster mode (PostgreSQL). */
  sqliteFile: string | null;
  /** PostgreSQL / cluster mode: the engines in use (no credentials) and this process's roles. */
  engines?: { store: string; log: string | null; roles: string[] } | null;
  dataDir: string;
  /** The generated master key file, or null when SEALWATCH_MASTER_KEY is set. */
  masterKeyFile: string | null;
  generatedAdminToken: string | null;
  demo: { password: string; users: { username: string; sees: string }[] } | null;
}

/** True when only this machine can connect to an address. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** The banner's lines (no trailing newline). */
export function startBanner(b: BannerInput): string[] {
  const lines: string[] = [''];
  const e = b.engines;
  const mode = b.sqliteFile
    ? 'embedded mode (SQLite, one process)'
    : e?.log
      ? `cluster mode, roles ${e.roles.join(', ')}`
      : 'one process on PostgreSQL';
  lines.push(`  Sealwatch ${b.version} — ${mode}${b.demo ? ', with the demo fleet' : ''}`);
  if (e) lines.push(`  Engines   store ${e.store}${e.log ? `; ingest log ${e.log}` : ''}`);
  lines.push(`  Console   ${b.url}/         API docs ${b.url}/docs`);
  lines.push(`  Ops       ${b.url}/healthz  ${b.url}/metrics (Prometheus)`);
  lines.push(`  Devices   native JWS: POST ${b.url}/api/v1/ingest, ${b.mqtt}`);
  for (const l of b.listenerLines) lines.push(`            ${l}`);

  lines.push('');
  if (isLoopbackHost(b.httpHost)) {
    lines.push(`  Reach     this machine only (SEALWATCH_HTTP_HOST=${b.httpHost}). To serve other machines:`);
    lines.push(`            SEALWATCH_HTTP_HOST=0.0.0.0 SEALWATCH_DEMO=false npm start`);
  } else {
    lines.push(`  Reach     every machine that can reach this one (SEALWATCH_HTTP_HOST=${b.httpHost}).`);
    lines.push(`            SEALWATCH_HTTP_HOST=127.0.0.1 keeps it to this machine.`);
  }
  if (b.demo) lines.push(`            The demo password is public: never expose a demo installation (SEALWATCH_DEMO=false).`);

  if (b.generatedAdminToken) {
    lines.push('');
    lines.push('  Admin token, shown ONCE (only its hash is stored):');
    lines.push(`    ${b.generatedAdminToken}`);
    lines.push(`  Signed-in console link:  ${b.url}/#token=${b.generatedAdminToken}`);
    lines.push('  Lost it? Stop the server, then `npx sealwatch admin-token --reset`.');
  } else {
    lines.push(`  Sign in   with a user, or the admin token printed on the first start (or SEALWATCH_ADMIN_TOKEN)`);
  }
  if (b.demo && b.demo.users.length) {
    const width = Math.max(...b.demo.users.map((u) => u.username.length));
    lines.push('');
    lines.push(`  DEMO ONLY — users, each with the password "${b.demo.password}":`);
    for (const u of b.demo.users) lines.push(`    ${u.username.padEnd(width)}  ${u.sees}`);
  }

  lines.push('');
  if (b.sqliteFile) {
    lines.push(
      `  Data      ${b.dataDir} (SQLite ${b.sqliteFile.startsWith(b.dataDir) ? b.sqliteFile.slice(b.dataDir.length + 1) : b.sqliteFile}${b.masterKeyFile ? ', master.key' : ''})`,
    );
    lines.push(
      `  Backup    npx sealwatch backup --out <folder>   (the database ${b.masterKeyFile ? 'with master.key' : '; keep SEALWATCH_MASTER_KEY with it'}:`,
    );
    lines.push('            device secrets cannot be opened without the key) — docs/operations.md');
  } else {
    lines.push('  Data      PostgreSQL (DATABASE_URL): pg_dump it, and keep SEALWATCH_MASTER_KEY with the dump — docs/operations.md');
  }
  lines.push('  Stop      Ctrl-C (or SIGTERM): everything acknowledged is already stored');
  lines.push('');
  return lines;
}
