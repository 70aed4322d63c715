// `sdcoach config …` through the built CLI on a temp SDCOACH_HOME.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
beforeEach(async () => {
  home = await tempHome();
  env = { SDCOACH_HOME: home.dir };
});
afterEach(() => home.cleanup());

describe('config', () => {
  it('path names the settings file in SDCOACH_HOME', async () => {
    expect((await runCli(['config', 'path'], env)).stdout).toBe(path.join(home.dir, 'config.json') + '\n');
  });

  it('set parses numbers and booleans, get and list show values with their source', async () => {
    expect((await runCli(['config', 'set', 'minutes', '30'], env)).stdout).toBe('minutes = 30\n');
    expect((await runCli(['config', 'set', 'shareOpenAIKeyWithCustomBaseURL', 'yes'], env)).code).toBe(0);
    expect((await runCli(['config', 'set', 'level', 'l6'], env)).stdout).toBe('level = L6\n');
    const stored = JSON.parse(await readFile(path.join(home.dir, 'config.json'), 'utf8'));
    expect(stored).toEqual({ minutes: 30, shareOpenAIKeyWithCustomBaseURL: true, level: 'L6' });
    expect((await runCli(['config', 'get', 'minutes'], env)).stdout).toBe('30\n');
    expect((await runCli(['config', 'get', 'mode'], env)).stdout).toBe('interview\n'); // the default
    const list = JSON.parse((await runCli(['config', 'list', '--json'], env)).stdout) as { key: string; value: unknown; source: string }[];
    expect(list.find((r) => r.key === 'minutes')).toMatchObject({ value: 30, source: 'settings' });
    expect(list.find((r) => r.key === 'rubric')).toMatchObject({ value: 'default', source: 'default' });
    expect(list.find((r) => r.key === 'model')).toMatchObject({ value: null, source: 'unset' });
    const table = (await runCli(['config', 'list'], env)).stdout;
    expect(table).toMatch(/^KEY\s+VALUE\s+SOURCE\s+ALLOWED/);
    expect(table).toMatch(/\nmode\s+interview\s+default\s+interview \| monologue/);
  });

  it('the rubric setting is the rubric grade, progress and sessions show use when --rubric is not given', async () => {
    const session = path.join(import.meta.dirname, '..', '..', 'sessions', 'example-url-shortener.jsonl');
    const rubricOf = async (args: string[]) => {
      const run = await runCli(args, env);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { rubric: { name: string } }[])[0]!.rubric.name;
    };
    expect(await rubricOf(['grade', session, '--format', 'json'])).toBe('default');
    expect((await runCli(['config', 'set', 'rubric', 'staff-ml-infra'], env)).code).toBe(0);
    // grade used to ignore the setting (its --rubric had a default of its own).
    expect(await rubricOf(['grade', session, '--format', 'json'])).toBe('staff-ml-infra');
    expect(await rubricOf(['grade', session, '--format', 'json', '--rubric', 'default'])).toBe('default');
    expect((await runCli(['config', 'set', 'rubric', 'no-such-rubric'], env)).code).toBe(0);
    const missing = await runCli(['grade', session], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-rubric/);
  });

  it('refuses invalid values with the allowed ones, and unknown keys with a suggestion (exit 2)', async () => {
    const mode = await runCli(['config', 'set', 'mode', 'chat'], env);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toBe('sdcoach config: mode must be one of interview, monologue (got "chat")\n');
    const colour = await runCli(['config', 'set', 'colour', 'alway'], env);
    expect(colour.stderr).toMatch(/colour must be one of auto, always, never \(got "alway"; did you mean "always"\?\)/);
    const minutes = await runCli(['config', 'set', 'minutes', 'soon'], env);
    expect(minutes.code).toBe(2);
    expect(minutes.stderr).toMatch(/minutes must be a whole number from 1 to 240/);
    expect((await runCli(['config', 'set', 'minutes', '0'], env)).code).toBe(2);
    expect((await runCli(['config', 'set', 'baseURL', 'not a url'], env)).code).toBe(2);
    const unknown = await runCli(['config', 'get', 'rubrik'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown setting "rubrik" \(did you mean "rubric"\?\)/);
    await expect(stat(path.join(home.dir, 'config.json'))).rejects.toThrow(); // nothing was written
  });

  it('stores an API key in a 0600 file and masks it in list and get', async () => {
    const set = await runCli(['config', 'set', 'apiKey', 'sk-test-1234567890abcdef'], env);
    expect(set.stdout).toBe('apiKey = sk-…cdef\n');
    expect(set.stderr).toMatch(/0600/);
    expect((await stat(path.join(home.dir, 'config.json'))).mode & 0o777).toBe(0o600);
    expect((await runCli(['config', 'get', 'apiKey'], env)).stdout).toBe('sk-…cdef\n');
    const list = await runCli(['config', 'list'], env);
    expect(list.stdout).not.toContain('1234567890');
    expect(list.stdout).toMatch(/apiKey\s+sk-…cdef\s+settings/);
  });

  it('unset restores the default; env overrides are shown', async () => {
    await runCli(['config', 'set', 'model', 'llama3.1'], env);
    const list = JSON.parse((await runCli(['config', 'list', '--json'], { ...env, SDCOACH_MODEL: 'qwen' })).stdout) as { key: string; overriddenBy: string | null }[];
    expect(list.find((r) => r.key === 'model')!.overriddenBy).toBe('SDCOACH_MODEL');
    // Every setting with a variable shows it, the judge's included (config/resolve.ts's one table).
    const judged = JSON.parse((await runCli(['config', 'list', '--json'], { ...env, SDCOACH_JUDGE_MODEL: 'qwen3', SDCOACH_JUDGE_PROVIDER: 'local' })).stdout) as { key: string; overriddenBy: string | null }[];
    expect(judged.filter((r) => r.key.startsWith('judge')).map((r) => [r.key, r.overriddenBy])).toEqual([
      ['judgeProvider', 'SDCOACH_JUDGE_PROVIDER'],
      ['judgeModel', 'SDCOACH_JUDGE_MODEL'],
    ]);
    const set = await runCli(['config', 'set', 'judgeModel', 'llama3.1:8b'], { ...env, SDCOACH_JUDGE_MODEL: 'qwen3' });
    expect(set.stderr).toContain('note: SDCOACH_JUDGE_MODEL is set in your environment and takes precedence over this setting.');
    expect((await runCli(['config', 'unset', 'model'], env)).stdout).toBe('model unset\n');
    expect((await runCli(['config', 'unset', 'minutes'], env)).stdout).toBe('minutes was not set\n');
  });

  it('sessionsDir moves where sessions are listed from, relative paths stored absolute', async () => {
    const elsewhere = path.join(home.dir, 'elsewhere');
    const set = await runCli(['config', 'set', 'sessionsDir', elsewhere], env);
    expect(set.stdout).toBe(`sessionsDir = ${elsewhere}\n`);
    expect((await runCli(['sessions', 'list'], env)).stdout).toContain(`No sessions in ${elsewhere} yet`);
    // The environment beats the setting.
    const envDir = path.join(home.dir, 'from-env');
    expect((await runCli(['sessions', 'list'], { ...env, SDCOACH_SESSIONS_DIR: envDir })).stdout).toContain(envDir);
    expect((await runCli(['config', 'set', 'sessionsDir', 'relative/dir'], env)).stdout).toMatch(/^sessionsDir = \/.*relative\/dir\n$/);
  });

  it('a broken settings file is reported, not a crash', async () => {
    await (await import('node:fs/promises')).writeFile(path.join(home.dir, 'config.json'), '{"mode": "chat"}');
    const result = await runCli(['config', 'list'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/config\.json: mode/);
  });
});
