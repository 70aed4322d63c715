import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProblemLoadError,
  ProblemNotFoundError,
  formatProblemError,
  listProblems,
  loadProblem,
  validateProblemFile,
} from '../../src/content/problem-loader.js';
import { packagedDirs, resolvePaths, type SdcoachPaths } from '../../src/storage/paths.js';
import { tempHome } from '../support/env.js';

const PACKAGED_IDS = [
  'distributed-cache', 'edge-cdn', 'feature-store', 'group-chat', 'llm-chat', 'metrics-pipeline',
  'ml-inference', 'news-feed', 'payments', 'rate-limiter', 'url-shortener', 'web-crawler',
];

/** A small valid problem; `extra` lines are appended to the front-matter. */
function problemText(id: string, extra = ''): string {
  return [
    '---',
    `id: ${id}`,
    'title: A test problem',
    'difficulty: easy',
    'tags: [test]',
    'facts:',
    '  - topic: users',
    '    ask: [users]',
    '    answer: Ten users.',
    extra,
    '---',
    '',
    '# Design a thing',
    '',
    'Design it.',
    '',
  ]
    .filter((line, i) => !(i === 9 && line === ''))
    .join('\n');
}

describe('packaged problems', async () => {
  const dir = packagedDirs().problems;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();

  it('ships the twelve core problems', () => {
    expect(files.map((f) => f.replace(/\.md$/, ''))).toEqual(expect.arrayContaining(PACKAGED_IDS));
  });

  it.each(files)('%s validates, and its id matches its file name', async (file) => {
    const result = await validateProblemFile(path.join(dir, file));
    if (!result.ok) throw new Error(result.errors.map(formatProblemError).join('\n'));
    const problem = result.problem;
    expect(problem.id).toBe(file.replace(/\.md$/, ''));
    expect(problem.statement.length).toBeGreaterThan(100);
    expect(problem.statement.startsWith('---')).toBe(false);
  });

  it.each(PACKAGED_IDS)('%s is complete enough for the interviewer and the grader', async (id) => {
    const problem = await loadProblem(id, resolvePaths({ SDCOACH_HOME: '/nonexistent/sdcoach-home' }));
    expect(problem.facts.length).toBeGreaterThanOrEqual(8);
    expect(problem.facts.length).toBeLessThanOrEqual(12);
    expect(problem.reference_estimates.length).toBeGreaterThanOrEqual(4);
    expect(problem.reference_estimates.length).toBeLessThanOrEqual(6);
    expect(problem.components.length).toBeGreaterThanOrEqual(6);
    expect(problem.components.length).toBeLessThanOrEqual(10);
    expect(problem.deep_dives.length).toBeGreaterThanOrEqual(3);
    expect(problem.deep_dives.length).toBeLessThanOrEqual(5);
    expect(problem.pushbacks.length).toBeGreaterThanOrEqual(4);
    expect(problem.pushbacks.length).toBeLessThanOrEqual(10);
    expect(Object.keys(problem.levels).sort()).toEqual(['L4', 'L5', 'L6']);
    // Every estimate id is unique, and its arithmetic shows its working.
    const ids = problem.reference_estimates.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const estimate of problem.reference_estimates) expect(estimate.arithmetic).toMatch(/[×÷=^]/);
    // Pushback triggers are matched against candidate text, so they are lower case.
    for (const pushback of problem.pushbacks) {
      for (const trigger of pushback.trigger) expect(trigger).toBe(trigger.toLowerCase());
    }
  });
});

describe('problem loader', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let paths: SdcoachPaths;
  beforeEach(async () => {
    home = await tempHome();
    paths = resolvePaths({ SDCOACH_HOME: home.dir });
  });
  afterEach(() => home.cleanup());

  async function writeUserProblem(name: string, text: string): Promise<string> {
    await mkdir(paths.userProblemsDir, { recursive: true });
    const file = path.join(paths.userProblemsDir, name);
    await writeFile(file, text);
    return file;
  }

  it('loads a packaged problem by id, with its statement and file', async () => {
    const problem = await loadProblem('url-shortener', paths);
    expect(problem.id).toBe('url-shortener');
    expect(problem.file).toBe(path.join(packagedDirs().problems, 'url-shortener.md'));
    expect(problem.statement).toMatch(/^# Design a URL shortener/);
    expect(problem.reference_estimates.find((e) => e.id === 'write_qps')?.unit).toBe('per_second');
  });

  it('looks in the user problems folder first', async () => {
    await writeUserProblem('url-shortener.md', problemText('url-shortener'));
    const problem = await loadProblem('url-shortener', paths);
    expect(problem.title).toBe('A test problem');
    expect(problem.file).toBe(path.join(paths.userProblemsDir, 'url-shortener.md'));
    const listed = await listProblems(paths);
    const entries = listed.filter((entry) => entry.id === 'url-shortener');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.source).toBe('user');
  });

  it('loads a problem by path', async () => {
    const file = await writeUserProblem('my-problem.md', problemText('my-problem'));
    const problem = await loadProblem(file, paths);
    expect(problem.id).toBe('my-problem');
    expect(problem.statement).toBe('# Design a thing\n\nDesign it.');
    expect(problem.facts[0]!.answer).toBe('Ten users.');
    // Defaults fill what the file leaves out.
    expect(problem.pushbacks).toEqual([]);
  });

  it('names the available problems when an id is unknown', async () => {
    const error = await loadProblem('no-such-problem', paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemNotFoundError);
    expect((error as ProblemNotFoundError).available).toEqual(expect.arrayContaining(PACKAGED_IDS));
    expect((error as Error).message).toContain('unknown problem "no-such-problem"');
    await expect(loadProblem(path.join(home.dir, 'missing.md'), paths)).rejects.toBeInstanceOf(ProblemNotFoundError);
  });

  it('reports a broken problem as file:line:column, counting lines in the whole file', async () => {
    // Line 1 is `---`; `diffculty` is on line 4, the bad `ask` on line 8.
    const text = problemText('broken').replace('difficulty: easy', 'diffculty: easy').replace('ask: [users]', 'ask: users');
    const file = await writeUserProblem('broken.md', text);
    const error = await loadProblem('broken', paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemLoadError);
    const lines = (error as ProblemLoadError).message.split('\n');
    expect(lines).toContain(`${file}:4:1: unknown key "diffculty" (did you mean "difficulty"?)`);
    expect(lines.some((line) => line.startsWith(`${file}:8:10: facts[0].ask must be a list`))).toBe(true);
    for (const e of (error as ProblemLoadError).errors) expect(e.file).toBe(file);
  });

  it('reports YAML syntax errors at their line in the whole file', async () => {
    const text = problemText('bad-yaml').replace('title: A test problem', 'title: [unclosed');
    const file = await writeUserProblem('bad-yaml.md', text);
    const result = await validateProblemFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(3);
    expect(formatProblemError(result.errors[0]!)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: YAML syntax error`));
  });

  it('requires the id to match the file name, pointing at the id', async () => {
    const file = await writeUserProblem('renamed.md', problemText('original-name'));
    const result = await validateProblemFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file, line: 2, column: 5 });
    expect(result.errors[0]!.message).toContain('does not match the file name');
  });

  it('requires front-matter and a statement', async () => {
    const noFrontMatter = await writeUserProblem('plain.md', '# Just a statement\n');
    const a = await validateProblemFile(noFrontMatter);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.errors[0]).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('front-matter') });

    const text = problemText('no-statement');
    const noStatement = await writeUserProblem('no-statement.md', text.slice(0, text.indexOf('# Design')));
    const b = await validateProblemFile(noStatement);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.errors[0]).toMatchObject({ line: 11, message: expect.stringContaining('statement') });
  });

  it('lists broken files with their errors instead of throwing', async () => {
    await writeUserProblem('broken.md', problemText('broken').replace('difficulty: easy', 'difficulty: trivial'));
    await writeUserProblem('fine.md', problemText('fine'));
    await writeUserProblem('notes.txt', 'not a problem');
    const listed = await listProblems(paths);
    const ids = listed.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['broken', 'fine', ...PACKAGED_IDS]));
    expect(ids).not.toContain('notes');
    const broken = listed.find((entry) => entry.id === 'broken')!;
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.errors.map(formatProblemError)).toEqual([
        `${broken.file}:4:13: difficulty must be one of easy, medium, hard, got string "trivial"`,
      ]);
    }
    expect(listed.filter((entry) => entry.source === 'packaged').every((entry) => entry.ok)).toBe(true);
  });

  it('lists only packaged problems when the user folder does not exist', async () => {
    const listed = await listProblems(paths);
    expect(listed.map((entry) => entry.id)).toEqual(expect.arrayContaining(PACKAGED_IDS));
    expect(listed.every((entry) => entry.source === 'packaged')).toBe(true);
  });

  it('tolerates a byte-order mark and CRLF line endings', async () => {
    const text = '\uFEFF' + problemText('windows').replace(/\n/g, '\r\n');
    const file = await writeUserProblem('windows.md', text);
    const result = await validateProblemFile(file);
    if (!result.ok) throw new Error(result.errors.map(formatProblemError).join('\n'));
    expect(result.problem.title).toBe('A test problem');
    expect(await readFile(file, 'utf8')).toContain('\r\n');
  });
});
