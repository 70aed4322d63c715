// `sdcoach grade` with --grader auto (the default), as a coach runs it: the built CLI, the local
// fake OpenAI server behind the real openai client, no real model.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRADE_REPORT_SCHEMA_FILE } from '../../src/schemas/json-schema.js';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FILE = path.join(ROOT, 'sessions', 'example-rate-limiter.txt');
const OTHER = path.join(ROOT, 'sessions', 'weak-group-chat.txt');

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home.cleanup());
const env = () => ({ SDCOACH_HOME: home.dir });

type Report = {
  grader: string;
  model: string | null;
  dimensions: Record<string, { score: number | null; grader?: string | null }>;
  flags: { kind: string; message: string }[];
};

const JUDGE_REPLY = JSON.stringify({
  dimensions: [{ id: 'estimation', score: 3, evidence: [{ quote: '50M keys is 5 GB', turn: 4 }], missing: [], rationale: 'some numbers' }],
  strengths: ['clear numbers'],
  to_expand: ['failure handling'],
});

describe('sdcoach grade --grader auto (the default)', () => {
  it('with no model configured: the evidence grader, said once on stderr, every dimension marked evidence', async () => {
    const result = await runCli(['grade', FILE, OTHER, '--format', 'json', '--no-cache'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/grading with the evidence grader \(no model configured\)/g)).toHaveLength(1);
    const reports: Report[] = JSON.parse(result.stdout);
    const schema = JSON.parse(await readFile(path.join(ROOT, GRADE_REPORT_SCHEMA_FILE), 'utf8'));
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(schema);
    for (const report of reports) {
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.grader).toBe('evidence');
      for (const d of Object.values(report.dimensions)) expect(d.grader).toBe('evidence');
    }
  });

  it('the builtin provider is not a model: evidence', async () => {
    const result = await runCli(['grade', FILE, '--format', 'json', '--no-cache', '--provider', 'builtin'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/grading with the evidence grader \(the builtin provider is not a model/);
    expect(JSON.parse(result.stdout)[0].grader).toBe('evidence');
  });

  it('a configured endpoint that does not answer: evidence, after one short check', async () => {
    const server = await startFakeOpenAI();
    const url = server.url;
    await server.close();
    const result = await runCli(['grade', FILE, '--format', 'json', '--no-cache'], { ...env(), OPENAI_BASE_URL: url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`grading with the evidence grader (no model reachable at ${new URL(url).host})`);
    expect(JSON.parse(result.stdout)[0].grader).toBe('evidence');
  });

  it('a reachable model: the judge, checked once per batch; it sees the evidence; scores it skipped are the evidence grader’s, marked', async () => {
    const server = await startFakeOpenAI({ models: ['judge-model'] });
    server.setDefault({ kind: 'reply', text: JUDGE_REPLY });
    try {
      const result = await runCli(['grade', FILE, OTHER, '--format', 'json', '--no-cache', '--model', 'judge-model'], {
        ...env(),
        OPENAI_BASE_URL: server.url,
        SDCOACH_API_KEY: 'sk-secret-test-key',
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.match(/grading with the LLM judge \(judge-model at 127\.0\.0\.1:\d+\)/g)).toHaveLength(1);
      expect(result.stderr + result.stdout).not.toContain('sk-secret-test-key');
      // Asked once for the whole batch, not per file: the model's context (its server's model
      // lists) and whether it is reachable (GET /models), then the judge's requests.
      const firstChat = server.requests.findIndex((r) => r.path.endsWith('/chat/completions'));
      const asks = server.requests.filter((r) => r.path.endsWith('/models'));
      expect(asks.map((r) => r.path).sort()).toEqual(['/api/v0/models', '/v1/models', '/v1/models']);
      expect(server.requests.slice(firstChat).filter((r) => r.path.endsWith('/models'))).toEqual([]);
      const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
      expect(chats).toHaveLength(2);
      for (const chat of chats) {
        const user = chat.body.messages[1].content as string;
        expect(user).toMatch(/<<<EVIDENCE [0-9a-f]{16}>>>[\s\S]*## TIME PER PHASE[\s\S]*## EVIDENCE GRADER SCORES[\s\S]*<<<END EVIDENCE [0-9a-f]{16}>>>/);
      }
      const reports: Report[] = JSON.parse(result.stdout);
      const [report] = reports.filter((r) => (r as unknown as { file: string }).file === FILE);
      expect(report).toMatchObject({ grader: 'llm', model: 'judge-model' });
      expect(report!.dimensions.estimation).toMatchObject({ score: 3, grader: 'llm' });
      expect(report!.dimensions.requirements!.grader).toBe('evidence');
      expect(report!.dimensions.requirements!.score).not.toBeNull();
      expect(report!.flags.some((f) => f.kind === 'judge-fallback' && f.message.includes('requirements (the judge gave no score)'))).toBe(true);

      const md = await runCli(['grade', FILE, '--format', 'md', '--no-cache', '--model', 'judge-model'], { ...env(), OPENAI_BASE_URL: server.url });
      expect(md.code, md.stderr).toBe(0);
      expect(md.stdout).toMatch(/\| Requirements[^|]*\| \d\.\d \(evidence\) \|/);
      expect(md.stdout).toMatch(/\| Back-of-the-envelope estimation \| 3\.0 \|/);
    } finally {
      await server.close();
    }
  });

  it('a file the judge fails on is graded by the evidence grader with a flag, never lost', async () => {
    const server = await startFakeOpenAI({ models: ['judge-model'] });
    // Structured request refused, then the plain one refused too: the judge gives up on this file.
    // The endpoint echoes the key in its error: the report must not.
    const refusal = { kind: 'status' as const, status: 400, message: 'model cannot do this for key sk-secret-test-key-1234' };
    server.enqueue(refusal, refusal);
    try {
      const result = await runCli(['grade', FILE, '--format', 'json', '--no-cache', '--model', 'judge-model'], {
        ...env(),
        OPENAI_BASE_URL: server.url,
        SDCOACH_API_KEY: 'sk-secret-test-key-1234',
      });
      expect(result.stdout + result.stderr).not.toContain('sk-secret-test-key');
      expect(result.code, result.stderr).toBe(0);
      const [report]: Report[] = JSON.parse(result.stdout);
      expect(report).toMatchObject({ grader: 'evidence', model: null });
      expect(report!.flags).toContainEqual({ kind: 'judge-fallback', message: expect.stringMatching(/^graded by the evidence grader: the LLM judge failed \(.*model cannot do this for key sk-\[redacted\]/) });
      for (const d of Object.values(report!.dimensions)) expect(d.grader).toBe('evidence');
    } finally {
      await server.close();
    }
  });

  it('--grader llm still fails a file the judge cannot grade, as before', async () => {
    const server = await startFakeOpenAI({ models: ['judge-model'] });
    server.enqueue({ kind: 'status', status: 400, message: 'model cannot do this' }, { kind: 'status', status: 400, message: 'model cannot do this' });
    try {
      const result = await runCli(['grade', FILE, '--grader', 'llm', '--format', 'json', '--no-cache', '--model', 'judge-model'], {
        ...env(),
        OPENAI_BASE_URL: server.url,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(/grading with the/);
      expect(JSON.parse(result.stdout)[0]).toMatchObject({ file: FILE, error: expect.stringMatching(/LLM judge/) });
    } finally {
      await server.close();
    }
  });

  it('the help explains auto', async () => {
    const result = await runCli(['grade', '--help'], env());
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(choices: "auto", "evidence", "llm", default: "auto")');
    expect(help).toContain('--grader auto (the default) checks the configured model once per run');
  });
});
