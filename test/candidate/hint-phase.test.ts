// /hint speaks to the phase the candidate is in (what the engine recorded, shown in the status
// bar), not to the phase the clock has reached; when the clock is further on it says so.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hintFor } from '../../src/interview/commands/hint.js';
import { PracticeSession } from '../../src/interview/practice-session.js';
import { SessionClock } from '../../src/interview/session-clock.js';
import { loadProblem } from '../../src/content/problem-loader.js';
import type { InterviewSetup } from '../../src/interview/engine/types.js';
import { createBuiltinProvider } from '../../src/interview/builtin-provider.js';
import type { GradeReport } from '../../src/schemas/report.js';
import { resolvePaths } from '../../src/storage/paths.js';
import { TranscriptWriter } from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';
import { interviewSetup } from '../../src/interview/engine/setup.js';

const MIN = 60_000;

describe('/hint and the phase', () => {
  it('hintFor names the phase it is given, and the clock only as a nudge', async () => {
    const problem = await loadProblem('url-shortener', resolvePaths({ SDCOACH_HOME: '/dev/null/hint-phase' }));
    const setup: InterviewSetup = interviewSetup({ problem, mode: 'interview', minutes: 45, level: null, seed: 1 });
    const turns = [{ role: 'candidate' as const, text: 'Before anything: how many users, and is it read-heavy?', elapsedMs: 12 * MIN }];
    const hint = hintFor({ setup, turns, elapsedMs: 12 * MIN, phase: 'estimate' });
    expect(hint).toMatch(/^Now: Estimate: QPS, storage, bandwidth \(until 10:00\)\n/);
    expect(hint).toContain('The clock says high-level design by now');
    expect(hint).not.toMatch(/^Now: High level/);
    // In step with the clock: no nudge.
    expect(hintFor({ setup, turns, elapsedMs: 12 * MIN, phase: 'high-level' })).not.toContain('The clock says');
  });

  it('in a session, /hint follows the phase in the status bar, not the clock', async () => {
    const home = await tempHome('cand-helper-');
    try {
      const paths = resolvePaths({ SDCOACH_HOME: home.dir });
      await mkdir(paths.sessionsDir, { recursive: true });
      const problem = await loadProblem('url-shortener', paths);
      const setup: InterviewSetup = interviewSetup({ problem, mode: 'interview', minutes: 45, level: null, seed: 2 });
      const writer = await TranscriptWriter.create(path.join(paths.sessionsDir, 'hint.jsonl'), {
        id: 'hint', problem: problem.id, mode: 'interview', provider: 'builtin', model: null, rubric: 'default',
        levelTarget: null, started: '2026-11-22T10:00:00.000Z', minutes: 45, seed: 2,
      });
      let now = 0;
      const session = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
        setup,
        provider: createBuiltinProvider({ seed: 2, setup }),
        makeFallback: async () => createBuiltinProvider({ seed: 2, setup }),
        writer,
        clock: new SessionClock({ now: () => now, minutes: 45 }),
        grade: async () => ({}) as GradeReport,
      });
      await session.start();
      now = 12 * MIN; // the clock is in high-level design; the candidate is still asking questions
      await session.submit('How many users do we expect, and how many redirects per day?');
      expect(session.phase).not.toBe('high-level');
      await session.submit('/hint');
      const hint = session.getState().items.flatMap((i) => (i.kind === 'notice' && i.text.startsWith('Now: ') ? [i.text] : [])).at(-1)!;
      const expected = { clarify: 'Clarify', estimate: 'Estimate', 'high-level': 'High level', 'deep-dive': 'Deep dive', 'wrap-up': 'Wrap up' }[session.phase];
      expect(hint.startsWith(`Now: ${expected}:`)).toBe(true);
      expect(hint).toContain('The clock says high-level design by now');
      await session.quit();
    } finally {
      await home.cleanup();
    }
  });
});
