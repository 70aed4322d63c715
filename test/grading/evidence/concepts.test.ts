// Concept coverage and depth: the default analyzer.
import { describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { conceptScore } from '../../../src/grading/evidence/concepts.js';
import { Problem, type LoadedProblem } from '../../../src/schemas/problem.js';
import { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';

const anchors = { 1: 'poor', 2: 'weak', 3: 'fair', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'concepts',
  version: 1,
  description: 'test',
  scale: { min: 1, max: 5 },
  dimensions: [
    {
      id: 'observability',
      name: 'Observability',
      weight: 1,
      description: 'metrics, alerts, SLOs, tracing',
      judge_guidance: 'judge',
      anchors,
      signals: [
        { name: 'metrics', patterns: ['metric*', 'monitor*', 'dashboard*'] },
        { name: 'alerting', patterns: ['alert*', 'paging', 'on-call'] },
        { name: 'SLOs', patterns: ['slo', 'slos', 'error budget*'] },
        { name: 'tracing', patterns: ['tracing', 'distributed trac*'] },
      ],
    },
    {
      id: 'architecture',
      name: 'Architecture',
      weight: 1,
      description: 'components',
      judge_guidance: 'judge',
      anchors,
      signals: [{ name: 'data store', patterns: ['database', 'key-value store'] }],
    },
    { id: 'security', name: 'Security', weight: 1, description: 'no signals here', judge_guidance: 'judge', anchors, modes: ['interview'] },
  ],
  levels: [{ level: 'L4', min_overall: 1 }],
});

const problem: LoadedProblem = {
  ...Problem.parse({
    id: 'url-shortener',
    title: 'URL shortener',
    difficulty: 'medium',
    components: [
      { name: 'cache', synonyms: ['redis', 'memcached'] },
      { name: 'ID generator', synonyms: ['ticket server', 'snowflake'] },
      { name: 'load balancer', synonyms: [] },
    ],
  }),
  statement: 'Design a URL shortener.',
  file: 'url-shortener.md',
};

function grade(text: string, withProblem: LoadedProblem | null = null) {
  return gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem: withProblem }, NO_CEILINGS);
}

describe('concept coverage', () => {
  it('credits covered groups, lists uncovered ones as missing', () => {
    const result = grade('Interviewer: Go.\nCandidate: I would put dashboards on latency. We alert the on-call engineer when p99 passes 200 ms because users notice.').dimensions.observability!;
    expect(result.missing).toEqual(['no SLOs mentioned', 'no tracing mentioned', 'metrics named without specifics (a number, a technology or a reason)']);
    expect(result.notes[0]).toBe('2 of 4 signal groups covered');
    expect(result.evidence[0]).toEqual({
      quote: 'We alert the on-call engineer when p99 passes 200 ms because users notice.',
      turn: 1,
      note: 'alerting, with a number and a reason',
    });
  });

  it('a mention with specifics counts more than a bare mention', () => {
    const bare = grade('Interviewer: Go.\nCandidate: We need metrics, alerts, SLOs and tracing.').dimensions.observability!;
    const deep = grade(
      'Interviewer: Go.\nCandidate: Prometheus metrics per region. We alert when errors pass 1% because that burns the error budget. SLO of 99.9% for redirects. Tracing with OpenTelemetry on the write path.',
    ).dimensions.observability!;
    expect(bare.score).toBe(4);
    expect(deep.score!).toBeGreaterThan(bare.score!);
    expect(deep.score).toBeGreaterThanOrEqual(4.5);
  });

  it('interviewer text earns nothing', () => {
    const result = grade('Interviewer: What about monitoring, alerting, SLOs and tracing?\nCandidate: I would focus on the database.').dimensions.observability!;
    expect(result.score).toBe(1);
    expect(result.evidence).toEqual([]);
  });

  it('a negated mention does not count', () => {
    const result = grade("Interviewer: Go.\nCandidate: We don't need monitoring or alerting for this.").dimensions.observability!;
    expect(result.score).toBe(1);
    expect(result.missing).toContain('metrics mentioned only to rule it out');
  });

  it('quotes are verbatim from candidate turns', () => {
    const text = 'Interviewer: Go.\nCandidate: First, metrics: QPS and p99 per region, on a Grafana dashboard.\nInterviewer: And?\nCandidate: Alerts page the on-call.';
    const transcript = importPlainTranscript(text);
    const result = gradeEvidence({ transcript, rubric, problem: null }, NO_CEILINGS).dimensions.observability!;
    const turns = transcript.events.filter((e) => e.type === 'turn');
    for (const e of result.evidence) {
      const turn = turns[e.turn]!;
      expect(turn.type === 'turn' && turn.role).toBe('candidate');
      expect(turn.type === 'turn' && turn.text.includes(e.quote)).toBe(true);
    }
  });

  it('the documented curve', () => {
    expect(conceptScore(0, 0)).toBe(1);
    expect(conceptScore(1, 0)).toBe(4);
    expect(conceptScore(1, 1)).toBe(5);
    expect(conceptScore(0.5, 0)).toBeCloseTo(2.8, 5);
    expect(conceptScore(0.25, 1)).toBeLessThan(conceptScore(0.5, 0));
  });
});

describe('architecture uses the problem’s expected components', () => {
  it('lists components not covered', () => {
    const result = grade('Interviewer: Go.\nCandidate: A load balancer in front, Redis as a cache and a key-value store behind it.', problem).dimensions.architecture!;
    expect(result.missing).toContain('expected component not covered: ID generator');
    expect(result.notes).toContain('2 of 3 expected components of url-shortener covered');
  });

  it('without a known problem, signals only', () => {
    const result = grade('Interviewer: Go.\nCandidate: A key-value store.', null).dimensions.architecture!;
    expect(result.missing.some((m) => m.includes('component'))).toBe(false);
  });
});

describe('dimensions that do not apply', () => {
  it('a dimension without signals is not scored by the evidence grader', () => {
    const result = grade('Interviewer: Go.\nCandidate: TLS everywhere.').dimensions.security!;
    expect(result.score).toBeNull();
    expect(result.notes[0]).toMatch(/no evidence signals/);
  });

  it('a dimension for interviews only is null in a monologue', () => {
    const result = grade('TLS everywhere, and OAuth for the API.').dimensions.security!;
    expect(result.score).toBeNull();
    expect(result.notes[0]).toMatch(/interview sessions only/);
  });
});
