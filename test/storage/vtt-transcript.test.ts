// Meeting captions (.vtt, .srt) import as turns with their real times, not as a monologue of
// tags and timestamps.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/schemas/transcript.js';
import { loadTranscript } from '../../src/storage/load-transcript.js';
import { importCaptionTranscript, speakerRoles } from '../../src/storage/vtt-transcript.js';

type Turn = Extract<TranscriptEvent, { type: 'turn' }>;
const fixture = (name: string) => path.resolve(import.meta.dirname, '..', 'fixtures', 'imports', name);
const turnsOf = (events: TranscriptEvent[]) => events.filter((e): e is Turn => e.type === 'turn').map((t) => [t.role, t.elapsedMs, t.text]);

describe('loadTranscript: a WebVTT file with voice tags', () => {
  it('becomes interviewer and candidate turns with recorded times', async () => {
    const transcript = await loadTranscript(fixture('teams-meeting.vtt'), { problem: 'url-shortener' });
    expect(transcript.meta).toMatchObject({ mode: 'interview', timing: 'recorded', source: 'vtt', problem: 'url-shortener' });
    expect(transcript.problems).toEqual([]);
    expect(turnsOf(transcript.events)).toEqual([
      ['interviewer', 0, "Hi, thanks for joining. Let's design a URL shortener today. Where would you like to start?"],
      ['candidate', 11_000, "I'd start with requirements. How many new links a day, and do links expire? And is the read to write ratio around 100 to 1?"],
      ['interviewer', 88_000, 'Assume 100 million new links a day, kept for five years.'],
      ['candidate', 118_000, 'So about 1,200 writes a second & 120,000 reads. I would use a key-value store with a cache in front.'],
      ['interviewer', 183_250, 'Why not a relational database?'],
    ]);
    // The last cue's end, so the final turn has its real length.
    expect(transcript.events.at(-1)).toEqual({ type: 'end', reason: 'completed', elapsedMs: 188_000 });
    const all = JSON.stringify(transcript.events);
    for (const gone of ['WEBVTT', '-->', '<v', '3f1c2a9e', 'NOTE', 'Written by hand', 'align:start']) expect(all).not.toContain(gone);
  });
});

describe('loadTranscript: "Speaker: text" captions (Zoom)', () => {
  it('takes the labels as speakers and the asker of the design question as the interviewer', async () => {
    const transcript = await loadTranscript(fixture('zoom-meeting.vtt'));
    expect(turnsOf(transcript.events)).toEqual([
      ['interviewer', 0, 'Okay, could you design a rate limiter for our public API?'],
      // "Note:" opens one cue only: it is speech, not a speaker.
      ['candidate', 7_000, 'Sure. First, is the limit per user or per API key? Note: I will assume per key for now.'],
      ['interviewer', 21_000, 'Per key is fine.'],
    ]);
    expect(transcript.meta.timing).toBe('recorded');
  });

  it('a candidate name given by the caller wins', async () => {
    const transcript = await loadTranscript(fixture('zoom-meeting.vtt'), { candidate: 'alex kim' });
    expect(turnsOf(transcript.events).map(([role]) => role)).toEqual(['candidate', 'interviewer', 'candidate']);
  });
});

describe('importCaptionTranscript', () => {
  it('reads SubRip timestamps and numeric ids', () => {
    const srt = '1\n00:00:05,000 --> 00:00:08,000\nInterviewer: Design a chat app.\n\n2\n00:00:09,500 --> 00:00:20,000\nCandidate: Who are the users?\n';
    const transcript = importCaptionTranscript(srt, { source: 'srt' });
    expect(turnsOf(transcript.events)).toEqual([
      ['interviewer', 0, 'Design a chat app.'],
      ['candidate', 4_500, 'Who are the users?'],
    ]);
    expect(transcript.meta.source).toBe('srt');
  });

  it('captions without speakers are a monologue, a new turn at each pause', () => {
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:04.000\nFirst the requirements.\n\n00:04.000 --> 00:08.000\nReads dominate.\n\n01:00.000 --> 01:05.000\nNow the estimates.\n';
    const transcript = importCaptionTranscript(vtt);
    expect(transcript.meta.mode).toBe('monologue');
    expect(turnsOf(transcript.events)).toEqual([
      ['candidate', 0, 'First the requirements. Reads dominate.'],
      ['candidate', 60_000, 'Now the estimates.'],
    ]);
  });

  it('a name opening one cue is a speaker in labelled captions, speech in unlabelled ones', () => {
    const cue = (n: number, text: string) => `00:00:0${n}.000 --> 00:00:0${n}.900\n${text}\n`;
    const labelled = importCaptionTranscript(`WEBVTT\n\n${cue(1, 'Dana: Design a feed?')}\n${cue(2, 'Sam: Fan-out on write.')}`);
    expect(turnsOf(labelled.events).map(([role]) => role)).toEqual(['interviewer', 'candidate']);
    const plainCaptions = importCaptionTranscript(`WEBVTT\n\n${cue(1, 'First the requirements.')}\n${cue(2, 'Note: reads dominate.')}`);
    expect(turnsOf(plainCaptions.events)).toEqual([['candidate', 0, 'First the requirements. Note: reads dominate.']]);
  });

  it('reports blocks that are not cues and keeps the rest', () => {
    const transcript = importCaptionTranscript('WEBVTT\n\nstray text\n\n00:00:01.000 --> 00:00:02.000\n<v A>hello');
    expect(transcript.problems).toEqual([{ line: 3, message: expect.stringMatching(/^line 3: not a cue/) }]);
    expect(turnsOf(transcript.events)).toEqual([['candidate', 0, 'hello']]);
  });
});

describe('captions by content (standard input arrives as a .txt)', () => {
  it('a WEBVTT header or a SubRip first cue is read as captions whatever the name', async () => {
    const { transcriptFromBytes } = await import('../../src/storage/load-transcript.js');
    const vtt = transcriptFromBytes('stdin.txt', Buffer.from('WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Design a feed?\n\n00:03.000 --> 00:09.000\n<v Bo>Fan-out on write for most users.\n'));
    expect(vtt.meta).toMatchObject({ source: 'vtt', timing: 'recorded', mode: 'interview' });
    const srt = transcriptFromBytes('stdin.txt', Buffer.from('1\r\n00:00:01,000 --> 00:00:02,000\r\nAnn: Design a feed?\r\n\r\n2\r\n00:00:03,000 --> 00:00:09,000\r\nBo: Fan-out on write.\r\n\r\n3\r\n00:00:10,000 --> 00:00:11,000\r\nAnn: Why?\r\n\r\n4\r\n00:00:12,000 --> 00:00:15,000\r\nBo: Reads dominate.\r\n'));
    expect(srt.meta).toMatchObject({ source: 'srt', timing: 'recorded', mode: 'interview' });
    expect(turnsOf(srt.events)).toEqual([
      ['interviewer', 0, 'Design a feed?'],
      ['candidate', 2_000, 'Fan-out on write.'],
      ['interviewer', 9_000, 'Why?'],
      ['candidate', 11_000, 'Reads dominate.'],
    ]);
    expect(transcriptFromBytes('notes.txt', Buffer.from('1\nInterviewer: hi')).meta.source).toBe('plain');
  });
});

describe('speakerRoles', () => {
  it('nobody asks a design question: the speaker with more words is the candidate', () => {
    const roles = speakerRoles([
      { speaker: 'P1', text: 'Hello.' },
      { speaker: 'P2', text: 'So I would put a queue in front of the workers and scale them out.' },
      { speaker: 'P1', text: 'Go on.' },
    ]);
    expect(Object.fromEntries(roles)).toEqual({ P1: 'interviewer', P2: 'candidate' });
  });

  it('a panel: the asker and the quieter others are interviewers', () => {
    const roles = speakerRoles([
      { speaker: 'Ann', text: 'How would you design a news feed?' },
      { speaker: 'Bo', text: 'Let me think about fan-out on write versus fan-out on read for a moment here.' },
      { speaker: 'Cy', text: 'What about celebrities?' },
    ]);
    expect(Object.fromEntries(roles)).toEqual({ Ann: 'interviewer', Bo: 'candidate', Cy: 'interviewer' });
  });
});
