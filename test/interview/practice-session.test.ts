// The practice session controller without a screen: recording order, Esc, provider failure and
// fallback, pushback labels, time-up, slash commands and resume. Providers here are scripted
// fakes (the builtin interviewer has its own tests); the clock is a number the test moves.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortedError, ProviderError, type Provider, type StreamEvent, type StreamRequest } from '../../src/llm/provider.js';
import { createBuiltinProvider } from '../../src/interview/builtin-provider.js';
import { PracticeSession, type PracticeSessionOptions } from '../../src/interview/practice-session.js';
import { restoreSession } from '../../src/interview/restore-session.js';
import { SessionClock } from '../../src/interview/session-clock.js';
import type { InterviewSetup } from '../../src/interview/engine/types.js';
import { loadProblem } from '../../src/content/problem-loader.js';
import { readTranscript, TranscriptWriter } from '../../src/storage/transcript-store.js';
import { resolvePaths } from '../../src/storage/paths.js';
import type { GradeReport } from '../../src/schemas/report.js';
import { tempHome, waitFor } from '../support/env.js';
import { interviewSetup } from '../../src/interview/engine/setup.js';

type Script = (request: StreamRequest) => AsyncGenerator<StreamEvent>;

function fakeProvider(script: Script, id: 'openai' | 'builtin' = 'openai'): Provider & { requests: StreamRequest[] } {
  const requests: StreamRequest[] = [];
  return {
    id,
    model: id === 'openai' ? 'gpt-4o-mini' : 'rule-based-v1',
    label: id,
    requests,
    stream(request) {
      requests.push(request);
      return script(request);
    },
  };
}

async function* say(text: string, extra: StreamEvent[] = []): AsyncGenerator<StreamEvent> {
  for (const event of extra) yield event;
  for (const word of text.match(/\S+\s*/g) ?? []) yield { type: 'delta', text: word };
  yield { type: 'usage', usage: { inputTokens: 100, outputTokens: 20, estimated: false }, finishReason: 'stop' };
}

const fakeReport = { overall: 3, level: { label: 'L4' } } as unknown as GradeReport;

async function setupSession(
  provider: Provider,
  overrides: Partial<PracticeSessionOptions> & { mode?: 'interview' | 'monologue'; minutes?: number } = {},
) {
  const home = await tempHome();
  const paths = resolvePaths({ SDCOACH_HOME: home.dir });
  await mkdir(paths.sessionsDir, { recursive: true });
  const problem = await loadProblem('url-shortener', paths);
  const setup: InterviewSetup = interviewSetup({ problem, mode: overrides.mode ?? 'interview', minutes: overrides.minutes ?? 45, level: null, seed: 3 });
  const file = path.join(paths.sessionsDir, 'test-session.jsonl');
  const writer = await TranscriptWriter.create(file, {
    id: 'test-session',
    problem: problem.id,
    mode: setup.mode,
    provider: provider.id,
    model: null,
    rubric: 'default',
    levelTarget: null,
    started: '2026-11-22T10:00:00.000Z',
    minutes: setup.minutes,
    seed: 3,
  });
  let now = 0;
  const clock = new SessionClock({ now: () => now, minutes: setup.minutes });
  const graded: string[] = [];
  const session = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
    setup,
    provider,
    makeFallback: async () => createBuiltinProvider({ seed: 3, setup }),
    writer,
    clock,
    grade: async (f) => {
      graded.push(f);
      return fakeReport;
    },
    ...overrides,
  });
  return { session, file, setup, graded, advance: (ms: number) => (now += ms), paths };
}

async function events(file: string) {
  return (await readTranscript(file)).events;
}

describe('PracticeSession', () => {
  it('writes the candidate turn to disk before the provider is asked for a reply', async () => {
    let fileAtRequest = '';
    let file = '';
    const provider = fakeProvider(async function* () {
      fileAtRequest = await readFile(file, 'utf8');
      yield* say('Why that database?');
    });
    const s = await setupSession(provider);
    file = s.file;
    await s.session.submit('I would start with the read path: a cache in front of a key-value store.');
    expect(fileAtRequest).toContain('a cache in front of a key-value store');
    const turns = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(turns.map((t) => t.type === 'turn' && t.role)).toEqual(['candidate', 'interviewer']);
    expect(s.session.getState().items.filter((i) => i.kind === 'turn')).toHaveLength(2);
  });

  it('opens the interview when there is no turn yet', async () => {
    const s = await setupSession(fakeProvider(() => say('Design a URL shortener. You have 45 minutes.')));
    await s.session.start();
    const turns = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ role: 'interviewer', text: 'Design a URL shortener. You have 45 minutes.' });
  });

  it('Esc keeps what arrived as a partial turn and leaves the session usable', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const provider = fakeProvider(async function* (request) {
      yield { type: 'delta', text: 'First part of a long answer, ' };
      await gate;
      if (request.signal?.aborted) throw new AbortedError('First part of a long answer, ');
      yield { type: 'delta', text: 'never seen' };
    });
    const s = await setupSession(provider);
    const submitted = s.session.submit('Tell me more about the cache.');
    await waitFor(() => s.session.getState().status === 'streaming' && s.session.getState().live.length > 0);
    s.session.cancelReply();
    release();
    await submitted;
    const turns = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(turns.at(-1)).toMatchObject({ role: 'interviewer', text: 'First part of a long answer, ', partial: true });
    expect(s.session.getState().status).toBe('ready');
    expect(s.session.getState().items.some((i) => i.kind === 'notice' && /partial/.test(i.text))).toBe(true);
  });

  it('an openai stream that ends quietly after abort still counts as cancelled', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const provider = fakeProvider(async function* () {
      yield { type: 'delta', text: 'Partial ' };
      await gate; // then end without throwing, as the openai client does
    });
    const s = await setupSession(provider);
    const submitted = s.session.submit('Go on.');
    await waitFor(() => s.session.getState().live.length > 0);
    s.session.cancelReply();
    release();
    await submitted;
    const last = (await events(s.file)).filter((e) => e.type === 'turn').at(-1);
    expect(last).toMatchObject({ text: 'Partial ', partial: true });
  });

  it('a model failure keeps the candidate text, offers the builtin interviewer, and the session goes on', async () => {
    const provider = fakeProvider(async function* () {
      yield { type: 'delta', text: 'Half a repl' };
      throw new ProviderError('network', 'connection reset', { partialText: 'Half a repl' });
    });
    const s = await setupSession(provider);
    await s.session.submit('My candidate answer that must survive.');
    expect(s.session.getState().status).toBe('offer-fallback');
    const saved = await events(s.file);
    expect(saved.some((e) => e.type === 'turn' && e.text === 'My candidate answer that must survive.')).toBe(true);
    expect(saved.some((e) => e.type === 'turn' && e.partial && e.text === 'Half a repl')).toBe(true);

    await s.session.answer(true);
    expect(s.session.getState().fallback).toBe(true);
    expect(s.session.getState().providerLabel).toMatch(/builtin/);
    const after = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(after.at(-1)).toMatchObject({ role: 'interviewer' });
    expect(after.at(-1)!.type === 'turn' && after.at(-1)!.partial).toBeFalsy();
    await s.session.submit('Next answer goes to the builtin interviewer.');
    expect(provider.requests).toHaveLength(1);
  });

  it('with autoFallback (script mode) switches without asking', async () => {
    const provider = fakeProvider(async function* () {
      throw new ProviderError('server', 'HTTP 500');
    });
    const s = await setupSession(provider, { autoFallback: true });
    await s.session.submit('Hello, I would like to clarify the requirements first.');
    expect(s.session.getState().fallback).toBe(true);
    expect((await events(s.file)).filter((e) => e.type === 'turn')).toHaveLength(2);
  });

  it('records a pushback and labels the answer (capitulated / defended)', async () => {
    let n = 0;
    const provider = fakeProvider(async function* () {
      n++;
      if (n === 1) {
        yield* say('Why not Cassandra here? Would a relational database not be simpler?', [
          { type: 'move', move: { kind: 'pushback', phase: 'high-level', topic: 'Cassandra', pushback: { topic: 'Cassandra', expected: '' } } },
        ]);
      } else yield* say('Go on.', [{ type: 'move', move: { kind: 'probe', phase: 'high-level', topic: 'x' } }]);
    });
    const s = await setupSession(provider);
    await s.session.submit('I would store links in Cassandra.');
    await s.session.submit("You're right, let's switch to Postgres.");
    const pushbacks = (await events(s.file)).filter((e) => e.type === 'pushback');
    expect(pushbacks).toHaveLength(2);
    expect(pushbacks[0]).toMatchObject({ turn: 1, topic: 'Cassandra', label: null });
    expect(pushbacks[1]).toMatchObject({ turn: 1, label: 'capitulated' });
    const phases = (await events(s.file)).filter((e) => e.type === 'phase');
    expect(phases.map((p) => p.type === 'phase' && p.phase)).toEqual(['high-level']);
  });

  it('time-up asks for the wrap-up; the answer ends, grades and stores the grade', async () => {
    const s = await setupSession(fakeProvider(() => say('Keep going.')), { minutes: 10 });
    await s.session.submit('Clarifying: how many users are there?');
    s.advance(10 * 60_000 + 1);
    await s.session.tick();
    expect(s.session.getState().wrapUp).toBe(true);
    expect(s.session.getState().items.at(-1)).toMatchObject({ kind: 'turn', role: 'interviewer' });
    await s.session.submit('Wrap-up: cache plus KV store; the tradeoff was consistency for latency.');
    await s.session.done;
    const saved = await events(s.file);
    expect(saved.find((e) => e.type === 'end')).toMatchObject({ reason: 'time-up' });
    expect(saved.at(-1)).toMatchObject({ type: 'grade' });
    expect(s.graded).toEqual([s.file]);
    expect(s.session.getState().report).toBe(fakeReport);
    expect(s.session.getState().items.at(-1)).toMatchObject({ kind: 'score' });
  });

  it('/pause stops the clock, /time reports it, /end ends', async () => {
    const s = await setupSession(fakeProvider(() => say('ok')));
    s.advance(60_000);
    await s.session.submit('/pause');
    s.advance(5 * 60_000);
    expect(s.session.clock.elapsedMs()).toBe(60_000);
    await s.session.submit('/time');
    expect(s.session.getState().items.at(-1)).toMatchObject({ kind: 'notice' });
    const timeNotice = s.session.getState().items.at(-1);
    expect(timeNotice?.kind === 'notice' && timeNotice.text).toMatch(/01:00 elapsed, 44:00 left of 45:00 \(paused\)/);
    expect(timeNotice?.kind === 'notice' && timeNotice.text).toMatch(
      /Budget: clarify until 05:00 · estimate until 10:00 · high-level design until 20:00 · deep dive until 40:00 · wrap-up until 45:00$/,
    );
    await s.session.submit('/end');
    await s.session.done;
    // Slash commands are not turns.
    expect((await events(s.file)).filter((e) => e.type === 'turn')).toHaveLength(0);
  });

  it('text that starts with / but names no command is an answer, not lost', async () => {
    const s = await setupSession(fakeProvider(() => say('And the redirect?')));
    await s.session.submit('/shorten is a POST endpoint; GET /{code} redirects.');
    const turns = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(turns[0]).toMatchObject({ role: 'candidate', text: '/shorten is a POST endpoint; GET /{code} redirects.' });
  });

  it('Ctrl+C asks once, then saves an interrupted session that can be resumed', async () => {
    const s = await setupSession(fakeProvider(() => say('Why?')));
    await s.session.submit('First answer.');
    expect(await s.session.interrupt()).toBe(false);
    expect(s.session.getState().status).toBe('confirm-quit');
    s.session.keepGoing();
    expect(s.session.getState().status).toBe('ready');
    await s.session.interrupt();
    expect(await s.session.interrupt()).toBe(true);
    // The screen exits on 'ended': the question must not hold it open.
    expect(s.session.getState().status).toBe('ended');
    const transcript = await readTranscript(s.file);
    expect(transcript.events.at(-1)).toMatchObject({ type: 'end', reason: 'interrupted' });
    const restored = restoreSession(transcript);
    expect(restored.turns.map((t) => t.text)).toEqual(['First answer.', 'Why?']);
    expect(restored.endReason).toBe('interrupted');
  });

  it('a resumed session whose last turn is the candidate gets its reply first', async () => {
    const first = await setupSession(fakeProvider(async function* () {
      throw new ProviderError('network', 'killed');
    }));
    await first.session.submit('This turn was sent right before the crash.');
    const restored = restoreSession(await readTranscript(first.file));
    const writer = await TranscriptWriter.openForAppend(first.file);
    const provider = fakeProvider(() => say('Welcome back. Go on.'));
    const session = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
      setup: first.setup,
      provider,
      makeFallback: async () => provider,
      writer,
      clock: new SessionClock({ now: () => 0, minutes: 45, offsetMs: restored.offsetMs }),
      grade: async () => fakeReport,
      restored,
    });
    expect(session.getState().items.filter((i) => i.kind === 'turn').map((i) => i.kind === 'turn' && i.text)).toEqual([
      'This turn was sent right before the crash.',
    ]);
    await session.start();
    expect(provider.requests[0]!.messages.at(-1)).toMatchObject({ role: 'user', content: 'This turn was sent right before the crash.' });
    const turns = (await events(first.file)).filter((e) => e.type === 'turn');
    expect(turns.at(-1)).toMatchObject({ role: 'interviewer', text: 'Welcome back. Go on.' });
  });

  it('the decision ledger is rebuilt from the session file on resume: a rejected option or an answered question stays that way', async () => {
    const first = await setupSession(fakeProvider(() => say('unused')));
    const builtin = createBuiltinProvider({ seed: 3, setup: first.setup });
    const s1 = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
      setup: first.setup,
      provider: builtin,
      makeFallback: async () => builtin,
      writer: await TranscriptWriter.openForAppend(first.file),
      clock: new SessionClock({ now: () => 0, minutes: 45 }),
      grade: async () => fakeReport,
    });
    await s1.start();
    await s1.submit('Redirects return 302, because 301 is cached by browsers and we would lose the click counts.');
    await s1.submit('Links go in DynamoDB keyed by the short code instead of Cassandra, because we want a managed store.');
    // The process dies here; a new one resumes from the file alone.
    const restored = restoreSession(await readTranscript(first.file));
    const resumedProvider = createBuiltinProvider({ seed: 3, setup: first.setup });
    const s2 = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
      setup: first.setup,
      provider: resumedProvider,
      makeFallback: async () => resumedProvider,
      writer: await TranscriptWriter.openForAppend(first.file),
      clock: new SessionClock({ now: () => 0, minutes: 45, offsetMs: restored.offsetMs }),
      grade: async () => fakeReport,
      restored,
    });
    await s2.start();
    for (const text of ['IDs come from pre-allocated ranges.', 'The cache sits in front of the store.', 'Reads are about 116k per second.']) await s2.submit(text);
    const replies = (await events(first.file)).filter((e) => e.type === 'turn' && e.role === 'interviewer').map((e) => (e as { text: string }).text);
    expect(replies.length).toBeGreaterThanOrEqual(6);
    for (const reply of replies) {
      expect(reply).not.toMatch(/301 or 302/);
      expect(reply).not.toMatch(/Why not Cassandra here/);
    }
  });

  it('a model session sends a budgeted context with the persona prompt', async () => {
    const provider = fakeProvider(() => say('Next question.'));
    const s = await setupSession(provider, {
      systemPrompt: (elapsed) => `PERSONA at ${elapsed}`,
      countTokens: (text) => text.split(/\s+/).length,
      contextBudgetTokens: 60,
    });
    for (let i = 0; i < 8; i++) await s.session.submit(`Answer number ${i} with several words in it to use some tokens up.`);
    const last = provider.requests.at(-1)!;
    expect(last.messages[0]).toMatchObject({ role: 'system', content: expect.stringMatching(/^PERSONA/) });
    expect(last.messages[0]!.content).toMatch(/Summary of the earlier part/);
    expect(last.messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('Answer number 7') });
    expect(s.session.getState().usage).toMatchObject({ inputTokens: 800, outputTokens: 160 });
    expect(s.session.getState().usage!.costUsd).toBeGreaterThan(0);
  });

  it("a model's context window shrinks the budget; a prompt that cannot fit is not sent, and nothing is lost", async () => {
    // The window fits the persona and a few turns: older turns fold sooner than the 6,000-token default.
    const roomy = { ...fakeProvider(() => say('Next question.')), contextTokens: 700 };
    const s = await setupSession(roomy, { systemPrompt: () => 'PERSONA '.repeat(20), countTokens: (text) => text.split(/\s+/).length });
    for (let i = 0; i < 12; i++) await s.session.submit(`Answer number ${i} ${'with several words in it '.repeat(6)}`);
    expect(roomy.requests.at(-1)!.messages[0]!.content).toMatch(/Summary of the earlier part/);
    expect(s.session.getState().status).not.toBe('offer-fallback');

    // A persona and problem longer than the whole window: refused with the reason, the answer kept.
    const tiny = { ...fakeProvider(() => say('never asked')), contextTokens: 600 };
    const t = await setupSession(tiny, { systemPrompt: () => 'A long persona prompt. '.repeat(200), countTokens: (text) => text.split(/\s+/).length });
    await t.session.submit('My answer that must be kept.');
    expect(tiny.requests).toHaveLength(0);
    expect(t.session.getState().status).toBe('offer-fallback');
    const notices = t.session.getState().items.filter((i) => i.kind === 'notice').map((i) => (i as { text: string }).text);
    expect(notices.join('\n')).toMatch(/Not sent: the interviewer prompt is ~1,\d00 tokens, more than the model's 600-token context/);
    expect((await events(t.file)).some((e) => e.type === 'turn' && e.text === 'My answer that must be kept.')).toBe(true);
  });

  it('the header names a local server by its name (ollama · model), else the provider', async () => {
    const ollama = { ...fakeProvider(() => say('Hello.')), server: 'ollama', model: 'llama3.2:3b' };
    expect((await setupSession(ollama)).session.getState().providerLabel).toBe('ollama · llama3.2:3b');
    expect((await setupSession(fakeProvider(() => say('Hello.')))).session.getState().providerLabel).toBe('openai · gpt-4o-mini');
  });

  it('monologue: no replies, phases follow the clock, time-up asks once for the wrap-up', async () => {
    const provider = fakeProvider(() => say('should never be called'));
    const s = await setupSession(provider, { mode: 'monologue', minutes: 20, offerReplay: false });
    await s.session.start();
    await s.session.submit('Requirements first: shorten, redirect, analytics.');
    s.advance(8 * 60_000);
    await s.session.tick();
    await s.session.submit('Estimates: 100M links a day is about 1,160 writes per second.');
    s.advance(13 * 60_000);
    await s.session.tick();
    expect(s.session.getState().wrapUp).toBe(true);
    await s.session.submit('To wrap up: KV store, cache, async analytics.');
    await s.session.done;
    expect(provider.requests).toHaveLength(0);
    const saved = await events(s.file);
    // The opening (the problem statement) and the one wrap-up prompt.
    expect(saved.filter((e) => e.type === 'turn' && e.role === 'interviewer')).toHaveLength(2);
    expect(saved.filter((e) => e.type === 'phase').length).toBeGreaterThan(1);
    expect(saved.at(-1)).toMatchObject({ type: 'grade' });
  });
  it('one turn at a time: a second submit while the first is being handled is queued, not interleaved or lost', async () => {
    const provider = fakeProvider(() => say('Next.'));
    const s = await setupSession(provider);
    const first = s.session.submit('First answer.');
    await s.session.submit('Second answer, sent too soon.');
    await first;
    expect(provider.requests).toHaveLength(2);
    const turns = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(turns.map((t) => t.type === 'turn' && t.text)).toEqual(['First answer.', 'Next.', 'Second answer, sent too soon.', 'Next.']);
  });

  it('the Ctrl+C question stays up when the reply under it ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await setupSession(fakeProvider(async function* () {
      yield { type: 'delta', text: 'Slow ' };
      await gate;
      yield { type: 'delta', text: 'reply.' };
    }));
    const submitted = s.session.submit('Go.');
    await waitFor(() => s.session.getState().status === 'streaming');
    await s.session.interrupt();
    release();
    await submitted;
    expect(s.session.getState().status).toBe('confirm-quit');
    s.session.keepGoing();
    expect(s.session.getState().status).toBe('ready');
  });

  it('Esc on the opening still shows the problem statement', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await setupSession(fakeProvider(async function* (request) {
      await gate;
      if (request.signal?.aborted) throw new AbortedError('');
      yield* say('never');
    }));
    const started = s.session.start();
    await waitFor(() => s.session.getState().status === 'streaming');
    s.session.cancelReply();
    release();
    await started;
    const notices = s.session.getState().items.filter((i) => i.kind === 'notice').map((i) => (i.kind === 'notice' ? i.text : ''));
    expect(notices.some((text) => text.startsWith('The problem: URL shortener'))).toBe(true);
  });

  it('a resumed session whose last turn is a partial reply asks again', async () => {
    const first = await setupSession(fakeProvider(async function* () {
      yield { type: 'delta', text: 'Why not' };
      throw new AbortedError('Why not');
    }));
    await first.session.submit('I would use Cassandra.');
    const restored = restoreSession(await readTranscript(first.file));
    expect(restored.turns.at(-1)).toMatchObject({ partial: true });
    const provider = fakeProvider(() => say('Why not Postgres?'));
    const session = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
      setup: first.setup,
      provider,
      makeFallback: async () => provider,
      writer: await TranscriptWriter.openForAppend(first.file),
      clock: new SessionClock({ now: () => 0, minutes: 45, offsetMs: restored.offsetMs }),
      grade: async () => fakeReport,
      restored,
    });
    await session.start();
    expect(provider.requests).toHaveLength(1);
    // The partial is not sent as if it were a finished question.
    expect(provider.requests[0]!.messages.at(-1)).toMatchObject({ role: 'user', content: 'I would use Cassandra.' });
  });
  it('monologue with a model: the adversarial replay is the evaluator prompt, two challenges, a closing, then the grade', async () => {
    let n = 0;
    const provider = fakeProvider(() => say(['Solid ID scheme. You said Cassandra: why?', 'Noted. You said 91 TB: how?', 'Cassandra: defended. 91 TB: revised.'][n++]!));
    const s = await setupSession(provider, {
      mode: 'monologue',
      minutes: 20,
      modelReplay: { systemPrompt: async () => 'EVALUATOR', monologueMessage: (m) => `<<<MONOLOGUE x>>>\n${m}\n<<<END MONOLOGUE x>>>` },
    });
    await s.session.start();
    await s.session.submit('I would store links in Cassandra; five years is about 91 TB.');
    await s.session.end('user-ended');
    expect(s.session.getState().status).toBe('offer-replay');
    await s.session.answer(true);
    expect(provider.requests[0]!.messages.slice(0, 2)).toEqual([
      { role: 'system', content: 'EVALUATOR' },
      { role: 'user', content: '<<<MONOLOGUE x>>>\nI would store links in Cassandra; five years is about 91 TB.\n<<<END MONOLOGUE x>>>' },
    ]);
    await s.session.submit('Because every read is a single-key lookup.');
    await s.session.submit('Fair point, it is 91 TB before replication, 275 TB with three replicas.');
    await s.session.done;
    expect(provider.requests).toHaveLength(3);
    expect(provider.requests[2]!.messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/275 TB/) });
    const saved = await events(s.file);
    expect(saved.find((e) => e.type === 'end')).toMatchObject({ reason: 'user-ended' });
    expect(saved.at(-1)).toMatchObject({ type: 'grade' });
  });

  it('monologue: opens with the problem statement and the time budget, recorded as the first turn', async () => {
    const provider = fakeProvider(() => say('should never be called'));
    const s = await setupSession(provider, { mode: 'monologue', minutes: 20 });
    await s.session.start();
    expect(provider.requests).toHaveLength(0);
    const shown = s.session.getState().items;
    const opening = shown.find((i) => i.kind === 'turn' && i.role === 'interviewer');
    expect(opening?.kind === 'turn' && opening.text).toMatch(/^URL shortener/);
    expect(opening?.kind === 'turn' && opening.text).toContain('Design a service like bit.ly');
    expect(opening?.kind === 'turn' && opening.text).toContain('You have 20 minutes');
    // Before anything the candidate says.
    expect(shown.findIndex((i) => i === opening)).toBe(0);
    const turns = (await events(s.file)).filter((e) => e.type === 'turn');
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ role: 'interviewer', text: expect.stringContaining('Design a service like bit.ly'), elapsedMs: 0 });
    // A resumed monologue shows it again, from the recording.
    const restored = restoreSession(await readTranscript(s.file));
    const again = new PracticeSession({
    renderReport: (report) => `card: overall ${report.overall}`,
      setup: s.setup,
      provider,
      makeFallback: async () => provider,
      writer: await TranscriptWriter.openForAppend(s.file),
      clock: new SessionClock({ now: () => 0, minutes: 20, offsetMs: restored.offsetMs }),
      grade: async () => fakeReport,
      restored,
    });
    await again.start();
    expect(again.getState().items[0]).toMatchObject({ kind: 'turn', role: 'interviewer', text: expect.stringContaining('Design a service like bit.ly') });
    expect((await events(s.file)).filter((e) => e.type === 'turn')).toHaveLength(1);
  });

  it('monologue end: the score card comes first (graded and stored), then the replay offer', async () => {
    const provider = fakeProvider(() => say('should never be called'));
    const s = await setupSession(provider, { mode: 'monologue', minutes: 20 });
    await s.session.start();
    await s.session.submit('I would store links in Cassandra; five years is about 91 TB.');
    s.advance(60_000);
    await s.session.end('user-ended');
    const view = s.session.getState();
    expect(view.status).toBe('offer-replay');
    expect(s.graded).toHaveLength(1);
    const card = view.items.findIndex((i) => i.kind === 'score');
    const offer = view.items.findIndex((i) => i.kind === 'notice' && /adversarial replay\?.*\(y\/n\)/.test(i.text));
    expect(card).toBeGreaterThan(-1);
    expect(offer).toBeGreaterThan(card);
    const saved = await events(s.file);
    expect(saved.slice(-2)).toMatchObject([{ type: 'end', reason: 'user-ended', elapsedMs: 60_000 }, { type: 'grade' }]);

    // No: the session is over with that one grade.
    await s.session.answer(false);
    await s.session.done;
    expect(s.session.ended).toBe(true);
    expect(s.graded).toHaveLength(1);
    const final = await events(s.file);
    expect(final.filter((e) => e.type === 'grade')).toHaveLength(1);
    expect(final.filter((e) => e.type === 'end')).toHaveLength(1);
    expect(final.at(-1)).toMatchObject({ type: 'grade' });
  });

  it('monologue replay after the card: recorded after the first grade, outside the clock, then graded again', async () => {
    const provider = fakeProvider(() => say('should never be called'));
    let graded = 0;
    const reports = [
      { overall: 2, level: { label: 'L3' }, dimensions: { tradeoffs: { name: 'Tradeoffs', score: 1 } } },
      { overall: 2.2, level: { label: 'L3' }, dimensions: { tradeoffs: { name: 'Tradeoffs', score: 2.5 } } },
    ] as unknown as GradeReport[];
    const s = await setupSession(provider, { mode: 'monologue', minutes: 20, grade: async () => reports[graded++]! });
    await s.session.start();
    await s.session.submit('I would store links in Cassandra. The cache holds 500 billion entries.');
    s.advance(5 * 60_000);
    await s.session.end('user-ended');
    expect(s.session.getState().status).toBe('offer-replay');
    await s.session.answer(true);
    s.advance(60_000);
    await s.session.submit('Because every read is a single-key lookup, and it scales writes linearly.');
    s.advance(60_000);
    await s.session.submit('That number was wrong: about 3.5 billion entries in the cache.');
    await s.session.done;
    expect(graded).toBe(2);

    const saved = await events(s.file);
    const kinds = saved.map((e) => (e.type === 'turn' ? `${e.type}:${e.role}` : e.type));
    expect(kinds.filter((k) => k === 'end')).toHaveLength(1);
    // end, the card's grade, the replay (two challenges, two answers), the grade with the answers.
    const end = kinds.indexOf('end');
    expect(kinds.slice(end)).toEqual([
      'end',
      'grade',
      'turn:interviewer',
      'turn:candidate',
      'turn:interviewer',
      'turn:candidate',
      'grade',
    ]);
    // The replay is outside the monologue's clock: its turns carry the end's elapsed time.
    const endMs = (saved[end] as { elapsedMs: number }).elapsedMs;
    expect(endMs).toBe(5 * 60_000);
    for (const e of saved.slice(end)) if (e.type === 'turn') expect(e.elapsedMs).toBe(endMs);
    expect(saved.at(-1)).toMatchObject({ type: 'grade', report: { overall: 2.2 } });

    const items = s.session.getState().items;
    expect(items.filter((i) => i.kind === 'score')).toHaveLength(2);
    expect(items.some((i) => i.kind === 'notice' && i.text.includes('overall 2.00 → 2.20') && i.text.includes('Tradeoffs 1.0 → 2.5'))).toBe(true);
    expect(s.session.getState().status).toBe('ended');
  });

  it('monologue time-up: the wrap-up answer ends it with the score card, then the offer; /end in the replay closes it', async () => {
    const provider = fakeProvider(() => say('should never be called'));
    const s = await setupSession(provider, { mode: 'monologue', minutes: 20 });
    await s.session.start();
    await s.session.submit('I would store links in Cassandra; five years is about 91 TB.');
    s.advance(20 * 60_000);
    await s.session.tick();
    expect(s.session.getState().wrapUp).toBe(true);
    await s.session.submit('To wrap up: KV store, cache, async analytics.');
    expect(s.session.getState().status).toBe('offer-replay');
    expect((await events(s.file)).slice(-2)).toMatchObject([{ type: 'end', reason: 'time-up' }, { type: 'grade' }]);
    const items = s.session.getState().items;
    expect(items.findIndex((i) => i.kind === 'score')).toBeLessThan(items.findIndex((i) => i.kind === 'notice' && /replay\?/.test(i.text)));
    // The clock stopped at the end: the grace period never ends the offer on its own.
    s.advance(10 * 60_000);
    await s.session.tick();
    expect(s.session.getState().status).toBe('offer-replay');
    await s.session.answer(true);
    await s.session.submit('/end');
    await s.session.done;
    // Nothing answered in the replay: the first grade stays the only one.
    const saved = await events(s.file);
    expect(saved.filter((e) => e.type === 'grade')).toHaveLength(1);
    expect(saved.filter((e) => e.type === 'end')).toHaveLength(1);
    expect(s.graded).toHaveLength(1);
  });

  it('Ctrl+C during the monologue replay saves without a second end event; the stored card stands', async () => {
    const provider = fakeProvider(() => say('should never be called'));
    const s = await setupSession(provider, { mode: 'monologue', minutes: 20 });
    await s.session.start();
    await s.session.submit('I would store links in Cassandra.');
    await s.session.end('user-ended');
    await s.session.answer(true);
    await s.session.submit('Because every read is a single-key lookup.');
    expect(await s.session.interrupt()).toBe(false);
    expect(await s.session.interrupt()).toBe(true);
    await s.session.done;
    const saved = await events(s.file);
    expect(saved.filter((e) => e.type === 'end')).toEqual([expect.objectContaining({ reason: 'user-ended' })]);
    expect(saved.filter((e) => e.type === 'grade')).toHaveLength(1);
    // The replay so far is recorded after the stored grade (the second challenge is the last turn).
    expect(saved.slice(-3).map((e) => e.type)).toEqual(['turn', 'turn', 'turn']);
    expect(saved.some((e) => e.type === 'turn' && e.text === 'Because every read is a single-key lookup.')).toBe(true);
    expect(restoreSession(await readTranscript(s.file)).graded).toBe(true);
  });
});
