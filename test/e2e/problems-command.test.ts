// `sdcoach problems` through the built CLI, with SDCOACH_HOME in a temp folder holding a
// coach's own problems (one valid, one broken).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagedDirs } from '../../src/storage/paths.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const PACKAGED = [
  'distributed-cache', 'edge-cdn', 'feature-store', 'group-chat', 'llm-chat', 'metrics-pipeline',
  'ml-inference', 'news-feed', 'payments', 'rate-limiter', 'url-shortener', 'web-crawler',
];

const VALID = `---
id: coach-problem
title: A coach's own problem
difficulty: medium
tags: [custom]
facts:
  - topic: users
    ask: [users]
    answer: Ten thousand users.
---

# Design a thing

Design it well.
`;

// Line 4 has an invalid difficulty; line 6 an unknown key.
const BROKEN = `---
id: broken-problem
title: Broken
difficulty: trivial
tags: [custom]
fatcs: []
---

# Broken

Body.
`;

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let userDir: string;

beforeAll(async () => {
  home = await tempHome();
  env = { SDCOACH_HOME: home.dir };
  userDir = path.join(home.dir, 'problems');
  await mkdir(userDir, { recursive: true });
  await writeFile(path.join(userDir, 'coach-problem.md'), VALID);
  await writeFile(path.join(userDir, 'broken-problem.md'), BROKEN);
});
afterAll(() => home.cleanup());

describe('sdcoach problems', () => {
  it('lists packaged and user problems as a table, the broken one with its reason', async () => {
    const result = await runCli(['problems'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+DIFFICULTY\s+SOURCE\s+TAGS$/);
    for (const id of PACKAGED) expect(lines.some((l) => l.startsWith(`${id} `) && l.includes('packaged'))).toBe(true);
    expect(lines.some((l) => l.startsWith('coach-problem ') && l.includes('user') && l.includes('medium'))).toBe(true);
    const broken = lines.findIndex((l) => l.startsWith('broken-problem '));
    expect(broken).toBeGreaterThan(0);
    expect(lines[broken]).toContain('(broken)');
    expect(lines[broken + 1]).toContain(`invalid: ${path.join(userDir, 'broken-problem.md')}:4:13: difficulty must be one of easy, medium, hard`);
    // `problems list` is the same command.
    expect((await runCli(['problems', 'list'], env)).stdout).toBe(result.stdout);
  });

  it('lists as JSON with source, counts and errors', async () => {
    const result = await runCli(['problems', 'list', '--json'], env);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(entries.map((e) => e.id)).toEqual([...PACKAGED, 'coach-problem', 'broken-problem'].sort());
    const cache = entries.find((e) => e.id === 'distributed-cache')!;
    expect(cache).toMatchObject({ ok: true, source: 'packaged', difficulty: 'hard', counts: { levels: ['L4', 'L5', 'L6'] } });
    expect((cache.counts as { pushbacks: number }).pushbacks).toBeGreaterThanOrEqual(7);
    expect(cache).not.toHaveProperty('facts');
    expect(entries.find((e) => e.id === 'coach-problem')).toMatchObject({ ok: true, source: 'user', tags: ['custom'] });
    const broken = entries.find((e) => e.id === 'broken-problem')!;
    expect(broken).toMatchObject({ ok: false, source: 'user' });
    const errors = broken.errors as Array<{ line: number; column: number; text: string }>;
    expect(errors.map((e) => [e.line, e.column])).toEqual([[4, 13], [6, 1]]);
    expect(errors[1]!.text).toContain('unknown key "fatcs" (did you mean "facts"?)');
    // `sdcoach problems --json` is the list too.
    expect(JSON.parse((await runCli(['problems', '--json'], env)).stdout)).toEqual(entries);
  });

  it('shows a problem: summary and statement, facts only with --full', async () => {
    const result = await runCli(['problems', 'show', 'web-crawler'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Web crawler (for a search engine)  web-crawler · medium · packaged');
    expect(result.stdout).toMatch(/covers: \d+ facts, \d+ estimates, \d+ components, \d+ deep dives, \d+ pushbacks, levels L4\/L5\/L6/);
    expect(result.stdout).toContain('# Design a web crawler');
    expect(result.stdout).not.toContain('1 billion pages fetched per day');

    const full = await runCli(['problems', 'show', 'web-crawler', '--full'], env);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('1 billion pages fetched per day');
    expect(full.stdout).toContain('Pushbacks (');
    expect(full.stdout).toContain('L6  ');
  });

  it('shows a problem as JSON, and a user problem by id', async () => {
    const result = await runCli(['problems', 'show', 'feature-store', '--json'], env);
    expect(result.code).toBe(0);
    const problem = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(problem).toMatchObject({ id: 'feature-store', source: 'packaged', file: path.join(packagedDirs().problems, 'feature-store.md') });
    expect((problem.statement as string).startsWith('# Design a feature store')).toBe(true);
    expect((problem.facts as unknown[]).length).toBeGreaterThanOrEqual(10);

    const user = await runCli(['problems', 'show', 'coach-problem'], env);
    expect(user.code).toBe(0);
    expect(user.stdout).toContain("A coach's own problem  coach-problem · medium · user");
  });

  it('show: exit 2 for an unknown id, 1 with file:line:column for a broken file', async () => {
    const unknown = await runCli(['problems', 'show', 'no-such-problem'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown problem "no-such-problem"');
    expect(unknown.stderr).toContain('url-shortener');

    const broken = await runCli(['problems', 'show', 'broken-problem'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${path.join(userDir, 'broken-problem.md')}:4:13: difficulty must be one of`);
    expect(broken.stdout).toBe('');
  });

  it('validate with no arguments checks every packaged and user problem and fails on the broken one', async () => {
    const result = await runCli(['problems', 'validate'], env);
    expect(result.code).toBe(1);
    for (const id of PACKAGED) expect(result.stdout).toContain(`ok ${path.join(packagedDirs().problems, `${id}.md`)} (`);
    expect(result.stdout).toContain(`ok ${path.join(userDir, 'coach-problem.md')}`);
    const file = path.join(userDir, 'broken-problem.md');
    expect(result.stderr).toContain(`${file}:4:13: difficulty must be one of easy, medium, hard, got string "trivial"`);
    expect(result.stderr).toContain(`${file}:6:1: unknown key "fatcs" (did you mean "facts"?)`);
    expect(result.stderr).toContain(`1 of ${PACKAGED.length + 2} files have errors`);
  });

  it('validate passes on the packaged folder and on a single good file', async () => {
    const folder = await runCli(['problems', 'validate', packagedDirs().problems], env);
    expect(folder.stderr).toBe('');
    expect(folder.code).toBe(0);
    expect(folder.stdout.trim().split('\n')).toHaveLength(PACKAGED.length);

    const one = await runCli(['problems', 'validate', path.join(userDir, 'coach-problem.md')], env);
    expect(one.code).toBe(0);
  });

  it('validate reports missing files, empty folders and --json', async () => {
    const missing = await runCli(['problems', 'validate', path.join(home.dir, 'nope.md')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${path.join(home.dir, 'nope.md')}:1:1: no such file`);

    const empty = path.join(home.dir, 'empty');
    await mkdir(empty, { recursive: true });
    const none = await runCli(['problems', 'validate', empty], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no problem .md files in this folder');

    const json = await runCli(['problems', 'validate', userDir, '--json'], env);
    expect(json.code).toBe(1);
    const results = JSON.parse(json.stdout) as Array<{ file: string; ok: boolean }>;
    expect(results.map((r) => [path.basename(r.file), r.ok])).toEqual([
      ['broken-problem.md', false],
      ['coach-problem.md', true],
    ]);
  });
});
