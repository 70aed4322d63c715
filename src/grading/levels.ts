// Overall score and engineering level from a rubric's weights and level rules.
import type { LevelResult } from '../schemas/report.js';
import type { Level } from '../schemas/transcript.js';
import type { LevelRule, Rubric } from '../schemas/rubric.js';

/** How much the candidate said, and over how long (null when the transcript has no times). */
export interface EvidenceSize {
  candidateWords: number;
  minutes: number | null;
}

/**
 * Thin evidence caps the level: under 250 candidate words (or 6 timed minutes) nothing above L4
 * is credible, under 800 words (or 15 timed minutes) nothing above L5. Under 1,500 words (or 25
 * minutes) the level stands but is less sure.
 */
const CAPS: readonly { words: number; minutes: number; cap: number; confidence: 'low' | 'medium' }[] = [
  { words: 250, minutes: 6, cap: 1, confidence: 'low' },
  { words: 800, minutes: 15, cap: 2, confidence: 'low' },
  { words: 1500, minutes: 25, cap: Infinity, confidence: 'medium' },
];

/** How close counts as "tracking toward" the next level. */
export const TRACKING_OVERALL_MARGIN = 0.35;
export const TRACKING_MINIMUM_MARGIN = 0.75;

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Weighted mean over the dimensions that have a score (weights renormalised); null if none do. */
export function weightedOverall(rubric: Rubric, scores: Record<string, number | null>): number | null {
  let total = 0;
  let weights = 0;
  for (const dimension of rubric.dimensions) {
    const score = scores[dimension.id];
    if (score === null || score === undefined) continue;
    total += score * dimension.weight;
    weights += dimension.weight;
  }
  return weights === 0 ? null : round(total / weights, 2);
}

/** One reason a level rule is not met: the overall or a dimension below what the rule needs. */
export interface RuleShortfall {
  text: string;
  gap: number;
  kind: 'overall' | 'minimum';
  /** The dimension below its minimum (null for the overall). */
  dimension: string | null;
  score: number;
  needed: number;
}

/** Why a rule is not met: empty when it is. A dimension with no score (not applicable) never blocks. */
export function ruleShortfalls(
  rule: LevelRule,
  overall: number,
  scores: Record<string, number | null>,
  names: Record<string, string>,
): RuleShortfall[] {
  const shortfalls: RuleShortfall[] = [];
  if (overall < rule.min_overall) {
    shortfalls.push({
      kind: 'overall',
      dimension: null,
      score: overall,
      needed: rule.min_overall,
      gap: rule.min_overall - overall,
      text: `overall ${overall.toFixed(2)} < ${rule.min_overall} needed for ${rule.level}`,
    });
  }
  for (const [id, minimum] of Object.entries(rule.minimums)) {
    const score = scores[id];
    if (score === null || score === undefined || score >= minimum) continue;
    shortfalls.push({
      kind: 'minimum',
      dimension: id,
      score,
      needed: minimum,
      gap: minimum - score,
      text: `${names[id] ?? id} ${score.toFixed(1)} < ${minimum} required for ${rule.level}`,
    });
  }
  return shortfalls;
}

/** The first thin-evidence band the session falls in (its cap is a rule index), or undefined. */
function thinEvidence(size: EvidenceSize) {
  return CAPS.find((c) => size.candidateWords < c.words || (size.minutes !== null && size.minutes < c.minutes));
}

/** What keeps a session from a target level: the target rule's shortfalls, and thin evidence capping below it. */
export interface TargetGap {
  /** The target's index among the rubric's rules (-1 when the rubric has no rule for it). */
  ruleIndex: number;
  shortfalls: RuleShortfall[];
  /** Set when thin evidence caps the level below the target: the highest level it allows and what the target needs. */
  cap: { level: Level; candidateWords: number; minutes: number | null; wordsNeeded: number; minutesNeeded: number } | null;
}

/**
 * Why `target` is not reached (whatever the achieved level): its rule's shortfalls, and the
 * thin-evidence cap when the session is too short or sparse for a level that high. Both empty
 * when nothing in the scores or the evidence stands in its way.
 */
export function targetGap(rubric: Rubric, target: Level, overall: number, scores: Record<string, number | null>, size: EvidenceSize | null = null): TargetGap {
  const ruleIndex = rubric.levels.findIndex((rule) => rule.level === target);
  if (ruleIndex < 0) return { ruleIndex, shortfalls: [], cap: null };
  const names = Object.fromEntries(rubric.dimensions.map((d) => [d.id, d.name]));
  const shortfalls = ruleShortfalls(rubric.levels[ruleIndex]!, overall, scores, names);
  let cap: TargetGap['cap'] = null;
  const thin = size ? thinEvidence(size) : undefined;
  if (size && thin && ruleIndex > thin.cap) {
    // The fullest band whose cap is still below the target: what the session must reach.
    const needed = CAPS.filter((c) => c.cap < ruleIndex).at(-1)!;
    cap = { level: rubric.levels[thin.cap]!.level, candidateWords: size.candidateWords, minutes: size.minutes, wordsNeeded: needed.words, minutesNeeded: needed.minutes };
  }
  return { ruleIndex, shortfalls, cap };
}

export function levelFor(rubric: Rubric, overall: number | null, scores: Record<string, number | null>, size: EvidenceSize | null = null): LevelResult {
  const rules = rubric.levels;
  const lowest = rules[0]!;
  if (overall === null) return { level: null, trackingToward: null, label: 'not graded', blockers: [], confidence: 'high' };
  const names = Object.fromEntries(rubric.dimensions.map((d) => [d.id, d.name]));
  let achievedIndex = -1;
  rules.forEach((rule, index) => {
    if (ruleShortfalls(rule, overall, scores, names).length === 0) achievedIndex = index;
  });
  // Thin evidence: how sure the level is, and the highest rule index it may reach.
  let confidence: LevelResult['confidence'] = 'high';
  let capText: string | null = null;
  if (size) {
    const thin = thinEvidence(size);
    if (thin) {
      confidence = thin.confidence;
      if (achievedIndex > thin.cap) {
        achievedIndex = thin.cap;
        const m = size.minutes === null ? 0 : Math.max(1, Math.round(size.minutes));
        const over = size.minutes !== null ? ` over ${m} minute${m === 1 ? '' : 's'}` : '';
        capText = `thin evidence: ${size.candidateWords} candidate words${over}; a level above ${rules[thin.cap]!.level} needs a fuller session (at least ${thin.words} words and ${thin.minutes} minutes)`;
      }
    }
  }
  const next = rules[achievedIndex + 1];
  const blockers = next ? ruleShortfalls(next, overall, scores, names) : [];
  const tracking =
    capText === null &&
    next !== undefined &&
    blockers.every((b) => b.gap <= (b.kind === 'overall' ? TRACKING_OVERALL_MARGIN : TRACKING_MINIMUM_MARGIN));
  const level = achievedIndex >= 0 ? rules[achievedIndex]!.level : null;
  const base = level ?? `below ${lowest.level}`;
  const label = tracking ? `${base}, tracking toward ${next!.level}` : capText ? `${base} (capped: thin evidence)` : base;
  return {
    level,
    trackingToward: tracking ? next!.level : null,
    label,
    blockers: capText ? [capText, ...blockers.map((b) => b.text)] : blockers.map((b) => b.text),
    confidence,
  };
}

/**
 * Candidate words and the session's length from its turns' times (null when untimed, or when the
 * times are estimated from word counts, as for a pasted transcript: then words alone decide).
 */
export function evidenceSize(turns: readonly { role: string; text: string; elapsedMs: number }[], estimatedTimes = false): EvidenceSize {
  let words = 0;
  let last = 0;
  for (const turn of turns) {
    if (turn.role === 'candidate') words += turn.text.split(/\s+/).filter(Boolean).length;
    last = Math.max(last, turn.elapsedMs);
  }
  return { candidateWords: words, minutes: last > 0 && !estimatedTimes ? last / 60_000 : null };
}
