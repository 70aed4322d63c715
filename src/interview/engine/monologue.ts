// The opening line, and monologue mode: no interruptions, a phase guide by the clock for the
// header, one wrap-up prompt at time-up, then an "adversarial replay" that challenges the two
// weakest claims of the monologue (an option held that has a known pushback, a figure the
// estimate checker finds wrong, a choice with no reason and no alternative weighed, an area
// never mentioned), quoting each. Rejected options and correct figures are never challenged.
import type { LoadedProblem } from '../../schemas/problem.js';
import { extractQuantities, isMeaningful } from '../../reading/numbers.js';
import { isHeld } from '../../reading/decisions.js';
import { analyzeText, quoteTokens, quoteAround } from '../../reading/text.js';
import { sentenceFeatures } from '../../reading/vocab.js';
import { AREAS, AREA_LABEL, areaCoverage, type AreaId } from './areas.js';
import { analyzeCandidateTurn } from './candidate-turn.js';
import { isQuestionSentence } from '../../reading/questions.js';
import { PHASE_ORDER, clockText, phaseBoundariesMs, phaseIndexAt } from './phases.js';
import { readEstimates } from './estimate-check.js';
import { DecisionLedger, catalogueFor, turnDecisions } from '../../reading/ledger.js';
import type { EngineTurn, InterviewSetup, Move, PhaseGuide } from './types.js';

const MAX_STATEMENT = 700;

/** The statement without its markdown heading, cut at a paragraph once it is long enough. */
function shortStatement(statement: string): string {
  const paragraphs = statement
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^#{1,6}\s/.test(p));
  let out = '';
  for (const p of paragraphs) {
    if (out.length > 0 && out.length + p.length > MAX_STATEMENT) break;
    out += (out ? '\n\n' : '') + p;
  }
  return out;
}

/** The first move: the problem and the time budget. */
export function openMove(setup: InterviewSetup): Move {
  const { problem, minutes } = setup;
  const how =
    setup.mode === 'monologue'
      ? `You have ${minutes} minutes. Talk it through on your own; I won't interrupt. When time is up I'll ask you to wrap up.`
      : `You have ${minutes} minutes. Ask me for any numbers you need; I'll keep time.`;
  return { kind: 'open', text: `${problem.title}\n\n${shortStatement(problem.statement)}\n\n${how}`, phase: 'clarify', topic: problem.title };
}

const PHASE_HINTS: Record<(typeof PHASE_ORDER)[number], string> = {
  clarify: 'Clarify: scope, users, scale, latency',
  estimate: 'Estimate: QPS, storage, bandwidth',
  'high-level': 'High level: components, APIs, data model',
  'deep-dive': 'Deep dive: one component in depth, failures, scale',
  'wrap-up': 'Wrap up: summary, tradeoffs, next steps',
};

/** The phase the clock says, for the monologue header. */
export function phaseGuide(setup: Pick<InterviewSetup, 'minutes'>, elapsedMs: number): PhaseGuide {
  const p = phaseIndexAt(setup.minutes, elapsedMs);
  const phase = PHASE_ORDER[p]!;
  const untilMs = phaseBoundariesMs(setup.minutes)[p + 1]!;
  return { phase, hint: `${PHASE_HINTS[phase]} (until ${clockText(untilMs)})`, untilMs };
}

/** The one prompt at time-up. */
export function monologueWrapUpPrompt(setup: Pick<InterviewSetup, 'problem'>): string {
  return `Time. Take a minute to wrap up: summarise your design for the ${setup.problem.title}, the main tradeoff you made, and what you'd change first at 10x.`;
}

// ---------------------------------------------------------------------------------------------
// Adversarial replay

interface Claim {
  weakness: number;
  /** Order of appearance (turn, then character offset), for ties. */
  order: number;
  topic: string;
  text: string;
  pushback?: { topic: string; expected: string };
}

const CHOICE = /\b(?:i'?d use|i would use|i'?ll use|we'?ll use|we would use|we'?d use|use|using|go with|going with|pick|choose|chose|store (?:it|them|everything|the \w+) in|put (?:it|them) in)\b/;
const ARITHMETIC = /[×*÷/=]|\btimes\b|\bdivided\b|\bmultipl|\bper\b.*\bper\b/;

const MISSING: Record<AreaId, { weakness: number; text: string }> = {
  estimation: { weakness: 2.6, text: "You never put numbers on it. What's the peak load, and how much do you store?" },
  failure: { weakness: 2.4, text: 'You never said what happens when something fails. Pick the component most likely to die: what happens then?' },
  observability: { weakness: 2.2, text: "You never said how you'd know it's broken. What do you measure, and what pages someone?" },
  'data-model': { weakness: 2.0, text: 'You never described the data. What are the records, and what are they keyed by?' },
  security: { weakness: 1.8, text: 'You never mentioned abuse or access control. Who can do what, and what stops a bad actor?' },
};

function quoteLine(quote: string): string {
  return `You said: "${quote.trim().replace(/[.,;:!]+$/, '')}".`;
}

function claimsOf(setup: InterviewSetup, turns: readonly EngineTurn[]): Claim[] {
  const { problem } = setup;
  const claims: Claim[] = [];
  const pushbackSeen = new Set<number>();
  const ledger = new DecisionLedger(catalogueFor(problem));
  let covered = 0;
  let turnOrdinal = 0;
  turns.forEach((turn, at) => {
    if (turn.role !== 'candidate' || turn.text.trim() === '') return;
    const base = ++turnOrdinal * 1e7;
    covered |= analyzeCandidateTurn(problem, turn.text, setup.vocabulary).covered;
    const doc = analyzeText(turn.text, setup.vocabulary);
    const features = sentenceFeatures(doc);
    const decisions = turnDecisions(problem, doc);
    ledger.add(decisions);
    const claimedSentences = new Set<number>();
    // A sentence that weighs or rules out an alternative is not a blind choice.
    const weighed = new Set(decisions.mentions.filter((m) => m.stance === 'rejected' || m.stance === 'considered').map((m) => m.sentence));
    // Options the candidate holds (never one they rejected or only weighed), with their pushback.
    for (const m of decisions.mentions) {
      if (!isHeld(m.stance) || isQuestionSentence(doc, m.sentence)) continue;
      for (const index of ledger.catalogue.pushbacks[m.option]!) {
        if (pushbackSeen.has(index) || ledger.answered.has(index)) continue;
        pushbackSeen.add(index);
        claimedSentences.add(m.sentence);
        const pushback = problem.pushbacks[index]!;
        const topic = ledger.catalogue.names[m.option]!;
        claims.push({
          weakness: 3 + (features.reason[m.sentence] ? 0 : 1),
          order: base + doc.tokens.start(m.first),
          topic,
          text: `${quoteLine(quoteTokens(doc, m.first, m.last))} ${pushback.question}`,
          pushback: { topic, expected: pushback.expected },
        });
      }
    }
    // Figures through the grader's own estimate checker: only a wrong one is challenged as wrong.
    const estimates = readEstimates(problem, turns, at, setup.vocabulary);
    for (const q of extractQuantities(doc).filter(isMeaningful)) {
      if (isQuestionSentence(doc, q.sentence)) continue;
      const written = doc.text.slice(q.start, q.end).trim();
      const sentence = doc.sentences[q.sentence]!;
      const quote = quoteAround(doc, q.sentence, q.start, q.end);
      if (estimates.wrong.includes(written)) {
        claims.push({ weakness: 4, order: base + q.start, topic: written, text: `${quoteLine(quote)} Walk me through the arithmetic behind that number.` });
      } else if (
        !estimates.right.includes(written) &&
        // Latencies, percentages and durations are requirements, not estimates to derive.
        (q.unit === 'count' || q.unit === 'per_second' || q.unit === 'per_day' || q.unit === 'bytes' || q.unit === 'bytes_per_second') &&
        !features.reason[q.sentence] &&
        !ARITHMETIC.test(doc.text.slice(sentence.start, sentence.end))
      ) {
        claims.push({ weakness: 1.5, order: base + q.start, topic: written, text: `${quoteLine(quote)} Where does that number come from?` });
      }
    }
    for (let s = 0; s < doc.sentences.length; s++) {
      if (claimedSentences.has(s) || weighed.has(s) || !features.tech[s] || features.reason[s] || isQuestionSentence(doc, s)) continue;
      const sentence = doc.sentences[s]!;
      if (!CHOICE.test(doc.text.slice(sentence.start, sentence.end).toLowerCase())) continue;
      const techToken = features.techToken[s]!;
      claims.push({
        weakness: 2.5,
        order: base + sentence.start,
        topic: doc.tokens.word(techToken),
        text: `${quoteLine(quoteAround(doc, s))} Why that, and not the obvious alternative? What does it cost you?`,
      });
    }
  });
  for (const area of AREAS) {
    if (areaCoverage(area, covered) > 0) continue;
    claims.push({ weakness: MISSING[area].weakness, order: (turnOrdinal + 1) * 1e7 + AREAS.indexOf(area), topic: AREA_LABEL[area], text: MISSING[area].text });
  }
  return claims;
}

/** The two weakest claims of the monologue, each as a `replay` move that quotes and challenges it. */
export function replayChallenges(setup: InterviewSetup, turns: readonly EngineTurn[]): Move[] {
  const claims = claimsOf(setup, turns).sort((a, b) => b.weakness - a.weakness || a.order - b.order);
  const moves: Move[] = [];
  const topics = new Set<string>();
  for (const claim of claims) {
    if (moves.length === 2) break;
    if (topics.has(claim.topic)) continue;
    topics.add(claim.topic);
    const move: Move = { kind: 'replay', text: claim.text, phase: 'wrap-up', topic: claim.topic };
    if (claim.pushback) move.pushback = claim.pushback;
    moves.push(move);
  }
  return moves;
}

/**
 * nextMove in monologue mode: the opening, then (the UI does not interrupt) the clock's phase
 * guide, the wrap-up prompt once time is up, the replay challenges one at a time, then the close.
 */
export function monologueMove(setup: InterviewSetup, turns: readonly EngineTurn[], nowMs: number): Move {
  if (!turns.some((t) => t.role === 'candidate' && t.text.trim() !== '')) return openMove(setup);
  const prompt = monologueWrapUpPrompt(setup);
  const promptAt = turns.findIndex((t) => t.role === 'interviewer' && t.text.includes(prompt));
  if (promptAt < 0) {
    if (nowMs >= setup.minutes * 60_000) return { kind: 'wrap-up', text: prompt, phase: 'wrap-up', topic: 'wrap-up' };
    const guide = phaseGuide(setup, nowMs);
    return { kind: 'time-check', text: `Keep going. ${guide.hint}.`, phase: guide.phase, topic: 'time' };
  }
  // The monologue is everything up to the first interviewer turn after the wrap-up prompt, so the
  // replay stays the same while the candidate answers it.
  let end = turns.length;
  for (let i = promptAt + 1; i < turns.length; i++) {
    if (turns[i]!.role === 'interviewer') {
      end = i;
      break;
    }
  }
  const replay = replayChallenges(setup, turns.slice(0, end));
  const said = (text: string) => turns.some((t) => t.role === 'interviewer' && t.text.includes(text));
  const next = replay.find((m) => !said(m.text));
  if (next) return next;
  return { kind: 'close', text: "That's the replay. Type /end to see your score card.", phase: 'wrap-up', topic: 'close' };
}
