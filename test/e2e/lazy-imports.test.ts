// `sdcoach --help` must start about as fast as node: it reads the bundle (commander and the
// command registrations, scripts/bundle.mjs) and nothing else, never the heavy packages the
// actions use.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { BIN } from '../support/run-cli.js';

const TRACE = path.resolve(import.meta.dirname, '..', 'support', 'trace-imports.mjs');
const HEAVY = ['openai', 'ink', 'react', 'marked', 'marked-terminal', 'zod', 'conf', 'yaml'];

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome();
  // A settings file, so doctor has a reason to load conf.
  await writeFile(path.join(home.dir, 'config.json'), '{}');
});
afterAll(() => home.cleanup());

function importsOf(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SDCOACH_HOME: home.dir },
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
  it('--help loads no package and no module beside the bundle (commander is inside it)', async () => {
    const urls = await importsOf(['--help']);
    const loaded = packagesIn(urls);
    for (const heavy of HEAVY) expect(loaded.has(heavy), `--help loaded ${heavy}`).toBe(false);
    // The launcher reads dist/bundle/cli.cjs itself; nothing else is imported.
    expect(urls.filter((url) => url.startsWith('file:') && !url.endsWith('/bin/sdcoach.js'))).toEqual([]);
  });

  it('the tracer sees lazily imported packages: builtin doctor loads zod and conf, not openai', async () => {
    const loaded = packagesIn(await importsOf(['doctor', '--provider', 'builtin']));
    expect(loaded.has('zod')).toBe(true);
    expect(loaded.has('conf')).toBe(true);
    expect(loaded.has('openai')).toBe(false);
  });
});
