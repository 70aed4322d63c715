// Recorded sessions: one JSONL file each, the session meta first, one event a line.
// The writer appends and flushes every event before its promise resolves, so an
// acknowledged event survives a crash; the reader tolerates a torn last line (one
// that does not parse as a JSON object) and reports every other bad line instead of throwing.
import { constants } from 'node:fs';
import { chmod, mkdir, open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import {
  SessionMeta,
  TRANSCRIPT_SCHEMA_VERSION,
  TranscriptEvent,
  EndEvent,
  Phase,
  PushbackLabel,
  Role,
  type SessionMetaInput,
  type Transcript,
  type TranscriptEventInput,
  type TranscriptProblem,
} from '../schemas/transcript.js';
import { DIR_MODE, FILE_MODE, type SdcoachPaths } from './paths.js';
import { SdcoachError } from '../errors.js';

// ---------------------------------------------------------------------------
// Session ids and paths

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Ids that are safe as a file name on every platform and cannot climb out of the sessions folder. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A sortable, filename-safe session id: `YYYYMMDD-HHMMSS-xxxxxx` in UTC (so ids sort
 * by start time whatever the time zone), plus six base-36 characters from `random`.
 */
export function newSessionId(now: Date, random: () => number): string {
  if (Number.isNaN(now.getTime())) throw new RangeError('newSessionId: invalid date');
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  let suffix = '';
  for (let i = 0; i < 6; i++) {
    const r = random();
    const k = Number.isFinite(r) ? Math.min(35, Math.max(0, Math.floor(r * 36))) : 0;
    suffix += ID_ALPHABET[k];
  }
  return `${date}-${time}-${suffix}`;
}

/** `<sessionsDir>/<id>.jsonl`; rejects ids that are not a plain file name (no `/`, no `..`). */
export function sessionFilePath(paths: SdcoachPaths, id: string): string {
  if (!SAFE_ID.test(id) || id.includes('..')) {
    throw new Error(`invalid session id ${JSON.stringify(id)}: use letters, digits, '.', '_' and '-'`);
  }
  return path.join(paths.sessionsDir, `${id}.jsonl`);
}

// ---------------------------------------------------------------------------
// Errors

/** A transcript file that could not be read at all (missing, unreadable, a folder…). */
export class TranscriptReadError extends SdcoachError {
  readonly file: string;
  readonly code: string | undefined;
  constructor(file: string, cause: unknown) {
    super(`cannot read transcript ${file}: ${describeFsError(cause)}`, 1, { cause });
    this.name = 'TranscriptReadError';
    this.file = file;
    this.code = errorCode(cause);
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeFsError(err: unknown): string {
  switch (errorCode(err)) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** A zod failure as one short line: the first issue with its path, and how many more there were. */
function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const where = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  let text = `${where}${first.message}`;
  if (text.length > 160) text = `${text.slice(0, 157)}...`;
  const more = error.issues.length - 1;
  return more > 0 ? `${text} (and ${more} more)` : text;
}

/** Read a whole transcript file; failures become a TranscriptReadError naming the file. */
export async function readTranscriptBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new TranscriptReadError(file, err);
  }
}

// ---------------------------------------------------------------------------
// Writer

/** The meta a caller supplies; `type` and `schemaVersion` are filled in by the writer. */
export type NewSessionMeta = Omit<SessionMetaInput, 'type' | 'schemaVersion'> &
  Partial<Pick<SessionMetaInput, 'type' | 'schemaVersion'>>;

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  // One write call for a whole line; the loop only matters for a short write
  // (a full disk, a signal), where the rest still has to go out in order.
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    offset += bytesWritten;
  }
}

/** Make a new directory entry durable; best effort (Windows cannot open folders). */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // not supported here; the file's own data is already flushed
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Appends events to one session file. Every `append` validates the event, writes it
 * as one JSON line with a single write call, flushes it (fdatasync) and only then
 * resolves. Concurrent calls are queued and land in call order.
 */
export class TranscriptWriter {
  readonly file: string;
  #handle: FileHandle | null;
  #queue: Promise<void> = Promise.resolve();
  /** The file does not end with `\n` (a torn tail, or a failed write): start the next line fresh. */
  #needsNewline: boolean;
  #closing: Promise<void> | null = null;

  private constructor(file: string, handle: FileHandle, needsNewline: boolean) {
    this.file = file;
    this.#handle = handle;
    this.#needsNewline = needsNewline;
  }

  /**
   * Create a new session file (never overwrites one): makes the folder (0700, tightened
   * even if it existed), opens the file exclusively (0600) and writes the meta line.
   */
  static async create(file: string, meta: NewSessionMeta): Promise<TranscriptWriter> {
    const parsed = SessionMeta.safeParse({ ...meta, type: 'meta', schemaVersion: TRANSCRIPT_SCHEMA_VERSION });
    if (!parsed.success) throw new Error(`invalid session meta: ${describeIssues(parsed.error)}`, { cause: parsed.error });
    const line = Buffer.from(`${JSON.stringify(parsed.data)}\n`, 'utf8');

    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    await chmod(dir, DIR_MODE);

    let handle: FileHandle;
    try {
      handle = await open(file, 'ax', FILE_MODE);
    } catch (err) {
      if (errorCode(err) === 'EEXIST') throw new Error(`session file already exists: ${file}`, { cause: err });
      throw new Error(`cannot create session file ${file}: ${describeFsError(err)}`, { cause: err });
    }
    try {
      await handle.chmod(FILE_MODE); // the umask may have taken bits away, never added; be exact
      await writeAll(handle, line);
      await handle.datasync();
    } catch (err) {
      await handle.close().catch(() => {});
      await unlink(file).catch(() => {});
      throw new Error(`cannot write session file ${file}: ${describeFsError(err)}`, { cause: err });
    }
    await syncDir(dir);
    return new TranscriptWriter(file, handle, false);
  }

  /**
   * Reopen an existing session to append more events. If the file does not end with a
   * newline (a crash tore its last line), the next event starts on a fresh line, so the
   * torn bytes stay a line of their own (the reader reports it) and never merge into it.
   */
  static async openForAppend(file: string): Promise<TranscriptWriter> {
    let handle: FileHandle;
    try {
      handle = await open(file, constants.O_RDWR | constants.O_APPEND);
    } catch (err) {
      throw new Error(`cannot open session file ${file} to append: ${describeFsError(err)}`, { cause: err });
    }
    try {
      const stat = await handle.stat();
      let needsNewline = false;
      if (stat.size > 0) {
        const last = Buffer.alloc(1);
        const { bytesRead } = await handle.read(last, 0, 1, stat.size - 1);
        needsNewline = bytesRead === 1 && last[0] !== 0x0a;
      }
      await handle.chmod(FILE_MODE);
      return new TranscriptWriter(file, handle, needsNewline);
    } catch (err) {
      await handle.close().catch(() => {});
      throw new Error(`cannot open session file ${file} to append: ${describeFsError(err)}`, { cause: err });
    }
  }

  /** Validate, append and flush one event; resolves once it is on disk. Calls keep their order. */
  append(event: TranscriptEventInput): Promise<void> {
    if (this.#closing) return Promise.reject(new Error(`transcript writer is closed: ${this.file}`));
    let line: string;
    try {
      const parsed = TranscriptEvent.safeParse(event);
      if (!parsed.success) {
        throw new Error(`invalid transcript event: ${describeIssues(parsed.error)}`, { cause: parsed.error });
      }
      line = `${JSON.stringify(parsed.data)}\n`;
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const run = this.#queue.then(() => this.#write(line));
    this.#queue = run.catch(() => {}); // one failed append does not block the ones queued after it
    return run;
  }

  async #write(line: string): Promise<void> {
    const handle = this.#handle;
    if (!handle) throw new Error(`transcript writer is closed: ${this.file}`);
    const data = Buffer.from(this.#needsNewline ? `\n${line}` : line, 'utf8');
    // Until the whole line is out, assume the file ends mid-line; an extra blank line is harmless.
    this.#needsNewline = true;
    await writeAll(handle, data);
    this.#needsNewline = false;
    await handle.datasync();
  }

  /** Wait for queued appends, then close the file. Safe to call more than once. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = (async () => {
        await this.#queue;
        const handle = this.#handle;
        this.#handle = null;
        await handle?.close();
      })();
    }
    return this.#closing;
  }
}

// ---------------------------------------------------------------------------
// Reader

const BLANK = /^\s*$/;
const EPOCH = new Date(0).toISOString();
const EVENT_TYPES = new Set<string>(TranscriptEvent.options.map((option) => option.shape.type.value));

type LineOutcome =
  | { kind: 'meta'; meta: SessionMeta }
  | { kind: 'event'; event: TranscriptEvent }
  | {
      kind: 'bad';
      message: string;
      metaRaw?: Record<string, unknown>;
      /**
       * Not JSON, or JSON but not an object: what a write cut short leaves behind (a prefix of
       * a JSON object line never parses as an object). A complete object that fails the schema
       * is a bad line, never a torn one.
       */
      unparsed?: true;
    };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}

// Fast path: the common event shapes checked by hand instead of by zod (which is a large part of
// the cost of reading a session). It only accepts values the schema accepts and builds the object
// zod would (same keys in schema order, defaults filled, unknown keys dropped); anything else
// returns null and goes to zod, so problems and messages stay zod's.
// test/storage/transcript-fast-path.test.ts checks both agree.

// The allowed values come from the schema's own enums, so they cannot drift; the event fields
// are listed by hand, and a test pins them to the schema's shapes.
const ROLES: ReadonlySet<unknown> = new Set(Role.options);
const PHASES: ReadonlySet<unknown> = new Set(Phase.options);
const LABELS: ReadonlySet<unknown> = new Set(PushbackLabel.options);
const END_REASONS: ReadonlySet<unknown> = new Set(EndEvent.shape.reason.options);

/** What `z.number().int().nonnegative()` accepts. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The event zod would make of a parsed JSON object, when it is a common valid shape; else null. */
function fastEvent(value: Record<string, unknown>): TranscriptEvent | null {
  const { type, elapsedMs } = value;
  if (!isCount(elapsedMs)) return null;
  if (type === 'turn') {
    const { role, text, phase, partial } = value;
    if (!ROLES.has(role) || typeof text !== 'string') return null;
    if (phase !== undefined && phase !== null && !PHASES.has(phase)) return null;
    if (partial === undefined) {
      if (Object.hasOwn(value, 'partial')) return null;
      return { type, role: role as Role, text, elapsedMs, phase: (phase ?? null) as Phase | null };
    }
    if (typeof partial !== 'boolean') return null;
    return { type, role: role as Role, text, elapsedMs, phase: (phase ?? null) as Phase | null, partial };
  }
  if (type === 'phase') {
    const { phase } = value;
    return PHASES.has(phase) ? { type, phase: phase as Phase, elapsedMs } : null;
  }
  if (type === 'pushback') {
    const { turn, topic, label } = value;
    if (!isCount(turn) || typeof topic !== 'string') return null;
    if (label !== undefined && label !== null && !LABELS.has(label)) return null;
    return { type, turn, topic, label: (label ?? null) as PushbackLabel | null, elapsedMs };
  }
  if (type === 'end') {
    const { reason } = value;
    return END_REASONS.has(reason) ? { type, reason: reason as EndEvent['reason'], elapsedMs } : null;
  }
  return null;
}

/** Exported for tests only: the fast path on its own. */
export const fastEventForTests = fastEvent;

function classifyLine(raw: string, expectMeta: boolean): LineOutcome {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kind: 'bad', message: 'not JSON', unparsed: true };
  }
  if (!isRecord(value)) return { kind: 'bad', message: 'not an event (expected a JSON object)', unparsed: true };
  const version = value.schemaVersion;
  const type = value.type;
  if (typeof version === 'number' && version > TRANSCRIPT_SCHEMA_VERSION) {
    return {
      kind: 'bad',
      message: `written by a newer sdcoach (schemaVersion ${version}; this version reads ${TRANSCRIPT_SCHEMA_VERSION})`,
      ...(type === 'meta' ? { metaRaw: value } : {}),
    };
  }
  if (type === 'meta') {
    if (!expectMeta) return { kind: 'bad', message: 'unexpected session meta (only the first line is the meta)' };
    const meta = SessionMeta.safeParse(value);
    if (meta.success) return { kind: 'meta', meta: meta.data };
    return { kind: 'bad', message: `invalid session meta: ${describeIssues(meta.error)}`, metaRaw: value };
  }
  if (typeof type !== 'string') return { kind: 'bad', message: 'not an event (no "type" field)' };
  if (!EVENT_TYPES.has(type)) return { kind: 'bad', message: `unknown event type ${quoted(type)}` };
  const fast = fastEvent(value);
  if (fast !== null) return { kind: 'event', event: fast };
  const event = TranscriptEvent.safeParse(value);
  if (!event.success) return { kind: 'bad', message: `invalid ${type} event: ${describeIssues(event.error)}` };
  return { kind: 'event', event: event.data };
}

/**
 * The meta to use when the first line is missing or bad: whatever fields of the bad
 * meta still validate on their own, else an id from the file name, provider `unknown`,
 * and the mode inferred from the turns.
 */
function fallbackMeta(file: string | null, events: TranscriptEvent[], raw: Record<string, unknown> | undefined): SessionMeta {
  const base = file ? path.basename(file).replace(/\.[^.]*$/, '') : '';
  const inferredMode = events.some((e) => e.type === 'turn' && e.role === 'interviewer') ? 'interview' : 'monologue';
  const defaults: SessionMeta = {
    type: 'meta',
    schemaVersion: TRANSCRIPT_SCHEMA_VERSION,
    id: base || 'unknown',
    problem: null,
    mode: inferredMode,
    provider: 'unknown',
    model: null,
    rubric: null,
    levelTarget: null,
    started: EPOCH,
    timing: 'recorded',
  };
  if (!raw) return defaults;
  const salvaged: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SessionMeta.shape)) {
    if (key === 'type' || key === 'schemaVersion' || !Object.hasOwn(raw, key)) continue;
    const field = (schema as z.ZodType).safeParse(raw[key]);
    if (field.success && field.data !== undefined) salvaged[key] = field.data;
  }
  const merged = SessionMeta.safeParse({ ...defaults, ...salvaged });
  return merged.success ? merged.data : defaults;
}

/**
 * Parse a JSONL transcript. Never throws for content: bad lines are reported in
 * `problems` (1-based line numbers) and skipped; a bad or missing meta is reported and
 * replaced by a fallback. A torn last line (no final newline, and not JSON or JSON
 * but not an object) sets `tornTail` and is dropped without being a problem; a last
 * line without a newline that is a whole JSON object but not a valid event is
 * reported like any other bad line.
 */
export function parseTranscript(text: string, file: string | null): Transcript {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  const endsWithNewline = body.endsWith('\n');
  const problems: TranscriptProblem[] = [];
  const events: TranscriptEvent[] = [];
  const report = (line: number, message: string) => problems.push({ line, message: `line ${line}: ${message}` });

  let meta: SessionMeta | null = null;
  let metaRaw: Record<string, unknown> | undefined;
  let sawFirst = false;
  let tornTail = false;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (BLANK.test(raw)) continue;
    const lineNo = i + 1;
    const isUnterminatedLast = i === lines.length - 1 && !endsWithNewline;
    const outcome = classifyLine(raw, !sawFirst);
    if (outcome.kind === 'bad' && outcome.unparsed && isUnterminatedLast) {
      tornTail = true; // cut mid-write by a crash: dropped, not a problem
      break;
    }
    const first = !sawFirst;
    sawFirst = true;
    if (outcome.kind === 'meta') {
      meta = outcome.meta;
    } else if (outcome.kind === 'event') {
      if (first) report(lineNo, `expected the session meta first, found a ${outcome.event.type} event; using a fallback meta`);
      events.push(outcome.event);
    } else if (first) {
      metaRaw = outcome.metaRaw;
      report(lineNo, `${outcome.message}; using a fallback meta`);
    } else {
      report(lineNo, outcome.message);
    }
  }

  if (!sawFirst) {
    report(1, tornTail ? 'no session meta (the file was cut short while writing it); using a fallback meta' : 'empty transcript (no session meta); using a fallback meta');
  }
  return {
    file,
    format: 'jsonl',
    meta: meta ?? fallbackMeta(file, events, metaRaw),
    events,
    problems,
    tornTail,
  };
}

/** Read and parse a JSONL transcript; rejects (TranscriptReadError) only if the file cannot be read. */
export async function readTranscript(file: string): Promise<Transcript> {
  const bytes = await readTranscriptBytes(file);
  return parseTranscript(bytes.toString('utf8'), file);
}
