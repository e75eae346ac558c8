/**
 * CPU profile of embedded OsmAnd ingest alone (one position per HTTP request from the socket
 * client in its worker thread; the 200 devices registered before the profiler starts):
 * `node --import tsx packages/server/bench/profile-osmand.ts [out.cpuprofile] [requests] [connections]`,
 * beside the raw node:http rate with the same client and connections. `node scripts/top-frames.mjs`
 * folds the profile (docs/performance.md).
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { startTestPlatform } from '../src/testing/test-platform';
import { adminHeaders } from './common';
import { flood } from './http-flood';

const out = process.argv[2] ?? 'osmand.cpuprofile';
const n = Number(process.argv[3] ?? 5000);
const connections = Number(process.argv[4] ?? 32);
const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
await p.listen();
for (let d = 0; d < 200; d++) {
  await p.http.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: adminHeaders,
    payload: { id: `OSM-${d}`, class: 'active', kind: 'tracker', protocol: 'osmand', identifiers: { imei: String(356307040000000 + d) } },
  });
}
const port = p.listeners().osmand;
const ts = Math.floor(Date.now() / 1000) - 30;
await flood(port, 500, { kind: 'osmand', devices: 200, firstImei: 356307040000000, timestamp: ts - 60 }); // warm
await p.ctx.processor.idle();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
await session.post('Profiler.start');
const rate = await flood(port, n, { kind: 'osmand', devices: 200, firstImei: 356307040000000, timestamp: ts }, connections);
await p.ctx.processor.idle();
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
const server = createServer((_req, res) => res.end());
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const raw = await flood((server.address() as { port: number }).port, n, { kind: 'fixed', path: '/?id=1' }, connections);
server.close();
console.log(
  `${connections} connections: OsmAnd ${Math.round(rate)} msg/s (profiled), raw node:http ${Math.round(raw)} req/s, ratio ${(rate / raw).toFixed(2)} → ${out}`,
);
await p.cleanup();
process.exit(0);
