// Rubric loading: the packaged rubrics, name/path resolution, listing, and positioned errors
// (every expected line and column is computed from the fixture text, never typed by hand).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RubricError,
  listRubrics,
  loadRubric,
  readRubricFile,
  starterRubric,
  validateRubricFile,
} from '../../src/content/rubric-loader.js';
import { DEFAULT_DIMENSION_IDS, Rubric, analyzerFor } from '../../src/schemas/rubric.js';
import { packagedDirs, resolvePaths, type SdcoachPaths } from '../../src/storage/paths.js';
import {
  didYouMean,
  formatYamlError,
  parseYamlDocument,
  splitFrontMatter,
  type YamlError,
} from '../../src/storage/yaml-file.js';
import { Problem } from '../../src/schemas/problem.js';
import { tempHome } from '../support/env.js';
import { positionOf } from '../support/positions.js';

const PACKAGED = ['default', 'monologue-short', 'staff-ml-infra'];

/** A small valid rubric; every fixture below is one edit of it. */
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
    anchors:
      1: t1
      2: t2
      3: t3
      4: t4
      5: t5
    judge_guidance: Quote the tradeoff.
    modes: [interview, monologue]
  - id: composure
    name: Composure
    weight: 0.5
    description: Pushback.
    anchors: { 1: c1, 2: c2, 3: c3, 4: c4, 5: c5 }
    judge_guidance: Label each pushback.
    modes: [interview]
levels:
  - level: L4
    min_overall: 2.5
    minimums: { reliability: 2 }
  - level: L5
    min_overall: 3.2
    minimums:
      tradeoffs: 3
      reliability: 3
    summary: Solid.
`;

function edit(from: string, to: string): string {
  expect(GOOD.split(from).length, `fixture edit ${JSON.stringify(from)} must match once`).toBe(2);
  return GOOD.replace(from, to);
}

interface BrokenFixture {
  name: string;
  text: string;
  /** Where the error must point: the `occurrence`-th `needle`, plus `shift` columns. */
  at: { needle: string; occurrence?: number; shift?: number };
  message: string | RegExp;
}

const BROKEN: BrokenFixture[] = [
  {
    name: 'bad YAML syntax (a tab used as indentation)',
    text: edit('    name: Tradeoffs\n', '\tname: Tradeoffs\n'),
    at: { needle: '\tname: Tradeoffs' },
    message: /^YAML syntax error: Tabs are not allowed as indentation/,
  },
  {
    name: 'unknown key',
    text: edit('    weight: 1.5\n', '    wieght: 1.5\n'),
    at: { needle: 'wieght' },
    message: 'unknown key "wieght" in dimensions[1] (did you mean "weight"?)',
  },
  {
    name: 'a score anchor missing',
    text: edit('      4: r4\n', ''),
    at: { needle: 'anchors:' },
    message: 'dimensions[0].anchors is missing score 4',
  },
  {
    name: 'weight not a number',
    text: edit('    weight: 1\n', '    weight: heavy\n'),
    at: { needle: 'heavy' },
    message: 'dimensions[0].weight must be a number, got string "heavy"',
  },
  {
    name: 'duplicate dimension id',
    text: edit('  - id: composure\n', '  - id: reliability\n'),
    at: { needle: 'id: reliability', occurrence: 2, shift: 'id: '.length },
    message: 'dimensions[2].id: duplicate dimension id "reliability"',
  },
  {
    name: 'level minimum naming an unknown dimension',
    text: edit('      tradeoffs: 3\n', '      tradeofs: 3\n'),
    at: { needle: 'tradeofs' },
    message: 'levels[1].minimums: unknown dimension "tradeofs" (dimensions: reliability, tradeoffs, composure)',
  },
];

function expectedPosition(fixture: BrokenFixture): { line: number; column: number } {
  const { line, column } = positionOf(fixture.text, fixture.at.needle, fixture.at.occurrence);
  return { line, column: column + (fixture.at.shift ?? 0) };
}

let home: Awaited<ReturnType<typeof tempHome>>;
let paths: SdcoachPaths;
beforeEach(async () => {
  home = await tempHome();
  paths = resolvePaths({ SDCOACH_HOME: home.dir });
});
afterEach(() => home.cleanup());

async function writeFixture(name: string, text: string): Promise<string> {
  const file = path.join(home.dir, 'fixtures', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('packaged rubrics', () => {
  it.each(PACKAGED)('%s validates', async (name) => {
    const file = path.join(packagedDirs().rubrics, `${name}.yaml`);
    expect(await validateRubricFile(file)).toEqual([]);
    const rubric = await loadRubric(name, paths);
    expect(rubric.name).toBe(name);
    expect(rubric.source).toBe('packaged');
    expect(rubric.levels.length).toBeGreaterThan(0);
  });

  it('default has exactly the twelve stable ids, composure for interviews only', async () => {
    const rubric = await loadRubric('default', paths);
    expect(rubric.dimensions.map((d) => d.id)).toEqual([...DEFAULT_DIMENSION_IDS]);
    const byId = Object.fromEntries(rubric.dimensions.map((d) => [d.id, d]));
    expect(byId.composure!.modes).toEqual(['interview']);
    for (const d of rubric.dimensions.filter((d) => d.id !== 'composure')) {
      expect(d.modes, d.id).toEqual(['interview', 'monologue']);
    }
    expect(rubric.levels.map((l) => l.level)).toEqual(['L3', 'L4', 'L5', 'L6', 'L7']);
  });

  it('default: every dimension has concept signals, the level rules gate on the right dimensions', async () => {
    const rubric = await loadRubric('default', paths);
    for (const d of rubric.dimensions) {
      // Signals only where the analyzer reads them (the loader warns about ignored ones).
      if (['concepts', 'requirements'].includes(analyzerFor(d))) expect(d.signals.length, `${d.id} signal groups`).toBeGreaterThanOrEqual(2);
      else expect(d.signals, `${d.id} signals`).toEqual([]);
      // An explicit analyzer only where the id does not already name one.
      if (d.analyzer) expect(['estimation', 'time_management', 'tradeoffs', 'composure', 'clarity']).not.toContain(d.id);
    }
    const byId = Object.fromEntries(rubric.dimensions.map((d) => [d.id, d]));
    for (const id of ['scalability', 'reliability', 'observability', 'security']) {
      expect(byId[id]!.signals.length, id).toBeGreaterThanOrEqual(5);
      expect(analyzerFor(byId[id]!)).toBe('concepts');
    }
    const rule = (level: string) => rubric.levels.find((l) => l.level === level)!;
    expect(Object.keys(rule('L5').minimums)).toEqual(expect.arrayContaining(['estimation', 'architecture']));
    // Calibrated against test/calibration (npm run calibrate): designing for failure and operations gates L6.
    expect(rule('L6').minimums.tradeoffs).toBeGreaterThanOrEqual(3.5);
    for (const id of ['reliability', 'observability']) expect(rule('L6').minimums[id], id).toBeGreaterThanOrEqual(3);
    for (const id of ['tradeoffs', 'reliability', 'observability', 'scalability']) {
      expect(rule('L7').minimums[id]!, id).toBeGreaterThanOrEqual(rule('L6').minimums[id] ?? 0);
    }
    for (const id of ['reliability', 'observability']) expect(rule('L7').minimums[id]!, id).toBeGreaterThan(rule('L6').minimums[id]!);
    for (const l of rubric.levels) expect(l.summary, l.level).toBeTruthy();
  });

  it('staff-ml-infra adds ML dimensions (concepts analyzer) to the general ones', async () => {
    const rubric = await loadRubric('staff-ml-infra', paths);
    const ids = rubric.dimensions.map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['estimation', 'tradeoffs', 'reliability', 'observability', 'clarity', 'composure']));
    const ml = rubric.dimensions.filter((d) => !(DEFAULT_DIMENSION_IDS as readonly string[]).includes(d.id));
    expect(ml.length).toBeGreaterThanOrEqual(6);
    for (const d of ml) expect(analyzerFor(d), d.id).toBe('concepts');
    expect(rubric.dimensions.find((d) => d.id === 'composure')!.modes).toEqual(['interview']);
  });

  it('monologue-short is short, has no composure, and marks monologue-only dimensions', async () => {
    const rubric = await loadRubric('monologue-short', paths);
    const ids = rubric.dimensions.map((d) => d.id);
    expect(ids.length).toBeLessThan(DEFAULT_DIMENSION_IDS.length);
    expect(ids).not.toContain('composure');
    expect(rubric.dimensions.filter((d) => d.modes.length === 1 && d.modes[0] === 'monologue').length).toBeGreaterThan(0);
    for (const id of ids) expect(DEFAULT_DIMENSION_IDS as readonly string[]).toContain(id);
  });

  it.each(PACKAGED)('%s: patterns are words or phrases with at most a trailing *', async (name) => {
    const rubric = await loadRubric(name, paths);
    for (const d of rubric.dimensions) {
      for (const s of d.signals) {
        for (const p of s.patterns) expect(p, `${d.id}/${s.name}`).toMatch(/^[a-z0-9][^*\n]*\*?$/i);
      }
    }
  });
});

describe('positioned errors', () => {
  it.each(BROKEN)('$name: file:line:column points at the problem', async (fixture) => {
    const file = await writeFixture('broken.yaml', fixture.text);
    const errors = await validateRubricFile(file);
    const { line, column } = expectedPosition(fixture);
    expect(errors.length, errors.map(formatYamlError).join('\n')).toBeGreaterThan(0);
    const first = errors[0]!;
    expect({ file: first.file, line: first.line, column: first.column }).toEqual({ file, line, column });
    expect(first.message).toMatch(fixture.message instanceof RegExp ? fixture.message : new RegExp(`^${escape(fixture.message)}$`));
    expect(formatYamlError(first)).toBe(`${file}:${line}:${column}: ${first.message}`);
  });

  it('a misspelt key is reported once, as unknown with a suggestion (not also as missing)', async () => {
    const errors = await validateRubricFile(await writeFixture('typo.yaml', BROKEN[1]!.text));
    expect(errors.map((e) => e.message)).toEqual(['unknown key "wieght" in dimensions[1] (did you mean "weight"?)']);
  });

  it('reports every problem in one pass, cross-references included, in file order', async () => {
    const text = GOOD.replace('    weight: 1\n', '    weight: heavy\n')
      .replace('  - id: composure\n', '  - id: reliability\n')
      .replace('      tradeoffs: 3\n', '      tradeofs: 3\n')
      .replace('    modes: [interview]\n', '    modes: [interveiw]\n');
    const result = parseYamlDocument(text, 'r.yaml', Rubric);
    expect(result.ok).toBe(false);
    const errors = (result as { errors: YamlError[] }).errors;
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [positionOf(text, 'heavy').line, positionOf(text, 'heavy').column],
      [positionOf(text, 'id: reliability', 2).line, positionOf(text, 'id: reliability', 2).column + 4],
      [positionOf(text, 'interveiw').line, positionOf(text, 'interveiw').column],
      [positionOf(text, 'tradeofs').line, positionOf(text, 'tradeofs').column],
    ]);
    expect(errors[2]!.message).toBe(
      'dimensions[2].modes[0] must be one of interview, monologue, got string "interveiw" (did you mean "interview"?)',
    );
  });

  it('names missing top-level keys, wrong types and out-of-range numbers in plain words', () => {
    // `dimension:` is reported as a misspelling of `dimensions`, not also as `dimensions` missing.
    const text = 'name: x\nversion: [1]\ndescription: d\nscale: { min: 1, max: 10 }\ndimension: []\n';
    const result = parseYamlDocument(text, 'r.yaml', Rubric);
    const messages = (result as { errors: YamlError[] }).errors.map(formatYamlError);
    expect(messages).toEqual([
      'r.yaml:1:1: the file is missing "levels"',
      'r.yaml:2:10: version must be text or a number, got a list',
      `r.yaml:4:${positionOf(text, '10').column}: scale.max must be 5, got number 10`,
      'r.yaml:5:1: unknown key "dimension" (did you mean "dimensions"?)',
    ]);
  });

  it('an empty value is reported at its key', () => {
    const text = GOOD.replace('    weight: 1\n', '    weight:\n');
    const errors = (parseYamlDocument(text, 'r.yaml', Rubric) as { errors: YamlError[] }).errors;
    const at = positionOf(text, 'weight:\n');
    expect(errors.map(formatYamlError)).toEqual([`r.yaml:${at.line}:${at.column}: dimensions[0].weight must be a number, got nothing`]);
  });

  it('an empty file and a missing file are errors at 1:1', async () => {
    expect(await validateRubricFile(await writeFixture('empty.yaml', ''))).toEqual([
      expect.objectContaining({ line: 1, column: 1, message: 'the file must be a mapping (key: value lines), got nothing' }),
    ]);
    const missing = path.join(home.dir, 'nope.yaml');
    expect(await validateRubricFile(missing)).toEqual([{ file: missing, line: 1, column: 1, message: 'no such file' }]);
  });

  it('lineOffset turns front-matter lines into whole-file lines', () => {
    const markdown = '---\nid: demo\ntitle: Demo\ndifficulty: impossible\n---\n\n# Demo\n';
    const split = splitFrontMatter(markdown);
    expect(split.frontMatterLine).toBe(2);
    const result = parseYamlDocument(split.frontMatter!, 'demo.md', Problem, { lineOffset: split.frontMatterLine - 1 });
    const at = positionOf(markdown, 'impossible');
    expect((result as { errors: YamlError[] }).errors.map(formatYamlError)).toEqual([
      `demo.md:${at.line}:${at.column}: difficulty must be one of easy, medium, hard, got string "impossible"`,
    ]);
    const syntax = parseYamlDocument('title: ok\n\tbad: 1\n', 'demo.md', Problem, { lineOffset: 1 });
    expect((syntax as { errors: YamlError[] }).errors[0]).toMatchObject({ line: 3, column: 1 });
  });
});

describe('splitFrontMatter', () => {
  it('splits ---delimited front-matter from the body, CRLF included', () => {
    expect(splitFrontMatter('---\na: 1\n---\nbody\n')).toEqual({ frontMatter: 'a: 1\n', body: 'body\n', frontMatterLine: 2 });
    expect(splitFrontMatter('---\r\na: 1\r\n---\r\nbody')).toEqual({ frontMatter: 'a: 1\r\n', body: 'body', frontMatterLine: 2 });
    expect(splitFrontMatter('\ufeff---\na: 1\n...\nbody')).toMatchObject({ frontMatter: 'a: 1\n', body: 'body' });
    expect(splitFrontMatter('---\n---\nbody')).toMatchObject({ frontMatter: '', body: 'body' });
  });

  it('has no front-matter without an opening line or a closing one', () => {
    expect(splitFrontMatter('# Title\n---\n').frontMatter).toBeNull();
    expect(splitFrontMatter('---\na: 1\nno end\n').frontMatter).toBeNull();
    expect(splitFrontMatter('----\na: 1\n---\n').frontMatter).toBeNull();
  });
});

describe('didYouMean', () => {
  it('suggests within edit distance 2 or by prefix, and nothing otherwise', () => {
    const keys = ['id', 'name', 'weight', 'description', 'analyzer', 'signals', 'anchors', 'judge_guidance', 'modes'];
    expect(didYouMean('wieght', keys)).toBe('weight');
    expect(didYouMean('Weight', keys)).toBe('weight');
    expect(didYouMean('anchor', keys)).toBe('anchors');
    expect(didYouMean('desc', keys)).toBe('description');
    expect(didYouMean('judge', keys)).toBe('judge_guidance');
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('x', keys)).toBeUndefined();
    expect(didYouMean('di', keys)).toBe('id');
    expect(didYouMean('mdoes', keys)).toBe('modes');
  });
});

describe('loadRubric and listRubrics', () => {
  it('finds a user rubric before the packaged one of the same name, and lists both', async () => {
    await mkdir(paths.userRubricsDir, { recursive: true });
    await writeFile(path.join(paths.userRubricsDir, 'default.yaml'), GOOD);
    const rubric = await loadRubric('default', paths);
    expect(rubric).toMatchObject({ name: 'fixture', source: 'user', file: path.join(paths.userRubricsDir, 'default.yaml') });
    const listed = await listRubrics(paths);
    const defaults = listed.filter((entry) => entry.name === 'default');
    expect(defaults.map((e) => [e.source, e.shadowed])).toEqual([
      ['user', false],
      ['packaged', true],
    ]);
  });

  it('loads by path, and by the name declared inside a file', async () => {
    const file = await writeFixture('some-file.yaml', GOOD);
    expect(await loadRubric(file, paths)).toMatchObject({ name: 'fixture', source: 'file', file });
    await mkdir(paths.userRubricsDir, { recursive: true });
    await writeFile(path.join(paths.userRubricsDir, 'coach-v2.yml'), GOOD);
    expect(await loadRubric('fixture', paths)).toMatchObject({ source: 'user', file: path.join(paths.userRubricsDir, 'coach-v2.yml') });
    expect(await loadRubric('coach-v2', paths)).toMatchObject({ source: 'user' });
  });

  it('throws RubricError naming what exists when a rubric is not found', async () => {
    const error = await loadRubric('nope', paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RubricError);
    expect((error as RubricError).message).toMatch(/no rubric named "nope".*available: default, monologue-short, staff-ml-infra/);
    expect((error as RubricError).errors).toEqual([]);
    const missingFile = await loadRubric('./missing.yaml', paths).catch((e: unknown) => e);
    expect((missingFile as RubricError).message).toMatch(/missing\.yaml does not exist/);
  });

  it('throws RubricError carrying every positioned error for an invalid file', async () => {
    const file = await writeFixture('broken.yaml', BROKEN[3]!.text);
    const error = (await loadRubric(file, paths).catch((e: unknown) => e)) as RubricError;
    expect(error).toBeInstanceOf(RubricError);
    expect(error.errors).toHaveLength(1);
    expect(error.message).toContain(formatYamlError(error.errors[0]!));
  });

  it('lists a broken file with its first error instead of throwing', async () => {
    await mkdir(paths.userRubricsDir, { recursive: true });
    const file = path.join(paths.userRubricsDir, 'broken.yaml');
    await writeFile(file, BROKEN[1]!.text);
    await writeFile(path.join(paths.userRubricsDir, 'notes.txt'), 'not a rubric');
    const listed = await listRubrics(paths);
    expect(listed.map((e) => `${e.source}:${e.name}`)).toEqual([
      'user:broken',
      ...PACKAGED.map((name) => `packaged:${name}`),
    ]);
    const broken = listed[0]!;
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      const at = positionOf(BROKEN[1]!.text, 'wieght');
      expect(broken.error).toBe(`${file}:${at.line}:${at.column}: unknown key "wieght" in dimensions[1] (did you mean "weight"?)`);
    }
    const packaged = listed.find((e) => e.name === 'default')!;
    expect(packaged).toMatchObject({ ok: true, version: '1', dimensions: 12, source: 'packaged', title: 'default' });
  });
});

describe('starterRubric', () => {
  it('validates as written and names itself after its file', async () => {
    const text = starterRubric('coach-rubric');
    const result = parseYamlDocument(text, 'coach-rubric.yaml', Rubric);
    expect(result.ok, result.ok ? '' : result.errors.map(formatYamlError).join('\n')).toBe(true);
    if (result.ok) {
      expect(result.value.name).toBe('coach-rubric');
      expect(result.value.dimensions.find((d) => d.id === 'composure')!.modes).toEqual(['interview']);
    }
    // Heavily commented: every field is explained where it appears.
    for (const key of ['weight', 'analyzer', 'modes', 'signals', 'anchors', 'judge_guidance', 'min_overall', 'minimums', 'summary']) {
      expect(text, key).toMatch(new RegExp(`#[^\\n]*\\n(\\s*#[^\\n]*\\n)*\\s*(- )?${key}:`));
    }
    const odd = starterRubric('needs: quoting');
    const oddResult = parseYamlDocument(odd, 'x.yaml', Rubric);
    expect(oddResult.ok && oddResult.value.name).toBe('needs: quoting');
  });

  it('the packaged default is read with a byte-order mark too', async () => {
    const text = await readFile(path.join(packagedDirs().rubrics, 'default.yaml'), 'utf8');
    const result = await readRubricFile(await writeFixture('bom.yaml', '\ufeff' + text));
    expect(result.ok).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
