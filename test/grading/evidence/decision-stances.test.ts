// Comparisons name two options: the one found wanting is weighed, not picked. Before, in
// "Cassandra is slower than Postgres for our reads, so Postgres." Cassandra read as held (the
// interviewer asked "Why not Cassandra here?") and the concluding "so Postgres" as a mere mention.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProblem } from '../../../src/content/problem-loader.js';
import { catalogueFor, turnDecisions } from '../../../src/reading/ledger.js';
import { analyzeText } from '../../../src/reading/text.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { gradeEvidence, NO_CEILINGS } from '../../../src/grading/evidence-grader.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';

let shortener: LoadedProblem;
beforeAll(async () => {
  shortener = await loadProblem('url-shortener', resolvePaths({ SDCOACH_HOME: '/dev/null/decision-stances' }));
});

/** Each option named in the text with its stances, in order ("cassandra: considered"). */
function stances(text: string): Record<string, string[]> {
  const catalogue = catalogueFor(shortener);
  const out: Record<string, string[]> = {};
  for (const m of turnDecisions(shortener, analyzeText(text, new Vocabulary())).mentions) (out[catalogue.names[m.option]!] ??= []).push(m.stance);
  return out;
}

describe('comparisons and conclusions', () => {
  it('the option found wanting is weighed; the conclusion names the pick', () => {
    expect(stances('Cassandra is slower than Postgres for our reads, so Postgres.')).toMatchObject({ cassandra: ['considered'], postgres: ['mentioned', 'chosen'] });
    expect(stances('Postgres is slower than Cassandra for writes, so Cassandra.')).toMatchObject({ postgres: ['considered'], cassandra: ['mentioned', 'chosen'] });
    expect(stances('Postgres is more work to shard than Cassandra, hence Cassandra.')).toMatchObject({ postgres: ['considered'], cassandra: ['mentioned', 'chosen'] });
    // "easier than Y": Y is passed over, as "better than Y" always was.
    expect(stances('Cassandra is easier to scale out than Postgres.')).toMatchObject({ postgres: ['rejected'] });
  });

  it('a "so" that goes on is not a conclusion', () => {
    // The option does not end its clause: "so Postgres handles it" says what Postgres does.
    expect(stances('The write rate is low, so Postgres handles it on one node.').postgres).not.toContain('chosen');
    // A comma that opens the rest of a statement about the option (found in review).
    expect(stances('So Redis, which is in memory, would lose data on restart.').redis).not.toContain('chosen');
    expect(stances('So Kafka, as I said earlier, is overkill here.').kafka).not.toContain('chosen');
    // A detail of the pick after the comma still concludes.
    expect(stances('Cassandra is slower than Postgres for our reads, so Postgres, sharded by code.').postgres).toContain('chosen');
  });

  it('praise in comparative words is not a drawback', () => {
    expect(stances('Nothing is easier to operate than Postgres.').postgres).not.toContain('rejected');
    expect(stances('Cassandra is harder to beat for write throughput.').cassandra).not.toContain('considered');
    expect(stances('No matter Postgres or Cassandra, we shard by key.').cassandra).not.toContain('rejected');
  });
});

describe('a comparison as a tradeoff (grader)', () => {
  it('a pick that follows a comparison on a quality is a reasoned tradeoff; a bare pick among names is not', async () => {
    const rubric = await loadRubric('default', resolvePaths({ SDCOACH_HOME: '/dev/null/decision-stances' }));
    const tradeoffs = (text: string) =>
      gradeEvidence({ transcript: importPlainTranscript(`Candidate: ${text}`), rubric, problem: shortener }, NO_CEILINGS).dimensions.tradeoffs!.evidence.map((e) => e.note);
    // It scored 1 ("no tradeoffs stated"): no "because", so the pick read as unreasoned.
    expect(tradeoffs('Cassandra is slower than Postgres for our reads, so Postgres, sharded by code.').join(' ')).toMatch(/compares options and picks one with a reason/);
    expect(tradeoffs('Cassandra or Postgres. Postgres.')).toEqual([]);
  });
});

