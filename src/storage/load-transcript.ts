// One entry point for "a transcript file": saved sessions (.jsonl) and plain text from
// elsewhere (.txt, .md, anything else) come back as the same in-memory Transcript.
import path from 'node:path';
import type { Transcript } from '../schemas/transcript.js';
import { readPlainTranscript, type PlainImportOptions } from './plain-transcript.js';
import { readTranscript } from './transcript-store.js';

/** Used only for plain-text files; a saved session carries its own meta. */
export type LoadTranscriptOptions = Omit<PlainImportOptions, 'file'>;

/**
 * Load a transcript by extension: `.jsonl` (any case) is a saved session, everything
 * else is imported as plain text. A missing or unreadable file rejects with a
 * TranscriptReadError naming the file; content problems never reject (see `problems`).
 */
export function loadTranscript(file: string, options: LoadTranscriptOptions = {}): Promise<Transcript> {
  if (path.extname(file).toLowerCase() === '.jsonl') return readTranscript(file);
  return readPlainTranscript(file, options);
}
