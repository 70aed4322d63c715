// `sdcoach models pull`: downloads a GGUF file into the models folder. Bytes go to
// <file>.part (kept when the connection drops or the disk fills, and resumed with an HTTP Range
// request); the whole file's sha256 is checked (--sha256, or the hub's ETag when it is one)
// before it is renamed into place, so a model file in the folder is always complete.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes, PART_SUFFIX } from './model-store.js';
import { SdcoachError } from '../errors.js';

export const HUGGING_FACE_URL = 'https://huggingface.co';

export class PullError extends SdcoachError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'PullError';
  }
}

/** Where `owner/repo/file.gguf` or a URL points, and the file name it is stored under. */
export function pullSource(source: string, hubURL: string = HUGGING_FACE_URL): { url: string; fileName: string } {
  let url: URL;
  if (/^https?:\/\//i.test(source)) {
    url = new URL(source);
  } else {
    const parts = source.split('/').filter(Boolean);
    if (parts.length < 3) throw new PullError(`"${source}" is neither a URL nor OWNER/REPO/FILE.gguf (a Hugging Face file)`);
    const [owner, repo, ...file] = parts;
    url = new URL(`${hubURL.replace(/\/+$/, '')}/${owner}/${repo}/resolve/main/${file.map(encodeURIComponent).join('/')}`);
  }
  const fileName = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  if (!/\.gguf$/i.test(fileName) || fileName.includes('\\') || fileName.startsWith('.')) {
    throw new PullError(`"${source}" does not name a .gguf file`);
  }
  return { url: url.toString(), fileName };
}

/** The sha256 an ETag carries, when it is one (Hugging Face's x-linked-etag for LFS files is). */
export function sha256FromEtag(etag: string | null): string | null {
  const value = etag?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return value && /^[0-9a-f]{64}$/.test(value) ? value : null;
}

/** Where downloaded bytes go; tests pass one that fails with ENOSPC. */
export interface PartWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
export type OpenPart = (file: string, append: boolean) => Promise<PartWriter>;

const openPartFile: OpenPart = async (file, append) => {
  const handle = await open(file, append ? 'a' : 'w', 0o600);
  return {
    write: async (chunk) => {
      let offset = 0;
      while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
    },
    close: () => handle.close(),
  };
};

export interface PullProgress {
  received: number;
  /** null: the server did not say how big the file is. */
  total: number | null;
  /** Bytes that were already in the .part file when this attempt started. */
  resumedFrom: number;
}

export interface PullOptions {
  url: string;
  /** Final file; the download goes to `${dest}.part` until it is complete and checked. */
  dest: string;
  sha256?: string | null;
  /** Sent only to this host (the hub's): a Hugging Face token for gated models. */
  token?: { value: string; host: string } | null;
  onProgress?: (progress: PullProgress) => void;
  /** Said once per event worth a line: "resuming at 12 MB", "connection dropped, retrying". */
  onNotice?: (message: string) => void;
  /** Automatic resumes after a dropped connection within one run (each a Range request). */
  retries?: number;
  fetch?: typeof fetch;
  openPart?: OpenPart;
  signal?: AbortSignal;
}

export interface PullResult {
  file: string;
  bytes: number;
  sha256: string;
  /** Where the checksum came from: the --sha256 flag, the server's ETag, or nothing (not checked). */
  verified: 'flag' | 'etag' | null;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Sizes in messages, as `models list` prints them. */
function mb(bytes: number): string {
  return formatBytes(bytes);
}

/** GET with redirects followed by hand, so an ETag on the hub's redirect (the file's sha256) is not lost. */
async function request(options: PullOptions, from: number): Promise<{ response: Response; etag: string | null }> {
  const doFetch = options.fetch ?? fetch;
  let url = options.url;
  let etag: string | null = null;
  for (let hop = 0; hop < 6; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'sdcoach' };
    if (from > 0) headers.range = `bytes=${from}-`;
    if (options.token && new URL(url).host === options.token.host) headers.authorization = `Bearer ${options.token.value}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers, redirect: 'manual', signal: options.signal });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new PullError(`cannot reach ${new URL(url).host}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    etag ??= response.headers.get('x-linked-etag');
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).toString();
      await response.body?.cancel();
      continue;
    }
    etag ??= response.headers.get('etag');
    return { response, etag };
  }
  throw new PullError('too many redirects');
}

/** Total size from Content-Range (`bytes 100-199/200`) or Content-Length. */
function totalSize(response: Response, from: number): number | null {
  const range = response.headers.get('content-range');
  const whole = range ? /\/(\d+)\s*$/.exec(range)?.[1] : undefined;
  if (whole) return Number(whole);
  const length = response.headers.get('content-length');
  return length ? Number(length) + (response.status === 206 ? from : 0) : null;
}

export async function pullModel(options: PullOptions): Promise<PullResult> {
  const part = options.dest + PART_SUFFIX;
  await mkdir(path.dirname(options.dest), { recursive: true, mode: 0o700 });
  const openPart = options.openPart ?? openPartFile;
  const wanted = options.sha256?.toLowerCase() ?? null;
  if (wanted && !/^[0-9a-f]{64}$/.test(wanted)) throw new PullError('--sha256 must be 64 hexadecimal characters');
  const retries = options.retries ?? 3;

  for (let attempt = 0; ; attempt++) {
    let from = await sizeOf(part);
    const { response, etag } = await request(options, from);
    if (response.status === 416 && from > 0) {
      // The .part is already whole (or from another file): start over rather than guess.
      await response.body?.cancel();
      await rm(part, { force: true });
      options.onNotice?.('the partial download did not match the server’s file; starting over');
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new PullError(`${new URL(options.url).host} refused the download (${response.status}): a gated model needs HF_TOKEN set to a Hugging Face token`);
    }
    if (response.status === 404) throw new PullError(`not found (404): ${options.url}`);
    if (response.status !== 200 && response.status !== 206) throw new PullError(`the server answered ${response.status} ${response.statusText} for ${options.url}`);
    if (!response.body) throw new PullError('the server sent no body');
    const resumed = response.status === 206 && from > 0;
    if (from > 0 && !resumed) {
      options.onNotice?.('the server cannot resume; downloading from the start');
      from = 0;
    } else if (resumed) options.onNotice?.(`resuming at ${formatBytes(from)}`);
    const total = totalSize(response, from);
    const expected = wanted ?? sha256FromEtag(etag);

    const hash = createHash('sha256');
    if (resumed) await hashFile(part, hash);
    let received = from;
    const writer = await openPart(part, resumed);
    options.onProgress?.({ received, total, resumedFrom: from });
    let dropped: unknown = null;
    let writeError: NodeJS.ErrnoException | null = null;
    try {
      for await (const chunk of response.body) {
        const bytes = chunk as Uint8Array;
        try {
          await writer.write(bytes);
        } catch (error) {
          writeError = error as NodeJS.ErrnoException;
          break;
        }
        hash.update(bytes);
        received += bytes.length;
        options.onProgress?.({ received, total, resumedFrom: from });
      }
    } catch (error) {
      if (options.signal?.aborted) {
        await writer.close().catch(() => {});
        throw new PullError(`stopped at ${mb(received)}; run the same command again to resume`);
      }
      dropped = error;
    }
    if (writeError) {
      await writer.close().catch(() => {});
      if (writeError.code === 'ENOSPC' || writeError.code === 'EDQUOT') {
        const need = total !== null ? ` (${mb(total - received)} still to come)` : '';
        throw new PullError(
          `the disk is full${need}: free some space in ${path.dirname(options.dest)} and run the same command again to resume (${mb(received)} kept in ${path.basename(part)})`,
        );
      }
      throw new PullError(`cannot write ${part}: ${writeError.message}`);
    }
    await writer.close();
    if (!dropped && total !== null && received < total) dropped = new Error(`ended at ${mb(received)} of ${mb(total)}`);
    if (dropped) {
      if (attempt < retries) {
        options.onNotice?.(`the connection dropped at ${mb(received)}; resuming`);
        continue;
      }
      throw new PullError(`the connection dropped at ${mb(received)}${total ? ` of ${mb(total)}` : ''}: run the same command again to resume`);
    }

    const sha256 = hash.digest('hex');
    if (expected && sha256 !== expected) {
      await rm(part, { force: true });
      throw new PullError(`checksum mismatch: expected sha256 ${expected}, got ${sha256}; the download was deleted`);
    }
    await rename(part, options.dest);
    return { file: options.dest, bytes: received, sha256, verified: wanted ? 'flag' : expected ? 'etag' : null };
  }
}
