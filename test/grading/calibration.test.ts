// Calibration on the shipped examples: the evidence grader must order clearly stronger and
// clearly weaker transcripts the way a human grader would, dimension by dimension.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeEvidence } from '../../src/grading/evidence-grader.js';
import { buildReport } from '../../src/grading/report.js';
import { loadRubric } from '../../src/content/rubric-loader.js';
import { loadProblem } from '../../src/content/problem-loader.js';
import type { GradeReport } from '../../src/schemas/report.js';
import { loadTranscript } from '../../src/storage/load-transcript.js';
import { packagedDirs, resolvePaths } from '../../src/storage/paths.js';

const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/calibration-reads-only-packaged-files' });
const reports = new Map<string, GradeReport>();

async function grade(file: string): Promise<GradeReport> {
  const transcript = await loadTranscript(path.join(packagedDirs().sessions, file));
  const rubric = await loadRubric('default', paths);
  const problem = transcript.meta.problem ? await loadProblem(transcript.meta.problem, paths).catch(() => null) : null;
  const input = { transcript, rubric, problem };
  return buildReport(input, gradeEvidence(input), { file, grader: 'evidence', model: null, gradedAt: 'fixed' });
}

const FILES = [
  'strong-payments.jsonl',
  'weak-group-chat.txt',
  'mid-llm-chat.jsonl',
  'pair-feed-with-observability.jsonl',
  'pair-feed-no-observability.jsonl',
  'strong-monologue-rate-limiter.md',
  'weak-monologue-url-shortener.txt',
  'example-url-shortener.jsonl',
  'example-rate-limiter.txt',
];

beforeAll(async () => {
  for (const file of FILES) reports.set(file, await grade(file));
});

const score = (file: string, id: string) => reports.get(file)!.dimensions[id]!.score!;
const overall = (file: string) => reports.get(file)!.overall!;

describe('evidence grader calibration', () => {
  it('puts the strong interview well above the weak one, overall and on every dimension they differ in', () => {
    expect(overall('strong-payments.jsonl') - overall('weak-group-chat.txt')).toBeGreaterThan(1.5);
    for (const id of ['requirements', 'estimation', 'architecture', 'tradeoffs', 'reliability', 'observability', 'security', 'clarity', 'composure']) {
      expect(score('strong-payments.jsonl', id), id).toBeGreaterThan(score('weak-group-chat.txt', id));
    }
  });

  it('ranks strong > mid > weak interviews and strong > weak monologues', () => {
    expect(overall('strong-payments.jsonl')).toBeGreaterThan(overall('mid-llm-chat.jsonl'));
    expect(overall('mid-llm-chat.jsonl')).toBeGreaterThan(overall('weak-group-chat.txt'));
    expect(overall('example-url-shortener.jsonl')).toBeGreaterThan(overall('example-rate-limiter.txt'));
    expect(overall('strong-monologue-rate-limiter.md') - overall('weak-monologue-url-shortener.txt')).toBeGreaterThan(1);
  });

  it('maps clearly strong and clearly weak transcripts to distant levels', () => {
    const strong = reports.get('strong-payments.jsonl')!.level.level;
    const weak = reports.get('weak-group-chat.txt')!.level.level;
    expect(['L6', 'L7']).toContain(strong);
    expect([null, 'L3']).toContain(weak);
  });

  it('scores a transcript that never mentions monitoring low on observability, and only there', () => {
    const without = 'pair-feed-no-observability.jsonl';
    const withObs = 'pair-feed-with-observability.jsonl';
    expect(score(without, 'observability')).toBeLessThanOrEqual(2);
    expect(score(withObs, 'observability') - score(without, 'observability')).toBeGreaterThanOrEqual(1);
    expect(reports.get(without)!.dimensions.observability!.missing.length).toBeGreaterThan(0);
    for (const id of ['requirements', 'estimation', 'architecture', 'tradeoffs', 'reliability', 'security', 'composure']) {
      expect(Math.abs(score(withObs, id) - score(without, id)), id).toBeLessThanOrEqual(0.5);
    }
  });

  it('labels the weak candidate capitulating and the strong one defending', () => {
    const weak = reports.get('example-rate-limiter.txt')!.pushbacks;
    expect(weak.some((p) => p.label === 'capitulated')).toBe(true);
    const strong = reports.get('strong-payments.jsonl')!.pushbacks;
    expect(strong.some((p) => p.label === 'defended')).toBe(true);
    expect(strong.some((p) => p.label === 'revised-with-reasons')).toBe(true);
    expect(strong.every((p) => p.label !== 'capitulated')).toBe(true);
  });

  it('leaves composure null in monologues, with a reason', () => {
    for (const file of ['strong-monologue-rate-limiter.md', 'weak-monologue-url-shortener.txt']) {
      const composure = reports.get(file)!.dimensions.composure!;
      expect(composure.score).toBeNull();
      expect(composure.notes.join(' ')).toMatch(/monologue|does not apply/i);
    }
  });

  it("compares estimates with the problem's reference numbers when the problem is known", () => {
    const compared = reports.get('strong-payments.jsonl')!.estimates.filter((e) => e.reference !== null);
    expect(compared.length).toBeGreaterThan(0);
    expect(compared.every((e) => e.verdict === 'within' || e.verdict === 'off')).toBe(true);
  });

  it('catches the arithmetic error in the mid transcript', () => {
    expect(reports.get('mid-llm-chat.jsonl')!.estimates.some((e) => e.verdict === 'arithmetic-error')).toBe(true);
  });

  it('quotes only the candidate, verbatim', async () => {
    for (const file of FILES) {
      const transcript = await loadTranscript(path.join(packagedDirs().sessions, file));
      const turns = transcript.events.filter((e) => e.type === 'turn');
      for (const dimension of Object.values(reports.get(file)!.dimensions)) {
        for (const evidence of dimension.evidence) {
          const turn = turns[evidence.turn];
          expect(turn?.type === 'turn' && turn.role, `${file} ${dimension.id} turn ${evidence.turn}`).toBe('candidate');
          expect(turn?.type === 'turn' && turn.text.includes(evidence.quote), `${file}: "${evidence.quote}"`).toBe(true);
        }
      }
    }
  });

  it('is deterministic', async () => {
    const again = await grade('strong-payments.jsonl');
    expect(again).toEqual(reports.get('strong-payments.jsonl'));
  });
});
