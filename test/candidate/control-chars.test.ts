// A terminal escape sequence in a transcript no longer costs its line: control characters are
// stripped where the text is read (plain import) or shown (practice screen, session documents),
// never sent raw to a terminal, and the rest of the line is kept.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionText, transcriptMarkdown } from '../../src/commands/sessions/render.js';
import { initialView, sessionReducer } from '../../src/interview/session-state.js';
import { hasControls, stripControls } from '../../src/term/strip.js';
import { loadTranscript } from '../../src/storage/load-transcript.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';
import { parseTranscript } from '../../src/storage/transcript-store.js';

const ESC = '\u001b';
const turnTexts = (text: string) => importPlainTranscript(text).events.flatMap((e) => (e.type === 'turn' ? [[e.role, e.text]] : []));

describe('stripControls', () => {
  it('removes escape sequences whole and other controls, keeps tabs and newlines', () => {
    expect(stripControls(`I'd use ${ESC}[1;31mRedis${ESC}[0m here`)).toBe("I'd use Redis here");
    expect(stripControls(`title ${ESC}]0;pwned\u0007kept`)).toBe('title kept');
    expect(stripControls(`link ${ESC}]8;;https://x.test${ESC}\\text${ESC}]8;;${ESC}\\ end`)).toBe('link text end');
    expect(stripControls(`clear${ESC}[2J${ESC}[H!`)).toBe('clear!');
    expect(stripControls('bell\u0007 back\bspace del\u007f c1\u009b31m csi')).toBe('bell backspace del c1 csi');
    expect(stripControls('a\tb\nc\r\nd\re')).toBe('a\tb\nc\nd\ne');
    expect(stripControls(`cut mid-sequence ${ESC}[3`)).toBe('cut mid-sequence ');
    expect(stripControls('plain text 🙂 é')).toBe('plain text 🙂 é');
    for (let code = 0; code < 0xa0; code++) {
      const ch = String.fromCharCode(code);
      if (ch === '\t' || ch === '\n' || (code >= 0x20 && code < 0x7f)) continue;
      expect(hasControls(stripControls(`x${ch}y`)), `U+${code.toString(16)}`).toBe(false);
    }
  });
});

describe('plain transcripts with control characters', () => {
  it('keeps a line holding an escape sequence, without the sequence', () => {
    const text = ['Interviewer: Which store?', `Candidate: I would use ${ESC}[1mRedis${ESC}[0m for the cache,`, 'and Postgres\u0007 for links.'].join('\n');
    const t = importPlainTranscript(text);
    expect(t.problems).toEqual([]);
    expect(turnTexts(text)).toEqual([
      ['interviewer', 'Which store?'],
      ['candidate', 'I would use Redis for the cache,\nand Postgres for links.'],
    ]);
  });

  it('a coloured speaker label is still a label', () => {
    expect(turnTexts(`${ESC}[36mInterviewer:${ESC}[0m Go.\n${ESC}[32m**Candidate:**${ESC}[0m Sharded by key.`)).toEqual([
      ['interviewer', 'Go.'],
      ['candidate', 'Sharded by key.'],
    ]);
  });

  it('a NUL or invalid UTF-8 still marks a line as not text', () => {
    const t = importPlainTranscript('Candidate: fine\nbin\u0000ary\nbad \uFFFD bytes');
    expect(t.problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('loadTranscript of a pasted file (as grade reads it) keeps the line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cand-helper-'));
    try {
      const file = path.join(dir, 'pasted.txt');
      await writeFile(file, `Interviewer: Estimate QPS.\nCandidate: ${ESC}[33m100M reads a day is about 1,160 per second.${ESC}[0m\n`);
      const t = await loadTranscript(file);
      expect(t.problems).toEqual([]);
      expect(t.events.at(-1)).toMatchObject({ role: 'candidate', text: '100M reads a day is about 1,160 per second.' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('shown text never carries a control character', () => {
  it('practice screen history: turns, streamed paragraphs and notices', () => {
    let view = initialView({ phase: 'clarify', providerLabel: 'x' });
    view = sessionReducer(view, { type: 'candidate', text: `pasted ${ESC}[31mred${ESC}[0m text` });
    view = sessionReducer(view, { type: 'reply-start' });
    view = sessionReducer(view, { type: 'reply-delta', text: `First ${ESC}[2J paragraph.\n\nSecond\u0007 one` });
    view = sessionReducer(view, { type: 'reply-end', partial: false });
    view = sessionReducer(view, { type: 'notice', tone: 'info', text: `note ${ESC}]0;title\u0007 here` });
    const texts = view.items.flatMap((i) => (i.kind === 'score' ? [] : [i.text]));
    expect(texts).toEqual(['pasted red text', 'First  paragraph.', 'Second one', 'note  here']);
  });

  it('session documents (sessions show / export md and txt) of a recorded session', () => {
    const meta = { type: 'meta', schemaVersion: 1, id: 's1', problem: 'url-shortener', mode: 'interview', provider: 'builtin', model: null, rubric: 'default', levelTarget: null, started: '2026-11-22T10:00:00.000Z', minutes: 45, seed: 1 };
    const events = [
      { type: 'turn', role: 'interviewer', text: `Go ${ESC}[1mahead${ESC}[0m.`, elapsedMs: 0, phase: 'clarify' },
      { type: 'turn', role: 'candidate', text: `Reads${ESC}[2J dominate\u0007.`, elapsedMs: 1000, phase: 'clarify' },
    ];
    const transcript = parseTranscript([meta, ...events].map((e) => JSON.stringify(e)).join('\n') + '\n', null);
    expect(transcript.problems).toEqual([]);
    for (const doc of [transcriptMarkdown(transcript), sessionText(transcript)]) {
      expect(hasControls(doc.replace(/\n/g, ''))).toBe(false);
      expect(doc).toContain('Go ahead.');
      expect(doc).toContain('Reads dominate.');
    }
  });
});
