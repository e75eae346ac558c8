/** Shared pieces of the benchmarks: a results table, progress bars, fleets of signed messages. */
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import type { SigningAlg } from '@sealwatch/core';
import type { startTestPlatform } from '../src/testing/test-platform';
import { TEST_TOKEN } from '../src/testing/test-platform';
import { progressReporter } from '../src/ops/progress';

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
export const adminHeaders = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

export const rows: [string, string, string, string][] = [];
export const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
export const record = (measure: string, value: number, unit: string, ratio = '') => rows.push([measure, fmt(value), unit, ratio]);

const reporter = progressReporter(process.stderr);
/** A progress bar on a terminal; one line per finished stage into a file (`npm run bench > file`). */
export function progress(label: string, done: number, total: number): void {
  reporter.update(label, done, total);
}

/** Registers `devices` native devices through the API and signs `messages` messages round-robin. */
export async function signedFleet(p: TestPlatform, prefix: string, alg: SigningAlg, devices: number, messages: number): Promise<string[]> {
  const keys: DeviceSigningKey[] = [];
  for (let d = 0; d < devices; d++) {
    const key = generateDeviceKey(alg);
    keys.push(key);
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: adminHeaders,
      payload: { id: `${prefix}-${d}`, class: 'active', kind: 'tracker', protocol: 'native', key: key.registration },
    });
  }
  const out: string[] = [];
  const t = Date.now();
  for (let i = 0; i < messages; i++) {
    const d = i % devices;
    out.push(
      signMessage(keys[d], {
        device: `${prefix}-${d}`,
        seq: Math.floor(i / devices),
        time: new Date(t - 60_000 + (i % 1000)).toISOString(),
        position: { lat: -1 + d / 1e4, lon: 36 },
        seal: { state: 'closed' },
        battery: { level: 80 },
      }),
    );
    if (i % 5000 === 4999 || i === messages - 1) progress(`signing ${alg} (${prefix})`, i + 1, messages);
  }
  return out;
}

/** Posts messages over real HTTP in batches from several concurrent clients; returns messages/s durably accepted. */
export async function postAll(url: string, messages: string[], label: string, batch = 500, concurrency = 4): Promise<number> {
  let next = 0;
  let accepted = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < messages.length) {
        const slice = messages.slice(next, next + batch);
        next += batch;
        for (;;) {
          const r = await fetch(`${url}/api/v1/ingest`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ messages: slice }),
          });
          if (r.status === 503) {
            await r.body?.cancel();
            await new Promise((res) => setTimeout(res, 200));
            continue;
          }
          const body = (await r.json()) as { results: { status: string }[] };
          accepted += body.results.filter((x) => x.status === 'accepted').length;
          break;
        }
        progress(label, Math.min(next, messages.length), messages.length);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (accepted !== messages.length) throw new Error(`${label}: only ${accepted} of ${messages.length} accepted`);
  return messages.length / seconds;
}

export const urlOf = (p: TestPlatform) => `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;

export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}
