// A judge prompt longer than the model's context is refused with a clear reason (never sent to be
// silently truncated); under --grader auto (fallbackToEvidence) the file is graded offline, flagged.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeFile } from '../../src/grading/grade-file.js';
import { loadRubric } from '../../src/content/rubric-loader.js';
import { resolveProviderConfig } from '../../src/llm/config.js';
import { createProvider } from '../../src/commands/providers.js';
import type { Provider, StreamEvent } from '../../src/llm/provider.js';
import { gatedProvider, RateGate } from '../../src/llm/rate-gate.js';

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
      /the judge prompt is ~\d{1,2},\d00 tokens, more than the model's 4,096-token context; use a larger model or --grader evidence/,
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
});
