// The local provider against node-llama-cpp's real runtime, on a tiny llama model this file
// writes itself (test/support/gguf-writer.ts): streaming, cancelling mid-stream, the judge's
// grammar-constrained JSON, the context budget, and one-line errors for files that do not load.
// One model load for the whole file; one CPU thread, so busy neighbours do not slow the spin-waits.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, toChatHistory, type LocalProvider } from '../../src/llm/local-provider.js';
import { NODE_LLAMA_CPP_MISSING } from '../../src/llm/node-llama-cpp.js';
import { AbortedError, ContextTooLongError, ProviderError, collect, type ChatMessage, type StreamEvent } from '../../src/llm/provider.js';
import { judgeResponseFormat } from '../../src/grading/judge/schema.js';
import { tempHome } from '../support/env.js';
import { tinyLlamaGguf } from '../support/gguf-writer.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are an interviewer.' },
  { role: 'user', content: 'I would put a cache in front of the database.' },
];

let home: Awaited<ReturnType<typeof tempHome>>;
let modelPath: string;
let provider: LocalProvider;

beforeAll(async () => {
  home = await tempHome('sdcoach-local-');
  modelPath = path.join(home.dir, 'tiny-test-f32.gguf');
  await writeFile(modelPath, tinyLlamaGguf({ seed: 7, contextLength: 512 }));
  provider = await createLocalProvider({ modelPath, gpu: false, threads: 1, seed: 1 });
});
afterAll(async () => {
  await provider?.dispose();
  await home?.cleanup();
});

describe('local provider (node-llama-cpp, tiny generated model)', () => {
  it('names the model and takes its context length from the file', () => {
    expect(provider.id).toBe('local');
    expect(provider.model).toBe('tiny-test-f32');
    expect(provider.label).toContain('local tiny-test-f32');
    expect(provider.contextTokens).toBe(512);
  });

  it('streams deltas and ends with real token counts', async () => {
    const events: StreamEvent[] = [];
    for await (const event of provider.stream({ messages, maxTokens: 12 })) events.push(event);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last.type).toBe('usage');
    if (last.type !== 'usage') return;
    expect(last.usage.estimated).toBe(false);
    expect(last.usage.inputTokens).toBe(provider.promptTokens(toChatHistory(messages)));
    // Byte-level vocabulary: the prompt's characters are at least that many tokens.
    expect(last.usage.inputTokens).toBeGreaterThan(messages[1]!.content.length);
    expect(last.usage.outputTokens).toBeGreaterThan(0);
    expect(last.usage.outputTokens).toBeLessThanOrEqual(12);
  });

  it('obeys maxTokens: a reply cut by the cap finishes with "length"', async () => {
    // A higher temperature over a random model: the end-of-text token is unlikely within 3 tokens.
    const reply = await collect(provider.stream({ messages, maxTokens: 3, temperature: 1.5 }));
    expect(reply.usage!.outputTokens).toBeLessThanOrEqual(3);
    if (reply.usage!.outputTokens === 3) expect(reply.finishReason).toBe('length');
  });

  it('cancels mid-stream: AbortedError keeps the text that arrived', async () => {
    const controller = new AbortController();
    let seen = '';
    let caught: unknown;
    try {
      for await (const event of provider.stream({ messages, maxTokens: 200, temperature: 1.5, signal: controller.signal })) {
        if (event.type === 'delta') {
          seen += event.text;
          controller.abort();
        }
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AbortedError);
    expect((caught as AbortedError).partialText.startsWith(seen)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    // The sequence is free again: the next request streams normally.
    const next = await collect(provider.stream({ messages, maxTokens: 4 }));
    expect(next.usage).not.toBeNull();
  });

  it('an already aborted signal never starts a generation', async () => {
    await expect(collect(provider.stream({ messages, signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(AbortedError);
  });

  it('the judge path: JSON under the schema grammar always parses and matches the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        verdict: { type: 'string', enum: ['hire', 'no-hire'] },
        score: { anyOf: [{ type: 'integer', enum: [1, 2, 3, 4, 5] }, { type: 'null' }] },
        confident: { type: 'boolean' },
      },
      required: ['verdict', 'score', 'confident'],
      additionalProperties: false,
    };
    for (const seedTemperature of [0, 0.8, 1.5]) {
      const reply = await collect(
        provider.stream({ messages, maxTokens: 120, temperature: seedTemperature, jsonSchema: { name: 'verdict', schema, strict: true } }),
      );
      const parsed = JSON.parse(reply.text) as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).toEqual(['confident', 'score', 'verdict']);
      expect(['hire', 'no-hire']).toContain(parsed.verdict);
      expect(parsed.score === null || [1, 2, 3, 4, 5].includes(parsed.score as number)).toBe(true);
      expect(typeof parsed.confident).toBe('boolean');
    }
  });

  it('the real judge schema (zod → JSON Schema) is accepted by the grammar builder', async () => {
    // Generation under it is not asserted (a random model's free text may run to the cap); the
    // grammar must build, so a real model's judge request never fails on the schema.
    const reply = await collect(provider.stream({ messages, maxTokens: 8, jsonSchema: judgeResponseFormat() }));
    expect(reply.text.startsWith('{')).toBe(true);
  });

  it('refuses a prompt longer than the context instead of cutting it', async () => {
    const long: ChatMessage[] = [...messages, { role: 'user', content: 'x'.repeat(600) }];
    const error = await collect(provider.stream({ messages: long })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextTooLongError);
    expect((error as ContextTooLongError).contextTokens).toBe(512);
  });
});

describe('local provider: load failures are one-line ProviderErrors', () => {
  it('a missing file', async () => {
    const error = await createLocalProvider({ modelPath: path.join(home.dir, 'nope.gguf'), gpu: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/^model file not found: .*nope\.gguf/);
  });

  it('a file that is not GGUF', async () => {
    const file = path.join(home.dir, 'html.gguf');
    await writeFile(file, '<html>404 Not Found</html>'.padEnd(200, ' '));
    const error = await createLocalProvider({ modelPath: file, gpu: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe('html.gguf is not a usable GGUF model: not a GGUF file (wrong magic bytes)');
  });

  it('a download cut short (valid header, tensors missing)', async () => {
    const file = path.join(home.dir, 'cut.gguf');
    const whole = tinyLlamaGguf({ seed: 7 });
    await writeFile(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await createLocalProvider({ modelPath: file, gpu: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/^cut\.gguf failed to load: /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('node-llama-cpp not installed', async () => {
    const missing = Object.assign(new Error("Cannot find package 'node-llama-cpp'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await createLocalProvider({ modelPath, importNodeLlamaCpp: () => Promise.reject(missing) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe(NODE_LLAMA_CPP_MISSING);
  });
});
