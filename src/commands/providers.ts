// The one place a command turns a provider configuration into a Provider: the builtin
// interviewer (interview/) or a model (llm/), each imported only when chosen.
import type { ResolvedProviderConfig } from '../llm/config.js';
import { providerWith, type Provider } from '../llm/provider.js';

export async function createProvider(config: ResolvedProviderConfig, options: { chunkDelayMs?: number } = {}): Promise<Provider> {
  if (config.provider === 'builtin') {
    const { createBuiltinProvider } = await import('../interview/builtin-provider.js');
    return createBuiltinProvider({ seed: config.seed, chunkDelayMs: options.chunkDelayMs });
  }
  const { createModelProvider } = await import('../llm/create-provider.js');
  const provider = await createModelProvider(config);
  if (!config.server) return provider;
  // `--provider ollama|lmstudio`: the openai provider, named by the server it runs on.
  return providerWith(provider, { server: config.server });
}
