// Live estimate checks: the candidate's latest turn through the grader's own estimate checker
// (grading/evidence/estimation.ts: arithmetic re-done, figures compared with the problem's
// reference estimates by unit and cue words), so the interviewer challenges exactly what the
// score card will call wrong and never a figure the grader accepts.
import type { LoadedProblem } from '../../schemas/problem.js';
import { checkEstimates } from '../../reading/estimates.js';
import { analyzeText } from '../../reading/text.js';
import type { Vocabulary } from '../../reading/vocabulary.js';
import { extractQuantities, mayHaveNumbers } from '../../reading/numbers.js';
import type { EngineTurn } from './types.js';

export interface EstimateReading {
  /** Figures whose arithmetic is wrong or that are 10x or more off the reference, as written. */
  wrong: string[];
  /** Figures that check out (arithmetic right or within 10x of a reference), as written. */
  right: string[];
  /** Other figures the turn commits to that nothing could check ("110 cache servers"), as written. */
  stated: string[];
}

const EMPTY: EstimateReading = { wrong: [], right: [], stated: [] };

/** The estimate reading of candidate turn `at` (figures the interviewer said before it are not the candidate's). */
export function readEstimates(problem: LoadedProblem, turns: readonly EngineTurn[], at: number, vocabulary: Vocabulary): EstimateReading {
  const text = turns[at]!.text;
  if (!mayHaveNumbers(text)) return EMPTY;
  // Memoised by text in the session's vocabulary, under the problem.
  const byText = vocabulary.memo(problem, vocabulary.generation, () => new Map<string, EstimateReading>());
  const hit = byText.get(text);
  if (hit) return hit;
  const doc = analyzeText(text, vocabulary);
  const indexed = turns.slice(0, at + 1).map((t, index) => ({ index, role: t.role, text: t.text }));
  const analysis = checkEstimates({ problem, turns: indexed, candidate: [{ turn: { index: at }, doc }] });
  const written = (c: { start: number; end: number }) => text.slice(c.start, c.end).trim();
  const wrong: string[] = [];
  const right: string[] = [];
  // Only figures written with digits are challenged live: "a few million rows" is a shrug, not a claim.
  for (const c of [...analysis.arithmeticErrors, ...analysis.off]) if (c.start >= 0 && /\d/.test(written(c)) && !wrong.includes(written(c))) wrong.push(written(c));
  for (const c of [...analysis.arithmeticOk, ...analysis.within]) {
    const w = c.start >= 0 ? written(c) : '';
    if (w && !wrong.includes(w) && !right.includes(w)) right.push(w);
  }
  const stated: string[] = [];
  for (const q of extractQuantities(doc)) {
    const w = text.slice(q.start, q.end).trim();
    if (!/\d/.test(w) || wrong.includes(w) || right.includes(w) || stated.includes(w)) continue;
    if (q.unit === 'none' && q.noun === null) continue;
    if (q.unit === 'percent' || q.unit === 'ratio' || q.value < 2) continue;
    stated.push(w);
  }
  const reading = { wrong, right, stated };
  if (byText.size >= 4096) byText.clear();
  byText.set(text, reading);
  return reading;
}

/** "How did you get …?": the question that challenges a wrong figure (the figure in it, so it is never asked twice). */
export function estimateChallengeText(figure: string): string {
  return `How did you get ${figure}? Walk me through that arithmetic.`;
}
