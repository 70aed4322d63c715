// grade --batch-api and collect keep the evidence grader's analysis of each request from
// submission to collection (batch-api/submit.ts, collect-file.ts), against the local fake's
// Files and Batches endpoints through the built CLI; a file of its own so it runs beside
// batch-api.test.ts.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { batchIdOf, useBatchApiFixture } from '../support/batch-api-fixture.js';

const fx = useBatchApiFixture();

describe('grade --batch-api: the kept evidence', () => {
  it('keeps the evidence analysis from submission to collection: collect reads it back while the file is unchanged, grades again when it is stale or gone; --jobs 2 and 1 send and grade the same', async () => {
    fx.fake.batch.pollsToFinish = 0;
    const submitOne = await fx.cli('grade', ...fx.files, '--batch-api', '--jobs', '1');
    const inputsOf = () =>
      fx.fake.batchPayloads
        .filter((p) => p.schema === 'BatchRequestInput')
        .map((p) => JSON.stringify(p.payload).replace(/\b[0-9a-f]{16}\b/g, 'NONCE'));
    const sentByOne = inputsOf();
    fx.fake.batchPayloads.length = 0;
    const id = batchIdOf((await fx.cli('grade', ...fx.files, '--batch-api', '--jobs', '2', '--no-cache')).stdout);
    expect(submitOne.code, submitOne.stderr).toBe(0);
    expect(sentByOne).toHaveLength(3);
    expect(inputsOf()).toEqual(sentByOne);

    const keptFile = path.join(fx.home, 'batches', id, 'evidence.jsonl.gz');
    const kept = gunzipSync(await readFile(keptFile)).toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
    const manifest = JSON.parse(await readFile(path.join(fx.home, 'batches', `${id}.json`), 'utf8'));
    expect(kept.map((k) => k.customId)).toEqual(manifest.requests.map((r: { customId: string }) => r.customId));
    expect(kept[0]).toMatchObject({ key: expect.stringMatching(/^[0-9a-f]{64}$/), analysis: { dimensions: { requirements: {} } } });

    const collect = (jobs: string) => fx.cli('grade', 'collect', id, '--no-cache', '--format', 'jsonl', '--jobs', jobs);
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
    fx.expectPayloadsMatchTheApiDescription();
  }, 120_000); // seven runs of the built CLI, several with worker threads: slow on a loaded machine

});
