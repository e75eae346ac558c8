#!/usr/bin/env node
/**
 * Folds a V8 .cpuprofile (node --cpu-prof) into the top frames by self time and by inclusive time,
 * so a profile can be compared before and after a change as a table (docs/performance.md).
 * Usage: node scripts/top-frames.mjs <file.cpuprofile> [N]
 */
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const hits = new Map();
for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
const total = profile.samples.length;
const idleNode = profile.nodes.find((n) => n.callFrame.functionName === '(idle)');
const busy = total - (idleNode ? (hits.get(idleNode.id) ?? 0) : 0);
console.log(`${total} samples, ${busy} busy (${((busy / total) * 100).toFixed(0)}% of the main thread's wall time)`);

const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? f.url.replace(/^.*\/(packages|node_modules)\//, '$1/').replace(/^file:\/\//, '') : '';
  return `${f.functionName || '(anonymous)'} ${where}${where ? `:${f.lineNumber + 1}` : ''}`.trim();
};
const self = new Map();
const incl = new Map();
for (const [id, h] of hits) {
  const n = byId.get(id);
  const k = label(n);
  self.set(k, (self.get(k) ?? 0) + h);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur));
    if (seen.has(key)) continue;
    seen.add(key);
    incl.set(key, (incl.get(key) ?? 0) + h);
  }
}
const pct = (h) => `${((h / total) * 100).toFixed(1)}%`.padStart(6);
const print = (title, m) => {
  console.log(`\n${title} (${total} samples)`);
  for (const [k, h] of [...m].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(h)}  ${k}`);
};
print('self time', self);
print('inclusive time', incl);
