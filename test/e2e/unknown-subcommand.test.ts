// A group with a default subcommand (`sessions` → list, `problems` → list) must not hand a
// mistyped subcommand to its default as an argument ("too many arguments"): it is an unknown
// command with a did-you-mean, exit 2 like every usage error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestName, unknownCommandMessage } from '../../src/commands/unknown-subcommand.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(async () => {
  await home.cleanup();
});

describe('unknown subcommands', () => {
  it.each(['sessions', 'problems'])('%s shwo: unknown command, did you mean "show", exit 2', async (group) => {
    const result = await runCli([group, 'shwo'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown command "shwo" (did you mean "show"?)');
    expect(result.stderr).not.toContain('too many arguments');
  });

  it.each([
    [['rubric', 'shwo'], 'shwo', 'show'],
    [['config', 'sett'], 'sett', 'set'],
    [['grade-x'], 'grade-x', 'grade'],
  ])('%j: every group says it the same way, exit 2', async (args, word, guess) => {
    const result = await runCli(args, { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`unknown command "${word}" (did you mean "${guess}"?)`);
  });

  it('a word close to nothing: unknown command without a guess', async () => {
    const result = await runCli(['sessions', 'frobnicate'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"\n/);
  });

  it('the default still runs, with or without its options, and named subcommands still dispatch', async () => {
    const bare = await runCli(['sessions'], { SDCOACH_HOME: home.dir });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toMatch(/^No sessions in /);
    const json = await runCli(['problems', '--json'], { SDCOACH_HOME: home.dir });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).length).toBeGreaterThan(0);
    const show = await runCli(['problems', 'show', 'url-shortener'], { SDCOACH_HOME: home.dir });
    expect(show.code, show.stderr).toBe(0);
    // A real extra argument to the named default is still commander's own error.
    const extra = await runCli(['sessions', 'list', 'extra'], { SDCOACH_HOME: home.dir });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('too many arguments');
  });
});

describe('closestName', () => {
  it('finds a typo, a transposition, and nothing for a far or very short word', () => {
    const names = ['list', 'show', 'export', 'rm', 'resume'];
    expect(closestName('shwo', names)).toBe('show');
    expect(closestName('exprot', names)).toBe('export');
    expect(closestName('lsit', names)).toBe('list');
    expect(closestName('x', names)).toBeUndefined();
    expect(closestName('frobnicate', names)).toBeUndefined();
    expect(unknownCommandMessage('shwo', names)).toBe('unknown command "shwo" (did you mean "show"?)');
  });
});
