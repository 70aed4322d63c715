import fc from 'fast-check';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitFor } from './support/env.js';
import { exampleFromSchema, splitReply, startFakeOpenAI, type FakeOpenAI } from './support/fake-openai.js';

const silentLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ models: ['gpt-4o-mini', 'llama3'], defaultReply: 'Hello there, candidate.' });
});
afterEach(async () => {
  await fake.close();
});

function client(extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  return new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0, logger: silentLogger, ...extra });
}

const hi = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Design a URL shortener.' }] };

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const json = (res: Response): Promise<any> => res.json();

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.length > 0)
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice('data: '.length);
    });
}

describe('GET /v1/models', () => {
  it('lists the configured models and retrieves one, with correct HTTP framing', async () => {
    const res = await fetch(`${fake.url}/models`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const list = JSON.parse(text);
    expect(list.object).toBe('list');
    expect(list.data.map((m: { id: string }) => m.id)).toEqual(['gpt-4o-mini', 'llama3']);
    expect(list.data[0]).toEqual({ id: 'gpt-4o-mini', object: 'model', created: expect.any(Number), owned_by: 'openai' });

    const one = await fetch(`${fake.url}/models/llama3`);
    expect(one.status).toBe(200);
    expect((await json(one)).id).toBe('llama3');

    const missing = await fetch(`${fake.url}/models/nope`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
  });

  it('works through the openai client', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-4o-mini', 'llama3']);
    await expect(client().models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('POST /v1/chat/completions', () => {
  it('streams SSE in the real shape: role chunk, one word per chunk, finish chunk, [DONE]', async () => {
    fake.enqueue({ kind: 'reply', text: 'Start with\nthe API.' });
    const res = await post('/chat/completions', { ...hi, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const data = sseData(await res.text());
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks).toEqual(fake.sent.map((s) => s.payload));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.slice(1, -1).map((c) => c.choices[0].delta.content)).toEqual(['Start', ' with', '\nthe', ' API.']);
    expect(chunks.at(-1).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0].id).toMatch(/^chatcmpl-/);
    for (const c of chunks) {
      expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o-mini', service_tier: 'default' });
      expect(c).not.toHaveProperty('usage');
    }
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
  });

  it('splits by chunkSize and adds usage chunks with include_usage', async () => {
    fake.enqueue({ kind: 'reply', text: 'abcdefg', chunkSize: 3, finishReason: 'length' });
    const res = await post('/chat/completions', { ...hi, stream: true, stream_options: { include_usage: true } });
    const chunks = sseData(await res.text()).slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.slice(1, 4).map((c) => c.choices[0].delta.content)).toEqual(['abc', 'def', 'g']);
    expect(chunks[4].choices[0].finish_reason).toBe('length');
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.prompt_tokens).toBeGreaterThan(0);
    expect(last.usage.completion_tokens).toBeGreaterThan(0);
    expect(last.usage.total_tokens).toBe(last.usage.prompt_tokens + last.usage.completion_tokens);
    expect(last.usage.prompt_tokens_details).toEqual({ cached_tokens: 0, audio_tokens: 0 });
    expect(last.usage.completion_tokens_details).toMatchObject({ reasoning_tokens: 0 });
  });

  it('answers non-streaming requests with a chat.completion object (content-length framed)', async () => {
    const res = await post('/chat/completions', hi);
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const body = JSON.parse(text);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Hello there, candidate.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('streams progressively with tokenDelayMs (the client has the first word while the server still sleeps before the next)', async () => {
    // A minute between words: while the server sleeps before ' two', the client must already have
    // 'one'. No race: the finish chunk cannot have been written until close() wakes the server.
    fake.enqueue({ kind: 'reply', text: 'one two three four', tokenDelayMs: 60_000 });
    const stream = await client().chat.completions.create({ ...hi, stream: true });
    const seen: (string | null | undefined)[] = [];
    const consumed = (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    await waitFor(() => seen.includes('one'), { what: 'the first word at the client' });
    expect(seen).toEqual(['', 'one']);
    const sentDeltas = fake.sent.map((s) => (s.payload as any).choices[0]);
    expect(sentDeltas.map((c) => c.delta.content)).toEqual(['', 'one']);
    expect(sentDeltas.every((c) => c.finish_reason === null)).toBe(true);
    await fake.close(); // ends the sleep; the server stops without writing the rest
    expect(await consumed).toBeInstanceOf(TypeError); // terminated: the stream never finished
    expect(fake.sent).toHaveLength(2);
  });

  it('records every request with method, path, headers and parsed body', async () => {
    await client({ apiKey: 'sk-recorded' }).chat.completions.create({ ...hi, temperature: 0.2 });
    await post('/chat/completions', '{not json');
    await fetch(`${fake.url}/models`);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
      'GET /v1/models',
    ]);
    const [first, second, third] = fake.requests;
    expect(first!.headers.authorization).toBe('Bearer sk-recorded');
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.body).toEqual({ ...hi, temperature: 0.2 });
    expect(second!.body).toBeNull();
    expect(third!.body).toBeNull();
    expect(fake.sent[1]).toMatchObject({ kind: 'error', payload: { error: { type: 'invalid_request_error' } } });
  });

  it('consumes the queue in order, then falls back to the default (changeable with setDefault)', async () => {
    fake.enqueue(
      { kind: 'reply', text: 'first' },
      { kind: 'status', status: 500 },
      { kind: 'reply', text: (req) => `echo: ${req.body.messages[0].content}` },
    );
    const c = client();
    const content = async () => (await c.chat.completions.create(hi)).choices[0]!.message.content;
    expect(await content()).toBe('first');
    await expect(content()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect(await content()).toBe('echo: Design a URL shortener.');
    expect(await content()).toBe('Hello there, candidate.');
    fake.setDefault({ kind: 'reply', text: 'new default' });
    expect(await content()).toBe('new default');
    expect(await content()).toBe('new default');
  });

  it('rejects unknown models like the real API', async () => {
    const res = await post('/chat/completions', { ...hi, model: 'gpt-9' });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: {
        message: 'The model `gpt-9` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
  });

  it('answers unknown routes with an OpenAI-style 404', async () => {
    const res = await post('/completions-nope', {});
    expect(res.status).toBe(404);
    expect((await json(res)).error.message).toBe('Invalid URL (POST /v1/completions-nope)');
    expect((await fetch(`http://127.0.0.1:${fake.port}/`)).status).toBe(404);
  });
});

describe('faults', () => {
  it('429 carries retry-after (and retry-after-ms) and an OpenAI error body', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: '1', retryAfterMs: '1000' });
    const res = await post('/chat/completions', { ...hi, stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('retry-after-ms')).toBe('1000');
    const body: any = await res.json();
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null });

    fake.enqueue({ kind: 'status', status: 429, retryAfter: '7', message: 'slow down' });
    const error = await client()
      .chat.completions.create(hi)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rate = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rate.status).toBe(429);
    expect(rate.headers.get('retry-after')).toBe('7');
    expect(rate.code).toBe('rate_limit_exceeded');
    expect(rate.message).toBe('429 slow down');
  });

  it('the client honours retry-after-ms when retries are enabled', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfterMs: '10' }, { kind: 'status', status: 503, retryAfter: '0.01' });
    const reply = await client({ maxRetries: 2 }).chat.completions.create(hi);
    expect(reply.choices[0]!.message.content).toBe('Hello there, candidate.');
    expect(fake.requests).toHaveLength(3);
  });

  it('maps statuses to the openai client error classes', async () => {
    const cases = [
      [400, OpenAI.BadRequestError],
      [401, OpenAI.AuthenticationError],
      [404, OpenAI.NotFoundError],
      [500, OpenAI.InternalServerError],
      [503, OpenAI.InternalServerError],
    ] as const;
    for (const [status, errorClass] of cases) {
      fake.enqueue({ kind: 'status', status });
      const error = await client()
        .chat.completions.create({ ...hi, stream: true })
        .catch((e: unknown) => e);
      expect(error, `status ${status}`).toBeInstanceOf(errorClass);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    }
  });

  it('requireKey: 401 invalid_api_key without or with a wrong key, success with the right one', async () => {
    await fake.close();
    fake = await startFakeOpenAI({ requireKey: 'sk-right' });
    const noKey = await post('/chat/completions', hi);
    expect(noKey.status).toBe(401);
    expect((await json(noKey)).error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
    const models = await fetch(`${fake.url}/models`, { headers: { authorization: 'Bearer sk-wrong' } });
    expect(models.status).toBe(401);
    await expect(client({ apiKey: 'sk-wrong' }).chat.completions.create(hi)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const ok = await client({ apiKey: 'sk-right' }).chat.completions.create(hi);
    expect(ok.choices[0]!.message.content).toEqual(expect.any(String));
  });

  it('hang: the request is accepted but never answered until close()', async () => {
    fake.enqueue({ kind: 'hang' });
    let settled = false;
    const pending = post('/chat/completions', { ...hi, stream: true }).then(
      () => (settled = true),
      (error: unknown) => {
        settled = true;
        return error;
      },
    );
    await waitFor(() => fake.requests.length === 1, { what: 'hung request recorded' });
    // The server keeps serving other requests meanwhile.
    expect((await post('/chat/completions', hi)).status).toBe(200);
    expect(settled).toBe(false);
    await fake.close();
    const error = await pending;
    expect(error).toBeInstanceOf(TypeError); // fetch failed: other side closed
  });

  it('hang: the openai client times out with APIConnectionTimeoutError (its timeout covers the wait for headers)', async () => {
    fake.enqueue({ kind: 'hang' });
    // The server never answers, so the timeout is the only way out, however slow the machine.
    await expect(client({ timeout: 300 }).chat.completions.create({ ...hi, stream: true })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
  });

  it('the client timeout only covers the wait for headers: a stream slower than the timeout completes', async () => {
    // 1 s is plenty for the headers of a local server even under load; the body then takes at
    // least 3 × 400 ms, so the whole stream outlasts the timeout however fast the machine is.
    fake.enqueue({ kind: 'reply', text: 'slow but steady wins', tokenDelayMs: 400 });
    const timeout = 1_000;
    const started = Date.now();
    const stream = await client({ timeout }).chat.completions.create({ ...hi, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('slow but steady wins'); // a stalled stream needs the caller's own watchdog
    expect(Date.now() - started).toBeGreaterThan(timeout); // server-side sleeps: never less, so no race
  });

  it('hang-mid-stream: N chunks arrive, then silence; aborting ends the for-await QUIETLY, close() makes it throw', async () => {
    fake.enqueue({ kind: 'hang-mid-stream', afterChunks: 2 });
    const controller = new AbortController();
    const stream = await client().chat.completions.create({ ...hi, stream: true }, { signal: controller.signal });
    const deltas: unknown[] = [];
    for await (const chunk of stream) {
      deltas.push(chunk.choices[0]!.delta);
      if (deltas.length === 3) controller.abort(); // no error: the loop just ends
    }
    expect(deltas).toEqual([{ role: 'assistant', content: '', refusal: null }, { content: 'Hello' }, { content: ' there,' }]);

    fake.enqueue({ kind: 'hang-mid-stream', afterChunks: 1 });
    const second = await client().chat.completions.create({ ...hi, stream: true });
    const seen: unknown[] = [];
    const consumed = (async () => {
      for await (const chunk of second) seen.push(chunk);
    })().catch((e: unknown) => e);
    await waitFor(() => seen.length === 2, { what: 'two chunks before the stall' });
    await fake.close();
    const error = (await consumed) as Error & { cause?: { code?: string } };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
    expect(error.cause?.code).toBe('UND_ERR_SOCKET');
  });

  it('drop: the client stream throws a socket error before any finish_reason', async () => {
    fake.enqueue({ kind: 'drop', afterChunks: 3 });
    const stream = await client().chat.completions.create({ ...hi, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error).toBeInstanceOf(TypeError); // undici: TypeError('terminated'), not an OpenAI.APIError
    expect(error!.message).toBe('terminated');
    expect(error!.cause?.code).toBe('UND_ERR_SOCKET');
    expect(chunks).toHaveLength(4); // role chunk + 3 content chunks
    expect(chunks.every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    expect(chunks.map((c) => c.choices[0]!.delta.content).join('')).toBe('Hello there, candidate.');
  });

  it('malformed: the raw body has the broken line and no [DONE]; the openai client stream throws SyntaxError', async () => {
    fake.enqueue({ kind: 'malformed', afterChunks: 1 });
    const raw = await (await post('/chat/completions', { ...hi, stream: true })).text();
    expect(raw.endsWith('data: {"id": broken\n\n')).toBe(true);
    expect(raw).not.toContain('[DONE]');
    expect(fake.sent).toHaveLength(2); // the broken line is not recorded

    fake.enqueue({ kind: 'malformed', afterChunks: 2 });
    const logged: unknown[][] = [];
    const c = client({ logger: { ...silentLogger, error: (...args: unknown[]) => logged.push(args) } });
    const stream = await c.chat.completions.create({ ...hi, stream: true });
    const contents: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) contents.push(chunk.choices[0]!.delta.content ?? '');
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyntaxError);
    expect(contents).toEqual(['', 'Hello', ' there,']);
    // The client logs the unparsable line through its logger (console.error by default) before throwing.
    expect(logged[0]).toEqual(['Could not parse message into JSON:', '{"id": broken']);
  });

  it('non-streaming faults: drop → TypeError terminated, malformed → SyntaxError', async () => {
    fake.enqueue({ kind: 'drop', afterChunks: 0 }, { kind: 'malformed', afterChunks: 0 });
    const dropped = await client()
      .chat.completions.create(hi)
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    const malformed = await client()
      .chat.completions.create(hi)
      .catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(SyntaxError);
  });

  it('close() resolves with hung, mid-stream and idle keep-alive connections open, and is idempotent', async () => {
    fake.enqueue({ kind: 'hang' }, { kind: 'hang-mid-stream', afterChunks: 1 });
    const hung = post('/chat/completions', hi).catch((e: unknown) => e);
    const midStream = await post('/chat/completions', { ...hi, stream: true });
    const reader = midStream.body!.getReader();
    await reader.read();
    await (await fetch(`${fake.url}/models`)).text(); // leaves an idle keep-alive socket
    await waitFor(() => fake.requests.length === 3, { what: 'three requests' });
    await fake.close();
    await fake.close();
    expect(await hung).toBeInstanceOf(TypeError);
    await expect(reader.read()).rejects.toThrow();
  });
});

describe('json_schema echo', () => {
  const Plan = z.object({
    title: z.string(),
    level: z.enum(['L3', 'L4', 'L5']),
    score: z.number().min(1).max(5),
    minutes: z.number().int().min(10),
    passed: z.boolean(),
    tags: z.array(z.string()).min(2),
    reviewer: z.string().nullable(),
    kind: z.literal('grade'),
    verdict: z.union([z.object({ ok: z.literal(true) }), z.string()]),
    contact: z.email(),
    id: z.uuid(),
    note: z.string().optional(),
    nested: z.object({ depth: z.number().int().positive(), items: z.array(z.object({ name: z.string().min(3) })).min(1) }),
  });

  it('generates a minimal document that the zod schema accepts', () => {
    const value = exampleFromSchema(z.toJSONSchema(Plan) as object);
    expect(Plan.safeParse(value).success).toBe(true);
    expect(value).toMatchObject({ level: 'L3', score: 1, minutes: 10, passed: false, reviewer: null, kind: 'grade' });
    expect((value as { tags: unknown[] }).tags).toHaveLength(2);
    expect(value).not.toHaveProperty('note');
  });

  it('follows $ref into $defs (recursive schemas) and handles nullable type unions', () => {
    interface Node {
      name: string;
      children: Node[];
    }
    const NodeSchema: z.ZodType<Node> = z.object({ name: z.string(), get children() { return z.array(NodeSchema); } });
    const Tree = z.object({ root: NodeSchema, other: NodeSchema.nullable() });
    const schema = z.toJSONSchema(Tree) as Record<string, unknown>;
    expect(JSON.stringify(schema)).toContain('$ref');
    const value = exampleFromSchema(schema);
    expect(Tree.parse(value)).toEqual({ root: { name: '', children: [] }, other: { name: '', children: [] } });
    expect(exampleFromSchema({ type: ['string', 'null'] })).toBeNull();
    expect(exampleFromSchema({ definitions: { A: { const: 7 } }, $ref: '#/definitions/A' })).toBe(7);
  });

  it('replies with the echo when no text is scripted (raw request)', async () => {
    const schema = z.toJSONSchema(z.object({ answer: z.string(), confidence: z.number().min(0) }));
    const res = await post('/chat/completions', {
      ...hi,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    const body: any = await res.json();
    expect(JSON.parse(body.choices[0].message.content)).toEqual({ answer: '', confidence: 0 });
  });
});

describe('splitReply', () => {
  it('pieces always reassemble to the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }), (text, size) => {
        expect(splitReply(text, size).join('')).toBe(text);
      }),
    );
  });

  it('keeps leading whitespace with each word', () => {
    expect(splitReply('  a bb\n\nccc ')).toEqual(['  a', ' bb', '\n\nccc', ' ']);
    expect(splitReply('héllo 👋', 2)).toEqual(['hé', 'll', 'o ', '👋']);
  });
});
