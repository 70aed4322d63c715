// `sdcoach completion bash|zsh|fish` and the hidden `sdcoach __complete`, run from the built
// launcher. The bash script is sourced in a real bash and driven the way bash drives it
// (COMP_WORDS, COMP_CWORD, then the completion function), so what a user gets on Tab is tested.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { BIN, runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TRACE = path.resolve(import.meta.dirname, '..', 'support', 'trace-imports.mjs');

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let shimDir: string;
let otherSessions: string;
let packagedProblems: string[];

beforeAll(async () => {
  home = await tempHome();
  env = { SDCOACH_HOME: home.dir };
  await mkdir(path.join(home.dir, 'problems'));
  await writeFile(path.join(home.dir, 'problems', 'my-own-problem.md'), '---\nnot checked by completion\n---\n');
  await mkdir(path.join(home.dir, 'rubrics'));
  await writeFile(path.join(home.dir, 'rubrics', 'coach-strict.yaml'), 'name: coach-strict\n');
  await mkdir(path.join(home.dir, 'sessions'));
  await writeFile(path.join(home.dir, 'sessions', '20260101-0900-url-shortener.jsonl'), '');
  await writeFile(path.join(home.dir, 'sessions', '20260102-1000-payments.jsonl'), '');
  otherSessions = path.join(home.dir, 'elsewhere');
  await mkdir(otherSessions);
  await writeFile(path.join(otherSessions, '20250505-0505-news-feed.jsonl'), '');
  // `sdcoach` on PATH, as after npm install -g: the script calls it back for ids.
  shimDir = path.join(home.dir, 'bin');
  await mkdir(shimDir);
  await writeFile(path.join(shimDir, 'sdcoach'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(path.join(shimDir, 'sdcoach'), 0o755);
  packagedProblems = (await readdir(path.join(ROOT, 'prompts', 'problems')))
    .filter((name) => name.endsWith('.md') && name.toLowerCase() !== 'readme.md')
    .map((name) => name.slice(0, -3));
});
afterAll(() => home.cleanup());

async function script(shell: string): Promise<string> {
  const result = await runCli(['completion', shell], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** What bash offers for a command line whose last word is being completed. */
function bashComplete(bashScript: string, words: string[]): string[] {
  const driver = `
source "$SCRIPT"
COMP_WORDS=("$@")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
COMPREPLY=()
_sdcoach
printf '%s\\n' "\${COMPREPLY[@]}"
`;
  const scriptFile = path.join(home.dir, 'sdcoach.bash');
  execFileSync('sh', ['-c', 'cat > "$0"', scriptFile], { input: bashScript });
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', driver, 'bash', ...words], {
    cwd: ROOT,
    env: { PATH: `${shimDir}:${process.env.PATH ?? ''}`, HOME: home.dir, SDCOACH_HOME: home.dir, NO_COLOR: '1', SCRIPT: scriptFile },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

describe('sdcoach __complete', () => {
  it('lists problem ids: the packaged bank and the user\'s own', async () => {
    const result = await runCli(['__complete', 'problems'], env);
    expect(result.code).toBe(0);
    const ids = result.stdout.trim().split('\n');
    expect(ids).toContain('url-shortener');
    expect(ids).toContain('my-own-problem');
    for (const id of packagedProblems) expect(ids).toContain(id);
    expect(ids).not.toContain('README');
  });

  it('lists rubric names: packaged and user', async () => {
    const result = await runCli(['__complete', 'rubrics'], env);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['coach-strict', 'default', 'monologue-short', 'staff-ml-infra']);
  });

  it('lists session ids from the sessions folder, or from --dir', async () => {
    expect((await runCli(['__complete', 'sessions'], env)).stdout).toBe('20260101-0900-url-shortener\n20260102-1000-payments\n');
    expect((await runCli(['__complete', 'sessions', '--dir', otherSessions], env)).stdout).toBe('20250505-0505-news-feed\n');
  });

  it('rejects an unknown kind and is not listed in --help', async () => {
    const bad = await runCli(['__complete', 'nonsense'], env);
    expect(bad.code).toBe(2);
    const help = await runCli(['--help'], env);
    expect(help.stdout).toContain('completion');
    expect(help.stdout).not.toContain('__complete');
  });

  it('runs from the start-up bundle: imports no module at all (fast as --help)', async () => {
    const imports = await new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', TRACE, BIN, '__complete', 'problems'], {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SDCOACH_HOME: home.dir },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.resume();
      child.on('error', reject);
      child.on('close', () => resolve(stderr.split('\n').filter((line) => line.startsWith('IMPORT file:'))));
    });
    expect(imports.filter((line) => !line.endsWith('/bin/sdcoach.js'))).toEqual([]);
  });
});

describe('sdcoach completion bash', () => {
  let bash: string;
  beforeAll(async () => {
    bash = await script('bash');
  });

  it('is valid bash that registers the completion function', () => {
    expect(spawnSync('bash', ['-n'], { input: bash }).status).toBe(0);
    expect(bash).toContain('complete -F _sdcoach sdcoach');
  });

  it('completes commands and subcommands (hidden ones are not offered)', () => {
    const top = bashComplete(bash, ['sdcoach', '']);
    for (const command of ['practice', 'grade', 'doctor', 'rubric', 'problems', 'sessions', 'progress', 'config', 'completion']) expect(top).toContain(command);
    expect(top).not.toContain('__complete');
    expect(bashComplete(bash, ['sdcoach', 'ses'])).toEqual(['sessions']);
    expect(bashComplete(bash, ['sdcoach', 'sessions', ''])).toEqual(['list', 'show', 'export', 'rm', 'resume']);
    expect(bashComplete(bash, ['sdcoach', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes flags and their fixed values', () => {
    expect(bashComplete(bash, ['sdcoach', 'grade', '--f'])).toEqual(['--format', '--force']);
    expect(bashComplete(bash, ['sdcoach', 'grade', '--format', ''])).toEqual(['table', 'json', 'jsonl', 'md', 'csv']);
    expect(bashComplete(bash, ['sdcoach', 'practice', '--level', 'L'])).toEqual(['L3', 'L4', 'L5', 'L6', 'L7']);
    expect(bashComplete(bash, ['sdcoach', 'doctor', '--provider', ''])).toEqual(['builtin', 'openai', 'local', 'ollama', 'lmstudio']);
    expect(bashComplete(bash, ['sdcoach', 'config', 'get', 'mo'])).toEqual(['model', 'mode']);
  });

  it('completes problem ids, rubric names and session ids', () => {
    const problems = bashComplete(bash, ['sdcoach', 'practice', '']);
    expect(problems).toContain('url-shortener');
    expect(problems).toContain('my-own-problem');
    expect(bashComplete(bash, ['sdcoach', 'problems', 'show', 'url'])).toContain('url-shortener');
    expect(bashComplete(bash, ['sdcoach', 'grade', '--problem', 'pay'])).toEqual(['payments']);
    expect(bashComplete(bash, ['sdcoach', 'grade', '--rubric', 'coach'])).toEqual(['coach-strict']);
    expect(bashComplete(bash, ['sdcoach', 'sessions', 'show', ''])).toEqual(['20260101-0900-url-shortener', '20260102-1000-payments']);
    expect(bashComplete(bash, ['sdcoach', 'sessions', 'rm', '--dir', otherSessions, ''])).toEqual(['20250505-0505-news-feed']);
    expect(bashComplete(bash, ['sdcoach', 'practice', '--resume', '2026010'])).toEqual(['20260101-0900-url-shortener', '20260102-1000-payments']);
  });

  it('completes files where a command takes files, after the flags before them', () => {
    expect(bashComplete(bash, ['sdcoach', 'grade', '--format', 'json', 'sessions/ex'])).toContain('sessions/example-url-shortener.jsonl');
    expect(bashComplete(bash, ['sdcoach', 'rubric', 'validate', 'rubrics/def'])).toEqual(['rubrics/default.yaml']);
  });
});

describe('sdcoach completion zsh and fish', () => {
  it('zsh: a #compdef function covering every command, ids through __complete', async () => {
    const zsh = await script('zsh');
    expect(zsh.startsWith('#compdef sdcoach\n')).toBe(true);
    expect(zsh).toContain('compdef _sdcoach sdcoach');
    expect(zsh).toContain("'sessions') echo 'list show export rm resume' ;;");
    expect(zsh).toContain("'grade|--rubric') echo 'rubrics files' ;;");
    expect(zsh).toContain('__complete $kind');
    expect(zsh).not.toContain("'__complete'");
    const hasZsh = spawnSync('zsh', ['-c', 'exit 0']).status === 0;
    if (hasZsh) expect(spawnSync('zsh', ['-n'], { input: zsh }).status).toBe(0);
  });

  it('fish: complete lines for commands, flags with values, and ids through __complete', async () => {
    const fish = await script('fish');
    expect(fish).toContain('complete -c sdcoach -f');
    expect(fish).toContain(`complete -c sdcoach -n '__sdcoach_at \\'\\'' -a practice -d`);
    expect(fish).toContain(`complete -c sdcoach -n '__sdcoach_at \\'grade\\'' -l format -r -a 'table json jsonl md csv'`);
    expect(fish).toContain(`-n '__sdcoach_at \\'practice\\'' -a '(__sdcoach_complete problems)'`);
    expect(fish).toContain(`-n '__sdcoach_at \\'sessions show\\'' -a '(__sdcoach_complete sessions)'`);
    expect(fish).toContain(`-l rubric -r -F -a '(__sdcoach_complete rubrics)'`);
    expect(fish).not.toContain('-a __complete');
    const hasFish = spawnSync('fish', ['-c', 'exit 0']).status === 0;
    if (hasFish) expect(spawnSync('fish', ['--no-execute'], { input: fish }).status).toBe(0);
  });

  it('rejects an unknown shell with the choices', async () => {
    const result = await runCli(['completion', 'powershell'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bash, zsh, fish');
  });
});
