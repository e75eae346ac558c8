/**
 * Test helpers for the vendor TCP listeners: a device's end of a connection, which records what the
 * server sent and whether the server closed it (listener tests subclass it to read replies in their
 * protocol's form: bytes for Teltonika, text for JT600), and the vendor ingest they run against.
 */
import { connect, type Socket } from 'node:net';
import type { startTestPlatform } from '../testing/test-platform';
import { Admission } from '../ingest/admission';
import { DeviceDirectory } from '../ingest/device-directory';
import { GroupCommitter } from '../ingest/group-commit';
import { VendorIngestService } from '../ingest/vendor-ingest';

/**
 * A vendor ingest service over the test platform's store (the platform does not expose its own),
 * whose commits kick the platform's processor as the real one does.
 */
export function buildVendorIngest(p: Awaited<ReturnType<typeof startTestPlatform>>): VendorIngestService {
  const admission = new Admission({
    log: new GroupCommitter(p.ctx.store.observations, { maxPending: 10_000, maxRowsPerCommit: 10_000, onCommitted: () => p.ctx.processor.kick() }),
    quarantine: p.ctx.store.quarantine,
    rules: { maxClockSkewMs: p.ctx.config.ingest.maxClockSkewMs, lateAfterMs: p.ctx.config.ingest.lateAfterMs },
    count: (status, reason) => p.ctx.metrics.countIngest(status, reason),
  });
  return new VendorIngestService({ devices: new DeviceDirectory(p.ctx.store.devices), admission, now: Date.now });
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

  async ingest(...args: Parameters<VendorIngestService['ingest']>): ReturnType<VendorIngestService['ingest']> {
    this.calls.push(args[1]);
    if (this.beforeIngest) await this.beforeIngest(args[1]);
    return this.vendor!.ingest(...args);
  }
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
    socket.on('data', (b: Buffer) => { this.received = Buffer.concat([this.received, b]); });
    socket.on('close', () => { this.closed = true; });
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
