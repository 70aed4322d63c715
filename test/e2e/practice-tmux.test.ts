// The practice screen in a real terminal: the built CLI in tmux, driven by keys as a user would.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTranscript } from '../../src/storage/transcript-store.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { tempHome, waitFor } from '../support/env.js';
import { TmuxApp } from '../support/tmux.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function home(): Promise<string> {
  const h = await tempHome();
  cleanups.push(h.cleanup);
  return h.dir;
}

async function start(args: string[], env: Record<string, string>): Promise<TmuxApp> {
  const app = await TmuxApp.start({ args, env });
  cleanups.push(() => app.kill());
  return app;
}

async function sessionFile(sdcoachHome: string): Promise<string> {
  const dir = path.join(sdcoachHome, 'sessions');
  const files = await waitFor(async () => (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.jsonl')), { what: 'a session file' });
  return path.join(dir, files[0]!);
}

async function fileContains(file: string, text: string): Promise<void> {
  await waitFor(async () => (await readFile(file, 'utf8').catch(() => '')).includes(text), { what: `"${text}" in ${file}` });
}

const ANSWER_1 = 'Let me clarify first. How many daily users do we expect, and what is the read to write ratio?';
const ANSWER_2 = 'I would store links in Cassandra keyed by the short code, with a Redis cache in front for hot links.';

describe('sdcoach practice in a terminal (tmux)', () => {
  it('runs an offline interview: streamed replies, /time, /end, score card, everything recorded', async () => {
    const sdHome = await home();
    const app = await start(['practice', 'url-shortener', '--seed', '1'], { SDCOACH_HOME: sdHome, SDCOACH_BUILTIN_CHUNK_MS: '2' });
    await app.waitForScreen(/Interviewer/, 'the opening');
    await app.waitForScreen(/45 minutes/, 'the time budget in the opening');
    await app.waitForScreen(/builtin/, 'the provider named in the header');

    await app.waitForReady();
    await app.type(ANSWER_1, { enter: true });
    const afterFirst = await app.waitForScreen(/100 million/, 'the fact sheet answer');
    expect(afterFirst).toContain('How many daily users');

    await app.waitForReady();
    await app.type(ANSWER_2, { enter: true });
    await app.waitForScreen(/Cassandra\?|Why not Cassandra/i, 'a pushback on Cassandra');

    await app.waitForReady();
    await app.type('/time', { enter: true });
    await app.waitForScreen(/elapsed, .* left of 45:00/, '/time output');

    await app.type('/end', { enter: true });
    await app.waitForScreen(/Overall .* \/ 5/, 'the score card');
    await app.waitForScreen(/Session saved:/, 'the exit line');

    const file = await sessionFile(sdHome);
    const transcript = await readTranscript(file);
    const turns = transcript.events.filter((e) => e.type === 'turn');
    expect(turns.filter((t) => t.type === 'turn' && t.role === 'candidate').map((t) => t.type === 'turn' && t.text)).toEqual([ANSWER_1, ANSWER_2]);
    expect(turns.filter((t) => t.type === 'turn' && t.role === 'interviewer').length).toBeGreaterThanOrEqual(3);
    expect(transcript.events.some((e) => e.type === 'pushback')).toBe(true);
    expect(transcript.events.find((e) => e.type === 'end')).toMatchObject({ reason: 'user-ended' });
    expect(transcript.events.at(-1)).toMatchObject({ type: 'grade' });
    expect(transcript.problems).toEqual([]);
  });

  it('Esc during a reply keeps a partial turn and the app stays usable; Ctrl+C twice saves and quits', async () => {
    const sdHome = await home();
    // Slow chunks, so the reply is still streaming when Esc arrives.
    const app = await start(['practice', 'url-shortener', '--seed', '2'], { SDCOACH_HOME: sdHome, SDCOACH_BUILTIN_CHUNK_MS: '150' });
    await app.waitForScreen(/Interviewer\n\s+URL shortener/, 'the opening streaming');
    await app.keys('Escape');
    await app.waitForScreen(/partial/, 'the partial marker');
    await app.waitForReady('the composer back');
    await app.type(ANSWER_1, { enter: true });
    await app.waitForScreen(/Esc cancels/, 'the next reply streaming');
    const file = await sessionFile(sdHome);
    await fileContains(file, ANSWER_1);
    const transcript = await readTranscript(file);
    const first = transcript.events.find((e) => e.type === 'turn');
    expect(first).toMatchObject({ role: 'interviewer', partial: true });

    // Ctrl+C asks; a second one saves and quits.
    await app.keys('C-c');
    await app.waitForScreen(/Press Ctrl\+C again/, 'the quit question');
    await app.keys('C-c');
    await app.waitForScreen(/Session saved:/, 'the app to save and exit');
    await waitFor(() => app.exited(), { what: 'the app to exit' });
    expect((await readTranscript(file)).events.at(-1)).toMatchObject({ type: 'end', reason: 'interrupted' });
  });

  it('SIGKILL right after a turn is sent loses nothing: --resume shows it and carries on', async () => {
    const sdHome = await home();
    const env = { SDCOACH_HOME: sdHome, SDCOACH_BUILTIN_CHUNK_MS: '300' };
    const app = await start(['practice', 'url-shortener', '--seed', '3'], env);
    await app.waitForScreen(/Interviewer/, 'the opening');
    await app.keys('Escape');
    await app.waitForReady();
    const file = await sessionFile(sdHome);
    await app.type(ANSWER_2, { enter: true });
    await fileContains(file, 'Cassandra keyed by the short code');
    process.kill(await app.pid(), 'SIGKILL');
    await waitFor(() => app.exited(), { what: 'the app to die' });

    const id = path.basename(file, '.jsonl');
    const resumed = await start(['practice', '--resume', id.slice(0, 17)], { ...env, SDCOACH_BUILTIN_CHUNK_MS: '2' });
    await resumed.waitForScreen(/Cassandra keyed by the short code/, 'the turn sent before the kill');
    // The interviewer answers the turn the crash left unanswered.
    const transcript = await waitFor(async () => {
      const t = await readTranscript(file);
      const turns = t.events.filter((e) => e.type === 'turn');
      return turns.at(-1)?.type === 'turn' && (turns.at(-1) as { role: string }).role === 'interviewer' ? t : null;
    }, { what: 'a reply to the saved turn' });
    const turns = transcript.events.filter((e) => e.type === 'turn');
    expect(turns.filter((e) => e.type === 'turn' && e.role === 'candidate').map((e) => e.type === 'turn' && e.text)).toEqual([ANSWER_2]);
    expect(turns.at(-1)).toMatchObject({ role: 'interviewer' });
  });

  it('against a model whose stream drops, the candidate text survives and the session continues', async () => {
    const fake: FakeOpenAI = await startFakeOpenAI({ tokenDelayMs: 1 });
    cleanups.push(() => fake.close());
    fake.enqueue({ kind: 'reply', text: 'Design a URL shortener. What do you want to know first?' }, { kind: 'drop', afterChunks: 3 });
    const sdHome = await home();
    const app = await start(['practice', 'url-shortener', '--provider', 'openai', '--base-url', fake.url, '--model', 'gpt-4o-mini'], {
      SDCOACH_HOME: sdHome,
    });
    await app.waitForScreen(/What do you want to know first/, 'the model opening');
    await app.waitForScreen(/gpt-4o-mini/, 'the model in the header');
    await app.waitForReady();
    await app.type(ANSWER_1, { enter: true });
    await app.waitForScreen(/builtin interviewer\? \(y/, 'the fallback offer');
    const file = await sessionFile(sdHome);
    await fileContains(file, ANSWER_1);
    await app.type('y');
    await app.waitForScreen(/model unavailable/, 'the fallback shown in the header');
    await app.waitForScreen(/100 million/, 'the builtin interviewer answering the saved question');
    const transcript = await readTranscript(file);
    expect(transcript.events.filter((e) => e.type === 'turn' && e.role === 'candidate').map((e) => e.type === 'turn' && e.text)).toEqual([ANSWER_1]);
  });
  it('a resize re-wraps the history and leaves no stale copy of the live region', async () => {
    const sdHome = await home();
    const app = await start(['practice', 'url-shortener', '--seed', '5'], { SDCOACH_HOME: sdHome, SDCOACH_BUILTIN_CHUNK_MS: '1' });
    await app.waitForReady();
    await app.tmux('resize-window', '-t', app.target, '-x', '60', '-y', '30');
    // Wait for the whole repaint, not its first line: on a loaded machine the history can be
    // re-printed while the live region below it is still being redrawn at the old width.
    const settled = (text: string) =>
      // Re-printed at 60 columns: the statement's lines now break earlier.
      /Ask the interviewer about scale, latency and anything else\n\s+you need\./.test(text) &&
      text.match(/phase clarify/g)?.length === 1 &&
      text.split('\n').every((line) => line.length <= 60);
    const screen = await waitFor(async () => {
      const text = await app.screen();
      return settled(text) ? text : null;
    }, { what: 'the history re-wrapped at 60 columns, one live region, no line wider than 60' });
    expect(screen.match(/phase clarify/g)).toHaveLength(1);
    expect(screen.split('\n').every((line) => line.length <= 60)).toBe(true);
  });

  it('a monologue: the statement first, a pasted 4.4 KB paragraph ending in a newline is one turn, the score card before the replay offer', async () => {
    const sdHome = await home();
    const app = await start(['practice', 'url-shortener', '--mode', 'monologue', '--seed', '7'], { SDCOACH_HOME: sdHome });
    await app.waitForScreen(/Design a service like bit\.ly/, 'the problem statement');
    await app.waitForScreen(/You have 20 minutes/, 'the time budget');
    await app.waitForReady();
    const file = await sessionFile(sdHome);

    // A bracketed paste (the app asks for it) whose text ends in a newline: sent as one turn.
    const paragraph = (n: number) =>
      `Part ${n}: redirects read a Redis cache in front of a key-value store keyed by the short code; ` +
      `100M links a day is about 1,160 writes per second and 116k redirects per second at 100 to 1.`;
    const pasted = Array.from({ length: 24 }, (_, i) => paragraph(i + 1)).join('\n');
    expect(Buffer.byteLength(pasted)).toBeGreaterThan(4400);
    await app.paste(`${pasted}\n`);
    await fileContains(file, 'Part 24: redirects');
    await app.waitForReady('the composer empty again');
    expect((await app.screen()).split('\n').filter((l) => l.trim()).at(-1)).toMatch(/^›\s+Talk through your design/);
    // A paste without the newline stays in the draft until Enter.
    await app.paste('I would store links in Cassandra.\nFive years is about 91 TB.');
    await app.waitForScreen(/›.*I would store links in Cassandra\.\n\s+Five years is about 91 TB\./, 'the paste in the draft');
    expect(await readFile(file, 'utf8')).not.toContain('store links in Cassandra');
    await app.keys('Enter');
    await fileContains(file, 'Five years is about 91 TB.');
    let transcript = await readTranscript(file);
    expect(transcript.events.filter((e) => e.type === 'turn' && e.role === 'candidate').map((e) => e.type === 'turn' && e.text)).toEqual([
      pasted,
      'I would store links in Cassandra.\nFive years is about 91 TB.',
    ]);

    // /end: the score card, stored, and only then the offer.
    await app.waitForReady();
    await app.type('/end', { enter: true });
    // Grading runs first; on a loaded machine (the whole suite on two cores) give it time.
    const offered = await app.waitForScreen(/Want an adversarial replay\?/, 'the replay offer', 45_000);
    expect(offered.search(/Overall .* \/ 5/)).toBeGreaterThan(-1);
    expect(offered.search(/Overall .* \/ 5/)).toBeLessThan(offered.search(/Want an adversarial replay\?/));
    transcript = await readTranscript(file);
    expect(transcript.events.slice(-2).map((e) => e.type)).toEqual(['end', 'grade']);

    // The replay: two challenges, two answers, then the card again with them. Each answer waits
    // for its challenge to be on disk: until then the session is still busy and refuses a send.
    const challenges = async (n: number) =>
      waitFor(async () => {
        const events = (await readTranscript(file)).events;
        const afterEnd = events.slice(events.findIndex((e) => e.type === 'end'));
        return afterEnd.filter((e) => e.type === 'turn' && e.role === 'interviewer').length >= n;
      }, { what: `replay challenge ${n} in the session file` });
    await app.type('y');
    await challenges(1);
    await app.waitForReady('the first challenge');
    await app.type('Because every read is a single-key lookup, and the tradeoff is giving up ad-hoc queries.', { enter: true });
    await challenges(2);
    await app.waitForReady('the second challenge');
    await app.type('If a cache node dies, reads fall through to the store while a replica takes over.', { enter: true });
    await app.waitForScreen(/After the replay: overall/, 'the card graded again');
    await app.waitForScreen(/Session saved:/, 'the exit line');
    transcript = await readTranscript(file);
    const kinds = transcript.events.map((e) => (e.type === 'turn' ? e.role : e.type));
    expect(kinds.filter((k) => k === 'end')).toHaveLength(1);
    expect(kinds.slice(kinds.indexOf('end'))).toEqual(['end', 'grade', 'interviewer', 'candidate', 'interviewer', 'candidate', 'grade']);
    // A whole monologue, two gradings and a replay: more than the default 30 s on a loaded machine.
  }, 120_000);
});
