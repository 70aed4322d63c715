// The problem listing index (src/content/problem-index.ts): the rows it gives must be exactly the
// loader's (the slow path), whatever happened to the files since the last listing, and a warm
// listing must not run the loader at all. Times are set with utimes, never waited for.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemRowsFromLoader, renderProblemListOutput } from '../../src/commands/problems/list.js';
import { packagedDirs, resolvePaths, type SdcoachPaths } from '../../src/storage/paths.js';
import {
  listProblemRows,
  packagedProblemIndexFile,
  problemIndexFile,
  type ProblemIndexOptions,
  type ProblemRow,
} from '../../src/content/problem-index.js';
import { tempHome } from '../support/env.js';

const PACKAGED_COUNT = 12;
/** A fixed past time (2024-01-02): far from "now", so no file is racy unless a test says so. */
const PAST = new Date('2024-01-02T03:04:05Z');
const LATER = new Date('2024-02-03T04:05:06Z');

function problemText(id: string, title = 'A test problem'): string {
  return ['---', `id: ${id}`, `title: ${title}`, 'difficulty: easy', 'tags: [test, index]', '---', '', 'Design it.', ''].join('\n');
}

let home: Awaited<ReturnType<typeof tempHome>>;
let paths: SdcoachPaths;
let loads: string[];

beforeEach(async () => {
  home = await tempHome('sdcoach-problem-index-');
  paths = resolvePaths({ SDCOACH_HOME: home.dir });
  await mkdir(paths.userProblemsDir, { recursive: true });
  loads = [];
});
afterEach(() => home.cleanup());

function options(extra: ProblemIndexOptions = {}): ProblemIndexOptions {
  return { onLoad: (file) => loads.push(path.basename(file)), ...extra };
}

async function list(extra: ProblemIndexOptions = {}) {
  loads = [];
  return listProblemRows(paths, options(extra));
}

/** The slow path: every file through the loader. */
function reference(): Promise<ProblemRow[]> {
  return problemRowsFromLoader(paths);
}

/** The bytes `sdcoach problems`, `--json` and a colour terminal would print: index vs loader. */
async function expectSameAsLoader(rows: ProblemRow[]): Promise<void> {
  const slow = await reference();
  expect(rows).toEqual(slow);
  for (const json of [false, true]) {
    for (const colour of [false, true]) expect(renderProblemListOutput(rows, json, colour)).toBe(renderProblemListOutput(slow, json, colour));
  }
}

async function writeUser(name: string, text: string, mtime = PAST): Promise<string> {
  const file = path.join(paths.userProblemsDir, name);
  await writeFile(file, text);
  await utimes(file, mtime, mtime);
  return file;
}

const indexPath = () => problemIndexFile(paths.cacheDir, [paths.userProblemsDir, packagedDirs().problems]);

describe('problem listing index', () => {
  it('the build wrote a packaged index with a row for every packaged problem', async () => {
    const index = JSON.parse(await readFile(packagedProblemIndexFile(), 'utf8')) as { loader: string; entries: Record<string, unknown> };
    expect(index.loader).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(index.entries)).toHaveLength(PACKAGED_COUNT);
  });

  it('a first listing uses the packaged rows (no loader), a second only stats; both equal the loader', async () => {
    const first = await list();
    expect(loads).toEqual([]);
    // Packaged files untouched since the build match its stats; any other is hashed.
    expect(first.stats.statHits + first.stats.hashHits).toBe(PACKAGED_COUNT);
    expect(first.stats).toMatchObject({ loaded: 0, wrote: true });
    await expectSameAsLoader(first.rows);
    expect(existsSync(indexPath())).toBe(true);
    expect(indexPath().startsWith(path.join(home.dir, 'cache') + path.sep)).toBe(true);

    const second = await list();
    expect(second.stats).toEqual({ statHits: PACKAGED_COUNT, hashHits: 0, loaded: 0, wrote: false });
    expect(second.rows).toEqual(first.rows);
    // Written atomically: no temporary file left beside it.
    expect(await readdir(path.dirname(indexPath()))).toEqual([path.basename(indexPath())]);
  });

  it('a user problem with a packaged id replaces it, and deleting it brings the packaged one back', async () => {
    const packagedText = await readFile(path.join(packagedDirs().problems, 'url-shortener.md'), 'utf8');
    const file = await writeUser('url-shortener.md', packagedText.replace(/^title: .*$/m, 'title: My own URL shortener'));
    const first = await list();
    expect(loads).toEqual(['url-shortener.md']);
    const row = first.rows.find((r) => r.id === 'url-shortener')!;
    expect(row).toMatchObject({ source: 'user', ok: true, title: 'My own URL shortener', file });
    expect(first.rows).toHaveLength(PACKAGED_COUNT);
    await expectSameAsLoader(first.rows);

    expect((await list()).stats).toMatchObject({ statHits: PACKAGED_COUNT, loaded: 0, wrote: false });

    await unlink(file);
    const after = await list();
    expect(loads).toEqual([]);
    expect(after.stats.wrote).toBe(true);
    expect(after.rows.find((r) => r.id === 'url-shortener')).toMatchObject({ source: 'packaged', title: 'URL shortener (like bit.ly)' });
    await expectSameAsLoader(after.rows);
  });

  it('a broken user file is listed with its errors, cached like any other, and the output matches the loader', async () => {
    await writeUser('broken.md', '---\nid: wrong\ntitle: x\n---\nbody\n');
    await writeUser('no-front-matter.md', 'just text\n');
    const first = await list();
    expect(loads.sort()).toEqual(['broken.md', 'no-front-matter.md']);
    const broken = first.rows.find((r) => r.id === 'broken')!;
    expect(broken.ok).toBe(false);
    await expectSameAsLoader(first.rows);
    expect(renderProblemListOutput(first.rows, false, false)).toContain('2 broken files; they are skipped by practice and grade.');

    const second = await list();
    expect(loads).toEqual([]);
    expect(second.rows).toEqual(first.rows);
  });

  it('an edited file is read again; a touched but unchanged file is only hashed', async () => {
    const file = await writeUser('mine.md', problemText('mine', 'First title'));
    await list();
    expect(loads).toEqual(['mine.md']);

    // Same size, new mtime, new content.
    await writeFile(file, problemText('mine', 'Other title'));
    await utimes(file, LATER, LATER);
    const edited = await list();
    expect(loads).toEqual(['mine.md']);
    expect(edited.rows.find((r) => r.id === 'mine')).toMatchObject({ title: 'Other title' });
    await expectSameAsLoader(edited.rows);

    // Content now broken, mtime set back to an older time: the stat differs, so it is read.
    await writeFile(file, problemText('mine', 'Other title').replace('difficulty: easy', 'difficulty: trivial'));
    await utimes(file, PAST, PAST);
    const nowBroken = await list();
    expect(loads).toEqual(['mine.md']);
    expect(nowBroken.rows.find((r) => r.id === 'mine')!.ok).toBe(false);
    await expectSameAsLoader(nowBroken.rows);

    // Touched only: the hash matches, no loader.
    await utimes(file, LATER, LATER);
    const touched = await list();
    expect(loads).toEqual([]);
    expect(touched.stats).toMatchObject({ hashHits: 1, loaded: 0, wrote: true });
    expect(touched.rows).toEqual(nowBroken.rows);
    expect((await list()).stats).toMatchObject({ statHits: PACKAGED_COUNT + 1, hashHits: 0, wrote: false });
  });

  it('new and removed files change the listing and its order, as localeCompare sorts it', async () => {
    await list();
    for (const name of ['ab.md', 'a-b.md', 'A.md', 'Émile.md', 'zeta.md']) await writeUser(name, problemText(name.slice(0, -3)));
    const added = await list();
    expect(loads.sort()).toEqual(['A.md', 'a-b.md', 'ab.md', 'zeta.md', 'Émile.md'].sort());
    await expectSameAsLoader(added.rows);
    // The stored order is reused while the ids stay the same.
    expect((await list()).rows.map((r) => r.id)).toEqual(added.rows.map((r) => r.id));

    await unlink(path.join(paths.userProblemsDir, 'ab.md'));
    const removed = await list();
    expect(removed.rows.map((r) => r.id)).not.toContain('ab');
    expect(removed.stats.wrote).toBe(true);
    await expectSameAsLoader(removed.rows);
  });

  it('README.md and dot-files are not problems; folders and dangling links are listed as the loader lists them, never cached', async () => {
    await writeUser('README.md', 'not a problem\n');
    await writeUser('.hidden.md', problemText('hidden'));
    await mkdir(path.join(paths.userProblemsDir, 'folder.md'));
    await symlink(path.join(home.dir, 'nowhere.md'), path.join(paths.userProblemsDir, 'dangling.md'));
    const first = await list();
    expect(loads.sort()).toEqual(['dangling.md', 'folder.md']);
    await expectSameAsLoader(first.rows);
    await list();
    expect(loads.sort()).toEqual(['dangling.md', 'folder.md']);
    const index = JSON.parse(await readFile(indexPath(), 'utf8')) as { entries: [string][] };
    expect(index.entries.map((e) => path.basename(e[0]))).not.toContain('folder.md');
  });

  it('a file modified just before it was indexed is hashed again next time (racy), not trusted by its stat', async () => {
    const file = await writeUser('fresh.md', problemText('fresh'));
    // Recorded 0.5 s after the file's mtime (and before the packaged files' mtimes: racy too,
    // and with no stats as built to fall back on).
    const packaged = JSON.parse(await readFile(packagedProblemIndexFile(), 'utf8')) as { entries: Record<string, { stat: number[] | null }> };
    for (const entry of Object.values(packaged.entries)) entry.stat = null;
    const packagedIndexFile = path.join(home.dir, 'packaged-index.json');
    await writeFile(packagedIndexFile, JSON.stringify(packaged));
    const now = () => PAST.getTime() + 500;
    await list({ now, packagedIndexFile });
    expect(loads).toEqual(['fresh.md']);
    const next = await list({ now, packagedIndexFile });
    expect(loads).toEqual([]);
    expect(next.stats).toMatchObject({ statHits: 0, hashHits: PACKAGED_COUNT + 1, loaded: 0 });
    // A same-size rewrite that keeps the mtime (what a coarse clock allows) is still seen.
    await writeFile(file, problemText('fresh').replace('A test problem', 'B test problem'));
    await utimes(file, PAST, PAST);
    const rewritten = await list({ now, packagedIndexFile });
    expect(loads).toEqual(['fresh.md']);
    expect(rewritten.rows.find((r) => r.id === 'fresh')).toMatchObject({ title: 'B test problem' });
    await expectSameAsLoader(rewritten.rows);
    // Once the clock has moved on, the record is trusted by its stat again.
    await list({ packagedIndexFile });
    expect((await list({ packagedIndexFile })).stats).toMatchObject({ statHits: PACKAGED_COUNT + 1, hashHits: 0 });
  });

  it('a corrupted, truncated or foreign index is ignored and rebuilt', async () => {
    await writeUser('mine.md', problemText('mine'));
    await list();
    const good = await readFile(indexPath(), 'utf8');
    for (const bad of ['', '{', 'null', '[]', good.replace(/"loader":"[0-9a-f]+"/, '"loader":"another"'), good.replace('"schemaVersion":1', '"schemaVersion":99')]) {
      await writeFile(indexPath(), bad);
      const result = await list();
      expect(result.stats.wrote).toBe(true);
      await expectSameAsLoader(result.rows);
    }
    // A malformed record is a miss for that file only.
    const parsed = JSON.parse(good) as { entries: unknown[][] };
    const mine = parsed.entries.findIndex((e) => path.basename(String(e[0])) === 'mine.md');
    parsed.entries[mine]![6] = { ok: true, title: 42 };
    await writeFile(indexPath(), JSON.stringify(parsed));
    await list();
    expect(loads).toEqual(['mine.md']);
  });

  it('a packaged problem untouched since the build is listed from its stat as built, not even hashed', async () => {
    const packaged = JSON.parse(await readFile(packagedProblemIndexFile(), 'utf8')) as { entries: Record<string, { stat: number[] | null }> };
    for (const [name, entry] of Object.entries(packaged.entries)) {
      const st = await stat(path.join(packagedDirs().problems, name));
      entry.stat = [st.size, st.mtimeMs, st.ino];
    }
    const asBuilt = path.join(home.dir, 'packaged-index.json');
    await writeFile(asBuilt, JSON.stringify(packaged));
    const first = await list({ packagedIndexFile: asBuilt });
    expect(first.stats).toEqual({ statHits: PACKAGED_COUNT, hashHits: 0, loaded: 0, wrote: true });
    await expectSameAsLoader(first.rows);
    expect((await list({ packagedIndexFile: asBuilt })).stats).toEqual({ statHits: PACKAGED_COUNT, hashHits: 0, loaded: 0, wrote: false });

    // Built elsewhere (another inode or mtime): hashed instead.
    for (const entry of Object.values(packaged.entries)) entry.stat![1]! += 1000;
    await writeFile(asBuilt, JSON.stringify(packaged));
    await rm(paths.cacheDir, { recursive: true });
    expect((await list({ packagedIndexFile: asBuilt })).stats).toEqual({ statHits: 0, hashHits: PACKAGED_COUNT, loaded: 0, wrote: true });
  });

  it('a packaged file edited after the build (new stat, new content) goes through the loader', async () => {
    const packaged = JSON.parse(await readFile(packagedProblemIndexFile(), 'utf8')) as { entries: Record<string, { sha256: string; stat: number[] | null }> };
    packaged.entries['payments.md']!.sha256 = '0'.repeat(64);
    packaged.entries['payments.md']!.stat = null;
    const altered = path.join(home.dir, 'packaged-index.json');
    await writeFile(altered, JSON.stringify(packaged));
    const result = await list({ packagedIndexFile: altered });
    expect(loads).toEqual(['payments.md']);
    await expectSameAsLoader(result.rows);
  });

  it('without a packaged index (no build) every file goes through the loader and nothing is written', async () => {
    const result = await list({ packagedIndexFile: path.join(home.dir, 'missing.json') });
    expect(loads).toHaveLength(PACKAGED_COUNT);
    expect(result.stats.wrote).toBe(false);
    expect(existsSync(paths.cacheDir)).toBe(false);
    await expectSameAsLoader(result.rows);
  });

  it('an unwritable cache folder costs speed, never the listing', async () => {
    await writeFile(paths.cacheDir, 'a file where the cache folder should be');
    const result = await list();
    expect(result.stats.wrote).toBe(false);
    await expectSameAsLoader(result.rows);
    await rm(paths.cacheDir);
  });
});
