// A candidate who explains the design in plain words has said as much as one who uses the
// jargon. Each case failed before: "three copies in each location" was not replication, "a fast
// in-memory copy of popular addresses" not a cache, "temporary forwarding rather than permanent"
// not a 302 held over a 301. None of these sentences is in the calibration corpus.
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import type { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import { catalogueFor, turnDecisions } from '../../../src/reading/ledger.js';
import { plainAliases } from '../../../src/reading/plain-words.js';
import { analyzeText } from '../../../src/reading/text.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/plain-words' });
let rubric: Rubric;
let problem: LoadedProblem;
beforeAll(async () => {
  rubric = await loadRubric('default', paths);
  problem = await loadProblem('news-feed', paths);
});

function dims(text: string) {
  return gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem }, NO_CEILINGS).dimensions;
}

describe('plain words count as the jargon they paraphrase', () => {
  it('replication, quorum and failover said plainly score like the jargon', () => {
    const jargon = dims('Candidate: Posts are stored with three replicas per region and quorum reads, so if a node fails the replicas serve reads and failover takes seconds. Retries use exponential backoff.');
    const plain = dims(
      'Candidate: Posts are stored as three copies in each location and we only accept an answer most copies agree on, so if a machine dies the other two copies answer within seconds. When a call fails we try again and wait longer each time.',
    );
    expect(plain.reliability!.score!).toBeGreaterThanOrEqual(jargon.reliability!.score! - 0.5);
    expect(plain.reliability!.score!).toBeGreaterThan(1.5);
  });

  it('a cache and servers near the users said plainly are caching', () => {
    const plain = dims('Candidate: Each feed is kept in a fast in-memory copy for 10 minutes, and images come from servers close to users all over the world, so 95% of reads never reach the main store.');
    expect(plain.scalability!.evidence.map((e) => e.note).join(' ')).toMatch(/caching/);
  });

  it('temporary forwarding rather than permanent forwarding is 302 held over 301', async () => {
    const shortener = await loadProblem('url-shortener', paths);
    const catalogue = catalogueFor(shortener);
    const d = turnDecisions(shortener, analyzeText('I would use temporary forwarding rather than permanent forwarding, because browsers remember a permanent forward and we lose the counts.', new Vocabulary()));
    const stance = (name: string) => d.mentions.find((m) => catalogue.names[m.option] === name)?.stance;
    expect(stance('302')).toBe('chosen');
    expect(stance('301')).toBe('rejected');
  });

  it('aliases are phrases, never one everyday word', () => {
    for (const pattern of ['replica*', 'cach*', 'kafka', 'monitor*', 'shard*', '302']) {
      const list = plainAliases(pattern);
      expect(list.length, pattern).toBeGreaterThan(0);
      for (const alias of list) expect(alias.split(/\s+/).length, alias).toBeGreaterThanOrEqual(2);
    }
  });

  it('a comma list of nouns is a list even when its items do not line up with the patterns', () => {
    const list = dims('Candidate: Deduplication, idempotent consumers, sequence numbers, vector clocks, HMAC signatures, replay protection, at-least-once delivery, ordering guarantees.');
    expect(list.reliability!.score!).toBeLessThanOrEqual(2.5);
  });
});
