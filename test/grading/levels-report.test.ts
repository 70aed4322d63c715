import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { levelFor, weightedOverall } from '../../src/grading/levels.js';
import { renderCsv } from '../../src/grading/render/csv.js';
import { renderMarkdown } from '../../src/grading/render/markdown.js';
import { renderTable } from '../../src/grading/render/table.js';
import { buildReport } from '../../src/grading/report.js';
import type { Analysis } from '../../src/grading/types.js';
import { styler } from '../../src/term/colour.js';
import { GRADE_REPORT_SCHEMA_FILE, gradeReportJsonSchema } from '../../src/schemas/json-schema.js';
import { GradeReport } from '../../src/schemas/report.js';
import { Rubric } from '../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';

const anchors = { 1: 'none', 2: 'weak', 3: 'ok', 4: 'good', 5: 'excellent' };
const dim = (id: string, weight: number, modes = ['interview', 'monologue']) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  weight,
  description: id,
  anchors,
  judge_guidance: 'judge it',
  modes,
});
const rubric = Rubric.parse({
  name: 'test',
  version: 3,
  description: 'test rubric',
  scale: { min: 1, max: 5 },
  dimensions: [dim('tradeoffs', 2), dim('observability', 1), dim('clarity', 1), dim('composure', 1, ['interview'])],
  levels: [
    { level: 'L3', min_overall: 1.5 },
    { level: 'L4', min_overall: 2.5 },
    { level: 'L5', min_overall: 3.2 },
    { level: 'L6', min_overall: 3.8, minimums: { tradeoffs: 4, observability: 3.5 } },
    { level: 'L7', min_overall: 4.5, minimums: { tradeoffs: 4.5, observability: 4.5 } },
  ],
});

describe('overall and level', () => {
  it('weights scores and skips dimensions that do not apply', () => {
    expect(weightedOverall(rubric, { tradeoffs: 4, observability: 2, clarity: 3, composure: 5 })).toBe(3.6);
    expect(weightedOverall(rubric, { tradeoffs: 4, observability: 2, clarity: 3, composure: null })).toBe(3.25);
    expect(weightedOverall(rubric, { tradeoffs: null, observability: null, clarity: null, composure: null })).toBeNull();
  });

  it('gives the highest level whose threshold and minimums are met', () => {
    expect(levelFor(rubric, 4.0, { tradeoffs: 4.5, observability: 4 }).level).toBe('L6');
    // Overall is enough for L6 but observability is not: L5, and close enough to be tracking.
    const blocked = levelFor(rubric, 3.9, { tradeoffs: 4.2, observability: 3 });
    expect(blocked).toMatchObject({ level: 'L5', trackingToward: 'L6', label: 'L5, tracking toward L6' });
    expect(blocked.blockers).toEqual(['Observability 3.0 < 3.5 required for L6']);
    // Far from L6: no tracking.
    expect(levelFor(rubric, 3.3, { tradeoffs: 3, observability: 1 })).toMatchObject({ level: 'L5', trackingToward: null, label: 'L5' });
    expect(levelFor(rubric, 1.2, {})).toMatchObject({ level: null, trackingToward: 'L3', label: 'below L3, tracking toward L3' });
    expect(levelFor(rubric, 4.9, { tradeoffs: 5, observability: 5 })).toMatchObject({ level: 'L7', trackingToward: null });
  });

  it('never lets a dimension that does not apply block a level', () => {
    expect(levelFor(rubric, 4.0, { tradeoffs: 4.5, observability: null }).level).toBe('L6');
  });
});

function analysisWith(scores: Record<string, number | null>): Analysis {
  return {
    dimensions: Object.fromEntries(
      Object.entries(scores).map(([id, score]) => [
        id,
        {
          score,
          evidence: score ? [{ quote: `a quote about ${id}, with "quotes", and a | pipe`, turn: 1, note: null }] : [],
          missing: score && score < 3 ? [`more ${id}`] : [],
          notes: score === null ? ['does not apply to a monologue'] : [],
        },
      ]),
    ),
    time: { estimated: true, totalMinutes: 12, phases: [{ phase: 'clarify', minutes: 2, budgetMinutes: 5, verdict: 'short' }] },
    pushbacks: [],
    estimates: [],
    flags: [{ kind: 'timing-estimated', message: 'minutes estimated from word counts' }],
  };
}

describe('report and renderers', () => {
  const transcript = importPlainTranscript('I would start with requirements.\n\nThen trade off cost against latency.', {
    file: 'talk.md',
    problem: 'url-shortener',
  });
  const report = buildReport({ transcript, rubric, problem: null }, analysisWith({ tradeoffs: 4.5, observability: 2, clarity: 3, composure: null }), {
    file: 'sessions/talk.md',
    grader: 'evidence',
    model: null,
    gradedAt: '2026-11-22T12:00:00.000Z',
  });

  it('caps the level of thin evidence and says so', () => {
    expect(report.level).toMatchObject({ level: 'L4', confidence: 'low', label: 'L4 (capped: thin evidence)' });
    // Its times are estimated from word counts (a pasted talk), so words alone decide.
    expect(report.level.blockers[0]).toMatch(/^thin evidence: 11 candidate words; a level above L4 needs a fuller session/);
  });

  it('builds a report that matches the schema', () => {
    expect(GradeReport.parse(report)).toEqual(report);
    expect(report).toMatchObject({ overall: 3.5, mode: 'monologue', rubric: { name: 'test', version: '3' } });
    expect(report.dimensions.composure!.score).toBeNull();
    expect(report.strengths[0]).toMatch(/^Tradeoffs \(4\.5\)/);
    expect(report.toExpand[0]).toMatch(/^Observability \(2\.0\): more observability/);
  });

  it('renders a table with every dimension and a dash for not applicable', () => {
    const text = renderTable([report, { ...report, file: 'b.jsonl', overall: 2.1 }], styler(false));
    const [header, first] = text.split('\n');
    expect(header).toMatch(/file\s+overall\s+level\s+trade\s+obs\s+clar\s+comp$/);
    // A 12-word talk is thin evidence: its level is capped below what the scores alone give (L5).
    expect(first).toMatch(/talk\.md\s+3\.50\s+L4\s+4\.5\s+2\.0\s+3\.0\s+–/);
  });

  it('renders CSV with quoting and one column per dimension', () => {
    const lines = renderCsv([report]).split('\r\n');
    expect(lines[0]).toBe('file,session,problem,mode,rubric,rubric_version,grader,model,overall,level,tracking_toward,tradeoffs,observability,clarity,composure,flags,rubric_sha256,error');
    expect(lines[1]).toMatch(/^sessions\/talk\.md,import-[0-9a-f]{12},url-shortener,monologue,test,3,evidence,,3\.5,L4,,4\.5,2,3,,timing-estimated,[0-9a-f]{64},$/);
  });

  it('renders Markdown tables, escaping pipes', () => {
    const md = renderMarkdown([report]);
    expect(md).toMatch(/\| Tradeoffs \| 4\.5 \| \[turn 1\] "a quote about tradeoffs, with "quotes", and a \\\| pipe" \|/);
    expect(md).toMatch(/### Time allocation \(estimated from word counts\)/);
  });

  it('keeps the committed JSON Schema in step with the zod schema (npm run schemas)', async () => {
    const committed = JSON.parse(await readFile(path.resolve(import.meta.dirname, '..', '..', GRADE_REPORT_SCHEMA_FILE), 'utf8'));
    expect(committed).toEqual(gradeReportJsonSchema());
  });
});

describe('levels from thin evidence', () => {
  it('a 3-minute interview with high scores cannot reach L6; a full session can', () => {
    const scores = { tradeoffs: 4.8, observability: 4.6 };
    const rushed = levelFor(rubric, 4.6, scores, { candidateWords: 420, minutes: 3 });
    expect(rushed.level).toBe('L4');
    expect(rushed.confidence).toBe('low');
    expect(rushed.trackingToward).toBeNull();
    expect(rushed.blockers[0]).toMatch(/thin evidence: 420 candidate words over 3 minutes/);
    const full = levelFor(rubric, 4.6, scores, { candidateWords: 4200, minutes: 44 });
    expect(full.level).toBe('L7');
    // Fifteen minutes and 900 words: up to L5.
    expect(levelFor(rubric, 4.6, scores, { candidateWords: 900, minutes: 12 }).level).toBe('L5');
    expect(full.confidence).toBe('high');
    // Untimed plain transcripts are judged by words alone.
    expect(levelFor(rubric, 4.6, scores, { candidateWords: 1000, minutes: null }).confidence).toBe('medium');
  });
});
