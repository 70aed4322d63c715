// The score card's time table pads by display width (term/width), not by code points: a CJK phase
// name keeps the minutes column aligned. The card's own pad once counted characters, so '設計'
// (4 columns) was padded as if it took 2 and pushed its minutes two columns right.
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/grading/render/card.js';
import { buildReport } from '../../src/grading/report.js';
import type { Analysis } from '../../src/grading/types.js';
import { Rubric } from '../../src/schemas/rubric.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';
import { styler } from '../../src/term/colour.js';
import { displayWidth } from '../../src/term/width.js';

const anchors = { 1: 'none', 2: 'weak', 3: 'ok', 4: 'good', 5: 'excellent' };
const rubric = Rubric.parse({
  name: 'card-width',
  version: 1,
  description: 'test rubric',
  scale: { min: 1, max: 5 },
  dimensions: [{ id: 'architecture', name: 'architecture', weight: 1, description: 'a', anchors, judge_guidance: 'judge it', modes: ['interview', 'monologue'] }],
  levels: [{ level: 'L3', min_overall: 1.5 }],
});

describe('score card time table', () => {
  it('a CJK phase name keeps the minutes column aligned', () => {
    const transcript = importPlainTranscript('We shard by user id and cache hot keys.', { file: 't.md', problem: 'url-shortener' });
    const analysis: Analysis = {
      dimensions: { architecture: { score: 4, evidence: [], missing: [], notes: [] } },
      time: {
        estimated: false,
        totalMinutes: 30,
        phases: [
          // Phase ids are an enum today; a translated or new one must still line up.
          { phase: '設計' as 'clarify', minutes: 12, budgetMinutes: 15, verdict: 'ok' },
          { phase: 'wrap-up', minutes: 18, budgetMinutes: 15, verdict: 'ok' },
        ],
      },
      pushbacks: [],
      estimates: [],
      flags: [],
    };
    const report = buildReport({ transcript, rubric, problem: null }, analysis, { file: 't.md', grader: 'evidence', model: null, gradedAt: '2026-11-22T12:00:00.000Z' });
    const lines = renderCard(report, styler(false)).split('\n');
    const cjk = lines.find((line) => line.includes('設計'))!;
    const plain = lines.find((line) => line.includes('wrap-up ') && line.includes(' min'))!;
    const minutesAt = (line: string) => displayWidth(line.slice(0, line.indexOf(' min')));
    expect(minutesAt(cjk)).toBe(minutesAt(plain));
  });
});
