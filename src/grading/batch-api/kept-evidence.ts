// The evidence analyses a Batch API submission keeps for its collection: one gzipped JSONL file
// per batch (`<batch id>/evidence.jsonl.gz` in its results folder), a line per request. Written
// by submit.ts from request-file.ts's lines, read back by collect.ts and collect-file.ts; the
// line's format lives only here.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import type { SdcoachPaths } from '../../storage/paths.js';
import type { Analysis } from '../types.js';
import { resultsDir } from './manifest.js';

export const EVIDENCE_FILE = 'evidence.jsonl.gz';

/** A kept line as read: the request's cache key (the analysis holds while it matches) and the line, parsed only when used. */
export interface KeptLine {
  key: string;
  line: string;
}

/** One line, ending in a newline: customId and key first, so a reader finds both without parsing the analysis. */
export function keptEvidenceLine(customId: string, key: string, analysis: Analysis): string {
  return JSON.stringify({ customId, key, analysis }) + '\n';
}

/** The analysis on a kept line, if the line is whole. */
export function keptAnalysis(line: string): Analysis | null {
  try {
    return (JSON.parse(line) as { analysis: Analysis }).analysis;
  } catch {
    return null;
  }
}

/**
 * A batch's kept lines by custom id, read line by line from the gzip stream (never the whole
 * file as one string: 140 MB at 10,000 files). Each stays text until its file is collected; a
 * missing file or a torn line only means those transcripts are graded again.
 */
export async function readKeptEvidence(paths: Pick<SdcoachPaths, 'batchesDir'>, batchId: string): Promise<Map<string, KeptLine>> {
  const kept = new Map<string, KeptLine>();
  const head = /^\{"customId":"([^"\\]*)","key":"([0-9a-f]+)","analysis":\{/;
  const input = createReadStream(path.join(resultsDir(paths, batchId), EVIDENCE_FILE));
  const text = createGunzip();
  input.on('error', (error) => text.destroy(error));
  input.pipe(text).setEncoding('utf8');
  const add = (line: string) => {
    const match = head.exec(line);
    if (match) kept.set(match[1]!, { key: match[2]!, line });
  };
  let rest = '';
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      lines.forEach(add);
    }
    add(rest);
  } catch {
    // missing, or cut short: what was read is kept; the rest is graded again
  } finally {
    input.destroy();
  }
  return kept;
}
