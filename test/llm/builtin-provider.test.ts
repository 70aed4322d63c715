import { describe, expect, it } from 'vitest';
import { builtinReply, chunkText, createBuiltinProvider } from '../../src/interview/builtin-provider.js';
import { AbortedError, collect, type ChatMessage } from '../../src/llm/provider.js';
import { seededRandom } from '../../src/interview/engine/random.js';

const system: ChatMessage = { role: 'system', content: 'Design a URL shortener.\nMore detail.' };

async function converse(seed: number, turns: number): Promise<string[]> {
  const provider = createBuiltinProvider({ seed });
  const messages: ChatMessage[] = [system];
  const replies: string[] = [];
  for (let i = 0; i < turns; i++) {
    const { text } = await collect(provider.stream({ messages }));
    replies.push(text);
    messages.push({ role: 'assistant', content: text });
    messages.push({
      role: 'user',
      content: `Here is a fairly long answer number ${i} that talks through the design in enough words to count.`,
    });
  }
  return replies;
}

describe('builtin provider', () => {
  it('opens with the problem statement', () => {
    expect(builtinReply([system], 1)).toMatch(/^Let's begin\. Design a URL shortener\./);
  });

  it('answers a clarifying question and probes a short vague answer', () => {
    expect(builtinReply([system, { role: 'user', content: 'How many users are there?' }], 1)).toMatch(/assumption/);
    expect(builtinReply([system, { role: 'user', content: 'I would use a cache.' }], 1)).toMatch(/specific/);
  });

  it('is deterministic for a seed, differs across seeds, and never repeats a question', async () => {
    const a = await converse(42, 12);
    expect(await converse(42, 12)).toEqual(a);
    expect(await converse(43, 12)).not.toEqual(a);
    const probes = a.slice(1, -1);
    expect(new Set(probes).size).toBe(probes.length);
  });

  it('streams in several chunks that add up to the reply, then usage', async () => {
    const provider = createBuiltinProvider({ seed: 3 });
    const events = [];
    for await (const event of provider.stream({ messages: [system] })) events.push(event);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((d) => (d.type === 'delta' ? d.text : '')).join('')).toBe(builtinReply([system], 3));
    expect(events.at(-1)).toMatchObject({ type: 'usage', finishReason: 'stop', usage: { estimated: true } });
  });

  it('keeps every character when chunking', () => {
    const text = '  leading, then words\n\nand a paragraph.  ';
    expect(chunkText(text, seededRandom(9)).join('')).toBe(text);
  });

  it('stops with the partial text when aborted mid-stream', async () => {
    const controller = new AbortController();
    // A sleep that aborts on the third chunk, deterministically.
    let calls = 0;
    const provider = createBuiltinProvider({
      seed: 1,
      chunkDelayMs: 1,
      sleep: async () => {
        if (++calls === 3) controller.abort();
        if (controller.signal.aborted) throw new Error('aborted');
      },
    });
    let seen = '';
    const error = await (async () => {
      try {
        for await (const event of provider.stream({ messages: [system], signal: controller.signal })) {
          if (event.type === 'delta') seen += event.text;
        }
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).partialText).toBe(seen);
    expect(seen.length).toBeGreaterThan(0);
  });
});
