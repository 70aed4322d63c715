import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSince, readSessionEntry, resolveSession } from '../../src/storage/session-catalog.js';
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
});
