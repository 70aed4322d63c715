// Issue 12, estimation: bytes vs billions, per second vs per day, per key / per user vs fleet
// totals, and wrong estimates (an arithmetic error, a figure 10x or more off) pulling the score
// down and out of "what went well".
import { describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { estimationScore, wrongEstimateCap } from '../../../src/grading/evidence/estimation.js';
import { buildReport } from '../../../src/grading/report.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { Rubric } from '../../../src/schemas/rubric.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';

const anchors = { 1: 'poor', 2: 'weak', 3: 'fair', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'estimation only',
  version: 1,
  description: 'test',
  scale: { min: 1, max: 5 },
  dimensions: [{ id: 'estimation', name: 'Estimation', weight: 1, description: 'numbers', judge_guidance: 'judge', anchors }],
  levels: [{ level: 'L4', min_overall: 1 }],
});

const paths = resolvePaths({ SDCOACH_HOME: '/nonexistent/sdcoach-home' });
const problems = new Map<string, LoadedProblem>();
for (const id of ['url-shortener', 'rate-limiter', 'llm-chat', 'payments', 'news-feed', 'web-crawler', 'distributed-cache']) problems.set(id, await loadProblem(id, paths));

function grade(candidate: string | string[], problemId: string | null = null) {
  const turns = (Array.isArray(candidate) ? candidate : [candidate]).flatMap((c) => ['Interviewer: Go on.', `Candidate: ${c}`]);
  const transcript = importPlainTranscript(turns.join('\n'));
  const input = { transcript, rubric, problem: problemId ? problems.get(problemId)! : null };
  const analysis = gradeEvidence(input, NO_CEILINGS);
  const report = buildReport(input, analysis, { file: null, grader: 'evidence', model: null, gradedAt: '' });
  return { analysis, report, estimation: analysis.dimensions.estimation!, text: turns.join('\n') };
}

const arithmetic = <R extends { verdict: string }>(rows: R[]): R[] => rows.filter((r) => r.verdict.startsWith('arithmetic'));

describe('bytes and billions in the arithmetic', () => {
  it.each([
    ['20M × 500B ≈ 10 GB.', '20M × 500 bytes = 10 GB'],
    ['20M × 500 B = 10 GB.', '20M × 500 bytes = 10 GB'],
    ['20M users times 500B is about 10 GB.', '20M × 500 bytes = 10 GB'],
    ['1 KB × 1B = 1 TB.', '1 KB × 1B = 1 TB'],
  ])('%s checks out', (sentence, expression) => {
    const rows = arithmetic(grade(sentence).analysis.estimates);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ verdict: 'arithmetic-ok' });
    expect(rows[0]!.detail).toContain(expression);
  });

  it('a wrong product is reported in bytes, never as "10000000T"', () => {
    const rows = arithmetic(grade('20M × 500B ≈ 100 GB.').analysis.estimates);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.verdict).toBe('arithmetic-error');
    expect(rows[0]!.detail).toContain('20M × 500 bytes = 10 GB; stated 100 GB');
  });

  it('billions stay billions for counts', () => {
    const rows = arithmetic(grade('We get 3B requests a day, about 35k per second.').analysis.estimates);
    expect(rows.map((r) => r.verdict)).toEqual(['arithmetic-ok']);
  });
});

describe('per second and per day', () => {
  it.each([
    ['300M/day ≈ 3,500/s.', 'arithmetic-ok'],
    ['300M/day ≈ 35,000/s.', 'arithmetic-error'],
    ['That is 300M messages a day, which is about 3,500 per second.', 'arithmetic-ok'],
    ['That is 300M messages a day, which is about 35,000 per second.', 'arithmetic-error'],
    ['300M messages a day is about 35,000 messages per second.', 'arithmetic-error'],
  ])('%s → %s', (sentence, verdict) => {
    expect(arithmetic(grade(sentence).analysis.estimates).map((r) => r.verdict)).toEqual([verdict]);
  });

  it('35,000 per second from 300M a day is 10x off the message rate', () => {
    const { analysis } = grade('300M messages a day is about 35,000 messages per second.', 'llm-chat');
    const off = analysis.estimates.filter((r) => r.verdict === 'off');
    expect(off.map((r) => r.reference)).toEqual(['message_rate']);
    expect(off[0]!.quote).toContain('35,000 messages per second');
  });

  it('storage per year is compared with a per-day reference per day: "5 TB/yr" is 1/66 of 900 GB a day', () => {
    const { analysis } = grade('Conversation storage grows about 5 TB/yr.', 'llm-chat');
    const row = analysis.estimates.find((r) => r.reference === 'history_storage_per_day');
    expect(row).toMatchObject({ verdict: 'off' });
    expect(row!.detail).toContain('5 TB/yr ≈ 14 GB');
    const right = grade('Conversation storage grows about 330 TB/yr.', 'llm-chat').analysis.estimates.find((r) => r.reference === 'history_storage_per_day');
    expect(right).toMatchObject({ verdict: 'within' });
  });

  it('storage per year is compared with a five-year reference over five years', () => {
    const { analysis } = grade('Link storage grows about 18 TB/yr.', 'url-shortener');
    const row = analysis.estimates.find((r) => r.reference === 'storage_5y' || r.referenceValue === 9.1e13);
    expect(row).toMatchObject({ verdict: 'within' });
    expect(row!.detail).toContain('90 TB');
  });

  it('a total for another period is scaled to the reference period ("keep 90 days hot, 3.6 TB")', () => {
    const { analysis } = grade('So I keep 90 days of history, about 81 TB of storage.', 'llm-chat');
    const row = analysis.estimates.find((r) => r.reference === 'history_storage_per_day');
    expect(row).toMatchObject({ verdict: 'within' });
  });

  it('"2 ms p99" is a latency, never compared with a rate', () => {
    const { analysis } = grade('Routing a message takes 2 ms p99, and we have 3,500 messages per second.', 'llm-chat');
    const compared = analysis.estimates.filter((r) => r.reference !== null);
    expect(compared.map((r) => [r.reference, r.verdict])).toEqual([['message_rate', 'within']]);
    expect(compared[0]!.quote).toContain('3,500 messages per second');
  });

  it('"1 KB × 1B = 1 TB": the 1 KB size per item is not compared with a storage total', () => {
    const { analysis } = grade('Storage is 1 KB × 1B = 1 TB a day.', 'llm-chat');
    expect(analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
    expect(analysis.estimates.find((r) => r.reference === 'history_storage_per_day')).toMatchObject({ verdict: 'within', value: 1e12 });
  });
});

describe('what a figure is compared with', () => {
  it('a size per item that is a factor of the stated total is not compared; the total is, with the topic named before it', () => {
    const { analysis } = grade('Idempotency keys: 10 million times 1 KB is 10 GB for a 24-hour window.', 'payments');
    expect(analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
    expect(analysis.estimates.find((r) => r.reference === 'idempotency_keys')).toMatchObject({ verdict: 'within', value: 1e10 });
  });

  it('a peak figure against an average reference may be up to 10x more again; 100x more is still off', () => {
    const peak = grade('With retries, I would size the dispatcher for about 5,000 deliveries a second at peak.', 'payments').analysis.estimates;
    expect(peak.find((r) => r.reference === 'webhook_rate')).toMatchObject({ verdict: 'within' });
    expect(peak.find((r) => r.reference === 'webhook_rate')!.detail).toContain('a peak figure');
    const average = grade('On average we send about 5,000 deliveries a second.', 'payments').analysis.estimates;
    expect(average.find((r) => r.reference === 'webhook_rate')).toMatchObject({ verdict: 'off' });
    const far = grade('I would size the dispatcher for about 50,000 deliveries a second at peak.', 'payments').analysis.estimates;
    expect(far.find((r) => r.reference === 'webhook_rate')).toMatchObject({ verdict: 'off' });
  });

  it('a wrong result that is also off its reference is one mistake, not two', () => {
    const one = grade('So a full 128k context is 128,000 times 320 KB, which is about 4 GB.', 'llm-chat').estimation;
    expect(one.missing.filter((m) => m.startsWith('arithmetic to redo'))).toHaveLength(1);
    expect(one.missing.some((m) => m.startsWith('estimate off by more than 10×: 4 GB'))).toBe(true);
    expect(one.notes.join(' ')).toContain('1 wrong');
  });
});

// Found grading the calibration corpus: figures that are other quantities must not count as wrong estimates.
describe('another quantity is not a wrong estimate', () => {
  const wrongLines = (missing: string[]) => missing.filter((m) => m.startsWith('arithmetic to redo') || m.startsWith('estimate off by more than 10×'));

  it.each([
    ['rate-limiter', 'If every decision went to a central store: a Redis primary does roughly 100,000 ops a second, so 2 million a second is 20 primaries.'],
    ['news-feed', 'Feed memory is roughly 1.9 TB per region, about 30 servers of 64 GB plus replicas.'],
    ['distributed-cache', 'With servers of about 200 GB usable memory that is 55 servers for one copy.'],
    ['llm-chat', 'Replicas of 8 H100s, each sustaining about 5,000 output tokens a second with continuous batching.'],
    ['web-crawler', '20 billion URLs at 100 bytes is 2 TB, too big for memory, so I would use a Bloom filter.'],
    ['rate-limiter', 'State: 50 million keys at about 100 bytes is 5 GB total.'],
  ])('%s: %s (a figure per machine or per item)', (problem, sentence) => {
    const { analysis } = grade(sentence, problem);
    expect(analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
  });

  it('the total of "N at S bytes is T" is what is compared', () => {
    const { analysis } = grade('20 billion URLs at 100 bytes is 2 TB, too big for memory, so I would use a Bloom filter.', 'web-crawler');
    expect(analysis.estimates.find((r) => r.reference === 'frontier_size')).toMatchObject({ verdict: 'within', value: 2e12 });
  });

  it.each([
    ['Storage: about 4 KB per payment is 40 GB a day, about 14.6 TB a year and 102 TB over 7 years, so 90 days hot and older partitions archived.', '102 TB ÷ 7 years is no number of days'],
    ['Per region, with a 60/40 US/EU split, the US peak is about 700 a second.', '60/40 is a split, not a division'],
    ['Fees, 2.9% plus 30 cents, are about $14 million a day.', 'a share plus cents is no sum of payments'],
  ])('no arithmetic is read into "%s" (%s)', (sentence) => {
    expect(arithmetic(grade(sentence, 'payments').analysis.estimates)).toEqual([]);
  });

  it('an off figure for a reference the candidate gets right elsewhere is another quantity (cache misses among "reads")', () => {
    const { analysis, estimation } = grade(
      ['Redirects are about 116,000 a second on average.', 'At a 98% hit ratio the database sees about 2,300 reads a second.'],
      'url-shortener',
    );
    expect(analysis.estimates.some((r) => r.verdict === 'off')).toBe(true);
    expect(wrongLines(estimation.missing)).toEqual([]);
  });

  it('…also when the figure got right restates the interviewer', () => {
    const transcript = importPlainTranscript(
      [
        'Interviewer: We see about 2 million requests a second at peak.',
        'Candidate: So 2 million requests a second at peak. If free keys consumed even 1% of that, that is 20,000 requests a second of origin capacity.',
      ].join('\n'),
    );
    const analysis = gradeEvidence({ transcript, rubric, problem: problems.get('rate-limiter')! }, NO_CEILINGS);
    expect(analysis.estimates.some((r) => r.verdict === 'off')).toBe(true);
    expect(wrongLines(analysis.dimensions.estimation!.missing)).toEqual([]);
  });

  it('a figure 10,000x or more away is another quantity, not an estimate of the reference', () => {
    const { analysis, estimation } = grade('Storage: each record, say 500 bytes with the URL and some metadata.', 'url-shortener');
    expect(analysis.estimates.some((r) => r.verdict === 'off')).toBe(true);
    expect(wrongLines(estimation.missing)).toEqual([]);
  });

  it('an increment ("a few thousand extra reads per second") is not an estimate of the total', () => {
    // It was reported as "off by more than 10×" against the redirect rate.
    const { analysis } = grade('On a cold restart we coalesce misses per key and the CDN serves the hot links, so the store sees at most a few thousand extra reads per second for a minute.', 'url-shortener');
    expect(analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
    const another = grade('Replication adds another 40 GB a day of storage.', 'url-shortener');
    expect(another.analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
  });

  it('a unit word as a cue ("GB") belongs to the figure written with it, not to a size next to it', () => {
    const { analysis } = grade('Storage, maybe a few KB per payment, so say 2 KB, 20 GB a day.', 'payments');
    expect(analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
    expect(analysis.estimates.find((r) => r.reference === 'storage_per_day')).toMatchObject({ verdict: 'within', value: 2e10 });
  });
});

describe('per key and per user figures are not compared with fleet totals', () => {
  it.each([
    'Memory is 100 bytes per key, and 5 GB for all keys.',
    'Each key needs about 100 bytes of counter memory; across 50M keys that is 5 GB.',
    'Idempotency aside, counters: 50M keys times 100 bytes is 5 GB of memory.',
  ])('rate limiter: %s', (sentence) => {
    const { analysis } = grade(sentence, 'rate-limiter');
    expect(analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
    expect(analysis.estimates.find((r) => r.reference === 'counter_memory')).toMatchObject({ verdict: 'within', value: 5e9 });
  });

  it.each([
    'Users make 10 requests a second each.',
    'A user makes about 10 requests per second.',
    'The average user makes 10 checks per second.',
    'Peak checks are 100 per user per second.',
  ])('rate limiter, per user: %s', (sentence) => {
    expect(grade(sentence, 'rate-limiter').analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
  });

  it.each([
    'Each user sends 15 messages a day.',
    'Users send about 15 messages a day each.',
    'A typical user sends 15 messages per day.',
    'That is 15 messages a day per user.',
    'Users send 15 messages a day on average.',
  ])('LLM chat, per user: %s', (sentence) => {
    expect(grade(sentence, 'llm-chat').analysis.estimates.filter((r) => r.verdict === 'off')).toEqual([]);
  });

  it('"each of the 20M users sends 15 messages a day, so 300M messages a day": only the fleet total is compared', () => {
    const { analysis } = grade('Each of the 20M users sends 15 messages a day, so 300M messages a day.', 'llm-chat');
    const compared = analysis.estimates.filter((r) => r.reference !== null);
    expect(compared.map((r) => [r.reference, r.verdict])).toEqual([['message_rate', 'within']]);
  });

  it('fleet totals are still compared, and still off when they are', () => {
    expect(grade('Our 20M users send 300M messages a day.', 'llm-chat').analysis.estimates.find((r) => r.reference === 'message_rate')).toMatchObject({ verdict: 'within' });
    expect(grade('Users send 30 billion messages a day.', 'llm-chat').analysis.estimates.find((r) => r.reference === 'message_rate')).toMatchObject({ verdict: 'off' });
  });
});

describe('a wrong estimate pulls the score down and is never "what went well"', () => {
  const storage = 'Storage: assume 500 bytes per record, 100M a day times 365 times 5 years is about 180 billion records, times 500 bytes is roughly 90 TB.';
  const right = [
    'Assume 100M new links a day. 100M writes a day divided by roughly 100k seconds is about 1,000 writes per second.',
    'Reads are 100x, so 100k redirects per second.',
    storage,
  ];

  it('control: the same estimate done right scores high and is listed under what went well', () => {
    const { estimation, report } = grade(right, 'url-shortener');
    expect(estimation.score).toBeGreaterThanOrEqual(4.5);
    expect(report.strengths.some((s) => s.startsWith('Estimation'))).toBe(true);
  });

  it('a 10x arithmetic error in the main traffic estimate: ≤ 3, under what to expand with the arithmetic to redo', () => {
    const { estimation, report } = grade(
      [
        'Assume 100M new links a day. 100M writes a day divided by roughly 100k seconds is about 10,000 writes per second.',
        'Reads are 100x, so 1M redirects per second.',
        storage,
      ],
      'url-shortener',
    );
    expect(estimation.score!).toBeLessThanOrEqual(3);
    expect(estimation.missing.some((m) => m.startsWith('arithmetic to redo: 100M ÷ 100k = 1k'))).toBe(true);
    expect(report.strengths.some((s) => s.startsWith('Estimation'))).toBe(false);
    expect(report.toExpand.find((s) => s.startsWith('Estimation'))).toContain('arithmetic to redo');
  });

  it('consistent arithmetic from a traffic assumption 20x off the reference: ≤ 3, named under what to expand', () => {
    const { estimation, report } = grade(
      [
        'Assume 2B new links a day. 2B writes a day divided by roughly 100k seconds is about 20,000 writes per second.',
        'Reads are 100x, so 2M redirects per second.',
        'Storage: assume 500 bytes per record, 2B a day times 365 times 5 years is about 3.6 trillion records, times 500 bytes is roughly 1.8 PB.',
      ],
      'url-shortener',
    );
    expect(estimation.score!).toBeLessThanOrEqual(3);
    expect(report.strengths.some((s) => s.startsWith('Estimation'))).toBe(false);
    expect(report.toExpand.find((s) => s.startsWith('Estimation'))).toContain('estimate off by more than 10×');
  });

  it('a confident estimate 1000x off scores ≤ 2', () => {
    const { estimation, report } = grade(
      [
        'Assume 100 billion new links a day. 100 billion writes a day divided by roughly 100k seconds is about 1M writes per second.',
        'Reads are 100x, so 100M redirects per second.',
        'Storage: assume 500 bytes per record, 100 billion a day times 365 times 5 years is about 180 trillion records, times 500 bytes is roughly 90 PB.',
      ],
      'url-shortener',
    );
    expect(estimation.score!).toBeLessThanOrEqual(2);
    expect(report.strengths.some((s) => s.startsWith('Estimation'))).toBe(false);
    expect(report.toExpand.some((s) => s.startsWith('Estimation'))).toBe(true);
  });

  it('an error the candidate redoes correctly later is not held against them', () => {
    const { estimation, report } = grade(
      [
        'Assume 100M new links a day. 100M writes a day divided by roughly 100k seconds is about 10,000 writes per second.',
        'Sorry, let me redo that: 100M writes a day divided by roughly 100k seconds is about 1,000 writes per second.',
        'Reads are 100x, so 100k redirects per second.',
        storage,
      ],
      'url-shortener',
    );
    expect(estimation.score!).toBeGreaterThanOrEqual(4.5);
    expect(estimation.missing.some((m) => m.startsWith('arithmetic to redo'))).toBe(false);
    expect(report.strengths.some((s) => s.startsWith('Estimation'))).toBe(true);
  });

  it('the cap: 3 for one wrong estimate, half a point less per order of magnitude beyond 10x, 0.2 less per further one', () => {
    expect(wrongEstimateCap([])).toBe(5);
    expect(wrongEstimateCap([0.2])).toBe(3);
    expect(wrongEstimateCap([1])).toBe(3);
    expect(wrongEstimateCap([2])).toBe(2.5);
    expect(wrongEstimateCap([3])).toBe(2);
    expect(wrongEstimateCap([9])).toBe(1.5);
    expect(wrongEstimateCap([1, 1])).toBeCloseTo(2.8);
    expect(wrongEstimateCap([1, 1, 1, 1, 1, 1])).toBeCloseTo(2.4);
    const base = { distinct: 5, kinds: 2, arithmeticOk: 2, arithmeticErrors: 0, referencesKnown: 0, within: 0, off: 0, referencesHit: 0, assumptions: 2 };
    expect(estimationScore(base)).toBe(5);
    expect(estimationScore({ ...base, wrong: [1] })).toBe(3);
    expect(estimationScore({ ...base, wrong: [3] })).toBe(2);
  });

  it('quotes stay verbatim', () => {
    const { analysis, text } = grade(['300M messages a day is about 35,000 messages per second.', 'Storage: 20M × 500B ≈ 10 GB.'], 'llm-chat');
    for (const row of analysis.estimates) expect(text).toContain(row.quote);
    for (const e of analysis.dimensions.estimation!.evidence) expect(text).toContain(e.quote);
  });
});

describe('a size times a daily count stated per second', () => {
  it('is an arithmetic error by the factor of a day, said as a factor; stated per day it is right', () => {
    const perSecond = grade('100M writes a day is about 1.2k writes per second, and storage is 500 bytes each so 50 GB per second.', 'url-shortener');
    const wrong = perSecond.analysis.estimates.find((e) => e.verdict === 'arithmetic-error');
    expect(wrong?.detail).toBe('500 bytes × 100M/day ÷ 86,400 s = 580 KB/s; stated 50 GB per second (86k× too high)');
    const perDay = grade('100M writes a day is about 1.2k writes per second, and storage is 500 bytes each so 50 GB per day.', 'url-shortener');
    expect(arithmetic(perDay.analysis.estimates).map((e) => e.verdict)).not.toContain('arithmetic-error');
  });
});

describe('a product with the wrong unit prefix', () => {
  it('is an arithmetic error by a power of 1,000; with the right prefix it is right', () => {
    // Both used to pass unchecked: the product did not agree, so nothing was said about it.
    const ingest = grade('10k writes per second at 1 KB each is 10 GB per second of ingest.', 'url-shortener');
    expect(ingest.analysis.estimates.find((e) => e.verdict === 'arithmetic-error')?.detail).toBe('1 KB × 10k/s = 10 MB/s; stated 10 GB per second (1k× too high)');
    const storage = grade('5 billion links at 500 bytes each is 2.5 GB.', 'url-shortener');
    expect(storage.analysis.estimates.find((e) => e.verdict === 'arithmetic-error')?.detail).toBe('500 bytes × 5B = 2.5 TB; stated 2.5 GB (1k× too low)');
    for (const text of ['10k writes per second at 1 KB each is 10 MB per second of ingest.', '5 billion links at 500 bytes each is 2.5 TB.']) {
      expect(arithmetic(grade(text, 'url-shortener').analysis.estimates).map((e) => e.verdict), text).not.toContain('arithmetic-error');
    }
    // A factor of 1,000 the candidate multiplied by is not a slip (found in review).
    expect(arithmetic(grade('1 KB per key times 1 million keys is 1 GB per shard, so 1 TB across 1,000 shards.', 'url-shortener').analysis.estimates).map((e) => e.verdict)).not.toContain('arithmetic-error');
    // A figure beside the product, not equated with it, is not its result.
    expect(arithmetic(grade('1 KB each, 1k writes per second, and 1 GB per second of reads.', 'url-shortener').analysis.estimates).map((e) => e.verdict)).not.toContain('arithmetic-error');
  });
});

