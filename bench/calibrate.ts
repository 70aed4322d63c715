// `npm run calibrate`: grade the calibration corpus (test/calibration/, described by its
// manifest.yaml) with the evidence grader through the same code as `sdcoach grade`
// (gradeFile), and compare with what a human grader expects: level accuracy (exact and within
// one), pairwise order agreement, Spearman rank correlation per dimension, the adversarial cases
// against their honest twins, and a PASS/FAIL line per target of issue 12 ("Must show").
//
// It reports; it is not a test: the exit code is 0 whatever the numbers, 1 only when the
// manifest or a transcript cannot be loaded or graded. `--json` prints the same as JSON,
// `--files` adds a table of every file, `--rubric R` grades with another rubric (a name or a
// YAML file, as `sdcoach grade --rubric`), `--dir D` another corpus folder.
// test/calibration.test.ts calls runCalibration() and checks only its structure.
import { shortName } from '../src/grading/render/format.js';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { gradeFile } from '../src/grading/grade-file.js';
import { loadRubric } from '../src/content/rubric-loader.js';
import { problemFinder } from '../src/content/problem-loader.js';
import type { GradeReport } from '../src/schemas/report.js';
import { Level, Mode } from '../src/schemas/transcript.js';
import { loadTranscript } from '../src/storage/load-transcript.js';
import { resolvePaths, type SdcoachPaths } from '../src/storage/paths.js';
import { formatYamlError, parseYamlDocument } from '../src/storage/yaml-file.js';

export const CORPUS_DIR = path.resolve(import.meta.dirname, '..', 'test', 'calibration');
export const MANIFEST_FILE = 'manifest.yaml';
export const TRANSCRIPT_EXTENSIONS = ['.jsonl', '.txt', '.md'];

// ---------------------------------------------------------------------------------------------
// Manifest

export const ADVERSARIAL_KINDS = [
  'buzzword-salad',
  'negated',
  'interviewer-said',
  'repeated',
  'plain-words',
  'prompt-injection',
  'typos',
  'wrong-estimates',
  'deep-dive-prefix',
  'empty-tradeoff',
  'rushed',
] as const;
export type AdversarialKind = (typeof ADVERSARIAL_KINDS)[number];

/** Kinds that carry no content at all: overall ≤ 2.0 and no dimension above 2.5 (issue 12). */
export const FLOOR_KINDS: readonly AdversarialKind[] = ['buzzword-salad', 'negated', 'interviewer-said', 'repeated'];
export const FLOOR_OVERALL = 2.0;
export const FLOOR_DIMENSION = 2.5;
/** A plain-words paraphrase must land within this of its jargon twin. */
export const PARAPHRASE_MARGIN = 0.5;

const dimensionId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a dimension id such as tradeoffs');

export const ManifestEntry = z
  .object({
    file: z.string().min(1),
    problem: z.string().min(1),
    mode: Mode,
    level: Level,
    strong: z.array(dimensionId).default([]),
    weak: z.array(dimensionId).default([]),
    adversarial: z.enum(ADVERSARIAL_KINDS).optional(),
    twin: z.string().min(1).optional(),
    note: z.string().min(1),
  })
  .strict();
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z
  .object({
    version: z.literal(1),
    rubric: z.string().min(1).default('default'),
    files: z.array(ManifestEntry).min(1),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const names = new Map<string, number>();
    manifest.files.forEach((entry, i) => {
      if (names.has(entry.file)) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'file'], message: `${entry.file} is listed twice` });
      }
      names.set(entry.file, i);
      if (!TRANSCRIPT_EXTENSIONS.includes(path.extname(entry.file).toLowerCase()) || entry.file.includes('/')) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'file'], message: `must be a .jsonl, .txt or .md file name in this folder` });
      }
      const both = entry.strong.filter((id) => entry.weak.includes(id));
      if (both.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'weak'], message: `${both.join(', ')} marked both strong and weak` });
      }
      if (entry.adversarial && !entry.twin) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'adversarial'], message: 'an adversarial case needs a twin: the honest transcript it is compared with' });
      }
    });
    manifest.files.forEach((entry, i) => {
      if (!entry.twin) return;
      if (!names.has(entry.twin)) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'twin'], message: `twin ${entry.twin} is not listed in the manifest` });
      } else if (entry.twin === entry.file) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'twin'], message: 'a file cannot be its own twin' });
      }
    });
  });
export type Manifest = z.infer<typeof Manifest>;

export type ManifestLoad = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

export async function loadManifest(dir: string = CORPUS_DIR): Promise<ManifestLoad> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${file}: cannot read: ${(error as Error).message}`] };
  }
  const parsed = parseYamlDocument(text, file, Manifest);
  return parsed.ok ? { ok: true, manifest: parsed.value } : { ok: false, errors: parsed.errors.map(formatYamlError) };
}

/** Transcript files in the corpus folder (not the manifest, not README.md), sorted. */
export async function corpusFiles(dir: string = CORPUS_DIR): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((name) => TRANSCRIPT_EXTENSIONS.includes(path.extname(name).toLowerCase()) && name !== 'README.md')
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Statistics

const LEVELS = Level.options;
/** L3 → 3 … L7 → 7; no level ("below L3") → 2. */
export function levelRank(level: string | null): number {
  return level ? LEVELS.indexOf(level as Level) + 3 : 2;
}

/** Ranks 1…n, ties sharing their average rank. */
function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.value === order[i]!.value) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]!.index] = rank;
    i = j + 1;
  }
  return out;
}

/** Spearman's ρ (Pearson correlation of tie-averaged ranks); null when either side is constant or n < 3. */
export function spearman(xs: number[], ys: number[]): number | null {
  if (xs.length !== ys.length || xs.length < 3) return null;
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    const dx = rx[i]! - mx;
    const dy = ry[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

// ---------------------------------------------------------------------------------------------
// Result

export interface FileResult {
  file: string;
  problem: string;
  mode: 'interview' | 'monologue';
  expected: Level;
  /** null: graded below the lowest level. */
  graded: Level | null;
  label: string;
  overall: number | null;
  dimensions: Record<string, number | null>;
  strong: string[];
  weak: string[];
  adversarial: AdversarialKind | null;
  twin: string | null;
  note: string;
}

export interface Check {
  label: string;
  pass: boolean;
}

export interface AdversarialRow {
  file: string;
  kind: AdversarialKind;
  expected: Level;
  overall: number | null;
  graded: Level | null;
  maxDimension: { id: string; score: number } | null;
  twin: string;
  twinOverall: number | null;
  twinGraded: Level | null;
  checks: Check[];
  pass: boolean;
}

export interface Target {
  id: string;
  label: string;
  pass: boolean;
  detail: string;
}

export interface DimensionAgreement {
  id: string;
  /** Files where the dimension has a score. */
  n: number;
  /** Spearman ρ between the score and the expected level (+1 if marked strong, −1 if weak). */
  rho: number | null;
  /** Files marking it strong / of those, how many score it at or above their own overall. */
  strong: number;
  strongAbove: number;
  /** Files marking it weak / of those, how many score it below their own overall. */
  weak: number;
  weakBelow: number;
}

export interface CalibrationResult {
  dir: string;
  rubric: { name: string; version: string } | null;
  grader: 'evidence';
  /** Manifest, rubric or transcript problems: a non-empty list means the run is incomplete (exit 1). */
  errors: string[];
  /** Files in the folder that the manifest does not list (not graded). */
  unlisted: string[];
  files: FileResult[];
  level: {
    n: number;
    exact: number;
    withinOne: number;
    exactRate: number;
    withinOneRate: number;
    /** confusion[expected][graded], graded "<L3" for below the lowest level. */
    confusion: Record<string, Record<string, number>>;
    /** Files graded more than one level away from what is expected. */
    farOff: { file: string; expected: Level; graded: Level | null; overall: number | null }[];
  };
  pairwise: {
    pairs: number;
    agree: number;
    ties: number;
    rate: number;
    /** The largest inversions: a file expected higher that scores lower. */
    worst: { higher: string; higherLevel: Level; higherOverall: number; lower: string; lowerLevel: Level; lowerOverall: number }[];
  };
  spearman: { overall: number | null; dimensions: DimensionAgreement[] };
  adversarial: AdversarialRow[];
  targets: Target[];
  seconds: number;
}

export interface CalibrationOptions {
  /** Corpus folder with manifest.yaml; default test/calibration. */
  dir?: string;
  /** Rubric name or YAML file; default the manifest's (default). */
  rubric?: string;
  /** Where user rubrics and problems are looked up; default resolvePaths() (SDCOACH_HOME). */
  paths?: SdcoachPaths;
  now?: () => Date;
}

const round = (value: number, decimals = 3) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

function maxDimension(dimensions: Record<string, number | null>): { id: string; score: number } | null {
  let best: { id: string; score: number } | null = null;
  for (const [id, score] of Object.entries(dimensions)) {
    if (score !== null && (best === null || score > best.score)) best = { id, score };
  }
  return best;
}

function fileResult(entry: ManifestEntry, report: GradeReport): FileResult {
  return {
    file: entry.file,
    problem: entry.problem,
    mode: entry.mode,
    expected: entry.level,
    graded: report.level.level,
    label: report.level.label,
    overall: report.overall,
    dimensions: Object.fromEntries(Object.entries(report.dimensions).map(([id, d]) => [id, d.score])),
    strong: entry.strong,
    weak: entry.weak,
    adversarial: entry.adversarial ?? null,
    twin: entry.twin ?? null,
    note: entry.note,
  };
}

export async function runCalibration(options: CalibrationOptions = {}): Promise<CalibrationResult> {
  const started = performance.now();
  const dir = path.resolve(options.dir ?? CORPUS_DIR);
  const paths = options.paths ?? resolvePaths();
  const now = options.now ?? (() => new Date());
  const errors: string[] = [];
  const files: FileResult[] = [];
  let rubricInfo: CalibrationResult['rubric'] = null;
  let unlisted: string[] = [];

  const loaded = await loadManifest(dir);
  if (!loaded.ok) errors.push(...loaded.errors);
  else {
    const { manifest } = loaded;
    const listed = new Set(manifest.files.map((entry) => entry.file));
    const present = await corpusFiles(dir);
    unlisted = present.filter((name) => !listed.has(name));
    let rubric;
    try {
      rubric = await loadRubric(options.rubric ?? manifest.rubric, paths);
      rubricInfo = { name: rubric.name, version: String(rubric.version) };
    } catch (error) {
      errors.push(`rubric: ${(error as Error).message}`);
    }
    if (rubric) {
      const ids = new Set(rubric.dimensions.map((d) => d.id));
      for (const entry of manifest.files) {
        const unknown = [...entry.strong, ...entry.weak].filter((id) => !ids.has(id));
        if (unknown.length > 0) errors.push(`${entry.file}: unknown dimension ${unknown.join(', ')} (rubric ${rubric.name} has ${[...ids].join(', ')})`);
      }
      const findProblem = problemFinder(paths);
      for (const entry of manifest.files) {
        const file = path.join(dir, entry.file);
        const plain = path.extname(entry.file).toLowerCase() !== '.jsonl';
        try {
          if (!(await findProblem(entry.problem))) throw new Error(`problem "${entry.problem}" is not in the problem bank`);
          const { report } = await gradeFile(file, {
            rubric,
            grader: 'evidence',
            // A plain transcript has no meta: the manifest's problem is its --problem.
            problemId: plain ? entry.problem : null,
            findProblem,
            cache: null,
            now,
          });
          const problems: string[] = [];
          if (report.problem !== entry.problem) problems.push(`names problem ${report.problem ?? 'none'}, the manifest says ${entry.problem}`);
          if (report.mode !== entry.mode) problems.push(`reads as ${report.mode}, the manifest says ${entry.mode}`);
          // Lines the reader could not use (bad JSON, binary) are a broken corpus file; what the
          // grader flags about the content (an injection attempt, estimated timing) is not.
          const transcript = await loadTranscript(file, { problem: plain ? entry.problem : null });
          for (const problem of transcript.problems) problems.push(problem.message);
          if (transcript.tornTail) problems.push('the last line is cut off');
          for (const flag of report.flags) if (flag.kind === 'unknown-problem') problems.push(flag.message);
          if (problems.length > 0) errors.push(`${entry.file}: ${problems.join('; ')}`);
          files.push(fileResult(entry, report));
        } catch (error) {
          errors.push(`${entry.file}: ${(error as Error).message}`);
        }
      }
    }
  }
  return { ...summarise(dir, rubricInfo, files, errors, unlisted), seconds: round((performance.now() - started) / 1000, 2) };
}

/** Every number and target from graded files (exported so the arithmetic can be tested on its own). */
export function summarise(
  dir: string,
  rubric: CalibrationResult['rubric'],
  files: FileResult[],
  errors: string[] = [],
  unlisted: string[] = [],
): Omit<CalibrationResult, 'seconds'> {
  // Level accuracy.
  const confusion: Record<string, Record<string, number>> = {};
  let exact = 0;
  let withinOne = 0;
  const farOff: CalibrationResult['level']['farOff'] = [];
  for (const f of files) {
    const got = f.graded ?? '<L3';
    confusion[f.expected] ??= {};
    confusion[f.expected]![got] = (confusion[f.expected]![got] ?? 0) + 1;
    const gap = Math.abs(levelRank(f.graded) - levelRank(f.expected));
    if (gap === 0) exact++;
    if (gap <= 1) withinOne++;
    else farOff.push({ file: f.file, expected: f.expected, graded: f.graded, overall: f.overall });
  }

  // Pairwise order over files whose expected levels differ.
  const scored = files.filter((f) => f.overall !== null);
  let pairs = 0;
  let agree = 0;
  let ties = 0;
  const inversions: CalibrationResult['pairwise']['worst'] = [];
  for (let i = 0; i < scored.length; i++) {
    for (let j = i + 1; j < scored.length; j++) {
      const a = scored[i]!;
      const b = scored[j]!;
      if (a.expected === b.expected) continue;
      pairs++;
      const [hi, lo] = levelRank(a.expected) > levelRank(b.expected) ? [a, b] : [b, a];
      if (hi.overall! > lo.overall!) agree++;
      else {
        if (hi.overall === lo.overall) ties++;
        inversions.push({
          higher: hi.file,
          higherLevel: hi.expected,
          higherOverall: hi.overall!,
          lower: lo.file,
          lowerLevel: lo.expected,
          lowerOverall: lo.overall!,
        });
      }
    }
  }
  inversions.sort(
    (x, y) =>
      y.lowerOverall - y.higherOverall - (x.lowerOverall - x.higherOverall) ||
      levelRank(y.higherLevel) - levelRank(y.lowerLevel) - (levelRank(x.higherLevel) - levelRank(x.lowerLevel)),
  );

  // Spearman per dimension: the target is the expected level, one up where the dimension is
  // marked strong and one down where it is marked weak.
  const ids = [...new Set(files.flatMap((f) => Object.keys(f.dimensions)))];
  const dimensions: DimensionAgreement[] = ids.map((id) => {
    const xs: number[] = [];
    const ys: number[] = [];
    let strong = 0;
    let strongAbove = 0;
    let weak = 0;
    let weakBelow = 0;
    for (const f of files) {
      const score = f.dimensions[id];
      if (score === null || score === undefined) continue;
      const mark = f.strong.includes(id) ? 1 : f.weak.includes(id) ? -1 : 0;
      xs.push(levelRank(f.expected) + mark);
      ys.push(score);
      if (f.overall === null) continue;
      if (mark === 1) {
        strong++;
        if (score >= f.overall) strongAbove++;
      } else if (mark === -1) {
        weak++;
        if (score < f.overall) weakBelow++;
      }
    }
    const rho = spearman(xs, ys);
    return { id, n: xs.length, rho: rho === null ? null : round(rho), strong, strongAbove, weak, weakBelow };
  });
  const overallRho = spearman(
    scored.map((f) => levelRank(f.expected)),
    scored.map((f) => f.overall!),
  );

  // Adversarial cases against their twins.
  const byName = new Map(files.map((f) => [f.file, f]));
  const adversarial: AdversarialRow[] = [];
  for (const f of files) {
    if (!f.adversarial || !f.twin) continue;
    const twin = byName.get(f.twin) ?? null;
    const max = maxDimension(f.dimensions);
    const checks: Check[] = [];
    const o = f.overall;
    const t = twin?.overall ?? null;
    if (f.adversarial === 'plain-words') {
      checks.push({
        label: `within ${PARAPHRASE_MARGIN} of twin`,
        pass: o !== null && t !== null && Math.abs(o - t) <= PARAPHRASE_MARGIN + 1e-9,
      });
    } else {
      checks.push({ label: '≤ twin', pass: o !== null && t !== null && o <= t });
    }
    if (FLOOR_KINDS.includes(f.adversarial)) {
      checks.push({ label: `overall ≤ ${FLOOR_OVERALL.toFixed(1)}`, pass: o !== null && o <= FLOOR_OVERALL });
      checks.push({ label: `max dim ≤ ${FLOOR_DIMENSION}`, pass: max !== null && max.score <= FLOOR_DIMENSION });
    }
    if (f.adversarial === 'rushed') {
      checks.push({ label: 'level below L6', pass: levelRank(f.graded) < levelRank('L6') });
    }
    adversarial.push({
      file: f.file,
      kind: f.adversarial,
      expected: f.expected,
      overall: o,
      graded: f.graded,
      maxDimension: max,
      twin: f.twin,
      twinOverall: t,
      twinGraded: twin?.graded ?? null,
      checks,
      pass: checks.every((c) => c.pass),
    });
  }

  const n = files.length;
  const failing = (rows: AdversarialRow[], label?: string) =>
    rows.filter((r) => r.checks.some((c) => !c.pass && (label === undefined || c.label.startsWith(label)))).map((r) => r.file);
  const listOf = (names: string[]) => (names.length > 0 ? `; failing: ${names.join(', ')}` : '');
  const twinRows = adversarial.filter((r) => r.kind !== 'plain-words');
  const twinFails = failing(twinRows, '≤ twin');
  const floorRows = adversarial.filter((r) => FLOOR_KINDS.includes(r.kind));
  const floorFails = floorRows.filter((r) => r.checks.some((c) => !c.pass && c.label !== '≤ twin')).map((r) => r.file);
  const paraphraseRows = adversarial.filter((r) => r.kind === 'plain-words');
  const paraphraseFails = failing(paraphraseRows);
  const rushedRows = adversarial.filter((r) => r.kind === 'rushed');
  const rushedFails = failing(rushedRows, 'level below L6');
  const targets: Target[] = [
    {
      id: 'level-within-one',
      label: 'level within one ≥ 90 %',
      pass: n > 0 && rate(withinOne, n) >= 0.9,
      detail: `${withinOne}/${n} = ${pct(rate(withinOne, n))}`,
    },
    { id: 'level-exact', label: 'level exact ≥ 60 %', pass: n > 0 && rate(exact, n) >= 0.6, detail: `${exact}/${n} = ${pct(rate(exact, n))}` },
    {
      id: 'pairwise-order',
      label: 'pairwise order ≥ 95 %',
      pass: pairs > 0 && rate(agree, pairs) >= 0.95,
      detail: `${agree}/${pairs} = ${pct(rate(agree, pairs))}`,
    },
    {
      id: 'adversarial-vs-twin',
      label: 'every adversarial case at or below its honest twin',
      pass: twinRows.length > 0 && twinFails.length === 0,
      detail: `${twinRows.length - twinFails.length}/${twinRows.length}${listOf(twinFails)}`,
    },
    {
      id: 'content-free-floor',
      label: `buzzword salad, negated, interviewer-said, repeated: overall ≤ ${FLOOR_OVERALL.toFixed(1)}, no dimension above ${FLOOR_DIMENSION}`,
      pass: floorRows.length > 0 && floorFails.length === 0,
      detail: `${floorRows.length - floorFails.length}/${floorRows.length}${listOf(floorFails)}`,
    },
    {
      id: 'plain-words-paraphrase',
      label: `plain-words paraphrase within ${PARAPHRASE_MARGIN} of its jargon twin`,
      pass: paraphraseRows.length > 0 && paraphraseFails.length === 0,
      detail: `${paraphraseRows.length - paraphraseFails.length}/${paraphraseRows.length}${listOf(paraphraseFails)}`,
    },
    {
      id: 'rushed-level-cap',
      label: 'a 3-minute rushed session stays below L6 (issue 12, Levels)',
      pass: rushedRows.length > 0 && rushedFails.length === 0,
      detail: `${rushedRows.length - rushedFails.length}/${rushedRows.length}${listOf(rushedFails)}`,
    },
  ];

  return {
    dir,
    rubric,
    grader: 'evidence',
    errors,
    unlisted,
    files,
    level: {
      n,
      exact,
      withinOne,
      exactRate: round(rate(exact, n), 4),
      withinOneRate: round(rate(withinOne, n), 4),
      confusion,
      farOff,
    },
    pairwise: { pairs, agree, ties, rate: round(rate(agree, pairs), 4), worst: inversions.slice(0, 10) },
    spearman: { overall: overallRho === null ? null : round(overallRho), dimensions },
    adversarial,
    targets,
  };
}

// ---------------------------------------------------------------------------------------------
// Text report

function pct(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}
const num = (value: number | null, digits = 2) => (value === null ? '–' : value.toFixed(digits));
const lvl = (level: Level | null) => level ?? '<L3';

function table(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}


export function formatCalibration(result: CalibrationResult, options: { files?: boolean } = {}): string {
  const out: string[] = [];
  const rubric = result.rubric ? `rubric ${result.rubric.name}@${result.rubric.version}` : 'no rubric';
  const relative = path.relative(process.cwd(), result.dir);
  const rel = relative === '' ? '.' : relative.startsWith('..') ? result.dir : relative;
  out.push(
    `Calibration: ${result.files.length} transcripts in ${rel} graded by the evidence grader (${rubric}) in ${result.seconds.toFixed(2)} s`,
  );
  for (const error of result.errors) out.push(`  error: ${error}`);
  for (const name of result.unlisted) out.push(`  not in the manifest (not graded): ${name}`);
  if (result.files.length === 0) return out.join('\n') + '\n';
  out.push('');

  const { level } = result;
  out.push(`Level accuracy   exact ${level.exact}/${level.n} = ${pct(level.n ? level.exact / level.n : 0)}   within one ${level.withinOne}/${level.n} = ${pct(level.n ? level.withinOne / level.n : 0)}`);
  const columns = ['<L3', ...Level.options];
  const rows: string[][] = [['  expected ↓ graded →', ...columns, 'n']];
  for (const expected of Level.options) {
    const row = level.confusion[expected] ?? {};
    const n = Object.values(row).reduce((a, b) => a + b, 0);
    rows.push([`  ${expected}`, ...columns.map((c) => (row[c] ? String(row[c]) : '·')), String(n)]);
  }
  out.push(...table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  if (level.farOff.length > 0) {
    out.push('  more than one level off:');
    for (const f of level.farOff) out.push(`    ${f.file}: expected ${f.expected}, graded ${lvl(f.graded)} (overall ${num(f.overall)})`);
  }
  out.push('');

  const { pairwise } = result;
  out.push(
    `Pairwise order   ${pairwise.agree}/${pairwise.pairs} = ${pct(pairwise.rate)} of pairs with different expected levels ordered by overall score (${pairwise.ties} ties count as wrong)`,
  );
  if (pairwise.worst.length > 0) {
    out.push('  largest inversions (expected higher, scores lower):');
    for (const w of pairwise.worst) {
      out.push(`    ${w.higher} (${w.higherLevel}) ${w.higherOverall.toFixed(2)} < ${w.lower} (${w.lowerLevel}) ${w.lowerOverall.toFixed(2)}`);
    }
  }
  out.push('');

  out.push(`Spearman ρ per dimension: score vs expected level (+1 where marked strong, −1 where weak); overall score vs level ρ = ${num(result.spearman.overall)}`);
  const drows: string[][] = [['  dimension', 'ρ', 'n', 'strong ≥ overall', 'weak < overall']];
  for (const d of result.spearman.dimensions) {
    drows.push([
      `  ${d.id}`,
      num(d.rho),
      String(d.n),
      d.strong ? `${d.strongAbove}/${d.strong}` : '–',
      d.weak ? `${d.weakBelow}/${d.weak}` : '–',
    ]);
  }
  out.push(...table(drows, ['l', 'r', 'r', 'r', 'r']));
  out.push('');

  out.push('Adversarial cases');
  const arows: string[][] = [['  file', 'kind', 'exp', 'overall', 'level', 'max dimension', 'twin', 'twin overall', 'twin level', 'result']];
  for (const a of result.adversarial) {
    arows.push([
      `  ${a.file}`,
      a.kind,
      a.expected,
      num(a.overall),
      lvl(a.graded),
      a.maxDimension ? `${a.maxDimension.id} ${a.maxDimension.score.toFixed(1)}` : '–',
      a.twin,
      num(a.twinOverall),
      lvl(a.twinGraded),
      a.pass ? 'pass' : `FAIL (${a.checks.filter((c) => !c.pass).map((c) => c.label).join(', ')})`,
    ]);
  }
  out.push(...table(arows, ['l', 'l', 'l', 'r', 'l', 'l', 'l', 'r', 'l', 'l']));
  out.push('');

  if (options.files) {
    out.push('Files');
    const ids = result.spearman.dimensions.map((d) => d.id);
    const frows: string[][] = [['  file', 'exp', 'graded', 'overall', ...ids.map((id) => shortName(id))]];
    for (const f of result.files) {
      frows.push([`  ${f.file}`, f.expected, lvl(f.graded), num(f.overall), ...ids.map((id) => num(f.dimensions[id] ?? null, 1))]);
    }
    out.push(...table(frows, ['l', 'l', 'l', 'r', ...ids.map(() => 'r' as const)]));
    out.push('');
  }

  out.push('Targets (issue 12, "Must show")');
  for (const t of result.targets) out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.label}: ${t.detail}`);
  const passed = result.targets.filter((t) => t.pass).length;
  out.push(`  ${passed}/${result.targets.length} targets met`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// CLI

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i >= 0) return args[i + 1];
  const prefixed = args.find((a) => a.startsWith(`${flag}=`));
  return prefixed?.slice(flag.length + 1);
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      'usage: npm run calibrate [-- --json] [--files] [--rubric NAME|FILE] [--dir FOLDER]\n' +
        'Grades the calibration corpus (test/calibration/manifest.yaml) with the evidence grader and\n' +
        'compares with the expected levels and dimensions. Exit 0 whatever the numbers; 1 when a file\n' +
        'or the manifest cannot be loaded.\n',
    );
    return 0;
  }
  const result = await runCalibration({ dir: argValue(args, '--dir'), rubric: argValue(args, '--rubric') });
  if (args.includes('--json')) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(formatCalibration(result, { files: args.includes('--files') }));
  return result.errors.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  process.exitCode = await main(process.argv.slice(2));
}
