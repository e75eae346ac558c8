#!/usr/bin/env node
// Runs every *.test.ts under packages/ with node's own test runner (through tsx),
// then repeats the runner's totals as one plain line: "N passed, M failed".
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['packages', 'scripts'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.test\.tsx?$/.test(name)) files.push(p);
  }
};
for (const r of roots) statSync(r).isDirectory() ? walk(r) : files.push(r);
files.sort();

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, SEALWATCH_LOG_LEVEL: process.env.SEALWATCH_LOG_LEVEL ?? 'silent' },
});
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const num = (label) => Number((tail.match(new RegExp(`ℹ ${label} (\\d+)`)) ?? [])[1] ?? NaN);
  const pass = num('pass');
  const fail = num('fail');
  if (Number.isFinite(pass) && Number.isFinite(fail)) console.log(`${pass} passed, ${fail} failed`);
  process.exit(code ?? 1);
});
