/**
 * `npm run bench`: one table of Sealwatch's figures, each beside the machine's raw limit measured
 * in the same run. Environment: BENCH_DEVICES, BENCH_MESSAGES, BENCH_SKIP_CLUSTER=1, BENCH_ONLY=cluster
 * (only the cluster rows and their raw limits: a before/after of the cluster path in minutes).
 *
 * `npm run bench -- <group> ...` (or BENCH_ONLY=<group>,...) runs only the named groups, with the
 * raw limits their ratios need: embedded, osmand, alert, cluster, decode, processor, memory, track.
 * No name runs all.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { TEST_DATABASE_URL, TEST_NATS_URL } from '../src/testing/test-cluster';
import { record, rows } from './common';
import { alertLatencyUnderLoad, clusterIngest, DEVICES, embeddedIngest, MESSAGES, rawHttpRate, vendorIngest } from './ingest-bench';
import { ed25519VerifyRate, ed25519VerifyRateAllCores, jetstreamPublishRate, postgresInsertRate, sqliteInsertRate } from './raw-limits';
import { memoryPerDevice, processorCost, sealRuleCost, trackQuery } from './scale-bench';
import { decodeRate, decodeStreams, meanFrameBytes, rawSocketBytesPerSecond } from './decode-bench';

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;

const groups = ['embedded', 'osmand', 'alert', 'cluster', 'decode', 'processor', 'memory', 'track'] as const;
const asked = process.argv.length > 2 ? process.argv.slice(2) : (process.env.BENCH_ONLY?.split(',').filter(Boolean) ?? []);
for (const g of asked)
  if (!(groups as readonly string[]).includes(g)) throw new Error(`unknown bench group ${g}; known: ${groups.join(', ')}`);
const want = (g: (typeof groups)[number]) => asked.length === 0 || asked.includes(g);

async function main() {
  console.log(
    `Sealwatch bench — ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
  );
  // Ed25519 on all cores is the ceiling of EdDSA ingest and sets the alert run's load.
  let edAll = NaN;
  let ed = NaN;
  if (want('embedded') || want('alert') || want('cluster')) {
    const edOne = ed25519VerifyRate();
    edAll = await ed25519VerifyRateAllCores();
    record('raw: Ed25519 verify, 1 core', edOne, '/s');
    record('raw: Ed25519 verify, all cores', edAll, '/s');
  }
  if (want('embedded') || want('alert')) {
    const sqlFull = sqliteInsertRate('FULL');
    record('raw: SQLite insert, FULL, indexed', sqlFull, 'rows/s');
    ed = await embeddedIngest('EdDSA');
    record('embedded ingest EdDSA (durable)', ed, 'msg/s', `${pct(ed, edAll)} of Ed25519 all cores; ${pct(ed, sqlFull)} of SQLite`);
    if (want('embedded')) {
      const hs = await embeddedIngest('HS256');
      record('embedded ingest HS256 (durable)', hs, 'msg/s', `${pct(hs, sqlFull)} of SQLite`);
    }
  }
  let httpRaw = NaN;
  if (want('osmand') || want('cluster')) {
    httpRaw = await rawHttpRate();
    record('raw: node:http, 1 request per message', httpRaw, 'req/s');
  }
  if (want('osmand')) {
    const osm = await vendorIngest('embedded');
    record('embedded ingest OsmAnd, unsigned (durable)', osm, 'msg/s', `${pct(osm, httpRaw)} of raw node:http`);
    // The same two with a client that is not the bottleneck: raw keep-alive sockets in a worker thread.
    const httpSockets = await rawHttpRate(20_000, 'sockets');
    record('raw: node:http, keep-alive socket client', httpSockets, 'req/s', `${pct(httpSockets, httpRaw)} of the fetch client's`);
    const osmSockets = await vendorIngest('embedded', 20_000, 'sockets');
    record('embedded OsmAnd, socket client', osmSockets, 'msg/s', `${pct(osmSockets, httpSockets)} of raw node:http, same client`);
  }

  if (want('alert')) {
    const lat = await alertLatencyUnderLoad(ed / 2);
    record(`ingest → alert on stream p50, ${Math.round(ed / 2)} msg/s`, lat.p50, 'ms', 'half the embedded EdDSA rate');
    record('ingest → alert on stream p99', lat.p99, 'ms');
  }

  if (want('cluster') && !process.env.BENCH_SKIP_CLUSTER) await clusterRows(edAll, httpRaw);

  if (want('decode')) {
    const socketBytes = await rawSocketBytesPerSecond();
    record('raw: loopback TCP, one connection', socketBytes / 2 ** 20, 'MiB/s');
    for (const protocol of Object.keys(decodeStreams)) {
      const r = decodeRate(protocol);
      const socketFrames = socketBytes / meanFrameBytes(protocol);
      record(
        `decode ${protocol} (splitter + session)`,
        r.frames,
        'frames/s',
        `${Math.round(r.observations)} obs/s; ${pct(r.frames, socketFrames)} of raw TCP in its frames`,
      );
    }
  }

  if (want('processor')) {
    const rule = sealRuleCost();
    record('detector: seal rule per observation', rule, 'µs', 'pure function');
    const proc = await processorCost();
    record('processor per observation (embedded)', proc, 'µs', 'state + rules + atomic commit');
  }
  if (want('memory')) {
    const mem = await memoryPerDevice();
    record('memory per tracked device (100k)', mem.heap, 'B heap', `RSS ${Math.round(mem.rss)} B/device`);
  }
  if (want('track')) {
    const track = await trackQuery();
    record('track query, 50k points, median', track.median, 'ms', `p90 ${Math.round(track.p90)} ms`);
    record('track query, 50k points, 50 m for a map', track.simplifiedMedian, 'ms', `${track.kept} points kept`);
  }

  printTable();
}

function printTable() {
  const w = [40, 12, 8];
  console.log(`\n${'measure'.padEnd(w[0])} ${'value'.padStart(w[1])} ${'unit'.padEnd(w[2])} ratio`);
  console.log('-'.repeat(110));
  for (const [a, b, c, d] of rows) console.log(`${a.padEnd(w[0])} ${(b === 'NaN' ? '—' : b).padStart(w[1])} ${c.padEnd(w[2])} ${d}`);
  console.log(
    `\n(${DEVICES} devices and ${MESSAGES} messages per ingest run, batches of 500 from 4 concurrent HTTP clients over loopback)`,
  );
}

/** The cluster rows: PostgreSQL and JetStream raw limits, cluster ingest and processing. */
async function clusterRows(edAll: number, httpRaw: number): Promise<void> {
  const pgRaw = await postgresInsertRate(TEST_DATABASE_URL);
  const jsRaw = await jetstreamPublishRate(TEST_NATS_URL);
  record('raw: PostgreSQL insert, indexed', pgRaw, 'rows/s');
  record('raw: JetStream publish, acked, file', jsRaw, 'msg/s');
  const cl = await clusterIngest('EdDSA');
  record(
    'cluster ingest EdDSA (JetStream ack)',
    cl.accepted,
    'msg/s',
    `${pct(cl.accepted, edAll)} of Ed25519 all cores; ${pct(cl.accepted, jsRaw)} of JetStream`,
  );
  record('cluster processing (PostgreSQL)', cl.processed, 'obs/s', `${pct(cl.processed, pgRaw)} of PostgreSQL insert`);
  const clh = await clusterIngest('HS256');
  record('cluster ingest HS256 (JetStream ack)', clh.accepted, 'msg/s', `${pct(clh.accepted, jsRaw)} of JetStream`);
  const clo = await vendorIngest('cluster');
  record('cluster ingest OsmAnd, unsigned', clo, 'msg/s', `${pct(clo, httpRaw)} of raw node:http`);
}

await main();
process.exit(0);
