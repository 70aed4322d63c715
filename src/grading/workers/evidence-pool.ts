// `grade --jobs N`: N worker threads running the evidence grader (for `grade`, and for the Batch
// API's submission and collection, which grade every file too). The pool hands each file to
// the least busy worker and resolves with that worker's result (or rejects with its error
// message, exactly as the same call on the main thread would have thrown it). Workers load the compiled JS in dist/,
// so the pool works the same from the bundle, a checkout and the installed package.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../storage/paths.js';
import type { CollectRequest } from '../batch-api/collect-file.js';
import type { FileRequest } from '../batch-api/request-file.js';
import type { GradedFile } from '../grade-file.js';
import type { EvidenceWorkerReply, EvidenceWorkerRequest, EvidenceWorkerSetup } from './evidence-protocol.js';

/** A request without its id (the pool numbers them). */
type Task = EvidenceWorkerRequest extends infer R ? (R extends EvidenceWorkerRequest ? Omit<R, 'id'> : never) : never;

/**
 * dist/grading/workers/evidence-worker.js: beside this module when it is the compiled one,
 * else (this module run from src/ by tsx or vitest) the build's copy.
 */
export function evidenceWorkerFile(): URL {
  const here = fileURLToPath(import.meta.url);
  const sibling = path.join(path.dirname(here), 'evidence-worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return pathToFileURL(sibling);
  const built = path.join(packageRoot(), 'dist', 'grading', 'workers', 'evidence-worker.js');
  if (!existsSync(built)) throw new Error(`grade --jobs needs the built worker ${built}: run npm run build`);
  return pathToFileURL(built);
}

/**
 * Below this many files a pool is used only when --jobs was given: starting and warming up a
 * worker (loading the grader, its first JIT, its caches) costs more than it saves on a few files.
 */
export const POOL_MIN_FILES = 100;

/** Worker threads for `files` files with --jobs `jobs` (`given`: on the command line); 1 means none. */
export function poolSize(jobs: number, files: number, given: boolean): number {
  if (jobs <= 1 || files <= 1 || (!given && files < POOL_MIN_FILES)) return 1;
  return Math.min(jobs, files);
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Why the worker stopped (it crashed or exited); no more files go to it. */
  dead: Error | null;
}

/**
 * A run shared between this thread and a pool: `threads` in all, this one taking every
 * threads-th file (`here(index)`), so no worker is started and warmed up for its share and its
 * results need no message.
 */
export interface SharedRun {
  threads: number;
  pool: EvidencePool;
  here: (index: number) => boolean;
}

export class EvidencePool {
  private readonly workers: PoolWorker[];
  private nextId = 0;

  constructor(size: number, setup: EvidenceWorkerSetup) {
    const file = evidenceWorkerFile();
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const entry: PoolWorker = {
        worker: new Worker(file, { workerData: setup }),
        pending: new Map(),
        dead: null,
      };
      entry.worker.on('message', (reply: EvidenceWorkerReply) => {
        const waiting = entry.pending.get(reply.id);
        if (!waiting) return;
        entry.pending.delete(reply.id);
        if ('error' in reply) waiting.reject(new Error(reply.error));
        else waiting.resolve(reply.value as never);
      });
      const fail = (error: Error) => {
        entry.dead ??= error;
        for (const waiting of entry.pending.values()) waiting.reject(error);
        entry.pending.clear();
      };
      entry.worker.on('error', (error) => fail(new Error(`grading worker failed: ${error.message}`)));
      entry.worker.on('exit', (code) => fail(new Error(`grading worker stopped (exit code ${code})`)));
      return entry;
    });
  }

  /** Worker threads in the pool. */
  get size(): number {
    return this.workers.length;
  }

  /** `threads` threads in all: this one and a pool of the rest. */
  static shared(threads: number, setup: EvidenceWorkerSetup): SharedRun {
    return { threads, pool: new EvidencePool(threads - 1, setup), here: (index) => index % threads === 0 };
  }

  /**
   * The threads for `files` files with --jobs `jobs` (`given` on the command line; see
   * poolSize), or null: none asked for, too few files, or no built worker (an unbuilt
   * checkout). The Batch API's submission and collection then run on the main thread alone.
   */
  static forFiles(jobs: number, files: number, given: boolean, setup: EvidenceWorkerSetup): SharedRun | null {
    const threads = poolSize(jobs, files, given);
    if (threads <= 1) return null;
    try {
      evidenceWorkerFile();
    } catch {
      return null;
    }
    return EvidencePool.shared(threads, setup);
  }

  /** Grades one file with the evidence grader. */
  grade(file: string): Promise<GradedFile> {
    return this.run<GradedFile>({ kind: 'grade', file });
  }

  /** A file's Batch API request (the pool must be set up with `batch`). */
  request(file: string, index: number): Promise<FileRequest> {
    return this.run<FileRequest>({ kind: 'request', file, index });
  }

  /** Grades a file from its batch reply (the pool must be set up with `batch.endedAt`). */
  collect(file: string, request: CollectRequest): Promise<GradedFile> {
    return this.run<GradedFile>({ kind: 'collect', file, request });
  }

  /** Runs one task on the least busy live worker. */
  private run<T>(task: Task): Promise<T> {
    const live = this.workers.filter((w) => !w.dead);
    if (live.length === 0) return Promise.reject(this.workers[0]!.dead!);
    const target = live.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      target.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      target.worker.postMessage({ ...task, id } as EvidenceWorkerRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map((w) => {
        w.dead ??= new Error('the pool is closed');
        return w.worker.terminate();
      }),
    );
  }
}
