// Clarifying questions: answered from the fact sheet by the facts whose `ask` words match best
// (several questions in one turn get each matched fact); a question the sheet cannot answer
// gets "make an assumption and state it", a question about the interview itself "your call".
import type { LoadedProblem } from '../../schemas/problem.js';
import type { CandidateTurnAnalysis } from './candidate-turn.js';
import type { InterviewHistory } from './history.js';
import type { Pool } from './probes.js';

export interface ClarifyAnswer {
  kind: 'fact' | 'assume';
  text: string;
  topic: string;
}

const MAX_FACTS = 3;
const REST_UNKNOWN = 'The rest: assume and state it.';
const ASSUME_SHORT = 'Assume and state it.';

/** Facts the turn asks about: clear matches anywhere, interrogative-only ones when the turn is a question. */
export function askedFacts(turn: CandidateTurnAnalysis): { facts: number[]; unknownParts: number } {
  const facts: number[] = [];
  let unknownParts = 0;
  for (const part of turn.questionParts) {
    const clear = part.score >= 1 || (turn.asking && part.score >= 0.5);
    if (clear && part.facts.length > 0) {
      for (const f of part.facts) if (!facts.includes(f) && facts.length < MAX_FACTS) facts.push(f);
    } else if (part.content) unknownParts++;
  }
  return { facts, unknownParts };
}

/** The answer to the candidate's question(s), or null when the turn asks nothing answerable. */
export function answerClarifyingQuestion(
  problem: LoadedProblem,
  pool: Pool,
  history: InterviewHistory,
  turn: CandidateTurnAnalysis,
): ClarifyAnswer | null {
  const { facts, unknownParts } = askedFacts(turn);
  if (facts.length > 0) {
    const parts = facts.map((f) => (history.revealed[f] ? `As I said: ${problem.facts[f]!.answer}` : problem.facts[f]!.answer));
    if (turn.asking && unknownParts > 0) parts.push(REST_UNKNOWN);
    return { kind: 'fact', text: parts.join(' '), topic: facts.map((f) => problem.facts[f]!.topic).join(', ') };
  }
  if (!turn.asking) return null;
  const lines = turn.metaQuestion ? pool.metas : pool.assumes;
  // Variants in seeded order, each said once; then the short form (the move adds a fresh question).
  const fresh = [...lines].sort((a, b) => pool.entries[a]!.jitter - pool.entries[b]!.jitter).find((i) => !history.used[i]);
  if (fresh !== undefined) return { kind: 'assume', text: pool.entries[fresh]!.text, topic: pool.entries[fresh]!.topic };
  return { kind: 'assume', text: ASSUME_SHORT, topic: turn.metaQuestion ? 'your call' : 'assumption' };
}
