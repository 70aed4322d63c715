import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/llm/config.js';
import { resolveProviderConfig } from '../../src/config/resolve.js';

describe('resolveProviderConfig', () => {
  it('uses builtin when nothing is configured', () => {
    const config = resolveProviderConfig({}, {}, {});
    expect(config.provider).toBe('builtin');
    expect(config.apiKey).toBeNull();
    expect(config.reason).toMatch(/no endpoint/);
  });

  it('picks openai when a key or an endpoint is configured', () => {
    expect(resolveProviderConfig({}, { OPENAI_API_KEY: 'sk-a' }, {}).provider).toBe('openai');
    expect(resolveProviderConfig({}, { OPENAI_BASE_URL: 'http://localhost:11434/v1' }, {}).provider).toBe('openai');
    expect(resolveProviderConfig({}, {}, { baseURL: 'http://localhost:1234/v1' }).provider).toBe('openai');
    expect(resolveProviderConfig({}, {}, { apiKey: 'k' }).provider).toBe('openai');
  });

  it('lets --provider win over everything', () => {
    expect(resolveProviderConfig({ provider: 'builtin' }, { OPENAI_API_KEY: 'sk-a' }, {}).provider).toBe('builtin');
    expect(resolveProviderConfig({ provider: 'openai' }, {}, { provider: 'builtin' }).provider).toBe('openai');
    expect(() => resolveProviderConfig({ provider: 'claude' }, {}, {})).toThrow(ConfigError);
  });

  it('takes SDCOACH_PROVIDER after the flag and before settings', () => {
    expect(resolveProviderConfig({}, { SDCOACH_PROVIDER: 'builtin', OPENAI_API_KEY: 'sk-a' }, {}).provider).toBe('builtin');
    expect(resolveProviderConfig({}, { SDCOACH_PROVIDER: 'openai' }, { provider: 'builtin' }).reason).toBe('SDCOACH_PROVIDER');
    expect(resolveProviderConfig({ provider: 'builtin' }, { SDCOACH_PROVIDER: 'openai' }, {}).provider).toBe('builtin');
    expect(() => resolveProviderConfig({}, { SDCOACH_PROVIDER: 'gemini' }, {})).toThrow(/SDCOACH_PROVIDER/);
  });

  it('does not validate endpoint settings when the builtin provider is chosen', () => {
    const config = resolveProviderConfig({ provider: 'builtin' }, { OPENAI_BASE_URL: 'localhost:11434' }, {});
    expect(config.provider).toBe('builtin');
    expect(() => resolveProviderConfig({}, { OPENAI_BASE_URL: 'localhost:11434' }, {})).toThrow(ConfigError);
  });

  it('orders base URL and model as flags, then env, then settings', () => {
    const settings = { baseURL: 'http://settings:1/v1', model: 'from-settings' };
    const env = { OPENAI_BASE_URL: 'http://env:1/v1/', SDCOACH_MODEL: 'from-env' };
    expect(resolveProviderConfig({ baseUrl: 'http://flag:1/v1', model: 'from-flag' }, env, settings)).toMatchObject({
      baseURL: 'http://flag:1/v1',
      model: 'from-flag',
    });
    expect(resolveProviderConfig({}, env, settings)).toMatchObject({ baseURL: 'http://env:1/v1', model: 'from-env' });
    expect(resolveProviderConfig({}, {}, settings)).toMatchObject({
      baseURL: 'http://settings:1/v1',
      model: 'from-settings',
    });
    expect(resolveProviderConfig({}, { OPENAI_API_KEY: 'sk-a' }, {})).toMatchObject({
      baseURL: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
    });
  });

  it('sends OPENAI_API_KEY to api.openai.com', () => {
    const config = resolveProviderConfig({}, { OPENAI_API_KEY: 'sk-openai' }, {});
    expect(config).toMatchObject({ apiKey: 'sk-openai', keySource: 'env:OPENAI_API_KEY', isOfficialEndpoint: true });
  });

  it('never gives OPENAI_API_KEY from the environment to a custom base URL unless asked', () => {
    const env = { OPENAI_API_KEY: 'sk-openai', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const withheld = resolveProviderConfig({}, env, {});
    expect(withheld.apiKey).toBeNull();
    expect(withheld.openAIKeyWithheld).toBe(true);
    expect(resolveProviderConfig({ baseUrl: 'https://openrouter.ai/api/v1' }, { OPENAI_API_KEY: 'sk-openai' }, {}).apiKey).toBeNull();

    expect(resolveProviderConfig({}, { ...env, SDCOACH_SHARE_OPENAI_KEY: '1' }, {}).apiKey).toBe('sk-openai');
    expect(resolveProviderConfig({}, env, { shareOpenAIKeyWithCustomBaseURL: true }).apiKey).toBe('sk-openai');
  });

  it('takes keys meant for the endpoint: --api-key-env, SDCOACH_API_KEY, then settings', () => {
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', MY_KEY: 'k-flag', SDCOACH_API_KEY: 'k-env' };
    expect(resolveProviderConfig({ apiKeyEnv: 'MY_KEY' }, env, { apiKey: 'k-set' })).toMatchObject({
      apiKey: 'k-flag',
      keySource: 'env:MY_KEY',
    });
    expect(resolveProviderConfig({}, env, { apiKey: 'k-set' })).toMatchObject({ apiKey: 'k-env', keySource: 'env:SDCOACH_API_KEY' });
    expect(resolveProviderConfig({}, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, { apiKey: 'k-set' })).toMatchObject({
      apiKey: 'k-set',
      keySource: 'settings',
    });
    expect(() => resolveProviderConfig({ apiKeyEnv: 'UNSET_VAR' }, {}, {})).toThrow(/UNSET_VAR/);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => resolveProviderConfig({ baseUrl: 'localhost:11434' }, {}, {})).toThrow(ConfigError);
    expect(() => resolveProviderConfig({ baseUrl: 'ftp://x/v1' }, {}, {})).toThrow(/http/);
  });
});
