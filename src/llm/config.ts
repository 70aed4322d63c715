// Which provider, endpoint, model and key a command uses: flags, then env, then settings.
// Pure (env and settings are passed in), so every rule here is unit-tested.
import type { Settings } from '../schemas/settings.js';
import type { ProviderId } from './provider.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const BUILTIN_MODEL = 'rule-based-v1';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 4;
/** `--provider ollama|lmstudio`: the openai provider at the server's usual address, never with a key. */
export const LOCAL_SERVER_URLS = { ollama: 'http://127.0.0.1:11434/v1', lmstudio: 'http://127.0.0.1:1234/v1' } as const;
export type LocalServerShorthand = keyof typeof LOCAL_SERVER_URLS;

/** The context length the user gave, and where: --context, then SDCOACH_CONTEXT_TOKENS, then the setting. */
function contextOf(flags: ProviderFlags, env: NodeJS.ProcessEnv, settings: Settings): { contextTokens: number | null; contextSource?: string } {
  if (flags.contextTokens) return { contextTokens: flags.contextTokens, contextSource: '--context' };
  const fromEnv = parseContextTokens(env.SDCOACH_CONTEXT_TOKENS);
  if (fromEnv) return { contextTokens: fromEnv, contextSource: 'SDCOACH_CONTEXT_TOKENS' };
  if (settings.contextTokens) return { contextTokens: settings.contextTokens, contextSource: 'the contextTokens setting' };
  return { contextTokens: null };
}

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

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
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

function parseContextTokens(raw: string | undefined): number | null {
  const text = nonEmpty(raw);
  if (!text) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`SDCOACH_CONTEXT_TOKENS must be a whole number of tokens above 0 (got "${text}").`);
  return n;
}

function parseProvider(value: string, from: string): ProviderChoice {
  if (!(PROVIDER_CHOICES as readonly string[]).includes(value)) {
    throw new ConfigError(`Unknown provider "${value}" (${from}): use builtin, openai, local, ollama or lmstudio.`);
  }
  return value as ProviderChoice;
}

export function resolveProviderConfig(
  flags: ProviderFlags,
  env: NodeJS.ProcessEnv,
  settings: Settings,
): ResolvedProviderConfig {
  const explicitBaseURL = nonEmpty(flags.baseUrl) ?? nonEmpty(env.OPENAI_BASE_URL) ?? settings.baseURL;
  const keyConfigured = Boolean(
    nonEmpty(flags.apiKeyEnv) || nonEmpty(env.SDCOACH_API_KEY) || nonEmpty(env.OPENAI_API_KEY) || settings.apiKey,
  );

  // An explicit choice (flag, env, settings) beats inference from what happens to be configured.
  let provider: ProviderChoice;
  let reason: string;
  const flagProvider = nonEmpty(flags.provider);
  const envProvider = nonEmpty(env.SDCOACH_PROVIDER);
  if (flagProvider) {
    provider = parseProvider(flagProvider, '--provider');
    reason = '--provider flag';
  } else if (envProvider) {
    provider = parseProvider(envProvider, 'SDCOACH_PROVIDER');
    reason = 'SDCOACH_PROVIDER';
  } else if (settings.provider) {
    provider = settings.provider;
    reason = 'settings (provider)';
  } else if (explicitBaseURL || keyConfigured) {
    provider = 'openai';
    reason = explicitBaseURL ? 'an endpoint is configured' : 'an API key is configured';
  } else {
    provider = 'builtin';
    reason = 'no endpoint or API key configured';
  }

  const common = {
    reason,
    timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    seed: flags.seed ?? 1,
    ...contextOf(flags, env, settings),
  };
  if (provider === 'builtin') {
    // Nothing about endpoints is read (or validated) for the offline provider.
    return {
      ...common,
      provider,
      model: BUILTIN_MODEL,
      baseURL: OPENAI_BASE_URL,
      isOfficialEndpoint: false,
      apiKey: null,
      keySource: null,
      openAIKeyWithheld: false,
    };
  }

  const model = nonEmpty(flags.model) ?? nonEmpty(env.SDCOACH_MODEL) ?? settings.model;
  if (provider === 'local') {
    // A GGUF file run in this process: no endpoint, no key. An empty model means the newest pulled one.
    return { ...common, provider, model: model ?? '', baseURL: OPENAI_BASE_URL, isOfficialEndpoint: false, apiKey: null, keySource: null, openAIKeyWithheld: false };
  }
  if (provider === 'ollama' || provider === 'lmstudio') {
    // A local server needs no key and never gets one; --base-url moves it (another host or port).
    // An empty model: config/provider.ts asks the server for the ones it serves.
    const baseURL = normaliseBaseURL(nonEmpty(flags.baseUrl) ?? LOCAL_SERVER_URLS[provider]);
    return {
      ...common,
      provider: 'openai',
      server: provider,
      model: model ?? '',
      baseURL,
      isOfficialEndpoint: false,
      apiKey: null,
      keySource: null,
      openAIKeyWithheld: Boolean(nonEmpty(env.OPENAI_API_KEY)),
    };
  }

  const baseURL = normaliseBaseURL(explicitBaseURL ?? OPENAI_BASE_URL);
  const official = isOfficialOpenAI(baseURL);

  // Key order: a named env var from the flag, SDCOACH_API_KEY (meant for whatever endpoint is
  // configured), OPENAI_API_KEY (an OpenAI key: only to OpenAI unless the user opts in), settings.
  let apiKey: string | null = null;
  let keySource: KeySource = null;
  let openAIKeyWithheld = false;
  const flagKeyEnv = nonEmpty(flags.apiKeyEnv);
  if (flagKeyEnv) {
    const value = nonEmpty(env[flagKeyEnv]);
    if (!value) throw new ConfigError(`--api-key-env ${flagKeyEnv}: that environment variable is empty or not set.`);
    apiKey = value;
    keySource = `env:${flagKeyEnv}`;
  } else if (nonEmpty(env.SDCOACH_API_KEY)) {
    apiKey = nonEmpty(env.SDCOACH_API_KEY)!;
    keySource = 'env:SDCOACH_API_KEY';
  } else if (nonEmpty(env.OPENAI_API_KEY)) {
    const share =
      official || env.SDCOACH_SHARE_OPENAI_KEY === '1' || settings.shareOpenAIKeyWithCustomBaseURL === true;
    if (share) {
      apiKey = nonEmpty(env.OPENAI_API_KEY)!;
      keySource = 'env:OPENAI_API_KEY';
    } else {
      openAIKeyWithheld = true;
    }
  }
  if (!apiKey && settings.apiKey) {
    apiKey = settings.apiKey;
    keySource = 'settings';
  }

  return {
    ...common,
    provider,
    model: model ?? DEFAULT_OPENAI_MODEL,
    baseURL,
    isOfficialEndpoint: official,
    apiKey,
    keySource,
    openAIKeyWithheld,
  };
}

/** "ollama llama3.2" / "local qwen2.5-1.5b-instruct-q4_k_m" / "builtin": who does a role, for headers and notices. */
export function describeConfig(config: ResolvedProviderConfig): string {
  if (config.provider === 'builtin') return 'builtin (rule-based, offline)';
  if (config.provider === 'local') return `local ${config.model || '(newest pulled model)'}`;
  return `${config.server ?? new URL(config.baseURL).host} ${config.model || '(first model it serves)'}`;
}

/**
 * The judge's provider: --judge-provider/--judge-model, then SDCOACH_JUDGE_PROVIDER/SDCOACH_JUDGE_MODEL,
 * then the judgeProvider/judgeModel settings; none of them: the interviewer's own configuration.
 * A judge model alone keeps the interviewer's provider (a model, not the builtin interviewer).
 */
export function resolveJudgeConfig(
  flags: ProviderFlags,
  env: NodeJS.ProcessEnv,
  settings: Settings,
  interviewer: ResolvedProviderConfig,
): ResolvedProviderConfig {
  const judgeProvider = nonEmpty(flags.judgeProvider) ?? nonEmpty(env.SDCOACH_JUDGE_PROVIDER) ?? settings.judgeProvider;
  const judgeModel = nonEmpty(flags.judgeModel) ?? nonEmpty(env.SDCOACH_JUDGE_MODEL) ?? settings.judgeModel;
  if (!judgeProvider && !judgeModel) return interviewer;
  const inherited = interviewer.provider === 'builtin' ? undefined : (interviewer.server ?? interviewer.provider);
  const provider = judgeProvider ?? inherited;
  const sameEndpoint = !judgeProvider || judgeProvider === inherited;
  const resolved = resolveProviderConfig(
    {
      ...flags,
      provider,
      model: judgeModel ?? (sameEndpoint ? interviewer.model : undefined),
      // The interviewer's --base-url is for the interviewer's provider only.
      baseUrl: sameEndpoint ? flags.baseUrl : undefined,
    },
    env,
    settings,
  );
  const from = nonEmpty(flags.judgeProvider) || nonEmpty(flags.judgeModel) ? '--judge-provider/--judge-model' : nonEmpty(env.SDCOACH_JUDGE_PROVIDER) || nonEmpty(env.SDCOACH_JUDGE_MODEL) ? 'SDCOACH_JUDGE_*' : 'settings (judgeProvider/judgeModel)';
  return { ...resolved, reason: from };
}
