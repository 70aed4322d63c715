// The one precedence for every setting: a command-line flag, then an environment variable,
// then the settings file, then the built-in default. OVERRIDES names, per setting, the flag and
// the variables that win over the file; the provider, the judge, the context length and
// practice's defaults are resolved here through it, and `sdcoach config` shows from it which
// variable overrides a setting. Pure (flags, env and settings are passed in): every rule is
// unit-tested. Storage paths are resolved before any setting can be read (SDCOACH_HOME says
// where the settings file is), so storage/paths.ts does that, with the variable named here.
import type { Level, Mode } from '../schemas/transcript.js';
import { SETTINGS_DEFAULTS, type Settings, type SettingsKey } from '../schemas/settings.js';
import { SESSIONS_DIR_ENV } from '../storage/paths.js';
import {
  BUILTIN_MODEL,
  ConfigError,
  DEFAULT_MAX_RETRIES,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_TIMEOUT_MS,
  isOfficialOpenAI,
  LOCAL_SERVER_URLS,
  normaliseBaseURL,
  OPENAI_BASE_URL,
  PROVIDER_CHOICES,
  type KeySource,
  type ProviderChoice,
  type ProviderFlags,
  type ResolvedProviderConfig,
} from '../llm/config.js';

/** Per setting: the flag and the environment variables (first set wins) that override the settings file. */
export const OVERRIDES: { readonly [K in SettingsKey]?: { readonly flag?: string; readonly env: readonly string[] } } = {
  provider: { flag: '--provider', env: ['SDCOACH_PROVIDER'] },
  model: { flag: '--model', env: ['SDCOACH_MODEL'] },
  baseURL: { flag: '--base-url', env: ['OPENAI_BASE_URL'] },
  // SDCOACH_API_KEY is for whatever endpoint is configured; OPENAI_API_KEY goes to OpenAI only, unless shared.
  apiKey: { flag: '--api-key-env', env: ['SDCOACH_API_KEY', 'OPENAI_API_KEY'] },
  shareOpenAIKeyWithCustomBaseURL: { env: ['SDCOACH_SHARE_OPENAI_KEY'] },
  contextTokens: { flag: '--context', env: ['SDCOACH_CONTEXT_TOKENS'] },
  judgeProvider: { flag: '--judge-provider', env: ['SDCOACH_JUDGE_PROVIDER'] },
  judgeModel: { flag: '--judge-model', env: ['SDCOACH_JUDGE_MODEL'] },
  mode: { flag: '--mode', env: [] },
  minutes: { flag: '--minutes', env: [] },
  level: { flag: '--level', env: [] },
  rubric: { flag: '--rubric', env: [] },
  sessionsDir: { flag: '--dir', env: [SESSIONS_DIR_ENV] },
  // The NO_COLOR convention and FORCE_COLOR, applied by term/colour.ts's one colour rule.
  colour: { env: ['NO_COLOR', 'FORCE_COLOR'] },
};

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The first of the setting's variables that is set (not blank), with its value. */
export function envOverride(key: SettingsKey, env: NodeJS.ProcessEnv): { name: string; value: string } | null {
  for (const name of OVERRIDES[key]?.env ?? []) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return { name, value };
  }
  return null;
}

/** A value and where it came from, as messages name it: the flag, the variable, `settings (key)`. */
export interface Chosen<T> {
  value: T;
  source: string;
}

/** The flag's value, else the setting's first variable, else the setting; undefined when none is given. */
export function chooseSetting<K extends SettingsKey>(
  key: K,
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  settings: Settings,
): Chosen<string | NonNullable<Settings[K]>> | undefined {
  const fromFlag = nonEmpty(flag);
  if (fromFlag !== undefined) return { value: fromFlag, source: OVERRIDES[key]?.flag ?? key };
  const fromEnv = envOverride(key, env);
  if (fromEnv) return { value: fromEnv.value, source: fromEnv.name };
  const setting = settings[key];
  if (setting !== undefined && setting !== null && setting !== '') return { value: setting as NonNullable<Settings[K]>, source: `settings (${key})` };
  return undefined;
}

/** The context length the user gave, and where: --context, then SDCOACH_CONTEXT_TOKENS, then the setting. */
function contextOf(flags: ProviderFlags, env: NodeJS.ProcessEnv, settings: Settings): { contextTokens: number | null; contextSource?: string } {
  if (flags.contextTokens) return { contextTokens: flags.contextTokens, contextSource: '--context' };
  const override = envOverride('contextTokens', env);
  const fromEnv = override ? parseContextTokens(override.value, override.name) : null;
  if (fromEnv) return { contextTokens: fromEnv, contextSource: override!.name };
  if (settings.contextTokens) return { contextTokens: settings.contextTokens, contextSource: 'the contextTokens setting' };
  return { contextTokens: null };
}

function parseContextTokens(raw: string | undefined, from: string): number | null {
  const text = nonEmpty(raw);
  if (!text) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${from} must be a whole number of tokens above 0 (got "${text}").`);
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
  const explicitBaseURL = chooseSetting('baseURL', flags.baseUrl, env, settings)?.value;
  const keyConfigured = Boolean(nonEmpty(flags.apiKeyEnv) || envOverride('apiKey', env) || settings.apiKey);

  // An explicit choice (flag, env, settings) beats inference from what happens to be configured.
  let provider: ProviderChoice;
  let reason: string;
  const chosen = chooseSetting('provider', flags.provider, env, settings);
  if (chosen) {
    provider = parseProvider(chosen.value, chosen.source);
    reason = chosen.source === '--provider' ? '--provider flag' : chosen.source;
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

  const model = chooseSetting('model', flags.model, env, settings)?.value;
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
  const chosenProvider = chooseSetting('judgeProvider', flags.judgeProvider, env, settings);
  const chosenModel = chooseSetting('judgeModel', flags.judgeModel, env, settings);
  if (!chosenProvider && !chosenModel) return interviewer;
  const judgeProvider = chosenProvider ? parseProvider(chosenProvider.value, chosenProvider.source) : undefined;
  const judgeModel = chosenModel?.value;
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
  // Where each came from: "--judge-model", "SDCOACH_JUDGE_PROVIDER and --judge-model", "settings (judgeProvider, judgeModel)".
  const from = [chosenProvider?.source, chosenModel?.source]
    .filter((source): source is string => Boolean(source))
    .join(' and ')
    .replace('settings (judgeProvider) and settings (judgeModel)', 'settings (judgeProvider, judgeModel)');
  return { ...resolved, reason: from };
}

/**
 * The rubric to grade with: --rubric, then the `rubric` setting, then the session's own (when
 * one saved session is graded again), then the default.
 */
export function chooseRubric(flag: string | null | undefined, settings: Settings, session?: string | null): string {
  return nonEmpty(flag ?? undefined) ?? settings.rubric ?? session ?? 'default';
}

/** What a practice run asks for (flags), or a resumed session recorded. */
interface PracticeChoices {
  mode?: Mode | null;
  minutes?: number | null;
  level?: Level | null;
  rubric?: string | null;
}

const DEFAULT_MINUTES: Record<Mode, number> = { interview: 45, monologue: 20 };

/** Practice's mode, minutes, level and rubric: a flag, then the resumed session's, then the setting, then the default. */
export function practiceSetup(
  flags: PracticeChoices,
  resumed: PracticeChoices | null | undefined,
  settings: Settings,
): { mode: Mode; minutes: number; level: Level | null; rubric: string } {
  const mode = flags.mode ?? resumed?.mode ?? settings.mode ?? 'interview';
  return {
    mode,
    minutes: flags.minutes ?? resumed?.minutes ?? settings.minutes ?? DEFAULT_MINUTES[mode],
    level: flags.level ?? resumed?.level ?? settings.level ?? SETTINGS_DEFAULTS.level,
    rubric: flags.rubric ?? resumed?.rubric ?? settings.rubric ?? 'default',
  };
}
