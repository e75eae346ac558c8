// ESLint rule sealwatch/no-cycle: no module reaches itself through its imports, counting
// `import type` too (a type-only circle is still two modules that each need the other, and
// import-x/no-cycle ignores those). The import graph of every .ts/.tsx file under `roots` is
// built once per process with TypeScript's own module resolution (workspace packages resolve
// through their node_modules links), its strongly connected components found, and every import
// whose target lies in the importer's component is reported with the circle it closes.
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  resolveJsonModule: true,
  allowJs: true,
};
const sourceFile = /\.(ts|tsx|mts)$/;

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveImport(specifier, from) {
  const r = ts.resolveModuleName(specifier, from, compilerOptions, ts.sys).resolvedModule;
  return r ? resolve(r.resolvedFileName) : undefined;
}

/** Tarjan's algorithm, iterative: component id per file, for components of more than one file. */
function components(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const component = new Map();
  let next = 0;
  let id = 0;
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const out = edges.get(v) ?? [];
      if (i < out.length) {
        frame[1]++;
        const w = out[i];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === index.get(v)) {
        const members = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          members.push(w);
        } while (w !== v);
        if (members.length > 1) {
          for (const m of members) component.set(m, id);
          id++;
        }
      }
    }
  }
  return component;
}

const graphs = new Map();
function graphOf(roots) {
  const key = roots.join('\0');
  let g = graphs.get(key);
  if (!g) {
    const files = roots.flatMap((r) => walk(r, []));
    const known = new Set(files);
    const edges = new Map();
    for (const f of files) {
      const targets = new Set();
      for (const i of ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles) {
        const t = resolveImport(i.fileName, f);
        if (t && known.has(t) && t !== f) targets.add(t);
      }
      edges.set(f, [...targets]);
    }
    g = { edges, component: components(edges) };
    graphs.set(key, g);
  }
  return g;
}

/** Shortest path from `from` to `to` inside one component (both ends included). */
function pathWithin(g, from, to) {
  const c = g.component.get(from);
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift();
    if (v === to) break;
    for (const w of g.edges.get(v) ?? []) {
      if (prev.has(w) || g.component.get(w) !== c) continue;
      prev.set(w, v);
      queue.push(w);
    }
  }
  const path = [];
  for (let v = to; v != null; v = prev.get(v)) path.unshift(v);
  return path;
}

export const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycles, type-only imports included' },
    schema: [
      {
        type: 'object',
        properties: {
          roots: { type: 'array', items: { type: 'string' } },
          allow: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
        },
        additionalProperties: false,
      },
    ],
    messages: { cycle: 'Import cycle: {{path}}. Move what both need into the lower module (type-only imports count).' },
  },
  create(context) {
    const cwd = context.cwd;
    const options = context.options[0] ?? {};
    const roots = (options.roots ?? ['packages']).map((r) => (isAbsolute(r) ? r : resolve(cwd, r)));
    const file = resolve(context.filename);
    const g = graphOf(roots);
    const c = g.component.get(file);
    if (c === undefined) return {};
    const show = (f) => relative(cwd, f);
    // Known circles still to be broken, each a list of files (relative to cwd): an import between two of them passes.
    const allowed = (options.allow ?? []).map((files) => new Set(files.map((f) => resolve(cwd, f))));
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const target = resolveImport(source.value, file);
      if (!target || g.component.get(target) !== c) return;
      if (allowed.some((set) => set.has(file) && set.has(target))) return;
      const path = [file, ...pathWithin(g, target, file)].map(show).join(' → ');
      context.report({ node, messageId: 'cycle', data: { path } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) => check(node, node.moduleReference?.expression),
    };
  },
};

export default { meta: { name: 'sealwatch' }, rules: { 'no-cycle': noCycle } };
