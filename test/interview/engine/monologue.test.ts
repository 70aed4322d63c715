import { beforeAll, describe, expect, it } from 'vitest';
import { monologueWrapUpPrompt, nextMove, phaseGuide, replayChallenges } from '../../../src/interview/engine/index.js';
import type { EngineTurn } from '../../../src/interview/engine/types.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { MINUTE, packagedProblems, setupFor } from './support.js';

let problems: Map<string, LoadedProblem>;
beforeAll(async () => {
  problems = await packagedProblems();
});

const MONOLOGUE = [
  'Requirements: create short links, redirect quickly, count clicks, keep abuse out.',
  'We get about 50 writes per second from new links, and reads are 100x that.',
  'We store everything in Cassandra.',
  'The API service generates a code, writes the record, and the redirect service reads it back through the CDN.',
  'Creators see click counts on a dashboard.',
].join('\n\n');

describe('monologue mode', () => {
  it('the phase guide follows the clock, scaled to the session', () => {
    expect(phaseGuide({ minutes: 45 }, 0)).toEqual({ phase: 'clarify', hint: 'Clarify: scope, users, scale, latency (until 5:00)', untilMs: 5 * MINUTE });
    expect(phaseGuide({ minutes: 45 }, 12 * MINUTE)).toMatchObject({ phase: 'high-level', untilMs: 20 * MINUTE });
    expect(phaseGuide({ minutes: 45 }, 12 * MINUTE).hint).toMatch(/^High level: .*\(until 20:00\)$/);
    expect(phaseGuide({ minutes: 45 }, 30 * MINUTE)).toMatchObject({ phase: 'deep-dive', untilMs: 40 * MINUTE });
    expect(phaseGuide({ minutes: 45 }, 44 * MINUTE)).toMatchObject({ phase: 'wrap-up', untilMs: 45 * MINUTE });
    expect(phaseGuide({ minutes: 45 }, 50 * MINUTE)).toMatchObject({ phase: 'wrap-up', untilMs: 45 * MINUTE });
    expect(phaseGuide({ minutes: 30 }, 4 * MINUTE)).toMatchObject({ phase: 'estimate' });
    expect(phaseGuide({ minutes: 30 }, 4 * MINUTE).hint).toMatch(/until 6:40/);
  });

  it('one wrap-up prompt at time-up', () => {
    const problem = problems.get('url-shortener')!;
    const prompt = monologueWrapUpPrompt({ problem });
    expect(prompt).toMatch(/^Time\./);
    expect(prompt).toContain(problem.title);
  });

  it('replays the two weakest claims, quoting each', () => {
    const problem = problems.get('url-shortener')!;
    const setup = setupFor(problem, { mode: 'monologue' });
    const turns: EngineTurn[] = [{ role: 'candidate', text: MONOLOGUE, elapsedMs: 40 * MINUTE }];
    const replay = replayChallenges(setup, turns);
    expect(replay).toHaveLength(2);
    for (const move of replay) expect(move).toMatchObject({ kind: 'replay', phase: 'wrap-up' });
    // A number an order of magnitude off the reference (1,160 writes/s), and an unexplained Cassandra.
    expect(replay[0]!.text).toMatch(/^You said: "We get about 50 writes per second/);
    expect(replay[0]!.text).toMatch(/arithmetic/);
    expect(replay[1]!.text).toBe(`You said: "We store everything in Cassandra". ${problem.pushbacks[0]!.question}`);
    expect(replay[1]!.pushback?.topic).toBe('cassandra');
    // Same input, same replay.
    expect(replayChallenges(setup, turns)).toEqual(replay);
  });

  it('challenges a missing area when nothing said is weaker', () => {
    const setup = setupFor(problems.get('url-shortener')!, { mode: 'monologue' });
    const turns: EngineTurn[] = [
      { role: 'candidate', text: 'About 1,200 writes per second because 100M a day divided by 86,400 seconds, and 116k reads per second.', elapsedMs: 0 },
    ];
    const replay = replayChallenges(setup, turns);
    expect(replay.map((m) => m.topic)).toEqual(['failure handling', 'observability']);
    expect(replay[0]!.text).toMatch(/never said what happens when something fails/);
  });

  it('nextMove in monologue mode: opening, no interruptions, the wrap-up prompt, the replay, the close', () => {
    const problem = problems.get('url-shortener')!;
    const setup = setupFor(problem, { mode: 'monologue' });
    const open = nextMove(setup, [], 0);
    expect(open.kind).toBe('open');
    expect(open.text).toMatch(/I won't interrupt/);
    const turns: EngineTurn[] = [
      { role: 'interviewer', text: open.text, elapsedMs: 0 },
      { role: 'candidate', text: MONOLOGUE, elapsedMs: 44 * MINUTE },
    ];
    expect(nextMove(setup, turns, 44 * MINUTE)).toMatchObject({ kind: 'time-check', phase: 'wrap-up' });
    const wrap = nextMove(setup, turns, 45 * MINUTE);
    expect(wrap).toMatchObject({ kind: 'wrap-up', text: monologueWrapUpPrompt(setup) });
    turns.push({ role: 'interviewer', text: wrap.text, elapsedMs: 45 * MINUTE });
    turns.push({ role: 'candidate', text: 'In short: KV store, CDN, async analytics.', elapsedMs: 46 * MINUTE });
    const replay = replayChallenges(setup, turns);
    const first = nextMove(setup, turns, 46 * MINUTE);
    expect(first).toEqual(replay[0]);
    turns.push({ role: 'interviewer', text: first.text, elapsedMs: 46 * MINUTE });
    turns.push({ role: 'candidate', text: "I'd keep Cassandra because it is 100k single-key reads per second.", elapsedMs: 47 * MINUTE });
    const second = nextMove(setup, turns, 47 * MINUTE);
    expect(second).toEqual(replay[1]);
    turns.push({ role: 'interviewer', text: second.text, elapsedMs: 47 * MINUTE });
    turns.push({ role: 'candidate', text: 'Fair.', elapsedMs: 48 * MINUTE });
    expect(nextMove(setup, turns, 48 * MINUTE).kind).toBe('close');
  });

  describe('the replay challenges only what is weak or wrong', () => {
    const replayOf = (id: string, paragraphs: string[]) =>
      replayChallenges(
        setupFor(problems.get(id)!, { mode: 'monologue' }),
        paragraphs.map((text, i): EngineTurn => ({ role: 'candidate', text, elapsedMs: (i + 1) * MINUTE })),
      ).map((m) => m.text);

    it('correct arithmetic and a latency requirement are never "a different order of magnitude"', () => {
      const replay = replayOf('llm-chat', [
        '300M messages a day is about 3,500 per second on average.',
        'Time to first token must stay under 500 ms at p99, and replies stream over SSE because the client only listens.',
      ]);
      // (The SSE pushback may quote the latency sentence; neither figure is challenged as a figure.)
      for (const text of replay) expect(text).not.toMatch(/arithmetic|order of magnitude|Where does that number come from/);
    });

    it('a 10x arithmetic error is challenged', () => {
      const replay = replayOf('url-shortener', ['300M redirects a day divided by 86,400 is about 35,000 per second.']);
      expect(replay.some((t) => /35,000 per second/.test(t) && /arithmetic/.test(t))).toBe(true);
    });

    it('an option rejected in "X, not Y" is never challenged, and the pick that names its alternative is not blind', () => {
      const replay = replayOf('llm-chat', ["I'd use SSE, not WebSockets, for streaming replies."]);
      expect(replay.join(' ')).not.toMatch(/Why WebSockets/);
      expect(replay.join(' ')).not.toMatch(/not the obvious alternative/);
    });

    it('an option only weighed and set aside is not challenged', () => {
      const replay = replayOf('rate-limiter', [
        'Fixed window has a 2x boundary burst and sliding log stores every timestamp, so I pick token bucket, two numbers per key.',
      ]);
      expect(replay.join(' ')).not.toMatch(/sliding log is exact|0:59/);
    });
  });
});
