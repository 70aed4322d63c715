// Reads the transcript so far into what the next move depends on. Interviewer turns are
// recognised by the pool lines and fact answers they contain (text only, so a resumed session
// reads the same); candidate turns through their memoised analysis. Linear in the turns.
import type { LoadedProblem } from '../../schemas/problem.js';
import { analyzeCandidateTurn, type CandidateTurnAnalysis } from './candidate-turn.js';
import { DecisionLedger, catalogueFor } from '../../reading/ledger.js';
import type { Vocabulary } from '../../reading/vocabulary.js';
import { phaseIndex } from './phases.js';
import type { Pool, PoolEntry } from './probes.js';
import type { EngineTurn, MoveKind } from './types.js';

/** What an interviewer turn contained. */
export interface InterviewerTurnReading {
  entries: number[];
  facts: number[];
}

export interface InterviewHistory {
  candidateTurns: number;
  /** The candidate spoke last: the move replies to `last`. */
  awaitingReply: boolean;
  last: CandidateTurnAnalysis | null;
  lastText: string;
  /** Area groups covered by the candidate so far (bitmask over AREA_GROUPS). */
  covered: number;
  /** Area groups covered before the latest candidate turn. */
  coveredBefore: number;
  /** Components named so far (bitmask). */
  components: number;
  /** Candidate turns that asked the interviewer something. */
  questionsAsked: number;
  /** Pushback index → ordinal of the latest candidate turn naming an option of it the candidate holds. */
  mentions: Map<number, number>;
  /** What the candidate has chosen and set aside, option by option. */
  ledger: DecisionLedger;
  /** Option id the candidate held when the latest pushback was made (null when none). */
  lastPushbackOption: number | null;
  /** Pool entries already said. */
  used: Uint8Array;
  /** Facts already revealed. */
  revealed: Uint8Array;
  /** Phase index from content and the interviewer's own moves, before the clock is applied. */
  contentPhase: number;
  /** The main kind of the latest interviewer turn (null when none yet). */
  lastInterviewerKind: MoveKind | null;
  /** The pool line that names the latest interviewer turn, if any. */
  lastInterviewerEntry: PoolEntry | null;
  /** Pushback index of the latest interviewer turn, if it was one. */
  lastPushback: number | null;
  /** Pushbacks among the latest interviewer turns, counted back to the first that was not one. */
  trailingPushbacks: number;
  wrapUpAsked: boolean;
  /** The latest candidate turn repeats an earlier one word for word: how many times it has (0 when new). */
  repeated: number;
}

const readings = new WeakMap<Pool, Map<string, InterviewerTurnReading>>();
const MAX_READINGS = 4096;
/** Kinds that ask the candidate something, in the order that names a combined turn. */
const QUESTION_KINDS: MoveKind[] = ['pushback', 'time-check', 'wrap-up', 'deep-dive', 'scale', 'probe', 'follow-up', 'replay', 'close'];

/** The pool lines and facts an interviewer text contains (memoised per pool). */
export function readInterviewerTurn(problem: LoadedProblem, pool: Pool, text: string): InterviewerTurnReading {
  let cache = readings.get(pool);
  if (!cache) readings.set(pool, (cache = new Map()));
  let reading = cache.get(text);
  if (reading) return reading;
  const entries: number[] = [];
  pool.entries.forEach((entry, i) => {
    if (text.includes(entry.text)) entries.push(i);
  });
  const facts: number[] = [];
  problem.facts.forEach((fact, f) => {
    if (text.includes(fact.answer)) facts.push(f);
  });
  reading = { entries, facts };
  if (cache.size >= MAX_READINGS) cache.clear();
  cache.set(text, reading);
  return reading;
}

/** The entry that names an interviewer turn: what it asked, else what it answered. */
export function mainEntry(pool: Pool, reading: InterviewerTurnReading): PoolEntry | null {
  for (const kind of QUESTION_KINDS) {
    for (const i of reading.entries) if (pool.entries[i]!.kind === kind) return pool.entries[i]!;
  }
  const first = reading.entries[0];
  return first === undefined ? null : pool.entries[first]!;
}

/**
 * Content-driven phase after a candidate turn: forward only, the design before the depth. A
 * substantive answer to a deep-dive or scale question is going deep, whatever words it uses.
 */
function phaseAfter(current: number, a: CandidateTurnAnalysis, answeringDepth: boolean): number {
  let signal = 0;
  if (a.cues[1]! + a.numberSentences >= 2 || (a.cues[1]! >= 1 && a.numberSentences >= 1)) signal = 1;
  const design = a.componentCount + a.cues[2]!;
  if (design >= 3) signal = 2;
  if (a.cues[3]! >= 3 && (current >= 2 || design >= 3)) signal = 3;
  if (answeringDepth && current >= 2 && a.words >= 25 && a.concrete) signal = Math.max(signal, 3);
  // A summary only counts once the design has been taken apart.
  if (a.cues[4]! >= 1 && current >= 3) signal = 4;
  return Math.max(current, signal);
}

export function readHistory(problem: LoadedProblem, pool: Pool, turns: readonly EngineTurn[], vocabulary: Vocabulary): InterviewHistory {
  const h: InterviewHistory = {
    candidateTurns: 0,
    awaitingReply: false,
    last: null,
    lastText: '',
    covered: 0,
    coveredBefore: 0,
    components: 0,
    questionsAsked: 0,
    mentions: new Map(),
    ledger: new DecisionLedger(catalogueFor(problem)),
    lastPushbackOption: null,
    used: new Uint8Array(pool.entries.length),
    revealed: new Uint8Array(problem.facts.length),
    contentPhase: 0,
    lastInterviewerKind: null,
    lastInterviewerEntry: null,
    lastPushback: null,
    trailingPushbacks: 0,
    wrapUpAsked: false,
    repeated: 0,
  };
  const seenTexts = new Map<string, number>();
  for (const turn of turns) {
    if (turn.role === 'candidate') {
      if (turn.text.trim() === '') continue;
      const a = analyzeCandidateTurn(problem, turn.text, vocabulary);
      const normalised = turn.text.trim().toLowerCase().replace(/\s+/g, ' ');
      const times = seenTexts.get(normalised) ?? 0;
      h.repeated = times;
      seenTexts.set(normalised, times + 1);
      h.candidateTurns++;
      h.awaitingReply = true;
      h.last = a;
      h.lastText = turn.text;
      h.coveredBefore = h.covered;
      h.covered |= a.covered;
      h.components |= a.components;
      if (a.asking) h.questionsAsked++;
      h.ledger.add(a.decisions);
      for (const p of a.triggers) if (h.ledger.heldTrigger(p) !== null) h.mentions.set(p, h.candidateTurns);
      // An option set aside since it was named is no longer a choice to challenge.
      for (const p of h.mentions.keys()) if (h.ledger.heldTrigger(p) === null) h.mentions.delete(p);
      const depthAsked = h.lastInterviewerEntry !== null && (h.lastInterviewerEntry.kind === 'deep-dive' || h.lastInterviewerEntry.kind === 'scale');
      h.contentPhase = phaseAfter(h.contentPhase, a, depthAsked);
      continue;
    }
    const reading = readInterviewerTurn(problem, pool, turn.text);
    h.awaitingReply = false;
    let pushback: number | null = null;
    for (const i of reading.entries) {
      const entry = pool.entries[i]!;
      h.used[i] = 1;
      // Only the interviewer's explicit redirects (time checks, the wrap-up) move the phase; a
      // deep-dive question does not put the candidate in the deep dive until they answer it.
      if (entry.phase && (entry.kind === 'time-check' || entry.kind === 'wrap-up')) h.contentPhase = Math.max(h.contentPhase, phaseIndex(entry.phase));
      if (entry.asksWrapUp) h.wrapUpAsked = true;
      if (entry.kind === 'pushback' && entry.pushback !== undefined) pushback = entry.pushback;
    }
    for (const f of reading.facts) h.revealed[f] = 1;
    h.lastInterviewerEntry = mainEntry(pool, reading);
    h.lastInterviewerKind = h.lastInterviewerEntry?.kind ?? (reading.facts.length > 0 ? 'fact' : null);
    h.lastPushback = pushback;
    h.lastPushbackOption = pushback === null ? null : h.ledger.heldTrigger(pushback);
    h.trailingPushbacks = pushback === null ? 0 : h.trailingPushbacks + 1;
  }
  return h;
}
