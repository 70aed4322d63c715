// One entry point for "a transcript file": saved sessions (.jsonl) and plain text from
// elsewhere (.txt, .md, anything else) come back as the same in-memory Transcript.
import path from 'node:path';
import type { Transcript } from '../schemas/transcript.js';
import { decodeText, importPlainTranscript, type PlainImportOptions } from './plain-transcript.js';
import { parseTranscript, readTranscriptBytes } from './transcript-store.js';

/** Used only for plain-text files; a saved session carries its own meta. */
export type LoadTranscriptOptions = Omit<PlainImportOptions, 'file'>;

/**
 * A transcript from a file's bytes, by extension: `.jsonl` (any case) is a saved session,
 * everything else is imported as plain text (UTF-8, or UTF-16 with a byte-order mark).
 * For callers that already hold the bytes (the grader hashes them for its cache).
 */
export function transcriptFromBytes(file: string, bytes: Buffer, options: LoadTranscriptOptions = {}): Transcript {
  if (path.extname(file).toLowerCase() === '.jsonl') return parseTranscript(bytes.toString('utf8'), file);
  return importPlainTranscript(decodeText(bytes), { ...options, file });
}

/**
 * Load a transcript file. A missing or unreadable file rejects with a TranscriptReadError
 * naming the file; content problems never reject (see `problems`).
 */
export async function loadTranscript(file: string, options: LoadTranscriptOptions = {}): Promise<Transcript> {
  return transcriptFromBytes(file, await readTranscriptBytes(file), options);
}
