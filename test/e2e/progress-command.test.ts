// `sdcoach progress` through the built CLI: the chart on the example sessions, and --json giving
// exactly the numbers the chart is drawn from.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitSeries } from '../../src/commands/progress/action.js';
import { packagedDirs } from '../../src/storage/paths.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';
import { writeSession } from '../sessions/support.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;

beforeAll(async () => {
  home = await tempHome();
  env = { SDCOACH_HOME: home.dir, TZ: 'UTC' };
});
afterAll(() => home.cleanup());

interface ProgressJson {
  sessions: { id: string; overall: number; grade: string; scores: Record<string, number | null> }[];
  overall: { points: { session: string; score: number }[]; first: number; latest: number };
  dimensions: { id: string; name: string; points: { session: string; score: number }[]; first: number; latest: number }[];
  weakest: { id: string; name: string; recent: number; missing: string[] }[];
  suggestion: { problem: string; reason: string } | null;
  chart: { overall: number[]; dimensions: Record<string, number[]>; columnsPerPoint: number };
  skipped: { id: string; reason: string }[];
}

describe('progress on the example sessions', () => {
  it('draws the overall and per-dimension charts, the weakest three and a next problem', async () => {
    const result = await runCli(['progress', '--dir', packagedDirs().sessions], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Progress over 5 sessions, 2026-11-20 → 2026-11-26/);
    expect(result.stdout).toMatch(/ 5\.0 {2}┤/); // asciichart's y axis
    expect(result.stdout).toMatch(/[╭╮╯╰─]{3}/);
    expect(result.stdout).toMatch(/Weakest dimensions/);
    expect(result.stdout).toMatch(/\nNext: [a-z-]+ — /);
  });

  it('--json has the same numbers: the text shows them and the chart arrays are built from the points', async () => {
    const [text, json] = await Promise.all([
      runCli(['progress', '--dir', packagedDirs().sessions], env),
      runCli(['progress', '--dir', packagedDirs().sessions, '--json'], env),
    ]);
    const data = JSON.parse(json.stdout) as ProgressJson;
    expect(data.sessions).toHaveLength(5);
    expect(data.sessions.every((s) => s.grade === 'graded-now')).toBe(true);
    expect(data.chart.overall).toEqual(fitSeries(data.overall.points.map((p) => p.score), 64).series);
    for (const d of data.dimensions) {
      expect(data.chart.dimensions[d.id]).toEqual(fitSeries(d.points.map((p) => p.score), 30).series);
      expect(text.stdout).toContain(`${d.name} ${d.first.toFixed(1)} → ${d.latest.toFixed(1)}`);
      expect(d.points.map((p) => p.score)).toEqual(data.sessions.flatMap((s) => (s.scores[d.id] == null ? [] : [s.scores[d.id]])));
    }
    expect(text.stdout).toContain(`first ${data.overall.first.toFixed(2)} · latest ${data.overall.latest.toFixed(2)}`);
    for (const w of data.weakest) {
      expect(text.stdout).toContain(`${w.recent.toFixed(2)}  ${w.name}`);
      for (const m of w.missing.slice(0, 3)) expect(text.stdout).toContain(`- ${m}`);
    }
    expect(text.stdout).toContain(`Next: ${data.suggestion!.problem}`);
  });
});

describe('progress on recorded sessions', () => {
  it('uses stored grades, skips a corrupted file with its reason, and filters', async () => {
    process.env.SDCOACH_HOME = home.dir;
    const dir = path.join(home.dir, 'sessions');
    const a = await writeSession(dir, { id: '20261101-100000-aaaaaa', started: '2026-11-01T10:00:00.000Z', grade: true });
    await writeSession(dir, { id: '20261110-100000-bbbbbb', started: '2026-11-10T10:00:00.000Z', from: 'strong-payments', grade: true });
    await (await import('node:fs/promises')).writeFile(path.join(dir, '20261111-000000-broken.jsonl'), '{"type":"me');
    delete process.env.SDCOACH_HOME;

    const data = JSON.parse((await runCli(['progress', '--json'], env)).stdout) as ProgressJson;
    expect(data.sessions.map((s) => [s.id, s.grade])).toEqual([
      ['20261101-100000-aaaaaa', 'stored'],
      ['20261110-100000-bbbbbb', 'stored'],
    ]);
    expect(data.sessions[0]!.overall).toBe(a.report!.overall);
    expect(data.skipped).toEqual([{ id: '20261111-000000-broken', reason: expect.stringMatching(/^unreadable: /) }]);

    const filtered = JSON.parse((await runCli(['progress', '--json', '--problem', 'payments'], env)).stdout) as ProgressJson;
    expect(filtered.sessions.map((s) => s.id)).toEqual(['20261110-100000-bbbbbb']);
    const since = JSON.parse((await runCli(['progress', '--json', '--since', '2026-11-05'], env)).stdout) as ProgressJson;
    expect(since.sessions.map((s) => s.id)).toEqual(['20261110-100000-bbbbbb']);
  });

  it('says so when nothing matches, and refuses a bad --since or rubric', async () => {
    const none = await runCli(['progress', '--problem', 'no-such-problem'], env);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/No graded sessions to chart/);
    expect((await runCli(['progress', '--since', 'whenever'], env)).code).toBe(2);
    const rubric = await runCli(['progress', '--rubric', 'nope'], env);
    expect(rubric.code).toBe(2);
    expect(rubric.stderr).toMatch(/nope/);
  });
});
