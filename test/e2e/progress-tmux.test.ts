// `sdcoach progress` on the shipped example sessions, in a real terminal: the chart is drawn,
// and `--json` carries the same numbers the screen shows.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempHome } from '../support/env.js';
import { TmuxApp } from '../support/tmux.js';

const EXAMPLES = path.resolve(import.meta.dirname, '..', '..', 'sessions');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

describe('sdcoach progress in a terminal (tmux)', () => {
  it('draws the trend chart for the example sessions; --json has the same numbers', async () => {
    const home = await tempHome();
    cleanups.push(home.cleanup);
    const app = await TmuxApp.start({ args: ['progress', '--dir', EXAMPLES], env: { SDCOACH_HOME: home.dir }, rows: 60, columns: 110 });
    cleanups.push(() => app.kill());
    const screen = await app.waitForScreen(/Weakest|weakest/, 'the weakest dimensions under the chart');
    // asciichart's axis and line characters.
    expect(screen).toMatch(/┤/);
    expect(screen).toMatch(/[╭╮╯╰─]/);

    const json = JSON.parse((await runCli(['progress', '--dir', EXAMPLES, '--json'], { SDCOACH_HOME: home.dir })).stdout);
    const overall = json.overall as { first: number; latest: number; points: { score: number }[] };
    expect(overall.points.length).toBe(json.sessions.length ?? json.sessions);
    expect(screen).toContain(`first ${overall.first.toFixed(2)} · latest ${overall.latest.toFixed(2)}`);
    for (const weak of json.weakest as { name?: string; id: string }[]) expect(screen).toContain(weak.name ?? weak.id);
  });
});
