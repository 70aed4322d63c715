// The default analyzer: which of a dimension's signal groups the candidate covered, and how
// deeply. A hit counts only in a candidate turn and only when not negated ("we don't need
// monitoring"). A hit in a sentence that also carries specifics — a number, a named
// technology, a reason ("because", "so that") — is deeper than a bare mention.
//
// Score curve (documented; tests pin it):
//   c = covered groups / all groups                (0..1)
// A sentence that only announces ("Let me deep dive into X.") or declines the work ("I'm not going
// to estimate…") is not a hit. A buzzword list (4+ items under 3.5 words each, hardly a function
// word: isListSentence) names things without saying anything about them: its hits have no
// depth, and a group only ever named in one counts 0.15.
//   C = c ** 0.75                                  (concave: the first groups matter most)
//   d = mean over covered groups of min(depth, 2) / 2, depth = kinds of specifics in the best sentence
//   score = 1 + 3·C + 1·C·d                        (no hits → 1; all groups bare → 4; all deep → 5)
// For `architecture` with a known problem, c is the mean of signal coverage and expected
// component coverage (components only, when the dimension has no signals).
import type { Evidence } from '../../schemas/report.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Dimension, Rubric } from '../../schemas/rubric.js';
import { result, type EvidenceContext } from './context.js';
import { PhraseMatcher, clampScore, isNegated, isRefusal, quoteTokens, type TextDoc } from '../../reading/text.js';
import { sentenceFeatures, type SentenceFeatures } from '../../reading/vocab.js';
import { plainAliases } from '../../reading/plain-words.js';
import { isQuestionSentence, selfAnswer } from '../../reading/questions.js';
import { isListSentence } from '../../reading/lists.js';

/** A pattern and its plain-words aliases ("three copies" for replica*), all under one key. */
function addWithAliases<K>(matcher: PhraseMatcher<K>, key: K, pattern: string): void {
  matcher.add(key, pattern);
  for (const alias of plainAliases(pattern)) matcher.add(key, alias);
}

const MAX_EVIDENCE = 4;
/**
 * How much a group that is only named counts towards coverage (a hit with specifics counts 1).
 * 1 for now: the depth flags (figure, technology, reason) miss too many concrete sentences to
 * discount bare mentions without calibrating against test/calibration first.
 */
const BARE_WEIGHT = 1;
/** A group only ever named inside a buzzword list (4+ hits across 3+ dimensions, under 3.5 words each). */
const LIST_WEIGHT = 0.15;
const MAX_MISSING = 8;

interface CompiledRubric {
  matcher: PhraseMatcher<number>;
  dimensionIndex: Map<string, number>;
  /** Dense key per (dimension, signal group): groupKeys[d][g]. */
  groupKeys: number[][];
  groupCount: number;
  /** Dimension index per key. */
  dimensionOf: Int32Array;
}

const rubricCache = new WeakMap<Rubric, CompiledRubric>();

/** Every dimension's signal patterns in one matcher, compiled once per rubric object. */
export function compileRubric(rubric: Rubric): CompiledRubric {
  let compiled = rubricCache.get(rubric);
  if (compiled) return compiled;
  const matcher = new PhraseMatcher<number>();
  const dimensionIndex = new Map<string, number>();
  const groupKeys: number[][] = [];
  let groupCount = 0;
  rubric.dimensions.forEach((dimension, d) => {
    dimensionIndex.set(dimension.id, d);
    groupKeys.push(
      dimension.signals.map((signal) => {
        const key = groupCount++;
        for (const pattern of signal.patterns) addWithAliases(matcher, key, pattern);
        return key;
      }),
    );
  });
  const dimensionOf = new Int32Array(groupCount);
  groupKeys.forEach((keys, d) => keys.forEach((key) => (dimensionOf[key] = d)));
  compiled = { matcher, dimensionIndex, groupKeys, groupCount, dimensionOf };
  rubricCache.set(rubric, compiled);
  return compiled;
}

/**
 * The rubric's signal patterns and the problem's components in one matcher (component i is key
 * groupCount + i), so candidate turns are scanned once for both. Each key's patterns are added
 * in the same order as in a matcher of its own, so each key sees the same hits in the same order.
 */
const combinedCache = new WeakMap<Rubric, WeakMap<LoadedProblem, PhraseMatcher<number>>>();

function compileCombined(rubric: Rubric, problem: LoadedProblem): PhraseMatcher<number> {
  let byProblem = combinedCache.get(rubric);
  if (!byProblem) {
    byProblem = new WeakMap();
    combinedCache.set(rubric, byProblem);
  }
  let matcher = byProblem.get(problem);
  if (!matcher) {
    const m = new PhraseMatcher<number>();
    let key = 0;
    for (const dimension of rubric.dimensions) {
      for (const signal of dimension.signals) {
        for (const pattern of signal.patterns) addWithAliases(m, key, pattern);
        key++;
      }
    }
    problem.components.forEach((component, i) => {
      addWithAliases(m, key + i, component.name);
      for (const synonym of component.synonyms) addWithAliases(m, key + i, synonym);
    });
    byProblem.set(problem, m);
    matcher = m;
  }
  return matcher;
}

/** A signal or component hit in a candidate turn. */
export interface ConceptHit {
  turn: number;
  doc: TextDoc;
  first: number;
  last: number;
}

/** Best hit per group, plus whether the group was only ever dismissed. */
export interface GroupCoverage {
  best: ConceptHit | null;
  /** Only ever named inside a buzzword list. */
  listedOnly: boolean;
  depth: number;
  kinds: string[];
  negatedOnly: boolean;
}

/**
 * Per key, the deepest hit that is not negated (earliest among equals), kept while matching:
 * hits are seen in the order a scan of all of them would visit (candidate turn, then token), so
 * a hit no deeper than the best so far is dropped on the spot and nothing is stored per hit.
 * Negation is checked only for a hit that would become the best.
 */
interface KeyCoverage {
  /** Whether the key was hit at all. */
  seen: Uint8Array;
  /** Depth of the best hit, -1 when none. */
  depth: Int8Array;
  /** Candidate turn position, first and last token of the best hit. */
  position: Int32Array;
  first: Int32Array;
  last: Int32Array;
  /** 1 when the key was hit outside a buzzword list at least once. */
  outsideList: Uint8Array;
}

const ANNOUNCE = /^(?:ok(?:ay)?,?\s+|so,?\s+|now,?\s+|next,?\s+)*(?:let me|let's|let us|i'll|i will|i'm going to|i am going to|i want to|i'd like to|time to)\s+(?:now\s+)?(?:deep[- ]dive|dive|dig|go deeper|go deep|zoom|drill|look|talk|move|get|turn)\b/;

/** A sentence that only announces what comes next ("Let me deep dive into the counting algorithm."). */
const ANNOUNCE_FIRST = new Set(['ok', 'okay', 'so', 'now', 'next', 'let', "let's", 'i', "i'll", "i'm", 'time']);

const RECAP = /^(?:so,?\s+)?(?:summary|in summary|to summari[sz]e|to sum up|in short|recap|to recap|overall)\b/;
const RECAP_FIRST = new Set(['so', 'summary', 'in', 'to', 'recap', 'overall']);

/** A sentence that recaps the design ("Summary: …", "To sum up, …", "In short, …"). */
export function isRecap(doc: TextDoc, sentence: number): boolean {
  const { start, end, tokenStart, tokenEnd } = doc.sentences[sentence]!;
  if (tokenEnd <= tokenStart || !RECAP_FIRST.has(doc.tokens.word(tokenStart))) return false;
  return RECAP.test(doc.text.slice(start, Math.min(end, start + 40)).toLowerCase());
}

export function isAnnouncement(doc: TextDoc, sentence: number): boolean {
  const { start, end, tokenStart, tokenEnd } = doc.sentences[sentence]!;
  if (tokenEnd - tokenStart > 14 || !ANNOUNCE_FIRST.has(doc.tokens.word(tokenStart))) return false;
  return ANNOUNCE.test(doc.text.slice(start, end).toLowerCase().replace(/’/g, "'"));
}

/**
 * `asks[key]`: the key is evidence inside a question left to the interviewer (the requirements
 * dimension's clarifying questions). Any other key named in a question counts only when the
 * candidate answers it yes in the next sentence ("Do we need a cache? Yes."), and then as a
 * claim, not a clarifying question: "Is Postgres enough?" and "Do we need Kafka? I don't think
 * so." claim nothing about the design.
 */
function collect(ctx: EvidenceContext, matcher: PhraseMatcher<number>, keys: number, asks: Uint8Array | null = null): KeyCoverage {
  const cov: KeyCoverage = {
    seen: new Uint8Array(keys),
    depth: new Int8Array(keys).fill(-1),
    position: new Int32Array(keys),
    first: new Int32Array(keys),
    last: new Int32Array(keys),
    outsideList: new Uint8Array(keys),
  };
  // This document's hits (key, sentence), to learn after the scan which were in a list.
  const docHits: number[] = [];
  const { seen, depth: bestDepth, position: bestPosition, first: bestFirst, last: bestLast } = cov;
  let position = 0;
  let doc: TextDoc | null = null;
  let features: SentenceFeatures | null = null;
  let hitsPerSentence: Uint16Array | null = null;
  let announcement: Int8Array | null = null;
  let recap: Int8Array | null = null;
  /** Per sentence: 2 a statement, else a question's selfAnswer (1 yes, 0 open, -1 no); -2 not read yet. */
  let question: Int8Array | null = null;
  const onHit = (key: number, first: number, last: number): void => {
    const sentence = doc!.tokens.sentence(first);
    if (question === null) question = new Int8Array(doc!.sentences.length).fill(-2);
    if (question[sentence] === -2) question[sentence] = isQuestionSentence(doc!, sentence) ? selfAnswer(doc!, sentence) : 2;
    const q = question[sentence]!;
    if (q !== 2) {
      const asking = asks !== null && asks[key] === 1;
      // Open: a question's own evidence only. Answered yes: a claim, not a question. Answered no: nothing.
      if (q === -1 || (q === 0 && !asking) || (q === 1 && asking)) return;
    }
    // "Let me deep dive into the algorithm." announces depth; it is not depth.
    if (announcement === null) announcement = new Int8Array(doc!.sentences.length).fill(-1);
    // "I'm not going to estimate the 91 TB": declined, not claimed.
    if (announcement[sentence] === -1) announcement[sentence] = isAnnouncement(doc!, sentence) || isRefusal(doc!, sentence) ? 1 : 0;
    if (announcement[sentence] === 1) return;
    seen[key] = 1;
    if (features === null) features = sentenceFeatures(doc!);
    (hitsPerSentence ??= new Uint16Array(doc!.sentences.length))[sentence]!++;
    docHits.push(key, sentence);
    // A recap ("Summary: stateless API, Cassandra sharded by code…") names what was explained
    // elsewhere: it covers the group but carries no depth, so the explanation is the evidence.
    if (recap === null) recap = new Int8Array(doc!.sentences.length).fill(-1);
    if (recap[sentence] === -1) recap[sentence] = isRecap(doc!, sentence) ? 1 : 0;
    const depth = recap[sentence] === 1 ? 0 : features.number[sentence]! + features.tech[sentence]! + features.reason[sentence]!;
    if (depth <= bestDepth[key]!) return;
    if (isNegated(doc!, first, last)) return;
    bestDepth[key] = depth;
    bestPosition[key] = position;
    bestFirst[key] = first;
    bestLast[key] = last;
  };
  const candidate = ctx.candidate;
  for (position = 0; position < candidate.length; position++) {
    doc = candidate[position]!.doc;
    features = null;
    hitsPerSentence = null;
    announcement = null;
    recap = null;
    question = null;
    docHits.length = 0;
    matcher.match(doc, onHit);
    if (hitsPerSentence === null) continue;
    // Decided from the sentence alone, never from which patterns hit it, so one scan of signals
    // and components together marks exactly what two separate scans would.
    const isList = (sentence: number): boolean => isListSentence(doc!, sentence);
    for (let h = 0; h < docHits.length; h += 2) if (!isList(docHits[h + 1]!)) cov.outsideList[docHits[h]!] = 1;
    // A buzzword list ("Kafka, Redis, sharding, replication, p99, circuit breakers…") names
    // things without saying anything about them: its hits are mentions without depth.
    // (A list of metrics for one dimension is a claim about what is measured; a list spanning
    // three or more dimensions is a salad.)
    for (let key = 0; key < keys; key++) {
      if (bestPosition[key] !== position || bestDepth[key]! <= 0) continue;
      if (isList(doc.tokens.sentence(bestFirst[key]!))) bestDepth[key] = 0;
    }
  }
  return cov;
}

const componentCache = new WeakMap<LoadedProblem, PhraseMatcher<number>>();

export function compileComponents(problem: LoadedProblem): PhraseMatcher<number> {
  let matcher = componentCache.get(problem);
  if (!matcher) {
    matcher = new PhraseMatcher<number>();
    problem.components.forEach((component, i) => {
      addWithAliases(matcher!, i, component.name);
      for (const synonym of component.synonyms) addWithAliases(matcher!, i, synonym);
    });
    componentCache.set(problem, matcher);
  }
  return matcher;
}

function componentHits(ctx: EvidenceContext, problem: LoadedProblem): KeyCoverage {
  return ctx.once('componentHits', () => collect(ctx, compileComponents(problem), problem.components.length));
}

/** Whether the run grades expected components (an `architecture` dimension and a problem that lists some). */
function gradesComponents(ctx: EvidenceContext): LoadedProblem | null {
  const { rubric, problem } = ctx.input;
  return problem && problem.components.length > 0 && rubric.dimensions.some((d) => d.id === 'architecture') ? problem : null;
}

/**
 * Coverage for every (dimension, group) in candidate turns, then (from key groupCount on) for every
 * expected component when the run grades them; computed once per run.
 */
function conceptHits(ctx: EvidenceContext): KeyCoverage {
  return ctx.once('conceptHits', () => {
    const compiled = compileRubric(ctx.input.rubric);
    const problem = gradesComponents(ctx);
    const keys = compiled.groupCount + (problem ? problem.components.length : 0);
    const asks = new Uint8Array(keys);
    ctx.input.rubric.dimensions.forEach((dimension, d) => {
      dimension.signals.forEach((signal, g) => {
        if (dimension.id === 'requirements' || /question/i.test(signal.name)) asks[compiled.groupKeys[d]![g]!] = 1;
      });
    });
    if (!problem) return collect(ctx, compiled.matcher, compiled.groupCount, asks);
    return collect(ctx, compileCombined(ctx.input.rubric, problem), keys, asks);
  });
}

/** What kinds of specifics a hit's sentence carries: a number, a named technology, a reason. */
function kindsOf(features: SentenceFeatures, sentence: number): string[] {
  const kinds: string[] = [];
  if (features.number[sentence]) kinds.push('a number');
  if (features.tech[sentence]) kinds.push('a named technology');
  if (features.reason[sentence]) kinds.push('a reason');
  return kinds;
}

/** The deepest hit that is not negated (earliest among equals) for one key. */
function coverageOf(ctx: EvidenceContext, cov: KeyCoverage, key: number | undefined): GroupCoverage {
  const coverage: GroupCoverage = { best: null, listedOnly: false, depth: -1, kinds: [], negatedOnly: false };
  if (key === undefined || !(key >= 0 && key < cov.seen.length) || cov.seen[key] === 0) return coverage;
  if (cov.depth[key]! < 0) {
    coverage.negatedOnly = true;
    return coverage;
  }
  const candidate = ctx.candidate[cov.position[key]!]!;
  const first = cov.first[key]!;
  coverage.best = { turn: candidate.turn.index, doc: candidate.doc, first, last: cov.last[key]! };
  coverage.depth = cov.depth[key]!;
  coverage.listedOnly = cov.outsideList[key] === 0;
  coverage.kinds = kindsOf(sentenceFeatures(candidate.doc), candidate.doc.tokens.sentence(first));
  return coverage;
}

/** Coverage of each of the dimension's signal groups (the deepest un-negated hit per group), in rubric order. */
export function signalCoverage(ctx: EvidenceContext, dimension: Dimension): { name: string; coverage: GroupCoverage }[] {
  const compiled = compileRubric(ctx.input.rubric);
  const d = compiled.dimensionIndex.get(dimension.id) ?? ctx.input.rubric.dimensions.indexOf(dimension);
  const groupKeys = compiled.groupKeys[d] ?? [];
  const hits = conceptHits(ctx);
  return dimension.signals.map((signal, g) => ({ name: signal.name, coverage: coverageOf(ctx, hits, groupKeys[g]) }));
}

/** What kinds of specifics a group's best hit carries, for evidence notes. */
export function coverageNote(name: string, coverage: GroupCoverage): string {
  return noteFor(name, coverage);
}

/** "an explicit deep dive" → "explicit deep dive", so "no …" reads well. */
function withoutArticle(name: string): string {
  return name.replace(/^(?:an?|the)\s+/i, '');
}

/** The documented curve: coverage fraction and mean depth (0..1) → 1–5. */
export function conceptScore(coverage: number, depth: number): number {
  if (coverage <= 0) return 1;
  const c = Math.pow(Math.min(1, coverage), 0.75);
  return clampScore(1 + 3 * c + c * Math.min(1, Math.max(0, depth)));
}

/**
 * A group seen only inside a buzzword list is said to be so: the sentence may name a technology,
 * but saying "with a named technology" of "Kafka, Redis, Cassandra, CDN." would claim depth the
 * grader did not give it.
 */
function noteFor(name: string, coverage: Pick<GroupCoverage, 'kinds' | 'listedOnly'>): string {
  if (coverage.listedOnly) return `${name}, named only in a list`;
  return coverage.kinds.length > 0 ? `${name}, with ${coverage.kinds.join(' and ')}` : `${name} (mentioned only)`;
}

export function analyzeConcepts(ctx: EvidenceContext, dimension: Dimension): ReturnType<typeof result> {
  const { rubric, problem } = ctx.input;
  const compiled = compileRubric(rubric);
  const d = compiled.dimensionIndex.get(dimension.id) ?? rubric.dimensions.indexOf(dimension);
  const groupKeys = compiled.groupKeys[d] ?? [];
  const components = dimension.id === 'architecture' && problem && problem.components.length > 0 ? problem.components : null;
  if (dimension.signals.length === 0 && !components) {
    return result(null, { notes: ['no evidence signals defined for this dimension, so the evidence grader cannot score it'] });
  }
  const hits = conceptHits(ctx);
  const covered: { name: string; coverage: GroupCoverage }[] = [];
  const missing: string[] = [];
  const shallow: string[] = [];
  let depthSum = 0;
  let signalWeight = 0;
  dimension.signals.forEach((signal, g) => {
    const coverage = coverageOf(ctx, hits, groupKeys[g]);
    if (coverage.best) {
      signalWeight += coverage.listedOnly ? LIST_WEIGHT : coverage.depth > 0 ? 1 : BARE_WEIGHT;
      covered.push({ name: signal.name, coverage });
      depthSum += Math.min(coverage.depth, 2) / 2;
      if (coverage.depth === 0) shallow.push(`${signal.name} named without specifics (a number, a technology or a reason)`);
    } else if (coverage.negatedOnly) {
      missing.push(`${signal.name} mentioned only to rule it out`);
    } else {
      missing.push(`no ${withoutArticle(signal.name)} mentioned`);
    }
  });
  const signalTotal = dimension.signals.length;
  const signalCovered = covered.length;
  const signalCoverage = signalTotal > 0 ? signalWeight / signalTotal : 0;

  const notes: string[] = [];
  let coverage = signalCoverage;
  let depthCount = covered.length;
  if (components) {
    // Components share the rubric's scan unless the dimension is not the rubric's own (then a scan of their own).
    const shared = gradesComponents(ctx) === problem;
    const compHits = shared ? hits : componentHits(ctx, problem!);
    const offset = shared ? compiled.groupCount : 0;
    let componentCovered = 0;
    let componentWeight = 0;
    components.forEach((component, i) => {
      const cov = coverageOf(ctx, compHits, offset + i);
      if (cov.best) {
        componentCovered++;
        componentWeight += cov.listedOnly ? LIST_WEIGHT : cov.depth > 0 ? 1 : BARE_WEIGHT;
        depthSum += Math.min(cov.depth, 2) / 2;
        depthCount++;
        if (covered.length < MAX_EVIDENCE * 2) covered.push({ name: component.name, coverage: cov });
      } else {
        missing.push(`expected component not covered: ${component.name}`);
      }
    });
    const componentCoverage = componentWeight / components.length;
    coverage = signalTotal > 0 ? (signalCoverage + componentCoverage) / 2 : componentCoverage;
    notes.push(`${componentCovered} of ${components.length} expected components of ${problem!.id} covered`);
  }
  if (signalTotal > 0) notes.unshift(`${signalCovered} of ${signalTotal} signal groups covered`);
  const depth = depthCount > 0 ? depthSum / depthCount : 0;
  const score = conceptScore(coverage, depth);

  // Evidence: the deepest sentence per covered group, one quote per sentence.
  const ordered = [...covered].sort((a, b) => b.coverage.depth - a.coverage.depth || a.coverage.best!.turn - b.coverage.best!.turn);
  const evidence: Evidence[] = [];
  const bySentence = new Map<string, Evidence>();
  for (const { name, coverage: cov } of ordered) {
    const hit = cov.best!;
    const sentence = hit.doc.tokens.sentence(hit.first);
    const key = `${hit.turn}:${sentence}`;
    const existing = bySentence.get(key);
    if (existing) {
      existing.note = `${existing.note}; also ${name}`;
      continue;
    }
    if (evidence.length >= MAX_EVIDENCE) continue;
    const item: Evidence = { quote: quoteTokens(hit.doc, hit.first, hit.last), turn: hit.turn, note: noteFor(name, cov) };
    bySentence.set(key, item);
    evidence.push(item);
  }
  if (covered.length === 0) notes.push('no signal of this dimension in the candidate turns');
  return result(score, { evidence, missing: [...missing, ...shallow].slice(0, MAX_MISSING), notes });
}

/** Exported for tests only. */
export const conceptsInternals = { collect, compileCombined, compileComponents };
