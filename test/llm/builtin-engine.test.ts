// The builtin provider driven by the interviewer engine: one streaming path for the UI.
import { beforeAll, describe, expect, it } from 'vitest';
import { nextMove } from '../../src/interview/engine/index.js';
import type { InterviewSetup } from '../../src/interview/engine/types.js';
import { createBuiltinProvider, engineTurnsFromRequest } from '../../src/interview/builtin-provider.js';
import { AbortedError, collect, type ChatMessage, type StreamEvent } from '../../src/llm/provider.js';
import type { LoadedProblem } from '../../src/schemas/problem.js';
import { packagedProblems } from '../interview/engine/support.js';
import { interviewSetup } from '../../src/interview/engine/setup.js';

let problem: LoadedProblem;
beforeAll(async () => {
  problem = (await packagedProblems()).get('url-shortener')!;
});

const MINUTE = 60_000;

function setup(): Omit<InterviewSetup, 'seed'> {
  const { seed: _seed, ...fields } = interviewSetup({ problem, mode: 'interview', minutes: 45, level: 'L5', seed: 0 });
  return fields;
}

async function events(messages: ChatMessage[], clock?: { elapsedMs: number[]; nowMs: number }): Promise<StreamEvent[]> {
  const provider = createBuiltinProvider({ seed: 5, setup: setup() });
  const out: StreamEvent[] = [];
  for await (const event of provider.stream({ messages, ...(clock ? { clock } : {}) })) out.push(event);
  return out;
}

describe('builtin provider with the interviewer engine', () => {
  it('maps messages and the clock to engine turns', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'persona' },
      { role: 'assistant', content: 'open' },
      { role: 'user', content: 'hi' },
    ];
    expect(engineTurnsFromRequest({ messages, clock: { elapsedMs: [0, 65_000], nowMs: 70_000 } })).toEqual({
      turns: [
        { role: 'interviewer', text: 'open', elapsedMs: 0 },
        { role: 'candidate', text: 'hi', elapsedMs: 65_000 },
      ],
      nowMs: 70_000,
    });
    expect(engineTurnsFromRequest({ messages }).nowMs).toBe(0);
    expect(engineTurnsFromRequest({ messages, clock: { elapsedMs: [0, 65_000], nowMs: undefined as unknown as number } }).nowMs).toBe(65_000);
  });

  it('sends the move first, then the engine\'s text in chunks, then usage', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'persona' },
      { role: 'assistant', content: nextMove({ ...setup(), seed: 5 }, [], 0).text },
      { role: 'user', content: 'I would store the links in Cassandra.' },
    ];
    const out = await events(messages, { elapsedMs: [0, 3 * MINUTE], nowMs: 3 * MINUTE });
    expect(out[0]).toEqual({
      type: 'move',
      move: { kind: 'pushback', phase: 'clarify', topic: 'cassandra', pushback: { topic: 'cassandra', expected: problem.pushbacks[0]!.expected } },
    });
    const deltas = out.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((d) => (d.type === 'delta' ? d.text : '')).join('')).toBe(problem.pushbacks[0]!.question);
    expect(out.at(-1)).toMatchObject({ type: 'usage', finishReason: 'stop' });
  });

  it('opens the interview and keeps time from the request clock', async () => {
    const open = await events([{ role: 'system', content: 'persona' }]);
    expect(open[0]).toMatchObject({ type: 'move', move: { kind: 'open', phase: 'clarify' } });
    const messages: ChatMessage[] = [
      { role: 'assistant', content: 'open' },
      { role: 'user', content: 'The API service writes each record to the key-value store.' },
    ];
    const late = await events(messages, { elapsedMs: [0, 36 * MINUTE], nowMs: 36 * MINUTE });
    expect(late[0]).toMatchObject({ type: 'move', move: { kind: 'time-check' } });
  });

  it('is the same interview for the same seed', async () => {
    const provider = (seed: number) => createBuiltinProvider({ seed, setup: setup() });
    const messages: ChatMessage[] = [
      { role: 'assistant', content: 'open' },
      { role: 'user', content: 'The API service writes each record to the key-value store.' },
    ];
    const clock = { elapsedMs: [0, 25 * MINUTE], nowMs: 25 * MINUTE };
    const a = await collect(provider(9).stream({ messages, clock }));
    const b = await collect(provider(9).stream({ messages, clock }));
    expect(a.text).toBe(b.text);
    expect(a.text).toBe(nextMove({ ...setup(), seed: 9 }, engineTurnsFromRequest({ messages, clock }).turns, 25 * MINUTE).text);
  });

  it('stops with the partial text when aborted mid-stream', async () => {
    const controller = new AbortController();
    let calls = 0;
    const provider = createBuiltinProvider({
      seed: 1,
      setup: setup(),
      chunkDelayMs: 1,
      sleep: async () => {
        if (++calls === 3) controller.abort();
        if (controller.signal.aborted) throw new Error('aborted');
      },
    });
    let seen = '';
    let error: unknown;
    try {
      for await (const event of provider.stream({ messages: [], signal: controller.signal })) if (event.type === 'delta') seen += event.text;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).partialText).toBe(seen);
    expect(seen.length).toBeGreaterThan(0);
  });
});
