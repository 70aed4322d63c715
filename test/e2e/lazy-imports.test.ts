// `sdcoach --help` must start about as fast as node: it may load commander and our own
// small modules, never the heavy packages the actions use.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../support/run-cli.js';

const TRACE = path.resolve(import.meta.dirname, '..', 'support', 'trace-imports.mjs');
const HEAVY = ['openai', 'ink', 'react', 'marked', 'marked-terminal', 'zod', 'conf', 'yaml'];

function importsOf(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SDCOACH_HOME: '/nonexistent' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', () =>
      resolve(
        stderr
          .split('\n')
          .filter((line) => line.startsWith('IMPORT '))
          .map((line) => line.slice(7)),
      ),
    );
  });
}

function packagesIn(urls: string[]): Set<string> {
  const names = new Set<string>();
  for (const url of urls) {
    const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (match) names.add(match[1]!);
  }
  return names;
}

describe('lazy imports', () => {
  it('--help loads commander and none of the heavy packages', async () => {
    const loaded = packagesIn(await importsOf(['--help']));
    expect(loaded.has('commander')).toBe(true);
    for (const heavy of HEAVY) expect(loaded.has(heavy), `--help loaded ${heavy}`).toBe(false);
  });

  it('the tracer sees lazily imported packages: builtin doctor loads zod and conf, not openai', async () => {
    const loaded = packagesIn(await importsOf(['doctor', '--provider', 'builtin']));
    expect(loaded.has('zod')).toBe(true);
    expect(loaded.has('conf')).toBe(true);
    expect(loaded.has('openai')).toBe(false);
  });
});
