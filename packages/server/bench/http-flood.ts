/**
 * A load client that is not the bottleneck for one-request-per-message protocols (OsmAnd): raw
 * TCP sockets with keep-alive, one request in flight per connection, in a worker thread (its own
 * event loop, so the server under test does not share one with its client). fetch in the server's
 * own process spent more CPU than the answers it timed (docs/performance.md).
 */
import { Worker } from 'node:worker_threads';

/** How the worker names request `i`'s path: the raw limit's constant path, or an OsmAnd position. */
export type FloodPaths = { kind: 'fixed'; path: string } | { kind: 'osmand'; devices: number; firstImei: number; timestamp: number };

// Plain JavaScript, run with `eval`: no TypeScript loader is needed in the worker.
const worker = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, n, connections, paths } = workerData;
const pathOf = (i) => paths.kind === 'fixed' ? paths.path
  : '/?id=' + (paths.firstImei + (i % paths.devices)) + '&lat=' + (-1.29 - i * 1e-6).toFixed(6) + '&lon=36.82&timestamp=' + paths.timestamp + '&speed=30&batt=80';
let next = 0, done = 0, retries = 0, failed = null;
const t0 = performance.now();
function connection() {
  return new Promise((resolve) => {
    let socket, buf = '', current = -1;
    const open = () => {
      socket = net.connect(port, '127.0.0.1', send);
      socket.setNoDelay(true);
      socket.setEncoding('latin1');
      socket.on('data', onData);
      socket.on('error', (e) => { failed = String(e); resolve(); });
    };
    const send = () => {
      if (current < 0) { if (next >= n || failed) { socket.end(); return resolve(); } current = next++; }
      socket.write('GET ' + pathOf(current) + ' HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: keep-alive\\r\\n\\r\\n');
    };
    function onData(chunk) {
      buf += chunk;
      for (;;) {
        const head = buf.indexOf('\\r\\n\\r\\n');
        if (head < 0) return;
        const headers = buf.slice(0, head).toLowerCase();
        const status = Number(headers.slice(9, 12));
        let end;
        const len = /\\r\\ncontent-length: *(\\d+)/.exec(headers);
        if (len) end = head + 4 + Number(len[1]);
        else if (headers.includes('transfer-encoding: chunked')) {
          const last = buf.indexOf('\\r\\n0\\r\\n\\r\\n', head);
          end = last < 0 ? -1 : last + 7;
          if (buf.startsWith('0\\r\\n\\r\\n', head + 4)) end = head + 9;
        } else end = head + 4;
        if (end < 0 || buf.length < end) return;
        buf = buf.slice(end);
        const close = headers.includes('connection: close');
        const again = () => { if (!close) return send(); socket.removeAllListeners('data'); socket.destroy(); buf = ''; open(); };
        if (status === 200) { done++; current = -1; again(); }
        else if (status === 503) { retries++; setTimeout(again, 100); }
        else { failed = 'HTTP ' + status; socket.end(); return resolve(); }
        if (close) return;
      }
    }
    open();
  });
}
Promise.all(Array.from({ length: connections }, connection)).then(() =>
  parentPort.postMessage({ done, retries, failed, seconds: (performance.now() - t0) / 1000 }));
`;

/** Sends `n` requests to 127.0.0.1:`port` over `connections` keep-alive sockets: answers (200) per second. */
export async function flood(port: number, n: number, paths: FloodPaths, connections = 32): Promise<number> {
  const w = new Worker(worker, { eval: true, workerData: { port, n, connections, paths } });
  try {
    const r = await new Promise<{ done: number; retries: number; failed: string | null; seconds: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    if (r.failed) throw new Error(`flood: ${r.failed} after ${r.done} answers`);
    return r.done / r.seconds;
  } finally {
    await w.terminate();
  }
}
