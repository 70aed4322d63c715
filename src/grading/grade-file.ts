// Grade one transcript file: read it once, reuse a cached grade when nothing that determines
// it has changed, else run the chosen grader and build the report. Each dimension says which
// grader produced its score. With `fallbackToEvidence` (grade --grader auto), a file the judge
// cannot grade is graded by the evidence grader and flagged, never lost (and not cached, so a
// rerun asks the judge again).
import { readFile } from 'node:fs/promises';
import type { LoadedProblem } from '../schemas/problem.js';
import type { Flag, GradeReport } from '../schemas/report.js';
import type { Rubric } from '../schemas/rubric.js';
import { AbortedError, type Provider } from '../llm/provider.js';
import { transcriptFromBytes } from '../storage/load-transcript.js';
import { sha256 } from '../storage/hash.js';
import { packageVersion } from '../storage/paths.js';
import { cacheKey, type GradeCache } from './grade-cache.js';
import { gradeEvidence } from './evidence-grader.js';
import type { Level } from '../schemas/transcript.js';
import { buildReport, withTarget } from './report.js';
import type { Analysis, GradeInput } from './types.js';
import type { JudgeResult } from './judge/run.js';
import { Vocabulary } from '../reading/vocabulary.js';

/** Commands make a run's vocabulary through grading (they do not reach into reading/). */
export { Vocabulary };

export interface GradeContext {
  rubric: Rubric;
  grader: 'evidence' | 'llm';
  /** Required for the llm grader. */
  provider?: Provider;
  samples?: number;
  /** llm grader: when the judge fails for a file, grade it with the evidence grader (flagged). */
  fallbackToEvidence?: boolean;
  /** --problem: overrides the problem named in the transcript. */
  problemId?: string | null;
  /** Resolves a problem id; null when unknown (grading goes on without reference estimates). */
  findProblem: (id: string) => Promise<LoadedProblem | null>;
  cache?: GradeCache | null;
  now: () => Date;
  /** --level: the level to report against, over the session's own target. */
  levelTarget?: Level | null;
  signal?: AbortSignal;
  /**
   * The Batch API's collected answer instead of asking the provider (the provider still names
   * model and host). `key` is the file's cache key, which says whether an analysis kept from
   * the submission still holds.
   */
  judge?: (input: GradeInput, key: string) => Promise<JudgeResult>;
  /** The transcript must still have these bytes (a batch was submitted for them). */
  expectedSha256?: string;
  /**
   * How files are read (default fs/promises). A --jobs worker reads synchronously: it has
   * nothing else to do meanwhile, and each async read is several thread-pool round trips.
   */
  readFile?: (file: string) => Promise<Buffer>;
  /** The word ids the run reads with (see EvidenceOptions.vocabulary); one per run or worker. */
  vocabulary?: Vocabulary;
}

export interface GradedFile {
  report: GradeReport;
  cached: boolean;
}

/** A hash of what a loaded rubric or problem says, not where it was read from. */
const hashes = new WeakMap<object, string>();
export function contentHash(value: object): string {
  let hash = hashes.get(value);
  if (!hash) {
    const { file: _file, source: _source, ...content } = value as Record<string, unknown>;
    hash = sha256(JSON.stringify(content));
    hashes.set(value, hash);
  }
  return hash;
}

/** A transcript read and checked for grading: what the graders see, and what its cache key is made of. */
export interface PreparedGrade {
  input: GradeInput;
  transcriptSha256: string;
  problemId: string | null;
  /** The cache key of this file's grade under this context. */
  key: string;
}

/**
 * Reads one transcript (once), checks it has candidate text, finds its problem and computes the
 * cache key. gradeFile grades from it; `grade --batch-api` builds the judge's request from it.
 */
export async function prepareGrade(
  file: string,
  context: Pick<GradeContext, 'rubric' | 'grader' | 'provider' | 'samples' | 'problemId' | 'findProblem' | 'expectedSha256' | 'readFile'>,
): Promise<PreparedGrade> {
  let bytes: Buffer;
  try {
    bytes = await (context.readFile ?? readFile)(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (error as Error).message);
  }
  const model = context.grader === 'llm' ? (context.provider?.model ?? null) : null;
  const samples = context.grader === 'llm' ? Math.max(1, context.samples ?? 1) : 1;
  const transcriptSha256 = sha256(bytes);
  if (context.expectedSha256 && context.expectedSha256 !== transcriptSha256) {
    throw new Error('the file changed after its batch was submitted: grade it again (sha256 differs)');
  }
  const transcript = transcriptFromBytes(file, bytes, { problem: context.problemId ?? null });
  const candidateTurns = transcript.events.filter((e) => e.type === 'turn' && e.role === 'candidate' && e.text.trim());
  if (candidateTurns.length === 0) {
    const first = transcript.problems[0];
    throw new Error(`no candidate text to grade${first ? ` (line ${first.line}: ${first.message.replace(/^line \d+: /, '')})` : ''}`);
  }
  const problemId = context.problemId ?? transcript.meta.problem;
  const problem = problemId ? await context.findProblem(problemId) : null;
  const input: GradeInput = { transcript, rubric: context.rubric, problem };

  const key = cacheKey({
    transcriptSha256,
    format: transcript.format,
    rubricSha256: contentHash(context.rubric),
    problemSha256: problem ? contentHash(problem) : null,
    grader: context.grader,
    model,
    provider: context.grader === 'llm' ? (context.provider?.label ?? null) : null,
    samples,
    // The judge prompt is not code: an edited prompts/judge.md must not reuse old llm grades.
    version: context.grader === 'llm' ? `${packageVersion()} judge-prompt ${await judgePromptHash()}` : packageVersion(),
  });
  return { input, transcriptSha256, problemId, key };
}

export async function gradeFile(file: string, context: GradeContext): Promise<GradedFile> {
  const { input, problemId, key } = await prepareGrade(file, context);
  const problem = input.problem;
  const model = context.grader === 'llm' ? (context.provider?.model ?? null) : null;
  const samples = context.grader === 'llm' ? Math.max(1, context.samples ?? 1) : 1;
  const hit = await context.cache?.get(key);
  // The target is not part of the grade: a cached report is measured against this run's.
  if (hit) return { report: withTarget({ ...hit, file }, input, context.levelTarget), cached: true };

  let analysis: Analysis;
  let strengths: string[] | undefined;
  let toExpand: string[] | undefined;
  let graders: Record<string, 'evidence' | 'llm'> | null = null;
  let grader = context.grader;
  let fellBack = false;
  if (context.grader === 'llm') {
    if (!context.provider) throw new Error('the llm grader needs a provider');
    const { judgeTranscript } = await import('./llm-judge.js');
    try {
      const judged = context.judge
        ? await context.judge(input, key)
        : await judgeTranscript(input, context.provider, { samples, signal: context.signal });
      analysis = judged.analysis;
      strengths = judged.strengths;
      toExpand = judged.toExpand;
      graders = judged.graders;
    } catch (error) {
      if (!context.fallbackToEvidence || error instanceof AbortedError || context.signal?.aborted) throw error;
      analysis = gradeEvidence(input, { vocabulary: context.vocabulary });
      analysis.flags.push(judgeFallbackFlag(error));
      grader = 'evidence';
      fellBack = true;
    }
  } else {
    analysis = gradeEvidence(input, { vocabulary: context.vocabulary });
  }
  if (problemId && !problem) {
    analysis.flags.push({ kind: 'unknown-problem', message: `problem "${problemId}" is not in the problem bank: no reference estimates` });
  }
  const report = buildReport(input, analysis, {
    file,
    grader,
    model: grader === 'llm' ? model : null,
    gradedAt: context.now().toISOString(),
    strengths,
    toExpand,
    levelTarget: context.levelTarget,
  });
  for (const [id, dimension] of Object.entries(report.dimensions)) dimension.grader = graders?.[id] ?? grader;
  if (!fellBack) await context.cache?.set(key, report);
  return { report, cached: false };
}

/** The flag of a report the evidence grader made because the LLM judge failed (or could not start), credentials redacted. */
export function judgeFallbackFlag(error: unknown, what: 'failed' | 'could not start' = 'failed'): Flag {
  return { kind: 'judge-fallback', message: `graded by the evidence grader: the LLM judge ${what} (${oneLine(error instanceof Error ? error.message : String(error))})` };
}

/** One line for a report, with anything that looks like a credential (an sk-… key, a bearer token) redacted. */
function oneLine(text: string, max = 300): string {
  const flat = text
    .replace(/\bsk-[A-Za-z0-9*._-]{6,}/g, 'sk-[redacted]')
    .replace(/\b(Bearer)\s+\S+/gi, '$1 [redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Hashes by loaded prompt: a batch keys thousands of files with the same prompt. */
const promptHashes = new WeakMap<object, string>();

/** A short hash of the judge prompt in use (prompts/judge.md), loaded once per process. */
export async function judgePromptHash(): Promise<string> {
  const { loadJudgePrompt } = await import('./judge/judge-prompt.js');
  // An unreadable prompt fails the judge itself, with a clear message; the key need not.
  const prompt = await loadJudgePrompt().catch(() => null);
  if (!prompt) return 'unreadable';
  let hash = promptHashes.get(prompt);
  if (hash === undefined) promptHashes.set(prompt, (hash = sha256(JSON.stringify([prompt.version, prompt.temperature, prompt.body])).slice(0, 16)));
  return hash;
}
