// One thread of `grade --jobs N`: the evidence grader, off the main thread. It is sent the
// rubric's name, the problem override, the level and the cache folder once (workerData), then
// files one by one; it loads the rubric and problems itself and runs the same code as the main
// thread (gradeFile, or the Batch API's per-file request and collect), so reports, requests,
// errors and cache entries are the same.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { problemFinder } from '../../content/problem-loader.js';
import { loadRubric } from '../../content/rubric-loader.js';
import { resolvePaths } from '../../storage/paths.js';
import { collectFile, type CollectContext } from '../batch-api/collect-file.js';
import { requestForFile, type FileRequest, type RequestContext } from '../batch-api/request-file.js';
import { keyProvider } from '../batch-api/key-provider.js';
import { GradeCache } from '../grade-cache.js';
import { contentHash, gradeFile, type GradeContext, type GradedFile } from '../grade-file.js';
import { loadJudgePrompt } from '../judge/judge-prompt.js';
import type { EvidenceWorkerReply, EvidenceWorkerRequest, EvidenceWorkerSetup } from './evidence-protocol.js';
import { Vocabulary } from '../../reading/vocabulary.js';

const setup = workerData as EvidenceWorkerSetup;
const port = parentPort!;

interface Contexts {
  grade: GradeContext;
  request: RequestContext | null;
  collect: CollectContext | null;
}

let contexts: Promise<Contexts> | null = null;
function loadContexts(): Promise<Contexts> {
  contexts ??= (async () => {
    const paths = resolvePaths();
    const rubric = await loadRubric(setup.rubric, paths);
    if (setup.rubricSha256 && contentHash(rubric) !== setup.rubricSha256) {
      throw new Error(`rubric ${setup.rubric} changed while the batch was being collected`);
    }
    const findProblem = problemFinder(paths);
    // Synchronous file calls: this thread has nothing else to do while it waits (see GradeCache).
    const cache = setup.cacheDir ? new GradeCache(setup.cacheDir, { sync: true }) : null;
    const readFile = async (file: string) => readFileSync(file);
    // One vocabulary for everything this worker reads.
    const vocabulary = new Vocabulary();
    const batch = setup.batch;
    const provider = batch ? keyProvider(batch.model, batch.providerLabel) : null;
    return {
      grade: { rubric, grader: 'evidence', problemId: setup.problemId, findProblem, cache, now: () => new Date(), levelTarget: setup.levelTarget, readFile, vocabulary },
      request:
        batch && provider
          ? { rubric, problemId: setup.problemId, findProblem, cache, provider, prompt: await loadJudgePrompt(), contextTokens: batch.contextTokens, readFile, vocabulary }
          : null,
      collect:
        batch?.endedAt && provider
          ? { rubric, problemId: setup.problemId, levelTarget: setup.levelTarget, findProblem, cache, provider, endedAt: new Date(batch.endedAt), readFile, vocabulary }
          : null,
    };
  })();
  return contexts;
}

function run(request: EvidenceWorkerRequest, ctx: Contexts): Promise<GradedFile | FileRequest> {
  switch (request.kind) {
    case 'grade':
      return gradeFile(request.file, ctx.grade);
    case 'request':
      if (!ctx.request) throw new Error('this worker was not set up for Batch API requests');
      return requestForFile(request.file, request.index, ctx.request);
    case 'collect':
      if (!ctx.collect) throw new Error('this worker was not set up to collect a batch');
      return collectFile(request.file, request.request, ctx.collect);
  }
}

port.on('message', (request: EvidenceWorkerRequest) => {
  loadContexts()
    .then((ctx) => run(request, ctx))
    .then(
      (value): EvidenceWorkerReply => ({ id: request.id, value }),
      (error: unknown): EvidenceWorkerReply => ({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    )
    .then((reply) => port.postMessage(reply));
});
