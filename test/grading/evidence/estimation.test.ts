// Estimation: the candidate's numbers, their own arithmetic re-done, and reference checks.
import { describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { estimationScore } from '../../../src/grading/evidence/estimation.js';
import { arithmeticAgrees } from '../../../src/reading/estimates.js';
import { Problem, type LoadedProblem } from '../../../src/schemas/problem.js';
import { Rubric } from '../../../src/schemas/rubric.js';
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

const problem: LoadedProblem = {
  ...Problem.parse({
    id: 'url-shortener',
    title: 'URL shortener',
    difficulty: 'medium',
    reference_estimates: [
      { id: 'write_qps', label: 'new links per second', value: 1160, unit: 'per_second', arithmetic: '100M/day ÷ 86,400 s ≈ 1,160/s', cues: ['write', 'create', 'new link'] },
      { id: 'read_qps', label: 'redirects per second', value: 116_000, unit: 'per_second', arithmetic: '100 × 1,160/s', cues: ['read', 'redirect'] },
      { id: 'storage', label: 'storage over 5 years', value: 9.1e13, unit: 'bytes', arithmetic: '100M × 365 × 5 × 500 B ≈ 91 TB', cues: ['storage', 'total'] },
    ],
  }),
  statement: 'Design a URL shortener.',
  file: 'url-shortener.md',
};

function grade(text: string, withProblem: LoadedProblem | null = problem) {
  const transcript = importPlainTranscript(text);
  return gradeEvidence({ transcript, rubric, problem: withProblem }, NO_CEILINGS);
}

describe('arithmetic the candidate shows', () => {
  it('re-does "X divided by Y is about Z" and accepts it within ±30%', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: 100M writes a day divided by roughly 100k seconds is about 1,200 writes per second.');
    const row = analysis.estimates.find((r) => r.verdict.startsWith('arithmetic'));
    expect(row).toMatchObject({ verdict: 'arithmetic-ok', turn: 1 });
    expect(row!.detail).toContain('100M ÷ 100k = 1k');
  });

  it('flags a wrong result', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: 100M writes a day divided by 100k seconds is 10,000 writes per second.');
    const row = analysis.estimates.find((r) => r.verdict.startsWith('arithmetic'));
    expect(row).toMatchObject({ verdict: 'arithmetic-error' });
    expect(row!.detail).toMatch(/= 1k; stated 10,000 .*\(10× too high\)/);
    expect(analysis.dimensions.estimation!.missing.some((m) => m.startsWith('arithmetic to redo'))).toBe(true);
  });

  it.each([
    ['100M a day times 365 times 5 years is about 180 billion records.', 'arithmetic-ok'],
    ['180 billion records times 500 bytes is roughly 90 TB.', 'arithmetic-ok'],
    ['180 billion records times 500 bytes is roughly 9 TB.', 'arithmetic-error'],
    ['3,000,000 / 100,000 ≈ 30 per second.', 'arithmetic-ok'],
    ['2M x 3 = 6M.', 'arithmetic-ok'],
    ['7 characters of base62 gives 62^7, about 3.5 trillion codes.', 'arithmetic-ok'],
    ['300M DAU, each opening the feed 10 times a day, is 3 billion feed reads a day.', 'arithmetic-ok'],
    ['That is 3 billion reads a day, about 35k reads per second.', 'arithmetic-ok'],
    ['That is 3 billion reads a day, about 350k reads per second.', 'arithmetic-error'],
    ['Writes are 1.2k per second. Reads are 100x, so 120k per second.', 'arithmetic-ok'],
  ])('%s → %s', (sentence, verdict) => {
    const analysis = grade(`Interviewer: Go.\nCandidate: ${sentence}`, null);
    const rows = analysis.estimates.filter((r) => r.verdict.startsWith('arithmetic'));
    expect(rows.map((r) => r.verdict)).toContain(verdict);
    if (verdict === 'arithmetic-ok') expect(rows.every((r) => r.verdict === 'arithmetic-ok')).toBe(true);
  });

  it('chains on the last result: ", times 500 bytes is roughly 90 TB"', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: 100M a day times 365 times 5 years is about 180 billion records, times 500 bytes is roughly 90 TB.', null);
    const rows = analysis.estimates.filter((r) => r.verdict === 'arithmetic-ok');
    expect(rows.map((r) => r.detail)).toEqual([expect.stringContaining('100M × 365 × 5 = 183B'), expect.stringContaining('180B × 500 bytes = 90 TB')]);
  });

  it('accepts the candidate’s own rounding when hedged, to one significant figure', () => {
    expect(arithmeticAgrees(1.825e11, 2e11, true)).toBe(true);
    expect(arithmeticAgrees(1.45e5, 1e5, true)).toBe(true);
    expect(arithmeticAgrees(1.45e5, 1e5, false)).toBe(false);
    expect(arithmeticAgrees(1000, 1290, false)).toBe(true);
    expect(arithmeticAgrees(1000, 2000, true)).toBe(false);
  });

  it('does not invent arithmetic from unrelated numbers', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: 7 characters of base62 gives plenty of codes. We have 3 regions and 5 services.', null);
    expect(analysis.estimates.filter((r) => r.verdict.startsWith('arithmetic'))).toEqual([]);
  });
});

describe('reference estimates', () => {
  it('matches a number to the reference with a nearby cue and a compatible unit: within 10×', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: So writes come to about 2,000 per second.');
    expect(analysis.estimates.find((r) => r.reference === 'write_qps')).toMatchObject({ verdict: 'within', referenceValue: 1160 });
  });

  it('more than 10× away is off, with the reference arithmetic', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: Reads are about 5M redirects per second.');
    const row = analysis.estimates.find((r) => r.reference === 'read_qps');
    expect(row).toMatchObject({ verdict: 'off' });
    expect(row!.detail).toContain('100 × 1,160/s');
  });

  it('converts per day to per second before comparing', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: We create 100M new links a day.');
    expect(analysis.estimates.find((r) => r.reference === 'write_qps')).toMatchObject({ verdict: 'within', unit: 'per_second' });
  });

  it('compares a 10x scenario after dividing by 10', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: At 10x, writes are 12k per second.');
    expect(analysis.estimates.find((r) => r.reference === 'write_qps')).toMatchObject({ verdict: 'within' });
  });

  it('does not compare a per-item size with a total', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: For storage, assume 500 bytes per record.');
    expect(analysis.estimates.filter((r) => r.reference === 'storage')).toEqual([]);
  });

  it('lists references the candidate never estimated as missing', () => {
    const analysis = grade('Interviewer: Go.\nCandidate: Writes are about 1,200 per second.');
    expect(analysis.dimensions.estimation!.missing).toContain('no estimate of storage over 5 years (reference ≈ 91 TB)');
  });
});

describe('estimation score', () => {
  it('no numbers → 1, with what is missing', () => {
    const result = grade('Interviewer: Go.\nCandidate: I would use a cache and a database.').dimensions.estimation!;
    expect(result.score).toBe(1);
    expect(result.missing[0]).toMatch(/no numbers estimated/);
  });

  it('numbers only in interviewer turns earn nothing', () => {
    const result = grade('Interviewer: We have 100M links a day, 100x reads, 90 TB of storage, 1,200 writes per second.\nCandidate: Okay, I would use a cache.').dimensions.estimation!;
    expect(result.score).toBe(1);
  });

  it('restating the interviewer’s numbers is not credited like deriving new ones', () => {
    const restated = grade('Interviewer: About 100 million new links a day.\nCandidate: So 100M new links a day.').dimensions.estimation!;
    const derived = grade('Interviewer: About 100 million new links a day.\nCandidate: Assume 100M new links a day; divided by 100k seconds that is about 1,000 writes per second.').dimensions.estimation!;
    expect(restated.score!).toBeLessThan(derived.score!);
    expect(restated.missing).toContain("no numbers of the candidate's own: only figures the interviewer gave");
  });

  it('rewards quantities, correct arithmetic, closeness and assumptions', () => {
    const strong = grade(
      [
        'Interviewer: Go.',
        'Candidate: Assume 100M new links a day. 100M writes a day divided by roughly 100k seconds is about 1,000 writes per second.',
        'Reads are 100x, so 100k redirects per second.',
        'Storage: assume 500 bytes per record, 100M a day times 365 times 5 years is about 180 billion records, times 500 bytes is roughly 90 TB.',
      ].join('\n'),
    ).dimensions.estimation!;
    const weak = grade('Interviewer: Go.\nCandidate: Maybe 10 writes per second, and 100M writes a day divided by 100k seconds is 50 per second.').dimensions.estimation!;
    expect(strong.score).toBeGreaterThanOrEqual(4.5);
    expect(weak.score!).toBeLessThan(3);
    expect(strong.evidence.length).toBeGreaterThan(0);
    expect(strong.evidence.some((e) => e.note?.startsWith('arithmetic checks out'))).toBe(true);
  });

  it('without a known problem says so and still scores', () => {
    const result = grade('Interviewer: Go.\nCandidate: About 1,200 writes per second and 90 TB over five years.', null).dimensions.estimation!;
    expect(result.notes).toContain('problem unknown: numbers are not compared with reference estimates');
    expect(result.score).toBeGreaterThan(1);
  });

  it('the documented curve', () => {
    const base = { distinct: 0, kinds: 0, arithmeticOk: 0, arithmeticErrors: 0, referencesKnown: 0, within: 0, off: 0, referencesHit: 0, assumptions: 0 };
    expect(estimationScore(base)).toBe(1);
    expect(estimationScore({ ...base, distinct: 5, kinds: 2, arithmeticOk: 2, assumptions: 2 })).toBe(5);
    expect(estimationScore({ ...base, distinct: 5, kinds: 2, arithmeticOk: 2, assumptions: 2, referencesKnown: 2, within: 2, referencesHit: 2 })).toBe(5);
    expect(estimationScore({ ...base, distinct: 5, kinds: 2, arithmeticOk: 1, arithmeticErrors: 1, assumptions: 2 })).toBeLessThan(5);
  });
});

describe('rows are built only when kept', () => {
  it('keeps the first 40 rows in turn order, and evidence and missing lines quote the same rows', () => {
    const turns: string[] = [];
    for (let i = 0; i < 30; i++) {
      turns.push('Interviewer: And then?');
      turns.push(
        i % 2 === 0
          ? `Candidate: 100M writes a day divided by 100k seconds is about ${1000 + i} writes per second, and storage is about ${90 + i} TB total.`
          : `Candidate: 300M writes a day divided by 100k seconds is ${50_000 + i} writes per second.`,
      );
    }
    const analysis = grade(turns.join('\n'));
    expect(analysis.estimates).toHaveLength(40);
    const order = analysis.estimates.map((r) => r.turn);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const dimension = analysis.dimensions.estimation!;
    for (const e of dimension.evidence) {
      const note = e.note ?? '';
      const detail = note.replace(/^[^:]*: /, '');
      if (note.startsWith('arithmetic') || note.startsWith('close')) {
        expect(analysis.estimates.some((r) => r.turn === e.turn && r.quote === e.quote && r.detail === detail)).toBe(true);
      }
    }
    const redo = dimension.missing.filter((m) => m.startsWith('arithmetic to redo'));
    expect(redo).toHaveLength(2);
    for (const m of redo) expect(analysis.estimates.some((r) => r.verdict === 'arithmetic-error' && m.endsWith(r.detail))).toBe(true);
  });
});
