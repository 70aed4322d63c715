// Clarifying questions, answered part by part: each part of the question ("what fraction of
// users are paid, and how exact must the limit be?") gets the fact sheet's answer when the
// sheet covers it, and "assume it and state it" naming that part when it does not. A fact
// asked again gets "As I said" and its first sentence; a question about the interview itself
// gets "your call".
import type { LoadedProblem } from '../../schemas/problem.js';
import type { CandidateTurnAnalysis } from './candidate-turn.js';
import type { QuestionPart } from '../../reading/questions.js';
import type { InterviewHistory } from './history.js';
import type { Pool } from './probes.js';

export interface ClarifyAnswer {
  kind: 'fact' | 'assume';
  text: string;
  topic: string;
}

const MAX_FACTS = 3;
const ASSUME_SHORT = 'Assume and state it.';

/** A share ("what fraction…") is answered only by a fact that gives one. */
function answers(problem: LoadedProblem, part: QuestionPart, f: number): boolean {
  if (!part.share) return true;
  return /%|percent|\bratio\b|\bto 1\b|:1\b|\bfraction\b|\bhalf\b|\bmost\b/i.test(problem.facts[f]!.answer);
}

/** Facts the turn asks about (one per part: the best match) and the parts the sheet does not cover. */
export function askedFacts(problem: LoadedProblem, turn: CandidateTurnAnalysis, text: string): { facts: number[]; unknown: QuestionPart[] } {
  const facts: number[] = [];
  const unknown: QuestionPart[] = [];
  const answeredSentences = new Set<number>();
  for (const part of turn.questionParts) {
    const clear = part.score >= 1 || (turn.asking && part.score >= 0.5);
    const f = clear ? part.facts.find((x) => answers(problem, part, x)) : undefined;
    if (f !== undefined) {
      if (!facts.includes(f) && facts.length < MAX_FACTS) facts.push(f);
      answeredSentences.add(part.sentence);
    } else if (part.content) unknown.push(part);
  }
  // "How exact must it be, is 5% over OK?": a clause that continues an answered part of the
  // same question is covered by that answer.
  const continues = (p: QuestionPart) => answeredSentences.has(p.sentence) && !/^\s*(?:and|or|also|plus)\b/i.test(text.slice(p.start, p.end)) && p.end - p.start <= 40;
  return { facts, unknown: unknown.filter((p) => !continues(p)) };
}

function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/.exec(text);
  return m ? m[0] : text;
}

/** "what fraction of users are paid" from the part as written, for "assume it" lines. */
function partLabel(text: string, part: QuestionPart): string {
  return text
    .slice(part.start, part.end)
    .replace(/^(?:and|or|also|plus)\s+/i, '')
    .replace(/[?.!,;:\s]+$/, '')
    .trim();
}

/** The answer to the candidate's question(s), or null when the turn asks nothing answerable. */
export function answerClarifyingQuestion(
  problem: LoadedProblem,
  pool: Pool,
  history: InterviewHistory,
  turn: CandidateTurnAnalysis,
  said = '',
): ClarifyAnswer | null {
  const { facts, unknown } = askedFacts(problem, turn, history.lastText);
  const multi = facts.length + (turn.asking ? unknown.length : 0) > 1;
  if (facts.length > 0) {
    const parts = facts.map((f) => {
      const fact = problem.facts[f]!;
      // Asked before and answered: the short form.
      if (history.revealed[f] && said.includes(fact.answer)) return `As I said: ${firstSentence(fact.answer)}`;
      return multi ? `${fact.topic[0]!.toUpperCase()}${fact.topic.slice(1)}: ${fact.answer}` : fact.answer;
    });
    if (turn.asking) {
      for (const part of unknown.slice(0, 2)) {
        const label = partLabel(history.lastText, part);
        parts.push(label.length > 0 && label.length <= 80 ? `"${label}": not on my sheet; assume and state it.` : 'The rest: assume and state it.');
      }
    }
    return { kind: 'fact', text: parts.join(' '), topic: facts.map((f) => problem.facts[f]!.topic).join(', ') };
  }
  if (!turn.asking) return null;
  const lines = turn.metaQuestion ? pool.metas : pool.assumes;
  // Variants in seeded order, each said once; then the short form (the move adds a fresh question).
  const fresh = [...lines].sort((a, b) => pool.entries[a]!.jitter - pool.entries[b]!.jitter).find((i) => !history.used[i]);
  if (fresh !== undefined) return { kind: 'assume', text: pool.entries[fresh]!.text, topic: pool.entries[fresh]!.topic };
  return { kind: 'assume', text: ASSUME_SHORT, topic: turn.metaQuestion ? 'your call' : 'assumption' };
}
