/**
 * CPU profile of the track route alone (the 50k positions stored before the profiler starts):
 * `node --import tsx packages/server/bench/profile-track.ts [tolerance|full] [out.cpuprofile] [requests]`.
 * Prints the CPU time per request (`process.cpuUsage()`, which hardly moves when other processes
 * share the cores, unlike wall time) beside the wall median; `node scripts/top-frames.mjs` folds
 * the profile (docs/performance.md, "Track for display").
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { adminHeaders, percentile } from './common';
import { trackPlatform } from './scale-bench';

const mode = process.argv[2] ?? '50';
const out = process.argv[3] ?? `track-${mode}.cpuprofile`;
const requests = Number(process.argv[4] ?? 20);
const { p, movementId } = await trackPlatform(50_000);
const url = `/api/v1/movements/${movementId}/track${mode === 'full' ? '' : `?tolerance=${mode}`}`;
const get = async () => {
  const r = await p.http.inject({ method: 'GET', url, headers: adminHeaders });
  if (r.statusCode !== 200) throw new Error(`track: ${r.statusCode}`);
  return r.body.length;
};
for (let i = 0; i < 3; i++) await get(); // warm: compiled code and SQLite's page cache
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
await session.post('Profiler.start');
const walls: number[] = [];
let bytes = 0;
const cpu0 = process.cpuUsage();
for (let i = 0; i < requests; i++) {
  const t0 = performance.now();
  bytes = await get();
  walls.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
walls.sort((a, b) => a - b);
const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
console.log(
  `track ${mode}: ${cpuMs.toFixed(1)} ms CPU per request, wall median ${percentile(walls, 0.5).toFixed(1)} ms, ${bytes} bytes → ${out}`,
);
await p.cleanup();
process.exit(0);
