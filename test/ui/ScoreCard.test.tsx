import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/grading/render/card.js';
import { styler } from '../../src/term/colour.js';
import { GradeReport } from '../../src/schemas/report.js';
import { Transcript } from '../../src/ui/Transcript.js';

const report = GradeReport.parse({
  schemaVersion: 1,
  file: null,
  sessionId: 's-123',
  problem: 'url-shortener',
  mode: 'interview',
  rubric: { name: 'default', version: '1' },
  grader: 'evidence',
  model: null,
  overall: 3.42,
  level: { level: 'L5', trackingToward: 'L6', label: 'L5, tracking toward L6', blockers: ['observability 2.0 < 3.5 required for L6'] },
  dimensions: {
    requirements: { id: 'requirements', name: 'Requirements', weight: 1, score: 4, evidence: [{ quote: 'how many users', turn: 1 }], missing: [] },
    observability: { id: 'observability', name: 'Observability', weight: 1, score: 2, evidence: [], missing: ['no SLO alerting'] },
  },
  strengths: ['asked about scale first'],
  toExpand: ['metrics and alerting'],
  time: { estimated: false, totalMinutes: 30, phases: [{ phase: 'clarify', minutes: 4, budgetMinutes: 5, verdict: 'ok' }] },
  pushbacks: [],
  estimates: [],
  flags: [],
  gradedAt: '2025-01-01T00:00:00Z',
});

describe('score card on the practice screen', () => {
  it('shows overall score and level, the same text as `grade`', () => {
    // The screen shows the card the session's renderReport gives (grading's renderCard) as a block.
    const card = renderCard(report, styler(false), { width: 120 });
    const r = render(<Transcript items={[{ kind: 'score', id: 1, report }]} width={120} color={false} renderScore={() => card} />);
    const out = r.lastFrame() ?? '';
    expect(out).toContain('Overall 3.42 / 5');
    expect(out).toContain('L5, tracking toward L6');
    expect(out).toContain('Observability');
    expect(out).toContain('no SLO alerting');
    for (const line of renderCard(report, styler(false)).trim().split('\n')) {
      if (line.trim()) expect(out).toContain(line.trimEnd());
    }
    r.unmount();
  });
});
