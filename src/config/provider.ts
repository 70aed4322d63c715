// The provider configuration a command runs with: flags, environment and settings resolved
// (config/resolve.ts holds the precedence), then completed with what needs I/O (the local model's
// file, the model a local server serves). Commands call this and hand the result down.
import { loadSettings } from '../storage/settings.js';
import type { SdcoachPaths } from '../storage/paths.js';
import { ConfigError, type ProviderFlags, type ResolvedProviderConfig } from '../llm/config.js';
import { resolveJudgeConfig, resolveProviderConfig } from './resolve.js';

export async function loadProviderConfig(
  flags: ProviderFlags,
  paths: SdcoachPaths,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedProviderConfig> {
  return completeProviderConfig(resolveProviderConfig(flags, env, await loadSettings(paths)), paths);
}

/** The interviewer's configuration and the judge's (the same object when no judge setting or flag is given). */
export async function loadRoleConfigs(
  flags: ProviderFlags,
  paths: SdcoachPaths,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ interviewer: ResolvedProviderConfig; judge: ResolvedProviderConfig }> {
  const settings = await loadSettings(paths);
  const interviewer = await completeProviderConfig(resolveProviderConfig(flags, env, settings), paths);
  const judge = resolveJudgeConfig(flags, env, settings, interviewer);
  return { interviewer, judge: judge === interviewer ? interviewer : await completeProviderConfig(judge, paths) };
}

/** The judge's configuration alone (`grade`): --judge-provider/--judge-model and the judge settings over the provider's. */
export async function loadJudgeConfig(flags: ProviderFlags, paths: SdcoachPaths, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedProviderConfig> {
  return (await loadRoleConfigs(flags, paths, env)).judge;
}

/**
 * What config.ts cannot know without I/O: the local model's file (a name in the models folder,
 * or the newest pulled model), and the model a local server serves when none was named.
 */
export async function completeProviderConfig(config: ResolvedProviderConfig, paths: SdcoachPaths): Promise<ResolvedProviderConfig> {
  if (config.provider === 'local') {
    const { localModelName, newestLocalModel, resolveLocalModel } = await import('../llm/model-store.js');
    if (!config.model) {
      const newest = await newestLocalModel(paths.modelsDir);
      if (!newest) throw new ConfigError('no local model pulled: sdcoach models pull OWNER/REPO/FILE.gguf (see `sdcoach models --help`)');
      return { ...config, model: newest.name, modelPath: newest.file };
    }
    const found = await resolveLocalModel(config.model, paths.modelsDir);
    if ('error' in found) throw new ConfigError(found.error);
    return { ...config, model: localModelName(found.file), modelPath: found.file };
  }
  if (config.server && !config.model) {
    // `--provider ollama` with no model: the first one the server serves (left empty if it is down: doctor says so).
    const { listServerModels } = await import('../llm/discovery.js');
    const models = await listServerModels(config.baseURL);
    if (models && models.length === 0) {
      throw new ConfigError(`${config.server} at ${new URL(config.baseURL).host} serves no models: ${config.server === 'ollama' ? 'ollama pull llama3.2' : 'load one in LM Studio'} first, or name one with --model`);
    }
    if (models) return withServerContext({ ...config, model: models[0]! });
  }
  return withServerContext(config);
}

/**
 * A model behind a server the user runs (Ollama, LM Studio, llama.cpp, vLLM, OpenRouter…) with
 * no context length given: asked from the server (llm/model-context.ts), so a prompt longer than
 * its window is refused with the reason instead of being cut by it. api.openai.com says nothing
 * about context and is not asked; a server that does not answer leaves it unknown.
 */
async function withServerContext(config: ResolvedProviderConfig): Promise<ResolvedProviderConfig> {
  if (config.provider !== 'openai' || config.contextTokens || config.isOfficialEndpoint || !config.model) return config;
  const { askContextLength } = await import('../llm/model-context.js');
  const found = await askContextLength({ baseURL: config.baseURL, model: config.model, apiKey: config.apiKey, timeoutMs: 1_000 });
  return found ? { ...config, contextTokens: found.tokens, contextSource: found.source } : config;
}
