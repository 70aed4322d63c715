// One file of a `grade --batch-api` submission: read and checked as `grade` would, skipped when
// its grade is cached, else graded by the evidence grader and turned into the judge's request.
// Runs on the main thread or in a `--jobs` worker (workers/evidence-worker.ts), the same code.
import type { Provider } from '../../llm/provider.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Rubric } from '../../schemas/rubric.js';
import { gradeEvidence } from '../evidence-grader.js';
import type { GradeCache } from '../grade-cache.js';
import { prepareGrade } from '../grade-file.js';
import type { JudgePrompt } from '../judge/judge-prompt.js';
import { keptEvidenceLine } from './kept-evidence.js';
import { judgeInputLine } from './requests.js';
import type { Vocabulary } from '../../reading/vocabulary.js';

export interface RequestContext {
  rubric: Rubric;
  problemId: string | null;
  findProblem: (id: string) => Promise<LoadedProblem | null>;
  cache: GradeCache | null;
  /** The judge as cache keys name it (key-provider.ts). */
  provider: Provider;
  prompt: JudgePrompt;
  contextTokens: number | null;
  /** How transcripts are read (GradeContext.readFile). */
  readFile?: (file: string) => Promise<Buffer>;
  /** The word ids the run reads with (see EvidenceOptions.vocabulary); one per run or worker. */
  vocabulary?: Vocabulary;
}

/** A file's request: the Batch API input line and the kept-evidence line, each ending in a newline. */
export type FileRequest = { cached: true } | { cached: false; customId: string; transcriptSha256: string; line: string; kept: string };

/** `index`: the file's place in the submission (custom ids are r1, r2, … and a hash prefix). */
export async function requestForFile(file: string, index: number, context: RequestContext): Promise<FileRequest> {
  const prepared = await prepareGrade(file, {
    rubric: context.rubric,
    grader: 'llm',
    provider: context.provider,
    samples: 1,
    problemId: context.problemId,
    findProblem: context.findProblem,
    readFile: context.readFile,
  });
  if (await context.cache?.get(prepared.key)) return { cached: true };
  const customId = `r${index + 1}-${prepared.transcriptSha256.slice(0, 12)}`;
  const analysis = gradeEvidence(prepared.input, { vocabulary: context.vocabulary });
  const kept = keptEvidenceLine(customId, prepared.key, analysis);
  const line =
    JSON.stringify(
      judgeInputLine(customId, prepared.input, analysis, {
        model: context.provider.model,
        prompt: context.prompt,
        contextTokens: context.contextTokens ?? undefined,
      }),
    ) + '\n';
  return { cached: false, customId, transcriptSha256: prepared.transcriptSha256, line, kept };
}
