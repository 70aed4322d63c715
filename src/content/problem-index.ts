// The problem listing index: what `sdcoach problems` prints for each problem file, kept so a
// listing costs a readdir and a stat per file instead of parsing and validating every file with
// yaml and zod (about 200 ms of module loading alone). This module imports neither: the real
// loader (src/content/problem-loader.ts) is imported only when a file must be read again.
//
// Two files:
// - the packaged index, dist/problem-index.json, written by the build (scripts/bundle.mjs) from
//   the built loader: for each valid prompts/problems/*.md, its size, SHA-256, stat as built
//   (size, mtimeMs, inode) and its row.
//   It also carries the loader's fingerprint (a hash of the bundled loader, zod and yaml
//   included), so rows made by another loader are never used.
// - the user's index, <cacheDir>/problem-index/<hash of the two folders>.json: for every file of
//   the last listing (user and packaged), its path, size, mtimeMs, inode, SHA-256 and row.
//
// On each run a file whose size, mtime and inode match its record (or, for a packaged file never
// listed before, its stat as built) is not opened. Any other file
// (new, edited, replaced) is read: if its SHA-256 matches the record (or, for a packaged file,
// the packaged index) the row is reused without the loader, else the loader validates it. Records
// of files that are gone are dropped; the index is rewritten (temp file + rename, 0600) only when
// it changed. Like the session index it can never make a listing wrong, only faster:
// - an unreadable, corrupted or foreign index (another schema, loader or pair of folders) is
//   ignored and rebuilt; a malformed record is a miss; without a packaged index (no build) there
//   is no fingerprint to trust, so nothing is cached and the loader reads every file;
// - files that could not be read are never recorded (their row comes from the loader each time);
// - a file modified less than RACY_MS before it was recorded keeps its record but not its stat
//   ("racy", as in git's index): the next run reads and hashes it again, which costs no loader.
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { DIR_MODE, FILE_MODE, packageRoot, packagedDirs, type SdcoachPaths } from '../storage/paths.js';
import { problemDirs, problemFileNames, problemIdFromFile, type ProblemSource } from './problem-files.js';

/** Bump when a row or a record changes shape or meaning. */
export const PROBLEM_INDEX_SCHEMA = 1;
/** Coarsest common mtime resolution (FAT: 2 s); files changed more recently than this are hashed again. */
export const RACY_MS = 2000;


/** One positioned error as `problems list --json` prints it: the loader's error plus its `text`. */
export type ProblemRowError = {
  file: string;
  line: number;
  column: number;
  message: string;
  text: string;
} & Record<string, unknown>;

export interface ProblemCounts {
  facts: number;
  reference_estimates: number;
  components: number;
  deep_dives: number;
  pushbacks: number;
  levels: string[];
}

/** What the listing needs from one file, whatever folder it is in. */
export type ProblemSummary =
  | {
      ok: true;
      title: string;
      difficulty: string;
      tags: string[];
      counts: ProblemCounts;
    }
  | { ok: false; errors: ProblemRowError[] };

/** One line of `sdcoach problems`. */
export type ProblemRow = {
  id: string;
  file: string;
  source: ProblemSource;
} & ProblemSummary;

/** `.md` problem files of a folder, sorted; a missing folder has none (other readdir errors throw). */
export function problemFilesSync(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  return problemFileNames(names).map((name) => path.join(dir, name));
}

/** The packaged index (written at build time): where it is. */
export function packagedProblemIndexFile(root = packageRoot()): string {
  return path.join(root, 'dist', 'problem-index.json');
}

/** FNV-1a, 32 bits: names the user index after its folders without loading node:crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Where the user's index for these folders lives. */
export function problemIndexFile(cacheDir: string, dirs: string[]): string {
  return path.join(cacheDir, 'problem-index', `${fnv1a(dirs.map((d) => path.resolve(d)).join('\0'))}.json`);
}

// ---- validating stored values (a malformed value is a miss, never a wrong row) ----

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function isCounts(v: unknown): v is ProblemCounts {
  return (
    isObject(v) && isNum(v.facts) && isNum(v.reference_estimates) && isNum(v.components) && isNum(v.deep_dives) && isNum(v.pushbacks) && isStrArray(v.levels)
  );
}

function isSummary(v: unknown): v is ProblemSummary {
  if (!isObject(v)) return false;
  if (v.ok === true) return isStr(v.title) && isStr(v.difficulty) && isStrArray(v.tags) && isCounts(v.counts);
  return (
    v.ok === false &&
    Array.isArray(v.errors) &&
    v.errors.length > 0 &&
    v.errors.every((e) => isObject(e) && isStr(e.file) && isNum(e.line) && isNum(e.column) && isStr(e.message) && isStr(e.text))
  );
}

// ---- the packaged index ----

interface PackagedEntry {
  size: number;
  sha256: string;
  /**
   * [size, mtimeMs, ino] of the file when the build read it (null when it was racy then): built
   * in place (npm ci, npm install from git), an unchanged file still has it, so even the first
   * listing needs no hashing. A package built elsewhere has other stats and is hashed instead.
   */
  stat: [size: number, mtimeMs: number, ino: number] | null;
  summary: ProblemSummary;
}

interface PackagedIndex {
  loader: string;
  entries: Map<string, PackagedEntry>;
}

interface PackagedIndexFile {
  schemaVersion: number;
  /** Fingerprint of the loader that made the rows (the build's hash of the bundled loader). */
  loader: string;
  /** By file name in prompts/problems/; only valid files (a broken one's row names its path). */
  entries: Record<string, PackagedEntry>;
}

function readPackagedIndex(file: string): PackagedIndex | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isObject(value) || value.schemaVersion !== PROBLEM_INDEX_SCHEMA || !isStr(value.loader) || !isObject(value.entries)) return null;
  const entries = new Map<string, PackagedEntry>();
  for (const [name, entry] of Object.entries(value.entries)) {
    if (isObject(entry) && isNum(entry.size) && isStr(entry.sha256) && isSummary(entry.summary) && entry.summary.ok) {
      const stat = Array.isArray(entry.stat) && entry.stat.length === 3 && entry.stat.every(isNum) ? (entry.stat as [number, number, number]) : null;
      entries.set(name, { size: entry.size, sha256: entry.sha256, stat, summary: entry.summary });
    }
  }
  return { loader: value.loader, entries };
}

// ---- the user's index ----

// One record per file: [path, size, mtimeMs, ino, statTrusted, sha256, summary].
type IndexRecord = [file: string, size: number, mtimeMs: number, ino: number, statTrusted: boolean, sha256: string, summary: ProblemSummary];

interface UserIndexFile {
  schemaVersion: number;
  loader: string;
  dirs: string[];
  entries: IndexRecord[];
  /** The listing's ids as localeCompare sorted them, and the locale settings it ran under. */
  order: { locale: string; ids: string[] };
}

interface UserIndex {
  records: Map<string, IndexRecord>;
  order: { locale: string; ids: string[] } | null;
}

/**
 * The environment that picks ICU's default locale (and so localeCompare's order). The first
 * localeCompare loads the collator, which costs more than the rest of a listing; the last order
 * is reused while the ids and these are the same.
 */
function localeKey(env: NodeJS.ProcessEnv = process.env): string {
  return ['LC_ALL', 'LC_COLLATE', 'LC_MESSAGES', 'LANG', 'LANGUAGE'].map((name) => env[name] ?? '').join('|');
}

function isIndexRecord(v: unknown): v is IndexRecord {
  return (
    Array.isArray(v) &&
    v.length === 7 &&
    isStr(v[0]) &&
    isNum(v[1]) &&
    isNum(v[2]) &&
    isNum(v[3]) &&
    typeof v[4] === 'boolean' &&
    isStr(v[5]) &&
    isSummary(v[6])
  );
}

function readUserIndex(file: string, loader: string, dirs: string[]): UserIndex | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isObject(value) || value.schemaVersion !== PROBLEM_INDEX_SCHEMA || value.loader !== loader) return null;
  if (!isStrArray(value.dirs) || value.dirs.join('\0') !== dirs.join('\0') || !Array.isArray(value.entries)) return null;
  const records = new Map<string, IndexRecord>();
  for (const record of value.entries) if (isIndexRecord(record)) records.set(record[0], record);
  const order = value.order;
  return {
    records,
    order: isObject(order) && isStr(order.locale) && isStrArray(order.ids) ? { locale: order.locale, ids: order.ids } : null,
  };
}

/** Rows sorted by id with localeCompare, as the loader's listProblems sorts them; `order` is the last such order. */
function sortRows(rows: ProblemRow[], order: UserIndex['order'], locale: string): { rows: ProblemRow[]; reused: boolean } {
  if (order && order.locale === locale && order.ids.length === rows.length) {
    const byId = new Map(rows.map((row) => [row.id, row]));
    const sorted = order.ids.map((id) => byId.get(id));
    if (byId.size === rows.length && sorted.every((row) => row !== undefined)) return { rows: sorted as ProblemRow[], reused: true };
  }
  return {
    rows: [...rows].sort((a, b) => a.id.localeCompare(b.id)),
    reused: false,
  };
}

/** Write then rename, owner-only; a failure leaves the old index (or none) and is not an error. */
function writeAtomic(file: string, text: string): boolean {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
    writeFileSync(temporary, text, { mode: FILE_MODE });
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
    return false;
  }
}

// ---- reading files ----

type Loader = typeof import('./problem-loader.js');
let loaderModule: Promise<Loader> | undefined;
/** The real loader (zod, yaml): imported on the first miss only. */
function loader(): Promise<Loader> {
  loaderModule ??= import('./problem-loader.js');
  return loaderModule;
}

let sha256Of: ((data: Uint8Array) => string) | undefined;
async function sha256(data: Uint8Array): Promise<string> {
  if (!sha256Of) {
    // node:crypto costs a few ms to load: only a file that changed needs it.
    const { createHash } = await import('node:crypto');
    sha256Of = (bytes) => createHash('sha256').update(bytes).digest('hex');
  }
  return sha256Of(data);
}

/** A file's bytes and the fstat of the descriptor they were read through; null when it cannot be read. */
function readWithStat(file: string): { bytes: Buffer; stats: Stats } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return null;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(65536, stats.size - total + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return { bytes: Buffer.concat(chunks, total), stats };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The listing summary of a validation result, as `problems list` prints it. */
export function summaryOf(result: import('./problem-loader.js').ProblemValidation, format: Loader['formatProblemError']): ProblemSummary {
  if (result.ok) {
    const p = result.problem;
    return {
      ok: true,
      title: p.title,
      difficulty: p.difficulty,
      tags: p.tags,
      counts: {
        facts: p.facts.length,
        reference_estimates: p.reference_estimates.length,
        components: p.components.length,
        deep_dives: p.deep_dives.length,
        pushbacks: p.pushbacks.length,
        levels: Object.keys(p.levels),
      },
    };
  }
  return {
    ok: false,
    errors: result.errors.map((e) => ({ ...e, text: format(e) })),
  };
}

export interface ProblemIndexOptions {
  /** The packaged index (default dist/problem-index.json of this package). */
  packagedIndexFile?: string;
  /** Files modified less than this long before being recorded keep no stat (default RACY_MS). */
  racyMs?: number;
  /** Now, in ms (tests). */
  now?: () => number;
  /** Called with each file the real loader reads (tests count them). */
  onLoad?: (file: string) => void;
}

export interface ProblemIndexStats {
  /** Files whose stat matched their record: not opened. */
  statHits: number;
  /** Files read and hashed whose row was reused (no loader). */
  hashHits: number;
  /** Files the loader read and validated. */
  loaded: number;
  /** Whether the user's index was rewritten. */
  wrote: boolean;
}

/**
 * Every problem's row, the user's first; a user problem hides the packaged one with the same id;
 * sorted by id. The same rows as the loader's listProblems, read through the index.
 */
export async function listProblemRows(paths: SdcoachPaths, options: ProblemIndexOptions = {}): Promise<{ rows: ProblemRow[]; stats: ProblemIndexStats }> {
  const stats: ProblemIndexStats = {
    statHits: 0,
    hashHits: 0,
    loaded: 0,
    wrote: false,
  };
  const dirs = problemDirs(paths);
  const packagedDir = path.resolve(packagedDirs().problems);
  const packaged = readPackagedIndex(options.packagedIndexFile ?? packagedProblemIndexFile());
  const indexFile = problemIndexFile(
    paths.cacheDir,
    dirs.map((d) => d.dir),
  );
  const dirKey = dirs.map((d) => path.resolve(d.dir));
  const previous = packaged ? readUserIndex(indexFile, packaged.loader, dirKey) : null;
  const racyMs = options.racyMs ?? RACY_MS;
  const now = options.now ?? Date.now;

  const records: IndexRecord[] = [];
  let changed = previous === null;
  const seen = new Set<string>();
  const rows: ProblemRow[] = [];

  for (const { dir, source } of dirs) {
    for (const file of problemFilesSync(dir)) {
      const id = problemIdFromFile(file);
      if (seen.has(id)) continue;
      seen.add(id);
      const summary = await summaryFor(file);
      rows.push({ id, file, source, ...summary });
    }
  }
  if (previous && records.length !== previous.records.size) changed = true; // a file went away
  const locale = localeKey();
  const sorted = sortRows(rows, previous?.order ?? null, locale);
  if (!sorted.reused) changed = true;
  if (packaged && changed) {
    const index: UserIndexFile = {
      schemaVersion: PROBLEM_INDEX_SCHEMA,
      loader: packaged.loader,
      dirs: dirKey,
      entries: records,
      order: { locale, ids: sorted.rows.map((row) => row.id) },
    };
    stats.wrote = writeAtomic(indexFile, JSON.stringify(index) + '\n');
  }
  return { rows: sorted.rows, stats };

  async function summaryFor(file: string): Promise<ProblemSummary> {
    const record = previous?.records.get(file);
    const entry = packaged && path.dirname(file) === packagedDir ? packaged.entries.get(path.basename(file)) : undefined;
    if ((record && record[4]) || entry?.stat) {
      let st: Stats | undefined;
      try {
        st = statSync(file, { throwIfNoEntry: false });
      } catch {
        st = undefined;
      }
      if (st && st.isFile()) {
        if (record && record[4] && st.size === record[1] && st.mtimeMs === record[2] && st.ino === record[3]) {
          stats.statHits++;
          records.push(record);
          return record[6];
        }
        const built = entry?.stat;
        if (entry && built && st.size === built[0] && st.mtimeMs === built[1] && st.ino === built[2]) {
          // As the build read it: its packaged row, recorded for the next run.
          stats.statHits++;
          changed = true;
          records.push([file, st.size, st.mtimeMs, st.ino, true, entry.sha256, entry.summary]);
          return entry.summary;
        }
      }
    }
    changed = true;
    const read = readWithStat(file);
    if (!read) {
      // Unreadable (permissions, a folder, a dangling link): the loader says why; never recorded.
      stats.loaded++;
      options.onLoad?.(file);
      const l = await loader();
      return summaryOf(await l.validateProblemFile(file), l.formatProblemError);
    }
    const hash = await sha256(read.bytes);
    let summary: ProblemSummary | undefined;
    if (record && record[5] === hash) summary = record[6];
    else if (entry && entry.size === read.bytes.length && entry.sha256 === hash) summary = entry.summary;
    if (summary) stats.hashHits++;
    else {
      stats.loaded++;
      options.onLoad?.(file);
      const l = await loader();
      summary = summaryOf(l.validateProblemText(read.bytes.toString('utf8'), file), l.formatProblemError);
    }
    const s = read.stats;
    const trusted = now() - s.mtimeMs >= racyMs;
    records.push([file, s.size, s.mtimeMs, s.ino, trusted, hash, summary]);
    return summary;
  }
}

// ---- build time ----

/**
 * Write the packaged index (scripts/bundle.mjs, after tsc): the row of every valid packaged
 * problem, made by the built loader, keyed by size and SHA-256 (and the file's stat as built); `loader` is the build's
 * fingerprint of that loader. Returns the number of rows written.
 */
export async function writePackagedProblemIndex(loaderFingerprint: string, root = packageRoot()): Promise<{ file: string; rows: number; broken: string[] }> {
  const l = await loader();
  const dir = packagedDirs(root).problems;
  const entries: Record<string, PackagedEntry> = {};
  const broken: string[] = [];
  for (const file of problemFilesSync(dir)) {
    const read = readWithStat(file);
    if (!read) throw new Error(`cannot read ${file}`);
    const { bytes, stats } = read;
    const summary = summaryOf(l.validateProblemText(bytes.toString('utf8'), file), l.formatProblemError);
    if (!summary.ok) {
      broken.push(path.basename(file));
      continue;
    }
    entries[path.basename(file)] = {
      size: bytes.length,
      sha256: await sha256(bytes),
      stat: Date.now() - stats.mtimeMs >= RACY_MS ? [stats.size, stats.mtimeMs, stats.ino] : null,
      summary,
    };
  }
  const index: PackagedIndexFile = {
    schemaVersion: PROBLEM_INDEX_SCHEMA,
    loader: loaderFingerprint,
    entries,
  };
  const file = packagedProblemIndexFile(root);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(index) + '\n');
  renameSync(temporary, file);
  return { file, rows: Object.keys(entries).length, broken };
}
