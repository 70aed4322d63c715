// Colour through the built CLI, for every command that prints plain output: the `colour`
// setting and FORCE_COLOR are honoured by all of them (stdout is a pipe here, so without either
// the output is plain). The terminal cases (TERM=dumb, FORCE_COLOR=0 on a TTY) are in
// test/commands/colour.test.ts, where a terminal can be stood in for.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'sessions');
const ESC = '\u001b[';

const COMMANDS: [string, string[]][] = [
  ['grade', ['grade', path.join(EXAMPLES, 'example-url-shortener.jsonl'), '--grader', 'evidence', '--no-cache']],
  ['doctor', ['doctor', '--provider', 'builtin']],
  ['rubric list', ['rubric', 'list']],
  ['rubric show', ['rubric', 'show', 'default']],
  ['problems', ['problems']],
  ['problems show', ['problems', 'show', 'url-shortener']],
  ['sessions list', ['sessions', 'list', '--dir', EXAMPLES]],
  ['sessions show', ['sessions', 'show', 'example-url-shortener', '--dir', EXAMPLES]],
  ['progress', ['progress', '--dir', EXAMPLES]],
];

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const setColour = (value: string) => writeFile(path.join(home.dir, 'config.json'), JSON.stringify({ colour: value }));
// runCli sets NO_COLOR=1 unless told otherwise: '' is "not set" (https://no-color.org).
const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { SDCOACH_HOME: home.dir, TZ: 'UTC', NO_COLOR: '', ...env });

describe('colour: every command', () => {
  // Each command on a pipe with `colour always` (plain by default on a pipe, and plain with
  // `colour never` on a terminal, are in test/e2e/colour-terminal.test.ts). Concurrent, each in
  // its own data folder.
  it.concurrent.each(COMMANDS)('%s: `colour always` colours a pipe', async (_, args) => {
    const own = await tempHome();
    try {
      await writeFile(path.join(own.dir, 'config.json'), JSON.stringify({ colour: 'always' }));
      const coloured = await runCli(args, { SDCOACH_HOME: own.dir, TZ: 'UTC', NO_COLOR: '' });
      expect(coloured.code, coloured.stderr).toBe(0);
      expect(coloured.stdout).toContain(ESC);
    } finally {
      await own.cleanup();
    }
  });

  // The variables are read by the one colour rule every command goes through (config/colour.ts,
  // unit-tested in test/commands/colour.test.ts): two commands with different renderers show it.
  it.each([COMMANDS[0]!, COMMANDS[4]!])('%s: FORCE_COLOR=1 colours a pipe; FORCE_COLOR=0 and NO_COLOR beat `colour always`', async (_, args) => {
    expect((await run(args, { FORCE_COLOR: '1' })).stdout).toContain(ESC);
    await setColour('always');
    expect((await run(args, { FORCE_COLOR: '0' })).stdout).not.toContain(ESC);
    expect((await run(args, { NO_COLOR: '1' })).stdout).not.toContain(ESC);
  });

  it('`colour never` beats nothing it should not: FORCE_COLOR=1 still colours', async () => {
    await setColour('never');
    expect((await run(['problems'])).stdout).not.toContain(ESC);
    expect((await run(['problems'], { FORCE_COLOR: '1' })).stdout).toContain(ESC);
  });

  it('practice --script: the score card follows the setting', async () => {
    const script = path.join(home.dir, 'turns.txt');
    await writeFile(script, 'Requirements first: shorten a URL, redirect fast.\n\n/end\n');
    const plain = await run(['practice', 'url-shortener', '--seed', '1', '--script', script]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain(ESC);
    await setColour('always');
    const coloured = await run(['practice', 'url-shortener', '--seed', '1', '--script', script]);
    expect(coloured.code, coloured.stderr).toBe(0);
    expect(coloured.stdout).toContain(ESC);
  });
});
