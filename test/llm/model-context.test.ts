// The model's context length is asked from the server where it says: each server's own answer,
// served over real HTTP the way that server shapes it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { askContextLength, OLLAMA_DEFAULT_CONTEXT } from '../../src/llm/model-context.js';

type Route = (req: IncomingMessage, body: string) => unknown;
const servers: ReturnType<typeof createServer>[] = [];
const seen: string[] = [];

async function serve(routes: Record<string, Route>): Promise<string> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      const route = routes[`${req.method} ${req.url}`];
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route(req, body)));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

afterEach(async () => {
  seen.length = 0;
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('askContextLength', () => {
  it('reads vLLM max_model_len from /v1/models', async () => {
    const baseURL = await serve({ 'GET /v1/models': () => ({ object: 'list', data: [{ id: 'qwen', object: 'model', max_model_len: 32768 }] }) });
    expect(await askContextLength({ baseURL, model: 'qwen' })).toEqual({ tokens: 32768, source: 'vLLM max_model_len' });
  });

  it('reads OpenRouter-style context_length, and only for the model asked', async () => {
    const baseURL = await serve({
      'GET /v1/models': () => ({ data: [{ id: 'other', context_length: 999 }, { id: 'm', context_length: 128000 }] }),
    });
    expect(await askContextLength({ baseURL, model: 'm' })).toEqual({ tokens: 128000, source: 'the server context_length' });
  });

  it("reads LM Studio's loaded window before the model's maximum", async () => {
    const baseURL = await serve({
      'GET /v1/models': () => ({ data: [{ id: 'llama-3.2-3b', object: 'model' }] }),
      'GET /api/v0/models': () => ({ data: [{ id: 'llama-3.2-3b', max_context_length: 131072, loaded_context_length: 4096 }] }),
    });
    expect(await askContextLength({ baseURL, model: 'llama-3.2-3b' })).toEqual({ tokens: 4096, source: 'LM Studio loaded_context_length' });
  });

  it("reads Ollama's num_ctx, else names Ollama's default window", async () => {
    const withCtx = await serve({
      'GET /v1/models': () => ({ data: [{ id: 'llama3.2:latest', object: 'model' }] }),
      'POST /api/show': (_req, body) => {
        expect(JSON.parse(body)).toEqual({ model: 'llama3.2' });
        return { parameters: 'stop "<|eot_id|>"\nnum_ctx 8192', model_info: { 'llama.context_length': 131072 } };
      },
    });
    expect(await askContextLength({ baseURL: withCtx, model: 'llama3.2' })).toEqual({ tokens: 8192, source: 'Ollama num_ctx' });
    const plain = await serve({ 'POST /api/show': () => ({ modelfile: 'FROM x', model_info: { 'llama.context_length': 131072 } }) });
    expect(await askContextLength({ baseURL: plain, model: 'llama3.2' })).toEqual({ tokens: OLLAMA_DEFAULT_CONTEXT, source: 'Ollama default num_ctx' });
  });

  it('reads llama.cpp server n_ctx from /props', async () => {
    const baseURL = await serve({ 'GET /props': () => ({ default_generation_settings: { n_ctx: 2048 } }) });
    expect(await askContextLength({ baseURL, model: 'any' })).toEqual({ tokens: 2048, source: 'llama.cpp n_ctx' });
  });

  it('answers null when the server says nothing, and sends a key only when given one', async () => {
    const baseURL = await serve({ 'GET /v1/models': () => ({ data: [{ id: 'gpt-4o-mini', object: 'model' }] }) });
    expect(await askContextLength({ baseURL, model: 'gpt-4o-mini' })).toBeNull();
    expect(seen.every((line) => line.endsWith(' -'))).toBe(true);
    seen.length = 0;
    await askContextLength({ baseURL, model: 'gpt-4o-mini', apiKey: 'sk-local' });
    expect(seen.every((line) => line.endsWith('Bearer sk-local'))).toBe(true);
  });

  it('answers null when nothing listens', async () => {
    const baseURL = await serve({});
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    expect(await askContextLength({ baseURL, model: 'm', timeoutMs: 500 })).toBeNull();
  });
});
