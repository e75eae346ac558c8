import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from './program';

/** Every command of the tree, with its full name (`audit verify`). */
function walk(cmd: Command, prefix: string[] = []): { name: string; cmd: Command }[] {
  return cmd.commands.flatMap((c) => [{ name: [...prefix, c.name()].join(' '), cmd: c }, ...walk(c, [...prefix, c.name()])]);
}

/** What `--help` prints for a command (the text after its options included). */
function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({
    writeOut: (s) => {
      text += s;
    },
    writeErr: (s) => {
      text += s;
    },
  });
  cmd.outputHelp();
  return text;
}

test("sealwatch --help and every command's --help say what it does and show an example of it", () => {
  const program = buildProgram();
  const commands = walk(program);
  for (const wanted of [
    'start',
    'doctor',
    'backup',
    'restore',
    'admin-token',
    'retention',
    'audit verify',
    'audit export',
    'audit rotate-key',
    'keys rotate-master',
    'simulate',
  ]) {
    assert.ok(
      commands.some((c) => c.name === wanted),
      `no ${wanted} command`,
    );
  }
  assert.match(helpOf(program), /Examples:\n {2}npx sealwatch start/);
  for (const { name, cmd } of commands) {
    assert.ok(cmd.description().length > 20, `${name} says what it does`);
    const help = helpOf(cmd);
    assert.match(help, /\nExamples?:\n {2}\S/, `${name} --help shows an example`);
    const leaf = name.split(' ').at(-1)!;
    const example = help.slice(help.search(/\nExamples?:\n/));
    assert.ok(
      example.includes(`sealwatch ${name}`) || example.includes(`sealwatch ${leaf}`) || cmd.commands.length > 0,
      `${name}'s example runs it: ${example}`,
    );
  }
});
