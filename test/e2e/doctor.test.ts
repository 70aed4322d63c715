// `sdcoach doctor` as a user runs it: the built CLI in a child process, over real HTTP.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

let server: FakeOpenAI;
let home: Awaited<ReturnType<typeof tempHome>>;

beforeAll(async () => {
  server = await startFakeOpenAI({ models: ['llama3.1', 'qwen2.5'], defaultReply: 'ready' });
  home = await tempHome();
});
afterAll(async () => {
  await server.close();
  await home.cleanup();
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('sdcoach doctor', () => {
  it('reports the builtin provider when nothing is configured, and works offline', async () => {
    const result = await runCli(['doctor'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/provider builtin/);
    expect(result.stdout).toMatch(/works offline/);
    expect(result.stdout).toMatch(/✓ streaming/);
  });

  it('reports reachable, the model, streaming and a first-token time against a local server', async () => {
    const result = await runCli(['doctor', '--model', 'llama3.1'], { SDCOACH_HOME: home.dir, OPENAI_BASE_URL: server.url });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✓ endpoint\s+reachable, answered in \d+ ms \(2 models\)/);
    expect(result.stdout).toMatch(/✓ model\s+model "llama3.1" is available/);
    expect(result.stdout).toMatch(/✓ streaming\s+streaming works: first token after \d+ ms/);
    expect(result.stdout).toMatch(/All checks passed/);
  });

  it('gives the same facts as JSON', async () => {
    const result = await runCli(['doctor', '--json', '--model', 'qwen2.5', '--base-url', server.url], {
      SDCOACH_HOME: home.dir,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ provider: 'openai', model: 'qwen2.5', baseURL: server.url, ok: true });
    expect(report.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(report.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      'provider:ok',
      'key:ok',
      'endpoint:ok',
      'model:ok',
      'streaming:ok',
    ]);
  });

  it('says clearly when nothing listens on the port, and exits non-zero', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const result = await runCli(['doctor', '--model', 'llama3.1'], { SDCOACH_HOME: home.dir, OPENAI_BASE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ endpoint\s+unreachable: Connection failed \(ECONNREFUSED\)/);
    expect(result.stdout).toMatch(/Is the server running\?/);
    expect(result.stdout).toMatch(/Some checks failed/);
  });

  it('names the available models when the model does not exist', async () => {
    const result = await runCli(['doctor', '--model', 'gpt-5'], { SDCOACH_HOME: home.dir, OPENAI_BASE_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ model\s+model "gpt-5" not found/);
    expect(result.stdout).toMatch(/Available: llama3\.1, qwen2\.5/);
  });

  it('accepts a model Ollama lists with its :latest tag', async () => {
    const ollama = await startFakeOpenAI({ models: ['llama3.1:latest', 'qwen2.5:7b'], defaultReply: 'ready' });
    try {
      const result = await runCli(['doctor', '--model', 'llama3.1'], { SDCOACH_HOME: home.dir, OPENAI_BASE_URL: ollama.url });
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(/✓ model\s+model "llama3.1" is available/);
    } finally {
      await ollama.close();
    }
  });

  it('rejects a non-numeric --timeout as a usage error', async () => {
    const result = await runCli(['doctor', '--timeout', 'abc'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/positive number of milliseconds/);
  });

  it('gives endpoint advice when streaming fails on a wrong base URL', async () => {
    // The base URL without /v1: GET /models answers 404 (a warning), then streaming 404s too.
    const result = await runCli(['doctor', '--model', 'llama3.1'], {
      SDCOACH_HOME: home.dir,
      OPENAI_BASE_URL: server.url.replace(/\/v1$/, ''),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/base URL usually ends in \/v1/);
    expect(result.stdout).not.toMatch(/Run again/);
  });

  it('asks for a key when OpenAI itself is selected without one', async () => {
    const result = await runCli(['doctor', '--provider', 'openai'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ key\s+no API key/);
    expect(result.stdout).toMatch(/export OPENAI_API_KEY/);
  });

  it('never sends OPENAI_API_KEY from the environment to a custom base URL unless asked', async () => {
    const secret = 'sk-secret-openai-key-123456';
    server.requests.length = 0;
    const withheld = await runCli(['doctor', '--model', 'llama3.1'], {
      SDCOACH_HOME: home.dir,
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: secret,
    });
    expect(withheld.code).toBe(0);
    expect(withheld.stdout).toMatch(/! key\s+OPENAI_API_KEY is set but not sent/);
    expect(server.requests.length).toBeGreaterThan(1);
    expect(JSON.stringify(server.requests.map((r) => r.headers))).not.toContain(secret);
    expect(withheld.stdout + withheld.stderr).not.toContain(secret);

    server.requests.length = 0;
    const shared = await runCli(['doctor', '--model', 'llama3.1'], {
      SDCOACH_HOME: home.dir,
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: secret,
      SDCOACH_SHARE_OPENAI_KEY: '1',
    });
    expect(shared.code).toBe(0);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${secret}`)).toBe(true);
    expect(shared.stdout).not.toContain(secret);
  });

  it('explains a rejected key', async () => {
    const guarded = await startFakeOpenAI({ models: ['m'], requireKey: 'right-key' });
    try {
      const result = await runCli(['doctor', '--model', 'm'], {
        SDCOACH_HOME: home.dir,
        OPENAI_BASE_URL: guarded.url,
        SDCOACH_API_KEY: 'wrong-key',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✗ endpoint\s+answered 401/);
      expect(result.stdout).toMatch(/key was rejected/);
      expect(result.stdout).not.toContain('wrong-key');
    } finally {
      await guarded.close();
    }
  });

  it('rejects a malformed base URL as a usage error', async () => {
    const result = await runCli(['doctor', '--base-url', 'localhost:11434'], { SDCOACH_HOME: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must start with http:\/\/ or https:\/\//);
  });
});

describe('sdcoach --help and --version', () => {
  it('prints usage with examples and exits 0', async () => {
    const result = await runCli(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: sdcoach/);
    expect(result.stdout).toMatch(/Examples:/);
    expect(result.stdout).toMatch(/doctor/);
  });

  it('prints the package version', async () => {
    const result = await runCli(['--version'], {});
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on an unknown command', async () => {
    const result = await runCli(['frobnicate'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command/);
  });
});
