// Interviewer challenges: pushback events when the transcript has them (the interviewer engine
// recorded them), else interviewer turns that challenge a choice ("Why not X?", "Are you
// sure…", "What happens when…", "Wouldn't X be simpler?"). Each is paired with the candidate's
// next answer. Shared by the tradeoffs (defended vs volunteered) and composure analyzers.
import type { PushbackLabel } from '../../schemas/transcript.js';
import type { EvidenceContext } from './context.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import { PhraseMatcher } from '../../reading/text.js';
import { technologiesIn } from '../../reading/vocab.js';
import { isChallenge } from '../../reading/challenges.js';

const triggerCache = new WeakMap<LoadedProblem, PhraseMatcher<string>>();

/** The problem's pushback triggers, compiled once per problem. */
function triggersOf(problem: LoadedProblem): PhraseMatcher<string> {
  let matcher = triggerCache.get(problem);
  if (!matcher) {
    matcher = new PhraseMatcher<string>();
    for (const pushback of problem.pushbacks) for (const trigger of pushback.trigger) matcher.add(trigger.toLowerCase(), trigger);
    triggerCache.set(problem, matcher);
  }
  return matcher;
}

export interface Challenge {
  /** Index of the interviewer turn that pushed back. */
  turn: number;
  topic: string;
  /** Label recorded by the interviewer engine, if any. */
  recordedLabel: PushbackLabel | null;
  fromEvent: boolean;
  /** Index of the candidate's answer (the next candidate turn), or null. */
  answerTurn: number | null;
}

/** What the challenge is about: a problem pushback trigger, a named technology, or the words after "why (not)". */
function topicOf(ctx: EvidenceContext, turnIndex: number): string {
  const text = ctx.turns[turnIndex]?.text ?? '';
  const lower = text.toLowerCase().replace(/’/g, "'");
  const problem = ctx.input.problem;
  if (problem && problem.pushbacks.length > 0) {
    const doc = ctx.doc(turnIndex);
    let found: string | null = null;
    triggersOf(problem).match(doc, (trigger) => {
      found ??= trigger;
    });
    if (found) return found;
  }
  const tech = technologiesIn(ctx.doc(turnIndex));
  if (tech.length > 0) return tech[0]!;
  const why = /\bwhy (?:not )?(?:use |a |an |the )?([a-z0-9][\w-]*(?: [a-z0-9][\w-]*)?)/.exec(lower);
  if (why) return why[1]!;
  return 'design choice';
}

function nextCandidate(ctx: EvidenceContext, after: number): number | null {
  for (let i = after + 1; i < ctx.turns.length; i++) {
    const turn = ctx.turns[i]!;
    if (turn.role === 'candidate' && turn.text.trim() !== '') return i;
  }
  return null;
}

/** All challenges, computed once per run. */
export function findChallenges(ctx: EvidenceContext): Challenge[] {
  return ctx.once('challenges', () => {
    const events = ctx.input.transcript.events.filter((e) => e.type === 'pushback');
    const out: Challenge[] = [];
    if (events.length > 0) {
      // A live session records a pushback twice: when it is asked (no label yet) and when the
      // answer is labelled. One challenge per turn; the latest label wins.
      const byTurn = new Map<number, Challenge>();
      for (const event of events) {
        if (event.type !== 'pushback') continue;
        const known = byTurn.get(event.turn);
        if (known) {
          if (event.label) known.recordedLabel = event.label;
          continue;
        }
        const challenge: Challenge = {
          turn: event.turn,
          topic: event.topic || topicOf(ctx, event.turn),
          recordedLabel: event.label ?? null,
          fromEvent: true,
          answerTurn: nextCandidate(ctx, event.turn),
        };
        byTurn.set(event.turn, challenge);
        out.push(challenge);
      }
      return out.sort((a, b) => a.turn - b.turn);
    }
    if (ctx.mode === 'monologue') return out;
    for (const turn of ctx.turns) {
      if (turn.role !== 'interviewer' || !isChallenge(turn.text)) continue;
      out.push({ turn: turn.index, topic: topicOf(ctx, turn.index), recordedLabel: null, fromEvent: false, answerTurn: nextCandidate(ctx, turn.index) });
    }
    return out;
  });
}

/** Candidate turn indices that answer a challenge. */
export function answerTurns(ctx: EvidenceContext): Set<number> {
  return ctx.once('answerTurns', () => {
    const set = new Set<number>();
    for (const challenge of findChallenges(ctx)) if (challenge.answerTurn !== null) set.add(challenge.answerTurn);
    return set;
  });
}
