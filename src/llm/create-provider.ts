// From a resolved configuration to a model's Provider. The openai module (and the openai
// package behind it) and the local provider (node-llama-cpp) are imported only when chosen.
import { ConfigError, type ResolvedProviderConfig } from './config.js';
import { providerWith, type Provider } from './provider.js';

/** A model's provider (openai or local); the builtin interviewer is made by commands/providers.ts. */
export async function createModelProvider(config: ResolvedProviderConfig): Promise<Provider> {
  if (config.provider === 'builtin') throw new ConfigError('the builtin interviewer is not a model');
  if (config.provider === 'local') {
    if (!config.modelPath) throw new ConfigError('the local provider needs a model: --model NAME (see `sdcoach models list`)');
    const { createLocalProvider } = await import('./local-provider.js');
    // SDCOACH_LOCAL_THREADS: fewer CPU threads than cores, for a laptop that should stay responsive (and busy test machines).
    const threads = Number(process.env.SDCOACH_LOCAL_THREADS);
    return createLocalProvider({ modelPath: config.modelPath, contextTokens: config.contextTokens, ...(Number.isInteger(threads) && threads > 0 ? { threads } : {}) });
  }
  if (!config.model) throw new ConfigError(`no model: name one with --model (the server at ${new URL(config.baseURL).host} did not list any)`);
  const { createOpenAIProvider } = await import('./openai-provider.js');
  const provider = await createOpenAIProvider({
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    model: config.model,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
  if (!config.contextTokens) return provider;
  return providerWith(provider, { contextTokens: config.contextTokens, ...(config.contextSource ? { contextSource: config.contextSource } : {}) });
}
