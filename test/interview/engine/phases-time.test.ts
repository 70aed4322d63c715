import { beforeAll, describe, expect, it } from 'vitest';
import { currentPhase, nextMove } from '../../../src/interview/engine/index.js';
import type { EngineTurn, Move } from '../../../src/interview/engine/types.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { MINUTE, packagedProblems, paced, play, setupFor, type ScriptLine } from './support.js';

let problems: Map<string, LoadedProblem>;
beforeAll(async () => {
  problems = await packagedProblems();
});

/** Neutral, concrete candidate lines (no pushback triggers for the URL shortener). */
const NEUTRAL = [
  'The API service validates the long URL and returns the short link.',
  'Each record holds the code, the long URL, the creator and the expiry.',
  'The redirect service looks the code up and answers with a redirect.',
  'Creators see their click counts on a dashboard page in the web app.',
  'Expired links return 404 and their codes are never handed out again.',
  'Custom aliases are checked for uniqueness before they are accepted.',
];

function lines(count: number, startMs: number, stepMs: number): ScriptLine[] {
  return Array.from({ length: count }, (_, i) => ({ text: `${NEUTRAL[i % NEUTRAL.length]} (point ${i + 1})`, atMs: startMs + i * stepMs }));
}

const timeChecks = (moves: Move[], script: ScriptLine[]) =>
  moves.slice(1).flatMap((m, i) => (m.kind === 'time-check' ? [{ atMin: script[i]!.atMs / MINUTE, text: m.text }] : []));

describe('phases and time', () => {
  it('says "ten minutes left" and "five minutes left" once each, at the right time', () => {
    const script = lines(23, 30 * 1000, 2 * MINUTE); // a line every 2 minutes from 0:30 to 44:30
    const { moves } = play(setupFor(problems.get('url-shortener')!), script);
    const checks = timeChecks(moves, script).filter((c) => /left/.test(c.text));
    // An acknowledgement of the turn may come before the time check.
    expect(checks.map((c) => /\w+ minutes left/.exec(c.text)![0])).toEqual(['Ten minutes left', 'Five minutes left']);
    expect(checks[0]!.atMin).toBeGreaterThanOrEqual(35);
    expect(checks[0]!.atMin).toBeLessThan(40);
    expect(checks[1]!.atMin).toBeGreaterThanOrEqual(40);
    expect(checks[1]!.atMin).toBeLessThan(45);
    expect(checks[0]!.text).toMatch(/pick one component and go deep/i);
    expect(checks[1]!.text).toMatch(/wrap up/i);
  });

  it('scales the schedule to the session length', () => {
    const script = lines(30, 30 * 1000, 60 * 1000);
    const { moves } = play(setupFor(problems.get('url-shortener')!, { minutes: 30 }), script);
    const checks = timeChecks(moves, script).filter((c) => /left/.test(c.text));
    expect(checks[0]!.text).toMatch(/(?:^|\. )Seven minutes left/);
    expect(checks[0]!.atMin).toBeGreaterThanOrEqual(23);
    // An acknowledgement of the turn may come first.
    expect(checks[1]!.text).toMatch(/(?:^|\. )Three minutes left/);
    expect(checks[1]!.atMin).toBeGreaterThanOrEqual(27);
  });

  it('a late turn skips a time check whose moment has passed', () => {
    const script = [
      { text: NEUTRAL[0]!, atMs: 30 * MINUTE },
      { text: NEUTRAL[1]!, atMs: 41 * MINUTE },
    ];
    const { moves } = play(setupFor(problems.get('url-shortener')!), script);
    expect(moves[2]!.text).toMatch(/(?:^|\. )Five minutes left/);
    expect(moves.some((m) => /(?:^|\. )Ten minutes left/.test(m.text))).toBe(false);
  });

  it('nudges a candidate still on requirements after ten minutes', () => {
    const script = paced(['How many daily users?', 'What is the read/write ratio?', 'Which regions?', 'How long do we keep links?'], 3 * MINUTE, 3 * MINUTE);
    const { moves } = play(setupFor(problems.get('url-shortener')!), script);
    // The question is answered, and the clock has its say in the same turn.
    expect(moves[4]!.kind).toBe('time-check');
    expect(moves[4]!.text).toMatch(/^Links are kept for five years/);
    expect(moves[4]!.text).toMatch(/Ten minutes in and we're still on requirements/);
  });

  it('asks for the wrap-up at time-up, then closes', () => {
    const script = [
      { text: NEUTRAL[0]!, atMs: 20 * MINUTE },
      { text: NEUTRAL[1]!, atMs: 46 * MINUTE },
      { text: 'To summarise: API, key-value store, cache, async analytics.', atMs: 47 * MINUTE },
    ];
    const { moves } = play(setupFor(problems.get('url-shortener')!), script);
    expect(moves[2]).toMatchObject({ kind: 'wrap-up', phase: 'wrap-up' });
    expect(moves[3]).toMatchObject({ kind: 'close', phase: 'wrap-up' });
  });

  it('tracks the phase from content and from the clock', () => {
    const setup = setupFor(problems.get('url-shortener')!);
    const turns = (...texts: string[]): EngineTurn[] => texts.map((text, i) => ({ role: i % 2 ? 'candidate' : 'interviewer', text, elapsedMs: i * 1000 }));
    expect(currentPhase(setup, turns('open', 'How many daily users?'), MINUTE)).toBe('clarify');
    expect(currentPhase(setup, turns('open', '100M writes a day is about 1,200 writes per second, and 116k reads per second.'), MINUTE)).toBe('estimate');
    expect(
      currentPhase(setup, turns('open', 'The load balancer sends requests to the API service, which reads the key-value store through a cache.'), MINUTE),
    ).toBe('high-level');
    // The clock only drags the phase along when it is more than one phase behind what was said.
    expect(currentPhase(setup, turns('open', 'How many daily users?'), 6 * MINUTE)).toBe('clarify');
    expect(currentPhase(setup, turns('open', 'How many daily users?'), 25 * MINUTE)).toBe('high-level');
    expect(currentPhase(setup, turns('open', 'How many daily users?'), 41 * MINUTE)).toBe('deep-dive');
    // Content never moves it back.
    expect(
      currentPhase(setup, turns('open', 'The load balancer sends requests to the API service, which reads the key-value store through a cache.', 'q', 'How many users?'), MINUTE),
    ).toBe('high-level');
  });

  it('reaching the deep dive with no word on monitoring draws an observability question', () => {
    const problem = problems.get('url-shortener')!;
    const design = [
      '100M writes a day is about 1,200 writes per second, and 116k reads per second; five years is about 90 TB.',
      'The load balancer sends requests to the API service, which reads the key-value store; each record is keyed by code.',
    ];
    // By the clock: the deep dive starts at 20 minutes.
    const byClock = play(setupFor(problem), [...paced(design, 8 * MINUTE, 4 * MINUTE), { text: 'Writes go to the primary and are replicated to two followers.', atMs: 21 * MINUTE }]);
    // The interviewer asks by the clock; the phase recorded follows the candidate (a replication turn at 21 minutes).
    expect(byClock.moves[3]).toMatchObject({ kind: 'probe', topic: 'observability' });
    // By content: the candidate dives in early.
    const byContent = play(setupFor(problem), [
      ...paced(design, 6 * MINUTE, 2 * MINUTE),
      { text: "Let's deep dive on failover: when a replica crashes, a follower is promoted, and the shards rebalance.", atMs: 13 * MINUTE },
    ]);
    expect(currentPhase(setupFor(problem), byContent.turns.slice(0, -1), 13 * MINUTE)).toBe('deep-dive');
    expect(byContent.moves[3]).toMatchObject({ kind: 'probe', topic: 'observability' });
    expect(byContent.moves[3]!.text).toMatch(/measure|alert|know/);
    // With monitoring already covered, no observability question comes first.
    const covered = play(setupFor(problem), [
      ...paced(design, 8 * MINUTE, 4 * MINUTE),
      { text: 'We monitor p99 redirect latency and error rate against the SLO and alert on burn rate.', atMs: 21 * MINUTE },
    ]);
    expect(covered.moves[3]!.topic).not.toBe('observability');
  });

  it('asks "how exactly?" after a vague answer, but not twice in a row', () => {
    const problem = problems.get('url-shortener')!;
    const { moves } = play(setupFor(problem), paced(['The API service writes each record to the key-value store.', 'It just works, basically.', 'Yeah, like I said.'], 12 * MINUTE, MINUTE));
    expect(['probe', 'deep-dive', 'scale']).toContain(moves[1]!.kind);
    expect(moves[2]).toMatchObject({ kind: 'follow-up', topic: 'specifics' });
    expect(moves[3]!.kind).not.toBe('follow-up');
    // A short but concrete answer is not vague.
    const concrete = play(setupFor(problem), paced(['The API service writes each record to the key-value store.', 'Replicate it three ways.'], 12 * MINUTE, MINUTE));
    expect(concrete.moves[2]!.kind).not.toBe('follow-up');
  });

  it('gives senior candidates the deep dives and scale questions earlier', () => {
    const problem = problems.get('url-shortener')!;
    const script = paced(
      [
        '100M writes a day is about 1,200 writes per second, and 116k reads per second; five years is about 90 TB on 30 nodes.',
        'The API service writes each record, keyed by code with a partition key on the code, so the read path is one lookup.',
      ],
      10 * MINUTE,
      2 * MINUTE,
    );
    const kinds = (level: 'L4' | 'L6') => play(setupFor(problem, { level }), script).moves.slice(1).map((m: Move) => m.kind);
    expect(kinds('L6').some((k) => k === 'deep-dive' || k === 'scale')).toBe(true);
    expect(kinds('L4').some((k) => k === 'deep-dive' || k === 'scale')).toBe(false);
  });
});
