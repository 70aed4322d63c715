// grade --jobs 2 (the evidence grader in worker threads) prints and writes the same bytes as
// --jobs 1 (the main thread): json on stdout, the jsonl --out stream, a broken file in the middle.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const SESSIONS = path.resolve(import.meta.dirname, '..', '..', 'sessions');
let work: string;
let files: string[];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-jobs-'));
  const names = (await readdir(SESSIONS)).filter((f) => /\.(jsonl|txt|md)$/.test(f)).sort().slice(0, 6);
  files = [];
  for (const [i, name] of names.entries()) {
    const target = path.join(work, `${i}-${name}`);
    await copyFile(path.join(SESSIONS, name), target);
    files.push(target);
    if (i === 2) {
      const broken = path.join(work, 'broken.jsonl');
      await writeFile(broken, 'not a session\n');
      files.push(broken);
    }
  }
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** The grading time is the only thing two runs may differ in. */
const undated = (text: string) => text.replace(/"gradedAt": ?"[^"]+"/g, '"gradedAt":"…"');

it('--jobs 2 and 3 give byte-identical json and jsonl --out to --jobs 1, broken file included', async () => {
  const run = async (jobs: string) => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-jobs-home-'));
    const out = path.join(work, `out-${jobs}.jsonl`);
    const result = await runCli(['grade', ...files, '--grader', 'evidence', '--jobs', jobs, '--format', 'json', '--out', out], { SDCOACH_HOME: home });
    const cached = await runCli(['grade', ...files, '--grader', 'evidence', '--jobs', jobs, '--format', 'jsonl'], { SDCOACH_HOME: home });
    await rm(home, { recursive: true, force: true });
    return { result, out: await readFile(out, 'utf8'), cached };
  };
  const one = await run('1');
  const two = await run('2');
  expect(one.result.code).toBe(1);
  expect(two.result.code).toBe(1);
  expect(undated(two.result.stdout)).toBe(undated(one.result.stdout));
  expect(undated(two.out)).toBe(undated(one.out));
  expect(two.result.stderr).toBe(one.result.stderr); // progress lines in input order too
  const lines = two.out.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((l) => l.file)).toEqual(files);
  expect(lines[3]).toEqual({ file: files[3], error: expect.stringMatching(/^no candidate text to grade/) });
  // The workers fill and read the same cache as the main thread.
  expect(two.cached.stderr).toContain(`(${files.length - 1} from cache)`);
  expect(undated(two.cached.stdout)).toBe(undated(one.cached.stdout));
  // --jobs 3: this thread and two workers share the files; the same bytes again.
  const three = await run('3');
  expect(undated(three.result.stdout)).toBe(undated(one.result.stdout));
  expect(undated(three.out)).toBe(undated(one.out));
});
