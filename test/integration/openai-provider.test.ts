// The openai provider over real HTTP: the real `openai` client against the local fake server,
// one fault at a time. Backoff sleeps are injected (recorded, not waited) so retries are instant
// and their delays can be checked exactly.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIProvider, type OpenAIProviderOptions } from '../../src/llm/openai-provider.js';
import {
  AbortedError,
  ProviderError,
  StreamInterruptedError,
  collect,
  type ChatMessage,
  type StreamEvent,
} from '../../src/llm/provider.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { waitFor } from '../support/env.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are an interviewer.' },
  { role: 'user', content: 'I would put a cache in front of the database.' },
];
const REPLY = 'Which cache, and what is your eviction policy when memory fills up?';

let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI({ models: ['test-model'], defaultReply: REPLY });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.sent.length = 0;
  server.setDefault({ kind: 'reply', text: REPLY });
});

function provider(overrides: Partial<OpenAIProviderOptions> = {}) {
  const sleeps: number[] = [];
  const made = createOpenAIProvider({
    baseURL: server.url,
    apiKey: 'test-key',
    model: 'test-model',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { made, sleeps };
}

async function events(stream: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error: unknown }> {
  const seen: StreamEvent[] = [];
  try {
    for await (const event of stream) seen.push(event);
    return { events: seen, error: null };
  } catch (error) {
    return { events: seen, error };
  }
}

const textOf = (list: StreamEvent[]) => list.map((e) => (e.type === 'delta' ? e.text : '')).join('');

describe('openai provider against the local server', () => {
  it('streams deltas then usage from the final choices:[] chunk', async () => {
    const { made } = provider();
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeNull();
    expect(seen.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
    expect(textOf(seen)).toBe(REPLY);
    const last = seen.at(-1);
    expect(last).toMatchObject({ type: 'usage', finishReason: 'stop', usage: { estimated: false } });
    if (last?.type === 'usage') expect(last.usage.outputTokens).toBeGreaterThan(0);
    // The request was a real streaming Chat Completions call asking for usage.
    const body = server.requests.at(-1)!.body;
    expect(body).toMatchObject({ model: 'test-model', stream: true, stream_options: { include_usage: true }, messages });
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer test-key');
    // The usage chunk really had no choices.
    expect(server.sent.some((s) => s.kind === 'chunk' && (s.payload as { choices: unknown[] }).choices.length === 0)).toBe(true);
  });

  it('estimates usage when the endpoint sends none', async () => {
    const { made } = provider({ includeUsage: false });
    const result = await collect((await made).stream({ messages }));
    expect(result.text).toBe(REPLY);
    expect(result.usage).toMatchObject({ estimated: true });
    expect(server.requests.at(-1)!.body.stream_options).toBeUndefined();
  });

  it('sends no Authorization header when there is no key', async () => {
    const { made } = provider({ apiKey: null });
    await collect((await made).stream({ messages }));
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('retries a 429, waiting exactly what retry-after asks', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'status', status: 429, retryAfterMs: '350' });
    const { made, sleeps } = provider();
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeNull();
    expect(sleeps).toEqual([2000, 350]);
    expect(seen.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({ attempt: 1, delayMs: 2000 }),
      expect.objectContaining({ attempt: 2, delayMs: 350 }),
    ]);
    expect(textOf(seen)).toBe(REPLY);
    expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(3);
  });

  it('retries 500s with exponential backoff, then gives up with a typed error', async () => {
    server.setDefault({ kind: 'status', status: 500 });
    const { made, sleeps } = provider({ maxRetries: 3 });
    const { error } = await events((await made).stream({ messages }));
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', status: 500 });
    expect((error as Error).message).toMatch(/after 4 attempts/);
  });

  it('does not retry a 401 or an unknown model', async () => {
    server.enqueue({ kind: 'status', status: 401 });
    const first = provider();
    const auth = await events((await first.made).stream({ messages }));
    expect(auth.error).toMatchObject({ kind: 'auth', status: 401 });
    expect(first.sleeps).toEqual([]);

    const second = provider({ model: 'no-such-model' });
    const missing = await events((await second.made).stream({ messages }));
    expect(missing.error).toMatchObject({ kind: 'not-found', status: 404 });
    expect((missing.error as Error).message).toMatch(/no-such-model/);
  });

  it('does not wait out a retry-after longer than the policy allows', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '3600' });
    const { made, sleeps } = provider();
    const { error } = await events((await made).stream({ messages }));
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429 });
    expect(sleeps).toEqual([]);
  });

  it('times out a hung request and retries it', async () => {
    server.enqueue({ kind: 'hang' });
    const { made, sleeps } = provider({ timeoutMs: 300 });
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeNull();
    expect(seen.find((e) => e.type === 'retry')).toMatchObject({ reason: expect.stringMatching(/No data/) });
    expect(sleeps).toHaveLength(1);
    expect(textOf(seen)).toBe(REPLY);
  });

  it('keeps the text of a stream dropped mid-way and says so', async () => {
    server.enqueue({ kind: 'drop', afterChunks: 4 });
    const { made, sleeps } = provider();
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    const partial = (error as StreamInterruptedError).partialText;
    expect(partial.length).toBeGreaterThan(0);
    expect(REPLY.startsWith(partial)).toBe(true);
    expect(partial).toBe(textOf(seen));
    expect((error as Error).message).toMatch(/cut off after/);
    // Text was shown, so it is not silently re-requested.
    expect(sleeps).toEqual([]);
  });

  it('keeps the text when a stream goes silent mid-way', async () => {
    server.enqueue({ kind: 'hang-mid-stream', afterChunks: 3 });
    const { made } = provider({ timeoutMs: 300 });
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as StreamInterruptedError).partialText).toBe(textOf(seen));
    expect(textOf(seen).length).toBeGreaterThan(0);
  });

  it('reports a malformed chunk as a bad response, keeping the text', async () => {
    server.enqueue({ kind: 'malformed', afterChunks: 3 });
    const { made } = provider();
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ kind: 'bad-response' });
    expect((error as StreamInterruptedError).partialText).toBe(textOf(seen));
  });

  it('treats a reply as complete when only the trailing usage chunk was lost', async () => {
    server.enqueue({ kind: 'reply', text: REPLY, dropAfterFinish: true });
    const { made, sleeps } = provider();
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeNull();
    expect(textOf(seen)).toBe(REPLY);
    expect(seen.at(-1)).toMatchObject({ type: 'usage', finishReason: 'stop', usage: { estimated: true } });
    expect(sleeps).toEqual([]);
  });

  it('retries a stream dropped before any text arrived', async () => {
    server.enqueue({ kind: 'drop', afterChunks: 0 });
    const { made, sleeps } = provider();
    const { events: seen, error } = await events((await made).stream({ messages }));
    expect(error).toBeNull();
    expect(sleeps).toHaveLength(1);
    expect(textOf(seen)).toBe(REPLY);
  });

  it('aborts before the request is sent', async () => {
    const controller = new AbortController();
    controller.abort();
    const { made } = provider();
    const { error } = await events((await made).stream({ messages, signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(0);
  });

  it('aborts while waiting for headers', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const { made } = provider();
    const pending = events((await made).stream({ messages, signal: controller.signal }));
    await waitFor(() => server.requests.some((r) => r.path.endsWith('/chat/completions')), { what: 'request' });
    controller.abort();
    const { error } = await pending;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).partialText).toBe('');
  });

  it('aborts mid-stream keeping what arrived', async () => {
    server.setDefault({ kind: 'reply', text: REPLY, tokenDelayMs: 20 });
    const controller = new AbortController();
    const { made } = provider();
    let seen = '';
    let error: unknown = null;
    try {
      for await (const event of (await made).stream({ messages, signal: controller.signal })) {
        if (event.type === 'delta') {
          seen += event.text;
          if (seen.length > 10) controller.abort();
        }
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).partialText).toBe(seen);
    expect(seen.length).toBeLessThan(REPLY.length);
  });

  it('aborts during a backoff wait', async () => {
    server.enqueue({ kind: 'status', status: 503 });
    const controller = new AbortController();
    const { made } = provider({
      sleep: (ms, signal) =>
        new Promise((_, reject) => {
          controller.abort();
          reject(signal?.reason ?? new Error('aborted'));
        }),
    });
    const { events: seen, error } = await events((await made).stream({ messages, signal: controller.signal }));
    expect(seen.map((e) => e.type)).toEqual(['retry']);
    expect(error).toBeInstanceOf(AbortedError);
  });

  it('asks for structured output with json_schema and gets JSON back', async () => {
    const schema = {
      type: 'object',
      properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, evidence: { type: 'string' } },
      required: ['score', 'evidence'],
      additionalProperties: false,
    };
    // No scripted text: the server answers with a document that satisfies the schema.
    server.setDefault({ kind: 'reply' });
    const { made } = provider();
    const result = await collect((await made).stream({ messages, jsonSchema: { name: 'grade', schema } }));
    expect(server.requests.at(-1)!.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'grade', schema, strict: true },
    });
    const parsed = JSON.parse(result.text);
    expect(parsed).toMatchObject({ score: 1, evidence: expect.any(String) });
  });

  it('closes the connection when the consumer stops early', async () => {
    // Slow enough that the server is still mid-reply when the consumer walks away.
    server.setDefault({ kind: 'reply', text: REPLY, tokenDelayMs: 200 });
    const { made } = provider();
    for await (const event of (await made).stream({ messages })) {
      if (event.type === 'delta') break;
    }
    // The server sees the client hang up mid-reply, before any finish chunk.
    const request = server.requests.at(-1)!;
    await waitFor(() => request.closedByClient, { what: 'the client to close the connection' });
    const chunks = server.sent.filter((s) => s.kind === 'chunk') as { payload: { choices: { finish_reason: string | null }[] } }[];
    expect(chunks.some((c) => c.payload.choices.some((choice) => choice.finish_reason !== null))).toBe(false);
    // A later request still works (nothing left hanging).
    server.setDefault({ kind: 'reply', text: REPLY });
    expect((await collect((await made).stream({ messages }))).text).toBe(REPLY);
  });
});
