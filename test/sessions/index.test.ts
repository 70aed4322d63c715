import { appendFile, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/storage/paths.js';
import { readSessionFile } from '../../src/storage/session-catalog.js';
import { listSessions } from '../../src/storage/session-list.js';
import { sessionIndexFile, type SessionIndexOptions } from '../../src/storage/session-index.js';
import { tempHome } from '../support/env.js';
import { writeSession } from './support.js';

/** Files written now are "racy" (changed within the last 2 s) and never indexed: age them. */
let clock = Date.now() / 1000 - 86_400;
async function age(...files: string[]): Promise<void> {
  for (const file of files) {
    clock += 1;
    await utimes(file, clock, clock);
  }
}

describe('session index', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let dir: string;
  let cacheDir: string;
  let reads: string[];
  let options: SessionIndexOptions;

  beforeEach(async () => {
    home = await tempHome();
    process.env.SDCOACH_HOME = home.dir;
    dir = path.join(home.dir, 'sessions');
    cacheDir = resolvePaths().cacheDir;
    reads = [];
    options = {
      cacheDir,
      read: (file) => {
        reads.push(path.basename(file));
        return readSessionFile(file);
      },
    };
  });
  afterEach(async () => {
    delete process.env.SDCOACH_HOME;
    await home.cleanup();
  });

  const indexed = async () => (await listSessions(dir, { index: options })).map((r) => r.entry);
  const direct = async () => (await listSessions(dir)).map((r) => r.entry);

  async function threeSessions() {
    const a = await writeSession(dir, { id: '20261120-150000-aaaaaa', started: '2026-11-20T15:00:00.000Z', grade: true });
    const b = await writeSession(dir, { id: '20261121-150000-bbbbbb', started: '2026-11-21T15:00:00.000Z', from: 'strong-payments' });
    const c = await writeSession(dir, { id: '20261122-150000-cccccc', started: '2026-11-22T15:00:00.000Z', mode: 'monologue', noEnd: true });
    await age(a.file, b.file, c.file);
    return [a.file, b.file, c.file] as const;
  }

  it('is created on the first listing (0600 in a 0700 folder) and spares every read on the next', async () => {
    await threeSessions();
    const first = await indexed();
    expect(reads).toHaveLength(3);
    const file = sessionIndexFile(cacheDir, dir);
    expect(path.dirname(path.dirname(file))).toBe(cacheDir);
    if (process.platform !== 'win32') {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    }
    const stored = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number; dir: string; entries: unknown[] };
    expect(stored).toMatchObject({ schemaVersion: 1, dir: path.resolve(dir) });
    expect(stored.entries).toHaveLength(3);
    const before = (await stat(file)).mtimeMs;

    reads = [];
    const second = await indexed();
    expect(reads).toEqual([]);
    expect(second).toEqual(first);
    expect(second).toEqual(await direct());
    // Nothing changed, so the index was not rewritten.
    expect((await stat(file)).mtimeMs).toBe(before);
    // Nothing is written next to the sessions.
    expect((await readdir(dir)).sort()).toEqual(['20261120-150000-aaaaaa.jsonl', '20261121-150000-bbbbbb.jsonl', '20261122-150000-cccccc.jsonl']);
  });

  it('reads again a file that was appended to (a new grade), and only that one', async () => {
    const [, b] = await threeSessions();
    await indexed();
    const ungraded = (await indexed()).find((e) => e.id === '20261121-150000-bbbbbb');
    expect(ungraded).toMatchObject({ ok: true, grade: null });
    const graded = await readFile((await writeSession(path.join(home.dir, 'scratch'), { id: 'x', started: '2026-11-21T15:00:00.000Z', from: 'strong-payments', grade: true })).file, 'utf8');
    await appendFile(b, graded.trimEnd().split('\n').at(-1)! + '\n');
    await age(b);
    reads = [];
    const after = await indexed();
    expect(reads).toEqual(['20261121-150000-bbbbbb.jsonl']);
    expect(after.find((e) => e.id === '20261121-150000-bbbbbb')).toMatchObject({ ok: true, grade: { grader: 'evidence' } });
    expect(after).toEqual(await direct());
    reads = [];
    await indexed();
    expect(reads).toEqual([]);
  });

  it('drops a deleted file from the listing and from the index', async () => {
    const [a] = await threeSessions();
    await indexed();
    await rm(a);
    reads = [];
    const after = await indexed();
    expect(reads).toEqual([]);
    expect(after.map((e) => e.id)).toEqual(['20261121-150000-bbbbbb', '20261122-150000-cccccc']);
    const stored = JSON.parse(await readFile(sessionIndexFile(cacheDir, dir), 'utf8')) as { entries: unknown[][] };
    expect(stored.entries.map((r) => r[0])).toEqual(['20261121-150000-bbbbbb.jsonl', '20261122-150000-cccccc.jsonl']);
  });

  it('reads again a file replaced by another of the same size (new inode or new mtime)', async () => {
    const [a] = await threeSessions();
    await indexed();
    const text = await readFile(a, 'utf8');
    const changed = text.replace('"problem":"url-shortener"', '"problem":"url-shortenes"');
    expect(changed.length).toBe(text.length);
    await writeFile(a, changed);
    await age(a);
    reads = [];
    const after = await indexed();
    expect(reads).toEqual(['20261120-150000-aaaaaa.jsonl']);
    expect(after[0]).toMatchObject({ problem: 'url-shortenes' });
  });

  it('does not keep files changed in the last 2 s (coarse mtimes), nor files it could not open', async () => {
    await threeSessions();
    const fresh = await writeSession(dir, { id: '20261123-150000-dddddd', started: '2026-11-23T15:00:00.000Z' });
    await mkdir(path.join(dir, '20261124-folder.jsonl'));
    await indexed();
    reads = [];
    const second = await indexed();
    expect(reads.sort()).toEqual(['20261123-150000-dddddd.jsonl', '20261124-folder.jsonl']);
    expect(second.find((e) => e.id === '20261124-folder')).toMatchObject({ ok: false, error: 'is a folder, not a file' });
    // Once old enough it is read one last time, and kept.
    await age(fresh.file);
    await indexed();
    reads = [];
    await indexed();
    expect(reads).toEqual(['20261124-folder.jsonl']);
    expect(await indexed()).toEqual(await direct());
  });

  it('keeps unreadable-content files with their reason, and re-reads them once fixed', async () => {
    await threeSessions();
    const corrupt = path.join(dir, '20261125-corrupt.jsonl');
    await writeFile(corrupt, '\u0000garbage\n');
    await age(corrupt);
    await indexed();
    reads = [];
    const second = await indexed();
    expect(reads).toEqual([]);
    expect(second.at(-1)).toMatchObject({ ok: false, id: '20261125-corrupt', error: expect.stringMatching(/not JSON/) });
    await rm(corrupt);
    await writeSession(dir, { id: '20261125-corrupt', started: '2026-11-25T15:00:00.000Z' });
    const fixed = await indexed();
    expect(fixed.find((e) => e.id === '20261125-corrupt')).toMatchObject({ ok: true });
  });

  it('ignores and rebuilds a corrupted, foreign or unreadable index, never failing the listing', async () => {
    await threeSessions();
    const expected = await direct();
    const file = sessionIndexFile(cacheDir, dir);
    await indexed();
    const good = JSON.parse(await readFile(file, 'utf8')) as { entries: unknown[][]; [key: string]: unknown };
    const badRecord = structuredClone(good);
    badRecord.entries[1]![6] = 'karaoke'; // not a mode
    const lying = structuredClone(good);
    lying.entries[0]![1] = 'big'; // size not a number
    const corruptions: string[] = [
      '',
      '{"schemaVersion":1,"sdcoach"',
      '\u0000\u0001\u0002',
      'null',
      '[]',
      JSON.stringify({ ...good, schemaVersion: 99 }),
      JSON.stringify({ ...good, sdcoach: '0.0.0-other' }),
      JSON.stringify({ ...good, dir: '/somewhere/else' }),
      JSON.stringify({ ...good, entries: { not: 'an array' } }),
      JSON.stringify({ ...good, entries: [1, 'two', null, [3]] }),
      JSON.stringify(badRecord),
      JSON.stringify(lying),
    ];
    for (const text of corruptions) {
      await writeFile(file, text);
      reads = [];
      expect(await indexed()).toEqual(expected);
      expect(reads.length).toBeGreaterThan(0);
      // Rebuilt: the next listing reads nothing.
      reads = [];
      expect(await indexed()).toEqual(expected);
      expect(reads).toEqual([]);
    }
    // An index that cannot be read or written at all (a folder in its place): listed from the files.
    await rm(file);
    await mkdir(file);
    expect(await indexed()).toEqual(expected);
    expect(await indexed()).toEqual(expected);
  });

  it('keeps one index per listed folder in the cache, never in the listed folder', async () => {
    await threeSessions();
    const other = path.join(home.dir, 'elsewhere');
    const o = await writeSession(other, { id: 'other-1', started: '2026-10-01T10:00:00.000Z' });
    await age(o.file);
    await indexed();
    const otherEntries = (await listSessions(other, { index: options })).map((r) => r.entry);
    expect(otherEntries.map((e) => e.id)).toEqual(['other-1']);
    expect(await readdir(other)).toEqual(['other-1.jsonl']);
    expect(sessionIndexFile(cacheDir, other)).not.toBe(sessionIndexFile(cacheDir, dir));
    expect((await readdir(path.join(cacheDir, 'session-index'))).sort()).toEqual(
      [path.basename(sessionIndexFile(cacheDir, dir)), path.basename(sessionIndexFile(cacheDir, other))].sort(),
    );
    // A relative path names the same folder, and the same index.
    expect(sessionIndexFile(cacheDir, path.relative(process.cwd(), other))).toBe(sessionIndexFile(cacheDir, other));
    reads = [];
    expect((await listSessions(other, { index: options })).map((r) => r.entry)).toEqual(otherEntries);
    expect(reads).toEqual([]);
  });

  it('an empty or missing folder lists nothing and leaves no index behind', async () => {
    expect(await indexed()).toEqual([]);
    await mkdir(dir, { recursive: true });
    expect(await indexed()).toEqual([]);
    await expect(stat(sessionIndexFile(cacheDir, dir))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('session index: listings equal with and without it over random histories', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let templates: string[];

  beforeAll(async () => {
    home = await tempHome();
    process.env.SDCOACH_HOME = home.dir;
    const scratch = path.join(home.dir, 'templates');
    const specs = [
      { from: 'example-url-shortener' as const, grade: true },
      { from: 'strong-payments' as const },
      { from: 'mid-llm-chat' as const, grade: true, mode: 'monologue' as const },
      { from: 'pair-feed-no-observability' as const, noEnd: true },
    ];
    templates = [];
    for (const [i, spec] of specs.entries()) {
      const { file } = await writeSession(scratch, { id: `t${i}`, started: '2026-01-01T00:00:00.000Z', ...spec });
      templates.push(await readFile(file, 'utf8'));
    }
    templates.push('not json at all\n', '', '{"type":"meta","schemaVersion":7}\n');
  });
  afterAll(async () => {
    delete process.env.SDCOACH_HOME;
    await home.cleanup();
  });

  /** mulberry32: a small seeded PRNG, so a failure replays. */
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}`, async () => {
      const random = prng(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const dir = path.join(home.dir, `s${seed}`);
      await mkdir(dir, { recursive: true });
      const options = { cacheDir: path.join(home.dir, 'cache') };
      let next = 0;
      const content = (id: string) => {
        const template = pick(templates);
        if (!template.startsWith('{"type":"meta"') || template.includes('"schemaVersion":7')) return template;
        const [meta, ...rest] = template.split('\n');
        const started = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 1e10)).toISOString();
        return [JSON.stringify({ ...JSON.parse(meta!), id, started }), ...rest].join('\n');
      };
      for (let round = 0; round < 6; round++) {
        const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
        const touched: string[] = [];
        const ops = 1 + Math.floor(random() * 6);
        for (let op = 0; op < ops; op++) {
          const action = names.length === 0 ? 'add' : pick(['add', 'add', 'append', 'delete', 'rewrite', 'none'] as const);
          if (action === 'add') {
            const id = `2026${String(next++).padStart(4, '0')}-${Math.floor(random() * 1e6).toString(36)}`;
            await writeFile(path.join(dir, `${id}.jsonl`), content(id), { mode: 0o600 });
            names.push(`${id}.jsonl`);
            touched.push(`${id}.jsonl`);
          } else if (action === 'append') {
            const name = pick(names);
            await appendFile(path.join(dir, name), pick(['{"type":"end","reason":"user","elapsedMs":99000}\n', '{"type":"turn","role":"candidate","text":"more","elapsedMs":5\n', '\n']));
            touched.push(name);
          } else if (action === 'delete') {
            const name = pick(names);
            await rm(path.join(dir, name));
            names.splice(names.indexOf(name), 1);
          } else if (action === 'rewrite') {
            const name = pick(names);
            await writeFile(path.join(dir, name), content(path.basename(name, '.jsonl')));
            touched.push(name);
          }
        }
        for (const name of new Set(touched)) if (names.includes(name)) await age(path.join(dir, name));
        const withIndex = (await listSessions(dir, { index: options })).map((r) => r.entry);
        const without = (await listSessions(dir)).map((r) => r.entry);
        expect(withIndex).toEqual(without);
        // And again from the index alone.
        expect((await listSessions(dir, { index: options })).map((r) => r.entry)).toEqual(without);
      }
    });
  }
});
