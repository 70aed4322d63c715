// `sdcoach rubric list|show|validate|init` as a user runs them: the built CLI in a child process.
// Broken fixtures are written to temp files; every expected line:column is computed from the
// fixture text.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIMENSION_IDS } from '../../src/schemas/rubric.js';
import { packagedDirs } from '../../src/storage/paths.js';
import { tempHome } from '../support/env.js';
import { positionOf } from '../support/positions.js';
import { BIN, runCli } from '../support/run-cli.js';

const PACKAGED = ['default', 'monologue-short', 'staff-ml-infra'];

const GOOD = `name: fixture
version: 1
description: A small rubric for tests.
scale: { min: 1, max: 5 }
dimensions:
  - id: reliability
    name: Reliability
    weight: 1
    description: Failure handling.
    signals:
      - name: replication
        patterns: [replicat*, failover]
    anchors:
      1: r1
      2: r2
      3: r3
      4: r4
      5: r5
    judge_guidance: Quote the failure handling.
  - id: tradeoffs
    name: Tradeoffs
    weight: 1.5
    description: Costs of choices.
    anchors: { 1: t1, 2: t2, 3: t3, 4: t4, 5: t5 }
    judge_guidance: Quote the tradeoff.
levels:
  - level: L4
    min_overall: 2.5
    minimums:
      tradeoffs: 2
      reliability: 2
`;

interface Fixture {
  file: string;
  text: string;
  needle: string;
  occurrence?: number;
  shift?: number;
  message: string;
}

function fixture(file: string, from: string, to: string, at: Omit<Fixture, 'file' | 'text'>): Fixture {
  if (GOOD.split(from).length !== 2) throw new Error(`fixture edit ${JSON.stringify(from)} must match once`);
  return { file, text: GOOD.replace(from, to), ...at };
}

const BROKEN: Fixture[] = [
  fixture('syntax.yaml', '    name: Tradeoffs\n', '\tname: Tradeoffs\n', {
    needle: '\tname',
    message: 'YAML syntax error: Tabs are not allowed as indentation (indent with spaces, not tabs)',
  }),
  fixture('unknown-key.yaml', '    weight: 1.5\n', '    wieght: 1.5\n', {
    needle: 'wieght',
    message: 'unknown key "wieght" in dimensions[1] (did you mean "weight"?)',
  }),
  fixture('missing-anchor.yaml', '      4: r4\n', '', {
    needle: 'anchors:',
    message: 'dimensions[0].anchors is missing score 4',
  }),
  fixture('heavy.yaml', '    weight: 1\n', '    weight: heavy\n', {
    needle: 'heavy',
    message: 'dimensions[0].weight must be a number, got string "heavy"',
  }),
  fixture('duplicate.yaml', '  - id: tradeoffs\n', '  - id: reliability\n', {
    needle: 'id: reliability',
    occurrence: 2,
    shift: 4,
    message: 'dimensions[1].id: duplicate dimension id "reliability"',
  }),
  fixture('unknown-minimum.yaml', '      tradeoffs: 2\n', '      tradeofs: 2\n', {
    needle: 'tradeofs',
    message: 'levels[0].minimums: unknown dimension "tradeofs" (dimensions: reliability, tradeoffs)',
  }),
];

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let dir: string;

function fileOf(f: Fixture): string {
  return path.join(dir, f.file);
}

function expectedLine(f: Fixture): string {
  const { line, column } = positionOf(f.text, f.needle, f.occurrence);
  return `${fileOf(f)}:${line}:${column + (f.shift ?? 0)}: ${f.message}`;
}

beforeAll(async () => {
  home = await tempHome();
  env = { SDCOACH_HOME: path.join(home.dir, 'home') };
  dir = path.join(home.dir, 'fixtures');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'good.yaml'), GOOD);
  for (const f of BROKEN) await writeFile(fileOf(f), f.text);
});
afterAll(() => home.cleanup());

describe('sdcoach rubric validate', () => {
  it('accepts every packaged rubric and exits 0', async () => {
    const files = PACKAGED.map((name) => path.join(packagedDirs().rubrics, `${name}.yaml`));
    const result = await runCli(['rubric', 'validate', ...files], env);
    expect(result.code, result.stderr).toBe(0);
    // Clean: no signals an analyzer ignores, no everyday-word patterns (issue 14).
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^ok ${files[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(12 dimensions\\)$`, 'm'));
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });

  it.each(BROKEN)('$file: prints file:line:column: message and exits 1', async (f) => {
    const result = await runCli(['rubric', 'validate', fileOf(f)], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(expectedLine(f));
  });

  it('with good and bad files, reports every bad one, says which are ok, and exits 1', async () => {
    const good = path.join(dir, 'good.yaml');
    const files = [good, ...BROKEN.map(fileOf), path.join(packagedDirs().rubrics, 'default.yaml')];
    const result = await runCli(['rubric', 'validate', ...files], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ok \S+good\.yaml \(2 dimensions\)\nok \S+default\.yaml \(12 dimensions\)\n$/);
    const lines = result.stderr.trim().split('\n');
    for (const f of BROKEN) expect(lines).toContain(expectedLine(f));
    expect(lines[lines.length - 1]).toBe(`${BROKEN.length} of ${files.length} files have errors`);
  });

  it('checks every .yaml in a folder, and reports a missing file', async () => {
    const missing = path.join(dir, 'nope.yaml');
    const result = await runCli(['rubric', 'validate', packagedDirs().rubrics, missing], env);
    expect(result.code).toBe(1);
    for (const name of PACKAGED) expect(result.stdout).toContain(`ok ${path.join(packagedDirs().rubrics, `${name}.yaml`)}`);
    expect(result.stderr).toContain(`${missing}:1:1: no such file`);
  });
});

describe('sdcoach rubric init', () => {
  it('writes a commented starter that validates, and refuses to overwrite without --force', async () => {
    const file = path.join(home.dir, 'coach', 'starter.yaml');
    const first = await runCli(['rubric', 'init', file], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Wrote ${file}`);
    const text = await readFile(file, 'utf8');
    expect(text.split('\n').filter((line) => line.trim().startsWith('#')).length).toBeGreaterThan(30);
    expect(text).toMatch(/^name: starter$/m);

    const validate = await runCli(['rubric', 'validate', file], env);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toBe(`ok ${file} (3 dimensions)\n`);

    await writeFile(file, 'edited by a coach\n');
    const again = await runCli(['rubric', 'init', file], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; use --force/);
    expect(await readFile(file, 'utf8')).toBe('edited by a coach\n');

    const forced = await runCli(['rubric', 'init', file, '--force'], env);
    expect(forced.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('defaults to ./my-rubric.yaml in the current folder', async () => {
    const cwd = path.join(home.dir, 'cwd');
    await mkdir(cwd, { recursive: true });
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'rubric', 'init'], {
        cwd,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(code).toBe(0);
    const result = await runCli(['rubric', 'validate', path.join(cwd, 'my-rubric.yaml')], env);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('sdcoach rubric list', () => {
  it('--json parses and shows packaged and user rubrics, a broken one with its error', async () => {
    const userDir = path.join(env.SDCOACH_HOME!, 'rubrics');
    await mkdir(userDir, { recursive: true });
    const broken = BROKEN[3]!;
    await writeFile(path.join(userDir, 'heavy.yaml'), broken.text);
    await writeFile(path.join(userDir, 'mine.yaml'), GOOD);

    const json = await runCli(['rubric', 'list', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const entries = JSON.parse(json.stdout) as { name: string; source: string; ok: boolean; dimensions?: number; error?: string }[];
    expect(entries.map((e) => `${e.source}:${e.name}`)).toEqual([
      'user:heavy',
      'user:mine',
      ...PACKAGED.map((name) => `packaged:${name}`),
    ]);
    expect(entries.find((e) => e.name === 'default')).toMatchObject({ ok: true, dimensions: 12 });
    const at = positionOf(broken.text, broken.needle);
    expect(entries[0]).toMatchObject({ ok: false, error: `${path.join(userDir, 'heavy.yaml')}:${at.line}:${at.column}: ${broken.message}` });

    const table = await runCli(['rubric', 'list'], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+DIMENSIONS\s+SOURCE\s+FILE$/);
    expect(lines.find((l) => l.startsWith('default '))).toMatch(/^default\s+1\s+12\s+packaged\s+\S+default\.yaml$/);
    expect(table.stdout).toContain(`invalid: ${path.join(userDir, 'heavy.yaml')}:${at.line}:${at.column}: ${broken.message}`);
  });
});

describe('sdcoach rubric show', () => {
  it('prints every dimension of the default rubric with its weight, modes and anchors, and the level rules', async () => {
    const result = await runCli(['rubric', 'show', 'default'], env);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    for (const id of DEFAULT_DIMENSION_IDS) expect(out).toMatch(new RegExp(`^${id} — `, 'm'));
    expect(out).toMatch(/^composure — Composure under pushback\n\s+weight 0\.75 \(\d+% of overall\) · modes: interview · analyzer: composure$/m);
    expect(out.match(/^ {4}5: /gm)).toHaveLength(12);
    for (const level of ['L3', 'L4', 'L5', 'L6', 'L7']) expect(out).toMatch(new RegExp(`^  ${level}  overall ≥ `, 'm'));
  });

  it('--json gives the parsed rubric with its file', async () => {
    const result = await runCli(['rubric', 'show', 'monologue-short', '--json'], env);
    expect(result.code).toBe(0);
    const rubric = JSON.parse(result.stdout);
    expect(rubric).toMatchObject({ name: 'monologue-short', source: 'packaged' });
    expect(rubric.dimensions.map((d: { id: string }) => d.id)).not.toContain('composure');
  });

  it('shows a file by path; an unknown name is a usage error naming what exists; an invalid file fails', async () => {
    const byPath = await runCli(['rubric', 'show', path.join(dir, 'good.yaml')], env);
    expect(byPath.code).toBe(0);
    expect(byPath.stdout).toMatch(/^fixture v1/);

    const unknown = await runCli(['rubric', 'show', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no rubric named "nope".*available: .*default/);

    const invalid = await runCli(['rubric', 'show', fileOf(BROKEN[1]!)], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(expectedLine(BROKEN[1]!));
  });
});
