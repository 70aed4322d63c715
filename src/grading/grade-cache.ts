// Grades already computed, keyed by what determines them: the transcript's bytes, the rubric
// and its version, the grader, the model and the problem. A rerun of a batch skips them.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GradeReport } from '../schemas/report.js';
import { sha256 } from '../storage/hash.js';
import { DIR_MODE, FILE_MODE } from '../storage/paths.js';

/** Everything a grade depends on. Contents are hashed, not names: editing a rubric regrades. */
export interface CacheKeyParts {
  transcriptSha256: string;
  /** jsonl (saved session) or plain: the same bytes parse differently. */
  format: string;
  rubricSha256: string;
  problemSha256: string | null;
  grader: string;
  /** The model and where it runs (the provider label names the host). */
  model: string | null;
  provider: string | null;
  samples: number;
  /** sdcoach's version: a new grader may grade differently. */
  version: string;
}

export function cacheKey(parts: CacheKeyParts): string {
  return sha256(JSON.stringify(['grade-v2', parts]));
}

export class GradeCache {
  constructor(private readonly dir: string) {}

  private fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** A cached report, or null (missing, or written by an older schema: then it is simply regraded). */
  async get(key: string): Promise<GradeReport | null> {
    let text: string;
    try {
      text = await readFile(this.fileFor(key), 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = GradeReport.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Best effort: a cache that cannot be written never fails a grade. */
  async set(key: string, report: GradeReport): Promise<void> {
    const file = this.fileFor(key);
    // Write then rename: a crash never leaves a half-written entry, and a unique temp name
    // lets two workers store the same key (duplicate files in one batch) without colliding.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
      await writeFile(temp, JSON.stringify(report), { mode: FILE_MODE });
      await rename(temp, file);
    } catch {
      await unlink(temp).catch(() => {});
    }
  }
}
