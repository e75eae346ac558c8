/**
 * A device fleet for crash tests: each device sends its messages in seq order, in batches, and
 * resends a batch with the same bytes until it gets an answer, as a real device with a buffer
 * does. Every ninth message of a device reports a tampered seal, the next ones a closed seal, so
 * the number of seal_tampered occurrences is known exactly.
 */
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';

export interface FleetDevice {
  id: string;
  key: DeviceSigningKey;
  next: number;
}

export function makeFleet(n: number, prefix: string): FleetDevice[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, key: generateDeviceKey('EdDSA'), next: 1 }));
}

export const isTamper = (seq: number) => seq % 10 === 9;

export class FleetLoad {
  /** (device → acknowledged seqs): accepted or duplicate answers. */
  readonly acked = new Map<string, Set<number>>();
  retries = 0;
  /** HTTP statuses seen other than 200, with whether Retry-After came with them. */
  readonly refusals = new Map<string, number>();
  /** The problem codes of those refusals (`log_unavailable`, `store_unavailable`, `overloaded`, …). */
  readonly codes = new Map<string, number>();
  private stopped = false;
  private running: Promise<void>[] = [];

  constructor(
    private readonly devices: FleetDevice[],
    private readonly urls: () => string[],
    private readonly batch = 20,
  ) {}

  start(): void {
    this.running = this.devices.map((d) => this.runDevice(d));
  }

  /** How many messages were acknowledged so far. */
  get ackedCount(): number {
    let n = 0;
    for (const s of this.acked.values()) n += s.size;
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  private async runDevice(d: FleetDevice): Promise<void> {
    let turn = 0;
    while (!this.stopped) {
      const seqs = Array.from({ length: this.batch }, (_, i) => d.next + i);
      const t0 = Date.now();
      const messages = seqs.map((seq, i) =>
        signMessage(d.key, {
          device: d.id,
          seq,
          time: new Date(t0 - (this.batch - i)).toISOString(),
          seal: { state: isTamper(seq) ? 'tampered' : 'closed' },
          position: { lat: -3, lon: 39 },
        }),
      );
      // Resend the very same bytes until answered: the server must answer duplicate for those it had.
      for (;;) {
        const urls = this.urls();
        const url = urls[turn++ % urls.length];
        try {
          const r = await fetch(`${url}/api/v1/ingest`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ messages }),
            signal: AbortSignal.timeout(5000),
          });
          if (r.status === 200) {
            const { results } = (await r.json()) as { results: { seq: number; status: string; reason?: string }[] };
            const set = this.acked.get(d.id) ?? new Set<number>();
            for (const x of results) {
              if (x.status === 'accepted' || x.status === 'duplicate') set.add(x.seq);
              else throw new Error(`${d.id} seq ${x.seq} rejected: ${x.reason}`);
            }
            this.acked.set(d.id, set);
            break;
          }
          const key = `${r.status}${r.headers.get('retry-after') ? ' retry-after' : ''}`;
          this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
          const problem = (await r.json().catch(() => ({}))) as { code?: string };
          const code = `${r.status} ${problem.code ?? '(no problem code)'}`;
          this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
        } catch (e) {
          if ((e as Error).message.includes('rejected')) throw e;
        }
        this.retries++;
        await new Promise((r) => setTimeout(r, 100));
      }
      d.next += this.batch;
    }
  }
}
