// Transcript file format, version 1: JSONL, one event a line, the session meta first.
// Readers must accept every version they know; writers always write the newest.
import { z } from 'zod';

export const TRANSCRIPT_SCHEMA_VERSION = 1 as const;

export const Role = z.enum(['candidate', 'interviewer', 'system']);
export type Role = z.infer<typeof Role>;

export const Mode = z.enum(['interview', 'monologue']);
export type Mode = z.infer<typeof Mode>;

/** Interview phases in the order a 45-minute interview usually moves through them. */
export const Phase = z.enum(['clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up']);
export type Phase = z.infer<typeof Phase>;

export const Level = z.enum(['L3', 'L4', 'L5', 'L6', 'L7']);
export type Level = z.infer<typeof Level>;

export const PushbackLabel = z.enum(['defended', 'revised-with-reasons', 'capitulated']);
export type PushbackLabel = z.infer<typeof PushbackLabel>;

const elapsedMs = z.number().int().nonnegative();

export const SessionMeta = z.object({
  type: z.literal('meta'),
  schemaVersion: z.literal(TRANSCRIPT_SCHEMA_VERSION),
  id: z.string().min(1),
  problem: z.string().nullable(),
  mode: Mode,
  provider: z.string().min(1),
  model: z.string().nullable(),
  rubric: z.string().nullable(),
  levelTarget: Level.nullable(),
  /** ISO-8601 wall-clock start. */
  started: z.string().min(1),
  minutes: z.number().positive().optional(),
  seed: z.number().int().optional(),
  /**
   * `recorded`: elapsedMs came from a clock during the session.
   * `estimated`: imported text, elapsedMs derived from word counts (graders say so).
   */
  timing: z.enum(['recorded', 'estimated']).default('recorded'),
  /** Where an imported transcript came from. */
  source: z.string().optional(),
});
export type SessionMeta = z.infer<typeof SessionMeta>;

export const TurnEvent = z.object({
  type: z.literal('turn'),
  role: Role,
  text: z.string(),
  elapsedMs,
  phase: Phase.nullable().default(null),
  /** A reply cut short (Esc, network failure): the text is what arrived. */
  partial: z.boolean().optional(),
});
export type TurnEvent = z.infer<typeof TurnEvent>;

export const PhaseEvent = z.object({
  type: z.literal('phase'),
  phase: Phase,
  elapsedMs,
});
export type PhaseEvent = z.infer<typeof PhaseEvent>;

export const PushbackEvent = z.object({
  type: z.literal('pushback'),
  /** Index (0-based, among turn events) of the interviewer turn that pushed back. */
  turn: z.number().int().nonnegative(),
  topic: z.string(),
  /** Filled in once the candidate has answered. */
  label: PushbackLabel.nullable().default(null),
  elapsedMs,
});
export type PushbackEvent = z.infer<typeof PushbackEvent>;

export const EndEvent = z.object({
  type: z.literal('end'),
  reason: z.enum(['completed', 'time-up', 'user-ended', 'interrupted', 'error']),
  elapsedMs,
});
export type EndEvent = z.infer<typeof EndEvent>;

export const GradeEvent = z.object({
  type: z.literal('grade'),
  /** A grade report; its own schema (grading) versions it. */
  report: z.record(z.string(), z.unknown()),
  elapsedMs: elapsedMs.optional(),
});
export type GradeEvent = z.infer<typeof GradeEvent>;

export const TranscriptEvent = z.discriminatedUnion('type', [
  TurnEvent,
  PhaseEvent,
  PushbackEvent,
  EndEvent,
  GradeEvent,
]);
export type TranscriptEvent = z.infer<typeof TranscriptEvent>;
/** What callers pass to append(): defaults may be left out. */
export type TranscriptEventInput = z.input<typeof TranscriptEvent>;
export type SessionMetaInput = z.input<typeof SessionMeta>;

/** A line the reader could not use, with its 1-based line number. */
export interface TranscriptProblem {
  line: number;
  message: string;
}

/** The in-memory shape shared by saved sessions and imported plain text. */
export interface Transcript {
  file: string | null;
  format: 'jsonl' | 'plain';
  meta: SessionMeta;
  events: TranscriptEvent[];
  /** Bad lines, reported instead of thrown. */
  problems: TranscriptProblem[];
  /** The last line was cut mid-write (a crash); it is dropped and is not an error. */
  tornTail: boolean;
}
