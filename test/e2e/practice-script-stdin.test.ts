// Terminal conventions for `practice --script` and `grade`: `-` reads standard input; warnings
// and errors go to stderr, the conversation to stdout; a provider that fails and is replaced by
// the builtin interviewer saves the session but exits 1; a script with no turns (empty stdin)
// is a usage error that makes no session file.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTranscript } from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = `Requirements first: shorten a long URL, redirect quickly, count clicks.

I would store links in Cassandra keyed by the short code with a Redis cache in front.

/end
`;

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});
const sessionFiles = async () => (await readdir(path.join(home.dir, 'sessions')).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl'));

describe('practice --script -', () => {
  it('reads the script from standard input', async () => {
    const result = await runCli(['practice', 'url-shortener', '--seed', '2', '--script', '-'], { SDCOACH_HOME: home.dir }, { input: SCRIPT });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('You: Requirements first');
    expect(result.stdout).toMatch(/Overall \S+ \/ 5 · /);
    const [file] = await sessionFiles();
    const transcript = await readTranscript(path.join(home.dir, 'sessions', file!));
    expect(transcript.events.filter((e) => e.type === 'turn' && e.role === 'candidate')).toHaveLength(2);
  });

  it('empty standard input: a usage error, and no session file', async () => {
    const result = await runCli(['practice', 'url-shortener', '--script', '-'], { SDCOACH_HOME: home.dir }, { input: '' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^sdcoach practice: the script \(standard input\) has no candidate turns/);
    expect(await sessionFiles()).toEqual([]);
  });

  it('an unreadable script file: a usage error, and no session file', async () => {
    const result = await runCli(['practice', 'url-shortener', '--script', path.join(home.dir, 'missing.txt')], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read script');
    expect(await sessionFiles()).toEqual([]);
  });
});

describe('practice --script when the model fails', () => {
  it('[error]/[warn] on stderr, the builtin interviewer finishes, the session is saved, exit 1', async () => {
    const server = await startFakeOpenAI({ models: ['the-model'] });
    // Every chat request refused (a 400 is not retried): the session falls back at once.
    server.setDefault({ kind: 'status', status: 400, message: 'model is down' });
    try {
      const result = await runCli(['practice', 'url-shortener', '--seed', '5', '--provider', 'openai', '--model', 'the-model', '--script', '-'], {
        SDCOACH_HOME: home.dir,
        OPENAI_BASE_URL: server.url,
        SDCOACH_API_KEY: 'sk-test',
      }, { input: SCRIPT });
      expect(result.code).toBe(1);
      expect(result.stdout).not.toMatch(/^\[(error|warn)\]/m);
      expect(result.stderr).toMatch(/^\[error\] The model is not answering/m);
      expect(result.stderr).toMatch(/^\[warn\] Switched to the builtin interviewer/m);
      // Stdout is still the whole conversation and the score card.
      expect(result.stdout).toContain('You: Requirements first');
      expect(result.stdout).toMatch(/Overall \S+ \/ 5 · /);
      const [file] = await sessionFiles();
      expect(result.stderr).toContain(`sdcoach practice: the model the-model did not answer, so the builtin interviewer ran the session; the session is saved in ${path.join(home.dir, 'sessions', file!)}`);
      const transcript = await readTranscript(path.join(home.dir, 'sessions', file!));
      expect(transcript.events.some((e) => e.type === 'grade')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a judge that fails: the evidence grader grades, and the score card and the saved grade say why', async () => {
    const server = await startFakeOpenAI({ models: ['the-model'] });
    try {
      // The session's model answers; the judge names a model the server does not have.
      const result = await runCli(['practice', 'url-shortener', '--seed', '5', '--provider', 'openai', '--model', 'the-model', '--script', '-'], {
        SDCOACH_HOME: home.dir,
        OPENAI_BASE_URL: server.url,
        SDCOACH_API_KEY: 'sk-test',
        SDCOACH_JUDGE_MODEL: 'no-such-judge',
      }, { input: SCRIPT });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/sdcoach practice: the LLM judge failed \(.*no-such-judge.*\), so the offline evidence grader graded the session/);
      // On the card (as on the interactive screen) and in the saved grade, not only on stderr.
      expect(result.stdout).toMatch(/judge-fallback: graded by the evidence grader: the LLM judge failed/);
      const [file] = await sessionFiles();
      const transcript = await readTranscript(path.join(home.dir, 'sessions', file!));
      const grade = transcript.events.find((e) => e.type === 'grade') as { report: { grader: string; flags: { kind: string }[] } } | undefined;
      expect(grade?.report.grader).toBe('evidence');
      expect(grade?.report.flags.map((f) => f.kind)).toContain('judge-fallback');
    } finally {
      await server.close();
    }
  });

  it('the builtin interviewer as asked: no messages on stderr, exit 0', async () => {
    const result = await runCli(['practice', 'url-shortener', '--seed', '5', '--provider', 'builtin', '--script', '-'], { SDCOACH_HOME: home.dir }, { input: SCRIPT });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('grade -', () => {
  it('a plain-text transcript from standard input, named "-"', async () => {
    const text = await readFile(path.join(ROOT, 'sessions', 'example-rate-limiter.txt'), 'utf8');
    const result = await runCli(['grade', '-', '--format', 'json', '--grader', 'evidence', '--no-cache'], { SDCOACH_HOME: home.dir }, { input: text });
    expect(result.code, result.stderr).toBe(0);
    const [report] = JSON.parse(result.stdout);
    expect(report).toMatchObject({ file: '-', grader: 'evidence' });
    expect(result.stderr).toContain('graded -:');
  });

  it('a recorded session (JSONL) from standard input, detected by its content', async () => {
    const jsonl = await readFile(path.join(ROOT, 'sessions', 'example-url-shortener.jsonl'), 'utf8');
    const fromStdin = await runCli(['grade', '-', '--format', 'json', '--grader', 'evidence', '--no-cache'], { SDCOACH_HOME: home.dir }, { input: jsonl });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const fromFile = await runCli(['grade', path.join(ROOT, 'sessions', 'example-url-shortener.jsonl'), '--format', 'json', '--grader', 'evidence', '--no-cache'], { SDCOACH_HOME: home.dir });
    const [a] = JSON.parse(fromStdin.stdout);
    const [b] = JSON.parse(fromFile.stdout);
    expect(a).toMatchObject({ file: '-', sessionId: 'example-url-shortener', overall: b.overall });
  });

  it('empty standard input: nothing to grade, exit 2', async () => {
    const result = await runCli(['grade', '-'], { SDCOACH_HOME: home.dir }, { input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('sdcoach grade: nothing to grade: standard input (-) is empty\n');
  });
});
