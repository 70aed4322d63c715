// Grades already computed, keyed by what determines them: the transcript's bytes, the rubric's
// and the problem's content, the grader, the model, and the grader's own code. A rerun of a
// batch skips them; a changed grader (even one built without a version bump) regrades.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** sdcoach's version (the grader's code is keyed separately, see graderCodeHash). */
  version: string;
}

/**
 * The key for a grade. `code` defaults to the hash of the running grader's code, so a grade
 * cached by one build is never served by another that could grade differently.
 */
export function cacheKey(parts: CacheKeyParts, code: string = graderCodeHash()): string {
  return sha256(JSON.stringify(['grade-v3', code, parts]));
}

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx']);

/**
 * SHA-256 over every code file under `root` (relative path and bytes, in sorted order; source
 * maps, type declarations, node_modules and dot folders left out).
 */
export function codeTreeHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(full, name);
      else if (entry.isFile() && CODE_EXTENSIONS.has(path.extname(entry.name)) && !/\.d\.[cm]?ts$/.test(entry.name)) {
        const bytes = readFileSync(full);
        hash.update(`${name}\0${bytes.length}\0`);
        hash.update(bytes);
      }
    }
  };
  walk(root, '');
  return hash.digest('hex');
}

/**
 * The folder holding sdcoach's compiled code: the parent of grading/ (dist/, or src/ when run
 * from source), or this module's own folder when the code is bundled into one place. Everything
 * a grade depends on (grading, reading, transcript loading, schemas) lives under it.
 */
function codeRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(here) === 'grading' ? path.dirname(here) : here;
}

let graderCode: string | null = null;

/** The hash of the running grader's code: computed once, on the first cache lookup. */
export function graderCodeHash(): string {
  graderCode ??= codeTreeHash(codeRoot());
  return graderCode;
}

export class GradeCache {
  /** Shard folders already made by this instance (a batch stores thousands of grades into 256 of them). */
  private readonly made = new Set<string>();

  /**
   * `sync`: read and write with synchronous calls (a --jobs worker, which has nothing else to
   * do while it waits, and where each async call is several thread-pool round trips).
   */
  constructor(
    readonly folder: string,
    private readonly options: { sync?: boolean } = {},
  ) {}

  private fileFor(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.json`);
  }

  /** A cached report, or null (missing, or written by an older schema: then it is simply regraded). */
  async get(key: string): Promise<GradeReport | null> {
    let text: string;
    try {
      text = this.options.sync ? readFileSync(this.fileFor(key), 'utf8') : await readFile(this.fileFor(key), 'utf8');
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
    const dir = path.dirname(file);
    // The shard folder is made once per instance.
    const store = async (text: string) => {
      if (this.options.sync) {
        if (!this.made.has(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
        writeFileSync(temp, text, { mode: FILE_MODE });
        renameSync(temp, file);
      } else {
        if (!this.made.has(dir)) await mkdir(dir, { recursive: true, mode: DIR_MODE });
        await writeFile(temp, text, { mode: FILE_MODE });
        await rename(temp, file);
      }
      this.made.add(dir);
    };
    try {
      const text = JSON.stringify(report);
      try {
        await store(text);
      } catch (error) {
        // The folder went away meanwhile (the cache was cleared during the run): made again, once.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !this.made.delete(dir)) throw error;
        await store(text);
      }
    } catch {
      await unlink(temp).catch(() => {});
    }
  }
}
