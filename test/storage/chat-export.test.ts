// Conversation exports (ChatGPT, Claude) import as interviewer and candidate turns; JSON that is
// not a transcript is an error, never graded as text.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/schemas/transcript.js';
import { importChatExport } from '../../src/storage/chat-export.js';
import { loadTranscript, TranscriptFormatError } from '../../src/storage/load-transcript.js';

type Turn = Extract<TranscriptEvent, { type: 'turn' }>;
const fixture = (name: string) => path.resolve(import.meta.dirname, '..', 'fixtures', 'imports', name);
const said = (events: TranscriptEvent[]) => events.filter((e): e is Turn => e.type === 'turn').map((t) => [t.role, t.text]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'chat-export-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
const write = async (name: string, text: string) => {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
};

describe('a ChatGPT conversations.json', () => {
  it('follows current_node back to the root: assistant = interviewer, user = candidate; system, tool and hidden messages dropped', async () => {
    const transcript = await loadTranscript(fixture('chatgpt-conversations.json'), { problem: 'url-shortener' });
    expect(said(transcript.events)).toEqual([
      ['system', 'Act as a system design interviewer. Ask me one question at a time.'],
      ['interviewer', 'Sure. Design a URL shortener like bit.ly. What would you clarify first?'],
      ['candidate', 'How many new links a day, and do links expire? I assume reads outnumber writes 100 to 1.'],
      ['interviewer', '100 million new links a day, kept for five years. Go on.'],
      ['candidate', 'So about 1,200 writes a second. I would store short code to URL in a key-value store with a cache in front.'],
    ]);
    expect(transcript.meta).toMatchObject({ mode: 'interview', source: 'chatgpt', timing: 'estimated', problem: 'url-shortener', started: '2026-01-01T10:00:00.000Z' });
    const all = JSON.stringify(transcript.events);
    for (const gone of ['edited away', 'not on the current branch', '1157.4', 'print(', 'Be strict', 'asset_pointer', 'mapping']) expect(all).not.toContain(gone);
  });

  it('a single conversation object reads the same', async () => {
    const [conversation] = JSON.parse(await readFile(fixture('chatgpt-conversations.json'), 'utf8'));
    const file = await write('one.json', JSON.stringify(conversation));
    const fromList = await loadTranscript(fixture('chatgpt-conversations.json'));
    expect(said((await loadTranscript(file)).events)).toEqual(said(fromList.events));
  });

  it('without a current_node, messages are read in create_time order', () => {
    const message = (role: string, text: string, t: number) => ({ author: { role }, create_time: t, content: { content_type: 'text', parts: [text] } });
    const conversation = {
      title: 't',
      mapping: {
        c: { id: 'c', parent: 'b', children: [], message: message('user', 'A cache.', 30) },
        a: { id: 'a', parent: null, children: ['b'], message: message('assistant', 'Design a feed.', 10) },
        b: { id: 'b', parent: 'a', children: ['c'], message: message('system', 'hidden', 20) },
      },
    };
    expect(said(importChatExport(conversation, '').events)).toEqual([
      ['interviewer', 'Design a feed.'],
      ['candidate', 'A cache.'],
    ]);
  });

  it('several conversations: an error naming them, or the one picked by title', async () => {
    const file = fixture('chatgpt-two-conversations.json');
    await expect(loadTranscript(file)).rejects.toThrow(TranscriptFormatError);
    await expect(loadTranscript(file)).rejects.toThrow(/holds 2 conversations \("Mock interview: URL shortener", "Weekend recipes"\); grade one at a time/);
    const picked = await loadTranscript(file, { conversation: 'mock interview: url shortener' });
    expect(said(picked.events)).toHaveLength(5);
    await expect(loadTranscript(file, { conversation: 'Nope' })).rejects.toThrow(/no conversation titled "Nope"/);
  });
});

describe('a Claude conversations.json', () => {
  it('human = candidate, assistant = interviewer', async () => {
    const file = await write(
      'claude.json',
      JSON.stringify([
        {
          uuid: 'x',
          name: 'Mock interview',
          created_at: '2026-01-02T09:00:00Z',
          chat_messages: [
            { sender: 'assistant', text: 'Design a rate limiter.' },
            { sender: 'human', text: '', content: [{ type: 'text', text: 'Per key, token bucket in Redis.' }] },
          ],
        },
      ]),
    );
    const transcript = await loadTranscript(file);
    expect(said(transcript.events)).toEqual([
      ['interviewer', 'Design a rate limiter.'],
      ['candidate', 'Per key, token bucket in Redis.'],
    ]);
    expect(transcript.meta.source).toBe('claude');
  });
});

describe('other JSON', () => {
  it('is an error, not text to grade', async () => {
    await expect(loadTranscript(await write('data.json', '{"users": [1, 2, 3]}'))).rejects.toThrow(/^not a transcript: JSON that is neither a saved session/);
    await expect(loadTranscript(await write('list.txt', '[{"a": 1}]'))).rejects.toThrow(/^not a transcript/);
    await expect(loadTranscript(await write('broken.json', '{"title": '))).rejects.toThrow(/^not valid JSON/);
  });

  it('a saved session named .json is still a session; text that only looks like JSON is still text', async () => {
    const meta = { type: 'meta', schemaVersion: 1, id: 's1', problem: null, mode: 'monologue', provider: 'builtin', model: null, rubric: null, levelTarget: null, started: '2026-01-01T00:00:00.000Z' };
    const turn = { type: 'turn', role: 'candidate', text: 'Shard by key.', elapsedMs: 1000, phase: null };
    const session = await loadTranscript(await write('session.json', `${JSON.stringify(meta)}\n${JSON.stringify(turn)}\n`));
    expect(session.format).toBe('jsonl');
    expect(said(session.events)).toEqual([['candidate', 'Shard by key.']]);
    const text = await loadTranscript(await write('notes.txt', '[Interviewer] starts\nCandidate: I would shard by key.'));
    expect(text.format).toBe('plain');
  });
});
