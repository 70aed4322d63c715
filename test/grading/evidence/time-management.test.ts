// Time per phase against the budget, with and without timestamps.
import { describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { Rubric } from '../../../src/schemas/rubric.js';
import type { Phase } from '../../../src/schemas/transcript.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { parseTranscript } from '../../../src/storage/transcript-store.js';

const anchors = { 1: 'poor', 2: 'weak', 3: 'fair', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'time only',
  version: 1,
  description: 'test',
  scale: { min: 1, max: 5 },
  dimensions: [{ id: 'time_management', name: 'Time management', weight: 1, description: 'time', judge_guidance: 'judge', anchors }],
  levels: [{ level: 'L4', min_overall: 1 }],
});

const MIN = 60_000;

/** A recorded session: [minute, phase] marks, a candidate turn at each, an end event. */
function recorded(marks: [number, Phase][], end: number, options: { minutes?: number; phaseEvents?: boolean } = {}) {
  const lines: object[] = [
    {
      type: 'meta',
      schemaVersion: 1,
      id: 'timed',
      problem: null,
      mode: 'interview',
      provider: 'builtin',
      model: null,
      rubric: null,
      levelTarget: null,
      started: '2026-01-01T00:00:00Z',
      ...(options.minutes ? { minutes: options.minutes } : {}),
    },
  ];
  for (const [minute, phase] of marks) {
    if (options.phaseEvents !== false) lines.push({ type: 'phase', phase, elapsedMs: minute * MIN });
    lines.push({ type: 'turn', role: 'interviewer', text: `Now the ${phase}.`, elapsedMs: minute * MIN, phase });
    lines.push({ type: 'turn', role: 'candidate', text: `Here is my ${phase} part of the design. I walk through the components, the data each one holds, how requests flow between them and what fails first under load.`, elapsedMs: minute * MIN + 30_000, phase });
  }
  lines.push({ type: 'end', reason: 'completed', elapsedMs: end * MIN });
  return parseTranscript(lines.map((l) => JSON.stringify(l)).join('\n'), null);
}

const GOOD: [number, Phase][] = [
  [0, 'clarify'],
  [5, 'estimate'],
  [10, 'high-level'],
  [20, 'deep-dive'],
  [39, 'wrap-up'],
];

describe('with timestamps', () => {
  it('a 45-minute session on budget scores 5, every phase ok', () => {
    const analysis = gradeEvidence({ transcript: recorded(GOOD, 45, { minutes: 45 }), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.time).toEqual({
      estimated: false,
      totalMinutes: 45,
      phases: [
        { phase: 'clarify', minutes: 5, budgetMinutes: 5, verdict: 'ok' },
        { phase: 'estimate', minutes: 5, budgetMinutes: 5, verdict: 'ok' },
        { phase: 'high-level', minutes: 10, budgetMinutes: 10, verdict: 'ok' },
        { phase: 'deep-dive', minutes: 19, budgetMinutes: 17.5, verdict: 'ok' },
        { phase: 'wrap-up', minutes: 6, budgetMinutes: 5, verdict: 'ok' },
      ],
    });
    const result = analysis.dimensions.time_management!;
    expect(result.score).toBe(5);
    expect(result.notes).toContain('phases recorded, corrected by what the candidate was doing; budget scaled to the planned 45 minutes');
    expect(result.evidence.map((e) => e.note)).toContain('high-level from minute 10.5: 10 min against ~10 (ok)');
    expect(analysis.flags).toEqual([]);
  });

  it('too long clarifying and no wrap-up lower the score and say so', () => {
    const marks: [number, Phase][] = [
      [0, 'clarify'],
      [15, 'estimate'],
      [20, 'high-level'],
      [30, 'deep-dive'],
    ];
    const result = gradeEvidence({ transcript: recorded(marks, 45, { minutes: 45 }), rubric, problem: null }, NO_CEILINGS).dimensions.time_management!;
    expect(result.score!).toBeLessThan(4);
    expect(result.missing).toEqual(['clarifying requirements long: 15 of ~5 min', 'no time on the wrap-up (budget ~5 min)']);
  });

  it('uses the turns’ phase fields when there are no phase events', () => {
    const analysis = gradeEvidence({ transcript: recorded(GOOD, 45, { minutes: 45, phaseEvents: false }), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.time.phases.map((p) => p.minutes)).toEqual([5, 5, 10, 19, 6]);
    expect(analysis.dimensions.time_management!.notes).toContain('phases recorded, corrected by what the candidate was doing; budget scaled to the planned 45 minutes');
  });

  it('scales the budget to the planned minutes', () => {
    const half: [number, Phase][] = GOOD.map(([m, p]) => [m / 2, p]);
    const analysis = gradeEvidence({ transcript: recorded(half, 22.5, { minutes: 22.5 }), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.time.phases.map((p) => p.budgetMinutes)).toEqual([2.5, 2.5, 5, 8.8, 2.5]);
    expect(analysis.dimensions.time_management!.score).toBe(5);
  });

  it('running well over the planned time costs, when the candidate is the one still talking', () => {
    const late: [number, Phase][] = [...GOOD.slice(0, 4), [55, 'wrap-up']];
    const result = gradeEvidence({ transcript: recorded(late, 60, { minutes: 45 }), rubric, problem: null }, NO_CEILINGS).dimensions.time_management!;
    expect(result.missing.join(' ')).toMatch(/ran over: 55\.\d of 45 planned minutes/);
  });

  it("waiting after time-up is not the candidate's: it is neither a long wrap-up nor running over", () => {
    const analysis = gradeEvidence({ transcript: recorded(GOOD, 60, { minutes: 45 }), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.time.totalMinutes).toBe(45);
    expect(analysis.time.phases.find((p) => p.phase === 'wrap-up')).toMatchObject({ minutes: 6, verdict: 'ok' });
    expect(analysis.dimensions.time_management!.score).toBe(5);
  });

  it('an estimate turn the tool logged as clarify is time on estimation', () => {
    const lines = [
      { type: 'meta', schemaVersion: 1, id: 'late-phase', problem: null, mode: 'interview', provider: 'builtin', model: null, rubric: null, levelTarget: null, started: '2026-01-01T00:00:00Z', minutes: 45 },
      { type: 'phase', phase: 'clarify', elapsedMs: 0 },
      { type: 'turn', role: 'candidate', text: 'Do we need custom aliases? How many users are there?', elapsedMs: 30_000, phase: 'clarify' },
      { type: 'turn', role: 'candidate', text: 'So 100 million links a day is about 1,160 writes per second, 116,000 reads per second at 100 to 1, and 500 bytes each is 50 GB a day of storage.', elapsedMs: 3 * MIN, phase: 'clarify' },
      { type: 'phase', phase: 'high-level', elapsedMs: 8 * MIN },
      { type: 'turn', role: 'candidate', text: 'High level: a load balancer, stateless API services, a key-value store and a cache in front of it.', elapsedMs: 8 * MIN, phase: 'high-level' },
      { type: 'end', reason: 'completed', elapsedMs: 12 * MIN },
    ];
    const analysis = gradeEvidence({ transcript: parseTranscript(lines.map((l) => JSON.stringify(l)).join('\n'), null), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.time.phases.find((p) => p.phase === 'estimate')!.minutes).toBeGreaterThanOrEqual(4);
    expect(analysis.dimensions.time_management!.missing.join(' ')).not.toMatch(/no time on estimation/);
  });
});

describe('without timestamps (imported text)', () => {
  const text = [
    'Interviewer: Design a URL shortener.',
    'Candidate: Let me clarify the requirements first. Do we need custom aliases? How many users?',
    'Interviewer: 100M links a day.',
    'Candidate: Estimation: 100M a day is about 1,200 writes per second, and 500 bytes each gives 18 TB a year of storage.',
    'Candidate: High level: a load balancer, stateless API services, a database and a cache in front of it.',
    'Candidate: Deep dive on failure: if a replica dies we fail over; shard by key to avoid a hot partition, and monitor replication lag.',
    'Candidate: To summarise, the design is a cache in front of a sharded store, and next steps are analytics.',
  ].join('\n');

  it('infers phases from content and says the timing is estimated', () => {
    const analysis = gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.time.estimated).toBe(true);
    expect(analysis.time.phases.every((p) => p.minutes > 0)).toBe(true);
    expect(analysis.flags).toEqual([expect.objectContaining({ kind: 'timing-estimated' })]);
    const result = analysis.dimensions.time_management!;
    expect(result.notes[0]).toMatch(/timing estimated from word counts/);
    expect(result.notes[1]).toMatch(/^phases inferred from content; budget scaled to the transcript's [\d.]+ minutes$/);
    expect(result.evidence.map((e) => e.note?.split(' ')[0])).toEqual(['clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up']);
  });

  it('a transcript that never reaches a deep dive or wrap-up is marked short there', () => {
    const analysis = gradeEvidence({
      transcript: importPlainTranscript('Interviewer: Go.\nCandidate: What are the requirements? How many users?\nInterviewer: 10M.\nCandidate: Okay, a database and a cache behind an API service.'),
      rubric,
      problem: null,
    }, NO_CEILINGS);
    const byPhase = Object.fromEntries(analysis.time.phases.map((p) => [p.phase, p.verdict]));
    expect(byPhase['deep-dive']).toBe('short');
    expect(byPhase['wrap-up']).toBe('short');
    expect(analysis.dimensions.time_management!.score!).toBeLessThan(4);
  });
});

describe('time is the candidate\'s only when they used it', () => {
  it('a candidate who only says "yes" while the tool moves through the phases gets no credit for time', async () => {
    const { importPlainTranscript } = await import('../../../src/storage/plain-transcript.js');
    const { gradeEvidence } = await import('../../../src/grading/evidence-grader.js');
    const { loadRubric } = await import('../../../src/content/rubric-loader.js');
    const { resolvePaths } = await import('../../../src/storage/paths.js');
    const rubric = await loadRubric('default', resolvePaths({ SDCOACH_HOME: '/dev/null/time' }));
    const text = [
      'Interviewer: Would you shard the store by code with consistent hashing, replicate three ways, and alert on p99 latency?',
      'Candidate: Yes.',
      'Interviewer: And a Redis cache in front, with a CDN for hot links, and idempotency keys on create?',
      'Candidate: Right, yes.',
    ].join('\n');
    const result = gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem: null }, NO_CEILINGS).dimensions.time_management!;
    expect(result.score!).toBeLessThanOrEqual(1.5);
  });
});
