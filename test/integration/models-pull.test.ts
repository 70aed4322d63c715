// `sdcoach models pull` against a local HTTP server that plays the hub: OWNER/REPO/FILE names
// resolved against --base-url, a redirect carrying the sha256 as x-linked-etag (as Hugging Face
// does), progress lines on stderr, a connection cut mid-file resumed with a Range request, a bad
// checksum rejected (nothing placed), and a full disk reported with the partial file kept.
// Then `models list` (header facts), `path` and `rm` through the built CLI.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PullError, pullModel, pullSource, sha256FromEtag, type OpenPart } from '../../src/llm/model-download.js';
import { readGgufHeader, summariseGguf } from '../../src/llm/gguf-header.js';
import { tempHome, waitFor } from '../support/env.js';
import { runCli } from '../support/run-cli.js';
import { tinyLlamaGguf } from '../support/gguf-writer.js';

const MODEL = tinyLlamaGguf({ seed: 3, contextLength: 1024, name: 'tiny hub model' });
const SHA = createHash('sha256').update(MODEL).digest('hex');
const FILE = 'tiny-chat-F32.gguf';

interface Hub {
  url: string;
  requests: { path: string; range: string | undefined; auth: string | undefined }[];
  /**
   * Cut the next N responses after this many body bytes, once the client has written them to
   * `part` (a socket destroyed at once would drop bytes still queued in the client's stream).
   */
  cut: { after: number; times: number; part: string } | null;
  /** The sha256 the redirect advertises. */
  etag: string;
  close(): Promise<void>;
}

async function startHub(): Promise<Hub> {
  const hub: Partial<Hub> = { requests: [], cut: null, etag: SHA };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hub.requests!.push({ path: req.url ?? '', range: req.headers.range, auth: req.headers.authorization });
    if (req.url === `/acme/tiny-GGUF/resolve/main/${FILE}`) {
      // The hub answers with a redirect to its CDN and the file's sha256 as x-linked-etag.
      res.writeHead(302, { location: `/cdn/${FILE}`, 'x-linked-etag': `"${hub.etag}"` });
      res.end();
      return;
    }
    if (req.url === `/cdn/${FILE}` || req.url === '/plain/tiny.gguf') {
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const from = range ? Number(range[1]) : 0;
      const body = MODEL.subarray(from);
      res.writeHead(range ? 206 : 200, {
        'content-length': body.length,
        'content-type': 'application/octet-stream',
        ...(range ? { 'content-range': `bytes ${from}-${MODEL.length - 1}/${MODEL.length}` } : {}),
      });
      if (hub.cut && hub.cut.times > 0) {
        hub.cut.times--;
        // Some bytes, then the socket closes: the client sees a body that ends early.
        const part = hub.cut.part;
        const until = from + Math.min(hub.cut.after, body.length - 1);
        res.write(body.subarray(0, until - from));
        void waitFor(() => stat(part).then((s) => s.size >= until, () => false), { what: 'the client to write the bytes sent' }).then(() => res.socket?.destroy());
        return;
      }
      res.end(body);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return hub as Hub;
}

let hub: Hub;
let home: Awaited<ReturnType<typeof tempHome>>;
let modelsDir: string;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.close());
beforeEach(async () => {
  home = await tempHome('sdcoach-models-');
  modelsDir = path.join(home.dir, 'models');
  hub.requests.length = 0;
  hub.cut = null;
  hub.etag = SHA;
});
afterEach(() => home.cleanup());

const env = () => ({ SDCOACH_HOME: home.dir, HF_ENDPOINT: hub.url });

describe('pullSource', () => {
  it('maps OWNER/REPO/FILE.gguf to the hub’s resolve URL and keeps URLs as they are', () => {
    expect(pullSource('Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf')).toEqual({
      url: 'https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf',
      fileName: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    });
    expect(pullSource('a/b/c.gguf', 'http://127.0.0.1:9/').url).toBe('http://127.0.0.1:9/a/b/resolve/main/c.gguf');
    expect(pullSource('https://example.com/x/model.gguf?download=1').fileName).toBe('model.gguf');
    expect(() => pullSource('just-a-name')).toThrow(PullError);
    expect(() => pullSource('https://example.com/readme.md')).toThrow(/does not name a \.gguf file/);
  });

  it('takes a sha256 from an ETag only when it is one', () => {
    expect(sha256FromEtag(`"${SHA}"`)).toBe(SHA);
    expect(sha256FromEtag('W/"abc123"')).toBeNull();
    expect(sha256FromEtag(null)).toBeNull();
  });
});

describe('sdcoach models pull (built CLI, local hub)', () => {
  it('downloads OWNER/REPO/FILE.gguf, checks the hub’s sha256, prints plain progress lines, then list/path/rm', async () => {
    const pulled = await runCli(['models', 'pull', `acme/tiny-GGUF/${FILE}`], env());
    expect(pulled.stderr).toContain(`pull tiny-chat-F32: 100% ${(MODEL.length / 1000).toFixed(0)} kB of`);
    expect(pulled.stderr).toMatch(/pull tiny-chat-F32: 0% 0 B of \d+ kB/);
    expect(pulled.stderr).toContain('sha256 matches the server’s');
    expect(pulled.code).toBe(0);
    const file = path.join(modelsDir, FILE);
    expect(pulled.stdout.trim()).toBe(file);
    expect(createHash('sha256').update(await readFile(file)).digest('hex')).toBe(SHA);
    expect(await readdir(modelsDir)).toEqual([FILE]); // no .part left behind
    // The hub's redirect was followed by hand: the resolve URL first, then the CDN.
    expect(hub.requests.map((r) => r.path)).toEqual([`/acme/tiny-GGUF/resolve/main/${FILE}`, `/cdn/${FILE}`]);

    const listed = await runCli(['models', 'list', '--json'], env());
    const { models } = JSON.parse(listed.stdout) as { models: Record<string, unknown>[] };
    expect(models).toEqual([
      expect.objectContaining({ name: 'tiny-chat-F32', title: 'tiny hub model', bytes: MODEL.length, fileType: 'F32', contextLength: 1024, architecture: 'llama', error: null }),
    ]);
    const table = await runCli(['models', 'list'], env());
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+SIZE\s+QUANT\s+CONTEXT\s+ARCH$/);
    expect(table.stdout).toMatch(/tiny-chat-F32\s+\d+ kB\s+F32\s+1,024\s+llama/);

    expect((await runCli(['models', 'path'], env())).stdout.trim()).toBe(modelsDir);
    expect((await runCli(['models', 'path', 'tiny-chat'], env())).stdout.trim()).toBe(file);
    const again = await runCli(['models', 'pull', `acme/tiny-GGUF/${FILE}`], env());
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already here');
    const removed = await runCli(['models', 'rm', 'tiny-chat-F32'], env());
    expect(removed.code).toBe(0);
    expect(existsSync(file)).toBe(false);
    const missing = await runCli(['models', 'rm', 'tiny-chat-F32'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no model "tiny-chat-F32"');
  });

  it('resumes after a cut connection with a Range request, within the run', async () => {
    hub.cut = { after: Math.floor(MODEL.length / 2), times: 1, part: path.join(modelsDir, 'tiny.gguf.part') };
    const pulled = await runCli(['models', 'pull', `${hub.url}/plain/tiny.gguf`, '--sha256', SHA], env());
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).toMatch(/connection dropped at .*; resuming/);
    expect(pulled.stderr).toContain('sha256 matches --sha256');
    const ranges = hub.requests.map((r) => r.range);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(ranges[1]!)![0])).toBeGreaterThan(0);
    expect(createHash('sha256').update(await readFile(path.join(modelsDir, 'tiny.gguf'))).digest('hex')).toBe(SHA);
  });

  it('keeps the .part when the connection keeps dropping, and the next run resumes it', async () => {
    hub.cut = { after: 40_000, times: 10, part: path.join(modelsDir, 'tiny.gguf.part') };
    const first = await runCli(['models', 'pull', `${hub.url}/plain/tiny.gguf`], env());
    expect(hub.requests.map((r) => r.range)).toEqual([undefined, 'bytes=40000-', 'bytes=80000-', 'bytes=120000-']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/the connection dropped at .*: run the same command again to resume/);
    const partSize = (await stat(path.join(modelsDir, 'tiny.gguf.part'))).size;
    expect(partSize).toBeGreaterThan(0);
    hub.cut = null;
    hub.requests.length = 0;
    const second = await runCli(['models', 'pull', `${hub.url}/plain/tiny.gguf`, '--sha256', SHA], env());
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`resuming at`);
    expect(hub.requests[0]!.range).toBe(`bytes=${partSize}-`);
    expect(await readdir(modelsDir)).toEqual(['tiny.gguf']);
  });

  it('rejects a bad checksum: nothing is placed and the partial file is deleted', async () => {
    hub.etag = 'f'.repeat(64);
    const pulled = await runCli(['models', 'pull', `acme/tiny-GGUF/${FILE}`], env());
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toContain(`sdcoach models pull: checksum mismatch: expected sha256 ${'f'.repeat(64)}, got ${SHA}; the download was deleted`);
    expect(await readdir(modelsDir)).toEqual([]);
  });

  it('a 404 and a source that is not a model are one-line errors', async () => {
    const notFound = await runCli(['models', 'pull', 'acme/nothing/x.gguf'], env());
    expect(notFound.code).toBe(1);
    expect(notFound.stderr.trim()).toBe(`sdcoach models pull: not found (404): ${hub.url}/acme/nothing/resolve/main/x.gguf`);
    const usage = await runCli(['models', 'pull', 'not-a-model'], env());
    expect(usage.code).toBe(2);
  });
});

describe('pullModel: a full disk', () => {
  it('says the disk is full, keeps what was written and resumes from it once there is room', async () => {
    await mkdir(modelsDir, { recursive: true });
    const dest = path.join(modelsDir, 'tiny.gguf');
    // A disk with room for 50 kB: the write that crosses it fails like a full disk does.
    let room = 50_000;
    const smallDisk: OpenPart = async (file, append) => {
      const chunks: Buffer[] = append ? [await readFile(file)] : [];
      return {
        write: async (chunk) => {
          // What fits is written, then the disk is full (a real short write does the same).
          const fits = Math.min(room, chunk.length);
          chunks.push(Buffer.from(chunk.subarray(0, fits)));
          room -= fits;
          if (fits < chunk.length) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        close: () => writeFile(file, Buffer.concat(chunks)),
      };
    };
    const error = await pullModel({ url: `${hub.url}/plain/tiny.gguf`, dest, openPart: smallDisk }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullError);
    expect((error as Error).message).toMatch(/^the disk is full \(.* still to come\): free some space in .*models and run the same command again to resume \(.* kept in tiny\.gguf\.part\)$/);
    const kept = (await stat(`${dest}.part`)).size;
    expect(kept).toBe(50_000);

    room = Infinity;
    const result = await pullModel({ url: `${hub.url}/plain/tiny.gguf`, dest, sha256: SHA, openPart: smallDisk });
    expect(result.verified).toBe('flag');
    expect(hub.requests.at(-1)!.range).toBe(`bytes=${kept}-`);
    expect(summariseGguf(await readGgufHeader(dest)).contextLength).toBe(1024);
  });
});
