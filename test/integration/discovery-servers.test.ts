// Discovery against local servers speaking the real protocols on random ports: Ollama's
// GET /api/tags, and the OpenAI-compatible GET /v1/models (LM Studio, llama.cpp, vLLM). Then
// `doctor` listing them, and `--provider ollama` talking to a fake Ollama that records every
// request's headers: no key reaches it, even with OPENAI_API_KEY and SDCOACH_API_KEY set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discoverLocalServers, discoveryTargets, LOCAL_SERVER_SPECS, modelIds } from '../../src/llm/discovery.js';
import { resolveProviderConfig } from '../../src/config/resolve.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

interface FakeServer {
  origin: string;
  headers: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

/** A fake model server: Ollama's /api/tags or OpenAI's /v1/models, and a streaming chat endpoint. */
async function startServer(kind: 'ollama' | 'openai', models: string[], reply = 'ready'): Promise<FakeServer> {
  const headers: FakeServer['headers'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    headers.push(req.headers);
    if (kind === 'ollama' && req.url === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: models.map((name) => ({ name, model: name, size: 2_000_000_000, details: { parameter_size: '3B', quantization_level: 'Q4_K_M' } })) }));
      return;
    }
    if (req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'local' })) }));
      return;
    }
    if (req.url === '/v1/chat/completions' && req.method === 'POST') {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: models[0], choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.end(chunk({ role: 'assistant', content: reply }, null) + chunk({}, 'stop') + 'data: [DONE]\n\n');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let ollama: FakeServer;
let lmstudio: FakeServer;
let notAModelServer: FakeServer;
let deadPort: number;
let home: Awaited<ReturnType<typeof tempHome>>;

beforeAll(async () => {
  [ollama, lmstudio, deadPort] = await Promise.all([startServer('ollama', ['llama3.2:3b', 'qwen2.5:1.5b']), startServer('openai', ['qwen2.5-7b-instruct']), closedPort()]);
  // Something on the llama.cpp port that is not a model server: a web app answering 404 to everything.
  const web = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  notAModelServer = {
    origin: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
    headers: [],
    close: () => new Promise<void>((resolve) => web.close(() => resolve())),
  };
});
afterAll(async () => {
  await Promise.all([ollama.close(), lmstudio.close(), notAModelServer.close()]);
});
beforeEach(async () => {
  home = await tempHome('sdcoach-discovery-');
});
afterEach(() => home.cleanup());

const serversEnv = () => `ollama=${ollama.origin},lmstudio=${lmstudio.origin},llamacpp=${notAModelServer.origin},vllm=http://127.0.0.1:${deadPort}`;

describe('discoverLocalServers', () => {
  it('finds Ollama by /api/tags and LM Studio by /v1/models; a 404 and a closed port are not servers', async () => {
    const found = await discoverLocalServers({ env: { SDCOACH_LOCAL_SERVERS: serversEnv() } });
    expect(found).toEqual([
      { kind: 'ollama', name: 'Ollama', baseURL: `${ollama.origin}/v1`, models: ['llama3.2:3b', 'qwen2.5:1.5b'] },
      { kind: 'lmstudio', name: 'LM Studio', baseURL: `${lmstudio.origin}/v1`, models: ['qwen2.5-7b-instruct'] },
    ]);
    expect(ollama.headers.at(-1)!.authorization).toBeUndefined();
  });

  it('probes the usual ports by default, and nothing when turned off', () => {
    expect(discoveryTargets({}).map((t) => t.origin)).toEqual([
      'http://127.0.0.1:11434',
      'http://127.0.0.1:1234',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:8000',
    ]);
    expect(discoveryTargets({ SDCOACH_LOCAL_SERVERS: 'off' })).toEqual([]);
    expect(LOCAL_SERVER_SPECS.map((s) => s.kind)).toEqual(['ollama', 'lmstudio', 'llamacpp', 'vllm']);
  });

  it('a server that never answers is given up on after the timeout, without failing the others', async () => {
    const hung = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
      const found = await discoverLocalServers({ env: { SDCOACH_LOCAL_SERVERS: `vllm=${origin},lmstudio=${lmstudio.origin}` }, timeoutMs: 100 });
      expect(found.map((s) => s.kind)).toEqual(['lmstudio']);
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });

  it('reads model ids from both list formats', () => {
    expect(modelIds({ data: [{ id: 'a' }, { id: 'b' }] })).toEqual(['a', 'b']);
    expect(modelIds({ models: [{ name: 'llama3.2:latest' }] })).toEqual(['llama3.2:latest']);
    expect(modelIds({ nothing: true })).toEqual([]);
  });
});

describe('--provider ollama|lmstudio', () => {
  it('are the openai provider at the usual local address, with no key even when keys are set', () => {
    const env = { OPENAI_API_KEY: 'sk-openai', SDCOACH_API_KEY: 'sk-endpoint' };
    const o = resolveProviderConfig({ provider: 'ollama', model: 'llama3.2' }, env, {});
    expect(o).toMatchObject({ provider: 'openai', server: 'ollama', baseURL: 'http://127.0.0.1:11434/v1', apiKey: null, keySource: null, model: 'llama3.2' });
    const l = resolveProviderConfig({ provider: 'lmstudio' }, env, {});
    expect(l).toMatchObject({ provider: 'openai', server: 'lmstudio', baseURL: 'http://127.0.0.1:1234/v1', apiKey: null, model: '' });
    expect(resolveProviderConfig({ provider: 'ollama', baseUrl: 'http://gpu-box:11434/v1' }, env, {}).baseURL).toBe('http://gpu-box:11434/v1');
  });
});

describe('doctor with local servers (built CLI)', () => {
  it('lists the servers it found and suggests one when the provider is builtin', async () => {
    const result = await runCli(['doctor'], { SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: serversEnv() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Model servers on this machine:');
    expect(result.stdout).toContain(`✓ Ollama at ${new URL(ollama.origin).host} (llama3.2:3b, qwen2.5:1.5b)`);
    expect(result.stdout).toContain(`✓ LM Studio at ${new URL(lmstudio.origin).host} (qwen2.5-7b-instruct)`);
    expect(result.stdout).toContain(`practise with it: sdcoach practice --provider ollama --base-url ${ollama.origin}/v1 --model llama3.2:3b`);
    const json = JSON.parse((await runCli(['doctor', '--json'], { SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: serversEnv() })).stdout);
    expect(json.localServers.map((s: { kind: string }) => s.kind)).toEqual(['ollama', 'lmstudio']);
  });

  it('says when none are running', async () => {
    const result = await runCli(['doctor'], { SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: `ollama=http://127.0.0.1:${deadPort}` });
    expect(result.stdout).toMatch(/- none found \(looked for Ollama :11434/);
  });

  it('--provider ollama checks the server, picks its first model, streams, and never sends a key', async () => {
    ollama.headers.length = 0;
    const result = await runCli(['doctor', '--provider', 'ollama', '--base-url', `${ollama.origin}/v1`], {
      SDCOACH_HOME: home.dir,
      SDCOACH_LOCAL_SERVERS: 'off',
      OPENAI_API_KEY: 'sk-must-not-leak',
      SDCOACH_API_KEY: 'sk-must-not-leak-either',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('sdcoach doctor — provider openai, model llama3.2:3b');
    expect(result.stdout).toMatch(/✓ provider\s+ollama \(http:\/\/127\.0\.0\.1:\d+\/v1, no key sent\)/);
    expect(result.stdout).toMatch(/✓ key\s+no API key \(a local server never gets one\)/);
    expect(result.stdout).toMatch(/✓ streaming\s+streaming works/);
    expect(ollama.headers.length).toBeGreaterThanOrEqual(3); // models (choice), models (check), chat
    for (const headers of ollama.headers) expect(headers.authorization).toBeUndefined();
  });
});
