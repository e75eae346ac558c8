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

test('core and protocols sources import no Node module, bare or node:', async () => {
  for (const pkg of ['core', 'protocols']) {
    const found = await ruleIds(
      `packages/${pkg}/src/planted.ts`,
      "import { readFileSync } from 'node:fs';\nimport os from 'os';\nimport { join } from 'path/posix';\nexport const x = [readFileSync, os, join];\n",
    );
    assert.equal(found.filter((m) => m.startsWith('no-restricted-imports') && m.includes('pure')).length, 3, `${pkg}: ${found.join('\n')}`);
  }
});

test("the pure packages' tests may use node:test and node:assert", async () => {
  const found = await ruleIds(
    'packages/core/src/planted.test.ts',
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('t', () => assert.ok(true));\n",
  );
  assert.deepEqual(found, []);
});

test('core and protocols import nothing from server, sim or web, in sources and tests', async () => {
  for (const path of ['packages/core/src/planted.ts', 'packages/protocols/src/planted.ts', 'packages/core/src/planted.test.ts']) {
    const found = await ruleIds(
      path,
      "import { a } from '@sealwatch/server';\nimport { b } from '@sealwatch/sim/demo';\nimport { c } from '@sealwatch/web';\nexport const x = [a, b, c];\n",
    );
    for (const pkg of ['server', 'sim', 'web']) {
      assert.ok(
        found.some((m) => m.startsWith('no-restricted-imports') && m.includes(`@sealwatch/${pkg}`)),
        `${path} → ${pkg}: ${found.join('\n')}`,
      );
    }
  }
  const core = await ruleIds('packages/core/src/planted.ts', "export { p } from '@sealwatch/protocols';\n");
  assert.ok(
    core.some((m) => m.startsWith('no-restricted-imports')),
    core.join('\n'),
  );
});

test('no package imports upward: sim not server, server not web, web not server', async () => {
  const cases: Array<[string, string]> = [
    ['packages/sim/src/planted.ts', '@sealwatch/server'],
    ['packages/server/src/planted.ts', '@sealwatch/web'],
    ['packages/web/src/planted.ts', '@sealwatch/server'],
  ];
  for (const [path, target] of cases) {
    const found = await ruleIds(path, `import { x } from '${target}';\nexport const y = x;\n`);
    assert.ok(
      found.some((m) => m.startsWith('no-restricted-imports')),
      `${path} → ${target}: ${found.join('\n')}`,
    );
  }
});

test('a package imports only what its package.json declares', async () => {
  // core declares zod and nothing of the workspace; sim declares @sealwatch/core only
  const undeclared = await ruleIds('packages/sim/src/planted.ts', "import { x } from '@sealwatch/protocols';\nexport const y = x;\n");
  assert.ok(
    undeclared.some((m) => m.startsWith('import-x/no-extraneous-dependencies') && m.includes('@sealwatch/protocols')),
    undeclared.join('\n'),
  );
  const declared = await ruleIds(
    'packages/sim/src/planted.ts',
    "import { toTimestamp } from '@sealwatch/core';\nexport const y = toTimestamp;\n",
  );
  assert.deepEqual(declared, []);
  const foreign = await ruleIds('packages/core/src/planted.ts', "import Fastify from 'fastify';\nexport const y = Fastify;\n");
  assert.ok(
    foreign.some((m) => m.startsWith('import-x/no-extraneous-dependencies')),
    foreign.join('\n'),
  );
});

test('a package reaches another by its name, not by a relative path into its sources', async () => {
  const found = await ruleIds(
    'packages/sim/src/planted.ts',
    "import { toTimestamp } from '../../core/src/ids';\nexport const y = toTimestamp;\n",
  );
  assert.ok(
    found.some((m) => m.startsWith('import-x/no-relative-packages')),
    found.join('\n'),
  );
});

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
