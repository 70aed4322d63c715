// The opening line, and monologue mode: no interruptions, a phase guide by the clock for the
// header, one wrap-up prompt at time-up, then an "adversarial replay" that challenges the two
// weakest claims of the monologue (a technology with a known pushback, a number far from the
// problem's reference, a choice with no reason, an area never mentioned), quoting each.
import type { LoadedProblem } from '../../schemas/problem.js';
import { extractQuantities, isMeaningful, type Quantity } from '../../reading/numbers.js';
import { PhraseMatcher, analyzeText, isNegated, quoteTokens, quoteAround, type TextDoc } from '../../reading/text.js';
import { sentenceFeatures } from '../../reading/vocab.js';
import { AREAS, AREA_LABEL, areaCoverage, type AreaId } from './areas.js';
import { analyzeCandidateTurn, isQuestionSentence } from './candidate-turn.js';
import { PHASE_ORDER, clockText, phaseBoundariesMs, phaseIndexAt } from './phases.js';
import { pushbackTopic } from './probes.js';
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

const triggerMatchers = new WeakMap<LoadedProblem, PhraseMatcher<number>>();

function triggersOf(problem: LoadedProblem): PhraseMatcher<number> {
  let m = triggerMatchers.get(problem);
  if (!m) {
    m = new PhraseMatcher<number>();
    problem.pushbacks.forEach((p, i) => p.trigger.forEach((t) => m!.add(i, t)));
    triggerMatchers.set(problem, m);
  }
  return m;
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

/** Reference estimates a quantity can be compared with: same unit family, and a cue word nearby. */
function closestReferenceRatio(problem: LoadedProblem, doc: TextDoc, q: Quantity): number | null {
  const sentence = doc.sentences[q.sentence];
  if (!sentence || q.perItem) return null;
  const context = doc.text.slice(sentence.start, sentence.end).toLowerCase();
  let best: number | null = null;
  for (const ref of problem.reference_estimates) {
    let value = q.value;
    if (q.unit === 'per_day' && ref.unit === 'per_second') value = q.value / 86_400;
    else if (q.unit !== ref.unit) continue;
    if (!ref.cues.some((cue) => new RegExp(`\\b${cue.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(context))) continue;
    const ratio = Math.max(value / ref.value, ref.value / value);
    if (best === null || ratio < best) best = ratio;
  }
  return best;
}

function quoteLine(quote: string): string {
  return `You said: "${quote.trim().replace(/[.,;:!]+$/, '')}".`;
}

function claimsOf(setup: InterviewSetup, turns: readonly EngineTurn[]): Claim[] {
  const { problem } = setup;
  const claims: Claim[] = [];
  const pushbackSeen = new Set<number>();
  let covered = 0;
  let turnOrdinal = 0;
  for (const turn of turns) {
    if (turn.role !== 'candidate' || turn.text.trim() === '') continue;
    const base = ++turnOrdinal * 1e7;
    covered |= analyzeCandidateTurn(problem, turn.text).covered;
    const doc = analyzeText(turn.text);
    const features = sentenceFeatures(doc);
    const claimedSentences = new Set<number>();
    triggersOf(problem).match(doc, (index, first, last) => {
      const s = doc.tokens.sentence(first);
      if (pushbackSeen.has(index) || isQuestionSentence(doc, s) || isNegated(doc, first, last)) return;
      pushbackSeen.add(index);
      claimedSentences.add(s);
      const topic = pushbackTopic(problem, index);
      const pushback = problem.pushbacks[index]!;
      claims.push({
        weakness: 3 + (features.reason[s] ? 0 : 1),
        order: base + doc.tokens.start(first),
        topic,
        text: `${quoteLine(quoteTokens(doc, first, last))} ${pushback.question}`,
        pushback: { topic, expected: pushback.expected },
      });
    });
    for (const q of extractQuantities(doc).filter(isMeaningful)) {
      if (isQuestionSentence(doc, q.sentence)) continue;
      const sentence = doc.sentences[q.sentence]!;
      const quote = quoteAround(doc, q.sentence, q.start, q.end);
      const ratio = closestReferenceRatio(problem, doc, q);
      if (ratio !== null && ratio > 10) {
        claims.push({
          weakness: 4,
          order: base + q.start,
          topic: doc.text.slice(q.start, q.end).trim(),
          text: `${quoteLine(quote)} Walk me through the arithmetic behind that number. I get a different order of magnitude.`,
        });
      } else if (!features.reason[q.sentence] && !ARITHMETIC.test(doc.text.slice(sentence.start, sentence.end))) {
        claims.push({ weakness: 1.5, order: base + q.start, topic: doc.text.slice(q.start, q.end).trim(), text: `${quoteLine(quote)} Where does that number come from?` });
      }
    }
    for (let s = 0; s < doc.sentences.length; s++) {
      if (claimedSentences.has(s) || !features.tech[s] || features.reason[s] || isQuestionSentence(doc, s)) continue;
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
  }
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
