// grade --batch-api and collect keep the evidence grader's analysis of each request from
// submission to collection (batch-api/submit.ts, collect-file.ts), against the local fake's
// Files and Batches endpoints through the built CLI; a file of its own so it runs beside
// batch-api.test.ts.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { validateAgainst } from '../support/openapi.js';
import { runCli } from '../support/run-cli.js';

const SESSIONS = path.resolve(import.meta.dirname, '..', '..', 'sessions');
const KEY = 'sk-batch-test-secret-0123456789';
let fake: FakeOpenAI;
let home: string;
let work: string;
let files: string[];

/** A judge answer that scores clarity 4 (no quotes: nothing to check) and leaves the rest to the evidence grader. */
const judgeReply = () => JSON.stringify({ dimensions: [{ id: 'clarity', score: 4, evidence: [], missing: ['a summary'], rationale: 'clear structure' }], strengths: ['structured'], to_expand: [] });

const env = () => ({ SDCOACH_HOME: home, OPENAI_BASE_URL: fake.url, SDCOACH_API_KEY: KEY, SDCOACH_BATCH_POLL_MS: '0' });
const cli = (...args: string[]) => runCli(args, env());
const batchIdOf = (stdout: string) => stdout.trim().split('\n').at(-1)!;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  work = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-batch-files-'));
  files = [];
  for (const name of ['example-url-shortener.jsonl', 'example-rate-limiter.txt', 'strong-payments.jsonl']) {
    const target = path.join(work, name);
    await copyFile(path.join(SESSIONS, name), target);
    files.push(target);
  }
});
afterAll(async () => {
  await fake.close();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-batch-home-'));
  Object.assign(fake.batch, { supported: true, pollsToFinish: 1, outcome: 'completed', completedBeforeEnd: 0, failRequest: () => null, reply: judgeReply });
  fake.batchPayloads.length = 0;
  return () => rm(home, { recursive: true, force: true });
});

function expectPayloadsMatchTheApiDescription() {
  expect(fake.batchPayloads.length).toBeGreaterThan(0);
  const problems = fake.batchPayloads.flatMap((p, i) => validateAgainst(p.schema, p.payload).map((e) => `#${i} ${p.schema}: ${e}`));
  expect(problems).toEqual([]);
}

describe('grade --batch-api: the kept evidence', () => {
  it('keeps the evidence analysis from submission to collection: collect reads it back while the file is unchanged, grades again when it is stale or gone; --jobs 2 and 1 send and grade the same', async () => {
    fake.batch.pollsToFinish = 0;
    const submitOne = await cli('grade', ...files, '--batch-api', '--jobs', '1');
    const inputsOf = () =>
      fake.batchPayloads
        .filter((p) => p.schema === 'BatchRequestInput')
        .map((p) => JSON.stringify(p.payload).replace(/\b[0-9a-f]{16}\b/g, 'NONCE'));
    const sentByOne = inputsOf();
    fake.batchPayloads.length = 0;
    const id = batchIdOf((await cli('grade', ...files, '--batch-api', '--jobs', '2', '--no-cache')).stdout);
    expect(submitOne.code, submitOne.stderr).toBe(0);
    expect(sentByOne).toHaveLength(3);
    expect(inputsOf()).toEqual(sentByOne);

    const keptFile = path.join(home, 'batches', id, 'evidence.jsonl.gz');
    const kept = gunzipSync(await readFile(keptFile)).toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
    const manifest = JSON.parse(await readFile(path.join(home, 'batches', `${id}.json`), 'utf8'));
    expect(kept.map((k) => k.customId)).toEqual(manifest.requests.map((r: { customId: string }) => r.customId));
    expect(kept[0]).toMatchObject({ key: expect.stringMatching(/^[0-9a-f]{64}$/), analysis: { dimensions: { requirements: {} } } });

    const collect = (jobs: string) => cli('grade', 'collect', id, '--no-cache', '--format', 'jsonl', '--jobs', jobs);
    const first = await collect('2');
    expect(first.code, first.stderr).toBe(0);

    // A marker in a kept analysis shows in the report: the kept analysis is what collect grades with.
    const write = (entries: typeof kept) => writeFile(keptFile, gzipSync(entries.map((k) => JSON.stringify(k)).join('\n') + '\n'));
    const marked = structuredClone(kept);
    marked[0].analysis.dimensions.requirements.missing = ['MARKER from the kept analysis'];
    await write(marked);
    expect((await collect('2')).stdout).toContain('MARKER from the kept analysis');
    expect((await collect('1')).stdout).toContain('MARKER from the kept analysis');
    // Kept under another key (the file, rubric, problem or grader changed since): graded again.
    marked[0].key = '0'.repeat(64);
    await write(marked);
    expect((await collect('2')).stdout).toBe(first.stdout);
    // Gone: graded again, on the main thread this time, the same bytes as the pool gave.
    await rm(keptFile);
    expect((await collect('1')).stdout).toBe(first.stdout);
    expectPayloadsMatchTheApiDescription();
  }, 120_000); // seven runs of the built CLI, several with worker threads: slow on a loaded machine

});
