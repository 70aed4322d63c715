// The grade cache stores each entry with write-then-rename and makes each shard folder once per
// instance; a folder removed during a run (the cache cleared meanwhile) is made again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GradeCache } from '../../src/grading/grade-cache.js';
import type { GradeReport } from '../../src/schemas/report.js';
import { gradeEvidence } from '../../src/grading/evidence-grader.js';
import { buildReport } from '../../src/grading/report.js';
import { loadRubric } from '../../src/content/rubric-loader.js';
import { resolvePaths } from '../../src/storage/paths.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

async function aReport(): Promise<GradeReport> {
  const rubric = await loadRubric('default', resolvePaths({ SDCOACH_HOME: '/dev/null/grade-cache' }));
  const input = { transcript: importPlainTranscript('Interviewer: Go.\nCandidate: Redis in front of Postgres, because reads dominate.'), rubric, problem: null };
  return buildReport(input, gradeEvidence(input), { file: 'x.txt', grader: 'evidence', model: null, gradedAt: '2026-12-04T00:00:00.000Z' });
}

describe('GradeCache', () => {
  for (const sync of [false, true]) {
    it(`keeps writing after its folder is removed mid-run (${sync ? 'sync, as in a worker' : 'async'})`, async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-grade-cache-'));
      const folder = path.join(dir, 'grades');
      const cache = new GradeCache(folder, { sync });
      const report = await aReport();
      await cache.set('aa01', report);
      expect(await cache.get('aa01')).toEqual(report);
      await rm(folder, { recursive: true, force: true });
      await cache.set('aa02', report); // the same shard folder, made again
      expect(await cache.get('aa02')).toEqual(report);
      expect(await cache.get('aa01')).toBeNull();
    });
  }
});
