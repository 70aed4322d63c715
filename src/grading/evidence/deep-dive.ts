// Deep dive as sustained depth on one part of the design, whatever words introduce it: the
// candidate's sentences are grouped by the component they are about (a sentence that names none
// continues the component of the sentence before it, and an answer continues the component the
// interviewer asked about), and each component is scored by how much distinct detail it got and
// of how many kinds (src/reading/depth.ts): how it works, numbers, failure behaviour,
// consistency and concurrency, and alternatives compared. "Let me deep dive into X" announces
// depth and adds none; a buzzword list, a question, a sentence that declines the work and a
// sentence said before (repetition) add nothing either.
//
// Score curve (tests pin it):
//   n = distinct detailed sentences about the component, each weighted by its length (20 words
//       count 1, at most 2), saturating at SUSTAINED
//   k = kinds of detail among mechanism, numbers, failure, consistency, comparison (0..5; a kind
//       counts 1 from three sentences on, a third per sentence below)
//   v(topic) = min(1, n / SUSTAINED)^0.6 · (k / 5)^0.8                      (0..1)
//   V = v1 + v2 / 3 + v3 / 9 + …  over topics, deepest first, capped at 1
//   score = 1 + 4 · V
// One part explained in full reaches 5 on its own; several parts each explained in part add up
// to less (a plain-words monologue that names no component gets a topic per paragraph).
import type { Evidence } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { compileComponents, isAnnouncement } from './concepts.js';
import { isListSentence } from '../../reading/lists.js';
import { result, type EvidenceContext } from './context.js';
import { catalogueFor } from '../../reading/ledger.js';
import { DEPTH_BIT, sentenceDepth } from '../../reading/depth.js';
import { isQuestionSentence } from '../../reading/questions.js';
import { PhraseMatcher, clampScore, isNegated, isRefusal, quoteAround, sentenceKey, type TextDoc } from '../../reading/text.js';
import { sentenceFeatures } from '../../reading/vocab.js';

const SUSTAINED = 14;
/** A sentence this short that names no component is a section title. */
const HEADING_WORDS = 5;
/** Words in one unit of detail (a sentence of this length counts 1). */
const SENTENCE_UNIT_WORDS = 20;
const KIND_SENTENCES = 3;
/** A sentence that names no component continues the last one named this many sentences back. */
const CONTINUE_REACH = 3;
/** Further topics worth naming in the notes and quoting. */
const EXTRA_TOPIC_AT = 0.4;
const MAX_EXTRA_TOPICS = 2;
/** Set bits per 5-bit kinds mask. */
const KIND_COUNT = Uint8Array.from({ length: 32 }, (_, m) => ((m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1) + ((m >> 4) & 1)));
const KIND_NAMES = ['how it works', 'numbers', 'failure behaviour', 'consistency or concurrency', 'alternatives compared'] as const;

interface Topic {
  name: string;
  sentences: number;
  /** Sentences per KIND_NAMES entry. */
  kindCounts: number[];
  /** Distinct phrases that named it ("token bucket", "sliding window"): two named rivals are a comparison. */
  phrases: Set<string>;
  /** The most detailed sentence, and the first failure sentence, for quotes. */
  best: { doc: TextDoc; sentence: number; turn: number; weight: number } | null;
  failure: { doc: TextDoc; sentence: number; turn: number } | null;
}

/** Kinds of detail, each worth 1 from KIND_SENTENCES sentences on (one sentence of a kind is half). */
function kindCoverage(counts: readonly number[]): number {
  return counts.reduce((sum, c) => sum + Math.min(1, c / KIND_SENTENCES), 0);
}

export function topicDepth(sentences: number, kinds: number): number {
  if (sentences <= 0 || kinds <= 0) return 0;
  return Math.pow(Math.min(1, sentences / SUSTAINED), 0.6) * Math.pow(Math.min(5, kinds) / 5, 0.8);
}

/** The documented curve: topic depths (any order) → 1–5. */
export function deepDiveScore(depths: readonly number[]): number {
  const sorted = [...depths].sort((a, b) => b - a);
  let v = 0;
  sorted.forEach((d, i) => (v += d / 3 ** i));
  return clampScore(1 + 4 * Math.min(1, v));
}

/** Whether the gap between two sentences holds a blank line (a paragraph break). */
function blankLineBetween(text: string, from: number, to: number): boolean {
  let newlines = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (++newlines === 2) return true;
    } else if (c !== 32 && c !== 9 && c !== 13) newlines = 0;
  }
  return false;
}

interface TopicSource {
  matcher: PhraseMatcher<number>;
  name(key: number): string;
  topicOf(key: number): number;
}

const sources = new WeakMap<object, TopicSource>();

/** The topics a (short) turn names, in order, once each. */
function topicsNamed(doc: TextDoc, source: TopicSource): number[] {
  const found: number[] = [];
  source.matcher.match(doc, (key) => {
    const t = source.topicOf(key);
    if (!found.includes(t)) found.push(t);
  });
  return found;
}

function topicSource(ctx: EvidenceContext): TopicSource {
  const problem = ctx.input.problem;
  const key: object = problem && problem.components.length > 0 ? problem : catalogueFor(null);
  let source = sources.get(key);
  if (source) return source;
  if (problem && problem.components.length > 0) {
    source = { matcher: compileComponents(problem), name: (k) => problem.components[k]!.name, topicOf: (k) => k };
  } else {
    const catalogue = catalogueFor(null);
    source = { matcher: catalogue.matcher, name: (k) => catalogue.names[k]!, topicOf: (k) => catalogue.family[k]! };
  }
  sources.set(key, source);
  return source;
}

export function analyzeDeepDive(ctx: EvidenceContext, _dimension: Dimension): ReturnType<typeof result> {
  const source = topicSource(ctx);
  const topics = new Map<number, Topic>();
  const said = new Set<number>();
  /** Where each anonymous topic (a paragraph that names no component) starts, for its name. */
  const anonymousStarts = new Map<number, { doc: TextDoc; sentence: number }>();
  const anonymousName = (id: number): string => {
    const { doc, sentence } = anonymousStarts.get(id)!;
    const { start, end, tokenStart, tokenEnd } = doc.sentences[sentence]!;
    return tokenEnd - tokenStart <= 5 ? doc.text.slice(start, end).replace(/[.:]\s*$/, '') : `the part starting "${doc.text.slice(start, Math.min(end, start + 40)).trim()}…"`;
  };
  let current: number[] = [];
  let sinceMention = 0;
  let anonymous = 0;
  let askedTopics: number[] = [];
  for (const turn of ctx.turns) {
    if (turn.role !== 'candidate') {
      // The interviewer's question sets the topic the answer continues.
      const asked = topicsNamed(ctx.doc(turn.index), source);
      if (asked.length > 0) {
        current = asked;
        askedTopics = asked;
        sinceMention = 0;
      }
      continue;
    }
    const doc = ctx.doc(turn.index);
    // Topics named in each sentence (un-negated), by topic id, and the phrases that named them
    // (first and last word: "token bucket" and "sliding window" are two rivals for one part).
    const named = new Map<number, number[]>();
    const phrases = new Map<number, number[]>();
    source.matcher.match(doc, (key, first, last) => {
      if (isNegated(doc, first, last)) return;
      const s = doc.tokens.sentence(first);
      const t = source.topicOf(key);
      const list = named.get(s);
      if (!list) named.set(s, [t]);
      else if (!list.includes(t)) list.push(t);
      // Token positions now, words only for sentences that turn out to carry detail.
      const ps = phrases.get(s);
      if (!ps) phrases.set(s, [first, last]);
      else ps.push(first, last);
    });
    const features = sentenceFeatures(doc);
    const depth = sentenceDepth(doc);
    // An answer stays on what the interviewer asked about: components named along the way are
    // added to it ("the gateway falls back to a local bucket" still answers about the counter
    // store). Elsewhere the component named last is the topic, and a paragraph that names none
    // ("Overall shape." in plain words) is a topic of its own.
    let anchor: number[] = askedTopics;
    askedTopics = [];
    let titleAt = -2;
    for (let s = 0; s < doc.sentences.length; s++) {
      const { start, end, tokenStart, tokenEnd } = doc.sentences[s]!;
      const paragraphStart = s > 0 && blankLineBetween(doc.text, doc.sentences[s - 1]!.end, start);
      // A new paragraph drops the anchor, unless the paragraph before was only a section title.
      if (paragraphStart && !(titleAt === s - 1)) anchor = [];
      const namedHere = named.get(s);
      if (namedHere) {
        current = anchor.length === 0 ? namedHere : [...new Set([...anchor, ...namedHere])];
        sinceMention = 0;
      } else if (paragraphStart || (s === 0 && anchor.length === 0 && ++sinceMention > CONTINUE_REACH) || current.length === 0) {
        const id = -1 - anonymous++;
        anonymousStarts.set(id, { doc, sentence: s });
        current = [id];
        sinceMention = 0;
        // A section title ("Repeated requests in depth.") names the paragraph's topic: what
        // follows stays on it, with the components it names added.
        if (tokenEnd - tokenStart <= HEADING_WORDS) {
          anchor = [id];
          titleAt = s;
        }
      } else if (++sinceMention > CONTINUE_REACH && anchor.length > 0) current = anchor;
      const d = depth.kinds[s]!;
      // Kinds of detail as bits (KIND_NAMES order), so no array per sentence.
      let kinds = 0;
      if (d & DEPTH_BIT.mechanism) kinds |= 1;
      if (features.number[s]) kinds |= 2;
      if (d & DEPTH_BIT.failure) kinds |= 4;
      if (d & DEPTH_BIT.consistency) kinds |= 8;
      if (d & DEPTH_BIT.comparison) kinds |= 16;
      if (kinds === 0) continue;
      if (isQuestionSentence(doc, s) || isAnnouncement(doc, s) || isRefusal(doc, s) || isListSentence(doc, s)) continue;
      // Said before, word for word: repetition adds nothing.
      const key = sentenceKey(doc, s);
      if (said.has(key)) continue;
      said.add(key);
      const weight = KIND_COUNT[kinds]!;
      for (const t of current) {
        let topic = topics.get(t);
        if (!topic) {
          topic = { name: t < 0 ? anonymousName(t) : source.name(t), sentences: 0, kindCounts: [0, 0, 0, 0, 0], phrases: new Set(), best: null, failure: null };
          topics.set(t, topic);
        }
        // A long, dense sentence carries more than a short one: up to two units.
        topic.sentences += Math.min(2, Math.max(0.5, (tokenEnd - tokenStart) / SENTENCE_UNIT_WORDS));
        for (let k = 0; k < 5; k++) if (kinds & (1 << k)) topic.kindCounts[k]!++;
        const phrasesHere = phrases.get(s);
        if (phrasesHere && t >= 0) {
          for (let k = 0; k < phrasesHere.length; k += 2) topic.phrases.add(`${doc.tokens.word(phrasesHere[k]!)} ${doc.tokens.word(phrasesHere[k + 1]!)}`);
          // Two named rivals for the same part ("token bucket", "sliding window") are a comparison.
          if (topic.phrases.size === 2) topic.kindCounts[4]! += 1;
        }
        if (!topic.best || weight > topic.best.weight) topic.best = { doc, sentence: s, turn: turn.index, weight };
        if (!topic.failure && kinds & 4) topic.failure = { doc, sentence: s, turn: turn.index };
      }
    }
    // A turn that is only a section title: the next turn (its paragraph) stays on it.
    if (doc.sentences.length === 1 && anchor.length === 1 && anchor[0]! < 0) askedTopics = anchor;
  }
  const ranked = [...topics.values()].map((t) => ({ t, depth: topicDepth(t.sentences, kindCoverage(t.kindCounts)) })).sort((a, b) => b.depth - a.depth || b.t.sentences - a.t.sentences);
  if (ranked.length === 0 || ranked[0]!.depth <= 0) {
    return result(1, { missing: ['no part of the design explained in detail (how it works, numbers, failure behaviour, consistency, alternatives)'], notes: ['no sustained detail on any component'] });
  }
  const best = ranked[0]!;
  const score = deepDiveScore(ranked.map((r) => r.depth));
  const extras = ranked.slice(1).filter((r) => r.depth >= EXTRA_TOPIC_AT).slice(0, MAX_EXTRA_TOPICS);
  const kindsOf = (t: Topic) => KIND_NAMES.filter((_, i) => t.kindCounts[i]! > 0);
  const evidence: Evidence[] = [];
  for (const { t } of [best, ...extras]) {
    if (t.best && evidence.length < 4) evidence.push({ quote: quoteAround(t.best.doc, t.best.sentence), turn: t.best.turn, note: `${t.name}: ${kindsOf(t).join(', ')}` });
    if (t.failure && t.failure.sentence !== t.best?.sentence && evidence.length < 4) {
      evidence.push({ quote: quoteAround(t.failure.doc, t.failure.sentence), turn: t.failure.turn, note: `${t.name}: failure behaviour` });
    }
  }
  // Sentences are weighted by length (a long one counts up to 2): shown to one decimal.
  const count = (n: number) => String(Math.round(n * 10) / 10);
  const missingKinds = KIND_NAMES.filter((_, i) => best.t.kindCounts[i] === 0);
  const missing = missingKinds.map((k) => `${best.t.name}: no ${k}`);
  if (best.t.sentences < SUSTAINED) missing.push(`${best.t.name}: ${count(best.t.sentences)} detailed sentence${best.t.sentences === 1 ? '' : 's'}; a deep dive stays on one part for ${SUSTAINED} or more`);
  const notes = [
    `deepest: ${best.t.name} (${count(best.t.sentences)} distinct detailed sentence${best.t.sentences === 1 ? '' : 's'}; ${kindsOf(best.t).join(', ')})`,
    ...extras.map((r) => `also deep: ${r.t.name} (${count(r.t.sentences)} sentences)`),
  ];
  return result(score, { evidence, missing, notes });
}
