// The interviewer's next move: answer what was asked, else acknowledge what the candidate just
// committed to, then one question, chosen in this order: time (over time → wrap-up/close; a due
// time check), a follow-up to a capitulation, a wrong estimate ("How did you get X?") or a vague
// answer, a pushback on an option the candidate holds, a question on the option just chosen,
// the best-scoring unasked question for the phase (weakest area first, deep dives, scale; the
// level sets the bar), then questions built on the candidate's own options and numbers, failure
// scenarios and cost, so it never runs dry. "That's time" only once the clock has run out.
// Pure: the same setup, turns and time give the same move.
import type { Phase, PushbackLabel } from '../../schemas/transcript.js';
import { readEstimates, estimateChallengeText, type EstimateReading } from './estimate-check.js';
import { SCENARIO_QUESTIONS, SENIOR_QUESTIONS, acknowledgement, anchorsOf, anchoredQuestions, componentQuestions, drilledOn, optionAnchor, type Anchor } from './follow-ups.js';
import { GROUPS_OF, areaCoverage, type AreaId } from './areas.js';
import { answerClarifyingQuestion } from './clarify.js';
import { readHistory, type InterviewHistory } from './history.js';
import { monologueMove, openMove } from './monologue.js';
import { PHASE_ORDER, minutesText, phaseIndex, phaseIndexAt } from './phases.js';
import { poolFor, pushbackTopic, type Category, type Pool, type PoolEntry } from './probes.js';
import { heldTopic, labelAnswer, nextPushback } from './pushbacks.js';
import type { MoveKind } from './types.js';
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

/**
 * The phase the candidate is in: what they are doing (asking, estimating, drawing components,
 * going deep) and the interviewer's explicit redirects; the clock drags it forward only when it
 * is more than one phase behind (the time checks nudge before that).
 */
export function currentPhase(setup: InterviewSetup, turns: readonly EngineTurn[], nowMs: number): Phase {
  const history = readHistory(setup.problem, poolFor(setup), turns, setup.vocabulary);
  return PHASE_ORDER[recordedPhase(setup, history, nowMs)]!;
}

function recordedPhase(setup: InterviewSetup, history: InterviewHistory, nowMs: number): number {
  return Math.max(history.contentPhase, phaseIndexAt(setup.minutes, nowMs) - 1);
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
  // The level sets the bar: L3/L4 stay on the core path and the numbers.
  if (isJunior(setup)) {
    if (entry.category === 'estimation' || entry.category === 'flow' || entry.category === 'data-model') s += 2;
    if (entry.category === 'security' || entry.category === 'observability') s -= 1.5;
  }
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
      // Stay on the thread: the area the candidate just talked about goes one step deeper.
      if (history.awaitingReply && history.last && GROUPS_OF[area].some((g) => history.last!.covered & (1 << g))) s += 2.5;
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

/** A question that is not a fixed pool line: built from the candidate's words or a scenario list. */
interface Generated {
  kind: MoveKind;
  text: string;
  topic: string;
  phase?: Phase;
}

type Choice = { entry: number } | { generated: Generated };

/** Everything the interviewer said so far, to check a generated question was never asked. */
interface Said {
  text: string;
  has(question: string): boolean;
}

function saidOf(turns: readonly EngineTurn[]): Said {
  const text = turns
    .filter((t) => t.role === 'interviewer')
    .map((t) => t.text)
    .join('\n');
  return { text, has: (question) => text.includes(question) };
}

/** Vague: keywords with nothing behind them ("monitoring and alerts on the important stuff"). */
const VAGUE = /\b(?:stuff|things|important|everything|various|etc|as needed|appropriate(?:ly)?|the usual|some kind of|somehow|properly|best practices?|standard)\b/i;

function isVague(history: InterviewHistory): boolean {
  const last = history.last;
  if (!last || last.asking) return false;
  // A decision for or against an option is an answer, however short.
  if (last.decisions.mentions.some((m) => m.stance !== 'asked' && m.stance !== 'mentioned')) return false;
  if (last.words < VAGUE_MAX_WORDS && !last.concrete) return true;
  return last.words < 25 && last.numberSentences === 0 && VAGUE.test(history.lastText);
}

function closing(pool: Pool, history: InterviewHistory): number {
  // The closing lines in order; the last may repeat (nothing is asked any more).
  return pool.closes.find((i) => !history.used[i]) ?? pool.closes[pool.closes.length - 1]!;
}

/** Questions that never run out: the candidate's own options (all held ones), senior and scenario lists. */
function fallbackQuestion(setup: InterviewSetup, history: InterviewHistory, anchors: Anchor[], said: Said): Generated | null {
  for (const text of anchoredQuestions(setup, history, anchors)) if (!said.has(text)) return { kind: 'probe', text, topic: 'follow-up' };
  const senior = isSenior(setup) ? SENIOR_QUESTIONS : [];
  const lists = [...senior, ...SCENARIO_QUESTIONS, ...(isSenior(setup) ? [] : SENIOR_QUESTIONS)];
  const offset = setup.seed % Math.max(1, SCENARIO_QUESTIONS.length);
  for (let k = 0; k < lists.length; k++) {
    const text = lists[k < senior.length ? k : senior.length + ((k - senior.length + offset) % (lists.length - senior.length))]!;
    if (!said.has(text)) return { kind: 'scale', text, topic: 'scenario', phase: 'deep-dive' };
  }
  for (const text of componentQuestions(setup)) if (!said.has(text)) return { kind: 'probe', text, topic: 'components' };
  // Every option the candidate still holds, oldest first.
  const held = [...history.ledger.entries.values()].filter((e) => e.stance === 'chosen' || e.stance === 'mentioned').sort((a, b) => a.turn - b.turn);
  const catalogue = history.ledger.catalogue;
  for (const e of held) {
    const name = catalogue.names[e.option]!;
    const more = anchoredQuestions(setup, history, [optionAnchor(catalogue, e.option, name, { chosen: true, fresh: false })]);
    for (const text of more) if (!said.has(text)) return { kind: 'probe', text, topic: name };
  }
  return null;
}

/** The question part of the move. */
function chooseQuestion(
  setup: InterviewSetup,
  pool: Pool,
  history: InterviewHistory,
  phase: number,
  nowMs: number,
  estimates: EstimateReading,
  anchors: Anchor[],
  said: Said,
  pushbackAnswer: PushbackLabel | null,
): Choice {
  if (isOvertime(setup.minutes, nowMs)) return { entry: history.wrapUpAsked ? closing(pool, history) : pool.wrapUp };
  const check = dueTimeCheck(pool, history, nowMs);
  if (check !== null) return { entry: check };
  const last = history.last;
  if (history.awaitingReply && last) {
    if (history.lastPushback !== null && pushbackAnswer === 'capitulated') {
      const follow = pool.capitulationFollowUp.get(history.lastPushback);
      if (follow !== undefined && !history.used[follow]) return { entry: follow };
    }
    // A figure 10x off, or arithmetic that does not add up: "How did you get X?", once per figure.
    for (const figure of estimates.wrong) {
      const text = estimateChallengeText(figure);
      if (!said.has(text)) return { generated: { kind: 'follow-up', text, topic: 'estimate', phase: 'estimate' } };
    }
    // "How exactly?" presses on a design question; "does it matter?" may fairly get a short answer.
    const asked = history.lastInterviewerEntry;
    const askedSomething =
      asked === null
        ? history.lastInterviewerKind === null && said.text.length > 0 && history.candidateTurns > 1
        : ['probe', 'deep-dive', 'scale', 'pushback'].includes(asked.kind) && asked.category !== 'requirements' && asked.category !== 'unasked-fact';
    if (askedSomething && isVague(history)) {
      const follow = firstUnused(pool, history, pool.vagueFollowUps);
      if (follow !== null) return { entry: follow };
    }
  }
  // A string of names with no claim: ask for one of them to be placed and justified before
  // challenging any (a list is not a choice to push back on).
  if (last?.listed) {
    const text = said.has("That's a list, not a design yet.")
      ? `Another list. Take ${last.listed}: what does it do here, and why?`
      : `That's a list, not a design yet. Take ${last.listed}: where does it sit in this system, what does it do there, and why it rather than something simpler?`;
    if (!said.has(text)) return { generated: { kind: 'follow-up', text, topic: last.listed } };
  }
  const pushback = nextPushback(pool, history);
  if (pushback !== null) return { entry: pushback };
  if (phase >= phaseIndex('wrap-up') && !history.wrapUpAsked) {
    // A candidate who already summarised unprompted is done with the wrap-up.
    if (!(last && last.cues[4]! > 0)) return { entry: pool.wrapUp };
  }
  // Drill into what was just chosen (or, when nothing in the turn is new, what it built on),
  // once the requirements are in.
  const nothingNew = !anchors.some((a) => a.fresh && a.kind !== 'area');
  const designing = phase >= 1 || (last !== null && !last.asking && last.componentCount > 0);
  if (designing && anchors.some((a) => a.kind === 'option' && !a.rejected && (a.chosen || nothingNew))) {
    const chosen = anchors.filter((a) => a.kind === 'option' && !a.rejected && (a.chosen || nothingNew) && !drilledOn(a, said));
    if (chosen.length > 0) {
      const text = anchoredQuestions(setup, history, chosen).find((q) => !said.has(q));
      if (text) return { generated: { kind: 'probe', text, topic: chosen[0]!.text } };
    }
  }
  // Senior candidates get the bar of their level early in the deep dive.
  if (isSenior(setup) && phase >= 3 && history.candidateTurns % 3 === 0) {
    const text = SENIOR_QUESTIONS.find((q) => !said.has(q));
    if (text) return { generated: { kind: 'scale', text, topic: 'senior bar', phase: 'deep-dive' } };
  }
  const best = bestQuestion(setup, pool, history, phase) ?? (phase < 3 ? bestQuestion(setup, pool, history, 3) : null);
  if (best !== null) return { entry: best };
  const generated = fallbackQuestion(setup, history, anchors, said);
  if (generated) return { generated };
  if (!history.wrapUpAsked) return { entry: pool.wrapUp };
  // Nothing left to ask, and the clock still runs: the time left, never "That's time".
  const left = Math.max(1, Math.ceil((setup.minutes * 60_000 - nowMs) / 60_000));
  return { generated: { kind: 'time-check', text: `${minutesText(left)} left. Take any part of the design further, your choice.`, topic: 'time' } };
}

/** The option the latest pushback challenged: the one the candidate held when it was made. */
function pushbackOptionName(setup: InterviewSetup, history: InterviewHistory): string {
  const held = history.lastPushbackOption;
  return held === null ? pushbackTopic(setup.problem, history.lastPushback ?? 0) : history.ledger.catalogue.names[held]!;
}

function moveFrom(choice: Choice, pool: Pool, phase: number, setup: InterviewSetup, history: InterviewHistory): Move {
  if ('generated' in choice) {
    const g = choice.generated;
    return { kind: g.kind, text: g.text, phase: PHASE_ORDER[phase]!, topic: g.topic };
  }
  const entry = pool.entries[choice.entry]!;
  // Only the interviewer's redirects move the phase on (time checks, the wrap-up).
  const redirects = entry.kind === 'time-check' || entry.kind === 'wrap-up' || entry.kind === 'close';
  const p = redirects && entry.phase ? Math.max(phase, phaseIndex(entry.phase)) : phase;
  const move: Move = { kind: entry.kind, text: entry.text, phase: PHASE_ORDER[p]!, topic: entry.topic };
  if (entry.kind === 'pushback' && entry.pushback !== undefined) {
    const topic = heldTopic(setup.problem, history, entry.pushback);
    move.topic = topic;
    move.pushback = { topic, expected: setup.problem.pushbacks[entry.pushback]!.expected };
  }
  return move;
}

const NO_ESTIMATES: EstimateReading = { wrong: [], right: [], stated: [] };

/** The interviewer's next move. Pure and deterministic for the setup's seed. */
export function nextMove(setup: InterviewSetup, turns: readonly EngineTurn[], nowMs: number): Move {
  if (setup.mode === 'monologue') return monologueMove(setup, turns, nowMs);
  const pool = poolFor(setup);
  const history = readHistory(setup.problem, pool, turns, setup.vocabulary);
  if (history.candidateTurns === 0) return openMove(setup);
  const phase = recordedPhase(setup, history, nowMs);
  // The interviewer steers by the clock: it asks for what the time says should come next.
  const askPhase = Math.max(history.contentPhase, phaseIndexAt(setup.minutes, nowMs));
  const said = saidOf(turns);
  const answer = history.awaitingReply && history.last ? answerClarifyingQuestion(setup.problem, pool, history, history.last, said.text) : null;
  const timeMatters = isOvertime(setup.minutes, nowMs) || dueTimeCheck(pool, history, nowMs) !== null;
  if (answer && !timeMatters && !said.has(answer.text)) {
    // A question gets just its answer, unless time must be kept or the answer alone would repeat.
    return { kind: answer.kind, text: answer.text, phase: PHASE_ORDER[phase]!, topic: answer.topic };
  }
  let lastCandidate = -1;
  for (let i = turns.length - 1; i >= 0 && lastCandidate < 0; i--) if (turns[i]!.role === 'candidate' && turns[i]!.text.trim() !== '') lastCandidate = i;
  const estimates = history.awaitingReply && lastCandidate >= 0 ? readEstimates(setup.problem, turns, lastCandidate, setup.vocabulary) : NO_ESTIMATES;
  const anchors = history.awaitingReply ? anchorsOf(history, estimates) : [];
  // The answer to the latest challenge, labelled once by the option the candidate held.
  const pushbackAnswer =
    history.awaitingReply && history.lastPushback !== null ? labelAnswer(history.lastText, setup.vocabulary, { problem: setup.problem, topic: pushbackOptionName(setup, history) }) : null;
  const choice = chooseQuestion(setup, pool, history, askPhase, nowMs, estimates, anchors, said, pushbackAnswer);
  const move = moveFrom(choice, pool, Math.max(phase, 'generated' in choice && choice.generated.phase ? Math.min(askPhase, phaseIndex(choice.generated.phase)) : phase), setup, history);
  // What was asked is answered first; else a short acknowledgement of what was just committed
  // to, unless the question itself challenges or redirects it.
  const plain = move.kind !== 'close' && move.kind !== 'follow-up';
  const previous = [...turns].reverse().find((t) => t.role === 'interviewer')?.text ?? '';
  // What stands after a challenge, said only when the answer names the option ("OK, token bucket stays.").
  let answered: { option: string; label: PushbackLabel } | null = null;
  const held = history.lastPushbackOption;
  if (pushbackAnswer !== null && held !== null && history.last) {
    const family = history.ledger.catalogue.family;
    if (history.last.decisions.mentions.some((m) => family[m.option] === family[held])) answered = { option: pushbackOptionName(setup, history), label: pushbackAnswer };
  }
  const lead = answer ? answer.text : plain && move.kind !== 'pushback' ? acknowledgement(setup, history, anchors, previous, answered) : '';
  if (lead) move.text = `${lead} ${move.text}`;
  return move;
}
