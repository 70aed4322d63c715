// A level target (`grade --level L6`, else the session's own meta.levelTarget) in the report:
// whether it is met and, if not, what is still missing for it, in JSON, the card and Markdown.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { styler } from '../../src/term/colour.js';
import { gradeFile } from '../../src/grading/grade-file.js';
import { GradeCache } from '../../src/grading/grade-cache.js';
import { levelFor, targetGap } from '../../src/grading/levels.js';
import { renderCard } from '../../src/grading/render/card.js';
import { renderMarkdown } from '../../src/grading/render/markdown.js';
import { renderTable } from '../../src/grading/render/table.js';
import { buildReport } from '../../src/grading/report.js';
import type { Analysis, GradeInput } from '../../src/grading/types.js';
import { gradeReportJsonSchema } from '../../src/schemas/json-schema.js';
import { GradeReport } from '../../src/schemas/report.js';
import { Rubric } from '../../src/schemas/rubric.js';
import type { Level } from '../../src/schemas/transcript.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';

const anchors = { 1: 'none', 2: 'weak', 3: 'ok', 4: 'good', 5: 'excellent' };
const dim = (id: string, name: string, weight: number) => ({
  id,
  name,
  weight,
  description: id,
  anchors,
  judge_guidance: 'judge it',
  modes: ['interview', 'monologue'],
});
const rubric = Rubric.parse({
  name: 'target-test',
  version: 1,
  description: 'test rubric',
  scale: { min: 1, max: 5 },
  dimensions: [
    dim('architecture', 'High-level architecture', 2),
    dim('tradeoffs', 'Tradeoffs', 2),
    dim('reliability', 'Reliability', 1),
    dim('observability', 'Observability', 1),
    dim('estimation', 'Estimation', 1),
  ],
  levels: [
    { level: 'L3', min_overall: 1.5 },
    { level: 'L4', min_overall: 2.5 },
    { level: 'L5', min_overall: 3.2 },
    { level: 'L6', min_overall: 3.9, minimums: { tradeoffs: 3.5, reliability: 3, observability: 3 } },
    { level: 'L7', min_overall: 4.4, minimums: { tradeoffs: 4.5, observability: 4 } },
  ],
});

// An L5 grade: overall 3.47 (below L6's 3.9), observability and tradeoffs below L6's minimums.
const L5_SCORES = { architecture: 4.2, tradeoffs: 3.2, reliability: 3.4, observability: 2.5, estimation: 3.6 };
const MISSING: Record<string, string[]> = {
  architecture: ['no data model mentioned'],
  tradeoffs: ['only one tradeoff discussed: weigh alternatives for storage too'],
  reliability: [],
  observability: ['no alerting on what is measured', 'no logging mentioned'],
  // A wrong estimate is the item worth naming, even when it is not listed first.
  estimation: ['no bandwidth estimate', 'arithmetic to redo: 20M × 500 B = 10 GB; stated 100 GB'],
};

function analysisWith(scores: Record<string, number | null>): Analysis {
  return {
    dimensions: Object.fromEntries(
      Object.entries(scores).map(([id, score]) => [id, { score, evidence: [{ quote: `about ${id}`, turn: 1, note: null }], missing: MISSING[id] ?? [], notes: [] }]),
    ),
    time: { estimated: false, totalMinutes: 44, phases: [] },
    pushbacks: [],
    estimates: [],
    flags: [],
  };
}

/** A long enough talk (2,000 candidate words) that thin evidence caps nothing. */
const LONG_TALK = Array.from({ length: 200 }, (_, i) => `Point ${i} covers the design in ten more words here.`).join('\n\n');

function inputFor(text: string, levelTarget: Level | null = null): GradeInput {
  const transcript = importPlainTranscript(text, { file: 'talk.md', problem: 'url-shortener' });
  transcript.meta.levelTarget = levelTarget;
  return { transcript, rubric, problem: null };
}

function reportFor(scores: Record<string, number | null>, options: { levelTarget?: Level | null; session?: Level | null; text?: string } = {}) {
  return buildReport(inputFor(options.text ?? LONG_TALK, options.session ?? null), analysisWith(scores), {
    file: 'talk.md',
    grader: 'evidence',
    model: null,
    gradedAt: '2026-11-22T12:00:00.000Z',
    levelTarget: options.levelTarget,
  });
}

describe('level target in the report', () => {
  it('lists exactly what an L5 grade still needs for L6: overall, each minimum with its gap and most useful missing item', () => {
    const report = reportFor(L5_SCORES, { levelTarget: 'L6' });
    expect(report.overall).toBe(3.47);
    expect(report.level.level).toBe('L5');
    expect(report.target).toEqual({
      level: 'L6',
      source: 'option',
      met: false,
      missing: [
        {
          kind: 'overall',
          dimension: null,
          score: 3.47,
          needed: 3.9,
          gap: 0.43,
          text: 'Overall 3.47 → needs 3.9 for L6: lift the weakest (Tradeoffs 3.2, Observability 2.5)',
        },
        { kind: 'minimum', dimension: 'observability', score: 2.5, needed: 3, gap: 0.5, text: 'Observability 2.5 → needs 3 for L6: no alerting on what is measured' },
        {
          kind: 'minimum',
          dimension: 'tradeoffs',
          score: 3.2,
          needed: 3.5,
          gap: 0.3,
          text: 'Tradeoffs 3.2 → needs 3.5 for L6: only one tradeoff discussed: weigh alternatives for storage too',
        },
      ],
    });
    expect(GradeReport.parse(report)).toEqual(report);
  });

  it('names a wrong estimate first, and a dimension with nothing listed as missing without a colon', () => {
    const report = reportFor({ ...L5_SCORES, estimation: 2.0, reliability: 2.6, observability: 3.1, tradeoffs: 3.6 }, { levelTarget: 'L6' });
    const texts = report.target!.missing.map((m) => m.text);
    expect(texts).toContain('Reliability 2.6 → needs 3 for L6');
    // Estimation has no L6 minimum: it is only named as one of the weakest for the overall.
    expect(texts[0]).toMatch(/^Overall \d\.\d\d → needs 3\.9 for L6: lift the weakest \(Estimation 2\.0, /);
    const seven = reportFor({ ...L5_SCORES, estimation: 2.0 }, { levelTarget: 'L7' });
    expect(seven.target!.missing.find((m) => m.dimension === 'observability')!.text).toBe('Observability 2.5 → needs 4 for L7: no alerting on what is measured');
  });

  it('a target at or below the achieved level is met, with nothing missing', () => {
    for (const level of ['L4', 'L5', 'L3'] as const) {
      expect(reportFor(L5_SCORES, { levelTarget: level }).target).toEqual({ level, source: 'option', met: true, missing: [] });
    }
  });

  it('takes the session’s own target when no --level is given; --level overrides it', () => {
    expect(reportFor(L5_SCORES, { session: 'L4' }).target).toMatchObject({ level: 'L4', source: 'session', met: true });
    expect(reportFor(L5_SCORES, { session: 'L4', levelTarget: 'L6' }).target).toMatchObject({ level: 'L6', source: 'option', met: false });
    expect(reportFor(L5_SCORES).target).toBeNull();
  });

  it('names thin evidence when it is what keeps a session from the target', () => {
    const strong = { architecture: 4.8, tradeoffs: 4.8, reliability: 4.6, observability: 4.5, estimation: 4.6 };
    const report = reportFor(strong, { levelTarget: 'L6', text: 'Short talk about a design with caching and sharding and replicas.' });
    // The scores alone meet L7; eleven words cap the level at L4.
    expect(report.level).toMatchObject({ level: 'L4', confidence: 'low' });
    expect(report.target).toEqual({
      level: 'L6',
      source: 'option',
      met: false,
      missing: [
        {
          kind: 'evidence',
          dimension: null,
          score: null,
          needed: null,
          gap: null,
          text: 'A fuller session: 11 candidate words caps the level at L4 (thin evidence); L6 needs at least 800 candidate words',
        },
      ],
    });
    // With a timed session the minutes count too; a cap at or above the target is not named.
    const gap = targetGap(rubric, 'L6', 4.7, strong, { candidateWords: 500, minutes: 41 });
    expect(gap.cap).toEqual({ level: 'L5', candidateWords: 500, minutes: 41, wordsNeeded: 800, minutesNeeded: 15 });
    expect(targetGap(rubric, 'L5', 4.7, strong, { candidateWords: 500, minutes: 41 }).cap).toBeNull();
  });

  it('leaves levelFor as it was', () => {
    expect(levelFor(rubric, 3.47, L5_SCORES, { candidateWords: 2000, minutes: 44 })).toEqual({
      level: 'L5',
      trackingToward: null,
      label: 'L5',
      blockers: ['overall 3.47 < 3.9 needed for L6', 'Tradeoffs 3.2 < 3.5 required for L6', 'Observability 2.5 < 3 required for L6'],
      confidence: 'high',
    });
  });

  it('says when the rubric has no rule for the target', () => {
    const short = Rubric.parse({ ...rubric, levels: rubric.levels.slice(0, 4) });
    const report = buildReport(inputFor(LONG_TALK), analysisWith({ ...L5_SCORES }), {
      file: null,
      grader: 'evidence',
      model: null,
      gradedAt: '2026-11-22T12:00:00.000Z',
      levelTarget: 'L7',
    });
    expect(report.target!.met).toBe(false);
    const unknown = buildReport({ ...inputFor(LONG_TALK), rubric: short }, analysisWith(L5_SCORES), {
      file: null,
      grader: 'evidence',
      model: null,
      gradedAt: '2026-11-22T12:00:00.000Z',
      levelTarget: 'L7',
    });
    expect(unknown.target!.missing).toEqual([
      { kind: 'undefined', dimension: null, score: null, needed: null, gap: null, text: 'the rubric target-test@1 has no rule for L7' },
    ]);
  });
});

describe('level target in the renderers and the JSON Schema', () => {
  const report = reportFor(L5_SCORES, { levelTarget: 'L6' });

  it('the card shows a "for L6 you still need:" block, wrapped like the rest of the card', () => {
    const card = renderCard(report, styler(false), { width: 60 });
    const lines = card.split('\n');
    const head = lines.indexOf('  for L6 you still need:');
    expect(head).toBeGreaterThan(0);
    expect(lines.slice(head + 1, head + 7)).toEqual([
      '    - Overall 3.47 → needs 3.9 for L6: lift the weakest',
      '      (Tradeoffs 3.2, Observability 2.5)',
      '    - Observability 2.5 → needs 3 for L6: no alerting on',
      '      what is measured',
      '    - Tradeoffs 3.2 → needs 3.5 for L6: only one tradeoff',
      '      discussed: weigh alternatives for storage too',
    ]);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
    // The target is the next level: its block replaces the "next level:" line that says the same.
    expect(card).not.toMatch(/next level:/);
  });

  it('the card says a target is met, and keeps the next-level line', () => {
    const card = renderCard(reportFor(L5_SCORES, { levelTarget: 'L4' }), styler(false), { width: 100 });
    expect(card).toMatch(/^ {2}next level: overall 3\.47 < 3\.9 needed for L6/m);
    expect(card).toMatch(/^ {2}target L4: met$/m);
    expect(card).not.toMatch(/you still need/);
    // No target: neither.
    expect(renderCard(reportFor(L5_SCORES), styler(false))).not.toMatch(/target L|you still need/);
  });

  it('Markdown has the same list; the table a target column only when a report has a target', () => {
    const md = renderMarkdown([report]);
    expect(md).toContain(
      [
        '**For L6 you still need:**',
        '',
        '- Overall 3.47 → needs 3.9 for L6: lift the weakest (Tradeoffs 3.2, Observability 2.5)',
        '- Observability 2.5 → needs 3 for L6: no alerting on what is measured',
        '- Tradeoffs 3.2 → needs 3.5 for L6: only one tradeoff discussed: weigh alternatives for storage too',
      ].join('\n'),
    );
    expect(renderMarkdown([reportFor(L5_SCORES, { session: 'L5' })])).toContain('Target L5: met.');
    const table = renderTable([report, reportFor(L5_SCORES, { levelTarget: 'L4' }), reportFor(L5_SCORES)], styler(false)).split('\n');
    expect(table[0]).toMatch(/^file\s+overall\s+level\s+target\s+arch/);
    expect(table[1]).toMatch(/L5\s+✗ L6\s+4\.2/);
    expect(table[2]).toMatch(/L5\s+✓ L4\s+4\.2/);
    expect(table[3]).toMatch(/L5\s+4\.2/);
    expect(renderTable([reportFor(L5_SCORES)], styler(false)).split('\n')[0]).toMatch(/^file\s+overall\s+level\s+arch/);
  });

  it('a report with a target, without one, and from before targets validates against the JSON Schema', () => {
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(gradeReportJsonSchema());
    const { target: _target, ...older } = reportFor(L5_SCORES);
    for (const candidate of [report, reportFor(L5_SCORES), older, reportFor(L5_SCORES, { levelTarget: 'L3' })]) {
      const json = JSON.parse(JSON.stringify(candidate));
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      expect(GradeReport.parse(json)).toEqual(json);
    }
    const bad = JSON.parse(JSON.stringify(report));
    bad.target.level = 'L9';
    expect(validate(bad)).toBe(false);
  });
});

describe('gradeFile and the target', () => {
  const dir = mkdtemp(path.join(os.tmpdir(), 'level-target-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('a session records its target (practice does); --level overrides it, also for a cached grade', async () => {
    const root = await dir;
    const file = path.join(root, 'session.jsonl');
    const meta = {
      type: 'meta',
      schemaVersion: 1,
      id: 's1',
      problem: null,
      mode: 'monologue',
      provider: 'builtin',
      model: null,
      rubric: 'target-test',
      levelTarget: 'L6',
      started: '2026-11-22T12:00:00.000Z',
      timing: 'recorded',
    };
    const turn = { type: 'turn', role: 'candidate', text: 'I would put a cache in front of the database and shard by key.', elapsedMs: 60_000, phase: 'high-level' };
    await writeFile(file, [meta, turn].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const cache = new GradeCache(path.join(root, 'cache'));
    const context = { rubric, grader: 'evidence' as const, findProblem: async () => null, now: () => new Date('2026-11-22T12:00:00.000Z'), cache };
    const fromSession = await gradeFile(file, context);
    expect(fromSession.cached).toBe(false);
    expect(fromSession.report.target).toMatchObject({ level: 'L6', source: 'session', met: false });
    const overridden = await gradeFile(file, { ...context, levelTarget: 'L3' });
    expect(overridden.cached).toBe(true);
    expect(overridden.report.target).toMatchObject({ level: 'L3', source: 'option' });
    expect(overridden.report.target!.met).toBe(overridden.report.level.level !== null);
    const again = await gradeFile(file, context);
    expect(again.report.target).toEqual(fromSession.report.target);
    expect(JSON.parse(await readFile(file, 'utf8').then((t) => t.split('\n')[0]!)).levelTarget).toBe('L6');
  });
});
