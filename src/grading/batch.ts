// Runs a grading function over many files with bounded concurrency. One file's failure is
// recorded and the batch goes on; results are reported as they finish and returned in input order.
export interface BatchResult<T> {
  file: string;
  index: number;
  value?: T;
  error?: string;
}

export interface BatchOptions<T> {
  files: string[];
  concurrency: number;
  work: (file: string, index: number) => Promise<T>;
  /** Called as each file finishes, in completion order (for progress and streaming output). */
  onResult?: (result: BatchResult<T>, done: number, total: number) => void | Promise<void>;
  /** false: drop each value once onResult has seen it (streaming output over huge batches). */
  retain?: boolean;
}

export async function runBatch<T>(options: BatchOptions<T>): Promise<BatchResult<T>[]> {
  const { files, work, onResult } = options;
  const results: BatchResult<T>[] = new Array(files.length);
  let next = 0;
  let done = 0;
  // A failure to report a result (e.g. the output file's disk is full) stops the batch: no
  // worker starts another file, and the error is raised once the ones in flight are done.
  let reportError: unknown = null;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= files.length || reportError !== null) return;
      const file = files[index]!;
      let result: BatchResult<T>;
      try {
        result = { file, index, value: await work(file, index) };
      } catch (error) {
        result = { file, index, error: error instanceof Error ? error.message : String(error) };
      }
      done++;
      try {
        await onResult?.(result, done, files.length);
      } catch (error) {
        reportError ??= error;
      }
      results[index] = options.retain === false ? { file, index, error: result.error } : result;
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, files.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (reportError !== null) throw reportError;
  return results;
}

/**
 * An onResult that sees results in input order when `ordered` (each one held until those
 * before it are done; `done` counts in that order too), else as they finish.
 */
export function inOrder<T>(
  ordered: boolean,
  onResult: (result: BatchResult<T>, done: number) => Promise<void>,
): (result: BatchResult<T>, done: number) => Promise<void> {
  if (!ordered) return onResult;
  const held = new Map<number, BatchResult<T>>();
  let next = 0;
  let chain = Promise.resolve();
  return (result) => {
    held.set(result.index, result);
    // One delivery at a time, in index order; the returned promise is the caller's back-pressure.
    chain = chain.then(async () => {
      for (let ready = held.get(next); ready; ready = held.get(next)) {
        held.delete(next);
        next++;
        await onResult(ready, next);
      }
    });
    return chain;
  };
}
