// Estimation: the candidate's numbers, their own arithmetic, and how close they land to the
// problem's reference estimates.
//
// The claims themselves (figures, units, scope, arithmetic, references) are read by
// reading/estimates.ts; this file scores what it finds.
//
//
// Score: no numbers → 1. Otherwise 1 + 4 × weighted mean of
//   quantities  0.7 × min(distinct derived quantities, 5) / 5
//               + 0.3 × kinds covered (traffic, storage) / 2  weight 1.5
//   arithmetic  correct / checked × min(1, checked / 2)      weight 1 (0 when none is shown)
//   references  0.6 × within/compared + 0.4 × references hit weight 1 (only with a known problem)
//   assumptions min(sentences stating one, 2) / 2            weight 0.5
// capped when an estimate is wrong (an arithmetic error, or a reference a figure is 10× or more
// off; a wrong result also off its reference counts once): 3, minus 0.5 per order of magnitude
// beyond 10× (1000× → 2, at most 10,000× counted), minus 0.2 per further wrong estimate (≤ 0.6).
// The report never lists a dimension with a wrong estimate under what went well, and always
// names it under what to expand.
import type { Evidence } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { result, type EvidenceContext } from './context.js';
import { formatQuantity, isMeaningful } from '../../reading/numbers.js';
import { clampScore, quoteAround } from '../../reading/text.js';
import { Checked, checkEstimates, type CandidateQuantity, type EstimationAnalysis } from '../../reading/estimates.js';

/** Quantities, checks and rows for the whole transcript, computed once per run. */
export function analyzeEstimates(ctx: EvidenceContext): EstimationAnalysis {
  return ctx.once('estimates', () => checkEstimates({ problem: ctx.input.problem, turns: ctx.turns, candidate: ctx.candidate }));
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
  /**
   * Wrong estimates not corrected later, each as how many orders of magnitude it is off: every
   * arithmetic error, and each reference a figure is 10x or more off (counted once per reference).
   */
  wrong?: readonly number[];
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
  return clampScore(Math.min(1 + 4 * mean, wrongEstimateCap(parts.wrong ?? [])));
}

/**
 * A wrong estimate caps the score: 3 for one within 10x (a slip, or a figure 10x off), half a
 * point lower per order of magnitude beyond (100x → 2.5, 1000x → 2, 10,000x or more → 1.5), and
 * 0.2 lower for each further wrong estimate (at most 0.6).
 */
export function wrongEstimateCap(wrong: readonly number[]): number {
  if (wrong.length === 0) return 5;
  const worst = Math.min(4, Math.max(...wrong));
  return 3 - 0.5 * Math.max(0, worst - 1) - 0.2 * Math.min(3, wrong.length - 1);
}

/** How the missing lines naming a wrong estimate start (the report keeps such a dimension out of what went well). */
export const REDO_ARITHMETIC = 'arithmetic to redo: ';
export const OFF_ESTIMATE = 'estimate off by more than 10×: ';

/**
 * Orders of magnitude off, per uncorrected arithmetic error and per reference an estimate is off
 * (the worst figure for it). A wrong result that is also off its reference is one mistake.
 */
function wrongEstimates(analysis: EstimationAnalysis, off: Checked[]): number[] {
  const wrong = analysis.arithmeticErrors.map((c) => c.orders);
  const results = new Set(analysis.arithmeticErrors.map((c) => `${c.turn}:${c.start}`));
  const byReference = new Map<string, number>();
  for (const c of off) {
    if (results.has(`${c.turn}:${c.start}`)) continue;
    byReference.set(c.key, Math.max(byReference.get(c.key) ?? 0, c.orders));
  }
  return [...wrong, ...byReference.values()];
}

/** Beyond this many orders of magnitude a figure is another quantity (a size per item, a per-node figure), not an estimate of the reference. */
const PLAUSIBLY_OFF = 4;

/**
 * Figures off the reference that are wrong estimates of it: no figure of the candidate's is
 * within 10x of that reference, restating the interviewer's included (else the off figure is
 * another quantity sharing its cue words: cache misses among "reads", one hot key's reads),
 * and it is at most 10,000x off.
 */
function wrongOff(analysis: EstimationAnalysis): Checked[] {
  if (analysis.off.length === 0) return analysis.off;
  return analysis.off.filter((c) => !analysis.referencesRight.has(c.key.slice(4)) && c.orders <= PLAUSIBLY_OFF);
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
  const offWrong = wrongOff(analysis);
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
    wrong: wrongEstimates(analysis, offWrong),
  });

  // Evidence: what is wrong first when something is (it is what the score says), then a
  // correct sum, a number close to its reference, a stated assumption.
  const evidence: Evidence[] = [];
  const used = new Set<string>();
  const add = (turn: number, quote: string, note: string) => {
    const key = `${turn}:${quote}`;
    if (used.has(key) || evidence.length >= 4 || !quote) return;
    used.add(key);
    evidence.push({ quote, turn, note });
  };
  const first = <T>(list: T[]) => list[0];
  const error = first(analysis.arithmeticErrors);
  if (error) add(error.turn, error.row.quote, `arithmetic error: ${error.row.detail}`);
  const off = first(offWrong);
  if (off) add(off.turn, off.row.quote, `off by more than 10×: ${off.row.detail}`);
  const ok = first(analysis.arithmeticOk);
  if (ok) add(ok.turn, ok.row.quote, `arithmetic checks out: ${ok.row.detail}`);
  const within = first(analysis.within);
  if (within) add(within.turn, within.row.quote, `close to the reference: ${within.row.detail}`);
  const assumption = first(analysis.assumptions);
  if (assumption) add(assumption.turn, quoteAround(assumption.doc, assumption.sentence), 'states an assumption behind the number');
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

  // Wrong estimates first: the first thing to fix, and what the report names under what to expand.
  const missing: string[] = [];
  for (const e of analysis.arithmeticErrors.slice(0, 2)) missing.push(`${REDO_ARITHMETIC}${e.row.detail}`);
  for (const o of offWrong.slice(0, 2)) missing.push(`${OFF_ESTIMATE}${o.row.detail}`);
  if (derived.length === 0) missing.push("no numbers of the candidate's own: only figures the interviewer gave");
  if (!traffic) missing.push('no traffic estimate (requests per second or per day)');
  if (!storage) missing.push('no storage estimate (bytes over the retention period)');
  if (analysis.arithmeticOk.length + analysis.arithmeticErrors.length === 0) missing.push('no arithmetic shown ("X per day ÷ 100k seconds ≈ Y per second")');
  if (analysis.assumptions.length === 0) missing.push('no assumptions stated ("assume 500 bytes per record", "let\'s say 10 reads per user")');
  for (const ref of refs) {
    if (!analysis.referencesHit.has(ref.id)) missing.push(`no estimate of ${ref.label} (reference ≈ ${formatQuantity(ref.value, ref.unit)})`);
  }
  notes.push(
    `${distinct} distinct quantit${distinct === 1 ? 'y' : 'ies'} estimated; arithmetic ${analysis.arithmeticOk.length} correct, ${analysis.arithmeticErrors.length} wrong` +
      (refs.length > 0 ? `; ${analysis.within.length} within 10× of a reference, ${analysis.off.length} off` : '') +
      (analysis.corrected.length > 0 ? `; ${analysis.corrected.length} wrong figure${analysis.corrected.length === 1 ? '' : 's'} corrected later` : '') +
      `; ${analysis.assumptions.length} assumption${analysis.assumptions.length === 1 ? '' : 's'} stated`,
  );
  return result(score, { evidence, missing: [...new Set(missing)].slice(0, 8), notes });
}
