// /hint reads the candidate's turns the way the interviewer does: what it lists as missing is
// what the interviewer would probe.
import { describe, expect, it } from 'vitest';
import { hintFor } from '../../src/interview/commands/hint.js';
import { loadProblem } from '../../src/content/problem-loader.js';
import { resolvePaths } from '../../src/storage/paths.js';
import { interviewSetup } from '../../src/interview/engine/setup.js';

describe('/hint', () => {
  it('lists the areas and components not covered yet, and drops them once said', async () => {
    const problem = await loadProblem('url-shortener', resolvePaths({ SDCOACH_HOME: '/dev/null/hint-test' }));
    const setup = interviewSetup({ problem, mode: 'interview' as const, minutes: 45, level: null, seed: 1 });
    const before = hintFor({ setup, turns: [], elapsedMs: 0 });
    expect(before).toMatch(/^Now: Clarify/);
    expect(before).toContain('back-of-the-envelope numbers');
    expect(before).toContain('load balancer');

    const turns = [
      {
        role: 'candidate' as const,
        text: 'Peak is about 350k redirects per second. A load balancer spreads traffic over a stateless API service; links live in a key-value store with a Redis cache in front.',
        elapsedMs: 600_000,
      },
    ];
    const after = hintFor({ setup, turns, elapsedMs: 600_000 });
    expect(after).not.toContain('back-of-the-envelope numbers');
    expect(after).not.toContain('load balancer');
    expect(after).toContain('monitoring: metrics, SLOs and alerts');
  });
});
