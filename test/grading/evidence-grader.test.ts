// The evidence grader end to end on the shipped example sessions, with a small rubric built
// in code (the default rubric file has its own tests): ordering, labels, verbatim quotes,
// determinism and the report shapes it fills.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYZERS, gradeEvidence } from '../../src/grading/evidence-grader.js';
import type { Analysis } from '../../src/grading/types.js';
import { EstimateRow, Evidence, Flag, PushbackRow, TimeReport } from '../../src/schemas/report.js';
import { Rubric, type RubricInput } from '../../src/schemas/rubric.js';
import type { Transcript } from '../../src/schemas/transcript.js';
import { loadTranscript } from '../../src/storage/load-transcript.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';

const sessions = path.resolve(import.meta.dirname, '../../sessions');
const anchors = { 1: 'poor', 2: 'weak', 3: 'fair', 4: 'good', 5: 'excellent' };

function dimension(id: string, signals: Record<string, string[]> = {}, modes?: ('interview' | 'monologue')[]) {
  return {
    id,
    name: id.replace(/_/g, ' '),
    weight: 1,
    description: id,
    judge_guidance: 'judge',
    anchors,
    signals: Object.entries(signals).map(([name, patterns]) => ({ name, patterns })),
    ...(modes ? { modes } : {}),
  };
}

const rubricInput: RubricInput = {
  name: 'test-default',
  version: 1,
  description: 'the default dimension ids with a few signals each',
  scale: { min: 1, max: 5 },
  dimensions: [
    dimension('requirements', {
      'functional requirements': ['functional*', 'requirement*', 'use case*'],
      'non-functional requirements': ['latency', 'availability', 'p99', 'consistency'],
      scope: ['scope', 'out of scope'],
      'scale questions': ['how many', 'per day', 'dau'],
    }),
    dimension('estimation'),
    dimension('architecture', {
      'load balancing': ['load balanc*'],
      'API layer': ['api', 'stateless'],
      'data store': ['database', 'key-value', 'cassandra', 'postgres'],
      caching: ['cach*', 'redis', 'cdn'],
    }),
    dimension('deep_dive', { failures: ['fail*', 'dies', 'goes down'], replication: ['replica*', 'quorum'], partitioning: ['shard*', 'partition*'] }),
    dimension('tradeoffs'),
    dimension('scalability', { 'horizontal scaling': ['horizontal*', 'stateless'], sharding: ['shard*'], caching: ['cach*', 'cdn'], growth: ['10x', 'peak'] }),
    dimension('reliability', { replication: ['replica*', 'replication factor'], failover: ['failover', 'health check*', 'retr*'], 'single points of failure': ['single point of failure', 'spof'] }),
    dimension('observability', { metrics: ['metric*', 'monitor*', 'dashboard*'], alerting: ['alert*', 'paging'], SLOs: ['slo', 'slos'], tracing: ['tracing'] }),
    dimension('security', { authentication: ['auth*', 'api key*'], abuse: ['abuse', 'rate limit*', 'phishing', 'malware'], encryption: ['encrypt*', 'tls'] }),
    dimension('clarity'),
    dimension('time_management'),
    dimension('composure', {}, ['interview']),
  ],
  levels: [{ level: 'L3', min_overall: 1 }],
};
const rubric = Rubric.parse(rubricInput);

const transcripts = new Map<string, Transcript>();
const analyses = new Map<string, Analysis>();
const FILES = ['example-url-shortener.jsonl', 'example-rate-limiter.txt', 'example-monologue-news-feed.md'];

beforeAll(async () => {
  for (const file of FILES) {
    const transcript = await loadTranscript(path.join(sessions, file));
    transcripts.set(file, transcript);
    analyses.set(file, gradeEvidence({ transcript, rubric, problem: null }));
  }
});

const analysis = (file: string) => analyses.get(file)!;

describe('gradeEvidence on the example sessions', () => {
  it('the url-shortener interview outscores the rate-limiter one on most dimensions', () => {
    const strong = analysis('example-url-shortener.jsonl').dimensions;
    const weak = analysis('example-rate-limiter.txt').dimensions;
    const ids = rubric.dimensions.map((d) => d.id);
    const better = ids.filter((id) => strong[id]!.score! > weak[id]!.score!);
    expect(better.length, `better on ${better.join(', ')}`).toBeGreaterThanOrEqual(10);
    for (const id of ['estimation', 'architecture', 'deep_dive', 'reliability', 'observability', 'clarity', 'time_management', 'composure']) {
      expect(strong[id]!.score!, id).toBeGreaterThan(weak[id]!.score!);
    }
  });

  it('labels the rate-limiter pushback capitulated and the url-shortener one defended', () => {
    expect(analysis('example-rate-limiter.txt').pushbacks).toEqual([
      expect.objectContaining({ turn: 5, topic: 'redis', label: 'capitulated', challenge: expect.stringContaining('Why Redis?') }),
    ]);
    expect(analysis('example-url-shortener.jsonl').pushbacks).toEqual([expect.objectContaining({ turn: 9, topic: 'cassandra', label: 'defended' })]);
  });

  it('composure is null in the monologue, with a note, and there are no pushbacks', () => {
    const monologue = analysis('example-monologue-news-feed.md');
    expect(monologue.dimensions.composure!.score).toBeNull();
    expect(monologue.dimensions.composure!.notes.length).toBeGreaterThan(0);
    expect(monologue.pushbacks).toEqual([]);
  });

  it('scores every dimension 1–5 with one decimal (or null), with evidence or what is missing', () => {
    for (const file of FILES) {
      const result = analysis(file);
      expect(Object.keys(result.dimensions)).toEqual(rubric.dimensions.map((d) => d.id));
      for (const [id, dim] of Object.entries(result.dimensions)) {
        if (dim.score === null) continue;
        expect(dim.score, `${file} ${id}`).toBeGreaterThanOrEqual(1);
        expect(dim.score, `${file} ${id}`).toBeLessThanOrEqual(5);
        expect(Math.round(dim.score * 10) / 10).toBe(dim.score);
        expect(dim.evidence.length + dim.missing.length, `${file} ${id}`).toBeGreaterThan(0);
      }
    }
  });

  it('every quote is verbatim from a candidate turn, with that turn’s index', () => {
    for (const file of FILES) {
      const turns = transcripts.get(file)!.events.filter((e) => e.type === 'turn');
      const result = analysis(file);
      const quoted = [...Object.values(result.dimensions).flatMap((d) => d.evidence), ...result.estimates.map((r) => ({ quote: r.quote, turn: r.turn }))];
      expect(quoted.length).toBeGreaterThan(0);
      for (const { quote, turn } of quoted) {
        const event = turns[turn];
        expect(event?.type === 'turn' && event.role, `${file} turn ${turn}`).toBe('candidate');
        expect(event?.type === 'turn' && event.text.includes(quote), `${file}: "${quote}"`).toBe(true);
        expect(quote.length).toBeLessThanOrEqual(240);
      }
    }
  });

  it('fills time, pushbacks, estimates and flags in the report shapes', () => {
    for (const file of FILES) {
      const result = analysis(file);
      TimeReport.parse(result.time);
      for (const row of result.pushbacks) PushbackRow.parse(row);
      for (const row of result.estimates) EstimateRow.parse(row);
      for (const flag of result.flags) Flag.parse(flag);
      for (const dim of Object.values(result.dimensions)) for (const e of dim.evidence) Evidence.parse(e);
    }
    const url = analysis('example-url-shortener.jsonl');
    expect(url.time.phases.map((p) => p.verdict)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(url.estimates.filter((r) => r.verdict === 'arithmetic-ok').length).toBeGreaterThanOrEqual(4);
    expect(url.flags).toEqual([]);
    expect(analysis('example-rate-limiter.txt').flags).toEqual([expect.objectContaining({ kind: 'timing-estimated' })]);
  });

  it('is deterministic: the same input gives the same analysis', async () => {
    for (const file of FILES) {
      const again = gradeEvidence({ transcript: await loadTranscript(path.join(sessions, file)), rubric, problem: null });
      expect(again).toEqual(analysis(file));
    }
  });
});

describe('gradeEvidence', () => {
  it('has an analyzer for every analyzer name', () => {
    expect(Object.keys(ANALYZERS).sort()).toEqual(['clarity', 'composure', 'concepts', 'deep_dive', 'estimation', 'requirements', 'time_management', 'tradeoffs']);
  });

  it('reports transcript problems as flags', () => {
    const transcript = importPlainTranscript('Interviewer: Go.\nCandidate: Redis.\n\u0000bad line');
    expect(transcript.problems.length).toBe(1);
    const result = gradeEvidence({ transcript, rubric, problem: null });
    expect(result.flags).toContainEqual({ kind: 'transcript-problem', message: transcript.problems[0]!.message });
  });

  it('a transcript with no candidate turns scores 1 where it applies', () => {
    const transcript = importPlainTranscript('Interviewer: Design a cache.\nInterviewer: Hello?');
    const result = gradeEvidence({ transcript, rubric, problem: null });
    expect(result.dimensions.architecture).toMatchObject({ score: 1, missing: ['no candidate turns in the transcript'] });
  });

  it('only candidate turns earn credit: the interviewer naming every concept changes nothing', () => {
    const quiet = 'Candidate: I would store links.';
    const chatty = 'Interviewer: Think about monitoring, alerting, SLOs, tracing, sharding, replicas, failover, a load balancer, Redis, TLS and abuse.\nCandidate: I would store links.';
    const a = gradeEvidence({ transcript: importPlainTranscript(`Interviewer: Go.\n${quiet}`), rubric, problem: null });
    const b = gradeEvidence({ transcript: importPlainTranscript(chatty), rubric, problem: null });
    for (const id of ['architecture', 'deep_dive', 'scalability', 'reliability', 'observability', 'security']) {
      expect(b.dimensions[id]!.score, id).toBe(a.dimensions[id]!.score);
    }
  });
});
