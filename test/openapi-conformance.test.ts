/**
 * Everything the fake OpenAI server sends must validate against the official OpenAPI description
 * (its committed subset, test/fixtures/openai-openapi/openapi.subset.json), and the real `openai`
 * client must read it correctly.
 * The negative tests prove the validator is strict: wrong payloads fail.
 */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitFor } from './support/env.js';
import { startFakeOpenAI, type FakeOpenAI, type SentPayload } from './support/fake-openai.js';
import { loadOpenApiDocument, normalizeOpenApiSchema, validateAgainst, validateSent } from './support/openapi.js';

const silentLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const hi = { model: 'gpt-4o-mini', messages: [{ role: 'system' as const, content: 'You are an interviewer.' }, { role: 'user' as const, content: 'Design a chat app.' }] };

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(() => {
  loadOpenApiDocument(); // read the schemas once, outside any single test's budget
  validateAgainst('CreateChatCompletionStreamResponse', {}); // and compile the validators
});
beforeEach(async () => {
  fake = await startFakeOpenAI({ models: ['gpt-4o-mini', 'llama3'], defaultReply: 'Let us clarify the requirements first.' });
  client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0, logger: silentLogger });
});
afterEach(async () => {
  await fake.close();
});

/** Every payload sent so far validates; also returns the kinds for shape assertions. */
function expectAllSentConform(): SentPayload['kind'][] {
  expect(fake.sent.length).toBeGreaterThan(0);
  const problems = validateSent(fake.sent);
  expect(problems, `schema violations:\n${problems.join('\n')}`).toEqual([]);
  return fake.sent.map((s) => s.kind);
}

async function collect(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = '';
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return { text, chunks };
}

describe('streamed chat completions conform to CreateChatCompletionStreamResponse', () => {
  it('default word split, without include_usage', async () => {
    const { text, chunks } = await collect(await client.chat.completions.create({ ...hi, stream: true }));
    expect(text).toBe('Let us clarify the requirements first.');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
    const kinds = expectAllSentConform();
    expect(kinds.every((k) => k === 'chunk')).toBe(true);
    expect(kinds).toHaveLength(1 + 6 + 1);
  });

  it('with include_usage: usage null on every chunk, then a usage chunk with no choices', async () => {
    const { text, chunks } = await collect(
      await client.chat.completions.create({ ...hi, stream: true, stream_options: { include_usage: true } }),
    );
    expect(text).toBe('Let us clarify the requirements first.');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.total_tokens).toBe(last.usage!.prompt_tokens + last.usage!.completion_tokens);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expectAllSentConform();
  });

  it.each([1, 3, 1000])('chunkSize %i with unicode, newlines and finishReason length', async (chunkSize) => {
    const reply = 'Sharding by user id — then\n\n* replicas ×3 👍\n';
    fake.enqueue({ kind: 'reply', text: reply, chunkSize, finishReason: 'length' });
    const { text, chunks } = await collect(
      await client.chat.completions.create({ ...hi, stream: true, stream_options: { include_usage: true } }),
    );
    expect(text).toBe(reply);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('length');
    expectAllSentConform();
  });

  it('a scripted text function, assembled by the client stream helper', async () => {
    fake.enqueue({ kind: 'reply', text: (req) => `You said: ${req.body.messages.at(-1).content}` });
    const stream = client.chat.completions.stream({ ...hi, stream: true });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('You said: Design a chat app.');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expectAllSentConform();
  });

  it('partial streams (drop, hang-mid-stream) still only send conforming chunks', async () => {
    fake.enqueue({ kind: 'drop', afterChunks: 2 }, { kind: 'hang-mid-stream', afterChunks: 3 });
    const dropped = await collect(await client.chat.completions.create({ ...hi, stream: true })).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);

    const controller = new AbortController();
    const stream = await client.chat.completions.create({ ...hi, stream: true }, { signal: controller.signal });
    let text = '';
    const consumed = (async () => {
      for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    })();
    // Wait for the client to have yielded them: abort() discards chunks received but not yet yielded.
    await waitFor(() => text === 'Let us clarify', { what: 'the chunks before the stall' });
    controller.abort();
    await consumed; // aborting ends the iteration quietly
    expect(expectAllSentConform()).toHaveLength(7);
  });
});

describe('non-streamed replies conform to CreateChatCompletionResponse', () => {
  it('plain reply and finishReason length', async () => {
    const reply = await client.chat.completions.create(hi);
    expect(reply.choices[0]!.message).toEqual({ role: 'assistant', content: 'Let us clarify the requirements first.', refusal: null, annotations: [] });
    fake.enqueue({ kind: 'reply', text: 'cut', finishReason: 'length' });
    const cut = await client.chat.completions.create(hi);
    expect(cut.choices[0]!.finish_reason).toBe('length');
    expect(expectAllSentConform()).toEqual(['completion', 'completion']);
  });
});

describe('json_schema echo through the real client helpers', () => {
  const Grade = z.object({
    level: z.enum(['L3', 'L4', 'L5', 'L6', 'L7']),
    scores: z.array(z.object({ criterion: z.string(), score: z.number().int().min(1).max(5) })).min(1),
    summary: z.string(),
    followUp: z.string().nullable(),
  });
  const format = zodResponseFormat(Grade, 'grade');

  it('non-streamed: chat.completions.parse() yields a document the zod schema accepts', async () => {
    const completion = await client.chat.completions.parse({ ...hi, response_format: format });
    const parsed = completion.choices[0]!.message.parsed;
    expect(Grade.parse(parsed)).toEqual({ level: 'L3', scores: [{ criterion: '', score: 1 }], summary: '', followUp: null });
    expect(fake.requests[0]!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'grade', strict: true } });
    expectAllSentConform();
  });

  it('streamed: chat.completions.stream() parses the final message', async () => {
    const stream = client.chat.completions.stream({ ...hi, response_format: format, stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    expect(Grade.parse(completion.choices[0]!.message.parsed).level).toBe('L3');
    expectAllSentConform();
  });
});

describe('models and errors conform', () => {
  it('ListModelsResponse and Model', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'llama3']);
    expect((await client.models.retrieve('llama3')).id).toBe('llama3');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(expectAllSentConform()).toEqual(['models', 'model', 'error']);
  });

  it('429 / 500 / 503 / 400 / 404 (unknown model) / bad JSON bodies are ErrorResponse', async () => {
    fake.enqueue(
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503, message: 'overloaded' },
      { kind: 'status', status: 400 },
    );
    for (const errorClass of [OpenAI.RateLimitError, OpenAI.InternalServerError, OpenAI.InternalServerError, OpenAI.BadRequestError]) {
      await expect(client.chat.completions.create({ ...hi, stream: true })).rejects.toBeInstanceOf(errorClass);
    }
    const unknown = await client.chat.completions.create({ ...hi, model: 'gpt-9' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: '{' });
    await fetch(`${fake.url}/nowhere`);
    expect(expectAllSentConform()).toEqual(['error', 'error', 'error', 'error', 'error', 'error', 'error']);
  });

  it('401 from requireKey is an ErrorResponse with code invalid_api_key', async () => {
    await fake.close();
    fake = await startFakeOpenAI({ requireKey: 'sk-right' });
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: fake.url, maxRetries: 0, logger: silentLogger });
    const error = await wrong.chat.completions.create(hi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    expectAllSentConform();
  });
});

describe('the validator is strict about real errors', () => {
  const goodChunk = {
    id: 'chatcmpl-abc',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    service_tier: 'default',
    system_fingerprint: 'fp_x',
    choices: [{ index: 0, delta: { content: 'hi' }, logprobs: null, finish_reason: null }],
    usage: null,
  };
  const chunk = (patch: (c: any) => void) => {
    const c = structuredClone(goodChunk) as any;
    patch(c);
    return validateAgainst('CreateChatCompletionStreamResponse', c);
  };

  it('accepts a correct chunk, including the nullable enum finish_reason and nullable $ref usage', () => {
    expect(validateAgainst('CreateChatCompletionStreamResponse', goodChunk)).toEqual([]);
    expect(chunk((c) => (c.choices[0].finish_reason = 'stop'))).toEqual([]);
    expect(chunk((c) => (c.usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }))).toEqual([]);
  });

  it('rejects object "chat.completion" on a chunk', () => {
    expect(chunk((c) => (c.object = 'chat.completion'))).toEqual([expect.stringMatching(/^\/object must be equal to one of the allowed values/)]);
  });

  it('rejects a choice without index', () => {
    expect(chunk((c) => delete c.choices[0].index)).toEqual([expect.stringContaining("/choices/0 must have required property 'index'")]);
  });

  it('rejects finish_reason "done"', () => {
    expect(chunk((c) => (c.choices[0].finish_reason = 'done'))).toEqual([
      expect.stringMatching(/^\/choices\/0\/finish_reason must be equal to one of the allowed values/),
    ]);
  });

  it('rejects created as a string', () => {
    expect(chunk((c) => (c.created = '1700000000'))).toEqual([expect.stringMatching(/^\/created must be integer/)]);
  });

  it('rejects other wrong shapes, collecting every error', () => {
    expect(chunk((c) => (c.usage = 'none'))).not.toEqual([]);
    expect(chunk((c) => (c.choices[0].delta.role = 'robot'))).not.toEqual([]);
    expect(chunk((c) => (c.choices[0].logprobs = { content: null }))).not.toEqual([]); // refusal required
    const many = chunk((c) => {
      c.created = 'x';
      c.object = 'chunk';
      delete c.id;
    });
    expect(many.length).toBeGreaterThanOrEqual(3);
    expect(validateAgainst('CreateChatCompletionStreamResponse', {})).toHaveLength(5); // id, choices, created, model, object
    expect(
      validateAgainst('CreateChatCompletionResponse', {
        id: 'x',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'a', refusal: null }, logprobs: null, finish_reason: null }],
      }),
    ).not.toEqual([]); // finish_reason is not nullable on a full completion
    expect(validateAgainst('ErrorResponse', { error: { message: 'm', type: 't', code: null } })).not.toEqual([]); // param required
    expect(validateAgainst('ListModelsResponse', { object: 'lists', data: [] })).not.toEqual([]);
    expect(validateAgainst('Model', { id: 'm', object: 'model', created: -1, owned_by: 'o' })).not.toEqual([]); // unixtime
  });

  it("accepts the spec's own documented chat.completion example", () => {
    const example = JSON.parse(loadOpenApiDocument().components.schemas.CreateChatCompletionResponse['x-oaiMeta'].example);
    expect(validateAgainst('CreateChatCompletionResponse', example)).toEqual([]);
  });
});

describe('normalizeOpenApiSchema', () => {
  it('turns nullable into null unions (enum included) and leaves property names alone', () => {
    expect(normalizeOpenApiSchema({ type: 'string', enum: ['a'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(normalizeOpenApiSchema({ $ref: '#/x', nullable: true, description: 'd' })).toEqual({
      anyOf: [{ $ref: '#/x', description: 'd' }, { type: 'null' }],
    });
    expect(normalizeOpenApiSchema({ allOf: [{ $ref: '#/x' }, { nullable: true }] })).toEqual({
      anyOf: [{ allOf: [{ $ref: '#/x' }] }, { type: 'null' }],
    });
    expect(normalizeOpenApiSchema({ type: 'number', nullable: false })).toEqual({ type: 'number' });
    expect(normalizeOpenApiSchema({ type: 'object', properties: { nullable: { type: 'boolean' }, type: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { nullable: { type: 'boolean' }, type: { type: 'string' } },
    });
    expect(normalizeOpenApiSchema({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({ type: 'number', exclusiveMinimum: 0 });
  });
});
