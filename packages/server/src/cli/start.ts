/**
 * `sealwatch start`: embedded mode with the HTTP API and console, and by default the demo
 * (its organisations and users, with a published password, and its fleet). Stops cleanly on
 * SIGINT/SIGTERM so that nothing acknowledged is lost.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { hashToken } from '../http/auth';
import { verifyPassword } from '../access/passwords';
import { loadConfig, type Config } from '../config/config';
import { vendorProtocols } from '@sealwatch/protocols/registry';
import { createPlatform, type Platform } from '../platform';
import { injectFetch } from './inject-fetch';

export async function startCommand(env: Record<string, string | undefined>): Promise<void> {
  const config: Readonly<Config> = loadConfig(env);
  const log = pino({ level: config.logLevel, base: { service: 'sealwatch' } });
  const platform = await createPlatform(config, { logger: { level: config.logLevel, base: { service: 'sealwatch' } } });
  // Demo users left with the published password are closed before anyone can connect.
  if (!config.demo.enabled) await disableDemoUsers(platform.ctx, log);
  const address = await platform.listen();

  // The demo drives the real API in-process with a token that lives only in this process.
  let demoClient: import('@sealwatch/sim').SealwatchClient | null = null;
  let demoUsers: string[] = [];
  if (config.demo.enabled) {
    const demoToken = randomBytes(24).toString('base64url');
    platform.ctx.auth.allowHash(hashToken(demoToken), 'demo');
    const sim = await import('@sealwatch/sim');
    demoClient = new sim.SealwatchClient(injectFetch(platform.http), 'http://in-process', demoToken);
    try {
      const created = await sim.seedDemoParties(demoClient);
      if (created.users.length || created.organisations.length) log.info({ component: 'demo', ...created }, 'demo organisations and users created');
      const width = Math.max(...sim.demoUsers.map((u) => u.username.length));
      demoUsers = sim.demoUsers.map((u) => `    ${u.username.padEnd(width)}  ${u.sees}`);
    } catch (e) {
      log.error({ component: 'demo', err: e }, 'could not create the demo organisations and users');
    }
  }
  const url = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${(platform.http.server.address() as { port: number }).port}`;

  const lines = [
    '',
    `  Sealwatch ${platform.ctx.version} — embedded mode (SQLite at ${config.sqlite.file})`,
    `  Console:  ${url}/`,
    `  API docs: ${url}/docs     OpenAPI: ${url}/api/v1/openapi.json`,
    `  Health:   ${url}/healthz  Metrics: ${url}/metrics`,
  ];
  if (platform.generatedAdminToken) {
    lines.push(
      '',
      '  A new admin token was generated. It is shown ONCE and stored only as a hash:',
      `    ${platform.generatedAdminToken}`,
      `  Open the console signed in:  ${url}/#token=${platform.generatedAdminToken}`,
      '  Lost it? `npx sealwatch admin-token --reset` (with the server stopped) makes a new one.',
    );
  } else {
    lines.push('', `  Sign in to the console with your admin token (SEALWATCH_ADMIN_TOKEN or the one printed on first start).`);
  }
  if (demoUsers.length) {
    const { DEMO_PASSWORD } = await import('@sealwatch/sim');
    lines.push(
      '',
      `  DEMO ONLY — sign in at ${url}/ as one of these users, password "${DEMO_PASSWORD}"`,
      '  (anyone who reads this can too: never expose a demo installation; SEALWATCH_DEMO=false disables them):',
      ...demoUsers,
    );
  }
  const open = platform.listeners();
  const vendor = vendorProtocols.map(({ name }) => {
    const port = config.listeners[name];
    return name in open ? `${name} :${open[name]}` : port === 'off' ? `${name} off` : `${name} not started (port ${port} busy)`;
  }).join(', ');
  lines.push(`  Vendor protocols: ${vendor}`, '');
  process.stdout.write(lines.join('\n') + '\n');
  log.info({ address }, 'listening');

  let demo: { stop(): Promise<void> } | null = null;
  if (demoClient) {
    // The seed derives the demo devices' keys: a secret, sealed with the master key.
    const seed = await platform.secrets.getOrCreate('demo_seed', () => randomBytes(32).toString('base64url'));
    const { startDemo } = await import('@sealwatch/sim');
    demo = await startDemo({ client: demoClient, seed, intervalMs: config.demo.intervalMs, log: (msg: string) => log.info({ component: 'demo' }, msg) });
    log.info('demo fleet started: a seal-tamper incident follows within the first minute');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await demo?.stop();
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * Without the demo, the demo users an earlier demo run created must not stay open with a
 * published password: each one that still has it is disabled (one given its own password is kept).
 */
async function disableDemoUsers(ctx: Platform['ctx'], log: { warn(o: object, msg: string): void }): Promise<void> {
  const { demoUsers, DEMO_PASSWORD } = await import('@sealwatch/sim');
  for (const { username } of demoUsers) {
    const user = await ctx.store.access.getUserByUsername(username);
    if (!user || user.disabled || !(await verifyPassword(DEMO_PASSWORD, user.passwordHash))) continue;
    await ctx.access.updateUser(user.id, { disabled: true });
    log.warn({ username }, 'demo user with the published demo password disabled (SEALWATCH_DEMO=false)');
  }
}
