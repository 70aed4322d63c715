import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSince, peekGrade, readSessionEntry, resolveSession } from '../../src/storage/session-catalog.js';
import { listSessions } from '../../src/storage/session-list.js';
import { tempHome } from '../support/env.js';
import { writeSession } from './support.js';

describe('session catalogue', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let dir: string;
  beforeEach(async () => {
    home = await tempHome();
    process.env.SDCOACH_HOME = home.dir;
    dir = path.join(home.dir, 'sessions');
  });
  afterEach(async () => {
    delete process.env.SDCOACH_HOME;
    await home.cleanup();
  });

  it('reads meta, end and the last grade from head and tail, equal to the full report', async () => {
    const { file, report } = await writeSession(dir, { id: '20261120-150000-aaaaaa', started: '2026-11-20T15:00:00.000Z', grade: true });
    const { entry, report: raw } = readSessionEntry(file, true);
    expect(entry.ok).toBe(true);
    if (!entry.ok) return;
    expect(entry.problem).toBe('url-shortener');
    expect(entry.endReason).toBe('time-up');
    expect(entry.durationMs).toBeGreaterThan(0);
    expect(entry.grade).toEqual({
      overall: report!.overall,
      level: report!.level.level,
      trackingToward: report!.level.trackingToward,
      label: report!.level.label,
      grader: 'evidence',
    });
    expect(raw).toEqual(JSON.parse(JSON.stringify(report)));
    // The listing path peeks the grade without parsing it whole: same fields.
    expect(readSessionEntry(file).entry).toEqual(entry);
  });

  it('lists a corrupted file with its reason, a crashed session with the last clock, never throws', async () => {
    await writeSession(dir, { id: 'good', started: '2026-11-21T10:00:00.000Z' });
    const crashed = await writeSession(dir, { id: 'crashed', started: '2026-11-22T10:00:00.000Z', noEnd: true });
    await appendFile(crashed.file, '{"type":"turn","role":"cand'); // torn tail
    await writeFile(path.join(dir, 'corrupt.jsonl'), '\u0000\u0001garbage\n{"type":"turn"}\n');
    await writeFile(path.join(dir, 'empty.jsonl'), '');
    const rows = await listSessions(dir);
    const byId = Object.fromEntries(rows.map((r) => [r.entry.id, r.entry]));
    expect(byId.corrupt).toMatchObject({ ok: false, error: expect.stringMatching(/line 1: not JSON/) });
    expect(byId.empty).toMatchObject({ ok: false, error: expect.stringMatching(/empty/) });
    expect(byId.crashed).toMatchObject({ ok: true, endReason: null });
    expect((byId.crashed as { durationMs: number }).durationMs).toBeGreaterThan(0);
    expect(rows.map((r) => r.entry.id)).toEqual(['good', 'crashed', 'corrupt', 'empty']);
  });

  it('resolves ids by unique prefix and reports ambiguous prefixes with every match', async () => {
    await writeSession(dir, { id: '20261120-150000-abc111', started: '2026-11-20T15:00:00.000Z' });
    await writeSession(dir, { id: '20261120-150000-abd222', started: '2026-11-20T15:00:00.000Z' });
    await writeSession(dir, { id: '20261121-090000-zzz333', started: '2026-11-21T09:00:00.000Z' });
    expect(await resolveSession(dir, '20261121')).toMatchObject({ ok: true, id: '20261121-090000-zzz333' });
    expect(await resolveSession(dir, '20261120-150000-abc')).toMatchObject({ ok: true, id: '20261120-150000-abc111' });
    const ambiguous = await resolveSession(dir, '20261120-150000-ab');
    expect(ambiguous).toMatchObject({ ok: false, reason: 'ambiguous' });
    if (!ambiguous.ok) expect(ambiguous.matches.map((m) => m.id)).toEqual(['20261120-150000-abc111', '20261120-150000-abd222']);
    expect(await resolveSession(dir, 'nope')).toMatchObject({ ok: false, reason: 'not-found', matches: [] });
    expect(await resolveSession(dir, '../etc')).toMatchObject({ ok: false });
  });

  it('parses --since dates and spans, and refuses the rest', () => {
    const now = new Date('2026-11-30T12:00:00.000Z');
    expect(parseSince('7d', now)!.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(parseSince('12h', now)!.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(parseSince('2w', now)!.toISOString()).toBe('2026-11-16T12:00:00.000Z');
    expect(parseSince('2026-11-20T00:00:00Z', now)!.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseSince('2026-11-20', now)!.getDate()).toBe(20);
    for (const bad of ['soon', '7x', '2026-02-30', '', '-1d']) expect(parseSince(bad, now)).toBeNull();
  });

  it('peeks a grade line by the report\'s own keys: never a nested look-alike, whatever the key order', () => {
    // A look-alike earlier in the line ("target": {"level": …}, a quote with "overall": in it)
    // used to be taken for the report's own field: the reader searched for the first "level":.
    const decoy = fc.oneof(
      fc.constant({ target: { level: 'L7', overall: 0.5, grader: 'fake' } }),
      fc.constant({ note: 'said "overall": 9, "level": "L3", and "grader": "x"' }),
      fc.constant({ samples: [{ overall: 2 }, { grader: 'llm' }] }),
      fc.record({ file: fc.string() }),
    );
    const arbitraryReport = fc.record({
      overall: fc.double({ min: 1, max: 5, noNaN: true }),
      level: fc.record({ level: fc.constantFrom('L3', 'L4', 'L5', 'L6', 'L7'), label: fc.string() }),
      grader: fc.constantFrom('evidence', 'llm'),
      before: fc.array(decoy, { maxLength: 3 }),
      after: fc.array(decoy, { maxLength: 3 }),
      order: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    });
    fc.assert(
      fc.property(arbitraryReport, ({ overall, level, grader, before, after, order }) => {
        const own: [string, unknown][] = [['overall', overall], ['level', level], ['grader', grader]];
        own.sort((a, b) => order[own.indexOf(a)]! - order[own.indexOf(b)]!);
        const members: [string, unknown][] = [];
        before.forEach((d, i) => members.push(...Object.entries(d).map(([k, v]) => [`${k}${i}`, v] as [string, unknown])));
        members.push(...own);
        after.forEach((d, i) => members.push(...Object.entries(d).map(([k, v]) => [`${k}a${i}`, v] as [string, unknown])));
        // Decoys keep their nested look-alikes; their own names are made unique.
        const report = Object.fromEntries(members);
        const line = JSON.stringify({ type: 'grade', report, elapsedMs: 1 });
        const peeked = peekGrade(line.slice(0, 4096));
        const truth = JSON.parse(line).report as Record<string, unknown>;
        // Either the report's own fields, or null (the caller then parses the line whole).
        if (peeked !== null) expect(peeked).toEqual({ overall: truth.overall, level: truth.level, grader: truth.grader });
        if (line.length <= 4096) expect(peeked).not.toBeNull();
      }),
      { numRuns: 300, seed: 17 },
    );
    // The writer's order, cut off after the three fields: still read.
    expect(peekGrade('{"type":"grade","report":{"overall":3.2,"level":{"level":"L5","label":"L5"},"grader":"llm","dimensions":{"a":')).toEqual({
      overall: 3.2,
      level: { level: 'L5', label: 'L5' },
      grader: 'llm',
    });
  });
});

