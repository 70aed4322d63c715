// A judge prompt longer than the model's context is refused with a clear reason (never sent to be
// silently truncated); under --grader auto (fallbackToEvidence) the file is graded offline, flagged.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeFile } from '../../src/grading/grade-file.js';
import { loadRubric } from '../../src/content/rubric-loader.js';
import { resolveProviderConfig } from '../../src/config/resolve.js';
import { createProvider } from '../../src/commands/providers.js';
import { providerWith, type Provider, type StreamEvent } from '../../src/llm/provider.js';
import { gatedProvider, RateGate } from '../../src/llm/rate-gate.js';
import { completeProviderConfig } from '../../src/config/provider.js';
import { resolvePaths } from '../../src/storage/paths.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const FILE = path.resolve('sessions/example-rate-limiter.txt');

function smallModel(contextTokens: number, calls: { n: number }): Provider {
  return {
    id: 'openai',
    model: 'llama3.2',
    label: 'openai · llama3.2',
    contextTokens,
    // eslint-disable-next-line require-yield
    async *stream(): AsyncGenerator<StreamEvent> {
      calls.n++;
      throw new Error('the prompt must not be sent');
    },
  };
}

async function contextFor(provider: Provider, fallbackToEvidence: boolean) {
  const rubric = await loadRubric('default', { userRubricsDir: path.resolve('no-such-user-rubrics') });
  return { rubric, grader: 'llm' as const, provider, fallbackToEvidence, findProblem: async () => null, now: () => new Date('2026-12-01T00:00:00Z') };
}

describe('judge prompt vs the model context', () => {
  it('--grader llm: the file fails with the prompt size and the context, nothing is sent', async () => {
    const calls = { n: 0 };
    const context = await contextFor(gatedProvider(smallModel(4096, calls), new RateGate()), false);
    await expect(gradeFile(FILE, context)).rejects.toThrow(
      /the judge prompt is ~\d{1,2},\d00 tokens, more than the model's 4,096-token context; use a model with a longer context or --grader evidence/,
    );
    expect(calls.n).toBe(0);
  });

  it('--grader auto: falls back to the evidence grader with the judge-fallback flag', async () => {
    const calls = { n: 0 };
    const { report } = await gradeFile(FILE, await contextFor(smallModel(2048, calls), true));
    expect(calls.n).toBe(0);
    expect(report.grader).toBe('evidence');
    expect(report.flags.find((f) => f.kind === 'judge-fallback')?.message).toMatch(/2,048-token context/);
  });

  it('the contextTokens setting and SDCOACH_CONTEXT_TOKENS reach the provider', async () => {
    const settings = { baseURL: 'http://localhost:11434/v1', model: 'llama3.2', contextTokens: 4096 };
    expect(resolveProviderConfig({}, {}, settings).contextTokens).toBe(4096);
    expect(resolveProviderConfig({}, { SDCOACH_CONTEXT_TOKENS: '2048' }, settings).contextTokens).toBe(2048);
    expect(() => resolveProviderConfig({}, { SDCOACH_CONTEXT_TOKENS: 'big' }, settings)).toThrow(/SDCOACH_CONTEXT_TOKENS/);
    const provider = await createProvider(resolveProviderConfig({}, {}, settings));
    expect(provider.contextTokens).toBe(4096);
    expect(gatedProvider(provider, new RateGate()).contextTokens).toBe(4096);
  });

  it('--context wins over the environment and the setting, and says so', () => {
    const settings = { baseURL: 'http://localhost:11434/v1', model: 'llama3.2', contextTokens: 4096 };
    const config = resolveProviderConfig({ contextTokens: 8192 }, { SDCOACH_CONTEXT_TOKENS: '2048' }, settings);
    expect(config).toMatchObject({ contextTokens: 8192, contextSource: '--context' });
  });

  it("a default Ollama model's window is asked from the server, and the judge refuses a prompt past it, naming where the number came from", async () => {
    // Ollama as it answers: the model listed, no num_ctx in its parameters (so the server default applies).
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/models') res.end(JSON.stringify({ object: 'list', data: [{ id: 'llama3.2:latest', object: 'model', owned_by: 'library' }] }));
      else if (req.method === 'POST' && req.url === '/api/show') res.end(JSON.stringify({ modelfile: 'FROM llama3.2', parameters: 'stop "<|eot_id|>"', model_info: { 'llama.context_length': 131072 } }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const config = await completeProviderConfig(resolveProviderConfig({}, {}, { baseURL, model: 'llama3.2' }), resolvePaths({ SDCOACH_HOME: '/dev/null/unused' }));
      expect(config).toMatchObject({ contextTokens: 4096, contextSource: 'Ollama default num_ctx' });
      const provider = await createProvider(config);
      expect(provider.contextSource).toBe('Ollama default num_ctx');
      // Wrappers keep what another wrapper described (the rate gate over a named server).
      expect(gatedProvider(providerWith(provider, { server: 'ollama' }), new RateGate())).toMatchObject({ server: 'ollama', contextTokens: 4096, contextSource: 'Ollama default num_ctx' });
      await expect(gradeFile(FILE, await contextFor(gatedProvider(provider, new RateGate()), false))).rejects.toThrow(
        /more than the model's 4,096-token context \(Ollama default num_ctx\)/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
