/** Durable ingest throughput, embedded and cluster, and ingest-to-alert latency at half load. */
import type { SigningAlg } from '@sealwatch/core';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { startTestPlatform, mombasaOffice, malabaOffice, buildMovementBody } from '../src/testing/test-platform';
import { clusterNamespace } from '../src/testing/test-cluster';
import { adminHeaders, percentile, postAll, progress, signedFleet, urlOf, type TestPlatform } from './common';
import { flood } from './http-flood';

export const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
export const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 40_000);

/** Embedded mode: messages/s answered "accepted" (committed to SQLite). */
export async function embeddedIngest(alg: SigningAlg): Promise<number> {
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  try {
    await p.listen();
    const messages = await signedFleet(p, `E${alg}`, alg, DEVICES, MESSAGES);
    const rate = await postAll(urlOf(p), messages, `ingest ${alg} embedded`);
    await p.ctx.processor.idle();
    return rate;
  } finally {
    await p.cleanup();
  }
}

/** Cluster mode (one process with all roles): accepted/s (acknowledged by JetStream) and processed/s (stored and run through the rules in PostgreSQL). */
export async function clusterIngest(alg: SigningAlg): Promise<{ accepted: number; processed: number }> {
  const ns = clusterNamespace(16);
  const p = await startTestPlatform(ns.env);
  try {
    await p.listen();
    const messages = await signedFleet(p, `C${alg}`, alg, DEVICES, MESSAGES);
    const t0 = performance.now();
    const accepted = await postAll(urlOf(p), messages, `ingest ${alg} cluster`);
    for (;;) {
      const n = await p.ctx.store.observations.lastId();
      progress(`processing ${alg} cluster`, Math.min(n, MESSAGES), MESSAGES);
      if (n >= MESSAGES) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return { accepted, processed: MESSAGES / ((performance.now() - t0) / 1000) };
  } finally {
    await p.cleanup();
    await ns.destroy();
  }
}

/** Ingest → alert on the stream, sampled while a background load runs at `rate` messages/s. */
export async function alertLatencyUnderLoad(rate: number, samples = 40): Promise<{ p50: number; p99: number }> {
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  try {
    await p.listen();
    const background = await signedFleet(p, 'BG', 'EdDSA', 200, Math.ceil(rate * 25));
    for (const o of [mombasaOffice, malabaOffice])
      await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: adminHeaders, payload: o });
    const key = generateDeviceKey('EdDSA');
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: adminHeaders,
      payload: { id: 'LAT-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration },
    });
    let stop = false;
    const url = urlOf(p);
    const bgBatch = 100;
    const loader = (async () => {
      const start = performance.now();
      for (let sent = 0; !stop && sent < background.length; sent += bgBatch) {
        const due = start + (sent / rate) * 1000;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        await fetch(`${url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messages: background.slice(sent, sent + bgBatch) }),
        });
      }
    })();
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const m = (
        await p.http.inject({
          method: 'POST',
          url: '/api/v1/movements',
          headers: adminHeaders,
          payload: buildMovementBody({ devices: ['LAT-1'] }),
        })
      ).json();
      await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/start`, headers: adminHeaders, payload: {} });
      const seen = waitForAlert(p, m.id);
      const t0 = performance.now();
      await fetch(`${url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: signMessage(key, { device: 'LAT-1', seq: i * 2, time: new Date().toISOString(), seal: { state: 'tampered' } }),
      });
      latencies.push((await seen) - t0);
      await fetch(`${url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: signMessage(key, { device: 'LAT-1', seq: i * 2 + 1, time: new Date().toISOString(), seal: { state: 'closed' } }),
      });
      await p.http.inject({ method: 'POST', url: `/api/v1/movements/${m.id}/arrive`, headers: adminHeaders, payload: {} });
      progress('alert latency at half load', i + 1, samples);
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await loader;
    latencies.sort((a, b) => a - b);
    return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  } finally {
    await p.cleanup();
  }
}

function waitForAlert(p: TestPlatform, movement: string): Promise<number> {
  return new Promise((resolve) => {
    const off = p.ctx.bus.subscribe((msg) => {
      if (msg.kind === 'alert' && msg.data.movement === movement) {
        off();
        resolve(performance.now());
      }
    });
  });
}

/** Sends `n` GET requests to `url(i)` from `concurrency` clients; requests/s. */
async function hammer(n: number, url: (i: number) => string, label: string, concurrency = 32): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        for (;;) {
          const r = await fetch(url(i));
          await r.body?.cancel();
          if (r.status === 200) break;
          if (r.status !== 503) throw new Error(`${label}: HTTP ${r.status}`);
          await new Promise((res) => setTimeout(res, 100));
        }
        if (i % 500 === 0 || i === n - 1) progress(label, i + 1, n);
      }
    }),
  );
  progress(label, n, n);
  return n / ((performance.now() - t0) / 1000);
}

/** Raw limit for one-message-per-request protocols: a node:http server that only answers 200. */
export async function rawHttpRate(n = 20_000, client: 'fetch' | 'sockets' = 'fetch'): Promise<number> {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    if (client === 'sockets') return await flood(port, n, { kind: 'fixed', path: '/?id=1' });
    return await hammer(n, () => `http://127.0.0.1:${port}/?id=1`, 'raw node:http');
  } finally {
    server.close();
  }
}

/** Unsigned vendor messages (OsmAnd, one position per HTTP request), durable: messages/s. */
export async function vendorIngest(mode: 'embedded' | 'cluster', n = 20_000, client: 'fetch' | 'sockets' = 'fetch'): Promise<number> {
  const ns = mode === 'cluster' ? clusterNamespace(16) : null;
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off', ...(ns?.env ?? {}) });
  try {
    await p.listen();
    for (let d = 0; d < 200; d++) {
      await p.http.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: adminHeaders,
        payload: {
          id: `OSM-${d}`,
          class: 'active',
          kind: 'tracker',
          protocol: 'osmand',
          identifiers: { imei: String(356307040000000 + d) },
        },
      });
    }
    const base = `http://127.0.0.1:${p.listeners().osmand}`;
    const ts = Math.floor(Date.now() / 1000) - 30;
    if (client === 'sockets')
      return await flood(p.listeners().osmand, n, { kind: 'osmand', devices: 200, firstImei: 356307040000000, timestamp: ts });
    // Each request a new position: a vendor observation identical in device, time and content is a duplicate, stored once.
    return await hammer(
      n,
      (i) => `${base}/?id=${356307040000000 + (i % 200)}&lat=${(-1.29 - i * 1e-6).toFixed(6)}&lon=36.82&timestamp=${ts}&speed=30&batt=80`,
      `ingest OsmAnd ${mode}`,
    );
  } finally {
    await p.cleanup();
    await ns?.destroy();
  }
}
