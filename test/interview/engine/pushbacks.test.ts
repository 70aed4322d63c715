import { beforeAll, describe, expect, it } from 'vitest';
import { labelAnswer, nextMove, pushbackOutcomes } from '../../../src/interview/engine/index.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { MINUTE, packagedProblems, paced, play, setupFor } from './support.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

let problems: Map<string, LoadedProblem>;
beforeAll(async () => {
  problems = await packagedProblems();
});

const CASSANDRA = 'Why not Cassandra here? Wouldn\'t a relational database be simpler?';

describe('pushbacks', () => {
  it('naming Cassandra draws the Cassandra pushback, once', () => {
    const problem = problems.get('url-shortener')!;
    const { moves } = play(
      setupFor(problem),
      paced(['I would store the links in Cassandra.', 'It scales out for single-key lookups.', 'And Cassandra replicates across regions.']),
    );
    expect(moves[1]).toMatchObject({ kind: 'pushback', text: CASSANDRA, topic: 'cassandra' });
    expect(moves[1]!.pushback).toEqual({ topic: 'cassandra', expected: problem.pushbacks[0]!.expected });
    expect(moves.slice(2).some((m) => m.text.includes(CASSANDRA))).toBe(false);
  });

  it('a negated or rejected technology draws no pushback', () => {
    const problem = problems.get('url-shortener')!;
    for (const text of ['We do not need Cassandra for this.', 'Instead of Cassandra I would pick a managed key-value store.', 'Should we use Cassandra?']) {
      const { moves } = play(setupFor(problem), paced([text]));
      expect(moves[1]!.text, text).not.toContain(CASSANDRA);
    }
  });

  it('an option weighed and refused in the same breath is not challenged, and is acknowledged by its name', () => {
    const problem = problems.get('url-shortener')!;
    for (const text of [
      'We could use Cassandra, but I would not: Postgres with read replicas, because 1,200 writes per second fits one primary.',
      "We could use Cassandra, but I wouldn't.",
      'Cassandra would work, but I would not use it here.',
      "Cassandra is an option, but I won't pick it.",
      'Cassandra could do it, but not for this.',
    ]) {
      const { moves } = play(setupFor(problem), paced([text]));
      expect(moves[1]!.text, text).not.toContain(CASSANDRA);
      expect(moves[1]!.text, text).not.toMatch(/\bcassandra\b/);
    }
    // A first thought named and dropped: the pick after it is what gets challenged.
    const thought = play(setupFor(problem), paced(['I was going to say Cassandra, but Postgres is enough at 1,200 writes per second.']));
    expect(thought.moves[1]!.text).not.toContain(CASSANDRA);
    expect(thought.moves[1]!.text).toMatch(/Postgres/);
    // The refusal is of the option before it only: "but I wouldn't pick Postgres" keeps Cassandra.
    const kept = play(setupFor(problem), paced(["Cassandra for the links, but I wouldn't pick Postgres."]));
    expect(kept.moves[1]!.text).toContain(CASSANDRA);
    // A "but" that narrows, refuses something else, or belongs to a later clause leaves the pick held.
    for (const text of [
      'I would store the links in Cassandra, but not for the analytics workload.',
      "I'd use Cassandra for the links and Redis for the cache, but not for sessions.",
      "I'd use Cassandra, a lot of teams would reach for Postgres, but I wouldn't.",
      'We use Cassandra, but not for now.',
      "I'm going to say Cassandra, because it handles the write rate.",
    ]) {
      expect(play(setupFor(problem), paced([text])).moves[1]!.text, text).toContain(CASSANDRA);
    }
    // Held, then: "I would use Cassandra, but not yet" is not a refusal of the store.
    const soon = play(setupFor(problem), paced(['I would store the links in Cassandra, but I would shard it by code.']));
    expect(soon.moves[1]!.text).toContain(CASSANDRA);
  });

  it('a string of technology names is not a choice to push back on: the candidate is asked to place one', () => {
    const problem = problems.get('url-shortener')!;
    const salad = play(setupFor(problem), paced(['Kafka, Redis, Cassandra, sharding, CDN, consistent hashing, circuit breakers.', 'Microservices, Kubernetes, Redis, Kafka.']));
    expect(salad.moves[1]).toMatchObject({ kind: 'follow-up' });
    expect(salad.moves[1]!.text).toMatch(/^That's a list, not a design yet\. Take Kafka: where does it sit/);
    expect(salad.moves[2]!.text).toBe('Another list. Take Kubernetes: what does it do here, and why?');
    // An outline of components is a design step, and a list with a reason is a claim: neither is a bare list.
    for (const text of ['Components: load balancer, API servers, Redis cache, Cassandra.', 'Redis, Cassandra and a CDN in front, because reads dominate.']) {
      expect(play(setupFor(problem), paced([text])).moves[1]!.text, text).not.toMatch(/a list/);
    }
  });

  it('a defence that names the rival as its drawback keeps the pick, acknowledged by its name', () => {
    const problem = problems.get('url-shortener')!;
    const moves = play(setupFor(problem), paced(['I would store links in Cassandra.', 'You asked why not a relational database: Postgres would need sharding at 90 TB, so Cassandra stays.'])).moves;
    // Postgres was read as the new pick and challenged ("Can a single Postgres instance handle this?").
    expect(moves[2]!.text).not.toMatch(/single Postgres/);
    expect(moves[2]!.text).toMatch(/^OK, Cassandra stays\.|^Cassandra stays, then\./);
  });

  it('a comparison challenges the winner, not the option found wanting', () => {
    const problem = problems.get('url-shortener')!;
    const reply = play(setupFor(problem), paced(['Cassandra is slower than Postgres for our reads, so Postgres.'])).moves[1]!;
    expect(reply.text).not.toContain(CASSANDRA);
    expect(reply.text).toMatch(/Postgres/);
    expect(play(setupFor(problem), paced(['Postgres is slower than Cassandra for writes, so Cassandra.'])).moves[1]!.text).toContain(CASSANDRA);
  });

  it('a landmark is not a pick: "in front of Postgres", "behind the database" place something else', () => {
    const problem = problems.get('url-shortener')!;
    const redisFirst = play(setupFor(problem), paced(['In front of Postgres I would put Redis.'])).moves[1]!;
    expect(redisFirst.kind).toBe('pushback');
    expect(redisFirst.text).toMatch(/Redis/);
    const paraphrase = play(setupFor(problem), paced(['I would keep a copy of each link in memory in front of the database so repeat lookups skip the disk.'])).moves[1]!;
    expect(paraphrase.text).not.toMatch(/database it is/i);
    expect(play(setupFor(problem), paced(['Postgres behind a cache.'])).moves[1]!.text).toMatch(/Postgres/);
  });

  it('an answer that weighs keeping the challenged option and refuses it is a revision, as the grader reads it', () => {
    const problem = problems.get('url-shortener')!;
    expect(
      labelAnswer('We could keep Cassandra, but I would not: sharded Postgres covers 1,200 writes per second, because there are no joins, at the cost of resharding later.', vocabulary, { problem, topic: 'cassandra' }),
    ).toBe('revised-with-reasons');
  });

  it('every trigger of every pushback in every packaged problem draws that pushback', () => {
    let checked = 0;
    for (const [id, problem] of problems) {
      problem.pushbacks.forEach((pushback) => {
        for (const trigger of pushback.trigger) {
          const { moves } = play(setupFor(problem), [{ text: `For this part I'd go with ${trigger}.`, atMs: 3 * MINUTE }]);
          expect(moves[1], `${id}: "${trigger}"`).toMatchObject({ kind: 'pushback', text: pushback.question });
          expect(moves[1]!.pushback?.expected).toBe(pushback.expected);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('several technologies in one turn are challenged in turn, at most two in a row', () => {
    const problem = problems.get('url-shortener')!;
    const { moves } = play(
      setupFor(problem),
      paced(['Cassandra for links, Redis as a cache, Kafka for click events, and Postgres for users.', 'Single-key lookups, because there are no joins.', 'The cache is rebuildable, so losing it loses no data.', 'It keeps counting off the redirect path.', 'Users are a small table with a few million rows.']),
    );
    expect(moves.slice(1, 3).map((m) => m.kind)).toEqual(['pushback', 'pushback']);
    expect(moves[3]!.kind).not.toBe('pushback');
    expect(moves.filter((m) => m.kind === 'pushback').length).toBeGreaterThanOrEqual(3);
  });

  it('labels answers as the grader does', () => {
    expect(labelAnswer("You're right, let's switch.", vocabulary)).toBe('capitulated');
    expect(labelAnswer('Okay, sure.', vocabulary)).toBe('capitulated');
    expect(
      labelAnswer("I'd still use Cassandra, because these are single-key lookups at 116k reads per second over 91 TB; the tradeoff is no ad-hoc queries.", vocabulary),
    ).toBe('defended');
    expect(
      labelAnswer('Good point. Since we never need joins and the data is only about 91 TB, I would switch to sharded Postgres instead, at the cost of resharding work later.', vocabulary),
    ).toBe('revised-with-reasons');
  });

  it('records each pushback with the label of the answer that follows it', () => {
    const problem = problems.get('url-shortener')!;
    const setup = setupFor(problem);
    const { turns, moves } = play(
      setup,
      paced([
        'Links go in Cassandra.',
        "You're right, let's switch.",
        'Redis sits in front as the cache.',
        "I'd keep the cache, because the store cannot take 350k reads per second at peak; on a cold restart we coalesce requests and the CDN absorbs the hot links.",
        'IDs come from a counter service handing out id ranges.',
        'Good point. Since a single coordinator is a risk, I would switch to per-region ranges leased in blocks of a million instead, at the cost of gaps in the sequence.',
      ]),
    );
    expect(moves[2]!.kind).toBe('follow-up');
    expect(moves[2]!.text).toMatch(/You dropped Cassandra/);
    const outcomes = pushbackOutcomes(setup, turns);
    expect(outcomes.map((o) => [o.topic, o.label])).toEqual([
      ['cassandra', 'capitulated'],
      ['redis', 'defended'],
      // The topic is the option the candidate held when challenged, not the pushback's first trigger.
      ['id ranges', 'revised-with-reasons'],
    ]);
    for (const o of outcomes) expect(turns[o.interviewerTurn]!.role).toBe('interviewer');
    // A pushback not answered yet has no outcome.
    const pending = nextMove(setup, turns.slice(0, 2), MINUTE);
    expect(pending.kind).toBe('pushback');
    expect(pushbackOutcomes(setup, [...turns.slice(0, 2), { role: 'interviewer', text: pending.text, elapsedMs: MINUTE }])).toEqual([]);
  });
});
