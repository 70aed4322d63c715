// One error type (issue 17): every project error class a user can meet is an SdcoachError carrying
// its exit code, and main (cli.ts) is the one place that turns it into `sdcoach <command>: <message>`
// on stderr and that code. Actions throw; they do not print their own failure and return a code.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorText, SdcoachError, UsageError } from '../src/errors.js';
import { main } from '../src/cli.js';

const SRC = path.join(import.meta.dirname, '..', 'src');

/** Errors internal to one module, never shown to the user (none are exported today). */
const INTERNAL = new Set<string>([]);

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

describe('every exported project error class is an SdcoachError', async () => {
  const found: { file: string; name: string }[] = [];
  for (const file of await sourceFiles(SRC)) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/^export class (\w+) extends \w+/gm)) {
      if (/Error$/.test(match[1]!) && !INTERNAL.has(match[1]!)) found.push({ file, name: match[1]! });
    }
  }

  it('finds the classes it checks', () => {
    expect(found.map((f) => f.name)).toEqual(expect.arrayContaining(['ConfigError', 'RubricError', 'ProblemLoadError', 'SettingsError', 'JudgePromptError', 'ProviderError', 'UsageError']));
  });

  it.each(found.map((f) => [f.name, path.relative(SRC, f.file)]))('%s (%s) extends SdcoachError', async (name, file) => {
    const module = (await import(path.join(SRC, file).replace(/\.tsx?$/, '.js'))) as Record<string, unknown>;
    const cls = module[name] as { prototype: unknown; name: string };
    expect(cls.prototype === SdcoachError.prototype || cls.prototype instanceof SdcoachError, `${name} extends SdcoachError`).toBe(true);
  });

  it('each carries the exit code the commands gave it: 2 for usage and configuration, 1 for failures', async () => {
    const { ConfigError } = await import('../src/llm/config.js');
    const { RubricError } = await import('../src/content/rubric-loader.js');
    const { ProblemLoadError, ProblemNotFoundError } = await import('../src/content/problem-loader.js');
    const { SettingsError } = await import('../src/storage/settings.js');
    const { ProviderError } = await import('../src/llm/provider.js');
    const { JudgePromptError } = await import('../src/grading/judge/judge-prompt.js');
    const { PullError } = await import('../src/llm/model-download.js');
    const cases: [SdcoachError, number, string][] = [
      [new ConfigError('bad url'), 2, 'ConfigError'],
      [new RubricError('no rubric'), 2, 'RubricError'],
      [new ProblemLoadError([]), 2, 'ProblemLoadError'],
      [new ProblemNotFoundError('x', []), 2, 'ProblemNotFoundError'],
      [new SettingsError('f', 'broken'), 2, 'SettingsError'],
      [new UsageError('no'), 2, 'UsageError'],
      [new ProviderError('network', 'down'), 1, 'ProviderError'],
      [new JudgePromptError('bad prompt'), 1, 'JudgePromptError'],
      [new PullError('404'), 1, 'PullError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error, name).toBeInstanceOf(SdcoachError);
      expect(error.exitCode, name).toBe(code);
      expect(error.name, name).toBe(name);
    }
  });
});

describe('errorText and under', () => {
  it('tells a failure under its command, or plain sdcoach: when no command claimed it', () => {
    expect(errorText(new SdcoachError('boom'))).toBe('sdcoach: boom\n');
    expect(errorText(new UsageError('bad', { command: 'grade' }))).toBe('sdcoach grade: bad\n');
    const claimed = new UsageError('x', { command: 'problems show' });
    expect(claimed.under('practice').command).toBe('problems show');
    expect(new SdcoachError('y').under('practice').command).toBe('practice');
  });
});

describe('main maps a thrown SdcoachError once', () => {
  let dir: string | null = null;
  afterEach(async () => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  it('an action throws its failure (it does not print it and return a code)', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-errors-'));
    const { runModelsPath } = await import('../src/commands/models/action.js');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const failure = await runModelsPath('no-such-model', { SDCOACH_HOME: dir, SDCOACH_MODELS_DIR: dir }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(write).not.toHaveBeenCalled();
    expect(failure).toBeInstanceOf(SdcoachError);
    expect((failure as SdcoachError).exitCode).toBe(2);
    expect((failure as SdcoachError).command).toBe('models path');
  });

  it('practice without a terminal or --script: the shared UsageError, told under practice', async () => {
    const { runPractice } = await import('../src/commands/practice/action.js');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const options = { problem: null, mode: null, minutes: null, level: null, rubric: null, resume: null, script: null, providerFlags: {} };
    const failure = await runPractice(options, {}).then(() => null, (error: unknown) => error);
    expect(write).not.toHaveBeenCalled();
    expect(failure).toBeInstanceOf(UsageError);
    expect(errorText(failure as UsageError)).toBe(
      'sdcoach practice: needs an interactive terminal. To play candidate turns from a file instead: sdcoach practice PROBLEM --script FILE\n',
    );
  });

  it('main writes `sdcoach <command>: <message>` once and returns the error’s exit code', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-errors-'));
    const env = { ...process.env };
    process.env.SDCOACH_HOME = dir;
    process.env.SDCOACH_MODELS_DIR = dir;
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const code = await main(['node', 'sdcoach', 'models', 'path', 'no-such-model']);
      expect(code).toBe(2);
      expect(lines).toEqual([
        `sdcoach models path: no local model "no-such-model": the models folder ${dir} is empty; pull one with \`sdcoach models pull OWNER/REPO/FILE.gguf\`\n`,
      ]);
      expect(process.exitCode).toBeUndefined();
    } finally {
      process.env = env;
    }
  });
});

describe('two copies of errors.ts (the launcher bundle and dist/)', () => {
  it('an SdcoachError made by the other copy is still instanceof SdcoachError; subclasses check their own chain', async () => {
    vi.resetModules();
    const other = await import('../src/errors.js');
    expect(other.SdcoachError).not.toBe(SdcoachError);
    const theirs = new other.UsageError('from the other copy', { command: 'grade' });
    expect(theirs).toBeInstanceOf(SdcoachError);
    expect(theirs instanceof UsageError).toBe(false);
    expect(new UsageError('ours') instanceof UsageError).toBe(true);
    expect(new SdcoachError('plain') instanceof UsageError).toBe(false);
    expect(new Error('plain') instanceof SdcoachError).toBe(false);
    expect(errorText(theirs as SdcoachError)).toBe('sdcoach grade: from the other copy\n');
  });
});
