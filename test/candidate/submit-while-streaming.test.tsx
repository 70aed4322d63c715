// Enter while the interviewer is talking: a slash command runs at once, an answer is queued and
// sent when the reply ends (Esc ends it early), and nothing typed is lost when the session ends
// or quits first. The session controller and the ink App both; providers are gated fakes.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError, type Provider, type StreamEvent, type StreamRequest } from '../../src/llm/provider.js';
import { createBuiltinProvider } from '../../src/interview/builtin-provider.js';
import { PracticeSession } from '../../src/interview/practice-session.js';
import { SessionClock } from '../../src/interview/session-clock.js';
import type { InterviewSetup } from '../../src/interview/engine/types.js';
import { loadProblem } from '../../src/content/problem-loader.js';
import { readTranscript, TranscriptWriter } from '../../src/storage/transcript-store.js';
import { resolvePaths } from '../../src/storage/paths.js';
import type { GradeReport } from '../../src/schemas/report.js';
import { App } from '../../src/ui/App.js';
import { stripAnsi } from '../../src/term/strip.js';
import { tempHome, waitFor } from '../support/env.js';
import { interviewSetup } from '../../src/interview/engine/setup.js';

/** A provider whose every reply says `text` word by word, then waits for its gate (opened by release()). */
function gatedProvider() {
  const requests: StreamRequest[] = [];
  let gates: (() => void)[] = [];
  const provider: Provider = {
    id: 'openai',
    model: 'gpt-4o-mini',
    label: 'openai',
    stream(request) {
      requests.push(request);
      const n = requests.length;
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      return (async function* (): AsyncGenerator<StreamEvent> {
        yield { type: 'delta', text: `Reply ${n} starts, ` };
        await gate;
        if (request.signal?.aborted) throw new AbortedError(`Reply ${n} starts, `);
        yield { type: 'delta', text: `reply ${n} ends.` };
      })();
    },
  };
  return {
    provider,
    requests,
    release: () => {
      const open = gates;
      gates = [];
      for (const resolve of open) resolve();
    },
  };
}

const homes: { cleanup: () => Promise<void> }[] = [];
const sessions: PracticeSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.quit();
  for (const home of homes.splice(0)) await home.cleanup();
});

async function setupSession(provider: Provider, minutes = 45) {
  const home = await tempHome('cand-helper-');
  homes.push(home);
  const paths = resolvePaths({ SDCOACH_HOME: home.dir });
  await mkdir(paths.sessionsDir, { recursive: true });
  const problem = await loadProblem('url-shortener', paths);
  const setup: InterviewSetup = interviewSetup({ problem, mode: 'interview', minutes, level: null, seed: 3 });
  const file = path.join(paths.sessionsDir, 'queued.jsonl');
  const writer = await TranscriptWriter.create(file, {
    id: 'queued',
    problem: problem.id,
    mode: 'interview',
    provider: provider.id,
    model: null,
    rubric: 'default',
    levelTarget: null,
    started: '2026-11-22T10:00:00.000Z',
    minutes,
    seed: 3,
  });
  let now = 0;
  const clock = new SessionClock({ now: () => now, minutes });
  const session = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
    setup,
    provider,
    makeFallback: async () => createBuiltinProvider({ seed: 3, setup }),
    writer,
    clock,
    grade: async () => ({ overall: 3, level: { label: 'L4' }, dimensions: {} }) as unknown as GradeReport,
  });
  sessions.push(session);
  return { session, file, setup, advance: (ms: number) => (now += ms) };
}

async function turns(file: string): Promise<[string, string][]> {
  return (await readTranscript(file)).events.flatMap((e) => (e.type === 'turn' ? [[e.role, e.text] as [string, string]] : []));
}

const notices = (session: PracticeSession) => session.getState().items.flatMap((i) => (i.kind === 'notice' ? [i.text] : []));

describe('Enter while the interviewer is talking (session)', () => {
  it('an answer sent during the opening is queued and sent as the next turn when the opening ends', async () => {
    const fake = gatedProvider();
    const s = await setupSession(fake.provider);
    const started = s.session.start();
    await waitFor(() => s.session.getState().status === 'streaming');
    await s.session.submit('How many users do we expect?');
    expect(s.session.getState().queued).toEqual(['How many users do we expect?']);
    expect(fake.requests).toHaveLength(1);
    fake.release();
    await waitFor(() => fake.requests.length === 2, { what: 'the queued answer to be sent' });
    fake.release();
    await started;
    expect(s.session.getState().queued).toEqual([]);
    expect(await turns(s.file)).toEqual([
      ['interviewer', 'Reply 1 starts, reply 1 ends.'],
      ['candidate', 'How many users do we expect?'],
      ['interviewer', 'Reply 2 starts, reply 2 ends.'],
    ]);
    expect(notices(s.session).some((n) => /still talking|send this again/.test(n))).toBe(false);
  });

  it('a slash command runs at once, even while the reply to a turn streams', async () => {
    const fake = gatedProvider();
    const s = await setupSession(fake.provider);
    s.advance(90_000);
    const submitted = s.session.submit('Clarifying: is this read-heavy?');
    await waitFor(() => s.session.getState().status === 'streaming');
    await s.session.submit('/time');
    expect(notices(s.session).some((n) => /^01:30 elapsed, 43:30 left of 45:00/.test(n))).toBe(true);
    expect(s.session.getState().status).toBe('streaming');
    fake.release();
    await submitted;
    expect((await turns(s.file)).map(([role]) => role)).toEqual(['candidate', 'interviewer']);
  });

  it('two answers queued during one reply go out as one turn; Esc sends them at once', async () => {
    const fake = gatedProvider();
    const s = await setupSession(fake.provider);
    const submitted = s.session.submit('First answer.');
    await waitFor(() => s.session.getState().status === 'streaming');
    await s.session.submit('Second thought.');
    await s.session.submit('Third thought.');
    s.session.cancelReply();
    fake.release();
    await waitFor(() => fake.requests.length === 2, { what: 'the queued answers to be sent' });
    fake.release();
    await submitted;
    expect(await turns(s.file)).toEqual([
      ['candidate', 'First answer.'],
      ['interviewer', 'Reply 1 starts, '],
      ['candidate', 'Second thought.\n\nThird thought.'],
      ['interviewer', 'Reply 2 starts, reply 2 ends.'],
    ]);
  });

  it('/end while an answer is queued records the answer before the end and grades it', async () => {
    const fake = gatedProvider();
    const s = await setupSession(fake.provider);
    const started = s.session.start();
    await waitFor(() => s.session.getState().status === 'streaming');
    await s.session.submit('My whole design: a KV store behind a cache.');
    const ended = s.session.submit('/end');
    fake.release();
    await ended;
    await started;
    const events = (await readTranscript(s.file)).events;
    const kinds = events.map((e) => (e.type === 'turn' ? `${e.type}:${e.role}` : e.type));
    expect(kinds).toEqual(['turn:interviewer', 'turn:candidate', 'end', 'grade']);
    expect(events[1]).toMatchObject({ text: 'My whole design: a KV store behind a cache.' });
  });

  it('a quit with an answer queued saves the answer, and the resumed session owes it a reply', async () => {
    const fake = gatedProvider();
    const s = await setupSession(fake.provider);
    const started = s.session.start();
    await waitFor(() => s.session.getState().status === 'streaming');
    await s.session.submit('Saved even though I quit.');
    const quitting = s.session.quit();
    fake.release();
    await quitting;
    await started;
    expect((await turns(s.file)).at(-1)).toEqual(['candidate', 'Saved even though I quit.']);
  });
});

const ENTER = '\r';

describe('Enter while the interviewer is talking (screen)', () => {
  it('Enter during the opening runs /time and queues an answer: nothing stays in the composer', async () => {
    const fake = gatedProvider();
    const s = await setupSession(fake.provider);
    const app = render(<App session={s.session} color={false} tickMs={60_000} />);
    const frame = () => stripAnsi(app.lastFrame() ?? '');
    const started = s.session.start();
    await waitFor(() => s.session.getState().status === 'streaming' && frame().includes('Reply 1 starts'), { what: 'the opening to stream' });

    app.stdin.write('/time');
    await waitFor(() => frame().includes('/time'), { what: 'the typed command' });
    app.stdin.write(ENTER);
    await waitFor(() => notices(s.session).some((n) => /elapsed, .* left of 45:00/.test(n)), { what: '/time to run' });
    await waitFor(() => !frame().includes('› /time'), { what: 'the composer to clear' });

    app.stdin.write('Who are the users?');
    await waitFor(() => frame().includes('Who are the users?'), { what: 'the typed answer' });
    app.stdin.write(ENTER);
    await waitFor(() => frame().includes('queued, sent when the interviewer finishes: Who are the users?'), { what: 'the queued line' });
    expect(s.session.getState().status).toBe('streaming');

    fake.release();
    await waitFor(() => fake.requests.length === 2, { what: 'the queued answer to be sent' });
    fake.release();
    await started;
    await waitFor(() => !frame().includes('queued,'), { what: 'the queued line to go' });
    expect((await turns(s.file)).map(([role, text]) => `${role}: ${text}`)).toEqual([
      'interviewer: Reply 1 starts, reply 1 ends.',
      'candidate: Who are the users?',
      'interviewer: Reply 2 starts, reply 2 ends.',
    ]);
    await s.session.quit();
    app.unmount();
  });
});
