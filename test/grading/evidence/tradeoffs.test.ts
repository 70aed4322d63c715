// Tradeoffs volunteered up front score higher than tradeoffs given only when challenged.
import { describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { tradeoffScore } from '../../../src/grading/evidence/tradeoffs.js';
import { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';

const anchors = { 1: 'poor', 2: 'weak', 3: 'fair', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'tradeoffs only',
  version: 1,
  description: 'test',
  scale: { min: 1, max: 5 },
  dimensions: [{ id: 'tradeoffs', name: 'Tradeoffs', weight: 1, description: 'tradeoffs', judge_guidance: 'judge', anchors }],
  levels: [{ level: 'L4', min_overall: 1 }],
});

function grade(text: string) {
  return gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem: null }, NO_CEILINGS).dimensions.tradeoffs!;
}

describe('tradeoffs', () => {
  it.each([
    'I prefer 302 because it lets us count clicks, at the cost of more traffic hitting us.',
    'A sliding window counter rather than a fixed window, because fixed windows allow bursts.',
    'With an LSM store, the tradeoff is write amplification versus read latency.',
    'With Cassandra, the downside is that we lose ad-hoc queries.',
    'SQL is simpler but harder to scale past one primary.',
    'Alternatively, we could shard by user, which keeps a feed on one node.',
  ])('finds "%s" up front', (sentence) => {
    const result = grade(`Interviewer: Go.\nCandidate: ${sentence}`);
    expect(result.evidence[0]).toMatchObject({ quote: sentence, turn: 1 });
    expect(result.evidence[0]!.note).toMatch(/volunteered up front/);
    expect(result.score!).toBeGreaterThanOrEqual(3);
  });

  it.each([
    'I prefer 302 because it lets us count clicks, at the cost of more traffic hitting us.',
    'With Cassandra, the downside is that we lose ad-hoc queries.',
    'We’d go with SQL; it’s simpler but harder to scale past one primary.',
    'With an LSM store, the tradeoff’s write amplification versus read latency.',
  ])('reads "%s" the same whether the turn is lower-cased once or per sentence', (sentence) => {
    // "İ" and "Σ" make the whole-turn lower-casing unsafe, so those turns lower-case each sentence.
    const plain = grade(`Interviewer: Go.\nCandidate: ${sentence} Then Istanbul.`);
    for (const odd of ['Then İstanbul.', 'Then ΟΔΟΣ.']) {
      const other = grade(`Interviewer: Go.\nCandidate: ${sentence} ${odd}`);
      expect(other.score).toBe(plain.score);
      expect(other.evidence.map((e) => e.note)).toEqual(plain.evidence.map((e) => e.note));
      expect(other.evidence.map((e) => e.quote)).toEqual(plain.evidence.map((e) => e.quote));
    }
    expect(plain.evidence[0]!.note).toMatch(/volunteered up front/);
  });

  it('none → 1 with what is missing', () => {
    const result = grade('Interviewer: Go.\nCandidate: We use Redis and Postgres. We could use a queue instead.');
    expect(result.score).toBe(1);
    expect(result.missing[0]).toMatch(/no tradeoffs stated/);
  });

  it('a tradeoff given only after a challenge scores lower than one volunteered', () => {
    const tradeoff = 'The tradeoff is that we give up joins, at the cost of ad-hoc queries.';
    const defended = grade(`Interviewer: Go.\nCandidate: I would use Cassandra.\nInterviewer: Why not Postgres?\nCandidate: ${tradeoff}`);
    const volunteered = grade(`Interviewer: Go.\nCandidate: I would use Cassandra. ${tradeoff}`);
    expect(defended.evidence[0]!.note).toMatch(/only when challenged on postgres \(turn 2\)/);
    expect(defended.missing).toContain('no tradeoff volunteered before being challenged');
    expect(volunteered.score!).toBeGreaterThan(defended.score!);
  });

  it('naming the word is not weighing anything', () => {
    expect(grade('Interviewer: Go.\nCandidate: Tradeoffs and observability both matter to me.').score).toBe(1);
  });

  it('interviewer text earns nothing', () => {
    expect(grade('Interviewer: What is the tradeoff of Redis versus Memcached, at the cost of what?\nCandidate: Redis.').score).toBe(1);
  });

  it('the documented curve', () => {
    expect(tradeoffScore(0, 0, 0, 0)).toBe(1);
    expect(tradeoffScore(0, 0, 1, 1)).toBe(2.5);
    expect(tradeoffScore(1, 0, 0, 0)).toBe(3);
    expect(tradeoffScore(1, 1, 0, 0)).toBe(3.5);
    expect(tradeoffScore(3, 2, 2, 2)).toBe(5);
  });
});

describe('tradeoffs are claims about a choice, not keywords', () => {
  it('an empty tradeoff sentence that names no choice earns nothing', () => {
    const result = grade('Interviewer: Go.\nCandidate: The tradeoff is consistency versus availability, instead of latency.');
    expect(result.score).toBe(1);
  });

  it('a refusal to weigh options is not a tradeoff', () => {
    expect(grade("Interviewer: Go.\nCandidate: I also don't want to choose between 301 and 302 versus anything else, so I will not weigh the tradeoff.").score).toBe(1);
  });

  it('the same tradeoff said twenty times counts once', () => {
    const once = grade('Interviewer: Go.\nCandidate: I prefer 302 because it lets us count clicks, at the cost of more traffic hitting us.');
    const many = grade(`Interviewer: Go.\nCandidate: ${'I prefer 302 because it lets us count clicks, at the cost of more traffic hitting us. '.repeat(20)}`);
    expect(many.score).toBe(once.score);
  });

  it('a comparison of options that ends in a reasoned pick is a tradeoff, whatever its wording', () => {
    const result = grade(
      'Interviewer: Go.\nCandidate: For the algorithm: fixed window has a 2x boundary burst, sliding log is exact but stores every timestamp which is too much memory, and sliding window keeps two counters per key. I pick token bucket, not sliding window, because it is two numbers per key and allows bursts.',
    );
    expect(result.score!).toBeGreaterThanOrEqual(3.5);
    expect(result.evidence.map((e) => e.quote).join(' ')).toMatch(/I pick token bucket/);
  });
});
