// Overall score and engineering level from a rubric's weights and level rules.
import type { LevelResult } from '../schemas/report.js';
import type { LevelRule, Rubric } from '../schemas/rubric.js';

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

/** Why a rule is not met: empty when it is. A dimension with no score (not applicable) never blocks. */
export function ruleShortfalls(
  rule: LevelRule,
  overall: number,
  scores: Record<string, number | null>,
  names: Record<string, string>,
): { text: string; gap: number; kind: 'overall' | 'minimum' }[] {
  const shortfalls: { text: string; gap: number; kind: 'overall' | 'minimum' }[] = [];
  if (overall < rule.min_overall) {
    shortfalls.push({
      kind: 'overall',
      gap: rule.min_overall - overall,
      text: `overall ${overall.toFixed(2)} < ${rule.min_overall} needed for ${rule.level}`,
    });
  }
  for (const [id, minimum] of Object.entries(rule.minimums)) {
    const score = scores[id];
    if (score === null || score === undefined || score >= minimum) continue;
    shortfalls.push({
      kind: 'minimum',
      gap: minimum - score,
      text: `${names[id] ?? id} ${score.toFixed(1)} < ${minimum} required for ${rule.level}`,
    });
  }
  return shortfalls;
}

export function levelFor(rubric: Rubric, overall: number | null, scores: Record<string, number | null>): LevelResult {
  const rules = rubric.levels;
  const lowest = rules[0]!;
  if (overall === null) return { level: null, trackingToward: null, label: 'not graded', blockers: [] };
  const names = Object.fromEntries(rubric.dimensions.map((d) => [d.id, d.name]));
  let achievedIndex = -1;
  rules.forEach((rule, index) => {
    if (ruleShortfalls(rule, overall, scores, names).length === 0) achievedIndex = index;
  });
  const next = rules[achievedIndex + 1];
  const blockers = next ? ruleShortfalls(next, overall, scores, names) : [];
  const tracking =
    next !== undefined &&
    blockers.every((b) => b.gap <= (b.kind === 'overall' ? TRACKING_OVERALL_MARGIN : TRACKING_MINIMUM_MARGIN));
  const level = achievedIndex >= 0 ? rules[achievedIndex]!.level : null;
  const base = level ?? `below ${lowest.level}`;
  return {
    level,
    trackingToward: tracking ? next!.level : null,
    label: tracking ? `${base}, tracking toward ${next!.level}` : base,
    blockers: blockers.map((b) => b.text),
  };
}
