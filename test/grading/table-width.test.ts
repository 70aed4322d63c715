// The score table pads by display width, so a CJK (wide) file name keeps the columns aligned.
import { describe, expect, it } from 'vitest';
import { styler } from '../../src/term/colour.js';
import { displayWidth, padDisplay, truncateStart } from '../../src/term/width.js';
import { renderTable } from '../../src/grading/render/table.js';
import { buildReport } from '../../src/grading/report.js';
import type { Analysis } from '../../src/grading/types.js';
import { Rubric } from '../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';

const anchors = { 1: 'none', 2: 'weak', 3: 'ok', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'width-test',
  version: 1,
  description: 'test rubric',
  scale: { min: 1, max: 5 },
  dimensions: ['architecture', 'tradeoffs'].map((id) => ({ id, name: id, weight: 1, description: id, anchors, judge_guidance: 'judge it', modes: ['interview', 'monologue'] })),
  levels: [{ level: 'L3', min_overall: 1.5 }, { level: 'L5', min_overall: 3.2 }],
});
const TALK = Array.from({ length: 200 }, (_, i) => `Point ${i} covers the design in ten more words here.`).join('\n\n');

function reportFor(file: string) {
  const transcript = importPlainTranscript(TALK, { file, problem: 'url-shortener' });
  const analysis: Analysis = {
    dimensions: {
      architecture: { score: 4, evidence: [{ quote: 'x', turn: 1, note: null }], missing: [], notes: [] },
      tradeoffs: { score: 3, evidence: [{ quote: 'y', turn: 1, note: null }], missing: [], notes: [] },
    },
    time: { estimated: false, totalMinutes: 44, phases: [] },
    pushbacks: [],
    estimates: [],
    flags: [],
  };
  return buildReport({ transcript, rubric, problem: null }, analysis, { file, grader: 'evidence', model: null, gradedAt: '2026-11-22T12:00:00.000Z' });
}

describe('display width', () => {
  it('counts wide characters as 2 columns and combining marks as 0', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('系统设计')).toBe(8);
    expect(displayWidth('ｆｕｌｌ')).toBe(8);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('e\u0301te\u0301')).toBe(3);
    expect(padDisplay('設計', 6)).toBe('設計  ');
    expect(displayWidth(truncateStart('系统设计面试记录.md', 9))).toBeLessThanOrEqual(9);
  });

  it('a CJK file name keeps the table columns aligned', () => {
    const table = renderTable([reportFor('系统设计面试.md'), reportFor('plain-name.md')], styler(false)).split('\n');
    const [header, cjk, plain] = table;
    // Every column starts at the same terminal column in each row: compare the "overall" column.
    const col = (line: string, marker: RegExp) => displayWidth(line.slice(0, line.search(marker)));
    expect(header).toMatch(/^file\s+overall/);
    expect(col(cjk!, /\d\.\d/)).toBe(col(plain!, /\d\.\d/));
    expect(col(cjk!, /L\d/)).toBe(col(header!, /level/));
    expect(displayWidth(cjk!)).toBe(displayWidth(plain!));
  });
});
