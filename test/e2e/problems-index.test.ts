// `sdcoach problems` through the listing index, as a user runs it: the bytes it prints equal the
// loader's listing (the slow path) on a first run, a warm run and after edits, and a warm run
// loads neither zod nor yaml. Times are set with utimes, never waited for.
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemRowsFromLoader, renderProblemListOutput } from '../../src/commands/problems/list.js';
import { packagedDirs, resolvePaths, type SdcoachPaths } from '../../src/storage/paths.js';
import { tempHome } from '../support/env.js';
import { BIN, runCli } from '../support/run-cli.js';

const TRACE = path.resolve(import.meta.dirname, '..', 'support', 'trace-imports.mjs');
const PAST = new Date('2024-01-02T03:04:05Z');
const LATER = new Date('2024-02-03T04:05:06Z');

let home: Awaited<ReturnType<typeof tempHome>>;
let paths: SdcoachPaths;
let env: Record<string, string>;

beforeEach(async () => {
  home = await tempHome('sdcoach-problems-index-');
  paths = resolvePaths({ SDCOACH_HOME: home.dir });
  env = { SDCOACH_HOME: home.dir };
  await mkdir(paths.userProblemsDir, { recursive: true });
});
afterEach(() => home.cleanup());

async function writeUser(name: string, text: string, mtime = PAST): Promise<string> {
  const file = path.join(paths.userProblemsDir, name);
  await writeFile(file, text);
  await utimes(file, mtime, mtime);
  return file;
}

/** What the loader's listing renders to (the output before the index existed). */
async function expected(json: boolean): Promise<string> {
  return renderProblemListOutput(await problemRowsFromLoader(paths), json, false);
}

async function expectListingMatches(): Promise<void> {
  for (const json of [false, true]) {
    const result = await runCli(json ? ['problems', '--json'] : ['problems'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await expected(json));
  }
}

/** Packages the command loaded (test/support/trace-imports.mjs). */
function packagesLoaded(args: string[]): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SDCOACH_HOME: home.dir },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', () => {
      const names = new Set<string>();
      for (const line of stderr.split('\n')) {
        const match = line.startsWith('IMPORT ') ? line.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//) : null;
        if (match) names.add(match[1]!);
      }
      resolve(names);
    });
  });
}

describe('sdcoach problems through the listing index', () => {
  it('prints exactly the loader listing on a first run, a warm run, after edits and without its cache', async () => {
    const packagedText = await readFile(path.join(packagedDirs().problems, 'rate-limiter.md'), 'utf8');
    const override = await writeUser('rate-limiter.md', packagedText.replace(/^title: .*$/m, 'title: Our rate limiter'));
    const broken = await writeUser('broken.md', '---\nid: wrong\ntitle: x\n---\nbody\n');

    await expectListingMatches(); // first run: writes the index
    expect(await readdir(path.join(home.dir, 'cache', 'problem-index'))).toHaveLength(1);
    await expectListingMatches(); // warm

    // Edited, fixed, deleted.
    await writeFile(override, packagedText.replace(/^title: .*$/m, 'title: Our second rate limiter'));
    await utimes(override, LATER, LATER);
    await writeFile(broken, '---\nid: broken\ntitle: Fixed\ndifficulty: hard\n---\nNow a problem.\n');
    await utimes(broken, LATER, LATER);
    await expectListingMatches();
    expect((await runCli(['problems'], env)).stdout).toMatch(/^rate-limiter +Our second rate limiter +medium +user /m);

    await rm(override);
    await expectListingMatches();
    expect((await runCli(['problems'], env)).stdout).toMatch(/^rate-limiter +Distributed rate limiter for a public API +medium +packaged /m);

    // The cache is safe to delete.
    await rm(path.join(home.dir, 'cache'), { recursive: true });
    await expectListingMatches();
  });

  it('a warm listing loads neither zod nor yaml; a changed file loads the real loader', async () => {
    await writeUser('mine.md', '---\nid: mine\ntitle: Mine\ndifficulty: easy\n---\nDesign it.\n');
    const first = await packagesLoaded(['problems']);
    expect(first.has('zod')).toBe(true); // mine.md was new: validated by the loader
    const warm = await packagesLoaded(['problems']);
    for (const heavy of ['zod', 'yaml', 'ink', 'react', 'openai', 'marked', 'conf']) expect(warm.has(heavy), `warm listing loaded ${heavy}`).toBe(false);
    const json = await packagesLoaded(['problems', '--json']);
    expect(json.has('zod') || json.has('yaml')).toBe(false);
  });

  it('on a fresh home the packaged rows come from the build: not even the first listing loads zod', async () => {
    const loaded = await packagesLoaded(['problems']);
    expect(loaded.has('zod') || loaded.has('yaml')).toBe(false);
  });
});
