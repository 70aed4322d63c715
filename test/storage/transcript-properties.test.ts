import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionMeta, TranscriptEvent, type Transcript, type TranscriptEventInput } from '../../src/schemas/transcript.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';
import { parseTranscript } from '../../src/storage/transcript-store.js';

// Fixed seed so CI is reproducible; FC_SEED=<n> explores (or replays) other seeds.
const RUNS = { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261122) };

function expectTranscript(t: Transcript): void {
  expect(SessionMeta.safeParse(t.meta).success).toBe(true);
  expect(Array.isArray(t.events)).toBe(true);
  expect(Array.isArray(t.problems)).toBe(true);
  for (const p of t.problems) {
    expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
    expect(p.message).toMatch(/^line \d+: /);
  }
  for (const e of t.events) expect(TranscriptEvent.safeParse(e).success).toBe(true);
}

// --- arbitraries for the event types -------------------------------------------------

const text = fc.string({ unit: 'binary', maxLength: 60 });
const elapsedMs = fc.nat();
const phase = fc.constantFrom('clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up' as const);

const turn = fc.record(
  {
    type: fc.constant('turn' as const),
    role: fc.constantFrom('candidate', 'interviewer', 'system' as const),
    text,
    elapsedMs,
    phase: fc.option(phase, { nil: null }),
    partial: fc.boolean(),
  },
  { requiredKeys: ['type', 'role', 'text', 'elapsedMs'] },
);
const phaseEvent = fc.record({ type: fc.constant('phase' as const), phase, elapsedMs });
const pushback = fc.record(
  {
    type: fc.constant('pushback' as const),
    turn: fc.nat(),
    topic: text,
    label: fc.option(fc.constantFrom('defended', 'revised-with-reasons', 'capitulated' as const), { nil: null }),
    elapsedMs,
  },
  { requiredKeys: ['type', 'turn', 'topic', 'elapsedMs'] },
);
const end = fc.record({
  type: fc.constant('end' as const),
  reason: fc.constantFrom('completed', 'time-up', 'user-ended', 'interrupted', 'error' as const),
  elapsedMs,
});
const grade = fc.record(
  {
    type: fc.constant('grade' as const),
    report: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
    elapsedMs,
  },
  { requiredKeys: ['type', 'report'] },
);
const event: fc.Arbitrary<TranscriptEventInput> = fc.oneof(turn, turn, phaseEvent, pushback, end, grade);

const META_LINE = JSON.stringify({
  type: 'meta',
  schemaVersion: 1,
  id: 'prop',
  problem: null,
  mode: 'interview',
  provider: 'builtin',
  model: null,
  rubric: null,
  levelTarget: null,
  started: '2026-11-22T00:00:00.000Z',
});

/** What the reader should give back for a line the writer would produce. */
const canonical = (e: TranscriptEventInput) => TranscriptEvent.parse(JSON.parse(JSON.stringify(e)));

function isValidEventLine(line: string): boolean {
  try {
    return TranscriptEvent.safeParse(JSON.parse(line)).success;
  } catch {
    return false;
  }
}

/** A line that is neither blank nor a valid event: random text, broken JSON, or JSON the schema refuses. */
const garbage: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
    event.chain((e) => {
      const line = JSON.stringify(e);
      return fc.integer({ min: 1, max: line.length - 1 }).map((cut) => line.slice(0, cut));
    }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"type":"turn"}',
      '{"type":"mystery","elapsedMs":1}',
      '{"type":"end","reason":"bored","elapsedMs":0}',
      '{"type":"phase","phase":"clarify","elapsedMs":-1}',
      '{"type":"turn","role":"candidate","text":"x","elapsedMs":1,"schemaVersion":2}',
      META_LINE,
      '[]',
      'null',
    ),
  )
  .map((s) => s.replace(/\n/g, ' '))
  .filter((s) => !/^\s*$/.test(s) && !isValidEventLine(s));

/** Parses as a JSON object (not an array, not null): what a cut-short write can never leave behind. */
function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Garbage a torn write could have left: not JSON, or JSON that is not an object (`1`, `"x"`, `[]`). */
const tornGarbage = garbage.filter((s) => !isJsonObject(s));

/** A whole JSON object that is not a valid event: an event with one thing broken, a random object, or a fixed example. */
const objectGarbage: fc.Arbitrary<string> = fc
  .oneof(
    event.chain((e) =>
      fc.constantFrom<Record<string, unknown>>(
        { ...e, elapsedMs: -1 },
        { ...e, type: 'mystery' },
        { ...e, schemaVersion: 2 },
        Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'type')),
        e.type === 'turn' ? { ...e, role: 'candidat' } : { ...e, elapsedMs: 'soon' },
      ),
    ).map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"type":"turn"}',
      '{"type":"mystery","elapsedMs":1}',
      '{"type":"end","reason":"bored","elapsedMs":0}',
      '{}',
      META_LINE,
    ),
  )
  .map((s) => s.replace(/\n/g, ' '))
  .filter((s) => isJsonObject(s) && !isValidEventLine(s));

type Line = { kind: 'event'; event: TranscriptEventInput } | { kind: 'garbage'; text: string };
const line: fc.Arbitrary<Line> = fc.oneof(
  { arbitrary: event.map((e) => ({ kind: 'event' as const, event: e })), weight: 3 },
  { arbitrary: garbage.map((t) => ({ kind: 'garbage' as const, text: t })), weight: 2 },
);
const render = (l: Line) => (l.kind === 'event' ? JSON.stringify(l.event) : l.text);

/**
 * The code units that make a line "not text" for the importer, written out on their own (not the
 * production regex): NUL and U+FFFD. Lone surrogates are checked separately in `isBad`. Every
 * other control (C0 but tab and LF, DEL, C1) is stripped from a line that is kept (CONTROL_UNITS).
 */
const BAD_CODE_UNITS: ReadonlySet<number> = new Set([0x00, 0xfffd]);
const CONTROL_UNITS: ReadonlySet<number> = (() => {
  const control = new Set<number>();
  for (let code = 0x00; code <= 0x1f; code++) if (code !== 0x09 && code !== 0x0a) control.add(code);
  for (let code = 0x7f; code <= 0x9f; code++) control.add(code);
  return control;
})();

describe('transcript properties', () => {
  it('(a) arbitrary bytes never throw and always give a Transcript with a meta', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const asText = Buffer.from(bytes).toString('utf8');
        expectTranscript(parseTranscript(asText, null));
        expectTranscript(parseTranscript(`${META_LINE}\n${asText}`, 'x.jsonl'));
        const plain = importPlainTranscript(asText, {});
        expectTranscript(plain);
        expect(plain.tornTail).toBe(false);
      }),
      RUNS,
    );
  });

  it('(b) problems are exactly the garbage lines, and valid events come back in order', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const t = parseTranscript(`${[META_LINE, ...lines.map(render)].join('\n')}\n`, null);
        const garbageLines = lines.flatMap((l, i) => (l.kind === 'garbage' ? [i + 2] : []));
        expect(t.problems.map((p) => p.line)).toEqual(garbageLines);
        expect(t.events).toEqual(lines.flatMap((l) => (l.kind === 'event' ? [canonical(l.event)] : [])));
        expect(t.tornTail).toBe(false);
        expect(t.meta.id).toBe('prop');
      }),
      RUNS,
    );
  });

  it('(c) without the final newline, a last line that is not a JSON object is a torn tail and is not reported', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), tornGarbage, (lines, last) => {
        const all: Line[] = [...lines, { kind: 'garbage', text: last }];
        const t = parseTranscript([META_LINE, ...all.map(render)].join('\n'), null);
        const garbageLines = lines.flatMap((l, i) => (l.kind === 'garbage' ? [i + 2] : []));
        expect(t.tornTail).toBe(true);
        expect(t.problems.map((p) => p.line)).toEqual(garbageLines);
        expect(t.events).toEqual(lines.flatMap((l) => (l.kind === 'event' ? [canonical(l.event)] : [])));
      }),
      RUNS,
    );
  });

  it('(c2) without the final newline, a last line that is a whole JSON object the schema refuses is reported, not torn', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), objectGarbage, (lines, last) => {
        const all: Line[] = [...lines, { kind: 'garbage', text: last }];
        const t = parseTranscript([META_LINE, ...all.map(render)].join('\n'), null);
        const garbageLines = all.flatMap((l, i) => (l.kind === 'garbage' ? [i + 2] : []));
        expect(t.tornTail).toBe(false);
        expect(t.problems.map((p) => p.line)).toEqual(garbageLines);
        expect(t.problems.at(-1)!.line).toBe(all.length + 1);
        expect(t.events).toEqual(lines.flatMap((l) => (l.kind === 'event' ? [canonical(l.event)] : [])));
      }),
      RUNS,
    );
  });

  it('(d) the importer reports exactly the lines with NUL, U+FFFD or a lone surrogate; other controls never reach the text', () => {
    const char = fc.oneof(
      { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 10 },
      { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 4 },
      { arbitrary: fc.constantFrom(' ', '\t', '\r', ':', '*', '>', 'Q: ', 'Interviewer:', '**Candidate:**'), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), weight: 1 },
      { arbitrary: fc.constantFrom('\uFFFD', '\uD800', '\uDC00', '🙂', '\u2028', '\u00A0', '\u007F', '\u0085'), weight: 1 },
    );
    expect(BAD_CODE_UNITS.size).toBe(2); // NUL + U+FFFD
    const textLine = fc.array(char, { maxLength: 20 }).map((cs) => cs.join('').replace(/\n/g, ''));
    const isBad = (l: string) => {
      const units = l.replace(/\r$/, '');
      for (let i = 0; i < units.length; i++) {
        const code = units.charCodeAt(i);
        if (BAD_CODE_UNITS.has(code)) return true;
        const high = code >= 0xd800 && code <= 0xdbff;
        const low = code >= 0xdc00 && code <= 0xdfff;
        const next = units.charCodeAt(i + 1); // NaN past the end
        if (high && next >= 0xdc00 && next <= 0xdfff) i++; // a pair: one astral character, fine
        else if (high || low) return true; // a lone surrogate
      }
      return false;
    };
    fc.assert(
      fc.property(fc.array(textLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const t = importPlainTranscript(lines.join(eol), {});
        const expected = lines.flatMap((l, i) => (isBad(l) ? [i + 1] : []));
        expect(t.problems.map((p) => p.line)).toEqual(expected);
        for (const p of t.problems) expect(p.message).toBe(`line ${p.line}: not text (binary or invalid UTF-8)`);
        expectTranscript(t);
        // Skipped lines never leak into the text, and no control character does either.
        for (const e of t.events) expect(isBad(e.type === 'turn' ? e.text : '')).toBe(false);
        for (const e of t.events) {
          const turnText = e.type === 'turn' ? e.text : '';
          for (let i = 0; i < turnText.length; i++) expect(CONTROL_UNITS.has(turnText.charCodeAt(i))).toBe(false);
        }
        // Estimated times never go backwards.
        const times = t.events.map((e) => e.elapsedMs ?? 0);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }),
      RUNS,
    );
  });
});
