// One request of a collected batch, graded through gradeFile with the batch's reply as the
// judge's answer: the same zod validation, quote check, evidence fallback, report and cache
// entry as the interactive judge. The evidence analysis kept at submission is reused while
// the file's cache key still matches. Runs on the main thread or in a `--jobs` worker.
import type { Provider } from '../../llm/provider.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Rubric } from '../../schemas/rubric.js';
import type { Level } from '../../schemas/transcript.js';
import { gradeEvidence } from '../evidence-grader.js';
import type { GradeCache } from '../grade-cache.js';
import { gradeFile, type GradedFile } from '../grade-file.js';
import { parseJudgeReply } from '../judge/parse.js';
import { judgeResultFrom } from '../judge/run.js';
import { keptAnalysis, type KeptLine } from './kept-evidence.js';
import type { Vocabulary } from '../../reading/vocabulary.js';

export interface CollectContext {
  rubric: Rubric;
  problemId: string | null;
  levelTarget: Level | null;
  findProblem: (id: string) => Promise<LoadedProblem | null>;
  cache: GradeCache | null;
  /** The judge as cache keys name it (key-provider.ts). */
  provider: Provider;
  /** When the batch ended: reports are dated by it, so collecting again prints the same bytes. */
  endedAt: Date;
  /** How transcripts are read (GradeContext.readFile). */
  readFile?: (file: string) => Promise<Buffer>;
  /** The word ids the run reads with (see EvidenceOptions.vocabulary); one per run or worker. */
  vocabulary?: Vocabulary;
}

export interface CollectRequest {
  customId: string;
  transcriptSha256: string;
  /** The model's reply (the message content) from the batch output. */
  reply: string;
  /** The file's line of the batch's evidence file, if it was kept. */
  kept: KeptLine | null;
}

export function collectFile(file: string, request: CollectRequest, context: CollectContext): Promise<GradedFile> {
  return gradeFile(file, {
    rubric: context.rubric,
    grader: 'llm',
    provider: context.provider,
    samples: 1,
    fallbackToEvidence: true,
    problemId: context.problemId,
    findProblem: context.findProblem,
    cache: context.cache,
    now: () => context.endedAt,
    levelTarget: context.levelTarget,
    expectedSha256: request.transcriptSha256,
    readFile: context.readFile,
    vocabulary: context.vocabulary,
    judge: async (input, key) => {
      const parsed = parseJudgeReply(request.reply);
      const sample = parsed.ok
        ? { answer: parsed.answer, repaired: false }
        : { failure: `no valid JSON, and a batch has no repair round (${parsed.errors.slice(0, 3).join('; ')})`, cause: null };
      // The analysis the judge was shown, while the file, rubric, problem and grader are what they were.
      const analysis = (request.kept && request.kept.key === key ? keptAnalysis(request.kept.line) : null) ?? gradeEvidence(input, { vocabulary: context.vocabulary });
      return judgeResultFrom(input, analysis, [sample], { samples: 1, label: context.provider.label });
    },
  });
}
