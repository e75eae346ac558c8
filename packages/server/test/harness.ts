/** Real Sealwatch processes for crash tests: spawned from the `sealwatch` binary, killed with SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { portVariable, vendorProtocols } from '@sealwatch/protocols/registry';

/** Every vendor protocol listener on a port the system picks. */
const EVERY_LISTENER_ON_A_FREE_PORT = Object.fromEntries(vendorProtocols.map((p) => [portVariable(p), '0']));

const bin = fileURLToPath(new URL('../../../bin/sealwatch.mjs', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Processes started here and still running: killed when the test process exits, however it exits. */
const running = new Set<ChildProcess>();
/** A child killed by a signal keeps exitCode null (its signalCode says how it ended): waiting for its 'exit' again would wait forever. */
const hasExited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
const killAll = () => {
  for (const c of running) c.kill('SIGKILL');
};
process.once('exit', killAll);
// The test runner ends a file that ran past its timeout with a signal, and 'exit' does not run
// then: without this its Sealwatch processes outlived the run and loaded the machine for minutes.
for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)
  process.once(signal, () => {
    killAll();
    process.exit(code);
  });

export class SealwatchProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the process and waits until /healthz answers ok, or with `until: 'live'` until
   * /healthz/live does (a process still waiting for its dependencies), for at most `timeoutMs`.
   */
  async start(options: { until?: 'ready' | 'live'; timeoutMs?: number } = {}): Promise<void> {
    const probe = options.until === 'live' ? '/healthz/live' : '/healthz';
    this.child = spawn(process.execPath, [bin, 'start'], {
      env: {
        ...process.env,
        SEALWATCH_HTTP_PORT: String(this.port),
        SEALWATCH_HTTP_HOST: '127.0.0.1',
        SEALWATCH_LOG_LEVEL: 'warn',
        SEALWATCH_DEMO: 'false',
        ...EVERY_LISTENER_ON_A_FREE_PORT,
        SEALWATCH_MQTT_PORT: 'off',
        SEALWATCH_RATE_API_PER_MIN: '0',
        SEALWATCH_RATE_LOGIN_PER_MIN: '0',
        SEALWATCH_RATE_DEVICE_PER_MIN: '0',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = this.child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    const keep = (b: Buffer) => (this.output = (this.output + b.toString()).slice(-20_000));
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    try {
      await this.untilAnswers(probe, options.timeoutMs ?? 30_000);
    } catch (e) {
      // A process that never became healthy is killed here: left running, its pipes would keep the
      // test file's process alive after its tests failed, and the whole run would wait for it.
      await this.kill();
      throw e;
    }
  }

  private async untilAnswers(probe: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (hasExited(this.child!)) throw new Error(`${this.name} exited: ${this.output}`);
      try {
        const r = await fetch(`${this.url}${probe}`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > end) {
        const last = await fetch(`${this.url}${probe}`)
          .then((r) => r.text())
          .catch((e: Error) => `no answer: ${e.message}`);
        throw new Error(`${this.name} did not become healthy: ${probe} answered ${last}\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no shutdown hook runs; whatever was not durable is gone. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || hasExited(c)) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  /** Sends SIGTERM and waits for the exit; `byItself` is false when it had to be killed after `graceMs`. */
  async terminate(graceMs: number): Promise<{ byItself: boolean; code: number | null }> {
    const c = this.child;
    if (!c || hasExited(c)) return { byItself: true, code: c?.exitCode ?? null };
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    if (c.exitCode !== null) return { byItself: true, code: c.exitCode };
    await this.kill();
    return { byItself: false, code: null };
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || hasExited(c)) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (c.exitCode === null) await this.kill();
  }
}
