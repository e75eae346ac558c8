#!/usr/bin/env node
// Builds the web console (packages/web → packages/web/dist) with Vite. With --if-stale it builds
// only when dist is missing or older than a source file (npm start runs it as `prestart`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const web = 'packages/web';
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const name of readdirSync(path)) if (name !== 'node_modules' && name !== 'dist') m = Math.max(m, newest(join(path, name)));
  return m;
}

if (process.argv.includes('--if-stale') && existsSync(built)) {
  const sources = Math.max(
    ...['src', 'public', 'index.html', 'vite.config.ts', 'package.json']
      .map((p) => join(web, p))
      .filter(existsSync)
      .map(newest),
  );
  if (statSync(built).mtimeMs >= sources) process.exit(0);
}
console.log('building the web console (packages/web)…');
const vite = join(dirname(createRequire(resolve(web, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
process.exit(r.status ?? 1);
