// A pasted transcript has no clock: its turn times are estimated from word counts, so they must
// not cap the level as if the candidate had spoken for four minutes (a 700-word monologue was
// capped at L4 "over 4 minutes"). Recorded times still count.
import { describe, expect, it } from 'vitest';
import { evidenceSize } from '../../src/grading/levels.js';

const turns = [
  { role: 'candidate', text: 'word '.repeat(700), elapsedMs: 0 },
  { role: 'candidate', text: 'end', elapsedMs: 4 * 60_000 },
];

describe('evidence size', () => {
  it('ignores estimated times and keeps recorded ones', () => {
    expect(evidenceSize(turns, true)).toEqual({ candidateWords: 701, minutes: null });
    expect(evidenceSize(turns)).toEqual({ candidateWords: 701, minutes: 4 });
  });
});
