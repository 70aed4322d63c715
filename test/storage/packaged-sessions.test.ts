// The example transcripts shipped in sessions/ are demo and test data: they must load cleanly.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTranscript } from '../../src/storage/load-transcript.js';
import { packagedDirs } from '../../src/storage/paths.js';

describe('packaged example sessions', async () => {
  const dir = packagedDirs().sessions;
  const files = (await readdir(dir)).filter((f) => /\.(jsonl|txt|md)$/.test(f));

  it('ships a saved session, a plain interview and a monologue', () => {
    expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
    expect(files.some((f) => f.endsWith('.txt'))).toBe(true);
    expect(files.some((f) => f.endsWith('.md'))).toBe(true);
  });

  it.each(files)('%s loads with no problems', async (file) => {
    const transcript = await loadTranscript(path.join(dir, file));
    expect(transcript.problems).toEqual([]);
    expect(transcript.tornTail).toBe(false);
    expect(transcript.events.filter((e) => e.type === 'turn').length).toBeGreaterThan(2);
    if (file.includes('monologue')) expect(transcript.meta.mode).toBe('monologue');
    else expect(transcript.meta.mode).toBe('interview');
  });
});
