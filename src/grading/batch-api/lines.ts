// The Batch API's JSONL line formats (input, output, error files), and what a collected line
// means for one request: the judge's reply text, or why there is none.
import { z } from 'zod';

export const BATCH_ENDPOINT = '/v1/chat/completions';

/** One line of the input file: the same Chat Completions body the interactive judge sends. */
export interface BatchInputLine {
  custom_id: string;
  method: 'POST';
  url: typeof BATCH_ENDPOINT;
  body: Record<string, unknown>;
}

/** One line of the output or error file (only what sdcoach reads is checked). */
export const BatchOutputLine = z.object({
  id: z.string().optional(),
  custom_id: z.string(),
  response: z
    .object({
      status_code: z.number().int(),
      request_id: z.string().optional(),
      body: z.unknown(),
    })
    .nullable()
    .optional(),
  error: z
    .object({
      code: z.string().nullable().optional(),
      message: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type BatchOutputLine = z.infer<typeof BatchOutputLine>;

const ChatCompletionBody = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});
const ErrorBody = z.object({ error: z.object({ message: z.string() }) });

export type RequestOutcome = { ok: true; reply: string } | { ok: false; reason: string };

/** What one output/error line says about its request. */
export function outcomeOf(line: BatchOutputLine): RequestOutcome {
  if (line.error)
    return {
      ok: false,
      reason: `${line.error.code ?? 'error'}: ${line.error.message ?? 'no message'}`,
    };
  const response = line.response;
  if (!response)
    return {
      ok: false,
      reason: 'no response and no error in the batch output',
    };
  if (response.status_code !== 200) {
    const error = ErrorBody.safeParse(response.body);
    return {
      ok: false,
      reason: `HTTP ${response.status_code}${error.success ? `: ${error.data.error.message}` : ''}`,
    };
  }
  const body = ChatCompletionBody.safeParse(response.body);
  if (!body.success) return { ok: false, reason: 'the response is not a chat completion' };
  const choice = body.data.choices[0]!;
  if (choice.finish_reason === 'length')
    return {
      ok: false,
      reason: 'the reply was cut off (finish_reason length)',
    };
  return { ok: true, reply: choice.message.content ?? '' };
}

/**
 * custom_id → outcome, from the output file then the error file (an id in both: the output
 * wins). Lines that are not JSON or not the line format are counted, not fatal.
 */
export function readOutcomes(...files: string[]): {
  outcomes: Map<string, RequestOutcome>;
  unreadable: number;
} {
  const outcomes = new Map<string, RequestOutcome>();
  let unreadable = 0;
  for (const text of files) {
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let parsed: z.ZodSafeParseResult<BatchOutputLine>;
      try {
        parsed = BatchOutputLine.safeParse(JSON.parse(raw));
      } catch {
        unreadable++;
        continue;
      }
      if (!parsed.success) {
        unreadable++;
        continue;
      }
      const existing = outcomes.get(parsed.data.custom_id);
      if (!existing || !existing.ok) outcomes.set(parsed.data.custom_id, outcomeOf(parsed.data));
    }
  }
  return { outcomes, unreadable };
}
