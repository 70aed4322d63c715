// `config set colour never` on a real terminal, command by command: each runs under a pseudo
// terminal (util-linux `script`), where colour is on by default, and must print no colour once
// the setting says never. On a pipe (test/e2e/colour.test.ts) never and the default look alike,
// so only a terminal shows that the setting reaches every command.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { BIN, runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'sessions');
/** A colour (SGR) sequence: ESC [ digits m. Cursor moves and other controls do not count. */
const SGR = /\u001b\[[0-9;]*m/;

let home: Awaited<ReturnType<typeof tempHome>>;
let script: string;
beforeAll(async () => {
  home = await tempHome();
  script = path.join(home.dir, 'turns.txt');
  await writeFile(script, 'Requirements first: shorten a URL, redirect fast.\n\n/end\n');
});
afterAll(async () => {
  await home.cleanup();
});

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** The command's output as a terminal shows it (stdout and stderr both), and its exit code. */
function onTerminal(args: string[], sdcoachHome = home.dir): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: sdcoachHome, SDCOACH_HOME: sdcoachHome, TERM: 'xterm-256color', TZ: 'UTC', COLUMNS: '100', LINES: '40' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const COMMANDS: [string, () => string[]][] = [
  ['grade', () => ['grade', path.join(EXAMPLES, 'example-url-shortener.jsonl'), '--grader', 'evidence', '--no-cache']],
  ['doctor', () => ['doctor', '--provider', 'builtin']],
  ['rubric list', () => ['rubric', 'list']],
  ['rubric show', () => ['rubric', 'show', 'default']],
  ['problems', () => ['problems']],
  ['problems show', () => ['problems', 'show', 'url-shortener']],
  ['sessions list', () => ['sessions', 'list', '--dir', EXAMPLES]],
  ['sessions show', () => ['sessions', 'show', 'example-url-shortener', '--dir', EXAMPLES]],
  ['progress', () => ['progress', '--dir', EXAMPLES]],
  ['config list', () => ['config', 'list']],
  ['practice --script', () => ['practice', 'url-shortener', '--seed', '1', '--script', script]],
];

describe('colour on a terminal', () => {
  it('`config set colour never` stores the setting every command reads', async () => {
    const set = await onTerminal(['config', 'set', 'colour', 'never']);
    expect(set.code, set.output).toBe(0);
    expect(JSON.parse(await readFile(path.join(home.dir, 'config.json'), 'utf8'))).toMatchObject({ colour: 'never' });
  });

  // Concurrent, each in its own data folder: eleven commands, two runs each.
  it.concurrent.each(COMMANDS)('%s: coloured by default, plain with colour never; plain on a pipe', async (_, args) => {
    const own = await tempHome();
    try {
      const coloured = await onTerminal(args(), own.dir);
      expect(coloured.code, coloured.output).toBe(0);
      expect(coloured.output).toMatch(SGR);
      const piped = await runCli(args(), { SDCOACH_HOME: own.dir, TZ: 'UTC', NO_COLOR: '' });
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout).not.toMatch(SGR);
      await writeFile(path.join(own.dir, 'config.json'), JSON.stringify({ colour: 'never' }));
      const plain = await onTerminal(args(), own.dir);
      expect(plain.code, plain.output).toBe(0);
      expect(plain.output).not.toMatch(SGR);
    } finally {
      await own.cleanup();
    }
  });
});
