/**
 * Test helpers for the vendor listeners: one protocol's listener on a test platform with its devices
 * registered (`startListenerUnderTest`), the vendor ingest it runs against (`IngestSpy`, which can
 * hold or fail ingest), and a device's end of a connection, which records what the server sent and
 * whether the server closed it (listener tests subclass it to read replies in their protocol's form).
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { ProtocolDescriptor } from '@sealwatch/protocols';
import { startTestPlatform } from '../testing/test-platform';
import { Admission } from '../ingest/admission';
import { DeviceDirectory } from '../ingest/device-directory';
import { GroupCommitter, IngestOverloadedError } from '../ingest/group-commit';
import { VendorIngestService } from '../ingest/vendor-ingest';
import { startVendorListener, type VendorListener, type VendorListenerOptions } from './listener-host';

/**
 * A vendor ingest service over the test platform's store (the platform does not expose its own),
 * whose commits kick the platform's processor as the real one does.
 */
export function buildVendorIngest(p: TestPlatform): VendorIngestService {
  const admission = new Admission({
    log: new GroupCommitter(p.ctx.store.observations, {
      maxPending: 10_000,
      maxRowsPerCommit: 10_000,
      onCommitted: () => p.ctx.processor.kick(),
    }),
    quarantine: p.ctx.store.quarantine,
    rules: { maxClockSkewMs: p.ctx.config.ingest.maxClockSkewMs, lateAfterMs: p.ctx.config.ingest.lateAfterMs },
    count: (status, reason) => p.ctx.metrics.countIngest(status, reason),
  });
  return new VendorIngestService({
    devices: new DeviceDirectory(p.ctx.store.devices),
    admission,
    now: Date.now,
    armings: (device) => p.ctx.store.custody.armings(device),
  });
}

/**
 * The vendor ingest a listener test hands to the listener: it keeps the raw bytes of every
 * frame it is given (`calls`) and, when `beforeIngest` is set, runs it first, so a test can hold
 * the answer (return a pending promise) or simulate overload (throw). `vendor` is set once the
 * test platform is up.
 */
export class IngestSpy {
  vendor: VendorIngestService | null = null;
  beforeIngest: ((raw: Buffer) => Promise<void>) | null = null;
  readonly calls: Buffer[] = [];

  /**
   * Ingest answers "overloaded" to the next `times` frames, then goes on; `assertRetried(frame)`
   * then checks that ingest saw only that frame, once per refusal and once more when it succeeded.
   */
  overload(times: number): { assertRetried(frame: Buffer): void } {
    let left = times;
    const before = this.calls.length;
    this.beforeIngest = async () => {
      if (left-- > 0) throw new IngestOverloadedError(1);
    };
    return {
      assertRetried: (frame) => {
        const calls = this.calls.slice(before);
        assert.equal(calls.length, times + 1, `${times} refusals, then the retry that succeeded`);
        for (const c of calls) assert.deepEqual(c, frame);
      },
    };
  }

  /** Holds every ingest until the returned function is called; `beforeIngest` is cleared then. */
  hold(): () => void {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    this.beforeIngest = () => held;
    return () => {
      this.beforeIngest = null;
      release();
    };
  }

  async ingest(...args: Parameters<VendorIngestService['ingest']>): ReturnType<VendorIngestService['ingest']> {
    this.calls.push(args[1]);
    if (this.beforeIngest) await this.beforeIngest(args[1]);
    return this.vendor!.ingest(...args);
  }
}

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

/** A listener under test, the platform under it, and its ingest spy. */
export interface ListenerUnderTest {
  p: TestPlatform;
  listener: VendorListener;
  ingest: IngestSpy;
  /** A device's stored observations, oldest first (at most 50). */
  rowsOf(device: string): Promise<Awaited<ReturnType<TestPlatform['ctx']['store']['observations']['listByDevice']>>['items']>;
  /** The options the listener was started with, to start another one in a test. */
  options: VendorListenerOptions;
  /**
   * Sends `bytes` from `d` while ingest is held, checks that after `waitMs` the device got no answer
   * and `device` no row, then lets ingest go on: what follows is answered only once durable.
   */
  sendWhileIngestHeld(d: TcpTestClient, bytes: Buffer, device: string, waitMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Log lines a listener test does not read. */
export const silentLog = { info: () => {}, warn: () => {} };

/**
 * Starts a test platform, registers `devices` through the API (each must answer 201), and starts
 * protocol `protocol`'s listener on a free loopback port, as the platform would (a device is known
 * when registered for the protocol under its id or IMEI), with a short overload pause.
 */
export async function startListenerUnderTest(
  protocol: ProtocolDescriptor,
  devices: object[],
  options: Partial<VendorListenerOptions> = {},
): Promise<ListenerUnderTest> {
  const p = await startTestPlatform();
  for (const payload of devices) {
    const res = await p.http.inject({ method: 'POST', url: '/api/v1/devices', headers: p.auth, payload });
    assert.equal(res.statusCode, 201, res.body);
  }
  const ingest = new IngestSpy();
  ingest.vendor = buildVendorIngest(p);
  const store = p.ctx.store.devices;
  const knows = async (id: string) =>
    ((await store.get(id as never)) ?? (await store.findByIdentifier('imei', id)))?.protocol === protocol.name;
  const o: VendorListenerOptions = { port: 0, host: '127.0.0.1', ingest, knows, log: silentLog, overloadPauseMs: 50, ...options };
  const listener = await startVendorListener(protocol, o);
  assert.ok(listener, `${protocol.name} listener started`);
  const rowsOf = async (device: string) =>
    (await p.ctx.store.observations.listByDevice(device as never, { order: 'asc' }, { limit: 50 })).items;
  return {
    p,
    listener,
    ingest,
    options: o,
    rowsOf,
    async sendWhileIngestHeld(d, bytes, device, waitMs = 150) {
      const release = ingest.hold();
      try {
        await d.write(bytes);
        await sleep(waitMs);
        assert.equal(d.received.length, 0, 'nothing is answered while ingest has not resolved');
        assert.equal((await rowsOf(device)).length, 0, `no row of ${device} while ingest has not resolved`);
      } finally {
        release();
      }
    },
    async close() {
      await listener.close();
      await p.cleanup();
    },
  };
}

/**
 * For a listener test file: starts the listener under test before its tests (startListenerUnderTest)
 * and closes it after them; the object returned is filled in when the tests run.
 */
export function useListenerUnderTest(
  protocol: ProtocolDescriptor,
  devices: object[],
  options: Partial<VendorListenerOptions> = {},
): ListenerUnderTest {
  const t = {} as ListenerUnderTest;
  before(async () => {
    Object.assign(t, await startListenerUnderTest(protocol, devices, options));
  });
  after(() => t.close());
  return t;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a TCP connection to 127.0.0.1:`port`. */
export function connectDevice(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** A device's end of a TCP connection: what it received, and whether the server closed it. */
export class TcpTestClient {
  received = Buffer.alloc(0);
  closed = false;
  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b: Buffer) => {
      this.received = Buffer.concat([this.received, b]);
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }
  write(b: Buffer): Promise<void> {
    return new Promise((r) => this.socket.write(b, () => r()));
  }
  /** Waits until `n` bytes arrived, and takes them. */
  async readBytes(n: number, timeoutMs = 5000): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (Date.now() > until) throw new Error(`expected ${n} bytes, got ${this.describeReceived()} (closed: ${this.closed})`);
      await sleep(5);
    }
    const out = this.received.subarray(0, n);
    this.received = this.received.subarray(n);
    return out;
  }
  /** Waits until `n` bytes arrived, and takes them as Latin-1 text. */
  async readText(n: number, timeoutMs = 5000): Promise<string> {
    return (await this.readBytes(n, timeoutMs)).toString('latin1');
  }
  /** Waits for a whole line (up to and with its LF), and takes it as Latin-1 text. */
  async readLine(timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (this.received.indexOf('\n') === -1) {
      if (Date.now() > until) throw new Error(`no line, got ${this.describeReceived()} (closed: ${this.closed})`);
      await sleep(5);
    }
    return this.readText(this.received.indexOf('\n') + 1);
  }
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > until) throw new Error('the server did not close the connection');
      await sleep(5);
    }
  }
  end() {
    this.socket.destroy();
  }
  /** The bytes received so far, for a timeout message. */
  protected describeReceived(): string {
    return this.received.toString('hex') || 'nothing';
  }
}

/** A device whose replies are ASCII text: reads give text, and a timeout shows what came as text. */
export class TextTestClient extends TcpTestClient {
  read(n: number, timeoutMs = 5000): Promise<string> {
    return this.readText(n, timeoutMs);
  }
  protected override describeReceived(): string {
    return JSON.stringify(this.received.toString());
  }
}
