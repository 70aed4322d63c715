// Problem files (prompts/problems/<id>.md): YAML front-matter + the statement as the body.
// The grader uses the reference estimates and expected components; the builtin interviewer
// (a later issue) uses the fact sheet, deep dives and pushbacks. Strict, like rubrics.
import { z } from 'zod';

/** Units estimates are compared in, after normalisation (`23k QPS` → 23000 per_second). */
export const EstimateUnit = z.enum(['per_second', 'per_day', 'count', 'bytes', 'bytes_per_second', 'milliseconds']);
export type EstimateUnit = z.infer<typeof EstimateUnit>;

export const ReferenceEstimate = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    label: z.string().min(1),
    value: z.number().positive(),
    unit: EstimateUnit,
    /** The arithmetic behind the value, shown when a candidate's number is off. */
    arithmetic: z.string().min(1),
    /** Words near a candidate's number that say it is this quantity (e.g. write, create). */
    cues: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type ReferenceEstimate = z.infer<typeof ReferenceEstimate>;

export const Fact = z
  .object({
    topic: z.string().min(1),
    /** Words in a clarifying question that this fact answers. */
    ask: z.array(z.string().min(1)).min(1),
    answer: z.string().min(1),
  })
  .strict();

export const Component = z
  .object({
    name: z.string().min(1),
    synonyms: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const Pushback = z
  .object({
    /** Technologies or choices that trigger it. */
    trigger: z.array(z.string().min(1)).min(1),
    question: z.string().min(1),
    /** What a good answer covers. */
    expected: z.string().min(1),
  })
  .strict();

export const DeepDive = z
  .object({
    topic: z.string().min(1),
    prompt: z.string().min(1),
  })
  .strict();

export const Problem = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-kebab-case'),
    title: z.string().min(1),
    difficulty: z.enum(['easy', 'medium', 'hard']),
    tags: z.array(z.string()).default([]),
    facts: z.array(Fact).default([]),
    reference_estimates: z.array(ReferenceEstimate).default([]),
    components: z.array(Component).default([]),
    deep_dives: z.array(DeepDive).default([]),
    pushbacks: z.array(Pushback).default([]),
    levels: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type Problem = z.infer<typeof Problem>;

/** A problem with its statement (the markdown body). */
export interface LoadedProblem extends Problem {
  statement: string;
  file: string;
}
