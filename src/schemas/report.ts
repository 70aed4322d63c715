// The grade report: what every grader produces and every renderer reads. Its JSON form is
// documented by a JSON Schema generated from this file (schemas/grade-report.schema.json).
import { z } from 'zod';
import { Level, Mode, Phase, PushbackLabel } from './transcript.js';

export const REPORT_SCHEMA_VERSION = 1 as const;

export const Evidence = z.object({
  /** Verbatim text from the transcript (whitespace may be normalised). */
  quote: z.string(),
  /** 0-based index among the transcript's turns. */
  turn: z.number().int().nonnegative(),
  /** Why this quote counts, e.g. "states an assumption". */
  note: z.string().nullable().default(null),
});
export type Evidence = z.infer<typeof Evidence>;

export const DimensionReport = z.object({
  id: z.string(),
  name: z.string(),
  weight: z.number(),
  /** 1–5, or null when the dimension does not apply (composure in a monologue). */
  score: z.number().min(1).max(5).nullable(),
  evidence: z.array(Evidence),
  missing: z.array(z.string()),
  notes: z.array(z.string()).default([]),
  /** With --samples N (LLM judge): every sample's score, their median and max − min. */
  samples: z
    .object({ scores: z.array(z.number().nullable()), median: z.number().nullable(), spread: z.number().nullable() })
    .nullable()
    .default(null),
  /**
   * Which grader produced this score: `llm` (the judge) or `evidence` (the evidence grader; in
   * an llm report, a dimension the judge skipped or could not ground in real quotes). Absent in
   * reports written before it was recorded: then the report's `grader` did.
   */
  grader: z.enum(['evidence', 'llm']).nullable().optional(),
});
export type DimensionReport = z.infer<typeof DimensionReport>;

export const LevelResult = z.object({
  level: Level.nullable(),
  /** The next level up when the transcript is close to it. */
  trackingToward: Level.nullable(),
  /** "L5, tracking toward L6" / "L4" / "below L3". */
  label: z.string(),
  /** What keeps it from the next level, e.g. "observability 2.0 < 3.5 required for L6". */
  blockers: z.array(z.string()).default([]),
  /**
   * How much evidence the level rests on: a short or sparse session is "low" and its level is
   * capped (a 3-minute interview cannot reach L6); the blockers say why.
   */
  confidence: z.enum(['low', 'medium', 'high']).default('high'),
});
export type LevelResult = z.infer<typeof LevelResult>;

/** One thing still missing for a target level, as a plain sentence and as data. */
export const TargetShortfall = z.object({
  /**
   * overall: the weighted mean is below the level's threshold; minimum: a dimension is below the
   * level's minimum; evidence: the session is too short or sparse for the level (thin evidence
   * caps it); undefined: the rubric has no rule for the level.
   */
  kind: z.enum(['overall', 'minimum', 'evidence', 'undefined']),
  /** The dimension id for `minimum`, else null. */
  dimension: z.string().nullable(),
  /** The overall or the dimension's score (null for `evidence` and `undefined`). */
  score: z.number().nullable(),
  /** What the level needs: its min_overall or the dimension's minimum (null for `evidence` and `undefined`). */
  needed: z.number().nullable(),
  /** needed − score, two decimals (null for `evidence` and `undefined`). */
  gap: z.number().nullable(),
  /** E.g. "Observability & operations 1.9 → needs 3 for L6: no logging mentioned". */
  text: z.string(),
});
export type TargetShortfall = z.infer<typeof TargetShortfall>;

/** The level the candidate is aiming at (`grade --level`, else the session's own target) and what is still missing for it. */
export const LevelTargetReport = z.object({
  level: Level,
  /** option: `sdcoach grade --level`; session: the level target recorded in the session (practice --level). */
  source: z.enum(['option', 'session']),
  /** True when the achieved level is at or above the target. */
  met: z.boolean(),
  /** Empty when met. */
  missing: z.array(TargetShortfall),
});
export type LevelTargetReport = z.infer<typeof LevelTargetReport>;

export const PhaseTime = z.object({
  phase: Phase,
  minutes: z.number().nonnegative(),
  budgetMinutes: z.number().nonnegative(),
  verdict: z.enum(['short', 'ok', 'long']),
});
export type PhaseTime = z.infer<typeof PhaseTime>;

export const TimeReport = z.object({
  /** True for plain-text transcripts: minutes come from word counts, not a clock. */
  estimated: z.boolean(),
  totalMinutes: z.number().nonnegative(),
  phases: z.array(PhaseTime),
});
export type TimeReport = z.infer<typeof TimeReport>;

export const PushbackRow = z.object({
  /** Turn index of the interviewer's challenge. */
  turn: z.number().int().nonnegative(),
  topic: z.string(),
  challenge: z.string(),
  answer: z.string().nullable(),
  label: PushbackLabel.nullable(),
  reason: z.string(),
});
export type PushbackRow = z.infer<typeof PushbackRow>;

export const EstimateRow = z.object({
  turn: z.number().int().nonnegative(),
  quote: z.string(),
  value: z.number(),
  unit: z.string(),
  /** Which reference estimate it was compared with, if any. */
  reference: z.string().nullable(),
  referenceValue: z.number().nullable(),
  /** within: same order of magnitude; off: more than 10× away; arithmetic-error: the candidate's own sum is wrong. */
  verdict: z.enum(['within', 'off', 'arithmetic-ok', 'arithmetic-error', 'unchecked']),
  detail: z.string(),
});
export type EstimateRow = z.infer<typeof EstimateRow>;

export const Flag = z.object({
  kind: z.enum(['invented-quote', 'timing-estimated', 'transcript-problem', 'judge-repaired', 'judge-sample-failed', 'unknown-problem', 'judge-fallback']),
  message: z.string(),
});
export type Flag = z.infer<typeof Flag>;

export const GradeReport = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  file: z.string().nullable(),
  sessionId: z.string(),
  problem: z.string().nullable(),
  mode: Mode,
  rubric: z.object({
    name: z.string(),
    version: z.string(),
    /**
     * SHA-256 (hex) of the rubric's content (its parsed fields as canonical JSON: comments and
     * formatting do not change it), so two rubrics with the same name and version are told
     * apart. Null in reports written before it was recorded.
     */
    sha256: z.string().nullable().default(null),
  }),
  grader: z.enum(['evidence', 'llm']),
  model: z.string().nullable(),
  /** Weighted mean of the applicable dimension scores, 1–5, two decimals. */
  overall: z.number().min(1).max(5).nullable(),
  level: LevelResult,
  dimensions: z.record(z.string(), DimensionReport),
  strengths: z.array(z.string()),
  toExpand: z.array(z.string()),
  time: TimeReport,
  pushbacks: z.array(PushbackRow),
  estimates: z.array(EstimateRow),
  flags: z.array(Flag),
  gradedAt: z.string(),
  /**
   * The level target and what is still missing for it ("for L6 you still need …"); null when no
   * target was set, absent in reports written before it was recorded.
   */
  target: LevelTargetReport.nullable().optional(),
});
export type GradeReport = z.infer<typeof GradeReport>;

/**
 * A file `sdcoach grade` could not grade (unreadable, no candidate text, no file matched a
 * pattern): listed in every output beside the reports, so a script sees every input it gave.
 * It has no `schemaVersion`, which tells it from a report.
 */
export const GradeFailure = z.object({
  /** The file, or the pattern that matched nothing. */
  file: z.string(),
  error: z.string(),
});
export type GradeFailure = z.infer<typeof GradeFailure>;
