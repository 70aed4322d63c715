// Requirements & scope from what the candidate establishes, not from heading words: plain
// sentences about what users do, a bound on latency and an assumed scale count; a sentence that
// waves requirements away, a hedge, a design proposal phrased as a question, and the
// interviewer's own facts earn nothing. Each case failed with the keyword analyzer.
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { buildReport } from '../../../src/grading/report.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import type { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import { analyzeText } from '../../../src/reading/text.js';
import { readQuestions } from '../../../src/reading/questions.js';
import { readRequirementClaims } from '../../../src/reading/requirements.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/requirements-claims' });
let rubric: Rubric;
const problems = new Map<string, LoadedProblem>();
beforeAll(async () => {
  rubric = await loadRubric('default', paths);
  for (const id of ['url-shortener', 'rate-limiter', 'payments']) problems.set(id, await loadProblem(id, paths));
});

function requirements(problem: string, text: string) {
  const input = { transcript: importPlainTranscript(text), rubric, problem: problems.get(problem)! };
  return buildReport(input, gradeEvidence(input, NO_CEILINGS), { file: 'x', grader: 'evidence', model: null, gradedAt: 'fixed' }).dimensions.requirements!;
}

function facets(text: string): string[] {
  const doc = analyzeText(text, vocabulary);
  return readRequirementClaims(doc, readQuestions(doc)).map((c) => c.facet);
}

const DESIGN =
  'The API is POST /links, which writes the code and the long URL to Cassandra, and GET /{code}, which reads through Redis and answers 302. IDs come from leased ranges of a counter, base62-encoded into 7 characters.';

describe('requirements from claims', () => {
  it('plain-words requirements (who does what, a latency bound, an assumed scale) score as requirements', () => {
    const r = requirements(
      'url-shortener',
      `Candidate: Okay. Users create a short link from a long URL, optionally with a custom alias and an expiry date. Anyone with the short link gets redirected. Creators can see click counts. I'll assume about 100 million new links a day and a lot more reads than writes, say 100 to 1. Redirects should be fast, under 100 ms. Analytics exports are out of scope. ${DESIGN}`,
    );
    expect(r.score!).toBeGreaterThanOrEqual(3.5);
    expect(r.evidence.map((e) => e.quote).join(' ')).toContain('Users create a short link');
  });

  it('a sentence that waves requirements away earns nothing, however far the negation is from the words', () => {
    const r = requirements(
      'url-shortener',
      `Candidate: Requirements. I won't bother with custom aliases, expiry, click counts or takedowns; none of that is needed. I don't think we need to know the number of links per day, the read to write ratio, the latency target or the regions, so I'm not going to estimate 1,160 writes a second. ${DESIGN}`,
    );
    expect(r.score).toBe(1);
  });

  it('questions the interviewer answers from the fact sheet count, and more when the answer is used', () => {
    const asked = requirements(
      'payments',
      [
        'Interviewer: Design the payments service. What would you like to know?',
        'Candidate: What volume, and what are the hard guarantees?',
        'Interviewer: About 10 million payments a day, peaks of 10x. Never charge twice, never lose a successful charge.',
        'Candidate: Latency and availability?',
        'Interviewer: 3 seconds p99 at checkout, 99.99% availability.',
        'Candidate: So 10 million a day is about 116 a second, 1,160 at peak. The write path must never charge twice, so every request carries an idempotency key.',
      ].join('\n'),
    );
    const silent = requirements(
      'payments',
      [
        'Interviewer: Design the payments service. About 10 million payments a day, peaks of 10x. Never charge twice. 3 seconds p99 at checkout, 99.99% availability.',
        'Candidate: Yes.',
        'Interviewer: Go on.',
        'Candidate: Every request carries an idempotency key, stored in Postgres with a unique constraint.',
      ].join('\n'),
    );
    expect(asked.score!).toBeGreaterThanOrEqual(3);
    expect(asked.notes.join(' ')).toMatch(/clarifying questions?, \d+ about facts the problem has, answers used later in [1-9]/);
    expect(silent.score!).toBeLessThanOrEqual(1.5);
  });

  it('a design proposal phrased as a question is not a clarifying question', () => {
    expect(facets('Maybe we divide the limit by 500?')).not.toContain('question');
    expect(facets('How many requests a second at peak?')).toEqual(expect.arrayContaining(['question', 'scale']));
  });

  it('a hedged scale ("maybe millions") is weaker than a stated one', () => {
    const hedged = requirements('rate-limiter', `Candidate: It's a public API so maybe millions of requests a second. The gateway checks a counter per key in Redis before forwarding each request, and answers 429 when it is over.`);
    const stated = requirements('rate-limiter', `Candidate: I'll design for 2 million requests a second at peak across 500 gateways. The gateway checks a counter per key in Redis before forwarding each request, and answers 429 when it is over.`);
    expect(hedged.score!).toBeLessThan(stated.score!);
  });

  it('a wish without a measure is not a non-functional requirement; a bound is', () => {
    expect(facets('We need it to be fast.')).not.toContain('non_functional');
    expect(facets('Redirects should be fast, under 100 ms at p99.')).toContain('non_functional');
    expect(facets('A buyer must never be charged twice for one order.')).toContain('non_functional');
  });

  it('working the scale out is estimation, not a stated requirement', () => {
    expect(facets('Estimate: 100M links a day divided by 86,400 is about 1,160 writes per second.')).not.toContain('scale');
    expect(facets("I'll assume 100 million new links a day and 100 reads per write.")).toContain('scale');
  });

  it('a component sentence is not a functional requirement; an actor with a capability is', () => {
    expect(facets('A client library in every application server decides which cache server owns a key.')).not.toContain('functional');
    expect(facets('Creators can see click counts for their links.')).toContain('functional');
    expect(facets('Requirements. Functional: shorten a URL, redirect, custom aliases.')).toContain('functional');
  });
});
