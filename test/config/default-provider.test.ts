// practice's default interviewer when nothing is configured: a found local server (asked once on
// a terminal, the answer remembered; never asked in a script run), else the newest pulled model,
// else builtin. Anything configured wins without a probe. Pure: discovery, the question and the
// settings file are injected.
import { describe, expect, it } from 'vitest';
import { chooseDefaultProvider, type DefaultChoiceOptions } from '../../src/config/default-provider.js';
import { resolveProviderConfig, resolveJudgeConfig } from '../../src/config/resolve.js';
import type { LocalServer } from '../../src/llm/discovery.js';
import type { Settings } from '../../src/schemas/settings.js';

const OLLAMA: LocalServer = { kind: 'ollama', name: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1', models: ['llama3.2:3b'] };
const VLLM: LocalServer = { kind: 'vllm', name: 'vLLM', baseURL: 'http://127.0.0.1:8000/v1', models: ['Qwen/Qwen2.5-7B-Instruct'] };

function harness(overrides: Partial<DefaultChoiceOptions> & { servers?: LocalServer[]; answer?: boolean; pulled?: string | null } = {}) {
  const asked: string[] = [];
  const saved: Settings[] = [];
  let probes = 0;
  const options: DefaultChoiceOptions = {
    flags: {},
    env: {},
    settings: {},
    interactive: true,
    ask: async (question) => {
      asked.push(question);
      return overrides.answer ?? true;
    },
    saveSettings: async (settings) => {
      saved.push(settings);
    },
    discover: async () => {
      probes++;
      return overrides.servers ?? [];
    },
    newestLocalModel: async () => (overrides.pulled ? { name: overrides.pulled, file: `/models/${overrides.pulled}.gguf` } : null),
    ...overrides,
  };
  return { options, asked, saved, probes: () => probes };
}

describe('chooseDefaultProvider', () => {
  it('anything configured wins, and nothing is probed', async () => {
    const h = harness({ settings: { provider: 'builtin' }, servers: [OLLAMA] });
    const choice = await chooseDefaultProvider(h.options);
    expect(choice.config.provider).toBe('builtin');
    expect(choice.notice).toBeNull();
    expect(h.probes()).toBe(0);
  });

  it('a found server, on a terminal: asked once; yes is saved as the provider setting', async () => {
    const h = harness({ servers: [OLLAMA], answer: true });
    const choice = await chooseDefaultProvider(h.options);
    expect(h.asked).toEqual(['sdcoach found Ollama at 127.0.0.1:11434 serving llama3.2:3b. Use llama3.2:3b as your interviewer from now on? [Y/n] ']);
    expect(h.saved).toEqual([{ provider: 'ollama', model: 'llama3.2:3b' }]);
    expect(choice.config).toMatchObject({ provider: 'openai', server: 'ollama', model: 'llama3.2:3b', apiKey: null });
    expect(choice.notice).toContain('Interviewer: llama3.2:3b on Ollama at 127.0.0.1:11434');
    // Next time the setting answers: no probe, no question.
    const next = harness({ settings: h.saved[0]!, servers: [OLLAMA] });
    expect((await chooseDefaultProvider(next.options)).config.server).toBe('ollama');
    expect(next.asked).toEqual([]);
    expect(next.probes()).toBe(0);
  });

  it('a server with no shorthand is saved as the openai provider at its URL', async () => {
    const h = harness({ servers: [VLLM], answer: true });
    await chooseDefaultProvider(h.options);
    expect(h.saved).toEqual([{ provider: 'openai', baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct' }]);
  });

  it('no is remembered too: never asked again, builtin', async () => {
    const h = harness({ servers: [OLLAMA], answer: false });
    const choice = await chooseDefaultProvider(h.options);
    expect(choice.config.provider).toBe('builtin');
    expect(h.saved).toEqual([{ discoverLocalServers: false }]);
    const next = harness({ settings: h.saved[0]!, servers: [OLLAMA] });
    await chooseDefaultProvider(next.options);
    expect(next.probes()).toBe(0);
    expect(next.asked).toEqual([]);
  });

  it('a script run never asks: builtin, and the notice says what was found', async () => {
    const h = harness({ servers: [OLLAMA], interactive: false });
    const choice = await chooseDefaultProvider(h.options);
    expect(choice.config.provider).toBe('builtin');
    expect(h.asked).toEqual([]);
    expect(h.saved).toEqual([]);
    expect(choice.notice).toMatch(/^found Ollama at 127\.0\.0\.1:11434 \(llama3\.2:3b\); the builtin interviewer runs this session/);
  });

  it('no server: the newest pulled model; nothing at all: builtin, silently', async () => {
    const pulled = await chooseDefaultProvider(harness({ pulled: 'qwen2.5-1.5b-instruct-q4_k_m' }).options);
    expect(pulled.config).toMatchObject({ provider: 'local', model: 'qwen2.5-1.5b-instruct-q4_k_m', modelPath: '/models/qwen2.5-1.5b-instruct-q4_k_m.gguf' });
    expect(pulled.notice).toContain('the local model qwen2.5-1.5b-instruct-q4_k_m');
    const none = await chooseDefaultProvider(harness().options);
    expect(none.config.provider).toBe('builtin');
    expect(none.notice).toBeNull();
  });
});

describe('resolveJudgeConfig: a model per role', () => {
  const interviewer = resolveProviderConfig({ provider: 'ollama', model: 'llama3.2:3b' }, {}, {});

  it('no judge flag or setting: the interviewer’s own configuration', () => {
    expect(resolveJudgeConfig({}, {}, {}, interviewer)).toBe(interviewer);
  });

  it('--judge-model alone: the same server, another model', () => {
    const judge = resolveJudgeConfig({ judgeModel: 'qwen2.5:14b' }, {}, {}, interviewer);
    expect(judge).toMatchObject({ provider: 'openai', server: 'ollama', model: 'qwen2.5:14b', apiKey: null, reason: '--judge-model' });
  });

  it('the judge settings, with a provider of its own', () => {
    const settings: Settings = { judgeProvider: 'local', judgeModel: 'phi-3.5-mini-instruct-q4_k_m' };
    expect(resolveJudgeConfig({}, {}, settings, interviewer)).toMatchObject({ provider: 'local', model: 'phi-3.5-mini-instruct-q4_k_m', reason: 'settings (judgeProvider, judgeModel)' });
    expect(resolveJudgeConfig({}, { SDCOACH_JUDGE_MODEL: 'qwen3' }, settings, interviewer)).toMatchObject({ provider: 'local', model: 'qwen3', reason: 'settings (judgeProvider) and SDCOACH_JUDGE_MODEL' });
    expect(resolveJudgeConfig({}, { SDCOACH_JUDGE_PROVIDER: 'builtin' }, settings, interviewer).provider).toBe('builtin');
  });
});
