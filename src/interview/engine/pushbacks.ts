// Pushbacks: which one a named technology draws next, and how the candidate answered each one.
// Answers are labelled by the evidence grader's own reader (composure.readAnswer), so the label
// the interviewer records and the one the grader computes agree.
import { readAnswer } from '../../grading/evidence/composure.js';
import { analyzeText } from '../../reading/text.js';
import type { PushbackLabel } from '../../schemas/transcript.js';
import type { InterviewHistory } from './history.js';
import { pushbackTopic, type Pool } from './probes.js';
import type { EngineTurn, InterviewSetup, PushbackOutcome } from './types.js';

/** defended | revised-with-reasons | capitulated, as the evidence grader reads it. */
export function labelAnswer(text: string): PushbackLabel {
  return readAnswer(analyzeText(text)).label;
}

/** At most this many pushbacks in a row; then the interview moves on and comes back to them. */
const MAX_PUSHBACKS_IN_A_ROW = 2;

/** The pool entry of the pushback to make next: named, not yet made, the most recently named first. */
export function nextPushback(pool: Pool, history: InterviewHistory): number | null {
  if (history.trailingPushbacks >= MAX_PUSHBACKS_IN_A_ROW) return null;
  let best: { entry: number; when: number; index: number } | null = null;
  for (const [index, when] of history.mentions) {
    const entry = pool.pushbackEntry.get(index);
    if (entry === undefined || history.used[entry]) continue;
    if (!best || when > best.when || (when === best.when && index < best.index)) best = { entry, when, index };
  }
  return best?.entry ?? null;
}

/**
 * Every interviewer turn that made one of the problem's pushbacks (its question is in the text)
 * and the candidate's next turn labelled. A pushback not answered yet is left out.
 */
export function pushbackOutcomes(setup: InterviewSetup, turns: readonly EngineTurn[]): PushbackOutcome[] {
  const { problem } = setup;
  const out: PushbackOutcome[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i]!;
    if (turn.role !== 'interviewer') continue;
    const index = problem.pushbacks.findIndex((p) => turn.text.includes(p.question));
    if (index < 0) continue;
    let answer: EngineTurn | null = null;
    for (let j = i + 1; j < turns.length && !answer; j++) {
      const next = turns[j]!;
      if (next.role === 'interviewer') break;
      if (next.text.trim() !== '') answer = next;
    }
    if (!answer) continue;
    out.push({ interviewerTurn: i, topic: pushbackTopic(problem, index), label: labelAnswer(answer.text) });
  }
  return out;
}
