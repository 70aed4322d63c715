// From flags + env + settings to a ready Provider. The openai module (and the openai
// package behind it) is imported only when that provider is chosen.
import { loadSettings } from '../storage/settings.js';
import type { SdcoachPaths } from '../storage/paths.js';
import { resolveProviderConfig, type ProviderFlags, type ResolvedProviderConfig } from './config.js';
import type { Provider } from './provider.js';

export async function loadProviderConfig(
  flags: ProviderFlags,
  paths: SdcoachPaths,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedProviderConfig> {
  return resolveProviderConfig(flags, env, await loadSettings(paths));
}

export async function createProvider(
  config: ResolvedProviderConfig,
  options: { chunkDelayMs?: number } = {},
): Promise<Provider> {
  if (config.provider === 'builtin') {
    const { createBuiltinProvider } = await import('../interview/builtin-provider.js');
    return createBuiltinProvider({ seed: config.seed, chunkDelayMs: options.chunkDelayMs });
  }
  const { createOpenAIProvider } = await import('./openai-provider.js');
  const provider = await createOpenAIProvider({
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    model: config.model,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
  const contextTokens = config.contextTokens;
  if (!contextTokens) return provider;
  return {
    id: provider.id,
    model: provider.model,
    label: provider.label,
    contextTokens,
    stream: (request) => provider.stream(request),
  };
}
