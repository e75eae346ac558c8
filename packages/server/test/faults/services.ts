/**
 * Private dependency instances for fault-injection tests: a NATS JetStream server and a
 * PostgreSQL server of their own, on free ports and in temporary directories, that a test may
 * kill with SIGKILL and start again on the same data. The machine's shared servers (4222, 5432)
 * are never touched: only the process groups started here are ever signalled.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port: number, what: string, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start on port ${port}`);
}

/** Servers started here and still running: killed when the test process exits, however it exits. */
const running = new Set<PrivateServer>();
process.once('exit', () => {
  for (const s of running) s.killNow();
});

abstract class PrivateServer {
  protected child: ChildProcess | null = null;
  output = '';
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}
  /** Spawns the server as the leader of a process group of its own (`detached`), so that kill reaches its children too. */
  protected abstract spawnServer(): ChildProcess;
  abstract readonly name: string;
  async start(): Promise<void> {
    const child = this.spawnServer();
    this.child = child;
    running.add(this);
    child.once('exit', () => running.delete(this));
    const keep = (b: Buffer) => (this.output = (this.output + b.toString()).slice(-5000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitForPort(this.port, this.name);
  }
  /**
   * SIGKILL to the server's whole process group (PostgreSQL's backends with their postmaster),
   * as in a power cut: it loses whatever it had not written durably, and no orphan outlives it.
   */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    this.killNow();
    await exited;
  }
  /** Sends the SIGKILL without waiting (also from an exit hook). */
  killNow(): void {
    const pid = this.child?.pid;
    if (!pid || this.child!.exitCode !== null || this.child!.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.child!.kill('SIGKILL');
    }
  }
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class PrivateNats extends PrivateServer {
  readonly name = 'private nats-server';
  constructor(port: number) {
    super(port, mkdtempSync(join(tmpdir(), 'sealwatch-nats-')));
  }
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }
  protected spawnServer(): ChildProcess {
    return spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], {
      stdio: 'ignore',
      detached: true,
    });
  }
}

const PG_BIN = ['/usr/local/bin', ...['17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin`)].find((d) => existsSync(`${d}/initdb`));

/**
 * A PostgreSQL cluster of its own (initdb in a temporary directory, trust authentication on
 * 127.0.0.1). As root the server runs as the `postgres` user, which PostgreSQL requires.
 */
export class PrivatePostgres extends PrivateServer {
  readonly name = 'private postgres';
  private readonly ids = process.getuid?.() === 0 ? postgresUser() : null;
  constructor(port: number) {
    super(port, mkdtempSync(join(tmpdir(), 'sealwatch-pg-')));
    if (!PG_BIN) throw new Error('initdb not found (install PostgreSQL)');
    if (this.ids) chownSync(this.dir, this.ids.uid, this.ids.gid);
    const r = spawnSync(`${PG_BIN}/initdb`, ['-D', join(this.dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync'], {
      ...(this.ids ?? {}),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.error?.message}`);
  }
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  protected spawnServer(): ChildProcess {
    return spawn(
      `${PG_BIN}/postgres`,
      ['-D', join(this.dir, 'data'), '-p', String(this.port), '-h', '127.0.0.1', '-k', this.dir, '-c', 'fsync=on'],
      { ...(this.ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root needs a `postgres` user for a private PostgreSQL');
  return { uid, gid: id('-g') };
}

/**
 * A TCP forwarder the test opens and closes: a dependency that "is down" (nothing listens, or
 * every connection is cut at once) and comes back, without touching the real server behind it.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}
  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }
  /** Stops listening and cuts every open connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
