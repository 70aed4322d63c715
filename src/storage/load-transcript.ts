// One entry point for "a transcript file": saved sessions (.jsonl), meeting captions (.vtt,
// .srt), chat exports (ChatGPT / Claude .json) and plain text from elsewhere (.txt, .md, anything
// else) come back as the same in-memory Transcript.
import path from 'node:path';
import type { Transcript } from '../schemas/transcript.js';
import { decodeText, importPlainTranscript, type PlainImportOptions } from './plain-transcript.js';
import { parseTranscript, readTranscriptBytes } from './transcript-store.js';
import { importCaptionTranscript, looksLikeSrt, looksLikeVtt } from './vtt-transcript.js';
import { chatExportKind, importChatExport, NOT_A_TRANSCRIPT, TranscriptFormatError } from './chat-export.js';

export { TranscriptFormatError } from './chat-export.js';

/** Used only for imported files; a saved session carries its own meta. */
export type LoadTranscriptOptions = Omit<PlainImportOptions, 'file'> & {
  /** Captions (.vtt, .srt): the candidate's speaker name, when known (else it is worked out). */
  candidate?: string | null;
  /** Chat exports holding several conversations: the one to read, by title. */
  conversation?: string | null;
};

const isMeta = (value: unknown) => typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'meta';

/**
 * JSON: a saved session under another name, a ChatGPT or Claude conversation export, or an
 * error (TranscriptFormatError) — never text to grade. Null when the file is not JSON after all
 * (only a `.json` file must be).
 */
function jsonTranscript(file: string, text: string, strict: boolean, options: LoadTranscriptOptions): Transcript | null {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    // A session's JSONL saved as .json: its first line is the meta.
    const firstLine = body.split('\n').find((line) => line.trim() !== '') ?? '';
    try {
      if (isMeta(JSON.parse(firstLine))) return parseTranscript(body, file);
    } catch {
      // not JSONL either
    }
    if (!strict) return null;
    throw new TranscriptFormatError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null) {
    if (!strict) return null;
    throw new TranscriptFormatError(NOT_A_TRANSCRIPT);
  }
  if (isMeta(data)) return parseTranscript(body, file);
  if (chatExportKind(data)) {
    return importChatExport(data, body, { file, problem: options.problem ?? null, conversation: options.conversation, wordsPerMinute: options.wordsPerMinute });
  }
  throw new TranscriptFormatError(NOT_A_TRANSCRIPT);
}

/**
 * A transcript from a file's bytes, by extension and content: `.jsonl` (any case) is a saved
 * session; `.vtt` / `.srt`, a WEBVTT header or a SubRip first cue are meeting captions (vtt-transcript.ts); `.json`, or
 * text that parses as a JSON object or array, is a ChatGPT / Claude conversation export
 * (chat-export.ts) or a saved session; everything else is imported as plain text (UTF-8, or
 * UTF-16 with a byte-order mark). JSON that is none of these throws a TranscriptFormatError, so
 * a batch reports the file instead of grading JSON as speech.
 * For callers that already hold the bytes (the grader hashes them for its cache).
 */
export function transcriptFromBytes(file: string, bytes: Buffer, options: LoadTranscriptOptions = {}): Transcript {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl') return parseTranscript(bytes.toString('utf8'), file);
  const text = decodeText(bytes);
  const { candidate, conversation: _conversation, ...plain } = options;
  if (ext === '.vtt' || ext === '.srt' || looksLikeVtt(text) || looksLikeSrt(text)) {
    const source = ext === '.srt' || (ext !== '.vtt' && !looksLikeVtt(text)) ? 'srt' : 'vtt';
    return importCaptionTranscript(text, { file, problem: options.problem ?? null, candidate, source });
  }
  if (ext === '.json' || /^\uFEFF?\s*[[{]/.test(text)) {
    const json = jsonTranscript(file, text, ext === '.json', options);
    if (json) return json;
  }
  return importPlainTranscript(text, { ...plain, file });
}

/**
 * Load a transcript file. A missing or unreadable file rejects with a TranscriptReadError
 * naming the file; JSON that is not a transcript (or an export of several conversations) with a
 * TranscriptFormatError; other content problems never reject (see `problems`).
 */
export async function loadTranscript(file: string, options: LoadTranscriptOptions = {}): Promise<Transcript> {
  return transcriptFromBytes(file, await readTranscriptBytes(file), options);
}
