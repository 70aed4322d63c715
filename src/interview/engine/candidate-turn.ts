// What one candidate turn says, read once: its questions (and the facts they ask about), the
// technologies that draw a pushback, the probe areas it covers, how concrete it is and which
// phase its content points to. One pass of one phrase matcher (compiled per problem) over the
// grader's tokenisation; results are memoised by text, so a turn is analysed once per session
// however often the engine re-reads the history.
import type { LoadedProblem } from '../../schemas/problem.js';
import { PhraseMatcher, analyzeText, isNegated, type TextDoc } from '../../reading/text.js';
import type { Vocabulary } from '../../reading/vocabulary.js';
import { isListSentence } from '../../reading/lists.js';
import { sentenceFeatures } from '../../reading/vocab.js';
import { isHeld } from '../../reading/decisions.js';
import { catalogueFor, isNamedTechnology, turnDecisions, type TurnDecisions } from '../../reading/ledger.js';
import { readQuestions, type QuestionPart } from '../../reading/questions.js';
import { AREA_GROUPS, PHASE_CUES } from './areas.js';
import { phaseIndex } from './phases.js';


export interface CandidateTurnAnalysis {
  words: number;
  /** Each question sentence split at "and"/"or"/commas into parts. */
  questionParts: QuestionPart[];
  /** The turn is addressed to the interviewer as a question (ends with one, or is mostly questions). */
  asking: boolean;
  /** "Should I…?", "Does that make sense?": about the interview, not the system. */
  metaQuestion: boolean;
  /** Pushback indices whose option the turn holds (chosen, stated or hedged; not rejected or only weighed), in order of first mention. */
  triggers: number[];
  /** The options the turn names and the stance it takes on each. */
  decisions: TurnDecisions;
  /** Bitmask over AREA_GROUPS of groups mentioned un-negated, outside questions. */
  covered: number;
  /** Where each covered group was first named: the phrase and up to four words after it in its clause, as written. */
  areaPhrases: { group: number; text: string }[];
  /** Bitmask of expected components named outside questions (the first 31). */
  components: number;
  componentCount: number;
  /** Cue hits per phase index (1 estimate … 4 wrap-up), outside questions. */
  cues: [number, number, number, number, number];
  /** Sentences outside questions with a number. */
  numberSentences: number;
  /** Names something specific: a number, a technology, a component, an area. */
  concrete: boolean;
  /**
   * The turn is only a string of names ("Kafka, Redis, Cassandra, sharding, CDN."), with no
   * claim about any of them: the first option it names, as written; else null.
   */
  listed: string | null;
}

type Key =
  | { kind: 'component'; component: number }
  | { kind: 'area'; group: number }
  | { kind: 'cue'; phase: number };

interface CompiledProblem {
  matcher: PhraseMatcher<Key>;
}

/** Words that end an area phrase picked up for an acknowledgement. */
const PHRASE_STOP = new Set([
  'in', 'on', 'to', 'for', 'of', 'the', 'a', 'an', 'and', 'or', 'with', 'by', 'from', 'at', 'per', 'is', 'are', 'was', 'be', 'so',
  'that', 'which', 'it', 'we', 'they', 'holds', 'has', 'have', 'keeps', 'gets', 'goes', 'will', 'would', 'can', 'never', 'when',
  'rather', 'than', 'into', 'within', 'against', 'through', 'across', 'via', 'as', 'if', 'but', 'then', 'fails', 'fail',
]);

const MAX_CACHE = 4096;

/** Words that make a clause a claim about something (a subject, a verb, a reason), not an item of a list. */
/**
 * "Kafka, Redis, Cassandra, sharding, CDN, consistent hashing.": every statement in the turn is a
 * list of names (the grader's reading: reading/lists.ts), and at least three are technologies by
 * name. Returns the first of them, as written.
 */
function bareList(doc: TextDoc, question: ArrayLike<number>, decisions: TurnDecisions): string | null {
  let lists = 0;
  for (let s = 0; s < doc.sentences.length; s++) {
    if (question[s] === 1) continue;
    if (!isListSentence(doc, s)) return null;
    lists++;
  }
  // Technologies by name, not components ("load balancer, API servers, cache, database" is an outline).
  const named = decisions.mentions.filter((m) => m.stance !== 'asked' && isNamedTechnology(doc.text.slice(m.start, m.end)));
  if (lists === 0 || named.length < 3) return null;
  const first = named.reduce((a, b) => (b.start < a.start ? b : a));
  return doc.text.slice(first.start, first.end);
}
const compiled = new WeakMap<LoadedProblem, CompiledProblem>();

function compile(problem: LoadedProblem): CompiledProblem {
  let c = compiled.get(problem);
  if (c) return c;
  const matcher = new PhraseMatcher<Key>();
  problem.components.forEach((component, i) => {
    matcher.add({ kind: 'component', component: i }, component.name);
    for (const synonym of component.synonyms) matcher.add({ kind: 'component', component: i }, synonym);
  });
  AREA_GROUPS.forEach((group, g) => group.patterns.forEach((pattern) => matcher.add({ kind: 'area', group: g }, pattern)));
  for (const [phase, patterns] of Object.entries(PHASE_CUES)) {
    const p = phaseIndex(phase as keyof typeof PHASE_CUES);
    for (const pattern of patterns) matcher.add({ kind: 'cue', phase: p }, pattern);
  }
  c = { matcher };
  compiled.set(problem, c);
  return c;
}

function analyze(problem: LoadedProblem, c: CompiledProblem, text: string, vocabulary: Vocabulary): CandidateTurnAnalysis {
  const doc = analyzeText(text, vocabulary);
  const tokens = doc.tokens;
  const sentenceCount = doc.sentences.length;
  // Questions and the facts each part asks about: the reading layer's question reader.
  const questions = readQuestions(doc, problem.facts, `${problem.title} ${problem.statement}`);
  const question = questions.question;
  let components = 0;
  let componentCount = 0;
  const cues: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let covered = 0;
  const areaPhrases: { group: number; text: string }[] = [];
  let areaHit = false;
  c.matcher.match(doc, (key, first, last) => {
    const inQuestion = question[tokens.sentence(first)] === 1;
    switch (key.kind) {
      case 'component':
        if (!inQuestion && key.component < 31 && !(components & (1 << key.component))) {
          components |= 1 << key.component;
          componentCount++;
        }
        return;
      case 'area':
        // Asking "what's the latency SLO?" is not planning to monitor it.
        if (inQuestion || isNegated(doc, first, last)) return;
        if (!(covered & (1 << key.group))) {
          // The phrase and the noun after it ("idempotency key", "p99 latency"), not the clause.
          let end = last;
          while (end + 1 < tokens.length && end - last < 1 && tokens.sentence(end + 1) === tokens.sentence(first) && !tokens.breakBefore(end + 1) && !PHRASE_STOP.has(tokens.word(end + 1))) end++;
          areaPhrases.push({ group: key.group, text: doc.text.slice(tokens.start(first), tokens.end(end)) });
        }
        covered |= 1 << key.group;
        areaHit = true;
        return;
      case 'cue':
        if (!inQuestion) cues[key.phase] = cues[key.phase]! + 1;
        return;
    }
  });
  // Options the turn holds, through the decision reader (the most specific phrase wins:
  // "cloudflare workers" is about edge compute, not a CDN vendor).
  const decisions = turnDecisions(problem, doc);
  const catalogue = catalogueFor(problem);
  const triggers: number[] = [];
  for (const m of decisions.mentions) {
    if (!isHeld(m.stance)) continue;
    for (const p of catalogue.pushbacks[m.option]!) if (!triggers.includes(p)) triggers.push(p);
  }
  const features = sentenceFeatures(doc);
  let numberSentences = 0;
  let tech = false;
  for (let s = 0; s < sentenceCount; s++) {
    if (question[s]) continue;
    if (features.number[s]) numberSentences++;
    if (features.tech[s]) tech = true;
  }
  const lastIsQuestion = sentenceCount > 0 && question[sentenceCount - 1] === 1;
  // "Do we need Kafka? I don't think so.", "Redis or Memcached? Redis, because…": a question the
  // candidate answers in the next sentence is thinking aloud, not a question to the interviewer.
  let selfAnswered = 0;
  for (let s = 0; s + 1 < sentenceCount; s++) if (question[s] === 1 && question[s + 1] !== 1) selfAnswered++;
  return {
    words: tokens.length,
    questionParts: questions.parts,
    asking: questions.count > 0 && (lastIsQuestion || (questions.count - selfAnswered) * 2 >= sentenceCount),
    metaQuestion: questions.metaQuestion,
    triggers,
    decisions,
    covered,
    areaPhrases,
    components,
    cues,
    componentCount,
    numberSentences,
    concrete: numberSentences > 0 || tech || componentCount > 0 || triggers.length > 0 || areaHit,
    listed: bareList(doc, question, decisions),
  };
}

/** The analysis of one candidate turn's text for this problem (memoised in the session's vocabulary). */
export function analyzeCandidateTurn(problem: LoadedProblem, text: string, vocabulary: Vocabulary): CandidateTurnAnalysis {
  const c = compile(problem);
  const cache = vocabulary.memo(c, vocabulary.generation, () => new Map<string, CandidateTurnAnalysis>());
  let analysis = cache.get(text);
  if (!analysis) {
    if (cache.size >= MAX_CACHE) cache.clear();
    analysis = analyze(problem, c, text, vocabulary);
    cache.set(text, analysis);
  }
  return analysis;
}
