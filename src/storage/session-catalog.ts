// The catalogue of recorded sessions: what `sessions list`, `progress` and ID resolution need,
// read cheaply. A listing needs only the meta (the first line), the end event and the last
// grade (both at the end of the file), so each file is read at its head and its tail, never
// parsed whole: the cost per session stays flat however long the interview was.
// Reads are synchronous on purpose: thousands of tiny reads from the page cache cost several
// times more through the libuv thread pool (measured: 5,000 sessions 1.0 s async vs 0.2 s sync).
// `sessions list` goes through the session index (session-index.ts) so unchanged files are not
// read at all; progress needs the full reports and reads the files.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SessionMeta, type Level, type Mode } from '../schemas/transcript.js';

export const SESSION_EXT = '.jsonl';

/** The grade fields a listing shows (the full report is only read by progress and show). */
export interface GradeSummary {
  overall: number | null;
  level: Level | null;
  trackingToward: Level | null;
  label: string;
  grader: string;
}

export interface SessionInfo {
  ok: true;
  /** The file name without `.jsonl`: what IDs and prefixes are matched against. */
  id: string;
  file: string;
  started: string;
  problem: string | null;
  mode: Mode;
  provider: string;
  model: string | null;
  rubric: string | null;
  levelTarget: Level | null;
  /** The end event's clock, else the last event's (a session that crashed). */
  durationMs: number | null;
  endReason: string | null;
  grade: GradeSummary | null;
  size: number;
  mtimeMs: number;
}

export interface BrokenSession {
  ok: false;
  id: string;
  file: string;
  /** Why it cannot be listed, e.g. "line 1: not JSON". */
  error: string;
  size: number | null;
  mtimeMs: number | null;
}

export type SessionEntry = SessionInfo | BrokenSession;

/** What the tail reader found; `report` is the raw last grade report, for callers that want it. */
interface TailFacts {
  durationMs: number | null;
  endReason: string | null;
  report: Record<string, unknown> | null;
}

const HEAD_CHUNK = 4 * 1024;
/** Enough for the end event and a full grade report in one read; grown when it is not. */
const TAIL_CHUNK = 64 * 1024;
const MAX_META_BYTES = 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return error instanceof Error ? error.message : String(error);
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(fd, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The first line (the meta), read in chunks until its newline. */
function readFirstLine(fd: number, size: number): string {
  let length = Math.min(size, HEAD_CHUNK);
  for (;;) {
    const bytes = readAt(fd, 0, length);
    const newline = bytes.indexOf(0x0a);
    if (newline >= 0) return bytes.subarray(0, newline).toString('utf8');
    if (length >= size || length >= MAX_META_BYTES) return bytes.toString('utf8');
    length = Math.min(size, length * 4, MAX_META_BYTES);
  }
}

function parseMeta(line: string): { ok: true; meta: SessionMeta } | { ok: false; error: string } {
  const text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (text.trim() === '') return { ok: false, error: 'empty file (no session meta)' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'line 1: not JSON (not a session file, or corrupted)' };
  }
  if (!isRecord(value) || value.type !== 'meta') return { ok: false, error: 'line 1: not a session meta' };
  if (typeof value.schemaVersion === 'number' && value.schemaVersion > 1) {
    return { ok: false, error: `written by a newer sdcoach (schemaVersion ${value.schemaVersion})` };
  }
  const parsed = SessionMeta.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `line 1: invalid session meta: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, meta: parsed.data };
}

const END_MARK = Buffer.from('{"type":"end"');
const GRADE_MARK = Buffer.from('{"type":"grade"');

/** The last line of `buf` that starts with `mark` (at a line start), searching before `before`. */
function lastLineStart(buf: Buffer, mark: Buffer, windowStartsFile: boolean, before = buf.length): number {
  let at = buf.lastIndexOf(mark, before);
  while (at >= 0) {
    if (at === 0 ? windowStartsFile : buf[at - 1] === 0x0a) return at;
    if (at === 0) return -1;
    at = buf.lastIndexOf(mark, at - 1);
  }
  return -1;
}

/** The line starting at `at`, or only its first `max` bytes (decoding a 30 KB report to peek is the slow part). */
function lineAt(buf: Buffer, at: number, max = Infinity): { text: string; whole: boolean } {
  const limit = Math.min(buf.length, at + max);
  const end = buf.subarray(0, limit).indexOf(0x0a, at);
  const stop = end < 0 ? limit : end;
  return { text: buf.subarray(at, stop).toString('utf8'), whole: end >= 0 || limit === buf.length };
}

/** The end index (exclusive) of the JSON value starting at `from`, or -1: strings and nesting respected. */
function jsonValueEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === ',' || c === '}')) return i;
  }
  return -1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
  return i;
}

/**
 * The members of the JSON object opening at `from`, in order: `member` gets each key and where
 * its value starts, and returns where the value ends (or -1 to stop). Only the object's own keys
 * are visited, never a nested one, so key order and look-alike keys deeper in cannot mislead it.
 */
function eachMember(text: string, from: number, member: (key: string, at: number) => number): void {
  let i = skipSpace(text, from);
  if (text[i] !== '{') return;
  i++;
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] !== '"') return;
    const keyEnd = jsonValueEnd(text, i);
    if (keyEnd < 0) return;
    let key: unknown;
    try {
      key = JSON.parse(text.slice(i, keyEnd));
    } catch {
      return;
    }
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':' || typeof key !== 'string') return;
    const end = member(key, skipSpace(text, i + 1));
    if (end < 0) return;
    i = skipSpace(text, end);
    if (text[i] !== ',') return;
    i++;
  }
}

const PEEKED = ['overall', 'level', 'grader'] as const;

/**
 * Listing fields of a grade line (`{"type":"grade","report":{…}}`) from its first few KB: the
 * report's own `overall`, `level` and `grader`, read member by member without parsing the rest
 * (writers put them before the dimensions). Null when the head does not hold all three: the
 * caller then parses the line whole. Exported for tests.
 */
export function peekGrade(head: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let found = 0;
  eachMember(head, 0, (key, at) => {
    if (key !== 'report') return jsonValueEnd(head, at);
    eachMember(head, at, (field, v) => {
      const end = jsonValueEnd(head, v);
      if (end < 0) return -1;
      if ((PEEKED as readonly string[]).includes(field) && !(field in out)) {
        try {
          out[field] = JSON.parse(head.slice(v, end));
        } catch {
          return -1;
        }
        found++;
      }
      return found === PEEKED.length ? -1 : end;
    });
    return -1;
  });
  return found === PEEKED.length ? out : null;
}

/**
 * Find the end event and the last grade near the end of the file. Grades are written after the
 * end event, so once the end event is in the window nothing earlier matters; without one (a
 * crashed session) the window grows until the whole file has been seen. Only the end line is
 * parsed; the grade line is parsed whole only when `fullReport` (progress) asks for it, else its
 * listing fields are peeked from its first bytes.
 */
function readTail(fd: number, size: number, fullReport: boolean): TailFacts {
  let window = Math.min(size, TAIL_CHUNK);
  for (;;) {
    const start = size - window;
    const buf = readAt(fd, start, window);
    const fromFileStart = start === 0;
    // The grade line (if any) is last; the end event sits just before it, so search from there.
    const lastGrade = lastLineStart(buf, GRADE_MARK, fromFileStart);
    const endAt = lastLineStart(buf, END_MARK, fromFileStart, lastGrade >= 0 ? lastGrade : buf.length);
    if (endAt < 0 && !fromFileStart) {
      window = Math.min(size, window * 4);
      continue;
    }
    const facts: TailFacts = { durationMs: null, endReason: null, report: null };
    if (endAt >= 0) {
      try {
        const end = JSON.parse(lineAt(buf, endAt).text) as Record<string, unknown>;
        facts.endReason = typeof end.reason === 'string' ? end.reason : null;
        facts.durationMs = typeof end.elapsedMs === 'number' ? end.elapsedMs : null;
      } catch {
        // a corrupted end line: the duration falls back to the last timed event below
      }
    }
    const gradeAt = lastGrade;
    if (gradeAt >= 0 && gradeAt > endAt) {
      let report = fullReport ? null : peekGrade(lineAt(buf, gradeAt, 4096).text);
      if (!report) {
        try {
          const event = JSON.parse(lineAt(buf, gradeAt).text) as Record<string, unknown>;
          if (isRecord(event.report)) report = event.report;
        } catch {
          // a torn grade line (a crash while grading): the session is simply ungraded
        }
      }
      facts.report = report;
    }
    if (facts.durationMs === null) facts.durationMs = lastElapsed(buf, fromFileStart);
    return facts;
  }
}

/** The elapsedMs of the last complete, timed line (not a grade) in the window. */
function lastElapsed(buf: Buffer, fromFileStart: boolean): number | null {
  const lines = buf.toString('utf8').split('\n');
  if (!fromFileStart) lines.shift();
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const event = JSON.parse(lines[i]!) as unknown;
      if (isRecord(event) && event.type !== 'grade' && typeof event.elapsedMs === 'number') return event.elapsedMs;
    } catch {
      // blank, torn or corrupted
    }
  }
  return null;
}

export function gradeSummary(report: Record<string, unknown> | null): GradeSummary | null {
  if (!report) return null;
  const overall = typeof report.overall === 'number' ? report.overall : null;
  const level = isRecord(report.level) ? report.level : {};
  return {
    overall,
    level: typeof level.level === 'string' ? (level.level as Level) : null,
    trackingToward: typeof level.trackingToward === 'string' ? (level.trackingToward as Level) : null,
    label: typeof level.label === 'string' ? level.label : '–',
    grader: typeof report.grader === 'string' ? report.grader : 'unknown',
  };
}

export interface ReadSessionResult {
  entry: SessionEntry;
  /** The raw last grade report (unvalidated), when asked for. */
  report: Record<string, unknown> | null;
}

/** Read what a listing needs from one session file (`fullReport`: the whole last grade too). Never throws. */
export function readSessionEntry(file: string, fullReport = false): ReadSessionResult {
  const { entry, report } = readSessionFile(file, fullReport);
  return { entry, report };
}

export interface ReadSessionFileResult extends ReadSessionResult {
  /**
   * The file could not be opened or read (permissions, gone, a folder, an I/O error): a state of
   * the file system rather than of the content, which can change without the file's size or
   * mtime changing (chmod), so the session index never keeps it.
   */
  fsError: boolean;
}

/** `readSessionEntry`, also saying whether a broken entry is about the file system or the content. */
export function readSessionFile(file: string, fullReport = false): ReadSessionFileResult {
  const id = path.basename(file, SESSION_EXT);
  let fd: number | undefined;
  let size: number | null = null;
  let mtimeMs: number | null = null;
  try {
    fd = openSync(file, 'r');
    const info = fstatSync(fd);
    if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    size = info.size;
    mtimeMs = info.mtimeMs;
    const meta = parseMeta(readFirstLine(fd, info.size));
    if (!meta.ok) return { entry: { ok: false, id, file, error: meta.error, size, mtimeMs }, report: null, fsError: false };
    const tail = readTail(fd, info.size, fullReport);
    const m = meta.meta;
    const entry: SessionInfo = {
      ok: true,
      id,
      file,
      started: m.started,
      problem: m.problem,
      mode: m.mode,
      provider: m.provider,
      model: m.model,
      rubric: m.rubric,
      levelTarget: m.levelTarget,
      durationMs: tail.durationMs,
      endReason: tail.endReason,
      grade: gradeSummary(tail.report),
      size: info.size,
      mtimeMs: info.mtimeMs,
    };
    return { entry, report: tail.report, fsError: false };
  } catch (error) {
    return { entry: { ok: false, id, file, error: describeFsError(error), size, mtimeMs }, report: null, fsError: true };
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // nothing useful to do
      }
    }
  }
}

/** Session files in a folder (`*.jsonl`, sorted by name); a missing folder has none. */
export async function sessionFiles(dir: string): Promise<string[]> {
  return (await sessionNames(dir)).map((name) => path.join(dir, name));
}

/** The file names of `sessionFiles`, sorted. */
export async function sessionNames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new Error(`cannot read the sessions folder ${dir}: ${describeFsError(error)}`);
  }
  return names.filter((name) => name.toLowerCase().endsWith(SESSION_EXT) && !name.startsWith('.')).sort();
}

export function compareEntries(a: SessionEntry, b: SessionEntry): number {
  if (a.ok !== b.ok) return a.ok ? -1 : 1;
  if (a.ok && b.ok && a.started !== b.started) return a.started < b.started ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Filters

export interface SessionFilter {
  problem?: string | null;
  mode?: Mode | null;
  since?: Date | null;
}

/** Broken files pass every filter: they are shown so the user can see them, not hidden by a date. */
export function matchesFilter(entry: SessionEntry, filter: SessionFilter): boolean {
  if (!entry.ok) return !filter.problem && !filter.mode;
  if (filter.problem && entry.problem?.toLowerCase() !== filter.problem.toLowerCase()) return false;
  if (filter.mode && entry.mode !== filter.mode) return false;
  if (filter.since) {
    const started = Date.parse(entry.started);
    if (Number.isNaN(started) || started < filter.since.getTime()) return false;
  }
  return true;
}

const RELATIVE = /^(\d+)\s*(h|hours?|d|days?|w|weeks?|mo|months?|y|years?)$/i;
const DAY_MS = 86_400_000;

/**
 * `--since`: a date (2026-11-20, or a full ISO time), a relative span back from `now`
 * (12h, 7d, 2w, 3mo, 1y), `today` or `yesterday` (local midnight). Null when unreadable.
 */
export function parseSince(text: string, now: Date = new Date()): Date | null {
  const value = text.trim().toLowerCase();
  if (value === 'today' || value === 'yesterday') {
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    return value === 'today' ? midnight : new Date(midnight.getTime() - DAY_MS);
  }
  const relative = RELATIVE.exec(value);
  if (relative) {
    const n = Number(relative[1]);
    const unit = relative[2]!;
    if (unit.startsWith('h')) return new Date(now.getTime() - n * 3_600_000);
    if (unit.startsWith('d')) return new Date(now.getTime() - n * DAY_MS);
    if (unit.startsWith('w')) return new Date(now.getTime() - n * 7 * DAY_MS);
    const back = new Date(now);
    if (unit.startsWith('m')) back.setMonth(back.getMonth() - n);
    else back.setFullYear(back.getFullYear() - n);
    return back;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // A bare date means that day in the user's time zone, like `git log --since`.
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(y, m - 1, d);
    return date.getMonth() === m - 1 && date.getDate() === d ? date : null;
  }
  if (/^\d{4}-\d{2}-\d{2}t/.test(value)) {
    const ms = Date.parse(text.trim());
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return null;
}

export const SINCE_HELP = 'a date (2026-11-20), a span back from now (12h, 7d, 2w, 3mo, 1y), today or yesterday';

// ---------------------------------------------------------------------------
// IDs by unique prefix

export type Resolution =
  | { ok: true; id: string; file: string }
  | { ok: false; reason: 'not-found' | 'ambiguous'; input: string; matches: { id: string; file: string }[] };

/**
 * A session by full id, unique id prefix (like git), or path to a `.jsonl` file. Only file
 * names are compared, so resolving is one readdir however many sessions there are.
 */
export async function resolveSession(dir: string, input: string): Promise<Resolution> {
  const given = input.trim();
  if (given.toLowerCase().endsWith(SESSION_EXT) && (given.includes('/') || given.includes(path.sep))) {
    const exists = await stat(given).then((s) => s.isFile(), () => false);
    if (exists) return { ok: true, id: path.basename(given, SESSION_EXT), file: path.resolve(given) };
  }
  const bare = given.toLowerCase().endsWith(SESSION_EXT) ? given.slice(0, -SESSION_EXT.length) : given;
  if (bare === '') return { ok: false, reason: 'not-found', input, matches: [] };
  const files = await sessionFiles(dir);
  const ids = files.map((file) => ({ id: path.basename(file, SESSION_EXT), file }));
  const exact = ids.find((entry) => entry.id === bare);
  if (exact) return { ok: true, ...exact };
  const matches = ids.filter((entry) => entry.id.startsWith(bare));
  if (matches.length === 1) return { ok: true, ...matches[0]! };
  return { ok: false, reason: matches.length === 0 ? 'not-found' : 'ambiguous', input, matches };
}
