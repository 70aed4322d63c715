// User settings (`sdcoach config …`), stored by conf as JSON in the sdcoach home.
// Flat keys so `config set model llama3` needs no path syntax.
import { z } from 'zod';

export const SETTINGS_SCHEMA_VERSION = 1 as const;

export const Settings = z
  .object({
    schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).optional(),
    /** `builtin` or `openai`; unset means: openai when an endpoint or key is configured. */
    provider: z.enum(['builtin', 'openai']).optional(),
    /** Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama. */
    baseURL: z.string().url().optional(),
    model: z.string().min(1).optional(),
    /** Key for the configured endpoint. Prefer an environment variable; this file is 0600. */
    apiKey: z.string().min(1).optional(),
    /** Send OPENAI_API_KEY from the environment to a non-OpenAI base URL too. Off by default. */
    shareOpenAIKeyWithCustomBaseURL: z.boolean().optional(),
    /** Give up on a request that has not answered (or gone silent mid-stream) for this long. */
    timeoutMs: z.number().int().positive().optional(),
    /** Retries on 429, 5xx and timeouts before the first token. */
    maxRetries: z.number().int().min(0).max(10).optional(),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;
