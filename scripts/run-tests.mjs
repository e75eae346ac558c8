#!/usr/bin/env node
// Runs every *.test.ts under packages/ with node's own test runner (through tsx),
// then repeats the runner's totals as one plain line: "N passed, M failed".
//
// A run must end on its own, whatever a test does: each test file (and each test) is bounded by
// --test-timeout, --test-force-exit ends a file whose tests are done even if it left a socket or a
// timer open, and the whole run is bounded by a budget after which it is stopped and reported as
// failed. The slowest files are printed at the end, so a slow run says where its time went.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILE_TIMEOUT_MS = Number(process.env.SEALWATCH_TEST_TIMEOUT_MS ?? 10 * 60_000);
const RUN_BUDGET_MS = Number(process.env.SEALWATCH_TEST_BUDGET_S ?? 75 * 60) * 1000;

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

const timesFile = join(mkdtempSync(join(tmpdir(), 'sealwatch-test-times-')), 'times.txt');
const reporter = new URL('./file-times-reporter.mjs', import.meta.url).pathname;
const started = Date.now();
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${FILE_TIMEOUT_MS}`,
    '--test-force-exit',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    `--test-reporter-destination=${timesFile}`,
    ...files,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SEALWATCH_LOG_LEVEL: process.env.SEALWATCH_LOG_LEVEL ?? 'silent' },
    detached: true,
  },
);
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});

let overBudget = false;
const watchdog = setTimeout(() => {
  overBudget = true;
  console.log(`\nrun-tests: the run took more than its budget of ${RUN_BUDGET_MS / 1000} s: stopping it`);
  stop('SIGKILL');
}, RUN_BUDGET_MS);

/** The reporter's lines: time per file (top-level tests), and tests passed and failed so far. */
function tally() {
  let text = '';
  try {
    text = readFileSync(timesFile, 'utf8');
  } catch {
    return { byFile: [], pass: 0, fail: 0 };
  }
  const byFile = new Map();
  let pass = 0;
  let fail = 0;
  for (const line of text.split('\n')) {
    const m = /^(pass|fail) (\d+) (suite|test) (\d+) (.+)$/.exec(line);
    if (!m) continue;
    if (m[2] === '0') byFile.set(m[5], (byFile.get(m[5]) ?? 0) + Number(m[4]));
    if (m[3] === 'test') m[1] === 'pass' ? pass++ : fail++;
  }
  return { byFile: [...byFile].sort((a, b) => b[1] - a[1]), pass, fail };
}

const stop = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));

child.on('close', (code) => {
  clearTimeout(watchdog);
  const seconds = Math.round((Date.now() - started) / 1000);
  const seen = tally();
  console.log(`\nrun-tests: ${files.length} files in ${seconds} s; slowest:`);
  for (const [file, ms] of seen.byFile.slice(0, 8)) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
  const num = (label) => Number((tail.match(new RegExp(`ℹ ${label} (\\d+)`)) ?? [])[1] ?? NaN);
  const pass = num('pass');
  const fail = num('fail') + (num('cancelled') || 0);
  if (overBudget || !Number.isFinite(pass) || !Number.isFinite(fail)) {
    // No summary from the runner: count what the reporter saw, and the unfinished run as a failure.
    console.log(`${seen.pass} passed, ${seen.fail + 1} failed`);
    process.exit(1);
  }
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code ?? 1);
});
