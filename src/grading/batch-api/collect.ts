// `grade collect BATCH` (and `grade --batch-api --wait`): once the batch has ended, its output
// and error files are downloaded (once; kept beside the manifest) and every request is graded
// through gradeFile with the batch's reply as the judge's answer: the same zod validation,
// quote check, evidence fallback, report and cache entry as the interactive judge. Requests
// that failed are listed, and `--resubmit-failed` sends them again as a new batch.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type OpenAI from 'openai';
import { problemFinder } from '../../content/problem-loader.js';
import { resolvePaths, type SdcoachPaths } from '../../storage/paths.js';
import type { GradeOptions } from '../grade-options.js';
import { reportGrades } from '../report-grades.js';
import { GradeCache } from '../grade-cache.js';
import { contentHash, judgePromptHash } from '../grade-file.js';
import { loadRubric } from '../../content/rubric-loader.js';
import { batchCall, manifestClient } from './client.js';
import { readOutcomes, type RequestOutcome } from './lines.js';
import { readManifest, resultsDir, writeAtomic, type BatchManifest } from './manifest.js';
import { describeBatch, isFinished } from './batch-state.js';
import { submitRequests } from './submit.js';
import { readKeptEvidence } from './kept-evidence.js';
import { keyProvider } from './key-provider.js';
import { collectFile, type CollectContext, type CollectRequest } from './collect-file.js';
import { Vocabulary } from '../../reading/vocabulary.js';

export interface CollectOptions extends GradeOptions {
  /** Send the requests that failed again, as a new batch. */
  resubmitFailed?: boolean;
}

/** How often --wait asks for the batch's status (SDCOACH_BATCH_POLL_MS overrides: tests, impatient servers). */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.SDCOACH_BATCH_POLL_MS);
  return Number.isFinite(value) && value >= 0 && env.SDCOACH_BATCH_POLL_MS?.trim() ? value : 15_000;
}

/** Polls until the batch ends; a progress line on stderr (redrawn on a terminal). */
export async function waitForBatch(client: OpenAI, manifest: BatchManifest, intervalMs = pollIntervalMs()): Promise<OpenAI.Batch> {
  const tty = Boolean(process.stderr.isTTY);
  let last = '';
  for (;;) {
    const batch = await batchCall(`GET /batches/${manifest.batchId}`, manifest.baseURL, () => client.batches.retrieve(manifest.batchId, { maxRetries: 4 }));
    const line = `batch ${manifest.batchId}: ${describeBatch(batch)}`;
    if (isFinished(batch)) {
      if (tty && last) process.stderr.write('\r\u001b[2K');
      return batch;
    }
    if (tty) process.stderr.write(`\r\u001b[2K${line}`);
    else if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A file of the batch, downloaded once and kept (collecting again reads the local copy). */
async function downloaded(client: OpenAI, manifest: BatchManifest, paths: SdcoachPaths, fileId: string | null | undefined, name: string): Promise<string> {
  if (!fileId) return '';
  const local = path.join(resultsDir(paths, manifest.batchId), name);
  const kept = await readFile(local, 'utf8').catch(() => null);
  if (kept !== null) return kept;
  const response = await batchCall(`GET /files/${fileId}/content`, manifest.baseURL, () => client.files.content(fileId, { maxRetries: 4 }));
  const text = await response.text();
  await writeAtomic(local, text);
  return text;
}

/** When the batch ended (reports are dated by it, so collecting again prints the same bytes). */
function batchEndedAt(batch: OpenAI.Batch): Date {
  const seconds = batch.completed_at ?? batch.expired_at ?? batch.cancelled_at ?? batch.failed_at ?? batch.created_at;
  return new Date(seconds * 1000);
}

export async function collectBatch(batchId: string, options: CollectOptions): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  const paths = resolvePaths();
  let manifest: BatchManifest;
  let batch: OpenAI.Batch;
  let client: OpenAI;
  try {
    manifest = await readManifest(paths, batchId);
    client = await manifestClient(manifest, options, paths);
    batch = options.wait
      ? await waitForBatch(client, manifest)
      : await batchCall(`GET /batches/${batchId}`, manifest.baseURL, () => client.batches.retrieve(batchId, { maxRetries: 2 }));
  } catch (error) {
    err(`sdcoach grade collect: ${(error as Error).message}\n`);
    return 1;
  }
  if (!isFinished(batch)) {
    err(`batch ${batchId} is not finished: ${describeBatch(batch)}; collect it later, or wait for it with \`sdcoach grade collect ${batchId} --wait\`\n`);
    return 1;
  }

  const total = manifest.requests.length;
  const partial = batch.status === 'expired' || batch.status === 'cancelled';
  if (batch.status === 'failed') {
    const reasons = (batch.errors?.data ?? []).map((e) => `${e.line != null ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'error'}`);
    err(`batch ${batchId} failed before running any request${reasons.length ? `: ${reasons.slice(0, 5).join('; ')}` : ''}\n`);
  } else if (partial) {
    const done = batch.request_counts?.completed ?? 0;
    err(
      `batch ${batchId} ${batch.status === 'expired' ? 'expired (not done within its 24 h window)' : 'was cancelled'}: ${done} of ${total} requests completed; collecting those\n`,
    );
  }

  let outcomes: Map<string, RequestOutcome>;
  let rubric;
  try {
    const output = batch.status === 'failed' ? '' : await downloaded(client, manifest, paths, batch.output_file_id, 'output.jsonl');
    const errors = batch.status === 'failed' ? '' : await downloaded(client, manifest, paths, batch.error_file_id, 'errors.jsonl');
    const read = readOutcomes(output, errors);
    outcomes = read.outcomes;
    if (read.unreadable) err(`note: ${read.unreadable} line${read.unreadable === 1 ? '' : 's'} of the batch's result files could not be read\n`);
    rubric = await loadRubric(manifest.rubric.name, paths);
    if (contentHash(rubric) !== manifest.rubric.sha256) {
      throw new Error(`rubric ${manifest.rubric.name} changed after batch ${batchId} was submitted: its replies grade the old one (submit the files again)`);
    }
    if ((await judgePromptHash()) !== manifest.judgePrompt) {
      throw new Error(`the judge prompt (prompts/judge.md) changed after batch ${batchId} was submitted (submit the files again)`);
    }
  } catch (error) {
    err(`sdcoach grade collect: ${(error as Error).message}\n`);
    return 1;
  }

  const cache = options.cache ? new GradeCache(path.join(paths.cacheDir, 'grades')) : null;
  const findProblem = problemFinder(paths);
  const provider = keyProvider(manifest.model, manifest.providerLabel);
  const shown = new Map(manifest.requests.map((r) => [r.file, r.shown]));
  const endedAt = batchEndedAt(batch);
  /** Requests worth sending again: failed in the batch, never run, or answered with nothing usable. */
  const retry = new Set<number>();
  const notRun =
    batch.status === 'failed'
      ? 'the batch failed before running it'
      : partial
        ? `not run before the batch ${batch.status === 'expired' ? 'expired' : 'was cancelled'}`
        : 'no result in the batch output';

  const kept = await readKeptEvidence(paths, batchId);
  const context: CollectContext = { rubric, problemId: manifest.problem, levelTarget: options.level ?? manifest.level, findProblem, cache, provider, endedAt, vocabulary: new Vocabulary() };
  // The replies are checked and the transcripts read again on --jobs workers when there are several.
  const answered = manifest.requests.filter((r) => outcomes.get(r.customId)?.ok).length;
  const { EvidencePool } = await import('../workers/evidence-pool.js');
  const shared = EvidencePool.forFiles(options.jobs ?? 1, answered, options.jobsGiven ?? false, {
    rubric: manifest.rubric.name,
    rubricSha256: manifest.rubric.sha256,
    problemId: manifest.problem,
    levelTarget: context.levelTarget,
    cacheDir: cache?.folder ?? null,
    batch: { model: manifest.model, providerLabel: manifest.providerLabel, contextTokens: null, endedAt: endedAt.toISOString() },
  });
  let code: number;
  try {
    code = await reportGrades({
      files: manifest.requests.map((r) => r.file),
      unmatched: [],
      options,
      shown: (file) => shown.get(file) ?? file,
      concurrency: shared ? shared.threads * 8 : 4,
      ordered: true,
      work: async (file, index) => {
        const request = manifest.requests[index]!;
        const outcome = outcomes.get(request.customId);
        if (!outcome || !outcome.ok) {
          retry.add(index);
          throw new Error(outcome ? `batch request failed: ${outcome.reason}` : `batch request failed: ${notRun}`);
        }
        const collected: CollectRequest = {
          customId: request.customId,
          transcriptSha256: request.transcriptSha256,
          reply: outcome.reply,
          kept: kept.get(request.customId) ?? null,
        };
        const graded = shared && !shared.here(index) ? await shared.pool.collect(file, collected) : await collectFile(file, collected, context);
        if (graded.report.grader === 'evidence') retry.add(index);
        return graded;
      },
    });
  } finally {
    await shared?.pool.close();
  }

  if (retry.size === 0) return code;
  const failed = [...retry].sort((a, b) => a - b).map((i) => manifest.requests[i]!);
  if (!options.resubmitFailed) {
    err(
      `${failed.length} request${failed.length === 1 ? '' : 's'} of batch ${batchId} did not give a grade; send ${failed.length === 1 ? 'it' : 'them'} again with: sdcoach grade collect ${batchId} --resubmit-failed\n`,
    );
    return code;
  }
  return Math.max(code, await resubmit(manifest, failed, rubric, paths, cache, findProblem, options));
}

/** Sends the failed requests again (once: a second --resubmit-failed names the batch already sent). */
async function resubmit(
  manifest: BatchManifest,
  failed: BatchManifest['requests'],
  rubric: Awaited<ReturnType<typeof loadRubric>>,
  paths: SdcoachPaths,
  cache: GradeCache | null,
  findProblem: ReturnType<typeof problemFinder>,
  options: CollectOptions,
): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  const record = path.join(resultsDir(paths, manifest.batchId), 'resubmitted.json');
  const earlier = await readFile(record, 'utf8').then(
    (t) => JSON.parse(t) as { batchIds: string[] },
    () => null,
  );
  if (earlier) {
    err(
      `the failed requests of batch ${manifest.batchId} were already resubmitted as ${earlier.batchIds.join(', ')}: collect ${earlier.batchIds.length === 1 ? 'that' : 'those'}\n`,
    );
    return 0;
  }
  const config = options.judgeConfig ? await options.judgeConfig().catch(() => null) : null;
  try {
    const result = await submitRequests(
      failed.map((r) => ({ file: r.file, shown: r.shown })),
      {
        paths,
        config: {
          baseURL: manifest.baseURL,
          model: manifest.model,
          apiKey: config?.baseURL === manifest.baseURL ? config.apiKey : null,
          contextTokens: config?.contextTokens ?? null,
        },
        providerLabel: manifest.providerLabel,
        rubric,
        rubricName: manifest.rubric.name,
        problemId: manifest.problem,
        level: manifest.level,
        findProblem,
        cache,
        resubmissionOf: manifest.batchId,
        jobs: options.jobs,
        jobsGiven: options.jobsGiven,
      },
    );
    for (const failure of result.failures) err(`✗ ${failure.file}: ${failure.error} (not resubmitted)\n`);
    if (result.batchIds.length === 0) {
      err('nothing to resubmit\n');
      return result.failures.length ? 1 : 0;
    }
    await writeAtomic(record, JSON.stringify({ batchIds: result.batchIds }) + '\n');
    err(
      `resubmitted ${result.submitted} request${result.submitted === 1 ? '' : 's'} as batch ${result.batchIds.join(', ')}: collect with: sdcoach grade collect ${result.batchIds[0]}\n`,
    );
    return result.failures.length ? 1 : 0;
  } catch (error) {
    err(`sdcoach grade collect: resubmitting failed: ${(error as Error).message}\n`);
    return 1;
  }
}
