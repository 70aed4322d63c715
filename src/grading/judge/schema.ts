// What the LLM judge must answer, as a zod schema (checked on every reply) and as the JSON
// Schema sent for structured output. OpenAI's strict mode wants every property required and
// `additionalProperties: false` everywhere, so "no value" is `null` (`.nullable()`), never a
// missing key (`.optional()`).
import { z } from 'zod';

export const JudgeEvidence = z.object({
  quote: z.string().describe("Verbatim text copied from one candidate turn"),
  turn: z.number().int().nonnegative().describe('Index N of the [turn N] the quote comes from'),
});
export type JudgeEvidence = z.infer<typeof JudgeEvidence>;

export const JudgeDimension = z.object({
  id: z.string().describe('Rubric dimension id'),
  score: z
    .number()
    .min(1)
    .max(5)
    .nullable()
    .describe('1-5 from the anchors, or null when the dimension does not apply to this mode'),
  evidence: z.array(JudgeEvidence),
  missing: z.array(z.string()).describe('What a stronger answer would have covered'),
  rationale: z.string(),
});
export type JudgeDimension = z.infer<typeof JudgeDimension>;

export const JudgeAnswer = z.object({
  dimensions: z.array(JudgeDimension),
  strengths: z.array(z.string()),
  to_expand: z.array(z.string()),
});
export type JudgeAnswer = z.infer<typeof JudgeAnswer>;

export const JUDGE_SCHEMA_NAME = 'judge_answer';

type Json = Record<string, unknown>;

/**
 * Make a JSON Schema acceptable to strict structured output: every object closed
 * (`additionalProperties: false`) with all its properties required, no `$schema`, and no
 * meaningless safe-integer bounds (zod adds ±2^53−1 to `.int()`).
 */
export function strictJsonSchema(schema: Json): Json {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === '$schema') continue;
      if ((key === 'maximum' || key === 'minimum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
      out[key] = visit(value);
    }
    const isObject = out.type === 'object' || (out.properties !== undefined && out.type === undefined);
    if (isObject) {
      const properties = (out.properties ?? {}) as Json;
      out.properties = properties;
      out.required = Object.keys(properties);
      out.additionalProperties = false;
    }
    return out;
  };
  return visit(schema) as Json;
}

let cachedJsonSchema: Json | undefined;

/** The judge answer's JSON Schema, strict-compatible (computed once). */
export function judgeJsonSchema(): Json {
  cachedJsonSchema ??= strictJsonSchema(z.toJSONSchema(JudgeAnswer) as Json);
  return cachedJsonSchema;
}

/** The `jsonSchema` field of a provider request. */
export function judgeResponseFormat(): { name: string; schema: Json; strict: boolean } {
  return { name: JUDGE_SCHEMA_NAME, schema: judgeJsonSchema(), strict: true };
}
