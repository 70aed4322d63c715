// `grade --batch-api`: the judge's requests for every file not already graded (cache) go into a
// Batch API input file, uploaded with files.create and started with batches.create; the batch
// id and a manifest are recorded in the data folder and the id printed. More than the API takes
// in one batch (50,000 requests, 200 MB) is split into several batches.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import path from 'node:path';
import type { ResolvedProviderConfig } from '../../llm/config.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Rubric } from '../../schemas/rubric.js';
import type { Level } from '../../schemas/transcript.js';
import { DIR_MODE, FILE_MODE, resolvePaths, type SdcoachPaths } from '../../storage/paths.js';
import type { GradeOptions } from '../grade-options.js';
import { GradeCache } from '../grade-cache.js';
import { contentHash, judgePromptHash } from '../grade-file.js';
import { inOrder, runBatch } from '../batch.js';
import { loadJudgePrompt } from '../judge/judge-prompt.js';
import { batchApiClient, batchCall, NoBatchApiError } from './client.js';
import { BATCH_ENDPOINT } from './lines.js';
import { resultsDir, writeManifest, type BatchManifest, type BatchManifestRequest } from './manifest.js';
import { keyProvider } from './key-provider.js';
import { EVIDENCE_FILE } from './kept-evidence.js';
import { requestForFile, type FileRequest, type RequestContext } from './request-file.js';
import { Vocabulary } from '../../reading/vocabulary.js';

/** The Batch API's limits per batch (requests per input file, bytes per input file, with room). */
export const MAX_REQUESTS_PER_BATCH = 50_000;
export const MAX_BYTES_PER_BATCH = 190 * 1024 * 1024;

/** Everything a batch is built against: the same for a first submission and a resubmission. */
export interface BatchSettings {
  paths: SdcoachPaths;
  config: Pick<ResolvedProviderConfig, 'baseURL' | 'apiKey' | 'model' | 'contextTokens'>;
  providerLabel: string;
  rubric: Rubric;
  rubricName: string;
  problemId: string | null;
  level: Level | null;
  findProblem: (id: string) => Promise<LoadedProblem | null>;
  cache: GradeCache | null;
  resubmissionOf?: string | null;
  /** --jobs: worker threads grading the files for their requests; `jobsGiven`: on the command line. */
  jobs?: number;
  jobsGiven?: boolean;
  /** Test/bench hook: limits per batch (default the API's). */
  limits?: { requests: number; bytes: number };
}

export interface SubmitResult {
  batchIds: string[];
  submitted: number;
  /** Already graded with this model, rubric and prompt: served from the cache, not sent. */
  cached: string[];
  /** Files that could not be turned into a request (not graded, not sent). */
  failures: { file: string; error: string }[];
}

/**
 * One input file being written (a part of the submission), and beside it the evidence grader's
 * analysis of each request's transcript: the judge's prompt is built on it, and `grade collect`
 * reads it back instead of grading every transcript a second time.
 */
interface Part {
  file: string;
  stream: WriteStream;
  evidenceFile: string;
  /** Gzipped (on libuv's threads): an analysis is ~14 kB of JSON, a 10,000-file batch 140 MB. */
  evidence: Gzip;
  evidenceOut: WriteStream;
  /** The evidence file could not be written (disk full, say): collect will grade again, the batch goes on. */
  evidenceLost: boolean;
  bytes: number;
  requests: BatchManifestRequest[];
}

export async function submitRequests(entries: { file: string; shown: string }[], settings: BatchSettings): Promise<SubmitResult> {
  const { paths, config } = settings;
  const limits = settings.limits ?? {
    requests: MAX_REQUESTS_PER_BATCH,
    bytes: MAX_BYTES_PER_BATCH,
  };
  const prompt = await loadJudgePrompt();
  const promptHash = await judgePromptHash();
  const provider = keyProvider(config.model, settings.providerLabel);
  await mkdir(paths.batchesDir, { recursive: true, mode: DIR_MODE });

  const parts: Part[] = [];
  const openPart = (): Part => {
    const stem = path.join(paths.batchesDir, `input-${process.pid}-${randomBytes(6).toString('hex')}`);
    const evidenceOut = createWriteStream(`${stem}.evidence.jsonl.gz`, { mode: FILE_MODE });
    const evidence = createGzip({ level: 1 });
    evidence.pipe(evidenceOut);
    const lose = () => {
      part.evidenceLost = true;
      evidence.destroy();
      evidenceOut.destroy();
    };
    evidence.on('error', lose);
    evidenceOut.on('error', lose);
    const part: Part = {
      file: `${stem}.jsonl`,
      stream: createWriteStream(`${stem}.jsonl`, { mode: FILE_MODE }),
      evidenceFile: `${stem}.evidence.jsonl.gz`,
      evidence,
      evidenceOut,
      evidenceLost: false,
      bytes: 0,
      requests: [],
    };
    parts.push(part);
    return part;
  };
  const result: SubmitResult = {
    batchIds: [],
    submitted: 0,
    cached: [],
    failures: [],
  };
  // Each file once (the first name it was given by), numbered in order: custom ids are r1, r2, …
  const unique: { file: string; shown: string }[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const file = path.resolve(entry.file);
    if (seen.has(file)) continue;
    seen.add(file);
    unique.push({ file, shown: entry.shown });
  }
  const requestContext: RequestContext = {
    rubric: settings.rubric,
    problemId: settings.problemId,
    findProblem: settings.findProblem,
    cache: settings.cache,
    provider,
    prompt,
    contextTokens: config.contextTokens ?? null,
    vocabulary: new Vocabulary(),
  };
  // Every file is graded by the evidence grader for its request: on --jobs workers when there
  // are several, else here, a few files in flight so reading the next overlaps grading this one.
  const { EvidencePool } = await import('../workers/evidence-pool.js');
  const shared = EvidencePool.forFiles(settings.jobs ?? 1, unique.length, settings.jobsGiven ?? false, {
    rubric: settings.rubricName,
    rubricSha256: contentHash(settings.rubric),
    problemId: settings.problemId,
    levelTarget: settings.level,
    cacheDir: settings.cache?.folder ?? null,
    batch: { model: config.model, providerLabel: settings.providerLabel, contextTokens: config.contextTokens ?? null },
  });
  try {
    let part: Part | null = null;
    await runBatch<FileRequest>({
      files: unique.map((u) => u.file),
      concurrency: shared ? shared.threads * 8 : 4,
      retain: false,
      work: (file, index) => (shared && !shared.here(index) ? shared.pool.request(file, index) : requestForFile(file, index, requestContext)),
      // In input order, so a submission's files (and its custom ids' order) never depend on timing.
      onResult: inOrder(true, async (outcome) => {
        const entry = unique[outcome.index]!;
        const request = outcome.value;
        if (!request) {
          result.failures.push({ file: entry.shown, error: outcome.error ?? 'no request' });
          return;
        }
        if (request.cached) {
          result.cached.push(entry.shown);
          return;
        }
        const bytes = Buffer.byteLength(request.line);
        if (!part || part.requests.length >= limits.requests || (part.bytes + bytes > limits.bytes && part.requests.length > 0)) part = openPart();
        part.bytes += bytes;
        part.requests.push({ customId: request.customId, file: entry.file, shown: entry.shown, transcriptSha256: request.transcriptSha256 });
        if (!part.stream.write(request.line)) await once(part.stream, 'drain');
        if (!part.evidenceLost && !part.evidence.write(request.kept)) await Promise.race([once(part.evidence, 'drain'), once(part.evidence, 'close')]);
      }),
    });
    for (const p of parts) {
      p.stream.end();
      p.evidence.end();
      await Promise.all([once(p.stream, 'close'), finished(p.evidenceOut).catch(() => undefined)]);
    }
    if (parts.length === 0) return result;

    const client = await batchApiClient(config);
    for (const p of parts) {
      const uploaded = await batchCall('POST /files', config.baseURL, () =>
        client.files.create({ file: createReadStream(p.file), purpose: 'batch' }, { maxRetries: 2 }),
      );
      const batch = await batchCall('POST /batches', config.baseURL, () =>
        client.batches.create(
          {
            input_file_id: uploaded.id,
            endpoint: BATCH_ENDPOINT,
            completion_window: '24h',
            metadata: { created_by: 'sdcoach grade' },
          },
          { maxRetries: 2 },
        ),
      );
      const manifest: BatchManifest = {
        version: 1,
        batchId: batch.id,
        inputFileId: uploaded.id,
        endpoint: BATCH_ENDPOINT,
        baseURL: config.baseURL,
        model: config.model,
        providerLabel: settings.providerLabel,
        rubric: {
          name: settings.rubricName,
          sha256: contentHash(settings.rubric),
        },
        judgePrompt: promptHash,
        problem: settings.problemId,
        level: settings.level,
        submittedAt: new Date().toISOString(),
        resubmissionOf: settings.resubmissionOf ?? null,
        requests: p.requests,
      };
      await mkdir(resultsDir(paths, batch.id), { recursive: true, mode: DIR_MODE });
      // Best effort: without it, collect grades the transcripts again.
      if (p.evidenceLost) await rm(p.evidenceFile, { force: true });
      else await rename(p.evidenceFile, path.join(resultsDir(paths, batch.id), EVIDENCE_FILE)).catch(() => rm(p.evidenceFile, { force: true }));
      await writeManifest(paths, manifest);
      result.batchIds.push(batch.id);
      result.submitted += p.requests.length;
    }
    return result;
  } finally {
    await shared?.pool.close();
    for (const p of parts) {
      p.stream.destroy();
      p.evidence.destroy();
      p.evidenceOut.destroy();
      await rm(p.file, { force: true });
      await rm(p.evidenceFile, { force: true });
    }
  }
}

export interface SubmitParams {
  rubric: Rubric;
  options: GradeOptions;
  shown: (file: string) => string;
  findProblem: (id: string) => Promise<LoadedProblem | null>;
  cache: GradeCache | null;
  providerLabel: string;
  /** `--wait`: collects a submitted batch (batch-api/collect.ts collectBatch, passed in by the command). */
  collect: (batchId: string, options: GradeOptions) => Promise<number>;
}

/** `grade FILES --batch-api [--wait]`: submit, say what happened; with --wait, collect too. Returns the exit code. */
export async function submitBatchFiles(files: string[], unmatched: { pattern: string; reason: string }[], params: SubmitParams): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  const paths = resolvePaths();
  if (!params.options.judgeConfig) throw new Error('grade --batch-api: no judge configuration was given');
  const config = await params.options.judgeConfig();
  const settings: BatchSettings = {
    paths,
    config,
    providerLabel: params.providerLabel,
    rubric: params.rubric,
    rubricName: params.options.rubric,
    problemId: params.options.problem,
    level: params.options.level ?? null,
    findProblem: params.findProblem,
    cache: params.cache,
    jobs: params.options.jobs,
    jobsGiven: params.options.jobsGiven,
  };
  let result: SubmitResult;
  try {
    result = await submitRequests(
      files.map((file) => ({ file, shown: params.shown(file) })),
      settings,
    );
  } catch (error) {
    err(`sdcoach grade: ${(error as Error).message}\n`);
    return error instanceof NoBatchApiError ? 1 : 1;
  }
  for (const failure of result.failures) err(`✗ ${failure.file}: ${failure.error}\n`);
  for (const { pattern, reason } of unmatched) err(`✗ ${pattern}: ${reason}\n`);
  if (result.cached.length) err(`${result.cached.length} already graded with ${config.model} (in the cache), not sent: \`sdcoach grade\` shows them\n`);
  const failed = result.failures.length + unmatched.length;
  if (result.batchIds.length === 0) {
    err(`nothing submitted${failed ? `; ${failed} failed` : ''}\n`);
    return failed ? 1 : 0;
  }
  const wait = params.options.wait === true;
  // The id is the output (for scripts), unless --wait prints the grades instead.
  for (const id of result.batchIds) (wait ? err : (text: string) => process.stdout.write(text))(`${id}\n`);
  err(
    `submitted ${result.submitted} request${result.submitted === 1 ? '' : 's'} to ${config.model} as ${result.batchIds.length === 1 ? 'batch' : 'batches'} ${result.batchIds.join(', ')}` +
      (failed ? `; ${failed} file${failed === 1 ? '' : 's'} not sent` : '') +
      (wait
        ? '\n'
        : `\ncollect with: sdcoach grade collect ${result.batchIds[0]}${result.batchIds.length > 1 ? ' (and each of the others)' : ''}  (or check: sdcoach grade status ${result.batchIds[0]})\n`),
  );
  if (!wait) return failed ? 1 : 0;
  let code = failed ? 1 : 0;
  for (const id of result.batchIds) code = Math.max(code, await params.collect(id, { ...params.options, wait: true }));
  return code;
}
