/**
 * The track route's own work without HTTP, for counting instructions where wall time is noise:
 * `node --import tsx packages/server/bench/count-track.ts <file.db> <tolerance|full> <requests>`
 * stores the 50k-position track in the SQLite file if it is empty, then reads and answers it
 * `requests` times as the route does (`simplifiedTrackCollection` or `fullTrackJson`, the
 * answer's text), after one warm-up. Run under `valgrind --tool=callgrind` with 0 and with N requests: the difference
 * divided by N is the instructions per request, whatever else runs on the machine.
 */
import { asDeviceId, meters, toTimestamp } from '@sealwatch/core';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store';
import { fullTrackJson, simplifiedTrackCollection } from '../src/registry/movement-track';
import { windingTrack } from './scale-bench';

const [file, mode = '50', requestsArg = '1'] = process.argv.slice(2);
const POINTS = 50_000;
const start = Date.UTC(2026, 10, 1);
const store = await openSqliteStore({ file: file! });
if ((await store.observations.lastId()) === 0) {
  for (let i = 0; i < POINTS; i += 5000) await store.observations.append(windingTrack(POINTS, start, i, Math.min(POINTS, i + 5000)));
}
const devices = [asDeviceId('TRK-1')];
const window = { from: toTimestamp(start - 1000) };
let bytes = 0;
const answer = async () => {
  if (mode === 'full') {
    for await (const chunk of fullTrackJson(store.observations, devices, window, POINTS, {})) bytes += chunk.length;
  } else {
    const answer = await simplifiedTrackCollection(store.observations, devices, window, meters(Number(mode)), POINTS, {});
    bytes += JSON.stringify(answer).length;
  }
};
await answer(); // warm: compiled code and SQLite's page cache
bytes = 0;
const cpu0 = process.cpuUsage();
for (let n = 0; n < Number(requestsArg); n++) await answer();
const cpu = process.cpuUsage(cpu0);
const perRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, Number(requestsArg));
console.log(`${mode}: ${requestsArg} requests, ${bytes} bytes, ${perRequest.toFixed(1)} ms CPU per request`);
await store.close();
