// User settings (`sdcoach config …`), stored by conf as JSON in the sdcoach home.
// Flat keys so `config set model llama3` needs no path syntax.
import { z } from 'zod';
import { Level, Mode } from './transcript.js';

export const SETTINGS_SCHEMA_VERSION = 1 as const;

export const Colour = z.enum(['auto', 'always', 'never']);
export type Colour = z.infer<typeof Colour>;

/** `~/x` and absolute paths only: a relative path would mean something else in every folder. */
const FolderPath = z
  .string()
  .min(1)
  .refine((value) => value.startsWith('/') || value.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'), {
    message: 'must be an absolute path (or start with ~/)',
  });

/** Where the interviewer (or the judge) comes from; see `provider`. */
const ProviderChoice = z.enum(['builtin', 'openai', 'local', 'ollama', 'lmstudio']);

/** USD per million tokens for one model. */
const ModelPrice = z.object({ input: z.number().min(0), output: z.number().min(0) }).strict();

/** Model name → price; `config set prices '{"llama3.1":{"input":0,"output":0}}'` takes JSON text. */
const Prices = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}, z.record(z.string().min(1), ModelPrice));

export const Settings = z
  .object({
    schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).optional(),
    /**
     * `builtin`, `openai`, `local` (a pulled GGUF model, no server), or `ollama`/`lmstudio` (the
     * openai provider at that local server); unset means: openai when an endpoint or key is configured.
     */
    provider: ProviderChoice.optional(),
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
    /** Default `practice --mode`. */
    mode: Mode.optional(),
    /** Default `practice --minutes`. */
    minutes: z.number().int().min(1).max(240).optional(),
    /** Default rubric (a name or a .yaml path) for practice, grade and progress. */
    rubric: z.string().min(1).optional(),
    /** Default target level for practice. */
    level: Level.optional(),
    /** Colour in plain output: auto (on a terminal, unless NO_COLOR), always, never. */
    colour: Colour.optional(),
    /** Where sessions are recorded and listed (default <home>/sessions). */
    sessionsDir: FolderPath.optional(),
    /** Prices (USD per million tokens) by model name, over the built-in table; unknown models show no cost. */
    prices: Prices.optional(),
    /** The model's context length in tokens; a judge prompt longer than this is refused, not truncated. */
    contextTokens: z.number().int().positive().optional(),
    /** The judge's provider for grading (practice's score card, `grade --grader llm`); unset: the interviewer's. */
    judgeProvider: ProviderChoice.optional(),
    /** The judge's model; unset: the interviewer's (`config set judgeModel llama3.1:8b`). */
    judgeModel: z.string().min(1).optional(),
    /** false: practice never offers a local model server it finds (set when you answer no once). */
    discoverLocalServers: z.boolean().optional(),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;
export type SettingsKey = Exclude<keyof Settings, 'schemaVersion'>;

/** What applies when neither a flag, an environment variable nor a setting says otherwise. */
export const SETTINGS_DEFAULTS = {
  mode: 'interview',
  minutes: 45,
  rubric: 'default',
  level: 'L5',
  colour: 'auto',
  timeoutMs: 60_000,
  maxRetries: 4,
  shareOpenAIKeyWithCustomBaseURL: false,
} as const satisfies Partial<Settings>;
