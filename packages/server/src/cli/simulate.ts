/** `sealwatch simulate`: a fleet of signed devices against a running server, with progress. */
import type { SigningAlg } from '@sealwatch/core';

export async function simulateCommand(
  opts: { url: string; token?: string; devices: string; interval: string; duration: string; alg: string; seed: string },
  env: Record<string, string | undefined>,
): Promise<void> {
  const token = opts.token ?? env.SEALWATCH_ADMIN_TOKEN;
  if (!token) throw new Error('an admin token is needed: --token or SEALWATCH_ADMIN_TOKEN');
  if (!['EdDSA', 'ES256', 'HS256'].includes(opts.alg)) throw new Error(`--alg must be EdDSA, ES256 or HS256, not ${opts.alg}`);
  const { SealwatchClient, simulateFleet } = await import('@sealwatch/sim');
  const client = new SealwatchClient(fetch as never, opts.url, token);
  const durationS = Number(opts.duration);
  const started = Date.now();
  const counts = await simulateFleet({
    client,
    devices: Number(opts.devices),
    intervalMs: Number(opts.interval) * 1000,
    durationS,
    alg: opts.alg as SigningAlg,
    seed: opts.seed,
    onProgress: (p: Record<string, number>) => {
      // A bar redrawn in place on a terminal only; the final counts go to stdout either way.
      if (!process.stderr.isTTY) return;
      const elapsed = (Date.now() - started) / 1000;
      const width = 30;
      const done = Math.min(width, Math.round((elapsed / durationS) * width));
      const summary = Object.entries(p)
        .map(([k, v]) => `${k} ${v}`)
        .join('  ');
      process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${elapsed.toFixed(0)}/${durationS}s  ${summary}   `);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}
