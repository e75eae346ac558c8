/**
 * `sealwatch start`: embedded mode with the HTTP API and console, and by default the demo
 * (its organisations and users, with a published password, and its fleet). Stops cleanly on
 * SIGINT/SIGTERM so that nothing acknowledged is lost.
 */
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { hashToken } from '../http/auth';
import { verifyPassword } from '../access/passwords';
import { loadConfig, type Config } from '../config/config';
import { vendorProtocols } from '@sealwatch/protocols/registry';
import { createPlatform, type Platform } from '../platform';
import { injectFetch } from './inject-fetch';
import { startBanner } from './banner';
import { logDestination } from '../ops/log-output';
import { masterKeyFile } from '../keys/master-key';
import { dependenciesOf, serveWhileWaiting, waitForDependencies } from '../ops/dependency-wait';
import { readTlsFiles } from '../http/tls';

export async function startCommand(env: Record<string, string | undefined>): Promise<void> {
  const config: Readonly<Config> = loadConfig(env);
  // Readable lines on a terminal, JSON lines into a file or a pipe.
  const stream = logDestination();
  const log = pino({ level: config.logLevel, base: { service: 'sealwatch' } }, stream);
  const platform = await startWhenDependenciesAnswer(config, log, () =>
    createPlatform(config, { logger: { level: config.logLevel, base: { service: 'sealwatch' }, stream } }),
  );
  if (!platform) process.exit(0);
  // Demo users left with the published password are closed before anyone can connect.
  if (!config.demo.enabled) await disableDemoUsers(platform.ctx, log);
  const address = await platform.listen();

  // The demo drives the real API in-process with a token that lives only in this process.
  let demoClient: import('@sealwatch/sim').SealwatchClient | null = null;
  let demoUsers: { username: string; sees: string }[] = [];
  if (config.demo.enabled) {
    const demoToken = randomBytes(24).toString('base64url');
    platform.ctx.auth.allowHash(hashToken(demoToken), 'demo');
    const sim = await import('@sealwatch/sim');
    demoClient = new sim.SealwatchClient(injectFetch(platform.http), 'http://in-process', demoToken);
    try {
      const created = await sim.seedDemoParties(demoClient);
      if (created.users.length || created.organisations.length)
        log.info({ component: 'demo', ...created }, 'demo organisations and users created');
      demoUsers = sim.demoUsers.map(({ username, sees }) => ({ username, sees }));
    } catch (e) {
      log.error({ component: 'demo', err: e }, 'could not create the demo organisations and users');
    }
  }
  const host = config.http.host;
  const url = `${config.tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${(platform.http.server.address() as { port: number }).port}`;

  const open = platform.listeners();
  const vendor = vendorProtocols
    .map(({ name }) => {
      const port = config.listeners[name];
      return name in open ? `${name} :${open[name]}` : port === 'off' ? `${name} off` : `${name} not started (port ${port} busy)`;
    })
    .join(', ');
  const listenerLines = [`vendor protocols: ${vendor}`];
  const broker = platform.mqtt();
  const mqtt = config.mqttUrl
    ? `MQTT via ${config.mqttUrl}`
    : config.mqtt.port === 'off'
      ? 'MQTT off (SEALWATCH_MQTT_PORT=off)'
      : broker
        ? `MQTT :${broker.port} (embedded broker)`
        : `MQTT not started (port ${config.mqtt.port} busy: SEALWATCH_MQTT_PORT)`;
  const { DEMO_PASSWORD } = await import('@sealwatch/sim');
  const banner = startBanner({
    version: platform.ctx.version,
    url,
    httpHost: host,
    mqtt,
    listenerLines,
    sqliteFile: config.databaseUrl ? null : config.sqlite.file,
    engines: config.databaseUrl
      ? {
          store: `PostgreSQL ${hostAndDatabase(config.databaseUrl)} (schema ${config.dbSchema})`,
          log: config.natsUrl
            ? `NATS JetStream ${hostAndDatabase(config.natsUrl)} (cluster ${config.cluster.name}, ${config.cluster.partitions} partitions)`
            : null,
          roles: Object.entries(config.roles)
            .filter(([, on]) => on)
            .map(([r]) => r),
        }
      : null,
    dataDir: config.dataDir,
    masterKeyFile: config.masterKey ? null : masterKeyFile(config.dataDir),
    generatedAdminToken: platform.generatedAdminToken,
    demo: demoUsers.length ? { password: DEMO_PASSWORD, users: demoUsers } : null,
  });
  // Into a file or a pipe, stdout carries only JSON log lines (for collectors); the banner goes to stderr.
  (process.stdout.isTTY ? process.stdout : process.stderr).write(banner.join('\n') + '\n');
  log.info({ address }, 'listening');

  let demo: { stop(): Promise<void> } | null = null;
  if (demoClient) {
    // The seed derives the demo devices' keys: a secret, sealed with the master key.
    const seed = await platform.secrets.getOrCreate('demo_seed', () => randomBytes(32).toString('base64url'));
    const { startDemo } = await import('@sealwatch/sim');
    demo = await startDemo({
      client: demoClient,
      seed,
      intervalMs: config.demo.intervalMs,
      log: (msg: string) => log.info({ component: 'demo' }, msg),
    });
    log.info('demo fleet started: a seal-tamper incident follows within the first minute');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Whatever hangs (a dependency gone mid-stop), the process ends within STOP_DEADLINE_MS:
    // everything acknowledged is already durable, the rest is redelivered or retried by devices.
    setTimeout(() => {
      log.warn(
        { afterMs: STOP_DEADLINE_MS },
        'stop did not finish in time (a dependency does not answer); exiting now, nothing acknowledged is lost',
      );
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await demo?.stop();
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** host:port/path of a URL without its credentials. */
function hostAndDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}

/** The longest a stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

/**
 * Cluster mode: waits for PostgreSQL, NATS and the MQTT broker (those configured) to answer,
 * serving /healthz meanwhile, then builds the platform; a dependency lost while building sends it
 * back to waiting. Embedded mode builds at once. Null when a stop signal came while waiting.
 */
async function startWhenDependenciesAnswer(
  config: Readonly<Config>,
  log: Logger,
  build: () => Promise<Platform>,
): Promise<Platform | null> {
  const deps = dependenciesOf(config);
  if (deps.length === 0) return build();
  const stop = new AbortController();
  let building = false;
  const onSignal = () => {
    stop.abort();
    // Mid-build nothing is served or acknowledged yet, and a dependency may hang the build: leave at once.
    if (building) process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const waiting = new Map<string, string>();
  const server = await serveWhileWaiting(config, waiting, config.tls ? readTlsFiles(config.tls) : null);
  try {
    for (;;) {
      if (!(await waitForDependencies(deps, log, { signal: stop.signal, waiting }))) {
        log.info('stop asked for while waiting for dependencies');
        return null;
      }
      // The health server answered probes over keep-alive connections: close them too, or its close
      // (and the build after it) waits as long as a monitor keeps polling.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      try {
        building = true;
        return await build();
      } catch (e) {
        building = false;
        // Lost again between the probe and the start (or the start itself failed): probe again,
        // and give up only on an error that no dependency explains.
        const down = await Promise.all(
          deps.map((d) =>
            d.probe().then(
              () => false,
              () => true,
            ),
          ),
        );
        if (!down.some(Boolean)) throw e;
        log.warn({ err: (e as Error).message }, 'a dependency went away while starting; waiting for it again');
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.http.port, config.http.host, () => resolve());
        });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (server.listening) server.close();
  }
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
