// `sessions export --format txt` keeps the problem id: a `Problem:` header that the plain
// importer (and so `sdcoach grade`) reads back as the problem, never as speech.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionText } from '../../src/commands/sessions/render.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';
import { packagedDirs } from '../../src/storage/paths.js';
import { readTranscript } from '../../src/storage/transcript-store.js';
import type { Transcript } from '../../src/schemas/transcript.js';

const turns = (t: Transcript) => t.events.flatMap((e) => (e.type === 'turn' && e.role !== 'system' ? [[e.role, e.text.replace(/\n{2,}/g, '\n')]] : []));

describe('txt export', () => {
  it('names the problem in its header, and the import reads it back as the problem', async () => {
    const session = await readTranscript(path.join(packagedDirs().sessions, 'example-url-shortener.jsonl'));
    const text = sessionText(session);
    expect(text).toMatch(/^Problem: url-shortener\n\nInterviewer: /);
    const back = importPlainTranscript(text);
    expect(back.meta.problem).toBe('url-shortener');
    expect(back.meta.mode).toBe('interview');
    expect(turns(back)).toEqual(turns(session));
    expect(back.events.some((e) => e.type === 'turn' && /Problem:/.test(e.text))).toBe(false);
  });

  it('a monologue export keeps its header out of the speech; --problem still wins', () => {
    const monologue = importPlainTranscript('Problem: news-feed\n\nFirst I would clarify the scope.\n\nThen the fan-out.');
    expect(monologue.meta.problem).toBe('news-feed');
    expect(turns(monologue)).toEqual([
      ['candidate', 'First I would clarify the scope.'],
      ['candidate', 'Then the fan-out.'],
    ]);
    expect(importPlainTranscript('Problem: news-feed\n\nHello.', { problem: 'url-shortener' }).meta.problem).toBe('url-shortener');
    // Prose that opens with "Problem:" is speech, not a header.
    const prose = importPlainTranscript('Problem: links must never collide.\n\nSo IDs come from ranges.');
    expect(prose.meta.problem).toBeNull();
    expect(turns(prose)[0]).toEqual(['candidate', 'Problem: links must never collide.']);
  });

  it('a session with no problem gets no header', async () => {
    const session = await readTranscript(path.join(packagedDirs().sessions, 'example-url-shortener.jsonl'));
    const text = sessionText({ ...session, meta: { ...session.meta, problem: null } });
    expect(text).toMatch(/^Interviewer: /);
  });
});
