// Time management: minutes per phase against the budget (clarify ~5, estimate ~5, high level
// ~10, deep dive ~15–20, wrap-up ~5 of 45 minutes), scaled to the session's planned minutes,
// else to the transcript's own length.
//
// Phases come from what the candidate was doing. The phase the tool recorded (phase events,
// else each turn's `phase`) stands for a turn unless its content clearly says otherwise: the
// tool moving on late does not make an estimate turn "clarify". Without a recorded phase they
// are inferred from content: clarifying questions → clarify, numbers → estimate, components →
// high level, failure and scale detail → deep dive, a summary → wrap-up. A turn lasts until the next one starts; the last until the
// end event, or its words at 150 words a minute. Time after the planned end in which the
// candidate said nothing is not theirs.
//
// Verdict per phase: short below the low end of its range, long above the high end (ranges
// per 45 minutes: clarify 2.5–8, estimate 2–8, high level 5–15, deep dive 10–25, wrap-up 1.5–8).
// Score: 5 − penalties; a missing phase costs 1 (wrap-up 0.7), a short or long one up to 0.7
// in proportion to how far out it is; running more than 15% over the planned minutes 0.5.
import type { Evidence, Flag, PhaseTime, TimeReport } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import type { Phase } from '../../schemas/transcript.js';
import { result, type EvidenceContext } from './context.js';
import type { IndexedTurn } from '../turns.js';
import { PhraseMatcher, clampScore, quoteAround, type TextDoc } from '../../reading/text.js';

export const PHASES: readonly Phase[] = ['clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up'];

/** Budget and acceptable range per phase, in minutes of a 45-minute interview. */
export const PHASE_BUDGET: Record<Phase, { budget: number; low: number; high: number }> = {
  clarify: { budget: 5, low: 2.5, high: 8 },
  estimate: { budget: 5, low: 2, high: 8 },
  'high-level': { budget: 10, low: 5, high: 15 },
  'deep-dive': { budget: 17.5, low: 10, high: 25 },
  'wrap-up': { budget: 5, low: 1.5, high: 8 },
};
const BASE_MINUTES = 45;
/** Phase-pattern weight at which a turn clearly belongs to a phase whatever the tool recorded. */
const CLEAR_CONTENT = 3;
const WORDS_PER_MINUTE = 150;

const PHASE_PATTERNS: Record<Phase, string[]> = {
  clarify: [
    'requirement*', 'clarif*', 'functional', 'non functional', 'nonfunctional', 'scope', 'out of scope', 'in scope', 'use case*',
    'how many', 'should we support', 'do we need', 'do we support', 'are we', 'is this', 'can i assume', 'who are the users',
    'features', 'mvp', 'latency target', 'what is the',
  ],
  estimate: [
    'estimat*', 'qps', 'rps', 'per second', 'a second', 'per day', 'a day', 'back of the envelope', 'storage', 'tb', 'gb', 'pb',
    'bandwidth', 'throughput', 'dau', 'mau', 'capacity', 'calculat*', 'numbers', 'math', 'bytes',
  ],
  'high-level': [
    'high level', 'architecture', 'component*', 'load balancer*', 'api', 'apis', 'service', 'services', 'database', 'data model',
    'schema', 'endpoint*', 'client*', 'cache', 'queue', 'flow', 'write path', 'read path', 'overall design', 'diagram', 'store',
    'gateway', 'worker*', 'table*',
  ],
  'deep-dive': [
    'deep dive', 'dive', 'fail*', 'failover', 'replica*', 'replicat*', 'shard*', 'partition*', 'hot key*', 'hotspot*', 'consisten*',
    'what happens', 'retry*', 'retries', 'idempoten*', 'bottleneck*', '10x', 'monitor*', 'alert*', 'race condition*',
    'single point', 'quorum', 'consensus', 'lock*', 'backpressure', 'dies', 'crash*', 'outage*', 'abuse', 'security', 'scale',
    'scaling', 'edge case*', 'recover*', 'durab*', 'availability', 'reliab*', 'rebuild*', 'lag', 'losing', 'lose', 'loss',
    'timeout*', 'degrad*', 'throttl*', 'observab*', 'metric*', 'dashboard*',
  ],
  'wrap-up': [
    'summar*', 'recap', 'wrap up', 'wrapping up', 'to conclude', 'in conclusion', 'next steps', 'if i had more time', 'future work',
    'first change', 'what i would change', 'improvements', 'to sum up', 'overall',
  ],
};

const phaseMatcher = new PhraseMatcher<number>(
  PHASES.flatMap((phase, p) => PHASE_PATTERNS[phase].map((pattern) => ({ key: p, pattern }))),
);

/** Phase scores for one candidate turn: pattern hits, lead words count triple, digits feed estimate. */
function phaseScores(doc: TextDoc, position: number): number[] {
  const scores = new Float64Array(5);
  phaseMatcher.match(doc, (key, first) => {
    scores[key] = scores[key]! + (first < 6 ? 3 : 1);
  });
  let digits = 0;
  for (let i = 0; i < doc.tokens.length; i++) {
    const c = doc.tokens.word(i).charCodeAt(0);
    if (c >= 48 && c <= 57) digits++;
  }
  scores[1] = scores[1]! + Math.min(digits, 8) * 0.5;
  // Questions are clarifying early on; later they are part of a discussion.
  let questions = 0;
  for (let at = doc.text.indexOf('?'); at >= 0; at = doc.text.indexOf('?', at + 1)) questions++;
  if (position < 0.35) scores[0] = scores[0]! + questions * 1.5;
  // A summary near the end is a wrap-up; early "overall" is not.
  if (position < 0.6) scores[4] = scores[4]! * 0.3;
  return Array.from(scores);
}

/**
 * Infer a phase per turn from content; interviewer turns belong to the phase they lead into.
 * `recorded` (the tool's phase per turn, when the session has one) stands for a candidate turn
 * unless the candidate is clearly ahead of it, and for the interviewer's turns.
 */
export function inferPhases(ctx: EvidenceContext, recorded: readonly (Phase | null)[] | null = null): (Phase | null)[] {
  const phases: (Phase | null)[] = ctx.turns.map(() => null);
  const total = ctx.turns.length;
  let current = 0;
  let seen = false;
  for (const turn of ctx.turns) {
    if (turn.role !== 'candidate') continue;
    const scores = phaseScores(ctx.doc(turn.index), total > 1 ? turn.index / (total - 1) : 0);
    let best = 0;
    for (let p = 1; p < 5; p++) if (scores[p]! > scores[best]!) best = p;
    const strength = scores[best]!;
    const tool = recorded?.[turn.index] ?? null;
    if (tool !== null) {
      // The recorded phase stands unless the candidate is clearly ahead of the tool ("1,160 writes
      // a second" while it still says clarify): the tool moves on late, never early.
      const t = PHASES.indexOf(tool);
      current = best > t && strength >= CLEAR_CONTENT && scores[t]! < strength / 2 ? best : t;
      seen = true;
    } else if (!seen) {
      current = strength >= 1 ? best : 0;
      seen = true;
    } else if (strength >= 1 && best !== current) {
      // Going back needs clear evidence; going forward a little.
      if (best > current || strength >= 4) current = best;
    }
    phases[turn.index] = PHASES[current]!;
  }
  // Interviewer and system turns: the recorded phase, else the phase of the next candidate turn,
  // else the previous one.
  if (recorded) ctx.turns.forEach((t, i) => {
    if (t.role !== 'candidate' && recorded[i]) phases[i] = recorded[i]!;
  });
  let next: Phase | null = null;
  for (let i = ctx.turns.length - 1; i >= 0; i--) {
    if (phases[i]) next = phases[i]!;
    else phases[i] = next;
  }
  let prev: Phase | null = null;
  for (let i = 0; i < phases.length; i++) {
    if (phases[i]) prev = phases[i]!;
    else phases[i] = prev;
  }
  return phases;
}

export interface TimeAnalysis {
  report: TimeReport;
  source: 'recorded, corrected by what the candidate was doing' | 'inferred from content';
  /** First candidate turn of each phase, for evidence. */
  starts: { phase: Phase; turn: number; minute: number }[];
  flags: Flag[];
  plannedMinutes: number | null;
}

function wordsOf(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w) n++;
  return n;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * When each turn started. Recorded times as they are; estimated ones (a pasted transcript's, from
 * word counts) are estimated again from what is graded, so sentences blanked out for addressing
 * the grader take no time: injected text must not change the phase minutes.
 */
function turnTimes(ctx: EvidenceContext, estimated: boolean): Map<IndexedTurn, number> & { wordsPerMinute: number } {
  const times = new Map<IndexedTurn, number>() as Map<IndexedTurn, number> & { wordsPerMinute: number };
  times.wordsPerMinute = WORDS_PER_MINUTE;
  const turns = ctx.turns;
  if (!estimated || ctx.directives.length === 0) {
    for (const t of turns) times.set(t, t.elapsedMs);
    return times;
  }
  // The rate the importer used: words before the last turn over its start time.
  let words = 0;
  let rate = WORDS_PER_MINUTE;
  for (const t of turns) {
    if (t.elapsedMs > 0 && words > 0) rate = (words * 60_000) / t.elapsedMs;
    if (t.role !== 'system') words += wordsOf(t.text);
  }
  times.wordsPerMinute = rate;
  words = 0;
  for (const t of turns) {
    times.set(t, Math.round((words * 60_000) / rate));
    if (t.role !== 'system') words += wordsOf(ctx.textOf(t));
  }
  return times;
}

/** Phase minutes, computed once per run. */
export function analyzeTime(ctx: EvidenceContext): TimeAnalysis {
  return ctx.once('time', () => {
    const { transcript } = ctx.input;
    const turns = ctx.turns;
    const estimated = transcript.meta.timing === 'estimated';
    const flags: Flag[] = [];
    if (estimated) {
      flags.push({ kind: 'timing-estimated', message: 'timing estimated from word counts (imported text has no clock): phase minutes are approximate' });
    }
    const endEvent = transcript.events.find((e) => e.type === 'end');
    const spoken = turns.filter((t) => t.role !== 'system' || t.text.trim() !== '');
    const last = spoken[spoken.length - 1];
    const time = turnTimes(ctx, estimated);
    const lastEnd = last ? time.get(last)! + (last.role === 'system' ? 0 : (wordsOf(ctx.textOf(last)) * 60_000) / time.wordsPerMinute) : 0;
    let endMs = Math.max(endEvent && endEvent.type === 'end' ? endEvent.elapsedMs : 0, endEvent ? (last ? time.get(last)! : 0) : lastEnd);
    // Time after the planned end in which the candidate said nothing (waiting after "That's
    // time", the interviewer's closing lines) is not the candidate's: the session ends for them
    // at the later of the planned end and the end of their last turn.
    const plannedMs = transcript.meta.minutes ? transcript.meta.minutes * 60_000 : null;
    const lastCandidate = [...turns].reverse().find((t) => t.role === 'candidate');
    if (plannedMs !== null && lastCandidate && !estimated) {
      const candidateEnd = time.get(lastCandidate)! + (wordsOf(ctx.textOf(lastCandidate)) * 60_000) / time.wordsPerMinute;
      endMs = Math.min(endMs, Math.max(plannedMs, candidateEnd));
    }

    const ms: Record<Phase, number> = { clarify: 0, estimate: 0, 'high-level': 0, 'deep-dive': 0, 'wrap-up': 0 };
    // The tool's phase per turn, when the session recorded one: phase events, else turn fields.
    const phaseEvents = transcript.events.filter((e) => e.type === 'phase');
    let recorded: (Phase | null)[] | null = null;
    if (phaseEvents.length > 0) {
      const marks = phaseEvents.map((e) => ({ at: e.elapsedMs, phase: (e as { phase: Phase }).phase })).sort((a, b) => a.at - b.at);
      const lead = turns.find((t) => t.phase)?.phase ?? 'clarify';
      recorded = turns.map((t) => {
        let p: Phase = marks[0]!.at > t.elapsedMs ? lead : marks[0]!.phase;
        for (const mark of marks) if (mark.at <= t.elapsedMs) p = mark.phase;
        return p;
      });
    } else if (spoken.length > 0 && spoken.filter((t) => t.phase !== null).length * 2 >= spoken.length) {
      let prev: Phase = 'clarify';
      recorded = turns.map((t) => (prev = t.phase ?? prev));
    }
    // Time goes to what the candidate was doing, read from what they said: the tool moving the
    // phase (by the clock, or late) does not make an estimate turn "clarify".
    const source: TimeAnalysis['source'] = recorded ? 'recorded, corrected by what the candidate was doing' : 'inferred from content';
    const turnPhase = inferPhases(ctx, recorded);
    for (let i = 0; i < turns.length; i++) {
      const phase = turnPhase[i];
      if (!phase) continue;
      const start = Math.min(time.get(turns[i]!)!, endMs);
      const end = i + 1 < turns.length ? Math.min(time.get(turns[i + 1]!)!, endMs) : endMs;
      ms[phase] += Math.max(0, end - start);
    }

    const totalMinutes = endMs / 60_000;
    const planned = transcript.meta.minutes ?? null;
    const scaleMinutes = planned ?? totalMinutes;
    const scale = scaleMinutes / BASE_MINUTES;
    const phases: PhaseTime[] = PHASES.map((phase) => {
      const minutes = ms[phase] / 60_000;
      const b = PHASE_BUDGET[phase];
      const verdict = minutes < b.low * scale ? 'short' : minutes > b.high * scale ? 'long' : 'ok';
      return { phase, minutes: round1(minutes), budgetMinutes: round1(b.budget * scale), verdict };
    });

    const starts: TimeAnalysis['starts'] = [];
    for (const turn of turns) {
      if (turn.role !== 'candidate') continue;
      const phase = turnPhase[turn.index];
      if (phase && !starts.some((s) => s.phase === phase)) starts.push({ phase, turn: turn.index, minute: round1(time.get(turn)! / 60_000) });
    }
    return {
      report: { estimated, totalMinutes: round1(totalMinutes), phases },
      source,
      starts,
      flags,
      plannedMinutes: planned,
    };
  });
}

const LABEL: Record<Phase, string> = {
  clarify: 'clarifying requirements',
  estimate: 'estimation',
  'high-level': 'the high-level design',
  'deep-dive': 'the deep dive',
  'wrap-up': 'the wrap-up',
};

export function analyzeTimeManagement(ctx: EvidenceContext, _dimension: Dimension): ReturnType<typeof result> {
  const time = analyzeTime(ctx);
  const { report } = time;
  const notes: string[] = [];
  if (report.estimated) notes.push('timing estimated from word counts (imported text has no clock): minutes are approximate');
  notes.push(`phases ${time.source}; budget scaled to ${time.plannedMinutes !== null ? `the planned ${time.plannedMinutes}` : `the transcript's ${report.totalMinutes}`} minutes`);
  if (ctx.candidate.length === 0 || report.totalMinutes === 0) {
    return result(1, { missing: ['no timed candidate turns'], notes });
  }
  const scale = (time.plannedMinutes ?? report.totalMinutes) / BASE_MINUTES;
  let penalty = 0;
  const missing: string[] = [];
  for (const p of report.phases) {
    const b = PHASE_BUDGET[p.phase];
    if (p.minutes === 0) {
      penalty += p.phase === 'wrap-up' ? 0.7 : 1;
      missing.push(`no time on ${LABEL[p.phase]} (budget ~${p.budgetMinutes} min)`);
    } else if (p.verdict === 'short') {
      const low = b.low * scale;
      penalty += 0.7 * Math.min(1, (low - p.minutes) / low);
      missing.push(`${LABEL[p.phase]} short: ${p.minutes} of ~${p.budgetMinutes} min`);
    } else if (p.verdict === 'long') {
      const high = b.high * scale;
      penalty += 0.7 * Math.min(1, (p.minutes - high) / high);
      missing.push(`${LABEL[p.phase]} long: ${p.minutes} of ~${p.budgetMinutes} min`);
    }
  }
  if (time.plannedMinutes !== null && report.totalMinutes > time.plannedMinutes * 1.15) {
    penalty += 0.5;
    missing.push(`ran over: ${report.totalMinutes} of ${time.plannedMinutes} planned minutes`);
  }
  // Time is managed by talking through the design: phases the tool moved through while the
  // candidate said almost nothing are not the candidate's. Never above 1 + words / 20.
  const words = ctx.candidateWords;
  const material = 1 + words / 20;
  if (5 - penalty > material + 0.5) missing.unshift(`too little said to credit the time: ${words} candidate words`);
  const score = clampScore(Math.min(5 - penalty, material));
  const evidence: Evidence[] = [];
  for (const start of time.starts) {
    if (evidence.length >= 5) break;
    const doc = ctx.doc(start.turn);
    if (doc.sentences.length === 0) continue;
    const p = report.phases.find((x) => x.phase === start.phase)!;
    // The first sentence with some substance ("Okay." says nothing about the phase).
    const sentence = Math.max(0, doc.sentences.findIndex((s) => s.tokenEnd - s.tokenStart >= 4));
    evidence.push({
      quote: quoteAround(doc, sentence),
      turn: start.turn,
      note: `${start.phase} from minute ${start.minute}: ${p.minutes} min against ~${p.budgetMinutes} (${p.verdict})`,
    });
  }
  return result(score, { evidence, missing, notes });
}
