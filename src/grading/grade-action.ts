// The work behind `sdcoach grade`: expand the file arguments, load the rubric (and a provider
// for the llm grader; with auto, the judge only when a model is configured and reachable, checked
// once per batch), grade with bounded concurrency, stream progress and results, render.
import { mkdtemp, open, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { styler } from '../term/colour.js';
import { useColour } from '../config/colour.js';
import type { ProviderFlags, ResolvedProviderConfig } from '../llm/config.js';
import type { Provider } from '../llm/provider.js';
import type { GradeFailure, GradeReport } from '../schemas/report.js';
import type { Level } from '../schemas/transcript.js';
import { packagedDirs, resolvePaths } from '../storage/paths.js';
import { runBatch, type BatchResult } from './batch.js';
import { GradeCache } from './grade-cache.js';
import type { GraderChoice } from './judge/auto.js';
import { gradeFile, type GradedFile } from './grade-file.js';
import { Progress } from './progress.js';
import { renderCsv } from './render/csv.js';
import { compactLevel, overall } from './render/format.js';
import { renderMarkdown } from './render/markdown.js';
import { renderTable } from './render/table.js';

export type GradeFormat = 'table' | 'json' | 'jsonl' | 'md' | 'csv';

export interface GradeOptions {
  rubric: string;
  /** auto: the LLM judge when a model is configured and reachable, else evidence (said on stderr). */
  grader: 'auto' | 'evidence' | 'llm';
  problem: string | null;
  concurrency: number;
  samples: number;
  format: GradeFormat;
  out: string | null;
  /** Overwrite an existing --out file (else it is refused). */
  force?: boolean;
  cache: boolean;
  providerFlags: ProviderFlags;
  /** --level: the level every report is measured against (else each session's own target). */
  level?: Level | null;
  /** --examples: also grade the package's own sessions/ folder (the shipped examples), from any directory. */
  examples?: boolean;
  /** --jobs: worker threads for the evidence grader (1: none, graded on the main thread). */
  jobs?: number;
  /** --batch-api: submit the judge's requests as an OpenAI Batch API batch instead of asking interactively. */
  batchApi?: boolean;
  /** --wait (with --batch-api): poll until the batch ends, then collect it. */
  wait?: boolean;
}

const TRANSCRIPT_EXTENSIONS = ['jsonl', 'txt', 'md', 'vtt', 'srt', 'json'];

/** Files, folders (their transcripts, recursively) and globs, in the order given, without duplicates. */
export async function expandInputs(
  patterns: string[],
): Promise<{ files: string[]; unmatched: { pattern: string; reason: string }[] }> {
  const { glob, isDynamicPattern } = await import('tinyglobby');
  const files: string[] = [];
  const unmatched: { pattern: string; reason: string }[] = [];
  const add = (list: string[]) => {
    for (const file of list) if (!files.includes(file)) files.push(file);
  };
  for (const pattern of patterns) {
    const info = await stat(pattern).catch(() => null);
    if (info?.isFile()) add([pattern]);
    else if (info?.isDirectory()) {
      const found = await glob(`**/*.{${TRANSCRIPT_EXTENSIONS.join(',')}}`, { cwd: pattern, onlyFiles: true });
      if (found.length) add(found.sort().map((f) => path.join(pattern, f)));
      else unmatched.push({ pattern, reason: 'no transcripts (.jsonl, .txt, .md, .vtt, .srt, .json) in this folder' });
    } else if (isDynamicPattern(pattern)) {
      const found = (await glob(pattern, { onlyFiles: true, expandDirectories: false })).sort();
      if (found.length) add(found);
      else unmatched.push({ pattern, reason: 'no file matches' });
    } else unmatched.push({ pattern, reason: 'no such file' });
  }
  return { files, unmatched };
}

async function llmProvider(flags: ProviderFlags, resolved?: ResolvedProviderConfig): Promise<Provider> {
  const [{ loadProviderConfig, createProvider }, { RateGate, gatedProvider }] = await Promise.all([
    import('../llm/create-provider.js'),
    import('../llm/rate-gate.js'),
  ]);
  const config = resolved ?? (await loadProviderConfig(flags, resolvePaths()));
  if (config.provider !== 'openai') {
    throw new Error(
      'the llm grader needs a model: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server (check with `sdcoach doctor`).',
    );
  }
  // A batch would rather wait than fail: more retries, and one shared gate for retry-after.
  const provider = await createProvider({ ...config, maxRetries: Math.max(config.maxRetries, 8) });
  return gatedProvider(provider, new RateGate());
}

/**
 * --grader auto: which grader this batch uses, and the provider for the judge. Said once on
 * stderr. A configuration that cannot be read is a reason to grade offline, not to stop.
 */
async function autoGrader(flags: ProviderFlags, err: (text: string) => void): Promise<{ grader: 'evidence' | 'llm'; provider?: Provider }> {
  const [{ loadProviderConfig }, { chooseGrader, choiceMessage }] = await Promise.all([
    import('../llm/create-provider.js'),
    import('./judge/auto.js'),
  ]);
  let choice: GraderChoice;
  let config: ResolvedProviderConfig | undefined;
  try {
    config = await loadProviderConfig(flags, resolvePaths());
    choice = await chooseGrader(config);
  } catch (error) {
    choice = { grader: 'evidence', reason: `the model configuration cannot be used: ${(error as Error).message}` };
  }
  err(`${choiceMessage(choice)}\n`);
  if (choice.grader === 'evidence') return { grader: 'evidence' };
  return { grader: 'llm', provider: await llmProvider(flags, config) };
}

/**
 * The whole output for a format. Files that could not be graded are part of it (after the
 * reports: {file, error} entries, CSV rows with an error, a "Not graded" section); the table
 * leaves them to stderr, where they are listed for every format.
 */
function render(format: GradeFormat, reports: GradeReport[], failures: GradeFailure[]): string {
  switch (format) {
    case 'table':
      return renderTable(reports, styler(useColour(process.stdout)));
    case 'json':
      return JSON.stringify([...reports, ...failures], null, 2) + '\n';
    case 'md':
      return renderMarkdown(reports, failures);
    case 'csv':
      return renderCsv(reports, failures);
    case 'jsonl':
      return ''; // streamed as each report arrives
  }
}

/**
 * `grade -`: one transcript from standard input, kept in a temporary file (removed afterwards)
 * named by its content — `.jsonl` when the first line is a JSON object (a recorded session), `.json`
 * when the whole text is JSON, else `.txt` — so it is read exactly as a file with that name.
 */
async function stdinTranscript(stdin: NodeJS.ReadableStream = process.stdin): Promise<{ file: string; cleanup: () => Promise<void> } | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const bytes = Buffer.concat(chunks);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) return null;
  const isJson = (value: string) => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  };
  const firstLine = text.trimStart().split('\n', 1)[0]!.trim();
  const ext = firstLine.startsWith('{') && isJson(firstLine) ? '.jsonl' : isJson(text) ? '.json' : '.txt';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-stdin-'));
  const file = path.join(dir, `stdin${ext}`);
  await writeFile(file, bytes, { mode: 0o600 });
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function runGrade(patterns: string[], options: GradeOptions): Promise<number> {
  if (options.examples) patterns = [...patterns, packagedDirs().sessions];
  if (!patterns.includes('-')) return gradeFiles(patterns, options);
  const input = await stdinTranscript();
  if (!input) {
    process.stderr.write('sdcoach grade: nothing to grade: standard input (-) is empty\n');
    return 2;
  }
  try {
    // Reports, progress and errors name it `-`, not the temporary file.
    return await gradeFiles(
      patterns.filter((p, i) => p !== '-' || patterns.indexOf('-') === i).map((p) => (p === '-' ? input.file : p)),
      options,
      (file) => (file === input.file ? '-' : file),
    );
  } finally {
    await input.cleanup();
  }
}

async function gradeFiles(patterns: string[], options: GradeOptions, shown: (file: string) => string = (file) => file): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  const paths = resolvePaths();
  const expanded = await expandInputs(patterns);
  const unmatched = expanded.unmatched;
  // The --out file may sit inside a graded folder: it is output, never input.
  const outPath = options.out ? path.resolve(options.out) : null;
  const files = expanded.files.filter((file) => path.resolve(file) !== outPath);
  if (files.length === 0) {
    err(`sdcoach grade: nothing to grade: ${unmatched.map((u) => `${u.pattern}: ${u.reason}`).join('; ') || 'only the --out file matched'}\n`);
    return 2;
  }

  const [{ loadRubric, warningsOf, formatRubricWarning }, { loadProblem, problemFinder }] = await Promise.all([
    import('../content/rubric-loader.js'),
    import('../content/problem-loader.js'),
  ]);
  let rubric;
  let provider: Provider | undefined;
  let grader: 'evidence' | 'llm' = options.grader === 'llm' ? 'llm' : 'evidence';
  try {
    rubric = await loadRubric(options.rubric, paths);
    // The coach's own rubric: say what in it is probably not what they meant. The packaged
    // rubrics are not theirs to edit, so their warnings are left to `sdcoach rubric validate`.
    if (rubric.source !== 'packaged') for (const warning of warningsOf(rubric)) err(`${formatRubricWarning(warning)}\n`);
    // A mistyped --problem is a usage error, not a silent grade without reference estimates.
    if (options.problem) await loadProblem(options.problem, paths);
    // --batch-api is the judge by definition: no probe, the configured model or a clear error.
    if (options.grader === 'llm' || (options.batchApi && options.grader === 'auto')) {
      provider = await llmProvider(options.providerFlags);
      grader = 'llm';
    } else if (options.grader === 'auto') ({ grader, provider } = await autoGrader(options.providerFlags, err));
  } catch (error) {
    err(`sdcoach grade: ${(error as Error).message}\n`);
    return 2;
  }

  // A problem a transcript names but the bank lacks: graded without it (the report flags it).
  // A problem file that exists but is broken: that is an error worth seeing.
  const findProblem = problemFinder(paths);

  const cache = options.cache ? new GradeCache(path.join(paths.cacheDir, 'grades')) : null;
  const levelTarget = options.level ?? null;
  if (options.batchApi) {
    if (grader !== 'llm' || !provider) {
      err('sdcoach grade: --batch-api sends the files to the LLM judge: configure a model (OPENAI_API_KEY or OPENAI_BASE_URL) or use --grader llm\n');
      return 2;
    }
    if (options.samples > 1) {
      err('sdcoach grade: --batch-api sends one request per file: --samples is not supported with it\n');
      return 2;
    }
    const { submitBatchFiles } = await import('./batch-api/submit.js');
    return submitBatchFiles(files, unmatched, { rubric, options, shown, findProblem, cache, providerLabel: provider.label });
  }
  // --jobs: the evidence grader in worker threads (never for one file: a thread costs more than it saves).
  const jobs = Math.max(1, options.jobs ?? 1);
  const pool =
    grader === 'evidence' && jobs > 1 && files.length > 1
      ? new (await import('./workers/evidence-pool.js')).EvidencePool(Math.min(jobs, files.length), {
          rubric: options.rubric,
          problemId: options.problem,
          levelTarget,
          cacheDir: cache ? path.join(paths.cacheDir, 'grades') : null,
        })
      : null;
  try {
    return await reportGrades({
      files,
      unmatched,
      options,
      shown,
      // Two files in flight per worker: the next one is queued while a report comes back.
      concurrency: pool ? Math.min(jobs, files.length) * 2 : options.concurrency,
      // The evidence grader's results come out in input order, so the stream does not depend on
      // timing (or on --jobs); the judge's are streamed as each one is known.
      ordered: grader === 'evidence',
      work: pool
        ? (file) => pool.grade(file)
        : (file) =>
            gradeFile(file, {
              rubric,
              grader,
              provider,
              // auto promised a grade for every file: a file the judge fails on is graded offline.
              fallbackToEvidence: options.grader === 'auto',
              samples: options.samples,
              problemId: options.problem,
              findProblem,
              cache,
              now: () => new Date(),
              levelTarget,
            }),
    });
  } finally {
    await pool?.close();
  }
}

export interface ReportGradesParams {
  files: string[];
  unmatched: { pattern: string; reason: string }[];
  options: Pick<GradeOptions, 'format' | 'out' | 'force'>;
  shown: (file: string) => string;
  concurrency: number;
  /** Emit results (stream, --out, progress) in input order rather than as they finish. */
  ordered: boolean;
  work: (file: string, index: number) => Promise<GradedFile>;
}

/**
 * Grades `files` with `work` and reports them as `grade` does: each result streamed (jsonl,
 * --out) and shown on the progress line as it is known, then the whole output in the chosen
 * format, failures on stderr, the count line; returns the exit code. `grade collect` reports
 * a collected batch through this too.
 */
export async function reportGrades({ files, unmatched, options, shown, concurrency, ordered, work }: ReportGradesParams): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  let out: FileHandle | null = null;
  if (options.out) {
    try {
      out = await openOut(options.out, options.force ?? false);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      err(
        code === 'EEXIST'
          ? `sdcoach grade: --out ${options.out} already exists; use --force to overwrite it\n`
          : `sdcoach grade: cannot write --out ${options.out}: ${(error as Error).message}\n`,
      );
      return 2;
    }
  }
  // Each line as it is known: on stdout for --format jsonl, in the --out file.
  const emit = async (entry: GradeReport | GradeFailure) => {
    const line = JSON.stringify(entry) + '\n';
    if (out) await out.write(line);
    if (options.format === 'jsonl') process.stdout.write(line);
  };
  const failures: GradeFailure[] = unmatched.map(({ pattern, reason }) => ({ file: pattern, error: reason }));
  try {
    for (const failure of failures) await emit(failure);
  } catch (error) {
    await out?.close();
    err(`sdcoach grade: cannot write --out ${options.out}: ${(error as Error).message}\n`);
    return 1;
  }

  const progress = new Progress(files.length + unmatched.length);
  let cachedCount = 0;
  for (const [i, { pattern, reason }] of unmatched.entries()) {
    progress.update(i + 1, { file: pattern, ok: false, detail: reason });
  }
  let gradedCount = 0;
  let results;
  try {
    results = await runBatch({
      files,
      concurrency,
      // jsonl is streamed: holding every report would grow without bound over big folders.
      retain: options.format !== 'jsonl',
      work,
      onResult: inOrder(ordered, async (result, done) => {
        const graded = result.value;
        if (graded) {
          gradedCount++;
          if (graded.cached) cachedCount++;
          if (graded.report.file !== null) graded.report = { ...graded.report, file: shown(graded.report.file) };
          await emit(graded.report);
        } else {
          await emit({ file: shown(result.file), error: result.error ?? 'not graded' });
        }
        progress.update(unmatched.length + done, {
          file: shown(result.file),
          ok: Boolean(graded),
          cached: graded?.cached,
          detail: graded ? `${overall(graded.report.overall)} ${compactLevel(graded.report)}` : result.error!,
        });
      }),
    });
  } finally {
    progress.finish();
    await out?.close();
  }

  const reports = results.filter((r) => r.value).map((r) => r.value!.report);
  const failed = results.filter((r) => r.error);
  failures.push(...failed.map((r) => ({ file: shown(r.file), error: r.error! })));
  process.stdout.write(render(options.format, reports, failures));
  for (const failure of failed) err(`✗ ${shown(failure.file)}: ${failure.error}\n`);
  for (const { pattern, reason } of unmatched) err(`✗ ${pattern}: ${reason}\n`);
  const failureCount = failed.length + unmatched.length;
  err(
    `graded ${gradedCount} of ${files.length + unmatched.length} file${files.length + unmatched.length === 1 ? '' : 's'}` +
      (cachedCount ? ` (${cachedCount} from cache)` : '') +
      (failureCount ? `; ${failureCount} failed` : '') +
      '\n',
  );
  return failureCount ? 1 : 0;
}

/**
 * The --out file, created; an existing regular file only with `force` (a grade run must not
 * silently replace last week's grades). A terminal, pipe or /dev/null is written as given.
 */
async function openOut(file: string, force: boolean): Promise<FileHandle> {
  try {
    return await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const info = await stat(file);
    if (force || !info.isFile()) return open(file, 'w');
    throw error;
  }
}

/**
 * An onResult that sees results in input order when `ordered` (each one held until those
 * before it are done; `done` counts in that order too), else as they finish.
 */
function inOrder<T>(
  ordered: boolean,
  onResult: (result: BatchResult<T>, done: number) => Promise<void>,
): (result: BatchResult<T>, done: number) => Promise<void> {
  if (!ordered) return onResult;
  const held = new Map<number, BatchResult<T>>();
  let next = 0;
  let chain = Promise.resolve();
  return (result) => {
    held.set(result.index, result);
    // One delivery at a time, in index order; the returned promise is the caller's back-pressure.
    chain = chain.then(async () => {
      for (let ready = held.get(next); ready; ready = held.get(next)) {
        held.delete(next);
        next++;
        await onResult(ready, next);
      }
    });
    return chain;
  };
}
