// Concept dimensions read claims, not keyword lists: a buzzword salad names everything and says
// nothing; "Let me deep dive into X" announces depth without adding any. Each case failed when
// every mention counted as coverage.
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { buildReport } from '../../../src/grading/report.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import type { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { resolvePaths } from '../../../src/storage/paths.js';

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/concept-claims' });
let rubric: Rubric;
const problems = new Map<string, LoadedProblem>();
beforeAll(async () => {
  rubric = await loadRubric('default', paths);
  for (const id of ['url-shortener', 'rate-limiter']) problems.set(id, await loadProblem(id, paths));
});

function report(problem: string, text: string) {
  const input = { transcript: importPlainTranscript(text), rubric, problem: problems.get(problem)! };
  return buildReport(input, gradeEvidence(input, NO_CEILINGS), { file: 'x', grader: 'evidence', model: null, gradedAt: 'fixed' });
}

const SALAD =
  'Candidate: We use microservices, Kafka, Redis, sharding, replication, consistent hashing, circuit breakers, p99 monitoring, alerts, OAuth, rate limiting and a CDN. Base62 codes, Cassandra, load balancer, idempotency, retries with backoff, quorum, failover, dashboards, tracing, encryption at rest.';

const COMPARISON =
  'For the algorithm: fixed window has a 2x boundary burst, sliding log is exact but stores every timestamp which is too much memory, sliding window counter is two counters per key. I pick token bucket, not sliding log, because it is two numbers per key and allows bursts.';

describe('claims, not keyword lists', () => {
  it('a buzzword salad scores low overall, and no concept dimension is above 2.5', () => {
    const r = report('url-shortener', SALAD);
    expect(r.overall).toBeLessThanOrEqual(2);
    for (const id of ['architecture', 'deep_dive', 'scalability', 'reliability', 'observability', 'security']) {
      expect(r.dimensions[id]!.score!, id).toBeLessThanOrEqual(2.5);
    }
  });

  it('a list of metrics that says what is done with them is a claim, not a salad', () => {
    const r = report('url-shortener', 'Candidate: I would alert on p99 redirect latency, cache hit ratio, and 5xx rate per region, with a dashboard per region and a page when the error budget burns fast.');
    expect(r.dimensions.observability!.score!).toBeGreaterThanOrEqual(2.5);
  });

  it('"Let me deep dive into the counting algorithm." adds nothing to the deep dive', () => {
    const plain = report('rate-limiter', `Candidate: ${COMPARISON}`);
    const announced = report('rate-limiter', `Candidate: Let me deep dive into the counting algorithm. ${COMPARISON}`);
    expect(announced.dimensions.deep_dive!.score).toBe(plain.dimensions.deep_dive!.score);
  });

  it('everything negated earns nothing', () => {
    const r = report(
      'url-shortener',
      "Candidate: We won't need caching. No replication, no sharding, no monitoring, we do not need rate limiting or authentication. We will not use Kafka or a CDN, and there is no failover.",
    );
    expect(r.overall).toBeLessThanOrEqual(2);
  });

  it('the interviewer saying the good things and the candidate saying "yes" earns nothing', () => {
    const r = report(
      'url-shortener',
      [
        'Interviewer: Would you shard the store by code with consistent hashing, replicate three ways, and alert on p99 latency against an SLO?',
        'Candidate: Yes.',
        'Interviewer: And a Redis cache in front, with a CDN for hot links, and idempotency keys on create?',
        'Candidate: Right, yes.',
      ].join('\n'),
    );
    expect(r.overall).toBeLessThanOrEqual(2);
    for (const id of ['architecture', 'scalability', 'reliability', 'observability']) expect(r.dimensions[id]!.score!, id).toBeLessThanOrEqual(1.5);
  });
});

describe('evidence quotes sit with the dimension they are about', () => {
  it('a recap ("Summary: …") covers the groups it names but the explanation is the evidence', () => {
    const r = report(
      'url-shortener',
      'Candidate: We alert on p99 redirect latency above 50 ms for five minutes and page the on-call. Summary: stateless API, Cassandra sharded by code with RF 3, Redis and the CDN for reads, Kafka for clicks, and dashboards on p99 and error rate per region.',
    );
    const obs = r.dimensions.observability!.evidence;
    expect(obs[0]!.quote).toMatch(/^We alert on p99/);
    expect(r.dimensions.requirements!.evidence.map((e) => e.quote).join(' ')).not.toMatch(/We alert/);
  });
});
