/**
 * Measures the live map's frame time with 10,000 devices (`npm run bench:map -w packages/web`):
 * serves the built console (dist/) on a local port, opens its benchmark page (#/bench) in
 * Debian's chromium (playwright-core, never a downloaded browser) and prints the figures the
 * page reports: requestAnimationFrame intervals and the map's draw time, while every device
 * moves at the given rate and the view pans and zooms. Results go into docs/performance.md.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = await readFile(join(dist, path === '/' ? 'index.html' : path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'text/html' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;

const runs = [
  { n: 10_000, rate: 333, seconds: 10, label: '10,000 devices reporting every 30 s (333 updates/s)' },
  { n: 10_000, rate: 10_000, seconds: 10, label: '10,000 devices reporting every second (10,000 updates/s)' },
  {
    n: 10_000,
    rate: 333,
    seconds: 10,
    pattern: 'drag',
    label: '10,000 devices, 333 updates/s, drag-like pans (30 frames moving, 60 at rest)',
  },
];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  for (const run of runs) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(
      `http://127.0.0.1:${port}/#/bench?n=${run.n}&rate=${run.rate}&seconds=${run.seconds}${'pattern' in run ? `&pattern=${run.pattern}` : ''}`,
    );
    await page.locator('#bench-result:not(:empty)').waitFor({ timeout: (run.seconds + 30) * 1000 });
    const result = JSON.parse((await page.locator('#bench-result').textContent())!);
    console.log(
      `${run.label}\n  frame interval ms: ${JSON.stringify(result.frameInterval)}\n  draw ms: ${JSON.stringify(result.draw)}\n  fps: ${result.fps}`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
