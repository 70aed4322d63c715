// practice with the local provider through the built CLI: with no flags and a model in the
// models folder, the pulled model is chosen and the run says so; the interviewer's replies come
// from node-llama-cpp running the tiny generated model; a model that fails to load leaves the
// builtin interviewer running the session (saved, exit 1 because it was asked for); a found
// server is never used or asked about in a script run; `doctor --provider local` loads and streams.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTranscript } from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';
import { tinyLlamaGguf } from '../support/gguf-writer.js';

const SCRIPT = `Requirements first: shorten a long URL, redirect quickly, count clicks.

/end
`;

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome('sdcoach-local-e2e-');
  await mkdir(path.join(home.dir, 'models'), { recursive: true });
});
afterEach(() => home.cleanup());

const model = () => tinyLlamaGguf({ seed: 11, contextLength: 16384 });
// One thread: llama.cpp's spin-waiting threads crawl on a machine busy with other tests.
const env = (extra: Record<string, string> = {}) => ({ SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: 'off', SDCOACH_LOCAL_THREADS: '1', ...extra });

async function onlySession() {
  const files = (await readdir(path.join(home.dir, 'sessions'))).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return readTranscript(path.join(home.dir, 'sessions', files[0]!));
}

describe('practice --script with local models', () => {
  it('no flags: uses the pulled model, says so, records it, and keeps to its context', async () => {
    // The tiny model's vocabulary is bytes: the interviewer's persona prompt (~18k characters) is
    // ~18k tokens, more than the 8,192-token context the local provider opens by default. The
    // prompt is refused before it is sent (not cut), and the builtin interviewer takes over.
    // (Streaming from the model itself is tested in test/llm/local-provider.test.ts.)
    await writeFile(path.join(home.dir, 'models', 'tiny-interviewer.gguf'), model());
    const result = await runCli(['practice', 'url-shortener', '--script', '-', '--judge-provider', 'builtin'], env(), { input: SCRIPT, killAfterMs: 60_000 });
    expect(result.stderr).toContain('sdcoach practice: Interviewer: the local model tiny-interviewer (the newest you pulled');
    expect(result.stderr).toContain('sdcoach practice: Judge: the offline evidence grader grades the session at the end (interviewer: local tiny-interviewer (on this machine))');
    expect(result.stderr).toMatch(/Not sent: the prompt is ~[\d,]+ tokens, more than the model's 8,192-token context/);
    expect(result.code).toBe(1);
    const transcript = await onlySession();
    expect(transcript.meta).toMatchObject({ provider: 'local', model: 'tiny-interviewer' });
  });

  it('a model that fails to load: one line, the builtin interviewer runs the session, exit 1', async () => {
    const whole = model();
    const cut = path.join(home.dir, 'cut.gguf');
    await writeFile(cut, whole.subarray(0, whole.length >> 1));
    const result = await runCli(['practice', 'url-shortener', '--script', '-', '--provider', 'local', '--model', cut, '--seed', '3'], env(), { input: SCRIPT });
    expect(result.stderr).toMatch(/^sdcoach practice: cut\.gguf failed to load: [^\n]*; the builtin interviewer runs the session\.$/m);
    expect(result.code).toBe(1);
    expect((await onlySession()).meta).toMatchObject({ provider: 'builtin' });
  });

  it('--provider local with nothing pulled is a usage error that names the way out', async () => {
    const result = await runCli(['practice', 'url-shortener', '--script', '-', '--provider', 'local'], env(), { input: SCRIPT });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('sdcoach practice: no local model pulled: sdcoach models pull OWNER/REPO/FILE.gguf (see `sdcoach models --help`)');
  });

  it('a server found in a script run is not used and nobody is asked: builtin, said on stderr', async () => {
    const ollama: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ models: [{ name: 'llama3.2:3b' }] }));
    });
    await new Promise<void>((resolve) => ollama.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(ollama.address() as AddressInfo).port}`;
      const result = await runCli(['practice', 'url-shortener', '--script', '-', '--seed', '3'], env({ SDCOACH_LOCAL_SERVERS: `ollama=${origin}` }), { input: SCRIPT });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`sdcoach practice: found Ollama at ${new URL(origin).host} (llama3.2:3b); the builtin interviewer runs this session (use it with --provider ollama --model llama3.2:3b)`);
      expect((await onlySession()).meta).toMatchObject({ provider: 'builtin' });
    } finally {
      await new Promise<void>((resolve) => ollama.close(() => resolve()));
    }
  });
});

describe('doctor --provider local', () => {
  it('loads the model and streams from it', async () => {
    await writeFile(path.join(home.dir, 'models', 'tiny-doctor.gguf'), tinyLlamaGguf({ seed: 5, contextLength: 1024 }));
    const result = await runCli(['doctor', '--provider', 'local'], env());
    expect(result.stdout).toContain('sdcoach doctor — provider local, model tiny-doctor');
    expect(result.stdout).toMatch(/✓ model\s+loaded in \d+ ms, context 1,024 tokens/);
    expect(result.stdout).toMatch(/✓ streaming\s+streaming works: first token after \d+ ms/);
    expect(result.code, result.stdout).toBe(0);
  });
});
