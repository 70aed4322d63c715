import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/grading/batch.js';
import { RateGate, gatedProvider } from '../../src/llm/rate-gate.js';
import type { Provider, StreamEvent } from '../../src/llm/provider.js';

describe('runBatch', () => {
  it('keeps input order, reports each result once, and goes on after a failure', async () => {
    const seen: string[] = [];
    const results = await runBatch({
      files: ['a', 'bad', 'c', 'd'],
      concurrency: 2,
      work: async (file) => {
        if (file === 'bad') throw new Error('broken transcript');
        return file.toUpperCase();
      },
      onResult: (result, done, total) => {
        seen.push(`${result.file}:${done}/${total}`);
      },
    });
    expect(results.map((r) => r.value ?? r.error)).toEqual(['A', 'broken transcript', 'C', 'D']);
    expect(seen).toHaveLength(4);
    expect(seen.map((s) => s.split(':')[1])).toEqual(['1/4', '2/4', '3/4', '4/4']);
  });

  it('never runs more than `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const pending = runBatch({
      files: Array.from({ length: 10 }, (_, i) => `f${i}`),
      concurrency: 3,
      work: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
      },
    });
    // Release the workers one at a time until all ten are done.
    for (let released = 0; released < 10; released++) {
      while (release.length === 0) await new Promise((resolve) => setImmediate(resolve));
      release.shift()!();
    }
    await pending;
    expect(peak).toBe(3);
  });
});

describe('RateGate', () => {
  it('holds every worker after a 429 retry for the time the server asked', async () => {
    let clock = 1000;
    const waits: number[] = [];
    const gate = new RateGate(
      () => clock,
      async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    );
    const inner: Provider = {
      id: 'openai',
      model: 'm',
      label: 'm',
      async *stream(): AsyncGenerator<StreamEvent> {
        yield { type: 'retry', attempt: 1, delayMs: 2000, reason: '429 Rate limit reached', status: 429 };
        yield { type: 'retry', attempt: 2, delayMs: 9000, reason: '500 could not generate', status: 500 };
        yield { type: 'delta', text: 'ok' };
      },
    };
    const provider = gatedProvider(inner, gate);
    for await (const _ of provider.stream({ messages: [] })) void _;
    // The next request (another worker) waits out the remaining retry-after first.
    for await (const _ of provider.stream({ messages: [] })) void _;
    expect(waits).toEqual([2000]);
  });
});
