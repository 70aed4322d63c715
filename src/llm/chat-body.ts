// The Chat Completions request body, from one place: what the openai provider streams and what
// a Batch API line carries. Kept apart from the provider so the Batch API (and its worker
// threads) can shape requests without loading the openai client.
import type { StreamRequest } from './provider.js';

/**
 * The Chat Completions body for a request, without the streaming fields: what the provider
 * streams, and what a Batch API line carries (grading/batch-api/requests.ts), from one place.
 */
export function chatCompletionBody(model: string, request: Pick<StreamRequest, 'messages' | 'temperature' | 'maxTokens' | 'jsonSchema'>) {
  return {
    model,
    messages: request.messages,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
    ...(request.jsonSchema
      ? {
          response_format: {
            type: 'json_schema' as const,
            json_schema: {
              name: request.jsonSchema.name,
              schema: request.jsonSchema.schema,
              strict: request.jsonSchema.strict ?? true,
            },
          },
        }
      : {}),
  };
}
