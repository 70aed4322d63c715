// grade --batch-api / status / collect against the local fake's Files and Batches endpoints
// (test/support/fake-openai.ts), through the built CLI and the real openai client. Every File
// and Batch object, create request and batch line is validated against the API description's
// schemas (test/fixtures/openai-openapi/).
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchIdOf, KEY, useBatchApiFixture } from '../support/batch-api-fixture.js';
import { BIN } from '../support/run-cli.js';

const fx = useBatchApiFixture();

describe('grade --batch-api', () => {
  it('submits, waits with a progress line, grades like the judge, records a keyless manifest and fills the cache', async () => {
    fx.fake.batch.pollsToFinish = 2;
    const run = await fx.cli('grade', fx.files[0]!, fx.files[1]!, '--batch-api', '--wait', '--format', 'json');
    expect(run.stderr).toMatch(/submitted 2 requests to gpt-4o-mini as batch batch_/);
    expect(run.stderr).toMatch(/batch batch_\w+: in_progress, \d\/2 done, 0 failed/);
    expect(run.code, run.stderr).toBe(0);
    const reports = JSON.parse(run.stdout);
    expect(reports.map((r: { file: string }) => r.file)).toEqual([fx.files[0], fx.files[1]]);
    for (const report of reports) {
      expect(report.grader).toBe('llm');
      expect(report.dimensions.clarity).toMatchObject({ score: 4, grader: 'llm' });
      expect(report.dimensions.requirements.grader).toBe('evidence'); // the judge gave no score: the evidence grader's
    }
    fx.expectPayloadsMatchTheApiDescription();
    // The input lines carry the interactive judge's request: structured output, its schema, no stream.
    const line = fx.fake.batchPayloads.find((p) => p.schema === 'BatchRequestInput')!.payload as any;
    expect(line).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', response_format: { type: 'json_schema', json_schema: { name: 'judge_answer' } } } });
    expect(line.body.stream).toBeUndefined();

    const manifests = (await readdir(path.join(fx.home, 'batches'))).filter((f) => f.endsWith('.json'));
    expect(manifests).toHaveLength(1);
    const manifest = await readFile(path.join(fx.home, 'batches', manifests[0]!), 'utf8');
    expect(manifest).not.toContain(KEY);
    expect(JSON.parse(manifest)).toMatchObject({ baseURL: fx.fake.url, model: 'gpt-4o-mini', rubric: { name: 'default' }, requests: [{ file: fx.files[0] }, { file: fx.files[1] }] });

    const chats = fx.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const again = await fx.cli('grade', fx.files[0]!, '--grader', 'llm', '--format', 'json');
    expect(again.stderr).toContain('graded 1 of 1 file (1 from cache)');
    expect(JSON.parse(again.stdout)[0]).toEqual(reports[0]);
    expect(fx.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length).toBe(chats);
  });

  it('prints the batch id; status and the listing (--json); collect before the end says so; collecting twice prints the same and downloads once', async () => {
    fx.fake.batch.pollsToFinish = 2;
    const submitted = await fx.cli('grade', fx.files[0]!, '--batch-api');
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = batchIdOf(submitted.stdout);
    expect(id).toMatch(/^batch_\w+$/);
    expect(submitted.stderr).toContain(`collect with: sdcoach grade collect ${id}`);

    const status = await fx.cli('grade', 'status', id, '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ id, status: 'in_progress', requestCounts: { total: 1 }, finished: false });
    const early = await fx.cli('grade', 'collect', id);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(new RegExp(`batch ${id} is not finished: in_progress`));

    const listing = await fx.cli('grade', 'status', '--json');
    expect(JSON.parse(listing.stdout)).toMatchObject([{ id, requests: 1, model: 'gpt-4o-mini' }]);
    expect((await fx.cli('grade', 'status')).stdout).toContain(`${id}  `);

    const first = await fx.cli('grade', 'collect', id, '--format', 'jsonl');
    expect(first.code, first.stderr).toBe(0);
    expect((await fx.cli('grade', 'status', id)).stdout).toMatch(new RegExp(`batch ${id}: completed, 1/1 done, 0 failed`));
    const downloads = fx.fake.requests.filter((r) => r.path.endsWith('/content')).length;
    const second = await fx.cli('grade', 'collect', id, '--format', 'jsonl');
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toContain('(1 from cache)');
    expect(fx.fake.requests.filter((r) => r.path.endsWith('/content')).length).toBe(downloads);
    fx.expectPayloadsMatchTheApiDescription();
  });

  it('partial failure: failed requests are listed with their reason and resubmitted once as a new batch', async () => {
    fx.fake.batch.failRequest = (_id, index) => (index === 1 ? { status: 500, message: 'The server had an error processing this request.' } : null);
    fx.fake.batch.pollsToFinish = 0;
    const id = batchIdOf((await fx.cli('grade', ...fx.files, '--batch-api')).stdout);
    const collected = await fx.cli('grade', 'collect', id, '--format', 'json');
    expect(collected.code).toBe(1);
    const out = JSON.parse(collected.stdout);
    expect(out.filter((r: { grader?: string }) => r.grader === 'llm')).toHaveLength(2);
    expect(out.at(-1)).toEqual({ file: fx.files[1], error: 'batch request failed: HTTP 500: The server had an error processing this request.' });
    expect(collected.stderr).toContain(`1 request of batch ${id} did not give a grade; send it again with: sdcoach grade collect ${id} --resubmit-failed`);

    fx.fake.batch.failRequest = () => null;
    const resubmitted = await fx.cli('grade', 'collect', id, '--resubmit-failed', '--format', 'json');
    const newId = /resubmitted 1 request as batch (batch_\w+)/.exec(resubmitted.stderr)?.[1];
    expect(newId, resubmitted.stderr).toBeDefined();
    const twice = await fx.cli('grade', 'collect', id, '--resubmit-failed');
    expect(twice.stderr).toContain(`already resubmitted as ${newId}`);
    const retried = await fx.cli('grade', 'collect', newId!, '--format', 'json');
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject([{ file: fx.files[1], grader: 'llm' }]);
    fx.expectPayloadsMatchTheApiDescription();
  });

  it('an expired batch: the requests that completed are collected, the rest listed as not run', async () => {
    Object.assign(fx.fake.batch, { outcome: 'expired', completedBeforeEnd: 1, pollsToFinish: 0 });
    const id = batchIdOf((await fx.cli('grade', ...fx.files, '--batch-api')).stdout);
    const collected = await fx.cli('grade', 'collect', id, '--format', 'json');
    expect(collected.code).toBe(1);
    expect(collected.stderr).toContain(`batch ${id} expired (not done within its 24 h window): 1 of 3 requests completed; collecting those`);
    const out = JSON.parse(collected.stdout);
    expect(out[0]).toMatchObject({ file: fx.files[0], grader: 'llm' });
    expect(out.slice(1).map((r: { error: string }) => r.error)).toEqual([
      'batch request failed: batch_expired: This request could not be executed before the completion window expired.',
      'batch request failed: batch_expired: This request could not be executed before the completion window expired.',
    ]);
    fx.expectPayloadsMatchTheApiDescription();
  });

  it('a failed or cancelled batch says so', async () => {
    Object.assign(fx.fake.batch, { outcome: 'failed', pollsToFinish: 0 });
    const failedId = batchIdOf((await fx.cli('grade', fx.files[0]!, '--batch-api')).stdout);
    const failed = await fx.cli('grade', 'collect', failedId);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`batch ${failedId} failed before running any request: line 1: The input file is not valid for this batch.`);
    Object.assign(fx.fake.batch, { outcome: 'cancelled', completedBeforeEnd: 0 });
    const cancelledId = batchIdOf((await fx.cli('grade', fx.files[0]!, '--batch-api')).stdout);
    expect((await fx.cli('grade', 'collect', cancelledId)).stderr).toContain(`batch ${cancelledId} was cancelled: 0 of 1 requests completed`);
  });

  it('an endpoint without the Batch API: one clear line, exit code 1', async () => {
    fx.fake.batch.supported = false;
    const run = await fx.cli('grade', fx.files[0]!, '--batch-api');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`sdcoach grade: ${new URL(fx.fake.url).host} has no Batch API (404 on POST /files); grade without --batch-api to use the interactive judge`);
  });

  it('a file literally named "collect" in the current directory is graded as a file', async () => {
    await writeFile(path.join(path.dirname(fx.files[0]!), 'collect'), await readFile(fx.files[1]!, 'utf8'));
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'grade', 'collect', '--grader', 'evidence', '--format', 'json'], { cwd: path.dirname(fx.files[0]!), env: { PATH: process.env.PATH ?? '', SDCOACH_HOME: fx.home, NO_COLOR: '1' } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    await rm(path.join(path.dirname(fx.files[0]!), 'collect'));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject([{ file: 'collect', grader: 'evidence' }]);
  });
});
