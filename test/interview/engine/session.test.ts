import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextMove } from '../../../src/interview/engine/index.js';
import type { InterviewSetup, Move } from '../../../src/interview/engine/types.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { MINUTE, packagedProblems, play, questionsIn, setupFor, type ScriptLine } from './support.js';

let problems: Map<string, LoadedProblem>;
beforeAll(async () => {
  problems = await packagedProblems();
});

/** What a candidate might say, for any problem; the problem's own triggers are added per problem. */
const GENERIC_LINES = [
  'How many daily users?',
  'What is the latency SLO?',
  'Which regions do we serve?',
  'Do we need to support dark mode?',
  'Should I start with the API?',
  'How many daily users, and what is the read/write ratio?',
  'ok',
  'Sure, something like that.',
  "You're right, let's switch.",
  "I'd keep it, because the access pattern is single-key lookups at about 100k reads per second; the tradeoff is no ad-hoc queries.",
  'Good point. Since we never need joins, I would switch to a managed key-value store instead, at the cost of vendor lock-in.',
  'About 100 million writes a day is roughly 1,200 writes per second; reads are 100x that.',
  'Five years of data at 500 bytes a record is about 90 TB before replication.',
  'The load balancer sends requests to stateless API servers, which read the data store through a cache.',
  'The main table is keyed by id, partitioned by hash of the id, with a secondary index on the owner.',
  'Each write goes to a leader and is replicated to two followers in other zones.',
  'Clients retry with exponential backoff and an idempotency key, so a retry never does the work twice.',
  'We monitor p99 latency and error rate against the SLO and page on a fast burn rate.',
  'Requests are authenticated with API keys and rate limited per key.',
  "Let's deep dive on failover: when a node crashes, a follower is promoted within seconds.",
  'At 10x the first thing to break is the write path, so we shard by id and add nodes.',
  'To summarise: stateless services, a sharded store, a cache, async pipelines, and SLO alerts.',
  'Hmm, not sure.',
  "It's not a problem, we do not need Cassandra or Redis here.",
];

function linePool(problem: LoadedProblem): string[] {
  const triggers = problem.pushbacks.flatMap((p) => p.trigger).map((t) => `I would use ${t} for this part.`);
  return [...GENERIC_LINES, ...triggers];
}

/** A random 60-turn session: lines from the pool at random gaps (5 s to 2 min). */
function sessionArb(pool: string[]) {
  return fc.array(fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.integer({ min: 5_000, max: 2 * MINUTE })), { minLength: 60, maxLength: 60 }).map((picks) => {
    let at = 0;
    return picks.map(([i, gap]): ScriptLine => ({ text: pool[i]!, atMs: (at += gap) }));
  });
}

/** Repeated interviewer lines, other than the one closing line that is allowed to repeat. */
function repeats(moves: Move[]): string[] {
  const seenTexts = new Set<string>();
  const seenQuestions = new Set<string>();
  const out: string[] = [];
  for (const move of moves) {
    if (move.kind === 'close') continue;
    if (seenTexts.has(move.text)) out.push(move.text);
    seenTexts.add(move.text);
    for (const q of questionsIn(move.text)) {
      if (seenQuestions.has(q)) out.push(q);
      seenQuestions.add(q);
    }
  }
  return out;
}

describe('a whole interview', () => {
  it('never repeats a question across a 60-turn session (every packaged problem, several seeds)', () => {
    expect(problems.size).toBeGreaterThanOrEqual(6);
    for (const [, problem] of problems) {
      const pool = linePool(problem);
      fc.assert(
        fc.property(sessionArb(pool), fc.integer({ min: 1, max: 1000 }), fc.constantFrom('L4', 'L5', 'L6', null), (script, seed, level) => {
          const { moves } = play(setupFor(problem, { seed, level: level as InterviewSetup['level'] }), script);
          expect(moves).toHaveLength(61);
          expect(repeats(moves)).toEqual([]);
          // Every move is well-formed.
          for (const move of moves) expect(move.text.trim()).not.toBe('');
        }),
        { numRuns: 15, seed: 4242 },
      );
    }
  });

  it('no question repeats either when a session is resumed from its texts alone', () => {
    const problem = problems.get('url-shortener')!;
    const pool = linePool(problem);
    const script = pool.slice(0, 30).map((text, i) => ({ text, atMs: (i + 1) * MINUTE }));
    const setup = setupFor(problem);
    const whole = play(setup, script);
    // Replay the same transcript with every turn re-created from its text, as a resumed session would.
    const copies = whole.turns.map((t) => ({ ...t, text: `${t.text}` }));
    expect(nextMove(setup, copies, 31 * MINUTE)).toEqual(nextMove(setup, whole.turns, 31 * MINUTE));
  });

  it('the same seed gives the same interview; different seeds can differ', () => {
    const problem = problems.get('url-shortener')!;
    const script = linePool(problem)
      .filter((l) => !/\?$/.test(l))
      .slice(0, 20)
      .map((text, i) => ({ text, atMs: (i + 1) * 2 * MINUTE }));
    const interview = (seed: number) => play(setupFor(problem, { seed }), script).moves;
    expect(interview(7)).toEqual(interview(7));
    const texts = (seed: number) => interview(seed).map((m) => m.text).join('\n');
    const distinct = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(texts));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('each move says which phase the interview is in and never goes back', () => {
    const problem = problems.get('news-feed')!;
    const script = linePool(problem).map((text, i) => ({ text, atMs: (i + 1) * 90_000 }));
    const order = ['clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up'];
    const phases = play(setupFor(problem), script).moves.map((m) => order.indexOf(m.phase));
    for (let i = 1; i < phases.length; i++) expect(phases[i]).toBeGreaterThanOrEqual(phases[i - 1]!);
  });

  it('when the fixed questions are used up, keeps asking about the design and closes only once time is up', () => {
    const problem = problems.get('url-shortener')!;
    // Concrete answers every 30 s: the fixed pool runs dry long before the clock does.
    const script = Array.from({ length: 100 }, (_, i) => ({ text: `Point ${i}: the API service writes record ${i} to the key-value store.`, atMs: (i + 1) * 30_000 }));
    const { moves } = play(setupFor(problem), script);
    const replies = moves.slice(1);
    const beforeTime = replies.filter((_, i) => script[i]!.atMs < 45 * MINUTE);
    expect(beforeTime.filter((m) => m.kind === 'close')).toEqual([]);
    expect(beforeTime.some((m) => m.kind === 'wrap-up' || /Wrap up|Summarise/.test(m.text))).toBe(true);
    expect(repeats(replies)).toEqual([]);
    // After time-up: the closing lines.
    expect(replies.at(-1)!.kind).toBe('close');
  });
});
