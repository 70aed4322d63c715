// Plain-text transcripts from elsewhere (.txt, .md): lines labelled `Interviewer:` /
// `Candidate:` (or `Q:` / `A:`) start turns; no interviewer labels means a monologue, where
// text before a stray label is candidate speech (in an interview it is a system note).
// Imported text has no clock, so each turn's elapsedMs is estimated from word counts
// and the meta says `timing: 'estimated'`.
import { sha256 } from './hash.js';
import {
  TRANSCRIPT_SCHEMA_VERSION,
  type Role,
  type SessionMeta,
  type Transcript,
  type TranscriptEvent,
  type TranscriptProblem,
} from '../schemas/transcript.js';
import { stripControls } from '../term/strip.js';
import { readTranscriptBytes } from './transcript-store.js';

export interface PlainImportOptions {
  /** Where the text came from (kept in the Transcript; not used for the id). */
  file?: string | null;
  /** Problem id to record in the meta, when the caller knows it (wins over a `Problem:` header). */
  problem?: string | null;
  /** Speaking rate used to estimate elapsed time; default 150. */
  wordsPerMinute?: number;
}

export const DEFAULT_WORDS_PER_MINUTE = 150;

const EPOCH = new Date(0).toISOString();

/**
 * `Problem: url-shortener` as the first line: the header `sessions export --format txt` writes.
 * Read back as the meta's problem and not as speech; only a problem id (lower-kebab-case) counts,
 * so a monologue that opens "Problem: the links expire…" is still speech.
 */
export const PLAIN_PROBLEM_HEADER = 'Problem:';
const PROBLEM_HEADER = /^Problem:[ \t]*([a-z0-9][a-z0-9-]*)[ \t]*\r?$/;

/**
 * A line that is not text: a NUL (text files never hold one; UTF-16 without a byte-order mark
 * and binary files do), U+FFFD (what invalid UTF-8 decodes to) and unpaired surrogates (text
 * that cannot be written back as UTF-8). Other control characters — a pasted colour code, a
 * bell — are stripped (control-chars.ts) and the rest of the line is kept.
 */
const NOT_TEXT = /[\u0000\uFFFD]|[\uD800-\uDFFF]/u;

const EMPHASIS = String.raw`(?:\*\*|__|\*|_)`;
/**
 * A speaker label, with the markdown people wrap around it: leading spaces, `> `
 * quotes, a `- `/`* `/`+ ` list marker, a `#` heading, and bold/italic on either side
 * of the colon (`**Interviewer:**`, `**Interviewer**:`, `_Q_:`).
 * Groups: 1 = quote markers, 2 = label, 3 = the rest of the line.
 */
const LABEL = new RegExp(
  String.raw`^[ \t]*((?:>[ \t]*)*)(?:[-*+][ \t]+)?(?:#{1,6}[ \t]+)?${EMPHASIS}?[ \t]*` +
    String.raw`(interviewer|candidate|q|a)[ \t]*${EMPHASIS}?[ \t]*:` +
    String.raw`(?:[ \t]*${EMPHASIS}(?=[ \t]|$))?(.*)$`,
  'i',
);
const QUOTE_PREFIX = /^[ \t]*(?:>[ \t]?)+/;

function roleOf(label: string): Role {
  const l = label.toLowerCase();
  return l === 'interviewer' || l === 'q' ? 'interviewer' : 'candidate';
}

function countWords(text: string): number {
  let n = 0;
  for (const word of text.split(/\s+/)) if (word) n++;
  return n;
}

/** Lines to text: trailing spaces trimmed, runs of blank lines folded into one paragraph break. */
function joinLines(lines: string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed.trim() === '') {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
    } else {
      out.push(trimmed);
    }
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** Split lines into paragraphs at blank lines. */
function paragraphs(lines: string[]): string[] {
  const result: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = joinLines(current);
    if (text) result.push(text);
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') flush();
    else current.push(line);
  }
  flush();
  return result;
}

interface Draft {
  role: Role;
  lines: string[];
  quoted: boolean;
}

/**
 * Turns with elapsedMs estimated from word counts (imported text has no clock): a turn starts
 * once everything spoken before it has been said; system text takes no time.
 */
export function estimatedTurns(turns: { role: Role; text: string }[], wordsPerMinute?: number): TranscriptEvent[] {
  const wpm =
    typeof wordsPerMinute === 'number' && Number.isFinite(wordsPerMinute) && wordsPerMinute > 0 ? wordsPerMinute : DEFAULT_WORDS_PER_MINUTE;
  let wordsSoFar = 0;
  return turns.map((turn) => {
    const elapsedMs = Math.round((wordsSoFar * 60_000) / wpm);
    if (turn.role !== 'system') wordsSoFar += countWords(turn.text);
    return { type: 'turn', role: turn.role, text: turn.text, elapsedMs, phase: null };
  });
}

/** Turn plain text into a Transcript. Never throws; lines that are not text are reported and skipped. */
export function importPlainTranscript(text: string, options: PlainImportOptions = {}): Transcript {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problems: TranscriptProblem[] = [];
  const preamble: string[] = [];
  const drafts: Draft[] = [];
  let current: Draft | null = null;

  const lines = body.split('\n');
  let headerProblem: string | null = null;
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const header = first < lines.length ? PROBLEM_HEADER.exec(lines[first]!) : null;
  if (header) {
    headerProblem = header[1]!;
    lines[first] = '';
  }
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (NOT_TEXT.test(line)) {
      const n = i + 1;
      problems.push({ line: n, message: `line ${n}: not text (binary or invalid UTF-8)` });
      continue;
    }
    line = stripControls(line.replace(/\r/g, ' '));
    const label = LABEL.exec(line);
    if (label) {
      current = { role: roleOf(label[2]!), lines: [label[3]!.trimStart()], quoted: label[1] !== '' };
      drafts.push(current);
    } else if (current) {
      current.lines.push(current.quoted ? line.replace(QUOTE_PREFIX, '') : line);
    } else {
      preamble.push(line);
    }
  }

  const turns: { role: Role; text: string }[] = [];
  if (drafts.some((draft) => draft.role === 'interviewer')) {
    // An interview: text before the first label is a heading or notes, not speech.
    const intro = joinLines(preamble);
    if (intro) turns.push({ role: 'system', text: intro });
  } else {
    // No interviewer anywhere: a monologue, so text before a stray `A:`/`Candidate:` label is
    // the candidate's speech too, one turn per paragraph as if there were no labels at all.
    for (const paragraph of paragraphs(preamble)) turns.push({ role: 'candidate', text: paragraph });
  }
  for (const draft of drafts) {
    const turnText = joinLines(draft.lines);
    if (turnText) turns.push({ role: draft.role, text: turnText });
  }

  const events = estimatedTurns(turns, options.wordsPerMinute);

  const meta = importedMeta({ idSource: text, problem: options.problem ?? headerProblem, events, timing: 'estimated', source: 'plain' });

  return { file: options.file ?? null, format: 'plain', meta, events, problems, tornTail: false };
}

/** Bytes to text: UTF-8 by default; a UTF-16 byte-order mark (Windows PowerShell output) is honoured. */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)).toString('utf16le');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Read and import a plain-text transcript; rejects (TranscriptReadError) only if the file cannot be read. */
export async function readPlainTranscript(file: string, options: Omit<PlainImportOptions, 'file'> = {}): Promise<Transcript> {
  const bytes = await readTranscriptBytes(file);
  return importPlainTranscript(decodeText(bytes), { ...options, file });
}

/**
 * The meta line of a transcript imported from elsewhere (plain text, captions, chat exports):
 * an id from its content, the mode from whether an interviewer speaks, no provider or rubric.
 */
export function importedMeta(fields: {
  idSource: string;
  problem: string | null;
  events: readonly TranscriptEvent[];
  timing: SessionMeta['timing'];
  source: SessionMeta['source'];
  started?: string;
}): SessionMeta {
  return {
    type: 'meta',
    schemaVersion: TRANSCRIPT_SCHEMA_VERSION,
    id: `import-${sha256(fields.idSource).slice(0, 12)}`,
    problem: fields.problem,
    mode: fields.events.some((e) => e.type === 'turn' && e.role === 'interviewer') ? 'interview' : 'monologue',
    provider: 'import',
    model: null,
    rubric: null,
    levelTarget: null,
    started: fields.started ?? EPOCH,
    timing: fields.timing,
    source: fields.source,
  };
}
