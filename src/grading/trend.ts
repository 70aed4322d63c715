// `sdcoach progress`, the numbers: per-dimension series over graded sessions (oldest first),
// the weakest dimensions on recent form with what was missing, and the problem that exercises
// them best. Pure: the command loads sessions and problems, this module only computes, so the
// chart and `--json` are drawn from one object.
import type { Problem } from '../schemas/problem.js';
import type { GradeReport } from '../schemas/report.js';

export interface TrendSession {
  id: string;
  started: string;
  problem: string | null;
  mode: string;
  overall: number | null;
  level: string;
  /** `stored`: the grade saved with the session; `graded-now`: the evidence grader, just now. */
  grade: 'stored' | 'graded-now';
  scores: Record<string, number | null>;
}

export interface DimensionTrend {
  id: string;
  name: string;
  /** One point per session where the dimension applied (composure: interviews only). */
  points: { session: string; score: number }[];
  first: number | null;
  latest: number | null;
  mean: number | null;
  /** Mean of the last RECENT points: what "weakest" ranks by (one bad day does not dominate). */
  recent: number | null;
  /** latest − first. */
  change: number | null;
}

export interface WeakDimension {
  id: string;
  name: string;
  recent: number;
  latest: number;
  /** What the most recent session that named something missing said was missing. */
  missing: string[];
  missingFrom: string | null;
}

export interface Suggestion {
  problem: string;
  title: string;
  difficulty: string;
  /** The weak dimensions it exercises, each with the problem's tags or deep dives that match. */
  exercises: { dimension: string; because: string[] }[];
  reason: string;
}

export interface Trend {
  sessions: TrendSession[];
  overall: { points: { session: string; score: number }[]; first: number | null; latest: number | null; change: number | null };
  dimensions: DimensionTrend[];
  weakest: WeakDimension[];
}

export const RECENT = 3;

const round2 = (n: number) => Math.round(n * 100) / 100;
const mean = (values: number[]) => (values.length ? round2(values.reduce((a, b) => a + b, 0) / values.length) : null);

export function computeTrend(graded: { id: string; started: string; report: GradeReport; grade: 'stored' | 'graded-now' }[]): Trend {
  const sessions: TrendSession[] = graded.map(({ id, started, report, grade }) => ({
    id,
    started,
    problem: report.problem,
    mode: report.mode,
    overall: report.overall,
    level: report.level.label,
    grade,
    scores: Object.fromEntries(Object.values(report.dimensions).map((d) => [d.id, d.score])),
  }));

  // Dimension order and names: the latest report first (a rubric may have changed), then older ones.
  const names = new Map<string, string>();
  for (let i = graded.length - 1; i >= 0; i--) {
    for (const d of Object.values(graded[i]!.report.dimensions)) if (!names.has(d.id)) names.set(d.id, d.name);
  }

  const dimensions: DimensionTrend[] = [...names].map(([id, name]) => {
    const points = sessions.flatMap((s) => (typeof s.scores[id] === 'number' ? [{ session: s.id, score: s.scores[id]! }] : []));
    const scores = points.map((p) => p.score);
    const first = scores[0] ?? null;
    const latest = scores.at(-1) ?? null;
    return {
      id,
      name,
      points,
      first,
      latest,
      mean: mean(scores),
      recent: mean(scores.slice(-RECENT)),
      change: first !== null && latest !== null ? round2(latest - first) : null,
    };
  });

  const overallPoints = sessions.flatMap((s) => (s.overall !== null ? [{ session: s.id, score: s.overall }] : []));
  const weakest = dimensions
    .filter((d) => d.recent !== null)
    .sort((a, b) => a.recent! - b.recent! || a.latest! - b.latest! || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((d): WeakDimension => {
      // The latest session that said what was missing for this dimension.
      for (let i = graded.length - 1; i >= 0; i--) {
        const missing = graded[i]!.report.dimensions[d.id]?.missing ?? [];
        if (missing.length > 0) return { id: d.id, name: d.name, recent: d.recent!, latest: d.latest!, missing, missingFrom: graded[i]!.id };
      }
      return { id: d.id, name: d.name, recent: d.recent!, latest: d.latest!, missing: [], missingFrom: null };
    });

  const firstOverall = overallPoints[0]?.score ?? null;
  const latestOverall = overallPoints.at(-1)?.score ?? null;
  return {
    sessions,
    overall: {
      points: overallPoints,
      first: firstOverall,
      latest: latestOverall,
      change: firstOverall !== null && latestOverall !== null ? round2(latestOverall - firstOverall) : null,
    },
    dimensions,
    weakest,
  };
}

// ---------------------------------------------------------------------------
// What to practise next

/**
 * What in a problem file exercises each default dimension: words in its tags, deep-dive topics
 * and pushback questions, and how much of a section it has (reference estimates train
 * estimation, pushbacks train tradeoffs and composure). Unknown dimensions match their own id.
 */
const DIMENSION_WORDS: Record<string, { words: string[]; section?: 'reference_estimates' | 'components' | 'deep_dives' | 'pushbacks' | 'facts' }> = {
  requirements: { words: ['scope', 'requirements', 'tiers', 'custom'], section: 'facts' },
  estimation: { words: ['capacity', 'sizing', 'volume', 'throughput', 'cost'], section: 'reference_estimates' },
  architecture: { words: ['fan-out', 'pipeline', 'gateway', 'routing', 'outbox', 'streaming'], section: 'components' },
  deep_dive: { words: ['algorithm', 'atomicity', 'scheduling', 'ordering', 'idempotency'], section: 'deep_dives' },
  tradeoffs: { words: ['consistency', 'push, pull', 'algorithm choice', 'eventual', 'tradeoff'], section: 'pushbacks' },
  scalability: { words: ['scale', 'fan-out', 'hot', 'shard', 'multi-region', 'read-heavy', 'capacity', 'celebrit', 'caching', 'batching', 'overload', 'distributed', 'gpu'] },
  reliability: { words: ['failure', 'idempot', 'retry', 'outbox', 'reconcil', 'ledger', 'availability', 'reconnect', 'disconnect', 'offline', 'exactly', 'duplicate', 'unknown outcome', 'fallback', 'consistency'] },
  observability: { words: ['analytics', 'monitor', 'metric', 'alert', 'reconcil', 'trace', 'audit', 'slo', 'lag', 'observab'] },
  security: { words: ['pci', 'abuse', 'privacy', 'safety', 'compliance', 'auth', 'takedown', 'security', 'encrypt', 'fraud'] },
  composure: { words: [], section: 'pushbacks' },
};

function problemTexts(problem: Problem): string[] {
  return [
    ...problem.tags,
    ...problem.deep_dives.map((d) => d.topic),
    ...problem.pushbacks.map((p) => p.trigger.join(' ')),
  ].map((t) => t.toLowerCase());
}

/** How strongly (0…1) and why a problem exercises one dimension. */
function exercise(problem: Problem, dimension: string): { strength: number; because: string[] } {
  const spec = DIMENSION_WORDS[dimension] ?? { words: [dimension.replace(/_/g, ' ')] };
  const because = new Set<string>();
  for (const text of problemTexts(problem)) {
    if (spec.words.some((word) => text.includes(word))) because.add(text);
  }
  let strength = Math.min(1, because.size / 3);
  if (spec.section) {
    const count = (problem[spec.section] as unknown[]).length;
    if (count > 0) strength = Math.max(strength, Math.min(1, count / 6));
    if (because.size === 0 && count > 0) because.add(`${count} ${spec.section.replace(/_/g, ' ')}`);
  }
  return { strength, because: [...because].slice(0, 3) };
}

/**
 * The problem that best exercises the weak dimensions, preferring ones not practised lately:
 * a problem from the last RECENT sessions counts half, the very last one is skipped when
 * there is any other choice.
 */
export function suggestProblem(weakest: WeakDimension[], problems: Problem[], recentProblems: (string | null)[]): Suggestion | null {
  if (problems.length === 0) return null;
  const last = recentProblems.at(-1) ?? null;
  const recent = new Set(recentProblems.slice(-RECENT));
  const candidates = problems.length > 1 ? problems.filter((p) => p.id !== last) : problems;
  const scored = candidates.map((problem) => {
    const exercises = weakest.map((w) => ({ dimension: w.id, ...exercise(problem, w.id) }));
    // The weakest counts most: weights 3, 2, 1.
    let score = exercises.reduce((sum, e, i) => sum + e.strength * (weakest.length - i), 0);
    if (recent.has(problem.id)) score /= 2;
    return { problem, exercises, score };
  });
  scored.sort((a, b) => b.score - a.score || a.problem.id.localeCompare(b.problem.id));
  const best = scored[0]!;
  const used = best.exercises.filter((e) => e.strength > 0);
  const reason = used.length
    ? `exercises ${used.map((e) => `${e.dimension.replace(/_/g, ' ')} (${e.because.join(', ')})`).join('; ')}`
    : 'a problem you have not practised lately';
  return {
    problem: best.problem.id,
    title: best.problem.title,
    difficulty: best.problem.difficulty,
    exercises: used.map(({ dimension, because }) => ({ dimension, because })),
    reason,
  };
}
