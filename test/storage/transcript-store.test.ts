import { appendFile, chmod, mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TranscriptEvent, type TranscriptEventInput } from '../../src/schemas/transcript.js';
import { resolvePaths } from '../../src/storage/paths.js';
import {
  TranscriptReadError,
  TranscriptWriter,
  newSessionId,
  parseTranscript,
  readTranscript,
  sessionFilePath,
  type NewSessionMeta,
} from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';

const META: NewSessionMeta = {
  id: '20261122-180503-k3f9qz',
  problem: 'url-shortener',
  mode: 'interview',
  provider: 'builtin',
  model: null,
  rubric: 'default',
  levelTarget: 'L5',
  started: '2026-11-22T18:05:03.000Z',
  minutes: 45,
  seed: 7,
};

/** One of every event type, with and without optional fields. */
const EVERY_EVENT: TranscriptEventInput[] = [
  { type: 'turn', role: 'system', text: 'Design a URL shortener.', elapsedMs: 0 },
  { type: 'phase', phase: 'clarify', elapsedMs: 10 },
  { type: 'turn', role: 'interviewer', text: 'What scale?\nThink "big".', elapsedMs: 1_000, phase: 'clarify' },
  { type: 'turn', role: 'candidate', text: '100M URLs/day — 1.2k writes/s ✓ 🙂\u2028next', elapsedMs: 5_000, phase: 'clarify' },
  { type: 'pushback', turn: 1, topic: 'Cassandra', elapsedMs: 6_000 },
  { type: 'pushback', turn: 1, topic: 'Cassandra', label: 'defended', elapsedMs: 7_000 },
  { type: 'turn', role: 'interviewer', text: 'Why not Postgres', elapsedMs: 8_000, phase: 'deep-dive', partial: true },
  { type: 'end', reason: 'time-up', elapsedMs: 2_700_000 },
  { type: 'grade', report: { overall: 3.5, level: 'L5', dimensions: [{ id: 'clarity', score: 4 }] }, elapsedMs: 2_700_100 },
  { type: 'grade', report: {} },
];

let home: { dir: string; cleanup: () => Promise<void> };
let file: string;
beforeEach(async () => {
  home = await tempHome();
  file = path.join(home.dir, 'sessions', `${META.id}.jsonl`);
});
afterEach(() => home.cleanup());

async function writeSession(events: TranscriptEventInput[] = EVERY_EVENT): Promise<void> {
  const writer = await TranscriptWriter.create(file, META);
  for (const event of events) await writer.append(event);
  await writer.close();
}

describe('session ids and paths', () => {
  it('newSessionId is sortable, filename-safe and uses the random source', () => {
    const id = newSessionId(new Date('2026-11-22T18:05:03Z'), () => 0.5);
    expect(id).toBe('20261122-180503-iiiiii');
    expect(id).toMatch(/^\d{8}-\d{6}-[0-9a-z]{6}$/);
    let n = 0;
    const seq = [0, 0.999999, 0.1, 0.2, 0.3, 1];
    expect(newSessionId(new Date('2026-01-02T03:04:05Z'), () => seq[n++]!)).toBe('20260102-030405-0z37az');
    const earlier = newSessionId(new Date('2026-09-30T23:59:59Z'), Math.random);
    const later = newSessionId(new Date('2026-10-01T00:00:00Z'), Math.random);
    expect(earlier < later).toBe(true);
    expect(() => newSessionId(new Date(Number.NaN), Math.random)).toThrow(/invalid date/);
  });

  it('sessionFilePath puts <id>.jsonl in the sessions folder and refuses unsafe ids', () => {
    const paths = resolvePaths({ SDCOACH_HOME: home.dir });
    expect(sessionFilePath(paths, 'abc-1')).toBe(path.join(home.dir, 'sessions', 'abc-1.jsonl'));
    for (const bad of ['', '../x', 'a/b', 'a\\b', '.hidden', 'a..b']) {
      expect(() => sessionFilePath(paths, bad)).toThrow(/invalid session id/);
    }
  });
});

describe('TranscriptWriter', () => {
  it('round trips the meta and every event type', async () => {
    await writeSession();
    const transcript = await readTranscript(file);
    expect(transcript.problems).toEqual([]);
    expect(transcript.tornTail).toBe(false);
    expect(transcript.format).toBe('jsonl');
    expect(transcript.file).toBe(file);
    expect(transcript.meta).toEqual({ ...META, type: 'meta', schemaVersion: 1, timing: 'recorded' });
    expect(transcript.events).toEqual(EVERY_EVENT.map((e) => TranscriptEvent.parse(e)));
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(EVERY_EVENT.length + 2); // meta + events + '' after the final \n
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ type: 'meta', schemaVersion: 1 });
  });

  it('creates the file 0600 and the folder 0700, tightening a folder that already existed', async () => {
    await mkdir(path.dirname(file), { mode: 0o755 });
    await chmod(path.dirname(file), 0o755);
    await writeSession();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('creates missing parent folders', async () => {
    file = path.join(home.dir, 'a', 'b', 'sessions', 'x.jsonl');
    await writeSession([]);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await readTranscript(file)).meta.id).toBe(META.id);
  });

  it('refuses to create over an existing file and leaves it untouched', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'precious\n');
    await expect(TranscriptWriter.create(file, META)).rejects.toThrow(/already exists/);
    expect(await readFile(file, 'utf8')).toBe('precious\n');
  });

  it('rejects an invalid meta before touching the disk', async () => {
    await expect(TranscriptWriter.create(file, { ...META, mode: 'chat' as never })).rejects.toThrow(/invalid session meta: mode/);
    await expect(stat(file)).rejects.toThrow();
  });

  it('rejects invalid events with a clear error and keeps going', async () => {
    const writer = await TranscriptWriter.create(file, META);
    await expect(writer.append({ type: 'turn', role: 'judge', text: 'x', elapsedMs: 0 } as never)).rejects.toThrow(
      /invalid transcript event: role/,
    );
    await expect(writer.append({ type: 'phase', phase: 'clarify', elapsedMs: -1 })).rejects.toThrow(/elapsedMs/);
    await expect(writer.append({ type: 'nope' } as never)).rejects.toThrow(/invalid transcript event/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(writer.append({ type: 'grade', report: cyclic })).rejects.toThrow();
    await writer.append({ type: 'end', reason: 'completed', elapsedMs: 5 });
    await writer.close();
    const transcript = await readTranscript(file);
    expect(transcript.problems).toEqual([]);
    expect(transcript.events).toEqual([{ type: 'end', reason: 'completed', elapsedMs: 5 }]);
  });

  it('keeps call order for concurrent appends', async () => {
    const writer = await TranscriptWriter.create(file, META);
    const sizes = [200_000, 3, 50_000, 1, 0, 120_000, 7];
    const events = Array.from({ length: 60 }, (_, i): TranscriptEventInput => ({
      type: 'turn',
      role: i % 2 ? 'candidate' : 'interviewer',
      text: `${i}:${'x'.repeat(sizes[i % sizes.length]!)}`,
      elapsedMs: i,
    }));
    const settled: number[] = [];
    await Promise.all(events.map((e, i) => writer.append(e).then(() => settled.push(i))));
    await writer.close();
    expect(settled).toEqual(events.map((_, i) => i));
    const transcript = await readTranscript(file);
    expect(transcript.problems).toEqual([]);
    expect(transcript.events.map((e) => (e.type === 'turn' ? Number(e.text.split(':')[0]) : -1))).toEqual(
      events.map((_, i) => i),
    );
  });

  it('close waits for queued appends, is idempotent, and later appends reject', async () => {
    const writer = await TranscriptWriter.create(file, META);
    const pending = writer.append({ type: 'phase', phase: 'estimate', elapsedMs: 1 });
    const closed = writer.close();
    await expect(writer.append({ type: 'phase', phase: 'wrap-up', elapsedMs: 2 })).rejects.toThrow(/closed/);
    await pending;
    await closed;
    await writer.close();
    expect((await readTranscript(file)).events).toEqual([{ type: 'phase', phase: 'estimate', elapsedMs: 1 }]);
  });

  it('openForAppend resumes a clean session', async () => {
    await writeSession(EVERY_EVENT.slice(0, 3));
    const writer = await TranscriptWriter.openForAppend(file);
    for (const event of EVERY_EVENT.slice(3)) await writer.append(event);
    await writer.close();
    const transcript = await readTranscript(file);
    expect(transcript.problems).toEqual([]);
    expect(transcript.events).toEqual(EVERY_EVENT.map((e) => TranscriptEvent.parse(e)));
  });

  it('openForAppend after a torn tail starts the next event on a fresh line', async () => {
    await writeSession(EVERY_EVENT.slice(0, 3));
    const tornLine = 3 + 1; // meta, 3 events, then the torn one
    await appendFile(file, '{"type":"turn","role":"candidate","text":"half a tho');
    const before = await readTranscript(file);
    expect(before.tornTail).toBe(true);
    expect(before.problems).toEqual([]);

    const writer = await TranscriptWriter.openForAppend(file);
    await writer.append({ type: 'end', reason: 'interrupted', elapsedMs: 9 });
    await writer.append({ type: 'phase', phase: 'wrap-up', elapsedMs: 10 });
    await writer.close();

    const after = await readTranscript(file);
    expect(after.tornTail).toBe(false);
    // The torn bytes are now a complete (bad) line of their own, reported where they are.
    expect(after.problems).toEqual([{ line: tornLine + 1, message: `line ${tornLine + 1}: not JSON` }]);
    expect(after.events).toEqual([
      ...EVERY_EVENT.slice(0, 3).map((e) => TranscriptEvent.parse(e)),
      { type: 'end', reason: 'interrupted', elapsedMs: 9 },
      { type: 'phase', phase: 'wrap-up', elapsedMs: 10 },
    ]);
  });

  it('openForAppend keeps the file 0600 and fails clearly on a missing file', async () => {
    await writeSession([]);
    await chmod(file, 0o644);
    const writer = await TranscriptWriter.openForAppend(file);
    await writer.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const missing = path.join(home.dir, 'nope.jsonl');
    await expect(TranscriptWriter.openForAppend(missing)).rejects.toThrow(`cannot open session file ${missing} to append: no such file`);
  });
});

describe('parseTranscript', () => {
  const meta = JSON.stringify({ ...META, type: 'meta', schemaVersion: 1 });
  const turn = (text: string) => JSON.stringify({ type: 'turn', role: 'candidate', text, elapsedMs: 1 });

  it('reports each kind of bad line with its line number and skips it', () => {
    const lines = [
      meta, // 1
      turn('ok 1'), // 2
      'not json at all', // 3
      '', // 4 blank: ignored
      '{"type":"turn","role":"candidate"', // 5 truncated JSON mid-file
      '[1,2]', // 6
      '"a string"', // 7
      '{"role":"candidate","text":"x"}', // 8 no type
      '{"type":"transcription","text":"x"}', // 9 unknown type
      '{"type":"turn","role":"candidate","text":5,"elapsedMs":1}', // 10 schema
      '{"type":"end","reason":"bored","elapsedMs":1}', // 11 schema
      meta, // 12 a second meta
      '{"type":"turn","role":"candidate","text":"x","elapsedMs":1,"schemaVersion":3}', // 13 newer
      '   \t ', // 14 blank
      turn('ok 2'), // 15
    ];
    const t = parseTranscript(`${lines.join('\n')}\n`, null);
    expect(t.problems.map((p) => p.line)).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const byLine = new Map(t.problems.map((p) => [p.line, p.message]));
    expect(byLine.get(3)).toBe('line 3: not JSON');
    expect(byLine.get(5)).toBe('line 5: not JSON');
    expect(byLine.get(6)).toBe('line 6: not an event (expected a JSON object)');
    expect(byLine.get(8)).toBe('line 8: not an event (no "type" field)');
    expect(byLine.get(9)).toBe('line 9: unknown event type "transcription"');
    expect(byLine.get(10)).toMatch(/^line 10: invalid turn event: text: /);
    expect(byLine.get(11)).toMatch(/^line 11: invalid end event: reason: /);
    expect(byLine.get(12)).toMatch(/^line 12: unexpected session meta/);
    expect(byLine.get(13)).toMatch(/^line 13: written by a newer sdcoach/);
    for (const p of t.problems) expect(p.message.length).toBeLessThan(200);
    expect(t.events).toEqual([TranscriptEvent.parse(JSON.parse(turn('ok 1'))), TranscriptEvent.parse(JSON.parse(turn('ok 2')))]);
    expect(t.tornTail).toBe(false);
    expect(t.meta.id).toBe(META.id);
  });

  it('reports a meta from a newer sdcoach and salvages what it can', () => {
    const newer = JSON.stringify({ ...META, type: 'meta', schemaVersion: 2, provider: 'openai', mode: 'monologue', newField: 1 });
    const t = parseTranscript(`${newer}\n${turn('hi')}\n`, '/s/abc.jsonl');
    expect(t.problems).toHaveLength(1);
    expect(t.problems[0]!.line).toBe(1);
    expect(t.problems[0]!.message).toMatch(/^line 1: written by a newer sdcoach \(schemaVersion 2; this version reads 1\)/);
    expect(t.meta).toMatchObject({ schemaVersion: 1, id: META.id, provider: 'openai', mode: 'monologue', problem: 'url-shortener' });
    expect(t.events).toHaveLength(1);
  });

  it('synthesises a fallback meta when the first line is bad', () => {
    const interviewer = JSON.stringify({ type: 'turn', role: 'interviewer', text: 'q', elapsedMs: 0 });
    const t = parseTranscript(`garbage\n${interviewer}\n${turn('a')}\n`, '/home/u/sessions/20261122-180503-abc.jsonl');
    expect(t.problems).toEqual([{ line: 1, message: 'line 1: not JSON; using a fallback meta' }]);
    expect(t.meta).toEqual({
      type: 'meta',
      schemaVersion: 1,
      id: '20261122-180503-abc',
      problem: null,
      mode: 'interview',
      provider: 'unknown',
      model: null,
      rubric: null,
      levelTarget: null,
      started: new Date(0).toISOString(),
      timing: 'recorded',
    });
    expect(t.events).toHaveLength(2);

    const mono = parseTranscript(`{"type":"meta","schemaVersion":1}\n${turn('a')}\n`, null);
    expect(mono.problems).toHaveLength(1);
    expect(mono.problems[0]!.message).toMatch(/^line 1: invalid session meta: id: .*; using a fallback meta$/);
    expect(mono.meta).toMatchObject({ id: 'unknown', mode: 'monologue', provider: 'unknown' });
  });

  it('keeps events when the meta line is missing and says so', () => {
    const t = parseTranscript(`\n${turn('a')}\n`, 'x.jsonl');
    expect(t.problems).toEqual([{ line: 2, message: 'line 2: expected the session meta first, found a turn event; using a fallback meta' }]);
    expect(t.events).toHaveLength(1);
    expect(t.meta.id).toBe('x');
  });

  it('handles empty input, blank lines, CRLF and a byte-order mark', () => {
    expect(parseTranscript('', null).problems).toEqual([{ line: 1, message: 'line 1: empty transcript (no session meta); using a fallback meta' }]);
    expect(parseTranscript('\n \n\n', null).meta.provider).toBe('unknown');
    const t = parseTranscript(`\uFEFF${meta}\r\n\r\n${turn('a')}\r\n`, null);
    expect(t.problems).toEqual([]);
    expect(t.events).toHaveLength(1);
    expect(t.meta.id).toBe(META.id);
  });

  it('a final line without a newline that parses is kept, not torn', () => {
    const t = parseTranscript(`${meta}\n${turn('a')}`, null);
    expect(t).toMatchObject({ tornTail: false, problems: [] });
    expect(t.events).toHaveLength(1);
  });

  it('an unterminated last line that is a complete JSON object failing the schema is reported, not torn', () => {
    const cases: [string, RegExp][] = [
      ['{"type":"turn","role":"candidat","text":"x","elapsedMs":1}', /^line 3: invalid turn event: role: /],
      ['{"type":"end","reason":"bored","elapsedMs":1}', /^line 3: invalid end event: reason: /],
      ['{"type":"phase","phase":"clarify","elapsedMs":-1}', /^line 3: invalid phase event: elapsedMs: /],
      ['{"type":"mystery","elapsedMs":1}', /^line 3: unknown event type "mystery"$/],
      ['{"role":"candidate","text":"x"}', /^line 3: not an event \(no "type" field\)$/],
      [meta, /^line 3: unexpected session meta/],
      ['{"type":"turn","role":"candidate","text":"x","elapsedMs":1,"schemaVersion":2}  ', /^line 3: written by a newer sdcoach/],
      ['{"type":"turn"}\r', /^line 3: invalid turn event: /],
    ];
    for (const [last, message] of cases) {
      const t = parseTranscript(`${meta}\n${turn('a')}\n${last}`, null);
      expect(t.tornTail, last).toBe(false);
      expect(t.problems, last).toEqual([{ line: 3, message: expect.stringMatching(message) }]);
      expect(t.events).toEqual([TranscriptEvent.parse(JSON.parse(turn('a')))]);
    }
    // The meta as the only, unterminated line: a complete but invalid meta is reported, not torn.
    const onlyMeta = parseTranscript('{"type":"meta","schemaVersion":1}', 'm.jsonl');
    expect(onlyMeta.tornTail).toBe(false);
    expect(onlyMeta.problems).toEqual([{ line: 1, message: expect.stringMatching(/^line 1: invalid session meta: id: .*; using a fallback meta$/) }]);
  });

  it('an unterminated last line that is not JSON, or JSON but not an object, is a torn tail', () => {
    for (const last of ['{"type":"turn","role":"cand', '{', 'not json', '1', '12', '"a string"', 'null', 'true', '[]', '[{"type":"end"}]', '{"type":"end"}}']) {
      const t = parseTranscript(`${meta}\n${turn('a')}\n${last}`, null);
      expect(t.tornTail, last).toBe(true);
      expect(t.problems, last).toEqual([]);
      expect(t.events).toEqual([TranscriptEvent.parse(JSON.parse(turn('a')))]);
    }
  });

  it('a torn meta (the only line) is torn, and the missing meta is reported', () => {
    const t = parseTranscript(meta.slice(0, 30), 'f.jsonl');
    expect(t.tornTail).toBe(true);
    expect(t.problems).toEqual([
      { line: 1, message: 'line 1: no session meta (the file was cut short while writing it); using a fallback meta' },
    ]);
  });

  it('truncating a valid file at every byte of its last line gives tornTail, never a problem', async () => {
    await writeSession(EVERY_EVENT.slice(0, 4)); // the last one has multi-byte UTF-8 and U+2028 in it
    const bytes = await readFile(file);
    const lastLineStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
    const all = EVERY_EVENT.slice(0, 4).map((e) => TranscriptEvent.parse(e));
    let torn = 0;
    for (let cut = lastLineStart; cut <= bytes.length; cut++) {
      const t = parseTranscript(bytes.subarray(0, cut).toString('utf8'), file);
      expect(t.problems, `cut at ${cut}`).toEqual([]);
      if (cut === lastLineStart) {
        expect(t).toMatchObject({ tornTail: false, events: all.slice(0, 3) });
      } else if (cut >= bytes.length - 1) {
        // the whole line, with or without its newline
        expect(t).toMatchObject({ tornTail: false, events: all });
      } else {
        expect(t.tornTail, `cut at ${cut}`).toBe(true);
        expect(t.events).toEqual(all.slice(0, 3));
        torn++;
      }
    }
    expect(torn).toBe(bytes.length - 1 - lastLineStart - 1);
  });

  it('truncating on disk gives the same answer through readTranscript', async () => {
    await writeSession(EVERY_EVENT.slice(0, 4));
    const { size } = await stat(file);
    await truncate(file, size - 5);
    const t = await readTranscript(file);
    expect(t).toMatchObject({ tornTail: true, problems: [] });
    expect(t.events).toHaveLength(3);
  });

  it('readTranscript rejects a missing file with an error naming it', async () => {
    const missing = path.join(home.dir, 'missing.jsonl');
    const err = await readTranscript(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranscriptReadError);
    expect((err as TranscriptReadError).message).toBe(`cannot read transcript ${missing}: no such file`);
    expect((err as TranscriptReadError).code).toBe('ENOENT');
    await expect(readTranscript(home.dir)).rejects.toThrow(`cannot read transcript ${home.dir}: is a folder`);
  });
});
