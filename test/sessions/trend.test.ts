import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chartData, fitSeries } from '../../src/commands/progress/action.js';
import { computeTrend, suggestProblem } from '../../src/grading/trend.js';
import { listProblems } from '../../src/content/problem-loader.js';
import { tempHome } from '../support/env.js';
import { writeSession } from './support.js';

describe('progress trend', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  beforeEach(async () => {
    home = await tempHome();
    process.env.SDCOACH_HOME = home.dir;
  });
  afterEach(async () => {
    delete process.env.SDCOACH_HOME;
    await home.cleanup();
  });

  it('builds series per dimension, ranks the weakest on recent form with their missing evidence', async () => {
    const dir = path.join(home.dir, 'sessions');
    const a = await writeSession(dir, { id: 'a', started: '2026-11-20T10:00:00.000Z', from: 'pair-feed-no-observability', grade: true });
    const b = await writeSession(dir, { id: 'b', started: '2026-11-21T10:00:00.000Z', from: 'strong-payments', grade: true });
    const trend = computeTrend([
      { id: 'a', started: '2026-11-20T10:00:00.000Z', report: a.report!, grade: 'stored' },
      { id: 'b', started: '2026-11-21T10:00:00.000Z', report: b.report!, grade: 'stored' },
    ]);
    expect(trend.overall.points.map((p) => p.score)).toEqual([a.report!.overall, b.report!.overall]);
    const obs = trend.dimensions.find((d) => d.id === 'observability')!;
    expect(obs.points).toEqual([
      { session: 'a', score: a.report!.dimensions.observability!.score },
      { session: 'b', score: b.report!.dimensions.observability!.score },
    ]);
    expect(trend.weakest).toHaveLength(3);
    const recents = trend.dimensions.filter((d) => d.recent !== null).map((d) => d.recent!);
    expect(trend.weakest[0]!.recent).toBe(Math.min(...recents));
    for (const w of trend.weakest) {
      if (w.missing.length) expect(w.missing).toEqual((w.missingFrom === 'b' ? b : a).report!.dimensions[w.id]!.missing);
    }
  });

  it('suggests a problem that exercises the weak dimensions, not the one just practised', async () => {
    const problems = (await listProblems()).flatMap((p) => (p.ok ? [p.problem] : []));
    const weak = [
      { id: 'security', name: 'Security', recent: 1.5, latest: 1, missing: [], missingFrom: null },
      { id: 'reliability', name: 'Reliability', recent: 2, latest: 2, missing: [], missingFrom: null },
      { id: 'observability', name: 'Observability', recent: 2.5, latest: 2, missing: [], missingFrom: null },
    ];
    const first = suggestProblem(weak, problems, ['url-shortener'])!;
    // The bank grows; whichever wins must exercise the weakest dimension and not be the last one done.
    expect(first.problem).not.toBe('url-shortener');
    expect(first.exercises.map((e) => e.dimension)).toContain('security');
    expect(first.reason).toMatch(/security \(/);
    const after = suggestProblem(weak, problems, ['payments'])!;
    expect(after.problem).not.toBe('payments');
  });

  it('stretches short series and averages long ones; the chart arrays come from the points', () => {
    expect(fitSeries([1, 2], 6)).toEqual({ series: [1, 1, 1, 2, 2, 2], columnsPerPoint: 3, pointsPerColumn: 1 });
    expect(fitSeries([1, 3, 2, 4, 5], 2)).toEqual({ series: [2, 4.5], columnsPerPoint: 1, pointsPerColumn: 3 });
    const trend = computeTrend([]);
    expect(chartData(trend)).toEqual({ columnsPerPoint: 1, pointsPerColumn: 1, overall: [], dimensions: {} });
  });
});
