// The LLM judge (`--grader llm`): a model scores each rubric dimension from the transcript, and
// nothing it says is taken on trust. Its answer is checked by zod (structured output where the
// endpoint supports it, else JSON dug out of the reply, with one repair round); every quote is
// looked up in the transcript (invented ones are dropped and flagged); dimensions it made up are
// ignored, ones it skipped are null, ones that do not apply to the mode are forced to null.
// Time, pushbacks and estimates are computed facts: the evidence grader's, not the model's.
// The engine is judge/run.ts; the prompt is prompts/judge.md.
import type { Provider } from '../llm/provider.js';
import { gradeEvidence } from './evidence-grader.js';
import { runJudge, type JudgeFacts, type JudgeOptions, type JudgeResult } from './judge/run.js';
import type { GradeInput } from './types.js';

export { JudgeError, type JudgeFacts, type JudgeOptions, type JudgeResult } from './judge/run.js';

export function judgeTranscript(
  input: GradeInput,
  provider: Provider,
  options: JudgeOptions & { facts?: (input: GradeInput) => JudgeFacts } = {},
): Promise<JudgeResult> {
  return runJudge(input, provider, { ...options, facts: options.facts ?? gradeEvidence });
}
