// Pushback outcomes from the decision the candidate holds before and after the challenge (the
// same ledger the interviewer keeps), not from words like "instead". Each case failed when the
// label came from the answer's wording alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import type { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { resolvePaths } from '../../../src/storage/paths.js';

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/pushback-claims' });
let rubric: Rubric;
const problems = new Map<string, LoadedProblem>();
beforeAll(async () => {
  rubric = await loadRubric('default', paths);
  for (const id of ['url-shortener', 'rate-limiter']) problems.set(id, await loadProblem(id, paths));
});

function pushbacks(problem: string, text: string) {
  return gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem: problems.get(problem)! }).pushbacks;
}

describe('pushback outcomes follow the option held', () => {
  it('a defence that says "instead" about something else is a defence', () => {
    const rows = pushbacks(
      'url-shortener',
      [
        'Candidate: Links go in Cassandra, keyed by the short code.',
        "Interviewer: Why not Cassandra here? Wouldn't a relational database be simpler?",
        "Candidate: I'd keep Cassandra: every read is a single-key lookup at 116k per second, and analytics reads the click log instead of the links table.",
      ].join('\n'),
    );
    expect(rows.map((r) => [r.topic, r.label])).toEqual([['cassandra', 'defended']]);
  });

  it('a challenge of an option the candidate had rejected is not recorded as "keeps" that option', () => {
    const rows = pushbacks(
      'rate-limiter',
      [
        'Candidate: I pick token bucket, not sliding log, because it is two numbers per key.',
        'Interviewer: A sliding log is exact. Why not store every timestamp?',
        'Candidate: Because an enterprise key can hold 100,000 timestamps, which is megabytes per key; two numbers per key is enough.',
      ].join('\n'),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.label).toBe('defended');
    expect(rows[0]!.topic).toBe('token bucket (not sliding log)');
    expect(rows[0]!.reason).not.toMatch(/^keeps sliding log/);
  });

  it('"I\'d change it: …" with a reason is a revision', () => {
    const rows = pushbacks(
      'url-shortener',
      [
        'Candidate: Links go in Cassandra, keyed by the short code.',
        "Interviewer: Why not Cassandra here? Wouldn't a relational database be simpler?",
        "Candidate: I'd change it: a sharded Postgres cluster is enough, because 91 TB over five years splits into 32 shards of under 3 TB each.",
      ].join('\n'),
    );
    expect(rows.map((r) => [r.topic, r.label])).toEqual([['cassandra', 'revised-with-reasons']]);
  });

  it('dropping the option with no reason is a capitulation', () => {
    const rows = pushbacks(
      'rate-limiter',
      [
        'Candidate: Counters live in Redis.',
        'Interviewer: Why Redis? What happens when the Redis node for a key goes down?',
        'Candidate: Yeah, let us just remove Redis.',
      ].join('\n'),
    );
    expect(rows.map((r) => [r.topic, r.label])).toEqual([['redis', 'capitulated']]);
  });
});
