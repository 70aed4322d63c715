// `sdcoach grade` as a script or a coach runs it: the built CLI over the shipped examples.
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIMENSION_IDS } from '../../src/schemas/rubric.js';
import { GRADE_REPORT_SCHEMA_FILE } from '../../src/schemas/json-schema.js';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SESSIONS = path.join(ROOT, 'sessions');

let home: Awaited<ReturnType<typeof tempHome>>;
let work: string;
let sessionFiles: string[];

beforeAll(async () => {
  home = await tempHome();
  work = path.join(home.dir, 'work');
  await mkdir(work);
  sessionFiles = (await readdir(SESSIONS)).filter((f) => /\.(jsonl|txt|md)$/.test(f)).map((f) => path.join(SESSIONS, f));
});
afterAll(() => home.cleanup());

const env = () => ({ SDCOACH_HOME: home.dir });

describe('sdcoach grade', () => {
  it('prints a table of overall, level and every dimension for the examples', async () => {
    const result = await runCli(['grade', ...sessionFiles, '--format', 'table', '--no-cache'], env());
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = result.stdout.split('\n');
    for (const column of ['file', 'overall', 'level', 'req', 'est', 'arch', 'deep', 'trade', 'scale', 'rel', 'obs', 'sec', 'clar', 'time', 'comp']) {
      expect(header).toContain(column);
    }
    for (const file of sessionFiles) expect(rows.some((row) => row.startsWith(path.basename(file).slice(0, 20)))).toBe(true);
    expect(result.stderr).toMatch(new RegExp(`graded ${sessionFiles.length} of ${sessionFiles.length} files`));
  });

  it('prints JSON that matches the committed schema, with every default dimension', async () => {
    const result = await runCli(['grade', SESSIONS, '--format', 'json', '--no-cache'], env());
    expect(result.code, result.stderr).toBe(0);
    const reports = JSON.parse(result.stdout);
    const schema = JSON.parse(await readFile(path.join(ROOT, GRADE_REPORT_SCHEMA_FILE), 'utf8'));
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(schema);
    expect(reports.length).toBe(sessionFiles.length);
    for (const report of reports) {
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(Object.keys(report.dimensions)).toEqual([...DEFAULT_DIMENSION_IDS]);
      for (const id of DEFAULT_DIMENSION_IDS) {
        const score = report.dimensions[id].score;
        expect(score === null || (score >= 1 && score <= 5)).toBe(true);
      }
      if (report.mode === 'monologue') expect(report.dimensions.composure.score).toBeNull();
    }
  });

  it('reports a broken file, grades the rest, exits 1, and writes JSONL with --out', async () => {
    const good = path.join(work, 'good.jsonl');
    await copyFile(sessionFiles.find((f) => f.endsWith('.jsonl'))!, good);
    const garbage = path.join(work, 'garbage.jsonl');
    await writeFile(garbage, Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0a, 0x7b, 0x7b]));
    const out = path.join(work, 'out.jsonl');
    const result = await runCli(['grade', good, garbage, path.join(work, 'missing.txt'), '--format', 'csv', '--out', out, '--no-cache'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/✗ .*garbage\.jsonl: no candidate text to grade \(line 1: /);
    expect(result.stderr).toMatch(/✗ .*missing\.txt: no such file/);
    expect(result.stderr).toMatch(/graded 1 of 3 files; 2 failed/);
    expect(result.stdout.split('\r\n')[1]).toContain('good.jsonl');
    // Every file is in --out, the two that failed as {file, error} (issue 14).
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines.find((entry) => entry.file === good).schemaVersion).toBe(1);
    expect(lines.find((entry) => entry.file === garbage).error).toMatch(/^no candidate text to grade/);
  });

  it('grades a UTF-16 transcript (Windows PowerShell output) like its UTF-8 twin', async () => {
    const text = 'Interviewer: Design a cache.\nCandidate: First I would clarify the read and write ratio, then add monitoring and alerting on the hit ratio.\n';
    const utf8 = path.join(work, 'twin-utf8.txt');
    const utf16 = path.join(work, 'twin-utf16.txt');
    await writeFile(utf8, text);
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const result = await runCli(['grade', utf8, utf16, '--format', 'json', '--no-cache'], env());
    expect(result.code, result.stderr).toBe(0);
    const [a, b] = JSON.parse(result.stdout);
    expect(b.mode).toBe('interview');
    expect(b.overall).toBe(a.overall);
    expect(b.dimensions).toEqual(a.dimensions);
  });

  it('reuses cached grades on a rerun, and regrades when the transcript changes', async () => {
    const file = path.join(work, 'cached.txt');
    await writeFile(file, 'Interviewer: Design a cache.\nCandidate: First I would clarify the read and write ratio, then estimate QPS.\n');
    const first = await runCli(['grade', file, '--format', 'jsonl'], env());
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['grade', file, '--format', 'jsonl'], env());
    expect(second.stderr).toMatch(/\(1 from cache\)/);
    expect(JSON.parse(second.stdout).overall).toBe(JSON.parse(first.stdout).overall);
    await writeFile(file, 'Interviewer: Design a cache.\nCandidate: I would add monitoring and alerting on hit ratio.\n');
    const third = await runCli(['grade', file, '--format', 'jsonl'], env());
    expect(third.stderr).not.toMatch(/from cache/);
  });

  it('grades duplicate files in one batch, regrades after a rubric edit, and never reads its own --out', async () => {
    const folder = path.join(work, 'dupes');
    await mkdir(folder);
    const source = sessionFiles.find((f) => f.endsWith('example-url-shortener.jsonl'))!;
    for (const name of ['a.jsonl', 'b.jsonl', 'c.jsonl']) await copyFile(source, path.join(folder, name));
    const out = path.join(folder, 'grades.jsonl');
    const first = await runCli(['grade', folder, '--format', 'csv', '--out', out, '--concurrency', '3'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/graded 3 of 3 files/);
    // Second run: grades.jsonl now sits in the folder but is not taken as a transcript.
    const second = await runCli(['grade', folder, '--format', 'csv', '--out', out, '--force'], env());
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/graded 3 of 3 files \(3 from cache\)/);

    const rubric = path.join(work, 'heavy.yaml');
    const original = await readFile(path.join(ROOT, 'rubrics', 'default.yaml'), 'utf8');
    await writeFile(rubric, original.replace(/weight: [\d.]+/, 'weight: 50'));
    const cachedDefault = await runCli(['grade', path.join(folder, 'a.jsonl'), '--format', 'jsonl'], env());
    const edited = await runCli(['grade', path.join(folder, 'a.jsonl'), '--format', 'jsonl', '--rubric', rubric], env());
    expect(edited.stderr).not.toMatch(/from cache/);
    expect(JSON.parse(edited.stdout).overall).not.toBe(JSON.parse(cachedDefault.stdout).overall);
  });

  it('exits 2 on usage errors: no files, bad format, a broken rubric', async () => {
    const none = await runCli(['grade', path.join(work, 'nothing-*.jsonl')], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to grade: .*nothing-\*\.jsonl: no file matches/);

    const emptyDir = path.join(work, 'empty-folder');
    await mkdir(emptyDir);
    const empty = await runCli(['grade', emptyDir], env());
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty-folder: no transcripts \(\.jsonl, \.txt, \.md, \.vtt, \.srt, \.json\) in this folder/);

    const typo = await runCli(['grade', sessionFiles[0]!, '--problem', 'url-shortner'], env());
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/url-shortner/);
    expect(typo.stderr).toMatch(/url-shortener/);

    const format = await runCli(['grade', sessionFiles[0]!, '--format', 'xml'], env());
    expect(format.code).toBe(2);

    const rubric = path.join(work, 'broken.yaml');
    await writeFile(rubric, 'name: broken\nversion: 1\ndescription: x\nscale: {min: 1, max: 5}\ndimensions:\n  - id: clarity\n    wieght: 1\n');
    const broken = await runCli(['grade', sessionFiles[0]!, '--rubric', rubric], env());
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml:7:5: .*wieght.*did you mean "weight"/);
  });

  it('needs a model for the llm grader and says how to get one', async () => {
    const result = await runCli(['grade', sessionFiles[0]!, '--grader', 'llm'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the llm grader needs a model/);
  });

  it('grades with a model as judge over HTTP: waits out a 429, keeps real quotes, drops and flags invented ones', async () => {
    const judgeReply = JSON.stringify({
      dimensions: [
        {
          id: 'estimation',
          score: 3,
          evidence: [{ quote: '50M keys is 5 GB', turn: 4 }],
          missing: ['no storage growth estimate'],
          rationale: 'some numbers',
        },
        {
          id: 'observability',
          score: 4,
          evidence: [{ quote: 'I would alert on the p99 of every Redis shard', turn: 4 }],
          missing: [],
          rationale: 'invented',
        },
      ],
      strengths: ['clear numbers'],
      to_expand: ['failure handling'],
    });
    const server = await startFakeOpenAI({ models: ['judge-model'] });
    server.enqueue({ kind: 'status', status: 429, retryAfterMs: '100' }, { kind: 'reply', text: judgeReply });
    try {
      const file = path.join(SESSIONS, 'example-rate-limiter.txt');
      const result = await runCli(['grade', file, '--grader', 'llm', '--format', 'json', '--no-cache', '--model', 'judge-model'], {
        ...env(),
        OPENAI_BASE_URL: server.url,
      });
      expect(result.code, result.stderr).toBe(0);
      const [report] = JSON.parse(result.stdout);
      expect(report).toMatchObject({ grader: 'llm', model: 'judge-model', strengths: ['clear numbers'] });
      expect(report.dimensions.estimation.score).toBe(3);
      expect(report.dimensions.estimation.evidence).toEqual([expect.objectContaining({ quote: expect.stringContaining('50M keys is 5 GB'), turn: 4 })]);
      expect(report.dimensions.observability.evidence).toEqual([]);
      expect(report.flags.some((f: { kind: string; message: string }) => f.kind === 'invented-quote' && f.message.includes('p99 of every Redis shard'))).toBe(true);
      const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
      expect(chats).toHaveLength(2);
      expect(chats[1]!.body.response_format.type).toBe('json_schema');
    } finally {
      await server.close();
    }
  });
});
