// Issue 11's listening figures, asserted: 20 seeded 60-turn sessions across the packaged problems
// (bench/interviewer-listening.ts plays them; `npm run bench` prints the same figures).
import { describe, expect, it } from 'vitest';
import { measureListening } from '../../bench/interviewer-listening.js';

describe('the builtin interviewer listens', () => {
  it('over 20 seeded 60-turn sessions: no repeated question, no rejected option challenged, ≥ 90% of replies build on the previous turn, no early close', async () => {
    const r = await measureListening(20);
    expect(r.interviewerTurns).toBe(1200);
    expect(r.repeatedQuestions).toEqual([]);
    expect(r.rejectedChallenged).toEqual([]);
    expect(r.closedEarly).toBe(0);
    expect(r.fraction).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
