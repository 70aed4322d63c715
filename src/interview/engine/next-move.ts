// The interviewer's next move: answer what was asked, then (when the turn is not just a question)
// one question, chosen in this order: time (over time → wrap-up/close; a due time check), a
// follow-up to a capitulation or a vague answer, a pushback on a named technology, then the
// best-scoring unasked question for the phase (weakest area first, deep dives, scale), then the
// wrap-up and the close. Pure: the same setup, turns and time give the same move.
import type { Phase } from '../../schemas/transcript.js';
import { GROUPS_OF, areaCoverage, type AreaId } from './areas.js';
import { answerClarifyingQuestion, type ClarifyAnswer } from './clarify.js';
import { readHistory, type InterviewHistory } from './history.js';
import { monologueMove, openMove } from './monologue.js';
import { PHASE_ORDER, phaseIndex, phaseIndexAt } from './phases.js';
import { poolFor, type Category, type Pool, type PoolEntry } from './probes.js';
import { labelAnswer, nextPushback } from './pushbacks.js';
import { dueTimeCheck, isOvertime } from './time.js';
import type { EngineTurn, InterviewSetup, Move } from './types.js';

/** Base priority of each question category per phase (clarify … deep-dive); higher is asked sooner. */
const BASE: Record<Exclude<Category, 'other'>, readonly number[]> = {
  requirements: [6, 2, 0, 0],
  'unasked-fact': [3, 2, 0, 0],
  flow: [1, 3, 5, 1],
  estimation: [4, 7, 4, 3],
  'data-model': [1, 3, 6, 3],
  failure: [0, 1, 3, 6],
  observability: [0, 0, 2, 6],
  security: [0, 1, 3, 5],
  'deep-dive': [0, 0, 2, 7],
  scale: [0, 0, 1, 5],
};

/** A short answer with nothing specific in it is vague. */
const VAGUE_MAX_WORDS = 15;
/** Below this the candidate has asked enough to skip "what do you need to know?". */
const ENOUGH_QUESTIONS = 3;

/** The phase the interview is in now: content and moves so far, forced forward by the clock. */
export function currentPhase(setup: InterviewSetup, turns: readonly EngineTurn[], nowMs: number): Phase {
  const history = readHistory(setup.problem, poolFor(setup), turns);
  return PHASE_ORDER[Math.max(history.contentPhase, phaseIndexAt(setup.minutes, nowMs))]!;
}

function isSenior(setup: InterviewSetup): boolean {
  return setup.level === 'L6' || setup.level === 'L7';
}

function isJunior(setup: InterviewSetup): boolean {
  return setup.level === 'L3' || setup.level === 'L4';
}

/** Score of an unasked question in phase `p` (0 clarify … 3 deep-dive), or null when it does not fit. */
function score(setup: InterviewSetup, history: InterviewHistory, entry: PoolEntry, p: number, asked: Map<Category, number>): number | null {
  if (entry.category === 'other') return null;
  const askedBefore = asked.get(entry.category) ?? 0;
  // Variety: each question already asked in a category pushes the rest of it back.
  let s = BASE[entry.category][p]! - 2.5 * askedBefore;
  switch (entry.category) {
    case 'requirements':
      if (history.questionsAsked >= ENOUGH_QUESTIONS || p >= 2) return null;
      break;
    case 'deep-dive':
    case 'scale':
      // Depth comes after the design; senior candidates get it as soon as there is one.
      if (isSenior(setup)) {
        if (p < 2) return null;
        s += p === 2 ? 4 : 2;
      } else if (p < 3) return null;
      else if (isJunior(setup) && entry.category === 'scale') s -= 1;
      break;
    case 'unasked-fact':
      // Only while requirements are still being gathered.
      if (p >= 2 || (entry.fact !== undefined && history.revealed[entry.fact])) return null;
      break;
    case 'flow':
      if (p < 1) return null;
      break;
    default: {
      const area = entry.category as AreaId;
      if (entry.group !== undefined && history.covered & (1 << entry.group)) return null;
      const coverage = areaCoverage(area, history.covered);
      // The weakest area first: untouched areas get a lift, partly covered ones drop.
      s += coverage === 0 ? 2 : -2 * coverage;
      // In the deep dive, silence on monitoring always draws the observability question first.
      if (area === 'observability' && coverage === 0 && askedBefore === 0 && p >= 3) s += 4;
      // The first group of an area is its headline question.
      if (entry.group !== undefined && GROUPS_OF[area][0] === entry.group) s += 0.5;
    }
  }
  return s + entry.jitter * 0.9;
}

/** The best unasked question for the phase, or null when none is left. */
function bestQuestion(setup: InterviewSetup, pool: Pool, history: InterviewHistory, phase: number): number | null {
  const p = Math.min(phase, 3);
  const asked = new Map<Category, number>();
  for (const i of pool.scored) {
    const category = pool.entries[i]!.category;
    if (history.used[i]) asked.set(category, (asked.get(category) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestScore = -Infinity;
  for (const i of pool.scored) {
    if (history.used[i]) continue;
    const s = score(setup, history, pool.entries[i]!, p, asked);
    if (s !== null && s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}

/** First unused entry of a list in seeded order. */
function firstUnused(pool: Pool, history: InterviewHistory, list: readonly number[]): number | null {
  const order = [...list].sort((a, b) => pool.entries[a]!.jitter - pool.entries[b]!.jitter);
  return order.find((i) => !history.used[i]) ?? null;
}

function closing(pool: Pool, history: InterviewHistory): number {
  // The closing lines in order; the last may repeat (nothing is asked any more).
  return pool.closes.find((i) => !history.used[i]) ?? pool.closes[pool.closes.length - 1]!;
}

function endOfInterview(pool: Pool, history: InterviewHistory): number {
  return history.wrapUpAsked ? closing(pool, history) : pool.wrapUp;
}

/** The question part of the move: time, follow-ups, pushbacks, the best question, the wrap-up. */
function chooseQuestion(setup: InterviewSetup, pool: Pool, history: InterviewHistory, phase: number, nowMs: number): number {
  if (isOvertime(setup.minutes, nowMs)) return endOfInterview(pool, history);
  const check = dueTimeCheck(pool, history, nowMs);
  if (check !== null) return check;
  if (history.wrapUpAsked && history.wrapUpAnswered) return closing(pool, history);
  if (phase >= phaseIndex('wrap-up')) {
    // A candidate who already summarised unprompted is done.
    if (history.last && history.last.cues[4]! > 0) return closing(pool, history);
    return endOfInterview(pool, history);
  }
  const last = history.last;
  if (history.awaitingReply && last) {
    if (history.lastPushback !== null && labelAnswer(history.lastText) === 'capitulated') {
      const follow = pool.capitulationFollowUp.get(history.lastPushback);
      if (follow !== undefined && !history.used[follow]) return follow;
    }
    // "How exactly?" presses on a design question; "does it matter?" may fairly get a short answer.
    const asked = history.lastInterviewerEntry;
    const askedSomething =
      asked !== null && ['probe', 'deep-dive', 'scale', 'pushback'].includes(asked.kind) && asked.category !== 'requirements' && asked.category !== 'unasked-fact';
    if (askedSomething && !last.asking && last.words < VAGUE_MAX_WORDS && !last.concrete) {
      const follow = firstUnused(pool, history, pool.vagueFollowUps);
      if (follow !== null) return follow;
    }
  }
  const pushback = nextPushback(pool, history);
  if (pushback !== null) return pushback;
  // Nothing left for this phase: move on to the deep dive rather than end early.
  const best = bestQuestion(setup, pool, history, phase) ?? (phase < 3 ? bestQuestion(setup, pool, history, 3) : null);
  if (best !== null) return best;
  return endOfInterview(pool, history);
}

function moveFrom(entry: PoolEntry, phase: number, answer: ClarifyAnswer | null, setup: InterviewSetup): Move {
  const p = Math.max(phase, entry.phase ? phaseIndex(entry.phase) : 0);
  const move: Move = {
    kind: entry.kind,
    text: answer ? `${answer.text} ${entry.text}` : entry.text,
    phase: PHASE_ORDER[p]!,
    topic: entry.topic,
  };
  if (entry.kind === 'pushback' && entry.pushback !== undefined) {
    move.pushback = { topic: entry.topic, expected: setup.problem.pushbacks[entry.pushback]!.expected };
  }
  return move;
}

/** Whether `text` was said already (as a whole, or inside a longer interviewer turn). */
function alreadySaid(turns: readonly EngineTurn[], text: string): boolean {
  return turns.some((t) => t.role === 'interviewer' && t.text.includes(text));
}

/** The interviewer's next move. Pure and deterministic for the setup's seed. */
export function nextMove(setup: InterviewSetup, turns: readonly EngineTurn[], nowMs: number): Move {
  if (setup.mode === 'monologue') return monologueMove(setup, turns, nowMs);
  const pool = poolFor(setup);
  const history = readHistory(setup.problem, pool, turns);
  if (history.candidateTurns === 0) return openMove(setup);
  const phase = Math.max(history.contentPhase, phaseIndexAt(setup.minutes, nowMs));
  const answer = history.awaitingReply && history.last ? answerClarifyingQuestion(setup.problem, pool, history, history.last) : null;
  if (answer) {
    // A question gets just its answer, unless time must be kept or the answer alone would repeat.
    const timeMatters = isOvertime(setup.minutes, nowMs) || dueTimeCheck(pool, history, nowMs) !== null;
    if (!timeMatters && !alreadySaid(turns, answer.text)) {
      return { kind: answer.kind, text: answer.text, phase: PHASE_ORDER[phase]!, topic: answer.topic };
    }
  }
  const question = chooseQuestion(setup, pool, history, phase, nowMs);
  return moveFrom(pool.entries[question]!, phase, answer, setup);
}
