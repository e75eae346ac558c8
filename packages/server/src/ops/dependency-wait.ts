/**
 * Starting without the dependencies: a cluster process whose PostgreSQL, NATS or MQTT broker
 * does not answer yet waits for it with backoff instead of exiting, says what it waits for (one
 * warning per change, never one per attempt), answers /healthz/ready with 503 and what it waits
 * for meanwhile (/healthz/live with 200), and starts its work once every dependency answers.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import pg from 'pg';
import { connect as natsConnect } from 'nats';
import type { Config } from '../config/config';

export interface Dependency {
  /** What an operator calls it: "PostgreSQL", "NATS", "MQTT broker". */
  name: string;
  /** Where it is expected, without secrets. */
  where: string;
  /** Resolves when it answers; rejects with why not. */
  probe(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 3000;

/** The dependencies this process's configuration names (none in embedded mode). */
export function dependenciesOf(config: Readonly<Config>): Dependency[] {
  const deps: Dependency[] = [];
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    deps.push({
      name: 'PostgreSQL',
      where: hostOf(url, 5432),
      async probe() {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('SELECT 1');
        } finally {
          await client.end().catch(() => undefined);
        }
      },
    });
  }
  if (config.natsUrl) {
    const url = config.natsUrl;
    deps.push({
      name: 'NATS',
      where: hostOf(url, 4222),
      async probe() {
        const nc = await natsConnect({ servers: url, timeout: PROBE_TIMEOUT_MS, maxReconnectAttempts: 0, reconnect: false });
        try {
          // JetStream must be on: the ingest log lives there.
          await (await nc.jetstreamManager({ timeout: PROBE_TIMEOUT_MS })).getAccountInfo();
        } finally {
          await nc.close().catch(() => undefined);
        }
      },
    });
  }
  if (config.mqttUrl && config.roles.gateway) {
    const url = config.mqttUrl;
    deps.push({ name: 'MQTT broker', where: hostOf(url, 1883), probe: () => tcpProbe(url, 1883) });
  }
  return deps;
}

/** host:port of a URL, never its credentials. */
function hostOf(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  } catch {
    return '<invalid URL>';
  }
}

function tcpProbe(url: string, defaultPort: number): Promise<void> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: u.hostname, port: Number(u.port || defaultPort) });
    socket.setTimeout(PROBE_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)));
    socket.once('connect', () => (socket.destroy(), resolve()));
    socket.once('error', reject);
  });
}

export interface WaitLog {
  warn(o: object, m: string): void;
  info(o: object, m: string): void;
}

/**
 * Probes every dependency until all answer, backing off from `initialMs` to `maxMs` between
 * rounds. `waiting` holds, at every moment, what is still awaited (for /healthz/ready). Returns
 * false when `signal` aborted the wait (a stop was asked for).
 */
export async function waitForDependencies(
  deps: Dependency[],
  log: WaitLog,
  options: { signal: AbortSignal; waiting: Map<string, string>; initialMs?: number; maxMs?: number },
): Promise<boolean> {
  const { signal, waiting } = options;
  const maxMs = options.maxMs ?? 15_000;
  let delay = options.initialMs ?? 500;
  for (;;) {
    const results = await Promise.all(
      deps.map((d) =>
        d.probe().then(
          () => null,
          (e: Error) => e.message || String(e),
        ),
      ),
    );
    deps.forEach((d, i) => {
      const failure = results[i];
      const was = waiting.get(d.name);
      if (failure === null) {
        if (was !== undefined) log.info({ dependency: d.name, at: d.where }, `${d.name} answers at ${d.where}`);
        waiting.delete(d.name);
      } else if (was === undefined) {
        // One warning per change of state, with the first cause; the attempts that follow are silent.
        log.warn(
          { dependency: d.name, at: d.where, err: failure },
          `waiting for ${d.name} at ${d.where} (${failure}); retrying with backoff up to ${maxMs / 1000} s`,
        );
        waiting.set(d.name, `${d.where}: ${failure}`);
      }
    });
    if (waiting.size === 0) return true;
    if (signal.aborted) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay * (0.75 + Math.random() * 0.5));
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    if (signal.aborted) return false;
    delay = Math.min(maxMs, delay * 2);
  }
}

/**
 * The HTTP port while waiting: /healthz/live answers 200, /healthz and /healthz/ready answer 503
 * with what is awaited, /metrics answers with `sealwatch_up 0` per awaited dependency, anything
 * else 503 `starting`. Closed before the real server takes the port.
 */
export async function serveWhileWaiting(
  config: Readonly<Config>,
  waiting: Map<string, string>,
  tls: { cert: Buffer | string; key: Buffer | string } | null,
): Promise<Server> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: object, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'retry-after': '5' });
      res.end(JSON.stringify(body));
    };
    const checks = Object.fromEntries([...waiting].map(([name, detail]) => [name, { status: 'failing', detail: `waiting: ${detail}` }]));
    if (path === '/healthz/live') return json(200, { status: 'ok', starting: true });
    if (path === '/healthz' || path === '/healthz/ready') return json(503, { status: 'starting', waitingFor: [...waiting.keys()], checks });
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      const lines = [
        '# HELP sealwatch_starting 1 while the process waits for its dependencies',
        '# TYPE sealwatch_starting gauge',
        'sealwatch_starting 1',
      ];
      return res.end(lines.join('\n') + '\n');
    }
    // The same codes as a running process: the store first (nothing works without it), then the log.
    const code = waiting.has('PostgreSQL') ? 'store_unavailable' : waiting.has('NATS') ? 'log_unavailable' : 'starting';
    const detail = `starting: waiting for ${[...waiting.keys()].join(', ')}; retry later`;
    return json(
      503,
      { type: `urn:sealwatch:problem:${code}`, title: code.replace(/_/g, ' '), status: 503, code, detail },
      'application/problem+json',
    );
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  return server;
}
