// ESLint holds the architecture, not the style (Prettier formats; see ARCHITECTURE.md "Boundaries").
// The rules, kept few on purpose:
//  - core and protocols are pure: their sources import no Node module (node:* or a bare builtin),
//    and neither imports server, sim or web (core not protocols either: it is the bottom layer);
//  - no package imports upward (sim: not server/web; server: not web; web: not server/sim);
//  - no import cycles, inside a package or across packages;
//  - a package reaches another only through its name (no ../../other-package/src paths), and
//    declares every package it imports in its own package.json (the root's devDependencies serve all).
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import sealwatch from './scripts/lint/no-cycle.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const packages = ['core', 'protocols', 'sim', 'server', 'web'];
const tests = ['**/*.test.ts', '**/*.test.tsx', '**/test/**', '**/testing/**'];

/** no-restricted-imports patterns that forbid importing the named workspace packages. */
const noPackages = (names, why) =>
  names.map((n) => ({ regex: `^@sealwatch/${n}(/.*)?$`, message: `${why} (@sealwatch/${n})` }));

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const noNode = [
  { regex: '^node:', message: 'core and protocols are pure: no Node module (take what you need as an argument)' },
  { regex: `^(${nodeBuiltins.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`, message: 'core and protocols are pure: no Node module' },
];

// Circles being broken by work in flight; an import between two files of one entry passes. Remove, don't add.
const knownCycles = [];

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**', 'tmp/**'] },
  {
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX, sealwatch },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: [join(root, 'tsconfig.json'), join(root, 'packages/web/tsconfig.json')],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'sealwatch/no-cycle': ['error', { roots: ['packages'], allow: knownCycles }],
    },
  },
  // The console's hooks: called unconditionally, with every value they read in their dependencies.
  {
    files: ['packages/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Each package declares what it imports: its own package.json first, then the root's (tools, @types).
  ...packages.map((p) => ({
    files: [`packages/${p}/**/*.{ts,tsx,mts,mjs,js}`],
    rules: {
      'import-x/no-relative-packages': 'error',
      'import-x/no-extraneous-dependencies': ['error', { packageDir: [join(root, 'packages', p), root], devDependencies: true }],
    },
  })),
  // Layers: core at the bottom, protocols on core, sim on core, server on all three, web on core.
  { files: ['packages/core/**'], rules: restrict([...noNode, ...noPackages(['protocols', 'server', 'sim', 'web'], 'core is the bottom layer')]) },
  { files: ['packages/protocols/**'], rules: restrict([...noNode, ...noPackages(['server', 'sim', 'web'], 'protocols import only core')]) },
  { files: ['packages/sim/**'], rules: restrict(noPackages(['server', 'web'], 'sim does not import upward')) },
  { files: ['packages/server/**'], rules: restrict(noPackages(['web'], 'server does not import the console')) },
  { files: ['packages/web/**'], rules: restrict(noPackages(['server', 'sim'], 'the console talks to the server over HTTP only')) },
  // Tests of the pure packages run under node: they may use node:test, node:assert, node:crypto …
  { files: tests.map((t) => `packages/core/${t}`), rules: restrict(noPackages(['protocols', 'server', 'sim', 'web'], 'core is the bottom layer')) },
  { files: tests.map((t) => `packages/protocols/${t}`), rules: restrict(noPackages(['server', 'sim', 'web'], 'protocols import only core')) },
];
