// What a resolved provider configuration is: its shape, the endpoints and defaults it falls
// back to, and how it is described. Which flag, variable or setting wins is config/resolve.ts.
import type { ProviderId } from './provider.js';
import { SdcoachError } from '../errors.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const BUILTIN_MODEL = 'rule-based-v1';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 4;
/** `--provider ollama|lmstudio`: the openai provider at the server's usual address, never with a key. */
export const LOCAL_SERVER_URLS = { ollama: 'http://127.0.0.1:11434/v1', lmstudio: 'http://127.0.0.1:1234/v1' } as const;
export type LocalServerShorthand = keyof typeof LOCAL_SERVER_URLS;

/** What --provider, SDCOACH_PROVIDER and the provider setting accept. */
export const PROVIDER_CHOICES = ['builtin', 'openai', 'local', 'ollama', 'lmstudio'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];

export interface ProviderFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
  /** Name of an environment variable holding the key (keys never go on the command line). */
  apiKeyEnv?: string;
  seed?: number;
  /** The judge's own provider and model (grading); unset: the interviewer's. */
  judgeProvider?: string;
  judgeModel?: string;
  /** --context: the model's context length in tokens, over the environment, the setting and the server. */
  contextTokens?: number;
}

export type KeySource = `env:${string}` | 'settings' | null;

export interface ResolvedProviderConfig {
  provider: ProviderId;
  /** Why this provider was picked, for doctor and headers. */
  reason: string;
  model: string;
  baseURL: string;
  isOfficialEndpoint: boolean;
  apiKey: string | null;
  keySource: KeySource;
  /** OPENAI_API_KEY is set but deliberately not sent to this custom base URL. */
  openAIKeyWithheld: boolean;
  timeoutMs: number;
  maxRetries: number;
  seed: number;
  /**
   * The model's context length in tokens: --context, SDCOACH_CONTEXT_TOKENS, the contextTokens
   * setting, else what the server says (config/provider.ts asks it); null: unknown.
   */
  contextTokens: number | null;
  /** Where contextTokens came from, for messages ("--context", "Ollama default num_ctx"). */
  contextSource?: string;
  /** ollama or lmstudio when chosen by that shorthand (the openai provider at a local server). */
  server?: LocalServerShorthand;
  /** The local provider's GGUF file, once config/provider.ts has resolved `model` against the models folder. */
  modelPath?: string;
}

/** The provider configuration cannot be used (flags, environment, settings): exit code 2. */
export class ConfigError extends SdcoachError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'ConfigError';
  }
}

export function normaliseBaseURL(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`Base URL "${raw}" is not a URL (expected e.g. http://localhost:11434/v1).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`Base URL "${raw}" must start with http:// or https://.`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function isOfficialOpenAI(baseURL: string): boolean {
  return new URL(baseURL).hostname === 'api.openai.com';
}

/** "ollama llama3.2" / "local qwen2.5-1.5b-instruct-q4_k_m" / "builtin": who does a role, for headers and notices. */
export function describeConfig(config: ResolvedProviderConfig): string {
  if (config.provider === 'builtin') return 'builtin (rule-based, offline)';
  if (config.provider === 'local') return `local ${config.model || '(newest pulled model)'}`;
  return `${config.server ?? new URL(config.baseURL).host} ${config.model || '(first model it serves)'}`;
}

