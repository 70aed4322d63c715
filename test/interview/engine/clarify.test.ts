import { beforeAll, describe, expect, it } from 'vitest';
import { nextMove } from '../../../src/interview/engine/index.js';
import type { EngineTurn } from '../../../src/interview/engine/types.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { MINUTE, packagedProblems, paced, play, setupFor } from './support.js';

let problems: Map<string, LoadedProblem>;
beforeAll(async () => {
  problems = await packagedProblems();
});

function factAnswer(problemId: string, topic: RegExp): string {
  const fact = problems.get(problemId)!.facts.find((f) => topic.test(f.topic));
  if (!fact) throw new Error(`no fact ${topic} in ${problemId}`);
  return fact.answer;
}

describe('clarifying questions', () => {
  it('opens with the problem and the time budget', () => {
    const problem = problems.get('url-shortener')!;
    const open = nextMove(setupFor(problem), [], 0);
    expect(open.kind).toBe('open');
    expect(open.phase).toBe('clarify');
    expect(open.text).toContain(problem.title);
    expect(open.text).toContain('Design a service like bit.ly');
    expect(open.text).toContain('You have 45 minutes');
    expect(nextMove(setupFor(problem, { minutes: 30 }), [], 0).text).toContain('You have 30 minutes');
  });

  it('a question the candidate answers in the next sentence is thinking aloud: no "make an assumption", the answer is what counts', () => {
    const problem = problems.get('url-shortener')!;
    const cases: [string, RegExp][] = [
      ['Cassandra? No, Postgres.', /Postgres/],
      ["Do we need Kafka? I don't think so.", /./],
      ['Redis or Memcached? Redis, because we want persistence.', /Redis/],
    ];
    for (const [text, about] of cases) {
      const move = play(setupFor(problem), paced([text])).moves[1]!;
      expect(move.kind, text).not.toBe('assume');
      expect(move.text, text).not.toMatch(/assum/i);
      expect(move.text, text).toMatch(about);
    }
    // A question left open is still a question, and a fact asked for is still answered.
    expect(play(setupFor(problem), paced(['Do we need Kafka?'])).moves[1]!.kind).toBe('assume');
    expect(play(setupFor(problem), paced(['What is the read to write ratio? I will assume 100 to 1.'])).moves[1]!.text).toContain(factAnswer('url-shortener', /read/i));
  });

  it('asking the interviewer to decide gets "your call", never a "not on my sheet" line about it', () => {
    const problem = problems.get('url-shortener')!;
    const mixed = play(setupFor(problem), paced(['Should links expire? What do you think?'])).moves[1]!;
    expect(mixed.text).toContain(factAnswer('url-shortener', /expiry/i));
    expect(mixed.text).not.toMatch(/what do you think/i);
    const pick = play(setupFor(problem), paced(['Redis or Memcached, what would you pick?'])).moves[1]!;
    expect(pick).toMatchObject({ kind: 'assume', topic: 'your call' });
  });

  it('"How many daily users?" gets the fact sheet\'s number', () => {
    const { moves } = play(setupFor(problems.get('url-shortener')!), paced(['How many daily users?']));
    expect(moves[1]).toMatchObject({ kind: 'fact', phase: 'clarify' });
    expect(moves[1]!.text).toBe(factAnswer('url-shortener', /scale of link creation/));
    expect(moves[1]!.text).toMatch(/20 million registered users/);

    const llm = play(setupFor(problems.get('llm-chat')!), paced(['How many daily users?']));
    expect(llm.moves[1]!.text).toBe(factAnswer('llm-chat', /users and traffic/));
    expect(llm.moves[1]!.text).toMatch(/20 million daily active users/);
  });

  it('answers each fact asked in one turn', () => {
    const { moves } = play(setupFor(problems.get('url-shortener')!), paced(['What is the read/write ratio, and what latency SLO do redirects need?']));
    expect(moves[1]!.kind).toBe('fact');
    expect(moves[1]!.text).toContain(factAnswer('url-shortener', /read\/write ratio/));
    expect(moves[1]!.text).toContain(factAnswer('url-shortener', /redirect latency/));
  });

  it('recognises a question without a question mark', () => {
    const { moves } = play(setupFor(problems.get('url-shortener')!), paced(['How long do we keep links']));
    expect(moves[1]!.text).toBe(factAnswer('url-shortener', /retention/));
  });

  it('answers a question asked in the middle of the deep dive too', () => {
    const problem = problems.get('url-shortener')!;
    const script = paced(['We shard the links table by code and replicate it three ways.', 'Which regions are the users in?'], 25 * MINUTE);
    const { moves } = play(setupFor(problem), script);
    // The phase follows the candidate (a design turn), with the clock at most one phase ahead of it.
    expect(moves[2]).toMatchObject({ kind: 'fact', phase: 'high-level' });
    expect(moves[2]!.text).toBe(factAnswer('url-shortener', /regions/));
  });

  it('tells the candidate to assume what the fact sheet does not say', () => {
    const { moves } = play(setupFor(problems.get('url-shortener')!), paced(['Do we need to support dark mode?']));
    expect(moves[1]!.kind).toBe('assume');
    expect(moves[1]!.text).toMatch(/assum/i);
  });

  it('answers the known part and says to assume the rest', () => {
    const { moves } = play(setupFor(problems.get('url-shortener')!), paced(['How many daily users, and do we need dark mode?']));
    expect(moves[1]!.kind).toBe('fact');
    expect(moves[1]!.text).toContain(factAnswer('url-shortener', /scale of link creation/));
    expect(moves[1]!.text).toMatch(/assume and state it/i);
  });

  it('leaves decisions about the interview to the candidate', () => {
    const { moves } = play(setupFor(problems.get('url-shortener')!), paced(['Should I start with the API?']));
    expect(moves[1]).toMatchObject({ kind: 'assume', topic: 'your call' });
  });

  it('a question asked again is answered without repeating the earlier turn word for word', () => {
    const script = paced(['How many daily users?', 'Sorry, how many daily users again?', 'And how many daily users did you say?']);
    const { moves } = play(setupFor(problems.get('url-shortener')!), script);
    const texts = moves.map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(moves[2]!.text).toMatch(/^As I said: About 100 million/);
    // The third time the answer alone would repeat, so the interviewer moves on with a question.
    expect(moves[3]!.kind).not.toBe('fact');
    expect(moves[3]!.text.startsWith(moves[2]!.text)).toBe(true);
    expect(moves[3]!.text.length).toBeGreaterThan(moves[2]!.text.length + 20);
  });

  it('does not treat a statement as a question', () => {
    const turns: EngineTurn[] = [
      { role: 'interviewer', text: 'open', elapsedMs: 0 },
      { role: 'candidate', text: 'What I would do is put an API service in front of a key-value store.', elapsedMs: MINUTE },
    ];
    const move = nextMove(setupFor(problems.get('url-shortener')!), turns, MINUTE);
    expect(move.kind).not.toBe('assume');
    expect(move.kind).not.toBe('fact');
  });
});
