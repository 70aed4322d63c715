// The coach's workflow defects of issue 14, one describe each: signals an analyzer never reads,
// failed files in every output, the grade cache keyed on the grader's code, the rubric's content
// hash in reports, one indentation error instead of a cascade, everyday-word patterns.
// Every expected line and column is computed from the fixture text, never typed by hand.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRubric, SIGNALS_IGNORED } from '../../src/commands/rubric/action.js';
import { styler } from '../../src/term/colour.js';
import { gradeEvidence } from '../../src/grading/evidence-grader.js';
import { cacheKey, codeTreeHash, graderCodeHash, type CacheKeyParts } from '../../src/grading/grade-cache.js';
import { renderCsv } from '../../src/grading/render/csv.js';
import { renderMarkdown } from '../../src/grading/render/markdown.js';
import { buildReport } from '../../src/grading/report.js';
import {
  analyzerReadsSignals,
  everydayWordProblem,
  formatRubricWarning,
  loadRubric,
  parseRubricText,
  rubricSha256,
  starterRubric,
  validateRubricFile,
  warningsOf,
} from '../../src/content/rubric-loader.js';
import { GradeReport } from '../../src/schemas/report.js';
import { Analyzer, analyzerFor, Rubric } from '../../src/schemas/rubric.js';
import { packagedDirs } from '../../src/storage/paths.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';
import { formatYamlError } from '../../src/storage/yaml-file.js';
import { tempHome } from '../support/env.js';
import { positionOf } from '../support/positions.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PACKAGED = ['default', 'monologue-short', 'staff-ml-infra'];
const plain = { red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s, dim: (s: string) => s, cyan: (s: string) => s };

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome('sdcoach-coach-');
});
afterAll(() => home.cleanup());

const dirs = () => ({ userRubricsDir: path.join(home.dir, 'rubrics'), packagedRubricsDir: packagedDirs().rubrics });

/** A valid rubric: a concepts dimension, and a tradeoffs dimension (its own analyzer) with signals. */
const RUBRIC = `name: coach
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
        patterns: [rest api, grpc, endpoint*]
      - name: storage
        patterns: [postgres*, cassandra]
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

const TRANSCRIPT = [
  'Interviewer: Design a URL shortener.',
  'Candidate: First the requirements: 100 million new links a day, reads dominate 100 to 1. The tradeoff is consistency versus latency, at the cost of stale reads for a few seconds.',
  'Interviewer: Why not a relational database?',
  'Candidate: I would still use cassandra, the reason is the write volume; a rest api in front with an endpoint per operation, and a zebra cache keyed by the short code.',
  'Interviewer: How do you size it?',
  'Candidate: 100 million a day is about 1,200 writes per second, 120,000 reads per second at peak; 500 bytes per link is 50 GB a day.',
].join('\n');

describe('1. signals a dimension analyzer never reads are called out, and scores do not move', () => {
  it('analyzerReadsSignals matches what each analyzer does: signals change its result or they do not', () => {
    const transcript = importPlainTranscript(TRANSCRIPT, { file: 'signals.txt' });
    for (const analyzer of Analyzer.options) {
      const make = (signals: { name: string; patterns: string[] }[]) =>
        Rubric.parse({
          name: 'probe',
          version: 1,
          description: 'probe',
          scale: { min: 1, max: 5 },
          dimensions: [{ id: 'probe', name: 'Probe', weight: 1, description: 'p', analyzer, signals, anchors: { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' }, judge_guidance: 'g' }],
          levels: [{ level: 'L3', min_overall: 1 }],
        });
      const without = gradeEvidence({ transcript, rubric: make([]), problem: null }).dimensions.probe;
      const withSignals = gradeEvidence({ transcript, rubric: make([{ name: 'zebra things', patterns: ['zebra'] }, { name: 'cassandra', patterns: ['cassandra'] }]), problem: null }).dimensions.probe;
      const reads = JSON.stringify(without) !== JSON.stringify(withSignals);
      expect(reads, `${analyzer}: signals ${reads ? 'change' : 'do not change'} the result`).toBe(analyzerReadsSignals(analyzer));
    }
  });

  it('a dimension whose analyzer ignores its signals is a warning at its signals: key, and the rubric still loads', async () => {
    const file = path.join(home.dir, 'coach.yaml');
    await writeFile(file, RUBRIC);
    const result = parseRubricText(RUBRIC, file);
    expect(result.ok).toBe(true);
    const ignored = result.warnings.filter((w) => w.kind === 'ignored-signals');
    const at = positionOf(RUBRIC, 'signals:', 2);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatchObject({ file, line: at.line, column: at.column });
    expect(formatRubricWarning(ignored[0]!)).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${at.line}:${at.column}: warning: dimension "tradeoffs" is scored by the tradeoffs analyzer .* signal group is ignored`),
    );
    const loaded = await loadRubric(file, dirs());
    expect(warningsOf(loaded).map((w) => w.kind)).toContain('ignored-signals');
  });

  it('rubric show marks them as not used; the concepts dimension keeps its signals listed plainly', async () => {
    const file = path.join(home.dir, 'coach-show.yaml');
    await writeFile(file, RUBRIC);
    const loaded = await loadRubric(file, dirs());
    const text = renderRubric(loaded, plain as never, analyzerFor, { readsSignals: analyzerReadsSignals, sha256: rubricSha256(loaded) });
    const tradeoffs = text.slice(text.indexOf('tradeoffs — '));
    const architecture = text.slice(text.indexOf('architecture — '), text.indexOf('tradeoffs — '));
    expect(tradeoffs).toContain(`signals: (${SIGNALS_IGNORED}) naming the cost (2)`);
    expect(architecture).toContain('signals: api (3), storage (2)');
    expect(architecture).not.toContain(SIGNALS_IGNORED);
    expect(text).toContain(`sha256 ${rubricSha256(loaded)}`);
  });

  it('grading is unchanged: the same scores with the ignored signals as without them', () => {
    const transcript = importPlainTranscript(TRANSCRIPT, { file: 'same.txt' });
    const withSignals = parseRubricText(RUBRIC, 'a.yaml');
    const without = parseRubricText(RUBRIC.replace(/ {4}signals:\n {6}- name: naming the cost\n {8}patterns: \[the tradeoff is, at the cost of\]\n/, ''), 'b.yaml');
    if (!withSignals.ok || !without.ok) throw new Error('fixtures must parse');
    expect(without.value.dimensions[1]!.signals).toEqual([]);
    const a = gradeEvidence({ transcript, rubric: withSignals.value, problem: null });
    const b = gradeEvidence({ transcript, rubric: without.value, problem: null });
    expect(a.dimensions).toEqual(b.dimensions);
  });
});

describe('2. files that could not be graded are in the csv and md outputs', () => {
  const rubric = Rubric.parse({
    name: 'r',
    version: 1,
    description: 'r',
    scale: { min: 1, max: 5 },
    dimensions: [{ id: 'architecture', name: 'Architecture', weight: 1, description: 'd', signals: [{ name: 'api', patterns: ['rest api'] }], anchors: { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' }, judge_guidance: 'g' }],
    levels: [{ level: 'L3', min_overall: 1 }],
  });
  const transcript = importPlainTranscript(TRANSCRIPT, { file: 'good.txt' });
  const report = buildReport({ transcript, rubric, problem: null }, gradeEvidence({ transcript, rubric, problem: null }), {
    file: 'good.txt',
    grader: 'evidence',
    model: null,
    gradedAt: '2025-01-01T00:00:00.000Z',
  });
  const failures = [
    { file: 'broken, "odd".jsonl', error: 'no candidate text to grade (line 1: not JSON)' },
    { file: 'missing-*.txt', error: 'no file matches' },
  ];

  it('csv: a row per failed file with its error in the last column, the graded rows keep every column', () => {
    const lines = renderCsv([report], failures).trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.at(-1)).toBe('error');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.startsWith('good.txt,')).toBe(true);
    expect(lines[1]!.endsWith(',')).toBe(true);
    expect(lines[2]).toBe(`"broken, ""odd"".jsonl",${','.repeat(header.length - 2)}no candidate text to grade (line 1: not JSON)`);
    expect(lines[3]).toBe(`missing-*.txt,${','.repeat(header.length - 2)}no file matches`);
  });

  it('md: a "Not graded" section naming each file and why', () => {
    const md = renderMarkdown([report], failures);
    const section = md.slice(md.indexOf('## Not graded'));
    expect(md.indexOf('## Not graded')).toBeGreaterThan(md.indexOf('## good.txt'));
    expect(section).toContain('- `broken, "odd".jsonl`: no candidate text to grade (line 1: not JSON)');
    expect(section).toContain('- `missing-*.txt`: no file matches');
    expect(renderMarkdown([report])).not.toContain('Not graded');
  });
});

describe('4. the grade cache is keyed on the grader code', () => {
  const parts: CacheKeyParts = {
    transcriptSha256: 'a'.repeat(64),
    format: 'plain',
    rubricSha256: 'b'.repeat(64),
    problemSha256: null,
    grader: 'evidence',
    model: null,
    provider: null,
    samples: 1,
    version: '0.1.0',
  };

  it('the same inputs under different grader code give different keys; the default is the running code', () => {
    expect(cacheKey(parts, 'code-1')).not.toBe(cacheKey(parts, 'code-2'));
    expect(cacheKey(parts, 'code-1')).toBe(cacheKey({ ...parts }, 'code-1'));
    expect(graderCodeHash()).toBe(codeTreeHash(path.join(ROOT, 'src')));
    expect(cacheKey(parts)).toBe(cacheKey(parts, graderCodeHash()));
  });

  it('the code hash changes when any code file changes, and ignores source maps', async () => {
    const tree = path.join(home.dir, 'code');
    await mkdir(path.join(tree, 'grading'), { recursive: true });
    await mkdir(path.join(tree, 'reading'), { recursive: true });
    await writeFile(path.join(tree, 'grading', 'grade.js'), 'export const score = 4.51;\n');
    await writeFile(path.join(tree, 'reading', 'text.js'), 'export const words = 1;\n');
    const before = codeTreeHash(tree);
    await writeFile(path.join(tree, 'grading', 'grade.js.map'), '{"version":3}');
    expect(codeTreeHash(tree)).toBe(before);
    await writeFile(path.join(tree, 'reading', 'text.js'), 'export const words = 2;\n');
    const changed = codeTreeHash(tree);
    expect(changed).not.toBe(before);
    await writeFile(path.join(tree, 'reading', 'text.js'), 'export const words = 1;\n');
    expect(codeTreeHash(tree)).toBe(before);
    // A file moved is a change too.
    await cp(path.join(tree, 'reading', 'text.js'), path.join(tree, 'grading', 'text.js'));
    expect(codeTreeHash(tree)).not.toBe(before);
  });
});

describe('5. reports record the rubric content hash', () => {
  const transcript = importPlainTranscript(TRANSCRIPT, { file: 'hash.txt' });
  const reportWith = (text: string) => {
    const parsed = parseRubricText(text, 'coach.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map(formatYamlError).join('\n'));
    const rubric = parsed.value;
    return buildReport({ transcript, rubric, problem: null }, gradeEvidence({ transcript, rubric, problem: null }), {
      file: 'hash.txt',
      grader: 'evidence',
      model: null,
      gradedAt: '2025-01-01T00:00:00.000Z',
    });
  };

  it('two rubrics with the same name@version but different content are told apart; comments do not count', () => {
    const a = reportWith(RUBRIC);
    const b = reportWith(RUBRIC.replace('weight: 1\n    description: The design.', 'weight: 2\n    description: The design.'));
    const commented = reportWith(`# a comment\n${RUBRIC.replace('scale: { min: 1, max: 5 }', 'scale:\n  min: 1\n  max: 5 # always')}`);
    expect(`${a.rubric.name}@${a.rubric.version}`).toBe(`${b.rubric.name}@${b.rubric.version}`);
    expect(a.rubric.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.rubric.sha256).not.toBe(a.rubric.sha256);
    expect(commented.rubric.sha256).toBe(a.rubric.sha256);
  });

  it('the report schema carries it (older reports without it still parse), and md shows its short form', () => {
    const report = reportWith(RUBRIC);
    expect(GradeReport.parse(report).rubric.sha256).toBe(report.rubric.sha256);
    const older = { ...report, rubric: { name: report.rubric.name, version: report.rubric.version } };
    expect(GradeReport.parse(older).rubric.sha256).toBeNull();
    expect(renderMarkdown([report])).toContain(`rubric coach@1 (sha256 ${report.rubric.sha256!.slice(0, 12)})`);
    expect(renderCsv([report]).split('\r\n')[1]).toContain(report.rubric.sha256!);
  });

  it('the committed JSON Schema documents the field', async () => {
    const schema = JSON.parse(await readFile(path.join(ROOT, 'src/schemas/grade-report.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties.rubric.properties)).toContain('sha256');
  });
});

describe('6. a bad indentation is one error with a hint, not a cascade', () => {
  const valid = async (name: string) => readFile(path.join(ROOT, 'rubrics', `${name}.yaml`), 'utf8');

  it.each([
    { what: 'a key one space short', from: '    weight: 1\n    description: The design.', to: '   weight: 1\n    description: The design.', needle: '   weight: 1', expected: 4 },
    { what: 'a key one space deep', from: '    judge_guidance: Quote the design.', to: '     judge_guidance: Quote the design.', needle: '     judge_guidance', expected: 4 },
    { what: 'a list item one space deep', from: '  - id: tradeoffs', to: '   - id: tradeoffs', needle: '   - id: tradeoffs', expected: 2 },
  ])('$what: the first error names the line, its column and the indentation expected', async ({ from, to, needle, expected }) => {
    const text = RUBRIC.replace(from, to);
    const file = path.join(home.dir, 'indent.yaml');
    await writeFile(file, text);
    const errors = await validateRubricFile(file);
    const at = positionOf(text, needle);
    const indent = needle.length - needle.trimStart().length;
    expect(errors, errors.map(formatYamlError).join('\n')).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file, line: at.line, column: indent + 1 });
    expect(errors[0]!.message).toMatch(new RegExp(`check the indentation of this line: it has ${indent} spaces?, expected ${expected} spaces`));
  });

  it('the default rubric with one key dedented: one error (the parser alone gives a cascade)', async () => {
    const text = await valid('default');
    const line = text.split('\n').findIndex((l, i) => i > 200 && l.startsWith('    weight: '));
    const lines = text.split('\n');
    lines[line] = lines[line]!.slice(1);
    const errors = parseRubricText(lines.join('\n'), 'default.yaml');
    expect(errors.ok).toBe(false);
    if (errors.ok) return;
    expect(errors.errors).toHaveLength(1);
    expect(errors.errors[0]).toMatchObject({ line: line + 1, column: 4 });
    expect(errors.errors[0]!.message).toMatch(/check the indentation of this line: it has 3 spaces, expected 4 spaces \(like line \d+\); the parser's \d+ errors from here on follow from it/);
  });

  it.each(PACKAGED)('%s: a syntax error that is not about indentation is not blamed on an earlier line', async (name) => {
    const text = `${await valid(name)}\nextra: [unclosed, "list\n`;
    const result = parseRubricText(text, `${name}.yaml`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).not.toMatch(/indentation/);
    expect(result.errors[0]!.line).toBeGreaterThan(text.split('\n').length - 4);
  });

  it('a tab keeps its own message', () => {
    const result = parseRubricText(RUBRIC.replace('    name: Tradeoffs', '\tname: Tradeoffs'), 'tab.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toMatch(/^YAML syntax error: Tabs are not allowed as indentation/);
  });
});

describe('7. signal patterns that are everyday words are warnings', () => {
  it('rest, post, visibility and log* are flagged; phrases and technical words are not', () => {
    for (const pattern of ['rest', 'post', 'visibility', 'log*', 'Post']) expect(everydayWordProblem(pattern), pattern).not.toBeNull();
    expect(everydayWordProblem('log*')).toMatch(/everyday word "log"|logic/);
    for (const pattern of ['rest api', 'at rest', 'restful', 'http post', 'grpc', 'shard*', 'replicat*', 'cach*', 'endpoint*', 'postgres*', 'observab*']) {
      expect(everydayWordProblem(pattern), pattern).toBeNull();
    }
  });

  it('each is a warning at the pattern itself, and the rubric still loads', () => {
    const text = RUBRIC.replace('patterns: [rest api, grpc, endpoint*]', 'patterns: [rest, grpc, post, endpoint*]').replace(
      'patterns: [postgres*, cassandra]',
      'patterns: [postgres*, cassandra,\n          visibility]',
    );
    const result = parseRubricText(text, 'words.yaml');
    expect(result.ok).toBe(true);
    const everyday = result.warnings.filter((w) => w.kind === 'everyday-word');
    expect(everyday.map((w) => [w.line, w.column])).toEqual(
      [positionOf(text, 'rest,'), positionOf(text, 'post,'), positionOf(text, 'visibility]')].map((p) => [p.line, p.column]),
    );
    expect(formatRubricWarning(everyday[0]!)).toMatch(/^words\.yaml:\d+:\d+: warning: signal pattern "rest" is an everyday word/);
  });

  it('the starter rubric from rubric init has no warnings', () => {
    const result = parseRubricText(starterRubric('coach'), 'coach.yaml');
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('a valid rubric without such patterns has no warnings', () => {
    const clean = RUBRIC.replace(/ {4}signals:\n {6}- name: naming the cost\n {8}patterns: \[the tradeoff is, at the cost of\]\n/, '');
    const result = parseRubricText(clean, 'clean.yaml');
    expect(result.ok && result.warnings).toEqual([]);
  });
});
