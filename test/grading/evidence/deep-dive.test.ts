// Deep dive as sustained depth on one part of the design, whatever words introduce it. Each case
// failed with the keyword analyzer: a four-way algorithm comparison scored 2.2 ("no explicit deep
// dive mentioned") and "Let me deep dive into…" added points; a pasted paragraph repeated twenty
// times or a list of names counted as depth.
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { buildReport } from '../../../src/grading/report.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import { deepDiveScore, topicDepth } from '../../../src/grading/evidence/deep-dive.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import type { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { resolvePaths } from '../../../src/storage/paths.js';

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/deep-dive' });
let rubric: Rubric;
const problems = new Map<string, LoadedProblem>();
beforeAll(async () => {
  rubric = await loadRubric('default', paths);
  for (const id of ['rate-limiter', 'payments']) problems.set(id, await loadProblem(id, paths));
});

function deepDive(problem: string, text: string) {
  const input = { transcript: importPlainTranscript(text), rubric, problem: problems.get(problem)! };
  return buildReport(input, gradeEvidence(input, NO_CEILINGS), { file: 'x', grader: 'evidence', model: null, gradedAt: 'fixed' }).dimensions.deep_dive!;
}

const ALGORITHMS = [
  'For the counting algorithm there are four candidates.',
  'A fixed window keeps one counter per key per minute and resets it at the boundary, so a client can send 1,000 requests at the end of one minute and 1,000 at the start of the next: a 2x burst.',
  'A sliding log stores every request timestamp in a sorted set per key, which is exact but costs up to 100,000 entries for the biggest keys, about 1.6 MB each.',
  'A sliding window counter keeps the current and the previous window count and weights the previous one by the overlap, two numbers per key, and is off by at most a few percent at the boundary.',
  'A token bucket stores a token count and a last-refill timestamp per key and refills lazily on each request, about 16 bytes per key, and allows a burst up to the bucket size.',
  'Two gateways can race on the same key, so the read, refill and decrement run atomically in one Lua script on the Redis shard that owns the key.',
  'If that shard fails over, the replica may have lost the last few increments, so a key can briefly go a little over its limit, which we accept.',
  'If Redis is unreachable for more than 5 ms, the gateway falls back to a local token bucket with a tenth of the limit, so we fail open but bounded.',
  'I pick token bucket over the sliding log because it is 16 bytes instead of 1.6 MB per key and the bursts it allows are what the product wants.',
].join(' ');

describe('deep dive from sustained detail', () => {
  it('a four-way algorithm comparison with memory per key, races and failure scores as a deep dive', () => {
    const r = deepDive('rate-limiter', `Candidate: ${ALGORITHMS}`);
    expect(r.score!).toBeGreaterThanOrEqual(3.5);
    expect(r.notes.join(' ')).toMatch(/deepest: rate-limit algorithm|deepest: shared counter store/);
    // Length-weighted sentence counts read as one decimal, never 5.300000000000001.
    expect(r.notes.join(' ')).toMatch(/\((\d+(\.\d)?) distinct detailed sentences?;/);
  });

  it('announcing a deep dive adds nothing; naming components in a list adds nothing', () => {
    const plain = deepDive('rate-limiter', `Candidate: ${ALGORITHMS}`);
    const announced = deepDive('rate-limiter', `Candidate: Let me deep dive into the counting algorithm. I will go deep here. ${ALGORITHMS}`);
    expect(announced.score).toBe(plain.score);
    const list = deepDive('rate-limiter', 'Candidate: Token bucket, sliding window, sliding log, fixed window, Redis, Lua, atomic increments, fail open, local buckets, consistent hashing, replication.');
    expect(list.score).toBe(1);
  });

  it('the same paragraph twenty times counts once', () => {
    const paragraph = ALGORITHMS.split(' ').slice(0, 80).join(' ') + '.';
    const once = deepDive('rate-limiter', `Candidate: ${paragraph}`);
    const repeated = deepDive('rate-limiter', Array.from({ length: 20 }, () => `Candidate: ${paragraph}`).join('\n'));
    expect(repeated.score).toBe(once.score);
  });

  it('an answer continues the component the interviewer asked about, without naming it', () => {
    const r = deepDive(
      'rate-limiter',
      [
        'Interviewer: The Redis shard holding a big customer\'s counters fails over. What happens?',
        'Candidate: The replica may have lost the last few increments, so a key can go a little over its limit for a second, which we accept. While the shard is unreachable, the gateway falls back to a local bucket with a tenth of the limit, so it fails open but bounded. We alert when the fallback rate passes 1% for five minutes. After failover the counters rebuild within one window, 60 seconds. Two gateways writing the same key during the switch both use the atomic script, so there is no double refill.',
      ].join('\n'),
    );
    expect(r.score!).toBeGreaterThan(2);
    expect(r.evidence.some((e) => e.note?.startsWith('shared counter store'))).toBe(true);
  });

  it('plain words without component names still count, paragraph by paragraph', () => {
    const r = deepDive(
      'payments',
      [
        'Candidate: Repeated requests in depth.',
        '',
        'The request number is saved as a row that can only exist once per seller and number, in the same step that creates the payment. If the buyer\'s app sends the same request again, the database refuses the second row and we answer with the payment we already have. Two workers can never both move a payment, because a stage only changes if it is still in the stage we expect. If the card company goes quiet, we do not know whether it charged the card, so the try is marked unknown and checked again in 30 seconds. We never start a second try while one is unknown.',
      ].join('\n'),
    );
    expect(r.score!).toBeGreaterThan(2);
  });

  it('the curve: nothing is 1, one part in full is 5, parts in part add up to less', () => {
    expect(deepDiveScore([])).toBe(1);
    expect(deepDiveScore([topicDepth(14, 5)])).toBe(5);
    const partial = topicDepth(5, 3);
    expect(deepDiveScore([partial, partial, partial])).toBeLessThan(5);
    expect(deepDiveScore([partial, partial, partial])).toBeGreaterThan(deepDiveScore([partial]));
  });
});
