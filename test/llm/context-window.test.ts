import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModelContext, summariseTurn, type ContextTurn } from '../../src/llm/context-window.js';
import { estimateCostUsd, priceOf } from '../../src/llm/pricing.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function turns(n: number): ContextTurn[] {
  return Array.from({ length: n }, (_, i) => ({
    role: i % 2 === 0 ? 'interviewer' : 'candidate',
    text: `Turn ${i} opens here. It then says 23k QPS at peak. Then it rambles on about nothing much at all for a while.`,
  }));
}

describe('buildModelContext', () => {
  it('keeps everything verbatim while it fits', () => {
    const context = buildModelContext({ system: 'You are the interviewer.', turns: turns(4), countTokens: words, budgetTokens: 1000 });
    expect(context.summary).toBeNull();
    expect(context.foldedTurns).toBe(0);
    expect(context.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user']);
    expect(context.messages[0]!.content).toBe('You are the interviewer.');
  });

  it('folds older turns into a summary and stays within the budget', () => {
    const context = buildModelContext({ system: 'You are the interviewer.', turns: turns(60), countTokens: words, budgetTokens: 300 });
    expect(context.foldedTurns).toBeGreaterThan(0);
    expect(context.inputTokens).toBeLessThanOrEqual(300);
    // One system message: the persona, then the summary.
    expect(context.messages[0]!.content).toMatch(/^You are the interviewer\.\n\nSummary of the earlier part/);
    expect(context.messages.filter((m) => m.role === 'system')).toHaveLength(1);
    // The latest turn is always verbatim, last.
    expect(context.messages.at(-1)!.content).toBe(turns(60)[59]!.text);
    // Numbers survive the summary.
    expect(context.summary).toMatch(/23k QPS/);
  });

  it('keeps at least the latest turns verbatim even when one alone is over budget', () => {
    const huge: ContextTurn[] = [{ role: 'candidate', text: 'word '.repeat(500) }];
    const context = buildModelContext({ system: 'S', turns: huge, countTokens: words, budgetTokens: 50 });
    expect(context.messages.at(-1)!.content).toBe(huge[0]!.text);
  });

  it('property: the newest turns are a verbatim suffix and nothing is lost silently', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 80, max: 2000 }), (n, budget) => {
        const all = turns(n);
        const context = buildModelContext({ system: 'S', turns: all, countTokens: words, budgetTokens: budget });
        const verbatim = context.messages.filter((m) => m.role !== 'system').map((m) => m.content);
        expect(verbatim).toEqual(all.slice(context.foldedTurns).map((t) => t.text));
        if (context.foldedTurns > 0) expect(context.summary).toContain(`${context.foldedTurns} turns`);
      }),
    );
  });

  it('summarises a turn by its first sentence and the sentences with numbers', () => {
    expect(summariseTurn({ role: 'candidate', text: 'I would shard by user. Nothing else here. Peak is 350k reads/s.' })).toBe(
      'Candidate: I would shard by user. Peak is 350k reads/s.',
    );
  });
});

describe('pricing', () => {
  it('prices known models by the longest prefix and leaves unknown ones unpriced', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('openai/gpt-4o')).toEqual({ input: 2.5, output: 10 });
    expect(priceOf('llama3.1:8b')).toBeNull();
    expect(estimateCostUsd('gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.75);
    expect(estimateCostUsd('qwen2.5', 1000, 1000)).toBeNull();
  });
});
