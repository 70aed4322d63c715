// Rubric files (rubrics/*.yaml): what a transcript is graded against. Strict: an unknown key
// is an error (the loader adds a did-you-mean), because a typo in a hand-edited rubric must
// not silently change grades. YAML keys are snake_case for the coaches who edit them.
import { z } from 'zod';
import { Level, Mode } from './transcript.js';

/** The default rubric's dimension ids; reports and scripts rely on them, so they never change. */
export const DEFAULT_DIMENSION_IDS = [
  'requirements',
  'estimation',
  'architecture',
  'deep_dive',
  'tradeoffs',
  'scalability',
  'reliability',
  'observability',
  'security',
  'clarity',
  'time_management',
  'composure',
] as const;

/**
 * How the offline evidence grader scores a dimension. `concepts` (the default for any id
 * without a specialised analyzer) scores coverage and depth of the dimension's signals.
 */
export const Analyzer = z.enum(['concepts', 'requirements', 'deep_dive', 'estimation', 'time_management', 'tradeoffs', 'composure', 'clarity']);
export type Analyzer = z.infer<typeof Analyzer>;

/** A concept the evidence grader looks for: any of its patterns (case-insensitive words/phrases; `*` = prefix). */
export const Signal = z
  .object({
    name: z.string().min(1),
    patterns: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type Signal = z.infer<typeof Signal>;

const anchor = z.string().min(1, 'anchor text must not be empty');
/** One description per score, so graders (human or LLM) share the same scale. */
export const Anchors = z
  .object({ 1: anchor, 2: anchor, 3: anchor, 4: anchor, 5: anchor })
  .strict();

export const Dimension = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are lower_snake_case'),
    name: z.string().min(1),
    weight: z.number().positive(),
    description: z.string().min(1),
    analyzer: Analyzer.optional(),
    signals: z.array(Signal).default([]),
    anchors: Anchors,
    judge_guidance: z.string().min(1),
    modes: z.array(Mode).min(1).default(['interview', 'monologue']),
  })
  .strict();
export type Dimension = z.infer<typeof Dimension>;

export const LevelRule = z
  .object({
    level: Level,
    /** Weighted overall score (1–5) needed. */
    min_overall: z.number().min(1).max(5),
    /** Per-dimension floors, e.g. { tradeoffs: 4 }; a dimension that does not apply is skipped. */
    minimums: z.record(z.string(), z.number().min(1).max(5)).default({}),
    summary: z.string().optional(),
  })
  .strict();
export type LevelRule = z.infer<typeof LevelRule>;

export const Rubric = z
  .object({
    name: z.string().min(1),
    version: z.union([z.string().min(1), z.number()]).transform(String),
    description: z.string().min(1),
    scale: z.object({ min: z.literal(1), max: z.literal(5) }).strict(),
    dimensions: z.array(Dimension).min(1),
    levels: z.array(LevelRule).min(1),
  })
  .strict()
  // Cross-references: run even when other fields have errors (`when`), so a coach sees a duplicate
  // id or a misspelt minimum in the same pass as a typo elsewhere; hence the defensive reads.
  .superRefine(
    (rubric, ctx) => {
      const dimensions = rubric.dimensions as unknown[];
      const levels = rubric.levels as unknown[];
      const ids = new Set<string>();
      dimensions.forEach((dimension, index) => {
        const id = isRecord(dimension) ? dimension.id : undefined;
        if (typeof id !== 'string') return;
        if (ids.has(id)) {
          ctx.addIssue({ code: 'custom', path: ['dimensions', index, 'id'], message: `duplicate dimension id "${id}"` });
        }
        ids.add(id);
      });
      const seenLevels = new Set<unknown>();
      let previous: { level: unknown; min_overall: number } | undefined;
      levels.forEach((rule, index) => {
        if (!isRecord(rule)) return;
        if (typeof rule.level === 'string') {
          if (seenLevels.has(rule.level)) {
            ctx.addIssue({ code: 'custom', path: ['levels', index, 'level'], message: `level ${rule.level} is listed twice` });
          }
          seenLevels.add(rule.level);
        }
        if (isRecord(rule.minimums)) {
          for (const id of Object.keys(rule.minimums)) {
            if (!ids.has(id)) {
              ctx.addIssue({
                code: 'custom',
                path: ['levels', index, 'minimums', id],
                message: `unknown dimension "${id}" (dimensions: ${[...ids].join(', ') || 'none'})`,
              });
            }
          }
        }
        if (typeof rule.min_overall !== 'number') return;
        if (previous && rule.min_overall < previous.min_overall) {
          ctx.addIssue({
            code: 'custom',
            path: ['levels', index, 'min_overall'],
            message: `levels must be listed from lowest to highest threshold (${String(rule.level)} < ${String(previous.level)})`,
          });
        }
        previous = { level: rule.level, min_overall: rule.min_overall };
      });
    },
    {
      when: (payload) =>
        isRecord(payload.value) && Array.isArray(payload.value.dimensions) && Array.isArray(payload.value.levels),
    },
  );
export type Rubric = z.infer<typeof Rubric>;
export type RubricInput = z.input<typeof Rubric>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The analyzer a dimension uses: explicit, else by its well-known id, else concept coverage. */
export function analyzerFor(dimension: Pick<Dimension, 'id' | 'analyzer'>): Analyzer {
  if (dimension.analyzer) return dimension.analyzer;
  const byId = Analyzer.safeParse(dimension.id);
  return byId.success ? byId.data : 'concepts';
}
