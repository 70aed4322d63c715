// The reader checks the common event shapes by hand instead of with zod. Whenever the fast check
// accepts a value, zod must accept it too and give the same event (same keys in the same order);
// values it refuses go to zod, so their problems and messages are zod's by construction.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EndEvent, PhaseEvent, PushbackEvent, TRANSCRIPT_SCHEMA_VERSION, TranscriptEvent, TurnEvent, type TranscriptEventInput } from '../../src/schemas/transcript.js';
import { fastEventForTests, parseTranscript } from '../../src/storage/transcript-store.js';

const RUNS = { numRuns: 2000, seed: Number(process.env.FC_SEED ?? 20261122) };

/** What the general path makes of a line: the event, or null when it is not a valid event line. */
function general(line: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.schemaVersion === 'number' && record.schemaVersion > TRANSCRIPT_SCHEMA_VERSION) return null;
  if (record.type === 'meta') return null;
  const parsed = TranscriptEvent.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The fast check on a line, given the reader's own checks before it (an object, not meta, a known type, no newer schemaVersion). */
function fastEvent(line: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.schemaVersion === 'number' && record.schemaVersion > TRANSCRIPT_SCHEMA_VERSION) return null;
  if (!['turn', 'phase', 'pushback', 'end', 'grade'].includes(record.type as string)) return null;
  return fastEventForTests(record);
}

/** Same value, same own keys in the same order, same -0. */
function expectSame(fast: unknown, slow: unknown): void {
  expect(slow).not.toBeNull();
  expect(fast).toStrictEqual(slow);
  expect(Object.keys(fast as object)).toEqual(Object.keys(slow as object));
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  for (const key of Object.keys(slow as object)) {
    expect(Object.is((fast as Record<string, unknown>)[key], (slow as Record<string, unknown>)[key])).toBe(true);
  }
}

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
  fc.array(fc.constantFrom('a', ' ', '"', '\\', '\n', '\t', '\u0001', '\u007f', '\u2028', '\ud800', '\udc00', 'é', '/', 'u'), { maxLength: 20 }).map((a) => a.join('')),
);
const count = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(0, 9, 10, 99999, 999_999_999_999_999, 1e15, 2 ** 53 - 1, 2 ** 53, 1e21, -1, 1.5, -0));
const phase = fc.constantFrom('clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up' as const);
const turn = fc.record(
  {
    type: fc.constant('turn' as const),
    role: fc.constantFrom('candidate', 'interviewer', 'system' as const),
    text,
    elapsedMs: count,
    phase: fc.option(phase, { nil: null }),
    partial: fc.boolean(),
  },
  { requiredKeys: ['type', 'role', 'text', 'elapsedMs'] },
);
const phaseEvent = fc.record({ type: fc.constant('phase' as const), phase, elapsedMs: count });
const pushback = fc.record(
  {
    type: fc.constant('pushback' as const),
    turn: count,
    topic: text,
    label: fc.option(fc.constantFrom('defended', 'revised-with-reasons', 'capitulated' as const), { nil: null }),
    elapsedMs: count,
  },
  { requiredKeys: ['type', 'turn', 'topic', 'elapsedMs'] },
);
const end = fc.record({
  type: fc.constant('end' as const),
  reason: fc.constantFrom('completed', 'time-up', 'user-ended', 'interrupted', 'error' as const),
  elapsedMs: count,
});
const event = fc.oneof(turn, phaseEvent, pushback, end) as fc.Arbitrary<TranscriptEventInput>;

/** The line the writer would write for an event (schema order, defaults filled), or a plain stringify when the schema refuses it. */
function writerLine(e: TranscriptEventInput): string {
  const parsed = TranscriptEvent.safeParse(e);
  return JSON.stringify(parsed.success ? parsed.data : e);
}

/** Small edits at random places: what a hand-edited or damaged file may hold. */
const PIECES = ['"', '\\', ' ', '0', '1', '-', '.', 'e', '}', '{', ',', ':', 'x', '\u0001', '\n', 'null', 'true', '"a"', '\\"', '\\u0041', '\\n', '\ud800', 'candidate', 'clarify', '"phase":', '"partial":true'];
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 3 }),
  insert: fc.oneof(fc.constant(''), fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 3 })),
});
function applyEdits(line: string, edits: { at: number; remove: number; insert: string }[]): string {
  let out = line;
  for (const { at, remove, insert } of edits) {
    const i = out.length === 0 ? 0 : at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return out;
}

describe('transcript reader fast path', () => {
  it('reads every line the writer writes for a turn, phase, pushback or end event like the general path', () => {
    fc.assert(
      fc.property(event, (e) => {
        const line = writerLine(e);
        const slow = general(line);
        const fast = fastEvent(line);
        if (fast !== null) expectSame(fast, slow);
        // Valid events with small whole-number times are always taken by the fast path.
        const small = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 1e15;
        if (slow !== null && small((slow as { elapsedMs: unknown }).elapsedMs) && (e.type !== 'pushback' || small(e.turn))) {
          expect(fast).not.toBeNull();
        }
      }),
      RUNS,
    );
  });

  it('never accepts an edited line the general path refuses, nor reads one differently', () => {
    let accepted = 0;
    fc.assert(
      fc.property(event, fc.array(edit, { minLength: 1, maxLength: 3 }), (e, edits) => {
        const line = applyEdits(writerLine(e), edits);
        const fast = fastEvent(line);
        if (fast !== null) {
          accepted++;
          expectSame(fast, general(line));
        }
      }),
      { ...RUNS, numRuns: 5000 },
    );
    // The edits must exercise the fast path, not only its refusals.
    expect(accepted).toBeGreaterThan(100);
  });

  it('reads other key orders, whitespace and extra keys like the general path', () => {
    fc.assert(
      fc.property(event, fc.nat(), fc.boolean(), fc.boolean(), (e, seed, spaced, extra) => {
        const parsed = TranscriptEvent.safeParse(e);
        const base: Record<string, unknown> = { ...(parsed.success ? parsed.data : e) };
        if (extra) base.note = 'x';
        const keys = Object.keys(base);
        const shuffled: Record<string, unknown> = {};
        for (let s = seed; keys.length > 0; s = Math.floor(s / 3) + 7) {
          const key = keys.splice(s % keys.length, 1)[0]!;
          shuffled[key] = base[key];
        }
        const line = JSON.stringify(shuffled, null, spaced ? 1 : undefined).replace(/\n/g, ' ');
        const fast = fastEvent(line);
        if (fast !== null) expectSame(fast, general(line));
        const t = parseTranscript(`{"type":"meta","schemaVersion":1,"id":"x","problem":null,"mode":"interview","provider":"p","model":null,"rubric":null,"levelTarget":null,"started":"s"}\n${line}\n`, null);
        const slow = general(line);
        if (slow === null) expect(t.problems).toHaveLength(1);
        else expect(t.events).toStrictEqual([slow]);
      }),
      RUNS,
    );
  });

  it('agrees with zod on mutated event objects (wrong types, missing, extra and unknown fields)', () => {
    const keyName = fc.constantFrom('type', 'role', 'text', 'elapsedMs', 'phase', 'partial', 'turn', 'topic', 'label', 'reason', 'report', 'schemaVersion', 'x', '__proto__');
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: keyName, value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), count, text, phase, fc.constantFrom('turn', 'phase', 'pushback', 'end', 'candidate', 'defended', 'completed', true, false, null)) }),
      fc.record({ kind: fc.constant('delete' as const), key: keyName }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(event, fc.array(mutation, { maxLength: 3 }), (e, mutations) => {
        const value: Record<string, unknown> = JSON.parse(JSON.stringify(e));
        for (const m of mutations) {
          if (m.kind === 'set') Object.defineProperty(value, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
          else delete value[m.key];
        }
        const line = JSON.stringify(value);
        const fast = fastEvent(line);
        if (fast !== null) {
          accepted++;
          expectSame(fast, general(line));
        }
      }),
      { ...RUNS, numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(1000);
  });

  it('reads whole files like zod would, line by line', () => {
    const anyLine = fc.oneof(
      event.map(writerLine),
      fc.tuple(event, fc.array(edit, { minLength: 1, maxLength: 2 })).map(([e, edits]) => applyEdits(writerLine(e), edits)),
    );
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 20 }), (raw) => {
        const lines = raw.map((l) => l.replace(/[\n\r]/g, ' ')).filter((l) => !/^\s*$/.test(l));
        const meta = '{"type":"meta","schemaVersion":1,"id":"x","problem":null,"mode":"interview","provider":"p","model":null,"rubric":null,"levelTarget":null,"started":"s"}';
        const t = parseTranscript(`${[meta, ...lines].join('\n')}\n`, null);
        const expected = lines.map(general);
        expect(t.events).toStrictEqual(expected.filter((e) => e !== null));
        expect(t.problems.map((p) => p.line)).toEqual(expected.flatMap((e, i) => (e === null ? [i + 2] : [])));
        t.events.forEach((e, i) => expect(Object.keys(e)).toEqual(Object.keys(expected.filter((x) => x !== null)[i] as object)));
      }),
      RUNS,
    );
  });

  it('handles the edges', () => {
    const cases: [string, unknown][] = [
      ['{"type":"turn","role":"candidate","text":"hi","elapsedMs":0,"phase":null}', { type: 'turn', role: 'candidate', text: 'hi', elapsedMs: 0, phase: null }],
      ['{"partial":true,"text":"","role":"system","type":"turn","elapsedMs":5e0,"x":1}', { type: 'turn', role: 'system', text: '', elapsedMs: 5, phase: null, partial: true }],
      ['{"type":"turn","role":"candidate","text":"a \\"q\\"","elapsedMs":1.0,"phase":"clarify"}', { type: 'turn', role: 'candidate', text: 'a "q"', elapsedMs: 1, phase: 'clarify' }],
      ['{"type":"pushback","turn":3,"topic":"redis","elapsedMs":7}', { type: 'pushback', turn: 3, topic: 'redis', label: null, elapsedMs: 7 }],
      ['{"type":"end","reason":"time-up","elapsedMs":9007199254740991}', { type: 'end', reason: 'time-up', elapsedMs: 9007199254740991 }],
      ['{"type":"phase","phase":"deep-dive","elapsedMs":-0}', { type: 'phase', phase: 'deep-dive', elapsedMs: -0 }],
    ];
    for (const [line, expected] of cases) {
      expect(fastEvent(line)).toStrictEqual(expected);
      expectSame(fastEvent(line), general(line));
    }
    for (const line of [
      '{"type":"turn","role":"candidate","text":"hi","elapsedMs":1.5,"phase":null}',
      '{"type":"turn","role":"candidate","text":"hi","elapsedMs":9007199254740992,"phase":null}',
      '{"type":"turn","role":"candidate","text":"hi","elapsedMs":-1,"phase":null}',
      '{"type":"turn","role":"candidate","text":"hi","elapsedMs":"1","phase":null}',
      '{"type":"turn","role":"candidat","text":"hi","elapsedMs":1,"phase":null}',
      '{"type":"turn","role":"candidate","text":1,"elapsedMs":1,"phase":null}',
      '{"type":"turn","role":"candidate","text":"hi","elapsedMs":1,"phase":"later"}',
      '{"type":"turn","role":"candidate","text":"hi","elapsedMs":1,"phase":null,"partial":null}',
      '{"type":"turn","role":"candidate","text":"hi"}',
      '{"type":"pushback","turn":-1,"topic":"t","elapsedMs":1}',
      '{"type":"pushback","turn":1,"topic":"t","label":"won","elapsedMs":1}',
      '{"type":"end","reason":"bored","elapsedMs":1}',
      '{"type":"phase","phase":null,"elapsedMs":1}',
      '{"type":"grade","report":{},"elapsedMs":1}',
    ]) {
      expect(fastEvent(line)).toBeNull();
    }
  });
});

describe('transcript reader fast path stays in step with the schema', () => {
  // fastEvent in transcript-store.ts lists each event's fields by hand: a field added to the
  // schema must be added there too, or the fast path would silently drop it.
  it('covers exactly the fields the event schemas have', () => {
    expect(Object.keys(TurnEvent.shape)).toEqual(['type', 'role', 'text', 'elapsedMs', 'phase', 'partial']);
    expect(Object.keys(PhaseEvent.shape)).toEqual(['type', 'phase', 'elapsedMs']);
    expect(Object.keys(PushbackEvent.shape)).toEqual(['type', 'turn', 'topic', 'label', 'elapsedMs']);
    expect(Object.keys(EndEvent.shape)).toEqual(['type', 'reason', 'elapsedMs']);
  });
});
