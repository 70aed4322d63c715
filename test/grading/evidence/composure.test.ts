// Composure: each pushback's answer labelled defended / revised-with-reasons / capitulated.
import { describe, expect, it } from 'vitest';
import { NO_CEILINGS, gradeEvidence } from '../../../src/grading/evidence-grader.js';
import { readAnswer } from '../../../src/reading/answers.js';
import { analyzeText } from '../../../src/reading/text.js';
import { Rubric } from '../../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { parseTranscript } from '../../../src/storage/transcript-store.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

const anchors = { 1: 'poor', 2: 'weak', 3: 'fair', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'composure only',
  version: 1,
  description: 'test',
  scale: { min: 1, max: 5 },
  dimensions: [{ id: 'composure', name: 'Composure', weight: 1, description: 'pushback', judge_guidance: 'judge', anchors, modes: ['interview'] }],
  levels: [{ level: 'L4', min_overall: 1 }],
});

function grade(text: string) {
  return gradeEvidence({ transcript: importPlainTranscript(text), rubric, problem: null }, NO_CEILINGS);
}

describe('readAnswer', () => {
  it.each([
    ['You’re right, let’s switch to Postgres.', 'capitulated'],
    ['I guess you’re right, maybe not.', 'capitulated'],
    ['Um, okay.', 'capitulated'],
    ['Um, I guess you’re right, maybe Redis is not a good idea. We could use a database instead.', 'capitulated'],
    ['A relational database would be simpler at 1k QPS, but at 90 TB and 120k reads per second with single-key lookups Cassandra scales out, so I would keep Cassandra.', 'defended'],
    ['I would still use Redis because the counters are tiny and we need sub-millisecond reads; replicas cover a node loss.', 'defended'],
    ['Good point: because each key is read on every request, losing a node would drop limits, so I would switch to a replicated Redis cluster with failover instead.', 'revised-with-reasons'],
    ['Fair point, since we only need 1,000 writes per second a single Postgres primary handles it, so let’s use Postgres instead.', 'revised-with-reasons'],
  ])('%s → %s', (answer, label) => {
    expect(readAnswer(analyzeText(answer, vocabulary)).label).toBe(label);
  });

  it('says what the label rests on', () => {
    const reading = readAnswer(analyzeText('I would keep Cassandra because reads are 120k per second; the tradeoff is no joins.', vocabulary));
    expect(reading.reasons.join(' ')).toMatch(/because.*tradeoff.*numbers/);
    expect(reading.stance).toBe('keeps');
  });
});

describe('composure in an interview', () => {
  it('finds a challenge without pushback events and labels a capitulation', () => {
    const analysis = grade(
      [
        'Interviewer: Where do you want to start?',
        'Candidate: I would keep counters in Redis.',
        'Interviewer: Why Redis? What happens when the Redis node goes down?',
        'Candidate: Um, I guess you’re right, maybe Redis is not a good idea. We could use a database instead.',
      ].join('\n'),
    );
    expect(analysis.pushbacks).toHaveLength(1);
    expect(analysis.pushbacks[0]).toMatchObject({ turn: 2, topic: 'redis', label: 'capitulated' });
    expect(analysis.pushbacks[0]!.reason).toMatch(/gives way on redis .*without a reason/);
    const composure = analysis.dimensions.composure!;
    expect(composure.score).toBeLessThanOrEqual(2);
    expect(composure.evidence[0]).toMatchObject({ turn: 3, quote: 'Um, I guess you’re right, maybe Redis is not a good idea.' });
    expect(composure.missing[0]).toMatch(/gave way on redis/);
  });

  it('defended and revised answers score high', () => {
    const defended = grade(
      'Interviewer: Wouldn’t a relational database be simpler?\nCandidate: Simpler, yes, but with 90 TB and single-key reads at 120k per second I would keep Cassandra because it scales horizontally.',
    );
    const revised = grade(
      'Interviewer: Are you sure you need Kafka here?\nCandidate: Good point, because we only publish 50 events per second, so I would switch to a simple SQS queue instead.',
    );
    expect(defended.pushbacks[0]!.label).toBe('defended');
    expect(revised.pushbacks[0]!.label).toBe('revised-with-reasons');
    expect(defended.dimensions.composure!.score).toBe(5);
    expect(revised.dimensions.composure!.score).toBe(4.5);
  });

  it('keeps a label recorded by the interviewer engine, and still gives a reason', () => {
    const lines = [
      { type: 'meta', schemaVersion: 1, id: 's1', problem: null, mode: 'interview', provider: 'builtin', model: null, rubric: null, levelTarget: null, started: '2026-01-01T00:00:00Z' },
      { type: 'turn', role: 'interviewer', text: 'Why not DynamoDB?', elapsedMs: 0 },
      { type: 'pushback', turn: 0, topic: 'dynamodb', label: 'revised-with-reasons', elapsedMs: 0 },
      { type: 'turn', role: 'candidate', text: 'Okay, sure.', elapsedMs: 5000 },
    ];
    const transcript = parseTranscript(lines.map((l) => JSON.stringify(l)).join('\n'), null);
    const analysis = gradeEvidence({ transcript, rubric, problem: null }, NO_CEILINGS);
    expect(analysis.pushbacks[0]).toMatchObject({ topic: 'dynamodb', label: 'revised-with-reasons', answer: 'Okay, sure.' });
    expect(analysis.pushbacks[0]!.reason).toMatch(/recorded as revised-with-reasons by the interviewer; the evidence grader reads it as capitulated/);
  });

  it('a pushback recorded when asked and again when labelled is one challenge with the later label', () => {
    const lines = [
      { type: 'meta', schemaVersion: 1, id: 's1', problem: null, mode: 'interview', provider: 'builtin', model: null, rubric: null, levelTarget: null, started: '2026-01-01T00:00:00Z' },
      { type: 'turn', role: 'interviewer', text: 'Why not DynamoDB?', elapsedMs: 0 },
      { type: 'pushback', turn: 0, topic: 'dynamodb', label: null, elapsedMs: 0 },
      { type: 'turn', role: 'candidate', text: "You're right, let's switch.", elapsedMs: 5000 },
      { type: 'pushback', turn: 0, topic: 'dynamodb', label: 'capitulated', elapsedMs: 5000 },
    ];
    const transcript = parseTranscript(lines.map((l) => JSON.stringify(l)).join('\n'), null);
    const analysis = gradeEvidence({ transcript, rubric, problem: null }, NO_CEILINGS);
    expect(analysis.pushbacks).toHaveLength(1);
    expect(analysis.pushbacks[0]).toMatchObject({ topic: 'dynamodb', label: 'capitulated' });
    expect(analysis.pushbacks[0]!.reason).toMatch(/^recorded as capitulated/);
  });

  it('an interview with no pushback scores 3 with a note', () => {
    const result = grade('Interviewer: Go ahead.\nCandidate: I will start with requirements.').dimensions.composure!;
    expect(result.score).toBe(3);
    expect(result.notes[0]).toMatch(/no pushback/);
  });

  it('ordinary questions are not pushback', () => {
    expect(grade('Interviewer: How many users do we have?\nCandidate: Let me assume 10M.').pushbacks).toEqual([]);
  });
});

describe('composure in a monologue', () => {
  it('is null, never a low score', () => {
    const rubricBothModes = Rubric.parse({ ...rubric, version: '1', dimensions: [{ ...rubric.dimensions[0]!, modes: ['interview', 'monologue'] }] });
    const analysis = gradeEvidence({ transcript: importPlainTranscript('I would use Redis. Why not? Because it is fast.'), rubric: rubricBothModes, problem: null }, NO_CEILINGS);
    expect(analysis.dimensions.composure).toMatchObject({ score: null });
    expect(analysis.dimensions.composure!.notes[0]).toMatch(/interviews only/);
    expect(analysis.pushbacks).toEqual([]);
  });

  it('is null with a note when the rubric limits it to interviews', () => {
    const analysis = gradeEvidence({ transcript: importPlainTranscript('I would use Redis.'), rubric, problem: null }, NO_CEILINGS);
    expect(analysis.dimensions.composure!.score).toBeNull();
    expect(analysis.dimensions.composure!.notes[0]).toMatch(/applies to interview sessions only; this is a monologue/);
  });
});
