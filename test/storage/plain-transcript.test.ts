import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionMeta, type TranscriptEvent } from '../../src/schemas/transcript.js';
import { loadTranscript } from '../../src/storage/load-transcript.js';
import { importPlainTranscript, readPlainTranscript } from '../../src/storage/plain-transcript.js';
import { TranscriptReadError, TranscriptWriter } from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';

type Turn = Extract<TranscriptEvent, { type: 'turn' }>;
const turns = (text: string, options = {}) => importPlainTranscript(text, options).events as Turn[];
const said = (text: string) => turns(text).map((t) => [t.role, t.text]);

describe('importPlainTranscript: labels', () => {
  it('splits labelled turns and keeps continuation lines and paragraph breaks', () => {
    const text = [
      'Interviewer: Design a URL shortener.',
      'Assume 100M new URLs a day.',
      '',
      '',
      'What would you ask first?',
      'Candidate: Read/write ratio?',
      '  And do links expire?',
      'interviewer: 100:1. Yes, after 5 years.',
      'CANDIDATE: ok',
    ].join('\n');
    expect(said(text)).toEqual([
      ['interviewer', 'Design a URL shortener.\nAssume 100M new URLs a day.\n\nWhat would you ask first?'],
      ['candidate', 'Read/write ratio?\n  And do links expire?'],
      ['interviewer', '100:1. Yes, after 5 years.'],
      ['candidate', 'ok'],
    ]);
  });

  it('tolerates markdown decoration around labels', () => {
    const variants = [
      '**Interviewer:** hello',
      '**Interviewer**: hello',
      '*Interviewer*: hello',
      '__Interviewer__: hello',
      '_Interviewer:_ hello',
      '> Interviewer: hello',
      '> > **Interviewer:** hello',
      '- Interviewer: hello',
      '* Interviewer: hello',
      '   Interviewer:hello',
      '\tInterviewer : hello',
      '### Interviewer: hello',
      'INTERVIEWER: hello',
    ];
    for (const line of variants) {
      expect(said(`${line}\nCandidate: hi`), line).toEqual([
        ['interviewer', 'hello'],
        ['candidate', 'hi'],
      ]);
    }
  });

  it('keeps emphasis that belongs to the text, not the label', () => {
    expect(said('Interviewer: **Why** Redis?\nCandidate: *latency*')).toEqual([
      ['interviewer', '**Why** Redis?'],
      ['candidate', '*latency*'],
    ]);
  });

  it('strips quote markers from continuation lines of a quoted turn', () => {
    expect(said('> Interviewer: one\n> two\n>\n> three\n> Candidate: four')).toEqual([
      ['interviewer', 'one\ntwo\n\nthree'],
      ['candidate', 'four'],
    ]);
  });

  it('reads Q:/A: as interviewer/candidate', () => {
    expect(said('Q: How many users?\nA: 10M DAU.\nq: Reads?\n**A:** 100k QPS')).toEqual([
      ['interviewer', 'How many users?'],
      ['candidate', '10M DAU.'],
      ['interviewer', 'Reads?'],
      ['candidate', '100k QPS'],
    ]);
  });

  it('a label on a line of its own takes the text that follows', () => {
    expect(said('Interviewer:\nDesign Twitter.\n\nCandidate:\n\nFirst, scope.')).toEqual([
      ['interviewer', 'Design Twitter.'],
      ['candidate', 'First, scope.'],
    ]);
  });

  it('text before the first label becomes a system turn', () => {
    const t = importPlainTranscript('# Mock interview, 2026-11-02\nProblem: chat app\n\nInterviewer: go\nCandidate: ok', {});
    expect(t.events.map((e) => (e as Turn).role)).toEqual(['system', 'interviewer', 'candidate']);
    expect((t.events[0] as Turn).text).toBe('# Mock interview, 2026-11-02\nProblem: chat app');
    expect(t.meta.mode).toBe('interview');
  });

  it('with no interviewer labels, text before a stray label is candidate speech, timed', () => {
    // A monologue with one stray `A:` line: the speech before it is the candidate's, not a system note.
    const text = 'First I clarify the requirements.\nThen scope.\n\nEstimates: 1k QPS.\nA: read heavy, so cache.\nMore on caching.';
    const t = importPlainTranscript(text, { wordsPerMinute: 60 });
    expect(t.meta.mode).toBe('monologue');
    expect(t.events.map((e) => [(e as Turn).role, (e as Turn).text, e.elapsedMs])).toEqual([
      ['candidate', 'First I clarify the requirements.\nThen scope.', 0],
      ['candidate', 'Estimates: 1k QPS.', 7_000],
      ['candidate', 'read heavy, so cache.\nMore on caching.', 10_000],
    ]);
    // Only `Candidate:` labels: the same.
    expect(said('Intro words here.\nCandidate: one\nCandidate: two')).toEqual([
      ['candidate', 'Intro words here.'],
      ['candidate', 'one'],
      ['candidate', 'two'],
    ]);
    expect(importPlainTranscript('Intro words here.\nCandidate: one', { wordsPerMinute: 60 }).events.map((e) => e.elapsedMs)).toEqual([
      0, 3_000,
    ]);
  });

  it('with an interviewer label anywhere, text before the first label is a system turn that takes no time', () => {
    const t = importPlainTranscript('Notes from my mock.\nA: I start with the API.\nQ: Why REST?\nA: Simple.', { wordsPerMinute: 60 });
    expect(t.meta.mode).toBe('interview');
    expect(t.events.map((e) => [(e as Turn).role, (e as Turn).text, e.elapsedMs])).toEqual([
      ['system', 'Notes from my mock.', 0],
      ['candidate', 'I start with the API.', 0],
      ['interviewer', 'Why REST?', 5_000],
      ['candidate', 'Simple.', 7_000],
    ]);
  });

  it('words that merely look like labels mid-line are not labels', () => {
    expect(said('Candidate: the interviewer: said Q: this')).toEqual([['candidate', 'the interviewer: said Q: this']]);
  });
});

describe('importPlainTranscript: monologue, meta, timing', () => {
  it('no labels: one candidate turn per paragraph', () => {
    const t = importPlainTranscript('First I clarify.\nThen scope.\n\n\nEstimates: 1k QPS.\n   \nHigh level: LB, API, DB.\n', {});
    expect(t.meta.mode).toBe('monologue');
    expect(t.events.map((e) => [(e as Turn).role, (e as Turn).text])).toEqual([
      ['candidate', 'First I clarify.\nThen scope.'],
      ['candidate', 'Estimates: 1k QPS.'],
      ['candidate', 'High level: LB, API, DB.'],
    ]);
  });

  it('only candidate labels is a monologue too (no interviewer turns)', () => {
    expect(importPlainTranscript('Candidate: one\nCandidate: two', {}).meta.mode).toBe('monologue');
  });

  it('handles CRLF like LF', () => {
    const lf = 'Interviewer: a b\nmore\n\nCandidate: c\n\nPara two\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(said(crlf)).toEqual(said(lf));
    expect(said(crlf)).toEqual([
      ['interviewer', 'a b\nmore'],
      ['candidate', 'c\n\nPara two'],
    ]);
    expect(importPlainTranscript('one\r\n\r\ntwo', {}).events).toHaveLength(2);
  });

  it('builds a valid estimated meta with a content-hash id', () => {
    const text = 'Interviewer: hi\nCandidate: hello';
    const t = importPlainTranscript(text, { file: 'x.txt', problem: 'url-shortener' });
    expect(SessionMeta.parse(t.meta)).toEqual(t.meta);
    expect(t.meta).toMatchObject({
      type: 'meta',
      schemaVersion: 1,
      mode: 'interview',
      provider: 'import',
      model: null,
      rubric: null,
      levelTarget: null,
      problem: 'url-shortener',
      started: '1970-01-01T00:00:00.000Z',
      timing: 'estimated',
      source: 'plain',
    });
    expect(t.meta.id).toMatch(/^import-[0-9a-f]{12}$/);
    expect(importPlainTranscript(text, {}).meta.id).toBe(t.meta.id);
    expect(importPlainTranscript(`${text}!`, {}).meta.id).not.toBe(t.meta.id);
    expect(importPlainTranscript(text, {}).meta.problem).toBeNull();
    expect(t).toMatchObject({ file: 'x.txt', format: 'plain', tornTail: false, problems: [] });
    for (const e of t.events) expect(e).toMatchObject({ type: 'turn', phase: null });
  });

  it('estimates elapsedMs from cumulative word counts (start of each turn)', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    const text = `Intro text here\nInterviewer: ${words(150)}\nCandidate: ${words(75)}\nInterviewer: ${words(3)}\nCandidate: ${words(1)}`;
    const ts = turns(text);
    expect(ts.map((t) => t.elapsedMs)).toEqual([0, 0, 60_000, 90_000, 91_200]);
    for (let i = 2; i < ts.length; i++) expect(ts[i]!.elapsedMs).toBeGreaterThan(ts[i - 1]!.elapsedMs);
    expect(turns(text, { wordsPerMinute: 300 }).map((t) => t.elapsedMs)).toEqual([0, 0, 30_000, 45_000, 45_600]);
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(turns(text, { wordsPerMinute: bad }).map((t) => t.elapsedMs)).toEqual([0, 0, 60_000, 90_000, 91_200]);
    }
  });
});

describe('importPlainTranscript: bad lines', () => {
  it('reports lines that are not text with their numbers and skips them; control characters are stripped and the line kept', () => {
    const text = ['Interviewer: ok', 'bin\u0000ary', 'Candidate: fine\ttabs\r', 'bad \uFFFD utf8', 'bell\u0007', 'lone \uD800 surrogate', 'emoji 🙂 is fine', 'esc\u001b[31m'].join('\n');
    const t = importPlainTranscript(text, {});
    expect(t.problems).toEqual([2, 4, 6].map((line) => ({ line, message: `line ${line}: not text (binary or invalid UTF-8)` })));
    expect(said(text)).toEqual([
      ['interviewer', 'ok'],
      ['candidate', 'fine\ttabs\nbell\nemoji 🙂 is fine\nesc'],
    ]);
  });

  it('empty and whitespace input give an empty monologue', () => {
    for (const text of ['', '\n\n', '  \r\n\t']) {
      const t = importPlainTranscript(text, {});
      expect(t).toMatchObject({ events: [], problems: [], tornTail: false });
      expect(t.meta.mode).toBe('monologue');
    }
  });
});

describe('reading files', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  it('readPlainTranscript decodes UTF-8, reports invalid bytes, and honours UTF-16 BOMs', async () => {
    const file = path.join(home.dir, 'a.txt');
    await writeFile(file, Buffer.concat([Buffer.from('Q: hi\nA: \u00e9t\u00e9\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('A: more\n')]));
    const t = await readPlainTranscript(file, { problem: 'p' });
    expect(t.file).toBe(file);
    expect(t.meta.problem).toBe('p');
    expect(t.problems).toEqual([{ line: 3, message: 'line 3: not text (binary or invalid UTF-8)' }]);
    expect(said('Q: hi\nA: \u00e9t\u00e9\nA: more')).toEqual(t.events.map((e) => [(e as Turn).role, (e as Turn).text]));

    const le = path.join(home.dir, 'le.txt');
    await writeFile(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Interviewer: x\r\nCandidate: y\r\n', 'utf16le')]));
    const be = path.join(home.dir, 'be.txt');
    await writeFile(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('Interviewer: x\r\nCandidate: y\r\n', 'utf16le').swap16()]));
    for (const f of [le, be]) {
      const u = await readPlainTranscript(f);
      expect(u.problems).toEqual([]);
      expect(u.events.map((e) => [(e as Turn).role, (e as Turn).text])).toEqual([
        ['interviewer', 'x'],
        ['candidate', 'y'],
      ]);
    }
  });

  it('loadTranscript picks the reader by extension', async () => {
    const jsonl = path.join(home.dir, 'sessions', 's.JSONL');
    const writer = await TranscriptWriter.create(jsonl, {
      id: 's',
      problem: null,
      mode: 'monologue',
      provider: 'builtin',
      model: null,
      rubric: null,
      levelTarget: null,
      started: '2026-11-22T00:00:00.000Z',
    });
    await writer.append({ type: 'turn', role: 'candidate', text: 'Candidate: hi', elapsedMs: 0 });
    await writer.close();
    const saved = await loadTranscript(jsonl);
    expect(saved).toMatchObject({ format: 'jsonl', file: jsonl, problems: [], meta: { id: 's', provider: 'builtin' } });

    await mkdir(path.join(home.dir, 'in'));
    for (const name of ['t.txt', 't.md', 't.log', 'noext']) {
      const file = path.join(home.dir, 'in', name);
      await writeFile(file, '**Interviewer:** go\n**Candidate:** ok\n');
      const t = await loadTranscript(file, { wordsPerMinute: 60 });
      expect(t).toMatchObject({ format: 'plain', file, problems: [], meta: { mode: 'interview', provider: 'import' } });
      expect(t.events.map((e) => e.elapsedMs)).toEqual([0, 1000]);
    }
  });

  it('loadTranscript rejects a missing or unreadable file with an error naming it', async () => {
    for (const name of ['gone.jsonl', 'gone.txt', 'gone']) {
      const file = path.join(home.dir, name);
      await expect(loadTranscript(file)).rejects.toThrow(`cannot read transcript ${file}: no such file`);
      await expect(loadTranscript(file)).rejects.toBeInstanceOf(TranscriptReadError);
    }
    const folder = path.join(home.dir, 'folder.md');
    await mkdir(folder);
    await expect(loadTranscript(folder)).rejects.toThrow(`cannot read transcript ${folder}: is a folder, not a file`);
  });
});
