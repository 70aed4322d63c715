// Prints every evidence-grader analysis for the shipped sessions and some synthetic
// transcripts as one JSON document: diff it before/after a refactor (outputs must not change).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gradeEvidence } from '../src/grading/evidence-grader.js';
import { loadRubric } from '../src/content/rubric-loader.js';
import { loadProblem } from '../src/content/problem-loader.js';
import { loadTranscript } from '../src/storage/load-transcript.js';
import { packagedDirs, resolvePaths } from '../src/storage/paths.js';
import { parseTranscript } from '../src/storage/transcript-store.js';
import { syntheticSessionJsonl } from './synthetic-transcript.js';

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/golden' });
const out: Record<string, unknown> = {};
for (const rubricName of ['default', 'staff-ml-infra', 'monologue-short']) {
  const rubric = await loadRubric(rubricName, paths);
  const dir = packagedDirs().sessions;
  for (const file of (await readdir(dir)).sort()) {
    const transcript = await loadTranscript(path.join(dir, file));
    const problem = transcript.meta.problem ? await loadProblem(transcript.meta.problem, paths).catch(() => null) : null;
    out[`${rubricName}/${file}`] = gradeEvidence({ transcript, rubric, problem });
  }
  for (let seed = 1; seed <= 5; seed++) {
    const transcript = parseTranscript(syntheticSessionJsonl(6000, seed), null);
    const problem = await loadProblem('url-shortener', paths);
    out[`${rubricName}/synthetic-${seed}`] = gradeEvidence({ transcript, rubric, problem });
  }
}
console.log(JSON.stringify(out, null, 1));
