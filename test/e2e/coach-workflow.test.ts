// Issue 14's coach workflow through the built CLI: failed files in every output format and in
// --out, --out never overwritten without --force, rubric warnings with file:line:column from
// validate, show and grade, and the rubric's content hash in reports.
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionOf } from '../support/positions.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SESSIONS = path.join(ROOT, 'sessions');

let home: Awaited<ReturnType<typeof tempHome>>;
let work: string;
let good: string;
let garbage: string;
let missing: string;

beforeAll(async () => {
  home = await tempHome('sdcoach-coach-e2e-');
  work = path.join(home.dir, 'work');
  await mkdir(work);
  const example = (await readdir(SESSIONS)).find((f) => f.endsWith('.jsonl'))!;
  good = path.join(work, 'good.jsonl');
  await copyFile(path.join(SESSIONS, example), good);
  garbage = path.join(work, 'garbage.jsonl');
  await writeFile(garbage, Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0a, 0x7b, 0x7b]));
  missing = path.join(work, 'missing.txt');
});
afterAll(() => home.cleanup());

const env = () => ({ SDCOACH_HOME: home.dir });
const batch = () => [good, garbage, missing];

describe('sdcoach grade: files it could not grade are in the output, not only on stderr', () => {
  it('json: an {file, error} entry after the reports; exit 1 as before', async () => {
    const result = await runCli(['grade', ...batch(), '--format', 'json', '--no-cache'], env());
    expect(result.code).toBe(1);
    const entries = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ file: good, schemaVersion: 1 });
    // Failures after the reports: arguments that matched no file first, then files that failed.
    expect(entries.slice(1)).toEqual([
      { file: missing, error: 'no such file' },
      { file: garbage, error: expect.stringMatching(/^no candidate text to grade/) },
    ]);
    expect(result.stderr).toMatch(/graded 1 of 3 files; 2 failed/);
  });

  it('jsonl and --out: one line per file, failures included; a pattern that matched nothing too', async () => {
    const out = path.join(work, 'all.jsonl');
    const nothing = path.join(work, 'nothing-*.txt');
    const result = await runCli(['grade', ...batch(), nothing, '--format', 'jsonl', '--out', out, '--no-cache', '--concurrency', '1'], env());
    expect(result.code).toBe(1);
    const stdout = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const written = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(written).toEqual(stdout);
    expect(written.map((e: { file: string }) => e.file).sort()).toEqual([good, garbage, missing, nothing].sort());
    expect(written.find((e: { file: string }) => e.file === nothing)).toEqual({ file: nothing, error: 'no file matches' });
    expect(written.find((e: { file: string }) => e.file === good).overall).toEqual(expect.any(Number));
  });

  it('csv: a row with the error in the last column; md: a Not graded section', async () => {
    const csv = await runCli(['grade', ...batch(), '--format', 'csv', '--no-cache'], env());
    expect(csv.code).toBe(1);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]!.split(',').at(-1)).toBe('error');
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.startsWith(missing))).toMatch(/,no such file$/);
    expect(rows.find((r) => r.startsWith(garbage))).toMatch(/,"?no candidate text to grade/);

    const md = await runCli(['grade', ...batch(), '--format', 'md', '--no-cache'], env());
    expect(md.code).toBe(1);
    const section = md.stdout.slice(md.stdout.indexOf('## Not graded'));
    expect(md.stdout).toContain('## Not graded');
    expect(section).toContain(`- \`${missing}\`: no such file`);
    expect(section).toContain(`- \`${garbage}\`: no candidate text to grade`);
  });
});

describe('sdcoach grade --out: an existing file is refused unless --force', () => {
  it('refuses before grading, exit 2, the file untouched; --force overwrites it', async () => {
    const out = path.join(work, 'last-week.jsonl');
    await writeFile(out, 'last week\n');
    const refused = await runCli(['grade', good, '--format', 'json', '--out', out], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`sdcoach grade: --out ${out} already exists; use --force to overwrite it`);
    expect(refused.stdout).toBe('');
    expect(await readFile(out, 'utf8')).toBe('last week\n');

    const forced = await runCli(['grade', good, '--format', 'json', '--out', out, '--force'], env());
    expect(forced.code, forced.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).file).toBe(good);
  });

  it('a new file needs no --force, and /dev/null is not "an existing file"', async () => {
    const fresh = path.join(work, 'fresh.jsonl');
    const created = await runCli(['grade', good, '--format', 'json', '--out', fresh], env());
    expect(created.code, created.stderr).toBe(0);
    expect((await readFile(fresh, 'utf8')).trim().split('\n')).toHaveLength(1);
    const devNull = await runCli(['grade', good, '--format', 'json', '--out', '/dev/null'], env());
    expect(devNull.code, devNull.stderr).toBe(0);
  });

  it('--help lists --force', async () => {
    const help = await runCli(['grade', '--help'], env());
    expect(help.stdout).toMatch(/--force\s+overwrite the --out file if it exists/);
  });
});

const COACH_RUBRIC = `name: coach
version: 1
description: A coach's rubric.
scale: { min: 1, max: 5 }
dimensions:
  - id: architecture
    name: Architecture
    weight: 1
    description: The design.
    signals:
      - name: api
        patterns: [rest, grpc, endpoint*]
    anchors: { 1: a1, 2: a2, 3: a3, 4: a4, 5: a5 }
    judge_guidance: Quote the design.
  - id: tradeoffs
    name: Tradeoffs
    weight: 1
    description: Costs of choices.
    signals:
      - name: naming the cost
        patterns: [the tradeoff is, at the cost of]
    anchors: { 1: t1, 2: t2, 3: t3, 4: t4, 5: t5 }
    judge_guidance: Quote the tradeoff.
levels:
  - level: L4
    min_overall: 2.5
`;

describe('rubric warnings: validate, show and grade name file:line:column', () => {
  let file: string;
  let ignoredAt: { line: number; column: number };
  let restAt: { line: number; column: number };
  beforeAll(async () => {
    file = path.join(work, 'coach.yaml');
    await writeFile(file, COACH_RUBRIC);
    ignoredAt = positionOf(COACH_RUBRIC, 'signals:', 2);
    restAt = positionOf(COACH_RUBRIC, 'rest,');
  });

  it('validate: still ok (exit 0), with a warning line per problem on stderr', async () => {
    const result = await runCli(['rubric', 'validate', file], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ok ${file} (2 dimensions, 2 warnings)`);
    expect(result.stderr).toContain(`${file}:${restAt.line}:${restAt.column}: warning: signal pattern "rest" is an everyday word`);
    expect(result.stderr).toContain(`${file}:${ignoredAt.line}:${ignoredAt.column}: warning: dimension "tradeoffs" is scored by the tradeoffs analyzer`);
  });

  it('show: the ignored signals are marked as not used, in text and in --json', async () => {
    const text = await runCli(['rubric', 'show', file], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^tradeoffs — Tradeoffs\n(?:.*\n)*? {2}signals: \(not used: scored from claims, signals ignored\) naming the cost \(2\)$/m);
    expect(text.stdout).toMatch(/^sha256 [0-9a-f]{64}$/m);
    expect(text.stderr).toContain(`${file}:${ignoredAt.line}:${ignoredAt.column}: warning:`);

    const json = await runCli(['rubric', 'show', file, '--json'], env());
    const rubric = JSON.parse(json.stdout);
    expect(rubric.dimensions.map((d: { id: string; analyzer: string; signals_used: boolean }) => [d.id, d.analyzer, d.signals_used])).toEqual([
      ['architecture', 'concepts', true],
      ['tradeoffs', 'tradeoffs', false],
    ]);
    expect(rubric.dimensions[1].signals_note).toBe('not used: scored from claims, signals ignored');
    expect(rubric.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rubric.warnings.map((w: { kind: string; line: number }) => [w.kind, w.line])).toEqual([
      ['everyday-word', restAt.line],
      ['ignored-signals', ignoredAt.line],
    ]);
  });

  it("grade with the coach's rubric prints the warnings and grades as usual; reports carry the rubric's sha256", async () => {
    const result = await runCli(['grade', good, '--rubric', file, '--format', 'json', '--no-cache'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${file}:${ignoredAt.line}:${ignoredAt.column}: warning:`);
    const [report] = JSON.parse(result.stdout);
    const show = JSON.parse((await runCli(['rubric', 'show', file, '--json'], env())).stdout);
    expect(report.rubric).toEqual({ name: 'coach', version: '1', sha256: show.sha256 });
  });

  it('grade with a packaged rubric prints no rubric warnings (they are not the coach\'s to fix)', async () => {
    const result = await runCli(['grade', good, '--format', 'json', '--no-cache'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('warning:');
  });

  it('a bad indentation: one error at the line, with the indentation expected', async () => {
    const bad = path.join(work, 'bad-indent.yaml');
    const text = COACH_RUBRIC.replace('    weight: 1\n    description: The design.', '   weight: 1\n    description: The design.');
    await writeFile(bad, text);
    const at = positionOf(text, '   weight: 1');
    const result = await runCli(['rubric', 'validate', bad], env());
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${at.line}:4: YAML syntax error: bad indentation: check the indentation of this line: it has 3 spaces, expected 4 spaces`));
  });
});
