// What one candidate turn says, read once: its questions (and the facts they ask about), the
// technologies that draw a pushback, the probe areas it covers, how concrete it is and which
// phase its content points to. One pass of one phrase matcher (compiled per problem) over the
// grader's tokenisation; results are memoised by text, so a turn is analysed once per session
// however often the engine re-reads the history.
import type { LoadedProblem } from '../../schemas/problem.js';
import { PhraseMatcher, analyzeText, isNegated, type TextDoc } from '../../reading/text.js';
import { sentenceFeatures } from '../../reading/vocab.js';
import { isHeld } from '../../reading/decisions.js';
import { catalogueFor, turnDecisions, type TurnDecisions } from '../../reading/ledger.js';
import { AREA_GROUPS, PHASE_CUES } from './areas.js';
import { phaseIndex } from './phases.js';

export interface QuestionPart {
  /** Facts this part asks about, best first (ties kept, at most two). */
  facts: number[];
  /** Best fact score: ≥ 1 is a clear match, 0.5 an interrogative-only one ("how many"). */
  score: number;
  /** Has a word beyond question words and fillers ("and also?" has none). */
  content: boolean;
  /** The part as written: `text.slice(start, end)`. */
  start: number;
  end: number;
  /** Asks for a share ("what fraction", "what percentage", "how many of them"). */
  share: boolean;
  /** Index of the question sentence the part belongs to. */
  sentence: number;
}

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
}

type Key =
  | { kind: 'fact'; fact: number; ask: number; weight: number }
  | { kind: 'component'; component: number }
  | { kind: 'area'; group: number }
  | { kind: 'cue'; phase: number };

interface CompiledProblem {
  matcher: PhraseMatcher<Key>;
  /** Word → facts whose topic (0.75) or answer (0.3) contains it: a weak extra signal. */
  factWords: Map<string, { fact: number; weight: number }[]>;
  cache: Map<string, CandidateTurnAnalysis>;
}

const INTERROGATIVES = new Set(['how', 'what', "what's", 'whats', 'where', 'when', 'which', 'who', 'why']);
const AUX_START = new Set(['do', 'does', 'did', 'is', 'are', 'can', 'could', 'should', 'will', 'would', 'shall', 'may', 'must', 'have', 'has']);
const AUX_SUBJECT = new Set(['we', 'i', 'you', 'the', 'it', 'users', 'there', 'they', 'this', 'that', 'a', 'an', 'our', 'each', 'links', 'data']);
const WH_SECOND = new Set(['many', 'much', 'long', 'big', 'fast', 'large', 'often', 'is', 'are', 'do', 'does', 'should', 'will', 'would', 'about', 'kind', 'sort', 'type', 'percentage', 'fraction', 'level', 'regions', 'happens']);
const PART_BREAK = new Set(['and', 'or', 'also', 'plus']);
const STOPWORDS = new Set([
  'the', 'and', 'for', 'are', 'how', 'what', 'many', 'much', 'does', 'should', 'will', 'would', 'can', 'could', 'there', 'any',
  'need', 'have', 'has', 'with', 'that', 'this', 'about', 'our', 'you', 'your', 'its', 'per', 'from', 'into', 'must', 'when', 'where',
  'which', 'who', 'why', 'whats', "what's", 'expect', 'assume', 'like', 'some', 'all', 'get', 'use',
]);
/** "Should I…", "does that make sense": questions about the interview itself. */
const META = /^(?:should i|shall i|do you want|want me|would you like|is that (?:ok|okay|fine|alright|right|good)|does (?:that|this) (?:make sense|sound|work|look)|sounds? good|makes sense|am i|can i (?:go|start|move|continue|skip)|where should i|ok to)\b/;

/** Words that end an area phrase picked up for an acknowledgement. */
const PHRASE_STOP = new Set([
  'in', 'on', 'to', 'for', 'of', 'the', 'a', 'an', 'and', 'or', 'with', 'by', 'from', 'at', 'per', 'is', 'are', 'was', 'be', 'so',
  'that', 'which', 'it', 'we', 'they', 'holds', 'has', 'have', 'keeps', 'gets', 'goes', 'will', 'would', 'can', 'never', 'when',
  'rather', 'than', 'into', 'within', 'against', 'through', 'across', 'via', 'as', 'if', 'but', 'then', 'fails', 'fail',
]);

const MAX_CACHE = 4096;
const compiled = new WeakMap<LoadedProblem, CompiledProblem>();

function stem(word: string): string {
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function compile(problem: LoadedProblem): CompiledProblem {
  let c = compiled.get(problem);
  if (c) return c;
  const matcher = new PhraseMatcher<Key>();
  const statementWords = new Set(`${problem.title} ${problem.statement}`.toLowerCase().match(/[a-z0-9']+/g) ?? []);
  problem.facts.forEach((fact, f) =>
    fact.ask.forEach((phrase, a) => {
      const words = phrase.trim().toLowerCase().split(/\s+/);
      // "how many"/"how long" say a question is about a quantity, not which one: weak.
      // A single word the statement itself uses ("limit" in a rate-limiter problem) says little.
      const generic = words.length === 1 && statementWords.has(words[0]!);
      const weight = INTERROGATIVES.has(words[0]!) ? 0.5 : generic ? 0.75 : 1 + 0.25 * (words.length - 1);
      matcher.add({ kind: 'fact', fact: f, ask: a, weight }, phrase);
    }),
  );
  problem.components.forEach((component, i) => {
    matcher.add({ kind: 'component', component: i }, component.name);
    for (const synonym of component.synonyms) matcher.add({ kind: 'component', component: i }, synonym);
  });
  AREA_GROUPS.forEach((group, g) => group.patterns.forEach((pattern) => matcher.add({ kind: 'area', group: g }, pattern)));
  for (const [phase, patterns] of Object.entries(PHASE_CUES)) {
    const p = phaseIndex(phase as keyof typeof PHASE_CUES);
    for (const pattern of patterns) matcher.add({ kind: 'cue', phase: p }, pattern);
  }
  const factWords = new Map<string, { fact: number; weight: number }[]>();
  const addWords = (text: string, fact: number, weight: number) => {
    for (const raw of text.toLowerCase().match(/[a-z0-9']+/g) ?? []) {
      const word = stem(raw);
      if (word.length < 3 || STOPWORDS.has(word) || statementWords.has(raw)) continue;
      const list = factWords.get(word) ?? [];
      if (!list.some((e) => e.fact === fact && e.weight >= weight)) list.push({ fact, weight });
      factWords.set(word, list);
    }
  };
  problem.facts.forEach((fact, f) => {
    addWords(fact.topic, f, 0.75);
    addWords(fact.answer, f, 0.3);
  });
  c = { matcher, factWords, cache: new Map() };
  compiled.set(problem, c);
  return c;
}

/** Whether sentence `s` of the doc is a question: a question mark, or a short interrogative opening. */
export function isQuestionSentence(doc: TextDoc, s: number): boolean {
  const sentence = doc.sentences[s]!;
  if (doc.text.slice(sentence.start, sentence.end).trimEnd().endsWith('?')) return true;
  const { tokenStart, tokenEnd } = sentence;
  if (tokenEnd - tokenStart < 2 || tokenEnd - tokenStart > 20) return false;
  const first = doc.tokens.word(tokenStart);
  const second = doc.tokens.word(tokenStart + 1);
  return (AUX_START.has(first) && AUX_SUBJECT.has(second)) || (INTERROGATIVES.has(first) && WH_SECOND.has(second));
}

function analyze(problem: LoadedProblem, c: CompiledProblem, text: string): CandidateTurnAnalysis {
  const doc = analyzeText(text);
  const tokens = doc.tokens;
  const sentenceCount = doc.sentences.length;
  const question = new Uint8Array(sentenceCount);
  let questions = 0;
  let metaQuestion = false;
  for (let s = 0; s < sentenceCount; s++) {
    if (!isQuestionSentence(doc, s)) continue;
    question[s] = 1;
    questions++;
    const sentence = doc.sentences[s]!;
    if (META.test(doc.text.slice(sentence.start, sentence.end).toLowerCase().replace(/’/g, "'"))) metaQuestion = true;
  }
  // Part number per token of a question sentence (-1 elsewhere).
  const part = new Int32Array(tokens.length).fill(-1);
  let parts = 0;
  for (let s = 0; s < sentenceCount; s++) {
    if (!question[s]) continue;
    const { tokenStart, tokenEnd } = doc.sentences[s]!;
    let current = parts++;
    for (let i = tokenStart; i < tokenEnd; i++) {
      if (i > tokenStart && (PART_BREAK.has(tokens.word(i)) || tokens.breakBefore(i)) && i - tokenStart > 1) current = parts++;
      part[i] = current;
    }
  }
  const partSpan = Array.from({ length: parts }, () => ({ start: -1, end: -1, share: false, sentence: -1 }));
  for (let i = 0; i < tokens.length; i++) {
    const p = part[i]!;
    if (p < 0) continue;
    const span = partSpan[p]!;
    if (span.start < 0) {
      span.start = tokens.start(i);
      span.sentence = tokens.sentence(i);
    }
    span.end = tokens.end(i);
    const w = tokens.word(i);
    if (w === 'fraction' || w === 'percentage' || w === 'percent' || w === 'proportion' || w === 'share' || w === 'ratio') span.share = true;
  }
  const partScores: Map<number, number>[] = Array.from({ length: parts }, () => new Map());
  const partAsks: Set<string>[] = Array.from({ length: parts }, () => new Set());
  let components = 0;
  let componentCount = 0;
  const cues: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let covered = 0;
  const areaPhrases: { group: number; text: string }[] = [];
  let areaHit = false;
  c.matcher.match(doc, (key, first, last) => {
    const inQuestion = question[tokens.sentence(first)] === 1;
    switch (key.kind) {
      case 'fact': {
        const p = part[first]!;
        if (p < 0) return;
        const id = `${key.fact}:${key.ask}`;
        if (partAsks[p]!.has(id)) return;
        partAsks[p]!.add(id);
        partScores[p]!.set(key.fact, (partScores[p]!.get(key.fact) ?? 0) + key.weight);
        return;
      }
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
  const decisions = turnDecisions(problem, text, doc);
  const catalogue = catalogueFor(problem);
  const triggers: number[] = [];
  for (const m of decisions.mentions) {
    if (!isHeld(m.stance)) continue;
    for (const p of catalogue.pushbacks[m.option]!) if (!triggers.includes(p)) triggers.push(p);
  }
  // Weak extra signal: question words found in a fact's topic or answer.
  for (let i = 0; i < tokens.length; i++) {
    const p = part[i]!;
    if (p < 0) continue;
    const word = stem(tokens.word(i));
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    const entries = c.factWords.get(word);
    if (!entries) continue;
    for (const e of entries) {
      const id = `w${e.fact}:${word}`;
      if (partAsks[p]!.has(id)) continue;
      partAsks[p]!.add(id);
      partScores[p]!.set(e.fact, (partScores[p]!.get(e.fact) ?? 0) + e.weight);
    }
  }
  const partContent = new Uint8Array(parts);
  for (let i = 0; i < tokens.length; i++) {
    const p = part[i]!;
    if (p < 0) continue;
    const word = tokens.word(i);
    if (word.length >= 3 && !STOPWORDS.has(word) && !PART_BREAK.has(word)) partContent[p] = 1;
  }
  const questionParts: QuestionPart[] = partScores.map((scores, p) => {
    let best = 0;
    for (const v of scores.values()) best = Math.max(best, v);
    const content = partContent[p] === 1;
    const span = partSpan[p]!;
    if (best < 0.5) return { facts: [], score: best, content, start: span.start, end: span.end, share: span.share, sentence: span.sentence };
    const facts = [...scores].filter(([, v]) => v === best).map(([f]) => f).sort((a, b) => a - b).slice(0, 2);
    return { facts, score: best, content, start: span.start, end: span.end, share: span.share, sentence: span.sentence };
  });
  const features = sentenceFeatures(doc);
  let numberSentences = 0;
  let tech = false;
  for (let s = 0; s < sentenceCount; s++) {
    if (question[s]) continue;
    if (features.number[s]) numberSentences++;
    if (features.tech[s]) tech = true;
  }
  const lastIsQuestion = sentenceCount > 0 && question[sentenceCount - 1] === 1;
  return {
    words: tokens.length,
    questionParts,
    asking: questions > 0 && (lastIsQuestion || questions * 2 >= sentenceCount),
    metaQuestion,
    triggers,
    decisions,
    covered,
    areaPhrases,
    components,
    cues,
    componentCount,
    numberSentences,
    concrete: numberSentences > 0 || tech || componentCount > 0 || triggers.length > 0 || areaHit,
  };
}

/** The analysis of one candidate turn's text for this problem (memoised). */
export function analyzeCandidateTurn(problem: LoadedProblem, text: string): CandidateTurnAnalysis {
  const c = compile(problem);
  let analysis = c.cache.get(text);
  if (!analysis) {
    if (c.cache.size >= MAX_CACHE) c.cache.clear();
    analysis = analyze(problem, c, text);
    c.cache.set(text, analysis);
  }
  return analysis;
}
