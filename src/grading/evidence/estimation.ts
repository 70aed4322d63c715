// Estimation: the candidate's numbers, their own arithmetic, and how close they land to the
// problem's reference estimates.
//
// - Quantities come from candidate turns only (numbers.ts); one the interviewer already gave
//   ("100 million links a day") is a restatement, reported but not credited.
// - Arithmetic the candidate shows is re-done: "A divided by B is about C", "A times B times C
//   is D", "A / B ≈ C", ", times B is D" chained on the last result, "N×, so C" on the one
//   earlier figure it multiplies, "62^7, about 3.5 trillion", "3 billion a day, about 35k per
//   second" (a unit conversion) and "100 bytes each, 50M keys is 5 GB" (an implicit product,
//   credited only when it checks out). Correct: within ±30%, or the same at one significant
//   figure when the candidate hedged ("about", "roughly", "~").
// - With a known problem, each number is matched to a reference estimate of a compatible unit
//   with one of its cue words nearby (same sentence, ≤ 80 characters) and compared by order of
//   magnitude: within 10× → within, else off (with the reference's arithmetic).
//
// Score: no numbers → 1. Otherwise 1 + 4 × weighted mean of
//   quantities  0.7 × min(distinct derived quantities, 5) / 5
//               + 0.3 × kinds covered (traffic, storage) / 2  weight 1.5
//   arithmetic  correct / checked × min(1, checked / 2)      weight 1 (0 when none is shown)
//   references  0.6 × within/compared + 0.4 × references hit weight 1 (only with a known problem)
//   assumptions min(sentences stating one, 2) / 2            weight 0.5
import type { Evidence, EstimateRow } from '../../schemas/report.js';
import type { LoadedProblem, ReferenceEstimate } from '../../schemas/problem.js';
import type { Dimension } from '../../schemas/rubric.js';
import { result, type EvidenceContext } from './context.js';
import {
  conversionFactor,
  extractQuantities,
  formatNumber,
  formatQuantity,
  isMeaningful,
  mayHaveNumbers,
  type Quantity,
} from '../../reading/numbers.js';
import { MAX_QUOTE, PhraseMatcher, clampScore, docLowerCase, quoteAround, splitSentences, type TextDoc } from '../../reading/text.js';

export interface CandidateQuantity extends Quantity {
  turn: number;
  doc: TextDoc;
  /** The interviewer said this number first. */
  given: boolean;
}

/**
 * A row and where it came from. Only the first MAX_ROWS rows and a few evidence and missing
 * lines are shown, so the quote and detail strings are made on first read.
 */
class Checked {
  private built: EstimateRow | null = null;
  constructor(
    readonly turn: number,
    readonly sentence: number,
    private readonly build: () => EstimateRow,
    /** The checked figure as written: `doc.text.slice(start, end)` of the turn. */
    readonly start = -1,
    readonly end = -1,
  ) {}

  get row(): EstimateRow {
    return (this.built ??= this.build());
  }
}

export interface EstimationAnalysis {
  quantities: CandidateQuantity[];
  rows: EstimateRow[];
  arithmeticOk: Checked[];
  arithmeticErrors: Checked[];
  within: Checked[];
  off: Checked[];
  assumptions: { turn: number; doc: TextDoc; sentence: number }[];
  referencesHit: Set<string>;
}

const MAX_ROWS = 40;
const CUE_DISTANCE = 80;

// ---------------------------------------------------------------------------------------------
// Gaps between two numbers in a sentence

type Op = '×' | '÷' | '+' | '−';
const OPERATOR_GAP =
  /^[\s,;]*(?:and\s+)?(?:then\s+)?(times|x|×|\*|multiplied by|divided by|\/|over|plus|\+|minus)\s*(?:(?:about|roughly|around|approximately|~|say|by)\s+)*$/;
const EACH_GAP = /^[\s,;]*(?:and\s+)?each\b(?:\s+[\p{L}'’-]+){0,5}\s*$/u;
const EQUALITY_WORD =
  /(?:^|[\s,(])(?:is|are|=|≈|~|gives(?: us)?|comes? (?:out )?to|equals|that['’]?s|that is|which is|so|call it|makes|→|->|i\.e\.|totals?|works out (?:to|at)|about|roughly|around|approximately)(?=$|[\s,)])/;
const PURE_EQUALITY =
  /^[\s,(]*(?:(?:which|that)(?: is|['’]s)|that['’]s|is|are|=|≈|~|so|call it|about|roughly|around|approximately|or|i\.e\.|→|->|gives(?: us)?|equals|nearly|almost|just under|just over|,)*[\s,]*$/;
const HEDGE = /about|roughly|around|approximately|~|≈|call it|nearly|almost|order of|ballpark|-ish/;

function opOf(word: string): Op {
  switch (word) {
    case 'divided by':
    case '/':
    case 'over':
      return '÷';
    case 'plus':
    case '+':
      return '+';
    case 'minus':
      return '−';
    default:
      return '×';
  }
}

/**
 * Could OPERATOR_GAP or EACH_GAP match? Their first word after blanks, commas and semicolons
 * starts with one of these (or with a non-ASCII character such as "×"); most gaps ("is about")
 * do not, so the two regexes are skipped.
 */
function mayBeOperatorGap(gap: string): boolean {
  for (let i = 0; i < gap.length; i++) {
    const c = gap.charCodeAt(i);
    if (c === 32 || c === 44 || c === 59 || (c >= 9 && c <= 13)) continue;
    if (c >= 0x80) return true;
    // a(nd) t(hen, times) x * m(ultiplied, minus) d(ivided) / o(ver) p(lus) + e(ach)
    return c === 97 || c === 116 || c === 120 || c === 42 || c === 109 || c === 100 || c === 47 || c === 111 || c === 112 || c === 43 || c === 101;
  }
  return false;
}

function operatorGap(gap: string): Op | null {
  if (gap.length > 60 || /[.!?]\s/.test(gap)) return null;
  if (!mayBeOperatorGap(gap)) return null;
  const m = OPERATOR_GAP.exec(gap);
  if (m) return opOf(m[1]!);
  if (EACH_GAP.test(gap)) return '×';
  return null;
}

function equalityGap(gap: string): { pure: boolean; hedged: boolean } | null {
  if (gap.length > 45 || /[.!?;]\s/.test(gap)) return null;
  if (mayBeOperatorGap(gap) && (OPERATOR_GAP.test(gap) || EACH_GAP.test(gap))) return null;
  const pure = PURE_EQUALITY.test(gap);
  if (!pure && !EQUALITY_WORD.test(gap)) return null;
  return { pure, hedged: HEDGE.test(gap) };
}

function apply(a: number, op: Op, b: number): number {
  switch (op) {
    case '×':
      return a * b;
    case '÷':
      return b === 0 ? NaN : a / b;
    case '+':
      return a + b;
    case '−':
      return a - b;
  }
}

function oneSigFig(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const p = Math.pow(10, Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x / p) * p;
}

/** Candidate's result vs the recomputed value: ±30%, or equal at one significant figure when hedged. */
export function arithmeticAgrees(computed: number, stated: number, hedged: boolean): boolean {
  if (!Number.isFinite(computed) || computed === 0) return false;
  const rel = Math.abs(stated / computed - 1);
  if (rel <= 0.3) return true;
  return hedged && oneSigFig(stated) === oneSigFig(computed);
}

function percentOff(computed: number, stated: number): string {
  const pct = Math.round((stated / computed - 1) * 100);
  return pct === 0 ? 'exact' : `${pct > 0 ? '+' : ''}${pct}%`;
}

/** The sentence when it is short, else the expression itself, else the clause around it. */
function spanQuote(doc: TextDoc, q: Quantity, from: number, to: number): string {
  const sentence = doc.sentences[q.sentence];
  if (sentence && sentence.end - sentence.start <= MAX_QUOTE && sentence.start <= from) return doc.text.slice(sentence.start, sentence.end);
  if (to - from <= MAX_QUOTE) return doc.text.slice(from, to).trim();
  return quoteAround(doc, q.sentence, from, to);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic in one turn

/** Records one checked expression as an ok or error row. */
function arithmeticEmitter(doc: TextDoc, turn: number, ok: Checked[], errors: Checked[]): Emit {
  return (from: Quantity, z: Quantity, computed: number, hedged: boolean, expression: () => string, onlyIfOk = false) => {
    const agrees = arithmeticAgrees(computed, z.raw, hedged);
    if (!agrees && onlyIfOk) return;
    const row = (): EstimateRow => ({
      turn,
      quote: spanQuote(doc, z, from.start, z.end),
      value: z.value,
      unit: z.unit,
      reference: null,
      referenceValue: null,
      verdict: agrees ? 'arithmetic-ok' : 'arithmetic-error',
      detail: `${expression()} = ${formatNumber(computed)}; stated ${doc.text.slice(z.start, z.end).trim()} (${percentOff(computed, z.raw)})`,
    });
    (agrees ? ok : errors).push(new Checked(turn, z.sentence, row, z.start, z.end));
  };
}

function checkArithmetic(doc: TextDoc, quantities: Quantity[], turn: number, ok: Checked[], errors: Checked[], lower: string | null = null): void {
  // Fewer than two quantities: no expression and no stated result to check.
  if (quantities.length < 2) return;
  // Lower-cased once, and only when a gap between two quantities is read (`lower` when given:
  // the same text lower-cased, since the whole text is what is lower-cased here too).
  let text: string | null = lower;
  // Made only when an expression with a stated result turns up.
  let emit: Emit | null = null;

  let i = 0;
  while (i < quantities.length) {
    const first = quantities[i]!;
    const terms: Quantity[] = [first];
    const ops: Op[] = [];
    let j = i;
    while (j + 1 < quantities.length && quantities[j + 1]!.sentence === first.sentence) {
      const op = operatorGap((text ??= doc.text.toLowerCase()).slice(quantities[j]!.end, quantities[j + 1]!.start));
      if (!op) break;
      ops.push(op);
      terms.push(quantities[j + 1]!);
      j++;
    }
    const z = quantities[j + 1];
    if (!z || z.sentence !== first.sentence) {
      i = j + 1;
      continue;
    }
    const eq = equalityGap((text ??= doc.text.toLowerCase()).slice(quantities[j]!.end, z.start));
    if (!eq) {
      i = j + 1;
      continue;
    }
    if (ops.length > 0) {
      let value = terms[0]!.raw;
      for (let k = 0; k < ops.length; k++) value = apply(value, ops[k]!, terms[k + 1]!.raw);
      const expression = () => {
        let written = formatNumber(terms[0]!.raw);
        for (let k = 0; k < ops.length; k++) written += ` ${ops[k]!} ${formatNumber(terms[k + 1]!.raw)}`;
        return written;
      };
      (emit ??= arithmeticEmitter(doc, turn, ok, errors))(first, z, value, eq.hedged, expression);
    } else if (eq.pure) {
      checkSingle(doc, quantities, i, z, eq.hedged, (emit ??= arithmeticEmitter(doc, turn, ok, errors)));
    }
    // The result may start the next expression (", times 500 bytes is roughly 90 TB").
    i = j + 1;
  }
}

type Emit = (from: Quantity, z: Quantity, computed: number, hedged: boolean, expression: () => string, onlyIfOk?: boolean) => void;

/** "62^7, about 3.5 trillion"; "3B a day, about 35k per second"; "100x, so 120k/s"; "50M keys is 5 GB". */
function checkSingle(doc: TextDoc, quantities: Quantity[], at: number, z: Quantity, hedged: boolean, emit: Emit): void {
  const lhs = quantities[at]!;
  if (lhs.power) {
    emit(lhs, z, lhs.raw, hedged, () => doc.text.slice(lhs.start, lhs.end).trim());
    return;
  }
  if (lhs.unit === 'ratio') {
    // The multiplier applies to an earlier figure of the same unit in this turn.
    const bases = quantities.slice(0, at).filter((q) => q.unit === z.unit && q.unit !== 'ratio' && q.unit !== 'none');
    const matching = bases.find((b) => arithmeticAgrees(b.raw * lhs.raw, z.raw, hedged));
    const base = matching ?? (bases.length === 1 ? bases[0] : undefined);
    if (base) emit(lhs, z, base.raw * lhs.raw, hedged, () => `${formatNumber(base.raw)} × ${formatNumber(lhs.raw)}`);
    return;
  }
  if (lhs.unit !== z.unit) {
    const factor = conversionFactor(lhs.unit, z.unit);
    if (factor !== null && lhs.unit !== 'none') {
      const computed = lhs.value * factor;
      if (lhs.unit === 'per_day' && z.unit === 'per_second' && !arithmeticAgrees(computed, z.value, hedged)) {
        // "100k seconds in a day" is the usual shortcut.
        const rounded = lhs.value / 100_000;
        if (arithmeticAgrees(rounded, z.value, hedged)) {
          emit(lhs, { ...z, raw: z.value }, rounded, hedged, () => `${formatQuantity(lhs.value, lhs.unit)} ÷ 100k s`);
          return;
        }
      }
      const label = () => (lhs.unit === 'per_day' ? `${formatQuantity(lhs.value, lhs.unit)} ÷ 86,400 s` : `${formatQuantity(lhs.value, lhs.unit)} converted`);
      emit(lhs, { ...z, raw: z.value }, computed, hedged, label);
      return;
    }
    // An implicit product with another figure in the sentence ("100 bytes each, 50M keys is 5 GB").
    for (const other of quantities) {
      if (other === lhs || other === z || other.sentence !== z.sentence || other.unit === 'none') continue;
      if (arithmeticAgrees(lhs.raw * other.raw, z.raw, hedged)) {
        emit(lhs, z, lhs.raw * other.raw, hedged, () => `${formatNumber(lhs.raw)} × ${formatNumber(other.raw)}`, true);
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// References

interface CueHit {
  ref: number;
  start: number;
  end: number;
  sentence: number;
}

const cueCache = new WeakMap<LoadedProblem, PhraseMatcher<number>>();

function inflections(cue: string): string[] {
  const trimmed = cue.trim();
  if (trimmed.endsWith('*')) return [trimmed];
  const out = [trimmed];
  const last = trimmed.split(/\s+/).pop() ?? '';
  if (/^[a-z]+$/i.test(last)) {
    const stem = trimmed.endsWith('e') ? trimmed.slice(0, -1) : trimmed;
    out.push(`${trimmed}s`, `${trimmed}es`, `${stem}ed`, `${stem}ing`);
    if (trimmed.endsWith('y')) out.push(`${trimmed.slice(0, -1)}ies`);
  }
  return out;
}

function compileCues(problem: LoadedProblem): PhraseMatcher<number> {
  let matcher = cueCache.get(problem);
  if (!matcher) {
    matcher = new PhraseMatcher<number>();
    problem.reference_estimates.forEach((ref, i) => {
      for (const cue of ref.cues) for (const form of inflections(cue)) matcher!.add(i, form);
    });
    cueCache.set(problem, matcher);
  }
  return matcher;
}

interface Assignment {
  ref: ReferenceEstimate;
  factor: number;
  distance: number;
}

/**
 * Each cue word goes to the nearest number it could describe (same sentence, compatible unit,
 * ≤ 80 characters, not a per-item size); each number takes its nearest cue. So in "100M writes
 * a day … 1,200 writes per second, call it 1.2k QPS" each "writes" labels its own number.
 */
function assignReferences(quantities: Quantity[], refs: ReferenceEstimate[], cues: CueHit[], doc: TextDoc): Map<Quantity, Assignment> {
  const assigned = new Map<Quantity, Assignment>();
  const scoped = new Map<Quantity, boolean>();
  const isScoped = (q: Quantity): boolean => {
    let v = scoped.get(q);
    if (v === undefined) scoped.set(q, (v = quantityScoped(doc, q)));
    return v;
  };
  for (const cue of cues) {
    const ref = refs[cue.ref]!;
    let best: { q: Quantity; factor: number; distance: number } | null = null;
    for (const q of quantities) {
      if (q.sentence !== cue.sentence || q.perItem || !isMeaningful(q)) continue;
      // A figure per node, per key or per user is never compared with a fleet total, nor the reverse.
      if (isScoped(q) !== referenceScoped(ref)) continue;
      const factor = conversionFactor(q.unit, ref.unit);
      if (factor === null) continue;
      const distance = cue.start >= q.start && cue.end <= q.end ? 0 : cue.start >= q.end ? cue.start - q.end : Math.max(0, q.start - cue.end);
      if (distance > CUE_DISTANCE) continue;
      if (!best || distance < best.distance) best = { q, factor, distance };
    }
    if (!best) continue;
    const existing = assigned.get(best.q);
    const same = best.q.unit === ref.unit;
    if (!existing || best.distance < existing.distance || (best.distance === existing.distance && same && existing.ref.unit !== best.q.unit)) {
      assigned.set(best.q, { ref, factor: best.factor, distance: best.distance });
    }
  }
  return assigned;
}

/** "per node", "each gateway", "a user": a figure scoped to one unit of the fleet, not a total. */
const SCOPE = /\b(?:per|each|every|a|an)\s+(?:api\s+)?(?:gateway\s+)?(?:node|server|gateway|host|machine|instance|shard|key|user|customer|tenant|client|connection|replica|gpu|partition|broker|core|box|worker|pod)s?\b/i;
const SCOPE_LABEL = /\bper\s+(?:api\s+)?(?:gateway\s+)?(?:node|server|gateway|host|machine|instance|shard|key|user|customer|tenant|client|connection|replica|gpu|partition|broker|core|box|worker|pod)s?\b/i;
const EACH_SCOPE = /\b(?:each|every)\s+(?:api\s+)?(?:gateway\s+)?(?:node|server|gateway|host|machine|instance|shard|key|user|customer|tenant|client|connection|replica|gpu|partition|broker|core|box|worker|pod)s?\b/i;
const refScope = new WeakMap<ReferenceEstimate, boolean>();

function referenceScoped(ref: ReferenceEstimate): boolean {
  let v = refScope.get(ref);
  if (v === undefined) refScope.set(ref, (v = SCOPE_LABEL.test(ref.label) || ref.cues.some((c) => SCOPE.test(c))));
  return v;
}

/** The words around a figure (up to the next or previous digit, within its sentence) scope it to one node, key or user. */
function quantityScoped(doc: TextDoc, q: Quantity): boolean {
  const sentence = doc.sentences[q.sentence];
  if (!sentence) return false;
  // After the figure, up to the next figure or clause break: "4,000 checks per second per node".
  let after = doc.text.slice(q.end, Math.min(sentence.end, q.end + 30));
  const stop = after.search(/[\d,;:]/);
  if (stop >= 0) after = after.slice(0, stop);
  if (SCOPE.test(after)) return true;
  // Before it, within its clause and after any earlier figure: "each node handles 4,000 …"
  // ("per replica" there belongs to the figure before).
  let before = doc.text.slice(Math.max(sentence.start, q.start - 30), q.start);
  const cut = before.search(/[\d,;:][^\d,;:]*$/);
  if (cut >= 0) before = before.slice(cut + 1);
  return EACH_SCOPE.test(before);
}

const SCENARIO_BEFORE = /\b(?:at|if|with|for|after|assuming|handle|handling|grows?|grew|growth|scaled?|scales)\s*(?:a\s+)?$/i;
const SCENARIO_AFTER = /^\s*(?:growth|traffic|load|scale|more traffic|the traffic|the load)\b/i;

/** "At 10x, writes are 12k per second": a growth scenario; the number is compared after dividing by 10. */
function scenarioMultiplier(text: string, quantities: Quantity[], q: Quantity): number {
  for (const r of quantities) {
    if (r.sentence !== q.sentence || r.unit !== 'ratio' || r.start >= q.start || r.raw <= 1) continue;
    const before = text.slice(Math.max(0, r.start - 24), r.start);
    const after = text.slice(r.end, r.end + 24);
    if (SCENARIO_BEFORE.test(before) || SCENARIO_AFTER.test(after)) return r.raw;
  }
  return 1;
}

function describeRatio(ratio: number): string {
  if (ratio >= 0.67) return `${Number(ratio.toPrecision(2))}× the reference`;
  return `1/${Number((1 / ratio).toPrecision(2))} of the reference`;
}

// ---------------------------------------------------------------------------------------------

const ASSUMPTION =
  /(?:\bassum\w*|\blet['’]?s say|\bsay\b|\broughly|\babout|\baround|\bapproximately|~|≈|\bballpark|\bcall it|\bsuppose|\bif each|\bestimat\w*|\bguess(?:timate)?)[^.?!\n]{0,25}?\d/;

/** What the estimate check reads: the problem, every turn (for figures the interviewer gave) and the candidate turns tokenised. */
export interface EstimateSource {
  problem: LoadedProblem | null;
  turns: readonly { index: number; role: string; text: string }[];
  candidate: readonly { turn: { index: number }; doc: TextDoc }[];
}

/** Quantities, checks and rows for the whole transcript, computed once per run. */
export function analyzeEstimates(ctx: EvidenceContext): EstimationAnalysis {
  return ctx.once('estimates', () => checkEstimates({ problem: ctx.input.problem, turns: ctx.turns, candidate: ctx.candidate }));
}

/**
 * The one estimate checker: the grader runs it over a whole transcript, the interviewer over the
 * candidate's latest turn (with the turns before it, so figures it gave are not the candidate's).
 */
export function checkEstimates(ctx: EstimateSource): EstimationAnalysis {
  {
    const problem = ctx.problem;
    const refs = problem?.reference_estimates ?? [];
    const cueMatcher = problem && refs.length > 0 ? compileCues(problem) : null;

    // What the interviewer said, so restated numbers are not credited: by canonical unit and
    // log-scaled value (1% buckets), with the earliest turn it was said in.
    const given = new Map<number, number>();
    const UNIT_CODE: Record<string, number> = { per_second: 1, per_day: 1, count: 2, bytes: 3, bytes_per_second: 4, milliseconds: 5, seconds: 5, ratio: 6, percent: 7 };
    const canonical = (q: Quantity): number => (q.unit === 'per_day' ? q.value / 86_400 : q.unit === 'seconds' ? q.value * 1000 : q.value);
    /** Unit family and the value's log in 1% steps, as one number. */
    const bucket = (q: Quantity): number => (UNIT_CODE[q.unit] ?? 0) * 1e6 + Math.round(Math.log10(canonical(q)) * 100) + 100_000;
    for (const turn of ctx.turns) {
      if (turn.role !== 'interviewer' || !mayHaveNumbers(turn.text)) continue;
      // Only sentences are needed, not tokens.
      const text = turn.text;
      for (const q of extractQuantities({ text, sentences: splitSentences(text) })) {
        if (q.unit === 'none' || !(q.value > 0)) continue;
        const key = bucket(q);
        if (!given.has(key)) given.set(key, turn.index);
      }
    }
    const givenBy = (key: number, turn: number): boolean => {
      const at = given.get(key);
      return at !== undefined && at <= turn;
    };
    const isGiven = (q: Quantity, turn: number): boolean => {
      if (given.size === 0 || q.unit === 'none' || !(q.value > 0)) return false;
      const key = bucket(q);
      return givenBy(key, turn) || givenBy(key - 1, turn) || givenBy(key + 1, turn);
    };

    const analysis: EstimationAnalysis = {
      quantities: [],
      rows: [],
      arithmeticOk: [],
      arithmeticErrors: [],
      within: [],
      off: [],
      assumptions: [],
      referencesHit: new Set(),
    };
    const unchecked: { q: Quantity; doc: TextDoc; turn: number }[] = [];
    // Rows compared with a reference (also restated ones), in turn order.
    const referenceRows: Checked[] = [];

    for (const { turn, doc } of ctx.candidate) {
      if (!mayHaveNumbers(doc.text)) continue;
      const quantities = extractQuantities(doc);
      if (quantities.length === 0) continue;
      for (const q of quantities) {
        const c = q as CandidateQuantity;
        c.turn = turn.index;
        c.doc = doc;
        c.given = isGiven(q, turn.index);
        analysis.quantities.push(c);
      }

      // Lower-cased once per turn when slices of it equal lower-cased slices (else per sentence).
      const lower = docLowerCase(doc);
      checkArithmetic(doc, quantities, turn.index, analysis.arithmeticOk, analysis.arithmeticErrors, lower);

      // Assumptions: sentences with a number and a hedge or "assume" before it. Quantities come
      // in sentence order, so a sentence repeats only right after itself.
      let lastSentence = -1;
      for (const q of quantities) {
        if (q.sentence === lastSentence) continue;
        lastSentence = q.sentence;
        const s = doc.sentences[q.sentence];
        if (!s) continue;
        const sentence = lower !== null ? lower.slice(s.start, s.end) : doc.text.slice(s.start, s.end).toLowerCase();
        if (ASSUMPTION.test(sentence)) analysis.assumptions.push({ turn: turn.index, doc, sentence: q.sentence });
      }

      const cues: CueHit[] = [];
      if (cueMatcher) {
        cueMatcher.match(doc, (ref, first, last) => {
          const tokens = doc.tokens;
          cues.push({ ref, start: tokens.start(first), end: tokens.end(last), sentence: tokens.sentence(first) });
        });
      }
      const assignments = cues.length > 0 ? assignReferences(quantities, refs, cues, doc) : new Map<Quantity, Assignment>();
      for (const q of quantities as CandidateQuantity[]) {
        if (!isMeaningful(q)) continue;
        const wasGiven = q.given;
        const match = assignments.get(q);
        if (!match) {
          if (!wasGiven) unchecked.push({ q, doc, turn: turn.index });
          continue;
        }
        const value = q.value * match.factor;
        const scenario = scenarioMultiplier(doc.text, quantities, q);
        const compared = value / scenario;
        const ratio = compared / match.ref.value;
        const within = ratio >= 0.1 && ratio <= 10;
        const row = (): EstimateRow => {
          const written = doc.text.slice(q.start, q.end).trim();
          const prefix = (wasGiven ? "restates the interviewer's figure; " : '') + (scenario > 1 ? `at ${formatNumber(scenario)}x growth, so ÷ ${formatNumber(scenario)}: ` : '');
          const stated = `${written} ≈ ${formatQuantity(compared, match.ref.unit)}`;
          const reference = `${match.ref.label} ≈ ${formatQuantity(match.ref.value, match.ref.unit)}`;
          return {
            turn: turn.index,
            quote: quoteAround(doc, q.sentence, q.start, q.end),
            value,
            unit: match.ref.unit,
            reference: match.ref.id,
            referenceValue: match.ref.value * scenario,
            verdict: within ? 'within' : 'off',
            detail: within
              ? `${prefix}${stated}, ${describeRatio(ratio)} ${reference}`
              : `${prefix}${stated} is ${describeRatio(ratio)} ${reference} (${match.ref.arithmetic})`,
          };
        };
        const checked = new Checked(turn.index, q.sentence, row, q.start, q.end);
        referenceRows.push(checked);
        if (!wasGiven) {
          (within ? analysis.within : analysis.off).push(checked);
          analysis.referencesHit.add(match.ref.id);
        }
      }
    }
    // Sorted (stably) by turn as rows would be; only the rows kept are built.
    const rows = [...analysis.arithmeticOk, ...analysis.arithmeticErrors, ...referenceRows].sort((a, b) => a.turn - b.turn);
    const room = Math.max(0, MAX_ROWS - rows.length);
    // One unchecked row per distinct value and unit, quoted only when kept.
    const distinct = new Map<string, EstimateRow>();
    for (const { q, doc, turn } of unchecked) {
      if (distinct.size >= room) break;
      const key = `${q.unit}:${Number(q.value.toPrecision(3))}`;
      if (distinct.has(key)) continue;
      const written = doc.text.slice(q.start, q.end).trim();
      distinct.set(key, {
        turn,
        quote: quoteAround(doc, q.sentence, q.start, q.end),
        value: q.value,
        unit: q.unit,
        reference: null,
        referenceValue: null,
        verdict: 'unchecked',
        detail: refs.length > 0 ? `${written}: no reference estimate matched (unit or cue words)` : `${written}: no reference estimates for this problem`,
      });
    }
    analysis.rows = [...rows, ...[...distinct.values()].slice(0, room)]
      .sort((a, b) => a.turn - b.turn)
      .slice(0, MAX_ROWS)
      .map((r) => (r instanceof Checked ? r.row : r));
    return analysis;
  }
}

/** Distinct quantities the candidate worked out (not restated), grouped by unit and rough size. */
function distinctDerived(quantities: CandidateQuantity[]): number {
  // Sizes per unit as numbers (no key strings): a Set holds NaN and ±Infinity once each, as the strings did.
  const sizes = new Map<string, Set<number>>();
  let count = 0;
  for (const q of quantities) {
    if (q.given || !isMeaningful(q) || q.value <= 0) continue;
    let set = sizes.get(q.unit);
    if (!set) sizes.set(q.unit, (set = new Set()));
    const size = set.size;
    set.add(Math.round(Math.log10(q.value) * 4));
    count += set.size - size;
  }
  return count;
}

/** The score from its parts (exported for tests). */
export function estimationScore(parts: {
  distinct: number;
  /** Of traffic (per second / per day) and storage (bytes): how many were estimated. */
  kinds: number;
  arithmeticOk: number;
  arithmeticErrors: number;
  referencesKnown: number;
  within: number;
  off: number;
  referencesHit: number;
  assumptions: number;
}): number {
  const weighted: [number, number][] = [];
  weighted.push([0.7 * (Math.min(parts.distinct, 5) / 5) + 0.3 * (Math.min(parts.kinds, 2) / 2), 1.5]);
  const checked = parts.arithmeticOk + parts.arithmeticErrors;
  weighted.push([checked > 0 ? (parts.arithmeticOk / checked) * Math.min(1, checked / 2) : 0, 1]);
  if (parts.referencesKnown > 0) {
    const compared = parts.within + parts.off;
    const closeness = compared > 0 ? parts.within / compared : 0;
    weighted.push([0.6 * closeness + 0.4 * Math.min(1, parts.referencesHit / parts.referencesKnown), 1]);
  }
  weighted.push([Math.min(parts.assumptions, 2) / 2, 0.5]);
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  const mean = weighted.reduce((sum, [v, w]) => sum + v * w, 0) / total;
  return clampScore(1 + 4 * mean);
}

export function analyzeEstimation(ctx: EvidenceContext, _dimension: Dimension): ReturnType<typeof result> {
  const analysis = analyzeEstimates(ctx);
  const problem = ctx.input.problem;
  const refs = problem?.reference_estimates ?? [];
  const notes: string[] = [];
  if (!problem) notes.push('problem unknown: numbers are not compared with reference estimates');
  else if (refs.length === 0) notes.push(`problem ${problem.id} has no reference estimates`);

  if (!analysis.quantities.some((q) => q.unit !== 'none' || q.raw >= 10)) {
    const missing = ['no numbers estimated: traffic (requests per second), storage and bandwidth'];
    for (const ref of refs) missing.push(`no estimate of ${ref.label} (reference ≈ ${formatQuantity(ref.value, ref.unit)})`);
    return result(1, { missing: missing.slice(0, 8), notes: [...notes, 'no numbers in the candidate turns'] });
  }

  const distinct = distinctDerived(analysis.quantities);
  const derived = analysis.quantities.filter((q) => !q.given && isMeaningful(q));
  const traffic = derived.some((q) => q.unit === 'per_second' || q.unit === 'per_day');
  const storage = derived.some((q) => q.unit === 'bytes' || q.unit === 'bytes_per_second');
  const score = estimationScore({
    distinct,
    kinds: (traffic ? 1 : 0) + (storage ? 1 : 0),
    arithmeticOk: analysis.arithmeticOk.length,
    arithmeticErrors: analysis.arithmeticErrors.length,
    referencesKnown: refs.length,
    within: analysis.within.length,
    off: analysis.off.length,
    referencesHit: analysis.referencesHit.size,
    assumptions: analysis.assumptions.length,
  });

  // Evidence: a correct sum, a number close to its reference, a stated assumption, then problems.
  const evidence: Evidence[] = [];
  const used = new Set<string>();
  const add = (turn: number, quote: string, note: string) => {
    const key = `${turn}:${quote}`;
    if (used.has(key) || evidence.length >= 4 || !quote) return;
    used.add(key);
    evidence.push({ quote, turn, note });
  };
  const first = <T>(list: T[]) => list[0];
  const ok = first(analysis.arithmeticOk);
  if (ok) add(ok.turn, ok.row.quote, `arithmetic checks out: ${ok.row.detail}`);
  const within = first(analysis.within);
  if (within) add(within.turn, within.row.quote, `close to the reference: ${within.row.detail}`);
  const assumption = first(analysis.assumptions);
  if (assumption) add(assumption.turn, quoteAround(assumption.doc, assumption.sentence), 'states an assumption behind the number');
  const error = first(analysis.arithmeticErrors);
  if (error) add(error.turn, error.row.quote, `arithmetic error: ${error.row.detail}`);
  const off = first(analysis.off);
  if (off) add(off.turn, off.row.quote, `off by more than 10×: ${off.row.detail}`);
  // `add` keeps at most four; stop before building rows it would drop.
  for (let k = 1; k < analysis.arithmeticOk.length && evidence.length < 4; k++) {
    const c = analysis.arithmeticOk[k]!;
    add(c.turn, c.row.quote, `arithmetic checks out: ${c.row.detail}`);
  }
  for (let k = 1; k < analysis.within.length && evidence.length < 4; k++) {
    const c = analysis.within[k]!;
    add(c.turn, c.row.quote, `close to the reference: ${c.row.detail}`);
  }
  if (evidence.length === 0) {
    const q = analysis.quantities.find((x) => isMeaningful(x) && !x.given) ?? analysis.quantities[0]!;
    add(q.turn, quoteAround(q.doc, q.sentence, q.start, q.end), q.given ? "restates the interviewer's number" : 'a number without shown working');
  }

  const missing: string[] = [];
  if (derived.length === 0) missing.push("no numbers of the candidate's own: only figures the interviewer gave");
  if (!traffic) missing.push('no traffic estimate (requests per second or per day)');
  if (!storage) missing.push('no storage estimate (bytes over the retention period)');
  if (analysis.arithmeticOk.length + analysis.arithmeticErrors.length === 0) missing.push('no arithmetic shown ("X per day ÷ 100k seconds ≈ Y per second")');
  for (const e of analysis.arithmeticErrors.slice(0, 2)) missing.push(`arithmetic to redo: ${e.row.detail}`);
  for (const o of analysis.off.slice(0, 2)) missing.push(`estimate off by more than 10×: ${o.row.detail}`);
  if (analysis.assumptions.length === 0) missing.push('no assumptions stated ("assume 500 bytes per record", "let\'s say 10 reads per user")');
  for (const ref of refs) {
    if (!analysis.referencesHit.has(ref.id)) missing.push(`no estimate of ${ref.label} (reference ≈ ${formatQuantity(ref.value, ref.unit)})`);
  }
  notes.push(
    `${distinct} distinct quantit${distinct === 1 ? 'y' : 'ies'} estimated; arithmetic ${analysis.arithmeticOk.length} correct, ${analysis.arithmeticErrors.length} wrong` +
      (refs.length > 0 ? `; ${analysis.within.length} within 10× of a reference, ${analysis.off.length} off` : '') +
      `; ${analysis.assumptions.length} assumption${analysis.assumptions.length === 1 ? '' : 's'} stated`,
  );
  return result(score, { evidence, missing: [...new Set(missing)].slice(0, 8), notes });
}
