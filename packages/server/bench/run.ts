/**
 * `npm run bench`: durable ingest throughput of the embedded mode over a real socket, for
 * EdDSA- and HS256-signed messages, and the end-to-end latency from ingest to the alert on the
 * stream, each printed beside the machine's raw limit measured in the same run.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { generateDeviceKey, signMessage, type DeviceSigningKey } from '@sealwatch/sim/signer';
import type { SigningAlg } from '@sealwatch/core';
import { startTestPlatform, mombasaOffice, malabaOffice, buildMovementBody, TEST_TOKEN } from '../src/testing/test-platform';
import { ed25519VerifyRate, ed25519VerifyRateAllCores, sqliteInsertRate } from './raw-limits';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 40_000);
const BATCH = 500;
const CONCURRENCY = 4;

const rows: [string, string, string, string][] = [];
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
const shown = new Map<string, number>();
/** A progress bar on stderr, redrawn only when it grows. */
const progress = (label: string, done: number, total: number) => {
  const w = 30;
  const k = Math.round((done / total) * w);
  if ((shown.get(label) ?? -1) >= (done === total ? w + 1 : k)) return;
  shown.set(label, done === total ? w + 1 : k);
  process.stderr.write(`\r  ${label.padEnd(28)} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
};

async function ingestThroughput(alg: SigningAlg): Promise<number> {
  const p = await startTestPlatform({ SEALWATCH_LOG_LEVEL: 'silent' });
  try {
    const base = `http://127.0.0.1:${(await p.listen(), (p.http.server.address() as { port: number }).port)}`;
    const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
    const keys: DeviceSigningKey[] = [];
    for (let d = 0; d < DEVICES; d++) {
      const key = generateDeviceKey(alg);
      keys.push(key);
      await p.http.inject({ method: 'POST', url: '/api/v1/devices', headers, payload: { id: `B-${d}`, class: 'active', kind: 'tracker', protocol: 'native', key: key.registration } });
    }
    const messages: string[] = [];
    const t = Date.now();
    for (let i = 0; i < MESSAGES; i++) {
      const d = i % DEVICES;
      messages.push(signMessage(keys[d], { device: `B-${d}`, seq: Math.floor(i / DEVICES), time: new Date(t - 60_000 + (i % 1000)).toISOString(), position: { lat: -1 + d / 1e4, lon: 36 }, seal: { state: 'closed' }, battery: { level: 80 } }));
      if (i % 5000 === 4999) progress(`signing ${alg}`, i + 1, MESSAGES);
    }
    let next = 0;
    let accepted = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < messages.length) {
        const batch = messages.slice(next, next + BATCH);
        next += BATCH;
        const r = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: batch }) });
        const body = (await r.json()) as { results: { status: string }[] };
        accepted += body.results.filter((x) => x.status === 'accepted').length;
        progress(`ingest ${alg}`, Math.min(next, messages.length), messages.length);
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    if (accepted !== MESSAGES) throw new Error(`only ${accepted} of ${MESSAGES} accepted`);
    await p.ctx.processor.idle();
    return MESSAGES / seconds;
  } finally {
    await p.cleanup();
  }
}

/** Ingest → alert on the SSE stream, one tamper message at a time while a background load runs. */
async function alertLatency(samples = 50): Promise<{ p50: number; p99: number }> {
  const p = await startTestPlatform({ SEALWATCH_LOG_LEVEL: 'silent' });
  try {
    const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
    for (const o of [mombasaOffice, malabaOffice]) await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers, payload: o });
    const key = generateDeviceKey('EdDSA');
    await p.http.inject({ method: 'POST', url: '/api/v1/devices', headers, payload: { id: 'LAT-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration } });
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const m = (await p.http.inject({ method: 'POST', url: '/api/v1/movements', headers, payload: buildMovementBody({ devices: ['LAT-1'] }) })).json();
      await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/start`, headers, payload: {} });
      const seen = new Promise<number>((resolve) => {
        const off = p.ctx.bus.subscribe((msg) => {
          if (msg.kind === 'alert' && msg.data.movement === m.id) {
            off();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      await p.ctx.ingest.ingest([signMessage(key, { device: 'LAT-1', seq: i * 2, time: new Date().toISOString(), seal: { state: 'tampered' } })], { transport: 'bench', remote: null });
      latencies.push((await seen) - t0);
      await p.ctx.ingest.ingest([signMessage(key, { device: 'LAT-1', seq: i * 2 + 1, time: new Date().toISOString(), seal: { state: 'closed' } })], { transport: 'bench', remote: null });
      await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/arrive`, headers, payload: {} });
      progress('alert latency', i + 1, samples);
    }
    latencies.sort((a, b) => a - b);
    return { p50: latencies[Math.floor(samples * 0.5)], p99: latencies[Math.min(samples - 1, Math.floor(samples * 0.99))] };
  } finally {
    await p.cleanup();
  }
}

async function main() {
  console.log(`Sealwatch bench — ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  const edOne = ed25519VerifyRate();
  const edAll = await ed25519VerifyRateAllCores();
  const sqlFull = sqliteInsertRate('FULL');
  const sqlNormal = sqliteInsertRate('NORMAL');
  rows.push(['raw: Ed25519 verify, 1 core', fmt(edOne), '/s', '']);
  rows.push(['raw: Ed25519 verify, all cores', fmt(edAll), '/s', '']);
  rows.push(['raw: SQLite insert FULL, indexed', fmt(sqlFull), 'rows/s', '']);
  rows.push(['raw: SQLite insert NORMAL, indexed', fmt(sqlNormal), 'rows/s', '']);
  const ed = await ingestThroughput('EdDSA');
  rows.push(['ingest EdDSA, HTTP, durable', fmt(ed), 'msg/s', `${((ed / edAll) * 100).toFixed(0)}% of Ed25519 all cores; ${((ed / sqlFull) * 100).toFixed(0)}% of SQLite FULL`]);
  const hs = await ingestThroughput('HS256');
  rows.push(['ingest HS256, HTTP, durable', fmt(hs), 'msg/s', `${((hs / sqlFull) * 100).toFixed(0)}% of SQLite FULL`]);
  const lat = await alertLatency();
  rows.push(['ingest → alert on stream p50', fmt(lat.p50), 'ms', 'idle system, one message at a time']);
  rows.push(['ingest → alert on stream p99', fmt(lat.p99), 'ms', '']);

  const w = [36, 12, 7];
  console.log(`\n${'measure'.padEnd(w[0])} ${'value'.padStart(w[1])} ${'unit'.padEnd(w[2])} ratio`);
  console.log('-'.repeat(100));
  for (const [a, b, c, d] of rows) console.log(`${a.padEnd(w[0])} ${b.padStart(w[1])} ${c.padEnd(w[2])} ${d}`);
  console.log(`\n(${DEVICES} devices, ${MESSAGES} messages per run, batches of ${BATCH}, ${CONCURRENCY} concurrent clients)`);
}

await main();
