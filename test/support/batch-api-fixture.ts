// The Batch API tests' shared setup: the local fake with its Files and Batches endpoints, three
// shipped sessions copied to a temp folder, a fresh SDCOACH_HOME and fake state per test, and the
// built CLI run against them. Registers its vitest hooks where it is called.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';
import { validateAgainst } from './openapi.js';
import { runCli } from './run-cli.js';

const SESSIONS = path.resolve(import.meta.dirname, '..', '..', 'sessions');
export const KEY = 'sk-batch-test-secret-0123456789';

/** A judge answer that scores clarity 4 (no quotes: nothing to check) and leaves the rest to the evidence grader. */
export const judgeReply = () =>
  JSON.stringify({ dimensions: [{ id: 'clarity', score: 4, evidence: [], missing: ['a summary'], rationale: 'clear structure' }], strengths: ['structured'], to_expand: [] });

export const batchIdOf = (stdout: string) => stdout.trim().split('\n').at(-1)!;

export interface BatchApiFixture {
  fake: FakeOpenAI;
  /** This test's SDCOACH_HOME. */
  home: string;
  /** The copied sessions (absolute paths). */
  files: string[];
  env: () => Record<string, string>;
  cli: (...args: string[]) => ReturnType<typeof runCli>;
  /** Every File, Batch, create request and batch line the fake saw is valid against the API description. */
  expectPayloadsMatchTheApiDescription: () => void;
}

export function useBatchApiFixture(): BatchApiFixture {
  let work = '';
  const fx: BatchApiFixture = {
    fake: undefined as unknown as FakeOpenAI,
    home: '',
    files: [],
    env: () => ({ SDCOACH_HOME: fx.home, OPENAI_BASE_URL: fx.fake.url, SDCOACH_API_KEY: KEY, SDCOACH_BATCH_POLL_MS: '0' }),
    cli: (...args) => runCli(args, fx.env()),
    expectPayloadsMatchTheApiDescription: () => {
      expect(fx.fake.batchPayloads.length).toBeGreaterThan(0);
      const problems = fx.fake.batchPayloads.flatMap((p, i) => validateAgainst(p.schema, p.payload).map((e) => `#${i} ${p.schema}: ${e}`));
      expect(problems).toEqual([]);
    },
  };
  beforeAll(async () => {
    fx.fake = await startFakeOpenAI();
    work = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-batch-files-'));
    for (const name of ['example-url-shortener.jsonl', 'example-rate-limiter.txt', 'strong-payments.jsonl']) {
      const target = path.join(work, name);
      await copyFile(path.join(SESSIONS, name), target);
      fx.files.push(target);
    }
  });
  afterAll(async () => {
    await fx.fake.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fx.home = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-batch-home-'));
    Object.assign(fx.fake.batch, { supported: true, pollsToFinish: 1, outcome: 'completed', completedBeforeEnd: 0, failRequest: () => null, reply: judgeReply });
    fx.fake.batchPayloads.length = 0;
    return () => rm(fx.home, { recursive: true, force: true });
  });
  return fx;
}
