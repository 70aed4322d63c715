// The session index: what `sessions list` shows for each session file, kept in the cache folder
// so a listing costs one readdir and one stat per file instead of opening every file.
//
// One index file per sessions folder: <cacheDir>/session-index/<sha256(folder)[:16]>.json, so
// `--dir` listings of other folders never write into the listed folder. Each record holds a file
// name, its size, mtimeMs and inode, and the listing fields; a file whose stat still matches is
// not read, any other (new, appended, rewritten, replaced) is read again and its record replaced;
// records of deleted files are dropped. The index rewrites itself (temp file + rename, 0600) only when it changed.
//
// It can never make a listing wrong, only faster:
// - an unreadable, corrupted, foreign (another folder, another schema or sdcoach version) index
//   is ignored and rebuilt, and a malformed entry is treated as a miss;
// - files that could not be opened (permissions, I/O) are never kept: chmod does not change mtime;
// - files modified within the last RACY_MS are not kept ("racy" entries, as in git's index): on a
//   file system with coarse timestamps a same-size rewrite in the same tick would keep its mtime;
// - an entry is kept only when the file's fstat while reading equals the stat that keys it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { sha256 } from './hash.js';
import type { Level, Mode } from '../schemas/transcript.js';
import { DIR_MODE, FILE_MODE, packageVersion } from './paths.js';
import {
  readSessionFile,
  sessionNames,
  SESSION_EXT,
  type ReadSessionFileResult,
  type SessionEntry,
} from './session-catalog.js';

/** Bump when the stored summary changes shape or meaning. */
export const SESSION_INDEX_SCHEMA = 1;
/** Coarsest common mtime resolution (FAT: 2 s); files changed more recently than this are re-read. */
export const RACY_MS = 2000;

export interface SessionIndexOptions {
  /** The cache folder (resolvePaths().cacheDir); the index lives in its `session-index/`. */
  cacheDir: string;
  /** Reads one session file (tests count calls through it). */
  read?: (file: string) => ReadSessionFileResult;
  /** Files modified less than this long ago are not kept (default RACY_MS). */
  racyMs?: number;
}

// One record per file, as a flat array (parsed several times faster than objects with keys):
//   a listed session: [name, size, mtimeMs, ino, started, problem, mode, provider, model, rubric,
//                      levelTarget, durationMs, endReason, grade]
//     grade: null | [overall, level, trackingToward, label, grader]
//   an unreadable one: [name, size, mtimeMs, ino, error]
type GradeRecord = [overall: number | null, level: string | null, trackingToward: string | null, label: string, grader: string];
type OkRecord = [
  name: string,
  size: number,
  mtimeMs: number,
  ino: number,
  started: string,
  problem: string | null,
  mode: string,
  provider: string,
  model: string | null,
  rubric: string | null,
  levelTarget: string | null,
  durationMs: number | null,
  endReason: string | null,
  grade: GradeRecord | null,
];
type BrokenRecord = [name: string, size: number, mtimeMs: number, ino: number, error: string];
type IndexRecord = OkRecord | BrokenRecord;

interface IndexFile {
  schemaVersion: number;
  sdcoach: string;
  dir: string;
  entries: IndexRecord[];
}

/** Where the index of `dir` lives. */
export function sessionIndexFile(cacheDir: string, dir: string): string {
  return path.join(cacheDir, 'session-index', `${sha256(path.resolve(dir)).slice(0, 16)}.json`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown) => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown) => v === null || num(v);

function isGradeRecord(v: unknown): v is GradeRecord | null {
  if (v === null) return true;
  return Array.isArray(v) && v.length === 5 && numOrNull(v[0]) && strOrNull(v[1]) && strOrNull(v[2]) && str(v[3]) && str(v[4]);
}

/** A well-formed record (a malformed one is a miss: the file is read again). */
function isIndexRecord(v: unknown[]): v is IndexRecord {
  if (!num(v[1]) || !num(v[2]) || !num(v[3])) return false;
  if (v.length === 5) return str(v[4]);
  return (
    v.length === 14 &&
    str(v[4]) &&
    strOrNull(v[5]) &&
    (v[6] === 'interview' || v[6] === 'monologue') &&
    str(v[7]) &&
    strOrNull(v[8]) &&
    strOrNull(v[9]) &&
    strOrNull(v[10]) &&
    numOrNull(v[11]) &&
    strOrNull(v[12]) &&
    isGradeRecord(v[13])
  );
}

/** The stored records of `dir` by file name, or null when there is no index or it cannot be trusted. */
function loadIndex(file: string, dir: string): Map<string, unknown[]> | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isRecord(value) || value.schemaVersion !== SESSION_INDEX_SCHEMA || value.sdcoach !== packageVersion()) return null;
  if (value.dir !== dir || !Array.isArray(value.entries)) return null;
  const records = new Map<string, unknown[]>();
  for (const record of value.entries as unknown[]) {
    if (Array.isArray(record) && typeof record[0] === 'string') records.set(record[0], record);
  }
  return records;
}

function toRecord(name: string, stats: Stats, entry: SessionEntry): IndexRecord {
  if (!entry.ok) return [name, stats.size, stats.mtimeMs, stats.ino, entry.error];
  const g = entry.grade;
  return [
    name,
    stats.size,
    stats.mtimeMs,
    stats.ino,
    entry.started,
    entry.problem,
    entry.mode,
    entry.provider,
    entry.model,
    entry.rubric,
    entry.levelTarget,
    entry.durationMs,
    entry.endReason,
    g ? [g.overall, g.level, g.trackingToward, g.label, g.grader] : null,
  ];
}

/** The entry a record stands for, field for field what reading the file gives. */
function fromRecord(file: string, r: IndexRecord): SessionEntry {
  const id = path.basename(r[0], SESSION_EXT);
  if (r.length === 5) return { ok: false, id, file, error: r[4], size: r[1], mtimeMs: r[2] };
  const g = r[13];
  return {
    ok: true,
    id,
    file,
    started: r[4],
    problem: r[5],
    mode: r[6] as Mode,
    provider: r[7],
    model: r[8],
    rubric: r[9],
    levelTarget: r[10] as Level | null,
    durationMs: r[11],
    endReason: r[12],
    grade: g ? { overall: g[0], level: g[1] as Level | null, trackingToward: g[2] as Level | null, label: g[3], grader: g[4] } : null,
    size: r[1],
    mtimeMs: r[2],
  };
}

/** Write the index atomically; a cache that cannot be written only costs speed next time. */
function saveIndex(file: string, index: IndexFile): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
    writeFileSync(temp, JSON.stringify(index), { mode: FILE_MODE });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
  }
}

/**
 * Every session file of `dir` as a listing entry (in file-name order), read from the index where
 * the file is unchanged and from the file otherwise; the index is brought up to date.
 */
export async function indexedEntries(dir: string, options: SessionIndexOptions): Promise<SessionEntry[]> {
  const absDir = path.resolve(dir);
  const names = await sessionNames(dir);
  const read = options.read ?? ((file: string) => readSessionFile(file));
  const racyMs = options.racyMs ?? RACY_MS;
  const indexFile = sessionIndexFile(options.cacheDir, absDir);
  const stored = loadIndex(indexFile, absDir);
  // Rewritten when anything differs from what was stored, including a missing or bad index
  // (but an empty folder without an index leaves no file behind).
  let changed = stored === null && names.length > 0;
  const next: IndexRecord[] = [];
  const entries: SessionEntry[] = [];
  let reused = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    let stats: Stats | undefined;
    try {
      stats = statSync(file);
    } catch {
      // gone or not stat-able: the reader reports why
    }
    const old = stats ? stored?.get(name) : undefined;
    if (stats && old !== undefined && old[1] === stats.size && old[2] === stats.mtimeMs && old[3] === stats.ino && isIndexRecord(old)) {
      next.push(old);
      entries.push(fromRecord(file, old));
      reused++;
      continue;
    }
    const result = read(file);
    entries.push(result.entry);
    const { entry } = result;
    const keep =
      stats !== undefined &&
      stats.isFile() &&
      !result.fsError &&
      entry.size === stats.size &&
      entry.mtimeMs === stats.mtimeMs &&
      Date.now() - stats.mtimeMs >= racyMs;
    if (keep) {
      next.push(toRecord(name, stats!, entry));
      changed = true;
    } else if (old !== undefined) {
      changed = true; // a stale entry to drop
    }
  }
  // Records of deleted files are dropped too.
  if (stored !== null && reused !== stored.size) changed = true;
  if (changed) saveIndex(indexFile, { schemaVersion: SESSION_INDEX_SCHEMA, sdcoach: packageVersion(), dir: absDir, entries: next });
  return entries;
}
