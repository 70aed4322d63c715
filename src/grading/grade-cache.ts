// Grades already computed, keyed by what determines them: the transcript's bytes, the rubric
// and its version, the grader, the model and the problem. A rerun of a batch skips them.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GradeReport } from '../schemas/report.js';
import { DIR_MODE, FILE_MODE } from '../storage/paths.js';

export interface CacheKeyParts {
  transcriptSha256: string;
  rubric: string;
  rubricVersion: string;
  grader: string;
  model: string | null;
  problem: string | null;
  samples: number;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function cacheKey(parts: CacheKeyParts): string {
  return sha256(JSON.stringify(['grade-v1', ...Object.values(parts)]));
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

  async set(key: string, report: GradeReport): Promise<void> {
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
    // Write then rename: a crash never leaves a half-written entry behind.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(report), { mode: FILE_MODE });
    await rename(temp, file);
  }
}
