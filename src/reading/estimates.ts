// The candidate's estimates read as claims: each figure with its unit, scope (per node or fleet),
// period and load (peak or average), the arithmetic shown redone, and each figure set against
// the problem's reference estimates. The one estimate checker: the grader scores what it finds
// (grading/evidence/estimation.ts), the interviewer challenges a figure that is off
// (interview/engine/estimate-check.ts), so both read the same numbers the same way.
//
//
// - Quantities come from candidate turns only (numbers.ts); one the interviewer already gave
//   ("100 million links a day") is a restatement, reported but not credited.
// - Arithmetic the candidate shows is re-done: "A divided by B is about C", "A times B times C
//   is D", "A / B ≈ C", ", times B is D" chained on the last result, "N×, so C" on the one
//   earlier figure it multiplies, "62^7, about 3.5 trillion", "3 billion a day, about 35k per
//   second" (a unit conversion) and "100 bytes each, 50M keys is 5 GB" (an implicit product,
//   credited only when it checks out). Correct: within ±30%, or the same at one significant
//   figure when the candidate hedged ("about", "roughly", "~"). Bytes are compared with bytes:
//   a bare "B" is read as bytes or billions so that the product has the result's unit
//   ("20M × 500B ≈ 10 GB": 500 bytes; "1 KB × 1B = 1 TB": a billion).
// - With a known problem, each number is matched to a reference estimate of a compatible unit
//   with one of its cue words nearby (same sentence, ≤ 80 characters; a cue that is only the
//   figure's own unit, "GB" in "10 GB", counts as 40 away) and compared by order of magnitude:
//   within 10× → within, else off (with the reference's arithmetic). Not compared: a size per
//   item, a term of an expression whose stated result has the same unit (the result is), a
//   figure per node / key / user against a fleet total or the reverse ("users send 15 messages
//   a day" may be either: kept only when it is not far below a fleet total), a growth rate
//   ("5 TB/yr") against a size with no period. Bytes over a period are scaled to the
//   reference's period ("5 TB/yr" against storage per day ≈ 14 GB). A peak figure against an
//   average reference may be up to 10× more again, an average against a peak up to 10× less.
// - A wrong figure redone right later (the same computation, or the same reference) is
//   corrected: its row stays, marked, and it no longer counts as wrong.

import type { EstimateRow } from '../schemas/report.js';
import type { LoadedProblem, ReferenceEstimate } from '../schemas/problem.js';
import { conversionFactor, extractQuantities, formatNumber, formatQuantity, isMeaningful, mayHaveNumbers, type Quantity } from './numbers.js';
import { MAX_QUOTE, PhraseMatcher, docLowerCase, isRefusal, quoteAround, splitSentences, type TextDoc } from './text.js';

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
export class Checked {
  private built: EstimateRow | null = null;
  constructor(
    readonly turn: number,
    readonly sentence: number,
    private readonly build: () => EstimateRow,
    /** The checked figure as written: `doc.text.slice(start, end)` of the turn. */
    readonly start = -1,
    readonly end = -1,
    /** What a later check must share to redo this one (the computation, or the reference). */
    readonly key = '',
    /** For a wrong figure: how many orders of magnitude it is off (0 when right). */
    readonly orders = 0,
  ) {}

  /** Redone right later in the transcript. */
  corrected = false;

  get row(): EstimateRow {
    if (!this.built) {
      const row = this.build();
      this.built = this.corrected ? { ...row, detail: `corrected later: ${row.detail}` } : row;
    }
    return this.built;
  }

  /** Comes before `other` in the transcript. */
  before(other: Checked): boolean {
    return this.turn < other.turn || (this.turn === other.turn && this.sentence < other.sentence);
  }
}

/** `wrong` without the checks some later right check redoes; those go to `corrected`. */
function withoutCorrected(wrong: Checked[], right: Checked[], corrected: Checked[]): Checked[] {
  if (right.length === 0) return wrong;
  const kept: Checked[] = [];
  for (const w of wrong) {
    if (w.key !== '' && right.some((r) => r.key === w.key && w.before(r))) {
      w.corrected = true;
      corrected.push(w);
    } else kept.push(w);
  }
  return kept;
}

export interface EstimationAnalysis {
  quantities: CandidateQuantity[];
  rows: EstimateRow[];
  arithmeticOk: Checked[];
  arithmeticErrors: Checked[];
  within: Checked[];
  off: Checked[];
  /** Arithmetic errors and figures off the reference that a later check in the transcript redoes right (not in `arithmeticErrors` or `off`). */
  corrected: Checked[];
  /** Ids of references some candidate figure is within 10x of (restated ones included). */
  referencesRight: Set<string>;
  assumptions: { turn: number; doc: TextDoc; sentence: number }[];
  referencesHit: Set<string>;
}

const MAX_ROWS = 40;
const CUE_DISTANCE = 80;
/** Unit words used as cues ("tb", "gb", "gbps"), and how far away they count when inside the figure. */
const UNIT_CUE = /^(?:[kmgtpe]i?b|[kmgt]bps|(?:kilo|mega|giga|tera|peta|exa)bytes?|[kmgtp]b\/s)$/i;
const UNIT_CUE_DISTANCE = 40;

// ---------------------------------------------------------------------------------------------
// Gaps between two numbers in a sentence

type Op = '×' | '÷' | '+' | '−';
const OPERATOR_GAP =
  /^[\s,;]*(?:and\s+)?(?:then\s+)?(times|x|×|\*|multiplied by|divided by|\/|over|plus|\+|minus)\s*(?:(?:about|roughly|around|approximately|~|say|by)\s+)*$/;
const EACH_GAP = /^[\s,;]*(?:and\s+)?each\b(?:\s+[\p{L}'’-]+){0,5}\s*$/u;
const EQUALITY_WORD =
  /(?:^|[\s,(])(?:is|are|=|≈|~|gives(?: us)?|comes? (?:out )?to|equals|that['’]?s|that is|which is|so|call it|makes|→|->|i\.e\.|totals?|works out (?:to|at)|about|roughly|around|approximately)(?=$|[\s,)])/;
const PURE_EQUALITY =
  /^[\s,(]*(?:(?:(?:which|that)(?: is|['’]s)|that['’]s|is|are|=|≈|~|so|call it|about|roughly|around|approximately|or|i\.e\.|→|->|gives(?: us)?|equals|nearly|almost|just under|just over|,)[\s,]*)*$/;
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

/** `stated` is `computed` times a power of 1,000 (KB for MB, GB for TB…), not the number itself. */
function prefixSlip(computed: number, stated: number, hedged: boolean): boolean {
  for (let k = 1; k <= 4; k++) {
    const f = 1000 ** k;
    if (arithmeticAgrees(computed * f, stated, hedged) || arithmeticAgrees(computed / f, stated, hedged)) return true;
  }
  return false;
}

function percentOff(computed: number, stated: number): string {
  const ratio = stated / computed;
  // Ten times or more: the factor reads better than "+8639900%".
  if (ratio >= 10) return `${formatNumber(ratio)}× too high`;
  if (ratio > 0 && ratio <= 0.1) return `${formatNumber(1 / ratio)}× too low`;
  const pct = Math.round((ratio - 1) * 100);
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
      detail: `${expression()} = ${formatTerm(computed, z.unit)}; stated ${doc.text.slice(z.start, z.end).trim()} (${percentOff(computed, z.raw)})`,
    });
    (agrees ? ok : errors).push(new Checked(turn, z.sentence, row, z.start, z.end, redoKey(z.unit, computed), agrees ? 0 : ordersOff(z.raw / computed)));
  };
}

const isBytes = (unit: string): boolean => unit === 'bytes' || unit === 'bytes_per_second';

/** A bare whole number under 100 ("60" in "a 60/40 split"). */
function smallWhole(q: Quantity): boolean {
  return q.unit === 'none' && Number.isInteger(q.raw) && q.raw < 100;
}

const DURATIONS = new Set(['seconds', 'milliseconds']);

/** Units that convert into each other, as one name. */
function family(unit: string): string {
  return DURATIONS.has(unit) ? 'duration' : isBytes(unit) ? 'bytes' : unit === 'per_day' ? 'per_second' : unit;
}

/**
 * Whether the stated result can be what the expression computes, by unit: sums of one kind
 * ("2.9% plus 30 cents" is no sum), a duration, share or multiplier only from one
 * ("100 TB ÷ 7 … 90 days" is no division), and bytes never as a rate of requests.
 */
function unitsAgree(terms: Quantity[], ops: Op[], z: Quantity): boolean {
  if (ops.includes('+') || ops.includes('−')) {
    // One kind of thing besides bare numbers and counts; a share or multiplier only with its own kind.
    let kind: string | null = null;
    let bare = z.unit === 'none';
    for (const t of [...terms, z]) {
      const k = family(t.unit);
      if (t.unit === 'none') bare = true;
      if (k === 'none' || k === 'count') continue;
      if (kind !== null && kind !== k) return false;
      kind = k;
    }
    if (bare && (kind === 'percent' || kind === 'ratio')) return false;
  }
  const zf = family(z.unit);
  if (zf === 'none' || zf === 'count' || zf === 'bytes') return true;
  if ((zf === 'duration' || zf === 'percent' || zf === 'ratio') && !terms.some((t) => family(t.unit) === zf)) return false;
  // "102 TB over 7 years, so 90 days": bytes over a duration are a rate, never a duration.
  if (zf === 'duration' && (terms.some((t) => isBytes(t.unit)) || !terms.some((t, k) => family(t.unit) === zf && (k === 0 || ops[k - 1] === '×')))) return false;
  if (zf === 'per_second' && terms.some((t) => isBytes(t.unit)) && !terms.some((t) => family(t.unit) === 'per_second')) return false;
  return true;
}

/** A figure in an expression: sizes in bytes as bytes ("500 bytes", "10 GB"), everything else as a number ("20M"). */
function formatTerm(raw: number, unit: string): string {
  return isBytes(unit) ? formatQuantity(raw, unit) : formatNumber(raw);
}

/** The same computation redone: the result's unit and its value at 2% resolution. */
function redoKey(unit: string, computed: number): string {
  return `${unit}:${Number.isFinite(computed) && computed > 0 ? Math.round(Math.log10(computed) * 50) : 'x'}`;
}

/** How many orders of magnitude a ratio is away from 1. */
function ordersOff(ratio: number): number {
  return Number.isFinite(ratio) && ratio > 0 ? Math.abs(Math.log10(ratio)) : 3;
}

/**
 * A term's value in a product: bytes are compared with bytes. A bare "B" ("500B") read one way
 * is read the other way when that is what makes the product a number of bytes like the result
 * it states ("20M × 500B ≈ 10 GB": 500 bytes; "1 KB × 1B = 1 TB": a billion).
 */
function termValues(terms: Quantity[], ops: Op[], z: Quantity): { raw: number[]; bytes: boolean[] } {
  const raw = terms.map((t) => t.raw);
  const bytes = terms.map((t) => isBytes(t.unit));
  if (!terms.some((t) => t.letterB) || ops.some((op) => op === '+' || op === '−')) return { raw, bytes };
  const power = () => bytes.reduce((sum, b, k) => sum + (b ? (k > 0 && ops[k - 1] === '÷' ? -1 : 1) : 0), 0);
  const want = isBytes(z.unit) ? 1 : 0;
  for (let k = 0; k < terms.length && power() !== want; k++) {
    const t = terms[k]!;
    if (!t.letterB) continue;
    bytes[k] = !bytes[k];
    if (power() === want) raw[k] = bytes[k] ? t.raw / 1e9 : t.raw * 1e9;
    else bytes[k] = !bytes[k];
  }
  return { raw, bytes };
}

function checkArithmetic(
  doc: TextDoc,
  quantities: Quantity[],
  turn: number,
  ok: Checked[],
  errors: Checked[],
  lower: string | null = null,
  facts: ExpressionFacts | null = null,
): void {
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
      const gap = (text ??= doc.text.toLowerCase()).slice(quantities[j]!.end, quantities[j + 1]!.start);
      const op = operatorGap(gap);
      if (!op) break;
      // "a 60/40 split", "24/7": a ratio written with a slash, not a division.
      if (gap === '/' && smallWhole(quantities[j]!) && smallWhole(quantities[j + 1]!)) break;
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
    if (ops.length > 0 && unitsAgree(terms, ops, z)) {
      const { raw, bytes } = termValues(terms, ops, z);
      let value = raw[0]!;
      for (let k = 0; k < ops.length; k++) value = apply(value, ops[k]!, raw[k + 1]!);
      const expression = () => {
        let written = formatTerm(raw[0]!, bytes[0] ? 'bytes' : 'count');
        for (let k = 0; k < ops.length; k++) written += ` ${ops[k]!} ${formatTerm(raw[k + 1]!, bytes[k + 1] ? 'bytes' : 'count')}`;
        return written;
      };
      // The terms are inputs: the stated result, not a term of the same unit (a size per item in
      // "10M × 1 KB = 10 GB", "5.2M ÷ 5,000 per replica ≈ 1,000 replicas"), is compared with references.
      if (facts) {
        for (const t of terms) {
          if (t.unit === z.unit) facts.inputs.add(t);
          // "100M links a day × 500 bytes = 50 GB": the result is per day.
          else if (t.per && z.unit === 'bytes' && !z.per && (t.unit === 'per_day' || t.unit === 'per_second')) facts.periods.set(z, PERIOD_WORD[t.per] ?? 86_400);
        }
      }
      (emit ??= arithmeticEmitter(doc, turn, ok, errors))(first, z, value, eq.hedged, expression);
    } else if (eq.pure) {
      checkSingle(doc, quantities, i, z, eq.hedged, (emit ??= arithmeticEmitter(doc, turn, ok, errors)), facts);
    }
    // The result may start the next expression (", times 500 bytes is roughly 90 TB").
    i = j + 1;
  }
}

type Emit = (from: Quantity, z: Quantity, computed: number, hedged: boolean, expression: () => string, onlyIfOk?: boolean) => void;

/** "62^7, about 3.5 trillion"; "3B a day, about 35k per second"; "100x, so 120k/s"; "50M keys is 5 GB". */
function checkSingle(doc: TextDoc, quantities: Quantity[], at: number, z: Quantity, hedged: boolean, emit: Emit, facts: ExpressionFacts | null = null): void {
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
    if (base) emit(lhs, z, base.raw * lhs.raw, hedged, () => `${formatTerm(base.raw, base.unit)} × ${formatNumber(lhs.raw)}`);
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
  }
  // An implicit product with another figure in the sentence ("100 bytes each, 50M keys is 5 GB";
  // a size and a total: "20 billion URLs at 100 bytes is 2 TB").
  const size = lhs.unit === z.unit && lhs.unit === 'bytes';
  if (lhs.unit !== z.unit || size) {
    for (const other of quantities) {
      if (other === lhs || other === z || other.sentence !== z.sentence || other.unit === 'none') continue;
      if (size && other.unit !== 'count' && other.unit !== 'per_day' && other.unit !== 'per_second') continue;
      // "500 bytes each, 100M a day, so 50 GB per second": a size times a daily count is bytes a
      // day; stated per second, the figure is right and its unit 86,400 times too fast.
      if (z.unit === 'bytes_per_second' && isBytes(lhs.unit) && other.unit === 'per_day' && arithmeticAgrees(lhs.raw * other.raw, z.raw, hedged)) {
        emit(lhs, z, (lhs.raw * other.raw) / 86_400, hedged, () => `${formatTerm(lhs.raw, lhs.unit)} × ${formatQuantity(other.value, other.unit)} ÷ 86,400 s`);
        return;
      }
      if (arithmeticAgrees(lhs.raw * other.raw, z.raw, hedged)) {
        // A size times a count is only read for what it says about the figures (no row: the
        // stated total is what the candidate computed, and it is compared with the reference).
        if (!size) emit(lhs, z, lhs.raw * other.raw, hedged, () => `${formatTerm(lhs.raw, lhs.unit)} × ${formatTerm(other.raw, other.unit)}`, true);
        // "50 million keys at about 100 bytes is 5 GB": the size is an input, like a term.
        if (facts) for (const t of [lhs, other]) if (t.unit === z.unit) facts.inputs.add(t);
        return;
      }
    }
    // "1 KB each at 10k writes per second is 10 GB per second": the product is right but for a
    // unit prefix (a power of 1,000 off). Only when the sentence holds nothing but the size, one
    // rate (or count) and the result: with more figures ("… is 1 GB per shard, so 1 TB across
    // 1,000 shards") a factor of 1,000 may be a term the candidate multiplied by.
    const inSentence = quantities.filter((q) => q.sentence === z.sentence && q.unit !== 'none');
    const other = inSentence.find((q) => q !== lhs && q !== z);
    if (inSentence.length === 3 && other && isBytes(lhs.unit) && (z.unit === 'bytes_per_second' ? other.unit === 'per_second' : z.unit === 'bytes' && other.unit === 'count')) {
      const product = lhs.raw * other.raw;
      if (!arithmeticAgrees(product, z.raw, hedged) && prefixSlip(product, z.raw, hedged)) {
        emit(lhs, z, product, hedged, () => `${formatTerm(lhs.raw, lhs.unit)} × ${formatQuantity(other.value, other.unit)}`);
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
  /** The figure may be per user or for the fleet (`scopeMismatch`). */
  ambiguous: boolean;
}

/**
 * Each cue word goes to the nearest number it could describe (same sentence, compatible unit,
 * ≤ 80 characters, not a per-item size); each number takes its nearest cue. So in "100M writes
 * a day … 1,200 writes per second, call it 1.2k QPS" each "writes" labels its own number.
 */
function assignReferences(
  quantities: Quantity[],
  refs: ReferenceEstimate[],
  cues: CueHit[],
  doc: TextDoc,
  facts: ExpressionFacts,
): Map<Quantity, Assignment> {
  const assigned = new Map<Quantity, Assignment>();
  const scopes = new Map<Quantity, Scope>();
  const scopeOf = (q: Quantity, index: number): Scope => {
    let v = scopes.get(q);
    if (v === undefined) scopes.set(q, (v = quantityScope(doc, quantities, index)));
    return v;
  };
  for (const cue of cues) {
    const ref = refs[cue.ref]!;
    // A unit word as a cue ("tb", "gb") describes the figure it is written with, no other.
    const unitCue = UNIT_CUE.test(doc.text.slice(cue.start, cue.end));
    let best: { q: Quantity; factor: number; distance: number; scope: Scope } | null = null;
    for (let index = 0; index < quantities.length; index++) {
      const q = quantities[index]!;
      if (q.sentence !== cue.sentence || q.perItem || facts.inputs.has(q) || !isMeaningful(q) || conversionFactor(q.unit, ref.unit) === null) continue;
      // "A few thousand extra reads per second" is a change, not the total the reference sizes.
      if (isDelta(doc.text, q)) continue;
      const inside = cue.start >= q.start && cue.end <= q.end;
      if (unitCue && !inside) continue;
      // A cue that is only the figure's own unit ("GB" in "10 GB") says less than a topic nearby
      // ("Idempotency keys: 10 million times 1 KB is 10 GB").
      const distance = inside ? (unitCue ? UNIT_CUE_DISTANCE : 0) : cue.start >= q.end ? cue.start - q.end : Math.max(0, q.start - cue.end);
      if (distance > CUE_DISTANCE || (best && distance >= best.distance)) continue;
      // A figure per node, per key or per user is never compared with a fleet total, nor the
      // reverse; one that may be either ("users send 15 messages a day") is compared, and kept
      // only when it does not look like the other kind (see `scopeMismatch`).
      const scope = scopeOf(q, index);
      if (scope !== 'ambiguous' && (scope === 'scoped') !== referenceScoped(ref)) continue;
      const factor = comparisonFactor(doc, quantities, q, ref, facts);
      if (factor === null) continue;
      best = { q, factor, distance, scope };
    }
    if (!best) continue;
    const existing = assigned.get(best.q);
    const same = best.q.unit === ref.unit;
    if (!existing || best.distance < existing.distance || (best.distance === existing.distance && same && existing.ref.unit !== best.q.unit)) {
      assigned.set(best.q, { ref, factor: best.factor, distance: best.distance, ambiguous: best.scope === 'ambiguous' });
    }
  }
  return assigned;
}

/** Words that make a figure an increment ("2,000 extra reads", "another 10 GB", "500 more writes"). */
const DELTA = /\b(?:extra|additional|more|fewer|less)\b/i;
const DELTA_BEFORE = /\b(?:another|an extra|an additional|up by|down by|increase of|decrease of)\s*$/i;

function isDelta(text: string, q: Quantity): boolean {
  const after = text.slice(q.end, q.end + 12);
  return DELTA.test(text.slice(q.start, q.end)) || /^\s*(?:more|extra|additional|fewer|less)\b/i.test(after) || DELTA_BEFORE.test(text.slice(Math.max(0, q.start - 20), q.start));
}

/** What the arithmetic found out about figures: which are inputs to a stated result, and the period a result covers. */
interface ExpressionFacts {
  inputs: Set<Quantity>;
  /** "100M links a day × 500 bytes = 50 GB": 50 GB is per day (seconds). */
  periods: Map<Quantity, number>;
}

// ---------------------------------------------------------------------------------------------
// Scope: per node / key / user, or the whole fleet

const SCOPE_NOUNS = 'node|server|gateway|host|machine|instance|shard|key|user|customer|tenant|client|connection|replica|gpu|partition|broker|core|box|worker|pod|primary';
/** "per node", "each gateway", "a user": a figure scoped to one unit of the fleet, not a total. */
const SCOPE = new RegExp(String.raw`\b(?:per|each|every|a|an)\s+(?:api\s+)?(?:gateway\s+)?(?:${SCOPE_NOUNS})s?\b`, 'i');
const SCOPE_LABEL = new RegExp(String.raw`\bper\s+(?:api\s+)?(?:gateway\s+)?(?:${SCOPE_NOUNS})s?\b`, 'i');
const EACH_SCOPE = new RegExp(String.raw`\b(?:each|every)\s+(?:api\s+)?(?:gateway\s+)?(?:${SCOPE_NOUNS})s?\b`, 'i');
/** "a user makes …", "the average user sends …", "one key takes …" (not "a key insight", "the user base"). */
const ONE_SCOPE = new RegExp(
  String.raw`\b(?:a|an|one|a single|the (?:average|typical|median)|any)\s+(?:[\w-]+\s+)?(?:${SCOPE_NOUNS})\b(?![-'’])(?!\s+(?:base|space|count|pool|table|store|cluster|ids?|data|range|set|limits?|list|names?|types?|insight|point|part|idea|question|thing|fleet|farm|side|layer|tier|groups?|segments?|population|growth|activity|traffic|load)\b)`,
  'i',
);
/** "each of the 20M users sends …" (the number in between belongs to the fleet). */
const EACH_OF = new RegExp(String.raw`\b(?:each|every one|every single one)\s+of\s+(?:the\s+|our\s+|these\s+|those\s+|all\s+)?[\d.,]+\s*\w*\s+(?:\w+\s+)?(?:${SCOPE_NOUNS})s\b[^\d,;:]*$`, 'i');
/** "30 servers of 64 GB", "servers with about 200 GB": a size per machine. */
const MACHINES_OF = /\b(?:servers?|nodes?|machines?|hosts?|instances?|boxes|box|shards?|gpus?|replicas?|brokers?|workers?|pods?)\s+(?:of|with)\s+(?:about\s+|roughly\s+|around\s+|~\s*)?$/i;
/** "replicas of 8 H100s, each sustaining about 5,000 …": "each" and a verb, one of them. */
const EACH_DOING = /\beach\s+(?:of them\s+|one\s+)?[a-z]+(?:ing|es|s)\b(?:\s+(?:about|roughly|around|up to|at most|~))?\s*$/i;
/** "4,000 a second each", "15 messages a day apiece". */
const EACH_AFTER = /^\s*(?:each|apiece|per head|per person)\b/i;
/** Any word a scope rule needs (a cheap test first). */
const SCOPE_WORD = new RegExp(String.raw`${SCOPE_NOUNS}|people|member|box`, 'i');
/** "users send 15 messages a day": per user, or the whole fleet? */
const PLURAL_SUBJECT = /\b(?:users|customers|clients|tenants|people|keys|members)\b/i;

type Scope = 'scoped' | 'fleet' | 'ambiguous';
const refScope = new WeakMap<ReferenceEstimate, boolean>();

function referenceScoped(ref: ReferenceEstimate): boolean {
  let v = refScope.get(ref);
  if (v === undefined) refScope.set(ref, (v = SCOPE_LABEL.test(ref.label) || ref.cues.some((c) => SCOPE.test(c))));
  return v;
}

/**
 * The words around a figure scope it to one node, key or user: after it up to the next figure
 * or clause break ("4,000 checks per second per node", "15 a day each"), before it within its
 * clause and after the figure before ("each node handles 4,000 …", "a typical user sends 15 …";
 * "per replica" there belongs to the figure before). "Users send 15 a day" could be either.
 */
function quantityScope(doc: TextDoc, quantities: Quantity[], index: number): Scope {
  const q = quantities[index]!;
  const sentence = doc.sentences[q.sentence];
  if (!sentence) return 'fleet';
  const text = doc.text;
  let after = text.slice(q.end, Math.min(sentence.end, q.end + 30));
  const stop = after.search(/[\d,;:]/);
  if (stop >= 0) after = after.slice(0, stop);
  if (SCOPE.test(after) || EACH_AFTER.test(after)) return 'scoped';
  const prev = index > 0 ? quantities[index - 1]! : null;
  const from = Math.max(sentence.start, q.start - 40, prev && prev.sentence === q.sentence ? prev.end : 0);
  let before = text.slice(from, q.start);
  const cut = before.search(/[\d,;:][^\d,;:]*$/);
  if (cut >= 0) before = before.slice(cut + 1);
  if (EACH_DOING.test(before)) return 'scoped';
  const wide = text.slice(Math.max(sentence.start, q.start - 80), q.start);
  // Every rule below needs one of these words; most clauses have none.
  if (!SCOPE_WORD.test(wide)) return 'fleet';
  if (EACH_SCOPE.test(before) || ONE_SCOPE.test(before)) return 'scoped';
  // "30 servers of 64 GB": the machines may be the figure before.
  if (MACHINES_OF.test(wide.slice(-40))) return 'scoped';
  if (prev && prev.sentence === q.sentence && EACH_OF.test(wide)) return 'scoped';
  return PLURAL_SUBJECT.test(before) ? 'ambiguous' : 'fleet';
}

/**
 * A figure that may be per user or for the fleet is kept when it fits the reference's scope
 * ("users send 30 billion messages a day" against the fleet total, 10x too many, stays off), and
 * dropped when it is far below a fleet total or far above a per-unit one (it is the other kind).
 */
function scopeMismatch(ratio: number, ref: ReferenceEstimate): boolean {
  return referenceScoped(ref) ? ratio > 10 : ratio < 0.1;
}

// ---------------------------------------------------------------------------------------------
// Periods: storage per day, per year, over five years

const PERIOD_WORD: Record<string, number> = {
  second: 1, s: 1, minute: 60, min: 60, hour: 3600, h: 3600, hr: 3600, day: 86_400, d: 86_400, week: 7 * 86_400,
  month: 30 * 86_400, year: 365 * 86_400, yr: 365 * 86_400, y: 365 * 86_400,
};
const COUNT_WORD: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, five: 5, seven: 7, ten: 10, thirty: 30, ninety: 90 };
const LABEL_SPAN = /\b(\d+(?:\.\d+)?|a|an|one|two|three|five|seven|ten|thirty|ninety)[\s-]*(seconds?|minutes?|min|hours?|hrs?|h|days?|d|weeks?|months?|years?|yrs?|y)\b/i;
const LABEL_PER = /\b(?:per|a|each|every)\s+(second|minute|hour|day|week|month|year)\b|\b(daily|weekly|monthly|yearly|annual(?:ly)?|hourly)\b/i;
const ADVERB_PERIOD: Record<string, number> = { hourly: 3600, daily: 86_400, weekly: 7 * 86_400, monthly: 30 * 86_400, yearly: 365 * 86_400, annual: 365 * 86_400, annually: 365 * 86_400 };
const refPeriods = new WeakMap<ReferenceEstimate, number | null>();

function singular(word: string): string {
  const w = word.toLowerCase();
  return w.length > 2 && w.endsWith('s') ? w.slice(0, -1) : w;
}

/** The period a reference covers, in seconds: "per day" → 1 day, "over five years" → 5 years, "(24 h window)" → 1 day; else null. */
function referencePeriod(ref: ReferenceEstimate): number | null {
  let v = refPeriods.get(ref);
  if (v !== undefined) return v;
  v = null;
  const per = LABEL_PER.exec(ref.label);
  if (per) v = per[1] ? PERIOD_WORD[per[1].toLowerCase()]! : ADVERB_PERIOD[per[2]!.toLowerCase()]!;
  else {
    const span = LABEL_SPAN.exec(ref.label);
    if (span) {
      const n = COUNT_WORD[span[1]!.toLowerCase()] ?? Number(span[1]);
      const unit = PERIOD_WORD[singular(span[2]!)];
      if (unit && Number.isFinite(n) && n > 0) v = n * unit;
    }
  }
  refPeriods.set(ref, v);
  return v;
}

const PERIOD_PHRASE = /\b(?:(?:per|a|each|every)\s+(day|week|month|year)|(daily|weekly|monthly|yearly|annually))\b/gi;

/** The period a figure of bytes covers: its own ("5 TB/yr"), its expression's, a duration in its sentence ("90 days … 3.6 TB") or "daily". */
function figurePeriod(doc: TextDoc, quantities: Quantity[], q: Quantity, facts: ExpressionFacts): { seconds: number; rate: boolean } | null {
  if (q.per) return { seconds: PERIOD_WORD[q.per] ?? 86_400, rate: true };
  const fromExpression = facts.periods.get(q);
  if (fromExpression !== undefined) return { seconds: fromExpression, rate: true };
  let best: Quantity | null = null;
  for (const d of quantities) {
    if (d.sentence !== q.sentence || d.unit !== 'seconds' || d.per === null || d.per === 'second' || d.per === 'minute' || !(d.raw >= 1)) continue;
    if (!best || Math.abs(d.start - q.start) < Math.abs(best.start - q.start)) best = d;
  }
  if (best) return { seconds: best.value, rate: false };
  const sentence = doc.sentences[q.sentence];
  if (!sentence) return null;
  // Words next to the figure only ("daily storage is about 900 GB"), within its clause.
  const from = Math.max(sentence.start, q.start - 30);
  let text = doc.text.slice(from, Math.min(sentence.end, q.end + 30));
  const cut = text.lastIndexOf(',', q.start - from);
  const startAt = cut >= 0 ? cut + 1 : 0;
  const stop = text.indexOf(',', q.end - from);
  text = text.slice(0, stop >= 0 ? stop : text.length);
  PERIOD_PHRASE.lastIndex = startAt;
  for (let m = PERIOD_PHRASE.exec(text); m !== null; m = PERIOD_PHRASE.exec(text)) {
    const at = from + m.index;
    // Words inside another figure ("100M links a day") are that figure's.
    if (quantities.some((o) => o.sentence === q.sentence && at >= o.start && at < o.end)) continue;
    return { seconds: m[1] ? PERIOD_WORD[m[1].toLowerCase()]! : ADVERB_PERIOD[m[2]!.toLowerCase()]!, rate: true };
  }
  return null;
}

/**
 * The factor that turns the figure into the reference's unit, or null when they do not compare.
 * Bytes over a period are scaled to the reference's period ("5 TB/yr" against storage per day:
 * ≈ 14 GB; against five years: 25 TB); a growth rate is never compared with a size that has no
 * period ("memory for every key").
 */
function comparisonFactor(doc: TextDoc, quantities: Quantity[], q: Quantity, ref: ReferenceEstimate, facts: ExpressionFacts): number | null {
  const factor = conversionFactor(q.unit, ref.unit);
  if (factor === null || ref.unit !== 'bytes') return factor;
  const period = figurePeriod(doc, quantities, q, facts);
  if (!period) return factor;
  const refPeriod = referencePeriod(ref);
  if (refPeriod === null) return period.rate ? null : factor;
  return factor * (refPeriod / period.seconds);
}

// ---------------------------------------------------------------------------------------------
// Peak and average

const PEAK_WORDS = /\b(?:at peak|peaks?|spikes?|busiest|bursts?|black friday|during a sale)\b/gi;
const AVERAGE_WORDS = /\b(?:on average|average|avg|mean|typical(?:ly)?|normally|steady state)\b/gi;

function nearestWord(re: RegExp, text: string, from: number, to: number, at: number): number {
  re.lastIndex = 0;
  const slice = text.slice(from, to);
  let best = Infinity;
  for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
    const start = from + m.index;
    const end = start + m[0].length;
    best = Math.min(best, end <= at ? at - end : start >= at ? start - at : 0);
  }
  return best;
}

/** "5,000 deliveries a second at peak" → peak; "350 replicas on average" → average; the nearer word in the sentence (≤ 60 characters) decides. */
function figureLoad(doc: TextDoc, q: Quantity): 'peak' | 'average' | null {
  const sentence = doc.sentences[q.sentence];
  if (!sentence) return null;
  const peak = Math.min(nearestWord(PEAK_WORDS, doc.text, sentence.start, sentence.end, q.start), nearestWord(PEAK_WORDS, doc.text, sentence.start, sentence.end, q.end));
  const average = Math.min(nearestWord(AVERAGE_WORDS, doc.text, sentence.start, sentence.end, q.start), nearestWord(AVERAGE_WORDS, doc.text, sentence.start, sentence.end, q.end));
  if (Math.min(peak, average) > 60) return null;
  return peak <= average ? 'peak' : 'average';
}

/** Less than an order of magnitude from the reference: a figure 10x off (or more) is off. */
function withinTenfold(ratio: number): boolean {
  return ratio > 0.1 && ratio < 10;
}

function referenceLoad(ref: ReferenceEstimate): 'peak' | 'average' | null {
  return /\bpeak\b/i.test(ref.label) ? 'peak' : /\baverage\b/i.test(ref.label) ? 'average' : null;
}

/**
 * Within 10x of the reference; a peak figure against an average reference may be up to 10x
 * more again (peaks run 2–10x the average), an average against a peak up to 10x less.
 */
function withinReference(ratio: number, figure: 'peak' | 'average' | null, ref: ReferenceEstimate): boolean {
  if (withinTenfold(ratio)) return true;
  if (figure === null) return false;
  const load = referenceLoad(ref);
  if (figure === 'peak' && load === 'average') return ratio >= 0.1 && ratio <= 100;
  if (figure === 'average' && load === 'peak') return ratio >= 0.01 && ratio <= 10;
  return false;
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
      corrected: [],
      referencesRight: new Set(),
      assumptions: [],
      referencesHit: new Set(),
    };
    const unchecked: { q: Quantity; doc: TextDoc; turn: number }[] = [];
    // Rows compared with a reference (also restated ones), in turn order.
    const referenceRows: Checked[] = [];

    for (const { turn, doc } of ctx.candidate) {
      if (!mayHaveNumbers(doc.text)) continue;
      // "I'm not going to estimate 1,160 writes a second": a figure named while declining to estimate is no estimate.
      let quantities = extractQuantities(doc);
      if (quantities.length === 0) continue;
      if (quantities.some((q) => isRefusal(doc, q.sentence))) quantities = quantities.filter((q) => !isRefusal(doc, q.sentence));
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
      const facts: ExpressionFacts = { inputs: new Set(), periods: new Map() };
      checkArithmetic(doc, quantities, turn.index, analysis.arithmeticOk, analysis.arithmeticErrors, lower, facts);

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
      const assignments = cues.length > 0 ? assignReferences(quantities, refs, cues, doc, facts) : new Map<Quantity, Assignment>();
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
        if (match.ambiguous && scopeMismatch(ratio, match.ref)) {
          // "Users send 15 messages a day": per user, not the fleet's total.
          if (!wasGiven) unchecked.push({ q, doc, turn: turn.index });
          continue;
        }
        const close = withinTenfold(ratio);
        const within = close || withinReference(ratio, figureLoad(doc, q), match.ref);
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
              ? `${prefix}${stated}, ${describeRatio(ratio)} ${reference}${close ? '' : ratio > 1 ? ' (a peak figure; peaks run up to 10× the average)' : ' (an average figure; peaks run up to 10× the average)'}`
              : `${prefix}${stated} is ${describeRatio(ratio)} ${reference} (${match.ref.arithmetic})`,
          };
        };
        const checked = new Checked(turn.index, q.sentence, row, q.start, q.end, `ref:${match.ref.id}`, within ? 0 : ordersOff(ratio));
        referenceRows.push(checked);
        if (within) analysis.referencesRight.add(match.ref.id);
        if (!wasGiven) {
          (within ? analysis.within : analysis.off).push(checked);
          analysis.referencesHit.add(match.ref.id);
        }
      }
    }
    // Sorted (stably) by turn as rows would be; only the rows kept are built.
    const rows = [...analysis.arithmeticOk, ...analysis.arithmeticErrors, ...referenceRows].sort((a, b) => a.turn - b.turn);
    // A wrong figure the candidate redoes right later (the same computation, or the same
    // reference estimated again) is corrected: its row stays, it no longer counts as wrong.
    if (analysis.arithmeticErrors.length > 0) analysis.arithmeticErrors = withoutCorrected(analysis.arithmeticErrors, analysis.arithmeticOk, analysis.corrected);
    if (analysis.off.length > 0) analysis.off = withoutCorrected(analysis.off, analysis.within, analysis.corrected);
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

