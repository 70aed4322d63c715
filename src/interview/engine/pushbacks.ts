// Pushbacks: which one a named technology draws next, and how the candidate answered each one.
// Answers are labelled by the evidence grader's own reader (composure.readAnswer), so the label
// the interviewer records and the one the grader computes agree.
import { readAnswer } from '../../reading/answers.js';
import { analyzeText } from '../../reading/text.js';
import type { Vocabulary } from '../../reading/vocabulary.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { PushbackLabel } from '../../schemas/transcript.js';
import { readHistory, type InterviewHistory } from './history.js';
import { answerHasReasons, catalogueFor, labelFromDecisions, optionNamed, turnDecisions } from '../../reading/ledger.js';
import { poolFor, pushbackTopic, type Pool } from './probes.js';
import type { EngineTurn, InterviewSetup, PushbackOutcome } from './types.js';

/**
 * defended | revised-with-reasons | capitulated. With the problem and the option challenged
 * (the pushback's recorded topic), the label follows the option the answer holds: keeping it
 * is a defence, dropping it or picking another for the same job a revision. Otherwise, or when
 * the answer takes no position on it, the evidence grader's reading of the wording decides.
 */
export function labelAnswer(text: string, vocabulary: Vocabulary, context?: { problem: LoadedProblem; topic: string }): PushbackLabel {
  const doc = analyzeText(text, vocabulary);
  if (context && context.topic !== '') {
    const catalogue = catalogueFor(context.problem);
    const id = optionNamed(catalogue, context.topic);
    if (id >= 0) {
      const label = labelFromDecisions(catalogue, id, turnDecisions(context.problem, doc), answerHasReasons(doc), doc.tokens.length);
      if (label) return label;
    }
  }
  return readAnswer(doc).label;
}

/** The option of pushback `p` the candidate holds when it is made: what the challenge is about. */
export function heldTopic(problem: LoadedProblem, history: InterviewHistory, p: number): string {
  const held = history.ledger.heldTrigger(p);
  return held === null ? pushbackTopic(problem, p) : history.ledger.catalogue.names[held]!;
}

/** At most this many pushbacks in a row; then the interview moves on and comes back to them. */
const MAX_PUSHBACKS_IN_A_ROW = 2;

/** The pool entry of the pushback to make next: named, not yet made, the most recently named first. */
export function nextPushback(pool: Pool, history: InterviewHistory): number | null {
  if (history.trailingPushbacks >= MAX_PUSHBACKS_IN_A_ROW) return null;
  let best: { entry: number; when: number; index: number } | null = null;
  for (const [index, when] of history.mentions) {
    const entry = pool.pushbackEntry.get(index);
    if (entry === undefined || history.used[entry] || history.ledger.answered.has(index)) continue;
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
    // The option held when the challenge was made, from the turns before it.
    const history = readHistory(problem, poolFor(setup), turns.slice(0, i), setup.vocabulary);
    const topic = heldTopic(problem, history, index);
    out.push({ interviewerTurn: i, topic, label: labelAnswer(answer.text, setup.vocabulary, { problem, topic }) });
  }
  return out;
}
