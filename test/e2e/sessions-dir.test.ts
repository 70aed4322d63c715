// `--dir` names a folder on the command line: one that does not exist (or is a file) is a usage
// error naming it, exit 2, not an empty list. Your own sessions folder not existing yet is
// still "No sessions".
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(async () => {
  await home.cleanup();
});

describe('--dir that is not a folder', () => {
  it.each([
    ['sessions', ['sessions']],
    ['sessions list', ['sessions', 'list']],
    ['sessions show', ['sessions', 'show', 'x']],
    ['sessions export', ['sessions', 'export', 'x']],
    ['sessions rm', ['sessions', 'rm', 'x', '--yes']],
    ['progress', ['progress']],
  ])('%s --dir nope: names the folder, exit 2', async (_, args) => {
    const missing = path.join(home.dir, 'nope');
    const result = await runCli([...args, '--dir', missing], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`--dir ${missing}: no such folder`);
  });

  it('a relative --dir is named as typed and as resolved', async () => {
    const result = await runCli(['sessions', '--dir', './nope-relative'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sdcoach sessions list: --dir \.\/nope-relative \(\/.*nope-relative\): no such folder\n$/);
  });

  it('a file is not a folder', async () => {
    const file = path.join(home.dir, 'a-file');
    await writeFile(file, 'x');
    const result = await runCli(['progress', '--dir', file], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`sdcoach progress: --dir ${file} is not a folder\n`);
  });

  it('an empty folder that exists, and a sessions folder not made yet: No sessions, exit 0', async () => {
    const empty = path.join(home.dir, 'empty');
    await mkdir(empty);
    const listed = await runCli(['sessions', '--dir', empty], { SDCOACH_HOME: home.dir });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^No sessions in /);
    const own = await runCli(['sessions'], { SDCOACH_HOME: home.dir });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toMatch(/^No sessions in /);
  });
});
