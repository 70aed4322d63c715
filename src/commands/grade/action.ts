// The work behind `sdcoach grade`: expand the file arguments, load the rubric (and a provider
// for the llm grader; with auto, the judge only when a model is configured and reachable, checked
// once per batch), grade with bounded concurrency, stream progress and results, render.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedProviderConfig } from '../../llm/config.js';
import type { Provider } from '../../llm/provider.js';
import { packagedDirs, resolvePaths } from '../../storage/paths.js';
import { GradeCache } from '../../grading/grade-cache.js';
import type { GraderChoice } from '../../grading/judge/auto.js';
import { Vocabulary, gradeFile } from '../../grading/grade-file.js';
import type { GradeOptions } from '../../grading/grade-options.js';
import { reportGrades } from '../../grading/report-grades.js';
import { chooseRubric } from '../../config/resolve.js';
import { settingsOrEmpty } from '../sessions/shared.js';
import { UsageError } from '../../errors.js';

/** A usage problem: told as `sdcoach grade: …` by main, exit 2. */
function usage(message: string, cause?: unknown): never {
  throw new UsageError(message, { command: 'grade', cause });
}

const TRANSCRIPT_EXTENSIONS = ['jsonl', 'txt', 'md', 'vtt', 'srt', 'json'];

/** Files, folders (their transcripts, recursively) and globs, in the order given, without duplicates. */
export async function expandInputs(
  patterns: string[],
): Promise<{ files: string[]; unmatched: { pattern: string; reason: string }[] }> {
  const { glob, isDynamicPattern } = await import('tinyglobby');
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: { pattern: string; reason: string }[] = [];
  const add = (list: string[]) => {
    for (const file of list) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push(file);
    }
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

/** A run given no judge configuration (a caller other than the command) has no judge to use. */
async function noJudgeConfig(): Promise<ResolvedProviderConfig> {
  throw new Error('no judge configuration was given');
}

async function llmProvider(judgeConfig: () => Promise<ResolvedProviderConfig>): Promise<Provider> {
  const [{ createProvider }, { RateGate, gatedProvider }] = await Promise.all([import('../providers.js'), import('../../llm/rate-gate.js')]);
  // The judge's own model when --judge-model/--judge-provider (or the judge settings) name one.
  const config = await judgeConfig();
  if (config.provider === 'builtin') {
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
async function autoGrader(judgeConfig: () => Promise<ResolvedProviderConfig>, err: (text: string) => void): Promise<{ grader: 'evidence' | 'llm'; provider?: Provider }> {
  const { chooseGrader, choiceMessage } = await import('../../grading/judge/auto.js');
  let choice: GraderChoice;
  try {
    choice = await chooseGrader(await judgeConfig());
  } catch (error) {
    choice = { grader: 'evidence', reason: `the model configuration cannot be used: ${(error as Error).message}` };
  }
  err(`${choiceMessage(choice)}\n`);
  if (choice.grader === 'evidence') return { grader: 'evidence' };
  return { grader: 'llm', provider: await llmProvider(judgeConfig) };
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

/** What the command line asked for: the rubric is null when --rubric was not given. */
export type GradeRequest = Omit<GradeOptions, 'rubric'> & { rubric: string | null };

export async function runGrade(patterns: string[], request: GradeRequest): Promise<number> {
  // No --rubric: the rubric setting, else the default (config/resolve.ts).
  const options: GradeOptions = { ...request, rubric: request.rubric ?? chooseRubric(null, (await settingsOrEmpty()).settings) };
  if (options.examples) patterns = [...patterns, packagedDirs().sessions];
  if (!patterns.includes('-')) return gradeFiles(patterns, options);
  const input = await stdinTranscript();
  if (!input) usage('nothing to grade: standard input (-) is empty');
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

async function gradeFiles(patterns: string[], given: GradeOptions, shown: (file: string) => string = (file) => file): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  // One judge configuration for the whole run (loaded once, by the command's loader): the grader
  // choice, the provider and the Batch API all ask it.
  const judgeConfig = given.judgeConfig ?? noJudgeConfig;
  const options: GradeOptions = { ...given, judgeConfig };
  const paths = resolvePaths();
  const expanded = await expandInputs(patterns);
  const unmatched = expanded.unmatched;
  // The --out file may sit inside a graded folder: it is output, never input.
  const outPath = options.out ? path.resolve(options.out) : null;
  const files = expanded.files.filter((file) => path.resolve(file) !== outPath);
  if (files.length === 0) usage(`nothing to grade: ${unmatched.map((u) => `${u.pattern}: ${u.reason}`).join('; ') || 'only the --out file matched'}`);

  const [{ loadRubric, warningsOf, formatRubricWarning }, { loadProblem, problemFinder }] = await Promise.all([
    import('../../content/rubric-loader.js'),
    import('../../content/problem-loader.js'),
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
      provider = await llmProvider(judgeConfig);
      grader = 'llm';
    } else if (options.grader === 'auto') ({ grader, provider } = await autoGrader(judgeConfig, err));
  } catch (error) {
    usage((error as Error).message, error);
  }

  // A problem a transcript names but the bank lacks: graded without it (the report flags it).
  // A problem file that exists but is broken: that is an error worth seeing.
  const findProblem = problemFinder(paths);

  const cache = options.cache ? new GradeCache(path.join(paths.cacheDir, 'grades')) : null;
  const levelTarget = options.level ?? null;
  if (options.batchApi) {
    if (grader !== 'llm' || !provider) usage('--batch-api sends the files to the LLM judge: configure a model (OPENAI_API_KEY or OPENAI_BASE_URL) or use --grader llm');
    if (options.samples > 1) usage('--batch-api sends one request per file: --samples is not supported with it');
    const [{ submitBatchFiles }, { collectBatch }] = await Promise.all([
      import('../../grading/batch-api/submit.js'),
      import('../../grading/batch-api/collect.js'),
    ]);
    return submitBatchFiles(files, unmatched, { rubric, options, shown, findProblem, cache, providerLabel: provider.label, collect: collectBatch });
  }
  // --jobs: the evidence grader in worker threads (by default only for a big batch: starting a
  // worker costs more than it saves on a few files; see poolSize).
  const workers = grader === 'evidence' ? await import('../../grading/workers/evidence-pool.js') : null;
  const jobs = workers ? workers.poolSize(Math.max(1, options.jobs ?? 1), files.length, options.jobsGiven ?? false) : 1;
  // One vocabulary for the files graded on this thread (workers have their own).
  const vocabulary = new Vocabulary();
  // This thread grades too (every jobs-th file): one worker fewer to start and warm up, and
  // no messages for its share.
  const shared =
    workers && jobs > 1
      ? workers.EvidencePool.shared(jobs, {
          rubric: options.rubric,
          problemId: options.problem,
          levelTarget,
          cacheDir: cache ? path.join(paths.cacheDir, 'grades') : null,
        })
      : null;
  const here = (file: string) =>
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
      vocabulary,
    });
  try {
    return await reportGrades({
      files,
      unmatched,
      options,
      shown,
      // Two files in flight per thread: the next one is queued while a report comes back.
      concurrency: shared ? shared.threads * 2 : options.concurrency,
      // The evidence grader's results come out in input order, so the stream does not depend on
      // timing (or on --jobs); the judge's are streamed as each one is known.
      ordered: grader === 'evidence',
      work: (file, index) => (shared && !shared.here(index) ? shared.pool.grade(file) : here(file)),
    });
  } finally {
    await shared?.pool.close();
  }
}
