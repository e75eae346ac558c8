// The lint rules that hold the architecture fire: imports planted where the boundaries forbid
// them are reported by the repository's own eslint.config.js, and sealwatch/no-cycle finds
// circles (type-only ones too) in a planted module graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import sealwatch from './no-cycle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repo = new ESLint({ cwd: root });

/** Rule ids reported for `code` as if it were the file at `path` (relative to the repository). */
async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await repo.lintText(code, { filePath: join(root, path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

/**
 * Planted imports and what the repository's lint must say about each: `reports` lists the
 * expected findings as [rule id, text the message contains, how many]; an empty list means clean.
 */
const nodeImports =
  "import { readFileSync } from 'node:fs';\nimport os from 'os';\nimport { join } from 'path/posix';\nexport const x = [readFileSync, os, join];\n";
const workspaceImports =
  "import { a } from '@sealwatch/server';\nimport { b } from '@sealwatch/sim/demo';\nimport { c } from '@sealwatch/web';\nexport const x = [a, b, c];\n";
const importOf = (target: string) => `import { x } from '${target}';\nexport const y = x;\n`;
type Expected = [rule: string, contains: string, count?: number];
const restricted: Expected = ['no-restricted-imports', ''];
const cases: Array<{ why: string; path: string; code: string; reports: Expected[] }> = [
  ...['core', 'protocols'].map((pkg) => ({
    why: `${pkg} sources import no Node module, bare or node:`,
    path: `packages/${pkg}/src/planted.ts`,
    code: nodeImports,
    reports: [['no-restricted-imports', 'pure', 3] as Expected],
  })),
  {
    why: "the pure packages' tests may use node:test and node:assert",
    path: 'packages/core/src/planted.test.ts',
    code: "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('t', () => assert.ok(true));\n",
    reports: [],
  },
  ...['packages/core/src/planted.ts', 'packages/protocols/src/planted.ts', 'packages/core/src/planted.test.ts'].map((path) => ({
    why: `${path} imports nothing from server, sim or web`,
    path,
    code: workspaceImports,
    reports: ['server', 'sim', 'web'].map((pkg) => ['no-restricted-imports', `@sealwatch/${pkg}`] as Expected),
  })),
  {
    why: 'core does not import protocols',
    path: 'packages/core/src/planted.ts',
    code: "export { p } from '@sealwatch/protocols';\n",
    reports: [restricted],
  },
  { why: 'sim does not import server', path: 'packages/sim/src/planted.ts', code: importOf('@sealwatch/server'), reports: [restricted] },
  { why: 'server does not import web', path: 'packages/server/src/planted.ts', code: importOf('@sealwatch/web'), reports: [restricted] },
  { why: 'web does not import server', path: 'packages/web/src/planted.ts', code: importOf('@sealwatch/server'), reports: [restricted] },
  {
    why: 'sim declares only @sealwatch/core, so protocols is undeclared',
    path: 'packages/sim/src/planted.ts',
    code: importOf('@sealwatch/protocols'),
    reports: [['import-x/no-extraneous-dependencies', '@sealwatch/protocols']],
  },
  {
    why: 'a declared dependency is clean',
    path: 'packages/sim/src/planted.ts',
    code: "import { toTimestamp } from '@sealwatch/core';\nexport const y = toTimestamp;\n",
    reports: [],
  },
  {
    why: 'core declares no web framework',
    path: 'packages/core/src/planted.ts',
    code: "import Fastify from 'fastify';\nexport const y = Fastify;\n",
    reports: [['import-x/no-extraneous-dependencies', '']],
  },
  {
    why: 'a package reaches another by its name, not by a relative path into its sources',
    path: 'packages/sim/src/planted.ts',
    code: "import { toTimestamp } from '../../core/src/ids';\nexport const y = toTimestamp;\n",
    reports: [['import-x/no-relative-packages', '']],
  },
];

for (const c of cases) {
  test(`lint boundary: ${c.why}`, async () => {
    const found = await ruleIds(c.path, c.code);
    if (c.reports.length === 0) return assert.deepEqual(found, []);
    for (const [rule, contains, count] of c.reports) {
      const hits = found.filter((m) => m.startsWith(rule) && m.includes(contains)).length;
      if (count === undefined) assert.ok(hits > 0, `${rule} ~ ${contains}:\n${found.join('\n')}`);
      else assert.equal(hits, count, `${rule} ~ ${contains}:\n${found.join('\n')}`);
    }
  });
}

test('the repository config turns sealwatch/no-cycle on for every package', async () => {
  for (const pkg of ['core', 'protocols', 'sim', 'server', 'web']) {
    const config = await repo.calculateConfigForFile(join(root, `packages/${pkg}/src/index.ts`));
    assert.equal(config.rules['sealwatch/no-cycle']?.[0], 2, pkg);
  }
});

test('sealwatch/no-cycle reports each import of a circle, type-only circles included, with the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-cycle-'));
  try {
    const files: Record<string, string> = {
      'a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'b.ts': "import { c } from './c';\nexport const b = () => c;\n",
      'c.ts': "import { a } from './a';\nexport const c = () => a;\n",
      'model.ts': "import type { Threshold } from './rules/range';\nexport interface Movement { limits: Threshold[] }\n",
      'rules/range.ts':
        "import type { Movement } from '../model';\nexport interface Threshold { max: number }\nexport const check = (m: Movement) => m.limits.length;\n",
      'leaf.ts': "import { a } from './a';\nimport type { Movement } from './model';\nexport const leaf = (m: Movement) => [a, m];\n",
    };
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser as never },
          plugins: { sealwatch },
          rules: { 'sealwatch/no-cycle': ['error', { roots: ['.'] }] },
        },
      ],
    });
    const results = await eslint.lintFiles(['.']);
    const byFile = Object.fromEntries(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.message)]));
    for (const f of ['a.ts', 'b.ts', 'c.ts', 'model.ts', 'rules/range.ts'])
      assert.equal(byFile[f]?.length, 1, `${f}: ${JSON.stringify(byFile)}`);
    assert.deepEqual(byFile['leaf.ts'], []);
    assert.match(byFile['a.ts']![0]!, /a\.ts → b\.ts → c\.ts → a\.ts/);
    assert.match(byFile['model.ts']![0]!, /model\.ts → rules\/range\.ts → model\.ts/);

    // a circle listed as known passes, one file of it alone does not
    const allowing = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser as never },
          plugins: { sealwatch },
          rules: { 'sealwatch/no-cycle': ['error', { roots: ['.'], allow: [['model.ts', 'rules/range.ts']] }] },
        },
      ],
    });
    const allowed = await allowing.lintFiles(['model.ts', 'rules/range.ts', 'a.ts']);
    const counts = Object.fromEntries(allowed.map((r) => [r.filePath.slice(dir.length + 1), r.messages.length]));
    assert.deepEqual(counts, { 'model.ts': 0, 'rules/range.ts': 0, 'a.ts': 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
