// Questions in a candidate turn, read once for the interviewer (which answers them from the
// problem's fact sheet) and the grader (which credits the requirements they establish): which
// sentences are questions, each question split at "and"/"or"/commas into parts, and the facts
// each part asks about. Facts come in as plain data ({topic, ask, answer}), so this folder
// still imports nothing else of the project.
import { PhraseMatcher, type TextDoc } from './text.js';

/** A fact sheet entry as the reader needs it (the problem schema's Fact). */
export interface AskableFact {
  topic: string;
  /** Words in a clarifying question that this fact answers. */
  ask: readonly string[];
  answer: string;
}

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

export interface TurnQuestions {
  /** 1 per sentence that is a question. */
  question: Uint8Array;
  count: number;
  parts: QuestionPart[];
  /** "Should I…?", "Does that make sense?": about the interview, not the system. */
  metaQuestion: boolean;
  /** 1 per sentence that is such a meta question. */
  meta: Uint8Array;
}

export const INTERROGATIVES = new Set(['how', 'what', "what's", 'whats', 'where', 'when', 'which', 'who', 'why']);
const AUX_START = new Set(['do', 'does', 'did', 'is', 'are', 'can', 'could', 'should', 'will', 'would', 'shall', 'may', 'must', 'have', 'has']);
const AUX_SUBJECT = new Set(['we', 'i', 'you', 'the', 'it', 'users', 'there', 'they', 'this', 'that', 'a', 'an', 'our', 'each', 'links', 'data']);
const WH_SECOND = new Set(['many', 'much', 'long', 'big', 'fast', 'large', 'often', 'is', 'are', 'do', 'does', 'should', 'will', 'would', 'about', 'kind', 'sort', 'type', 'percentage', 'fraction', 'level', 'regions', 'happens']);
export const PART_BREAK = new Set(['and', 'or', 'also', 'plus']);
export const STOPWORDS = new Set([
  'the', 'and', 'for', 'are', 'how', 'what', 'many', 'much', 'does', 'should', 'will', 'would', 'can', 'could', 'there', 'any',
  'need', 'have', 'has', 'with', 'that', 'this', 'about', 'our', 'you', 'your', 'its', 'per', 'from', 'into', 'must', 'when', 'where',
  'which', 'who', 'why', 'whats', "what's", 'expect', 'assume', 'like', 'some', 'all', 'get', 'use',
]);
/** "Should I…", "does that make sense": questions about the interview itself. */
const META = /^(?:should i|shall i|do you want|want me|would you like|what do you think|what would you (?:do|prefer|pick|suggest|recommend)|any (?:thoughts|preference)|do you (?:agree|prefer)|is that (?:ok|okay|fine|alright|right|good)|does (?:that|this) (?:make sense|sound|work|look)|sounds? good|makes sense|am i|can i (?:go|start|move|continue|skip)|where should i|ok to)\b/;
const SHARE_WORDS = new Set(['fraction', 'percentage', 'percent', 'proportion', 'share', 'ratio']);

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

const YES_FIRST = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'definitely', 'absolutely', 'certainly', 'correct', 'probably', 'likely', 'of']);
const NO_FIRST = new Set(['no', 'nope', 'nah', 'never', 'not', 'later', 'unlikely', 'hardly', 'nothing', 'none']);

/**
 * How the candidate answers their own question, read from the next sentence: 1 yes ("Do we need
 * a cache? Yes."), -1 no ("Do we need Kafka? I don't think so.", "Later."), 0 not answered there
 * (the question is left to the interviewer, or the next sentence makes its own claim).
 */
export function selfAnswer(doc: TextDoc, s: number): -1 | 0 | 1 {
  const next = doc.sentences[s + 1];
  if (!next || isQuestionSentence(doc, s + 1) || next.tokenEnd <= next.tokenStart) return 0;
  const w = (k: number) => (next.tokenStart + k < next.tokenEnd ? doc.tokens.word(next.tokenStart + k) : '');
  const first = w(0);
  // "Probably not", "Of course not", "I don't think so", "We don't", "Not yet".
  if (w(1) === 'not' || (first === 'of' && w(2) === 'not')) return -1;
  if ((first === 'i' || first === 'we') && /^(?:don't|do|doubt)$/.test(w(1)) && (w(1) !== 'do' || w(2) === 'not')) return -1;
  if (NO_FIRST.has(first)) return -1;
  if (first === 'of' && w(1) !== 'course') return 0;
  if (YES_FIRST.has(first) || ((first === 'i' || first === 'we') && (w(1) === 'do' || (w(1) === 'think' && w(2) === 'so')))) return 1;
  return 0;
}

export function stem(word: string): string {
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

interface FactKey {
  fact: number;
  ask: number;
  weight: number;
}

interface CompiledFacts {
  matcher: PhraseMatcher<FactKey>;
  /** Word → facts whose topic (0.75) or answer (0.3) contains it: a weak extra signal. */
  factWords: Map<string, { fact: number; weight: number }[]>;
}

const compiledFacts = new WeakMap<readonly AskableFact[], CompiledFacts>();

/**
 * The fact sheet's ask phrases in one matcher. `statement` is the problem's title and statement:
 * a single ask word the statement itself uses ("limit" in a rate-limiter problem) says little.
 */
function compileFacts(facts: readonly AskableFact[], statement: string): CompiledFacts {
  let c = compiledFacts.get(facts);
  if (c) return c;
  const matcher = new PhraseMatcher<FactKey>();
  const statementWords = new Set(statement.toLowerCase().match(/[a-z0-9']+/g) ?? []);
  facts.forEach((fact, f) =>
    fact.ask.forEach((phrase, a) => {
      const words = phrase.trim().toLowerCase().split(/\s+/);
      // "how many"/"how long" say a question is about a quantity, not which one: weak.
      const generic = words.length === 1 && statementWords.has(words[0]!);
      const weight = INTERROGATIVES.has(words[0]!) ? 0.5 : generic ? 0.75 : 1 + 0.25 * (words.length - 1);
      matcher.add({ fact: f, ask: a, weight }, phrase);
    }),
  );
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
  facts.forEach((fact, f) => {
    addWords(fact.topic, f, 0.75);
    addWords(fact.answer, f, 0.3);
  });
  c = { matcher, factWords };
  compiledFacts.set(facts, c);
  return c;
}

/** The questions of one turn and the facts each part asks about (no facts: parts without facts). */
export function readQuestions(doc: TextDoc, facts: readonly AskableFact[] = [], statement = ''): TurnQuestions {
  const tokens = doc.tokens;
  const sentenceCount = doc.sentences.length;
  const question = new Uint8Array(sentenceCount);
  const meta = new Uint8Array(sentenceCount);
  let count = 0;
  let metaQuestion = false;
  for (let s = 0; s < sentenceCount; s++) {
    if (!isQuestionSentence(doc, s)) continue;
    question[s] = 1;
    count++;
    const sentence = doc.sentences[s]!;
    const lower = doc.text.slice(sentence.start, sentence.end).toLowerCase().replace(/’/g, "'");
    // At the start, or as the last clause: "Redis or Memcached, what would you pick?"
    if (META.test(lower) || META.test(lower.slice(lower.lastIndexOf(',') + 1).trimStart())) {
      meta[s] = 1;
      metaQuestion = true;
    }
  }
  if (count === 0) return { question, count, parts: [], metaQuestion, meta };
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
  const partContent = new Uint8Array(parts);
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
    if (SHARE_WORDS.has(w)) span.share = true;
    if (w.length >= 3 && !STOPWORDS.has(w) && !PART_BREAK.has(w)) partContent[p] = 1;
  }
  const partScores: Map<number, number>[] = Array.from({ length: parts }, () => new Map());
  if (facts.length > 0) {
    const c = compileFacts(facts, statement);
    const partAsks: Set<string>[] = Array.from({ length: parts }, () => new Set());
    c.matcher.match(doc, (key, first) => {
      const p = part[first]!;
      if (p < 0) return;
      const id = `${key.fact}:${key.ask}`;
      if (partAsks[p]!.has(id)) return;
      partAsks[p]!.add(id);
      partScores[p]!.set(key.fact, (partScores[p]!.get(key.fact) ?? 0) + key.weight);
    });
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
  }
  const questionParts: QuestionPart[] = partScores.map((scores, p) => {
    let best = 0;
    for (const v of scores.values()) best = Math.max(best, v);
    const span = partSpan[p]!;
    // A question about the interview ("What do you think?") asks for no fact.
    const content = partContent[p] === 1 && meta[span.sentence] !== 1;
    const found = best < 0.5 ? [] : [...scores].filter(([, v]) => v === best).map(([f]) => f).sort((a, b) => a - b).slice(0, 2);
    return { facts: found, score: best, content, start: span.start, end: span.end, share: span.share, sentence: span.sentence };
  });
  return { question, count, parts: questionParts, metaQuestion, meta };
}
