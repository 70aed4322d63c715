// node-llama-cpp (and its native runtime) loads only when the local provider runs: not for
// --help, not for `models list` (our own GGUF header reader), not for the builtin path, and
// not for a practice session on another provider. The tracer sees it when it does load.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { BIN } from '../support/run-cli.js';
import { tinyLlamaGguf } from '../support/gguf-writer.js';

const TRACE = path.resolve(import.meta.dirname, '..', 'support', 'trace-imports.mjs');

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome('sdcoach-local-lazy-');
  await mkdir(path.join(home.dir, 'models'), { recursive: true });
  await writeFile(path.join(home.dir, 'models', 'tiny.gguf'), tinyLlamaGguf({ seed: 2, contextLength: 256 }));
});
afterAll(() => home.cleanup());

/** Whether node-llama-cpp was imported by `sdcoach ...args`. */
function loadsNodeLlamaCpp(args: string[]): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: 'off', SDCOACH_LOCAL_THREADS: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', () => resolve(stderr.split('\n').some((line) => line.startsWith('IMPORT ') && line.includes('/node_modules/node-llama-cpp/'))));
  });
}

describe('node-llama-cpp loads only for the local provider', () => {
  it('not for --help, models --help, models list or the builtin doctor', async () => {
    for (const args of [['--help'], ['models', '--help'], ['models', 'list'], ['doctor', '--provider', 'builtin']]) {
      expect(await loadsNodeLlamaCpp(args), `sdcoach ${args.join(' ')}`).toBe(false);
    }
  });

  it('for doctor --provider local (the tracer sees it)', async () => {
    expect(await loadsNodeLlamaCpp(['doctor', '--provider', 'local'])).toBe(true);
  });
});
