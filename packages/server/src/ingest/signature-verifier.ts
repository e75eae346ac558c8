/**
 * Verifies JWS signatures without blocking the event loop for a whole batch: asymmetric
 * signatures of large batches go to a pool of worker threads (one per core by default);
 * small batches and HMACs, which cost microseconds, stay on the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import type { DeviceKey } from '@sealwatch/core';
import { importVerifyKey, verifySignature } from './jws-crypto.mjs';

export interface VerifyJob {
  key: DeviceKey;
  /** Stable identity of the key material (device id + fingerprint), for key caches. */
  keyId: string;
  /** JWS: ASCII `header.payload`; COSE: the Sig_structure / MAC_structure bytes. */
  signingInput: string | Uint8Array;
  signature: Buffer;
}

/** Below this many asymmetric signatures a batch is verified inline (~0.1 ms each). */
const INLINE_LIMIT = 16;

export class SignatureVerifier {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (r: boolean[]) => void>();
  /** Jobs in flight per worker: a busy worker keeps the process alive, an idle one does not. */
  private readonly busy = new Map<Worker, number>();
  private readonly keyCache = new Map<string, KeyObject | Buffer>();
  private nextId = 1;
  private turn = 0;

  constructor(workerCount: number) {
    for (let i = 0; i < workerCount; i++) {
      const w = new Worker(new URL('./verify-worker.mjs', import.meta.url));
      w.on('message', ({ id, results }: { id: number; results: boolean[] }) => {
        this.pending.get(id)?.(results);
        this.pending.delete(id);
        const left = (this.busy.get(w) ?? 1) - 1;
        this.busy.set(w, left);
        if (left === 0) w.unref();
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /** True/false per job, in order. A malformed key verifies nothing (false). */
  async verifyMany(jobs: VerifyJob[]): Promise<boolean[]> {
    const asymmetric = jobs.filter((j) => j.key.alg !== 'HS256').length;
    if (this.workers.length === 0 || asymmetric < INLINE_LIMIT) return jobs.map((j) => this.verifyInline(j));
    const chunk = Math.ceil(jobs.length / this.workers.length);
    const parts: Promise<boolean[]>[] = [];
    for (let i = 0; i < jobs.length; i += chunk) parts.push(this.onWorker(jobs.slice(i, i + chunk)));
    return (await Promise.all(parts)).flat();
  }

  private verifyInline(job: VerifyJob): boolean {
    try {
      let k = this.keyCache.get(job.keyId);
      if (!k) {
        if (this.keyCache.size > 200_000) this.keyCache.clear();
        k = importVerifyKey(job.key);
        this.keyCache.set(job.keyId, k);
      }
      return verifySignature(job.key.alg, k, job.signingInput, job.signature);
    } catch {
      return false;
    }
  }

  private onWorker(jobs: VerifyJob[]): Promise<boolean[]> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length];
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
      worker.ref();
      worker.postMessage({ id, jobs });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
