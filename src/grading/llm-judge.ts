// The LLM judge (`--grader llm`): a model scores each rubric dimension from the transcript, and
// nothing it says is taken on trust. Its answer is checked by zod (structured output where the
// endpoint supports it, else JSON dug out of the reply, with one repair round); every quote is
// looked up in the transcript (invented ones are dropped and flagged); dimensions it made up are
// ignored, ones that do not apply to the mode are forced to null.
// The evidence grader runs first: its verified facts (estimate checks, time per phase, pushback
// outcomes, flags) and its per-dimension scores with quotes go to the model as an EVIDENCE data
// block. Time, pushbacks and estimates in the report are those facts, not the model's. A
// dimension the judge skips, or scores only with quotes that are not the candidate's, gets the
// evidence grader's result, marked as such (JudgeResult.graders).
// The engine is judge/run.ts; the prompt is prompts/judge.md; the block is judge/evidence-block.ts.
import type { Provider } from '../llm/provider.js';
import { gradeEvidence } from './evidence-grader.js';
import { runJudge, type JudgeFacts, type JudgeOptions, type JudgeResult } from './judge/run.js';
import type { GradeInput } from './types.js';

export { JudgeError, type DimensionGrader, type JudgeFacts, type JudgeOptions, type JudgeResult } from './judge/run.js';

export function judgeTranscript(
  input: GradeInput,
  provider: Provider,
  options: JudgeOptions & { facts?: (input: GradeInput) => JudgeFacts } = {},
): Promise<JudgeResult> {
  return runJudge(input, provider, { ...options, facts: options.facts ?? gradeEvidence });
}
