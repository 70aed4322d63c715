// One thread of `grade --jobs N`: the evidence grader, off the main thread. It is sent the
// rubric's name, the problem override, the level and the cache folder once (workerData), then
// file paths one by one; it loads the rubric and problems itself and grades each file with the
// same gradeFile as the main thread, so reports, errors and cache entries are the same.
import { parentPort, workerData } from 'node:worker_threads';
import { problemFinder } from '../../content/problem-loader.js';
import { resolvePaths } from '../../storage/paths.js';
import { GradeCache } from '../grade-cache.js';
import { gradeFile, type GradeContext } from '../grade-file.js';
import { loadRubric } from '../../content/rubric-loader.js';
import type { EvidenceWorkerReply, EvidenceWorkerRequest, EvidenceWorkerSetup } from './evidence-protocol.js';

const setup = workerData as EvidenceWorkerSetup;
const port = parentPort!;

let context: Promise<GradeContext> | null = null;
function gradeContext(): Promise<GradeContext> {
  context ??= (async () => {
    const paths = resolvePaths();
    return {
      rubric: await loadRubric(setup.rubric, paths),
      grader: 'evidence' as const,
      problemId: setup.problemId,
      findProblem: problemFinder(paths),
      cache: setup.cacheDir ? new GradeCache(setup.cacheDir) : null,
      now: () => new Date(),
      levelTarget: setup.levelTarget,
    };
  })();
  return context;
}

port.on('message', (request: EvidenceWorkerRequest) => {
  gradeContext()
    .then((ctx) => gradeFile(request.file, ctx))
    .then(
      (value): EvidenceWorkerReply => ({ id: request.id, value }),
      (error: unknown): EvidenceWorkerReply => ({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    )
    .then((reply) => port.postMessage(reply));
});
