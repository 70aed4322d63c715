// The problem bank: prompts/problems/<id>.md files (YAML front-matter + the statement as the
// markdown body). A coach's own problems ($SDCOACH_HOME/problems) come first, so a user file
// with a packaged id replaces the packaged one. Errors name file:line:column, with lines
// counted in the whole markdown file (the front-matter starts on line 2, after `---`).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Problem, type LoadedProblem } from '../schemas/problem.js';
import { resolvePaths, type SdcoachPaths } from '../storage/paths.js';
import { problemDirs, problemFileNames, problemIdFromFile, type ProblemSource } from './problem-files.js';
import { formatYamlError, parseYamlDocument, splitFrontMatter, type YamlError } from '../storage/yaml-file.js';
import { SdcoachError } from '../errors.js';

/** One thing wrong with a problem file, at a 1-based line and column of the whole file. */
export type ProblemFileError = YamlError;

// File naming and the folders live with the listing index (light: `sdcoach problems` lists
// through it without loading this module).
export { problemDirs, problemIdFromFile, type ProblemSource };

export type ProblemValidation =
  | { ok: true; problem: LoadedProblem }
  | { ok: false; errors: ProblemFileError[] };

/** An entry of `listProblems`: a usable problem, or a broken file with its errors. */
export type ProblemListing =
  | { id: string; file: string; source: ProblemSource; ok: true; problem: LoadedProblem }
  | { id: string; file: string; source: ProblemSource; ok: false; errors: ProblemFileError[] };

/** A problem file exists but is not valid; `errors` are positioned, `message` is their formatted lines. */
export class ProblemLoadError extends SdcoachError {
  readonly errors: ProblemFileError[];
  constructor(errors: ProblemFileError[]) {
    super(errors.map(formatProblemError).join('\n'), 2);
    this.name = 'ProblemLoadError';
    this.errors = errors;
  }
}

/** No problem with that id (or no such file). `available` lists the ids that do exist. */
export class ProblemNotFoundError extends SdcoachError {
  readonly id: string;
  readonly available: string[];
  constructor(id: string, available: string[], file?: string) {
    const where = file ? `no problem file at ${file}` : `unknown problem "${id}"`;
    const hint = available.length > 0 ? ` (available: ${available.join(', ')})` : '';
    super(`${where}${hint}`, 2);
    this.name = 'ProblemNotFoundError';
    this.id = id;
    this.available = available;
  }
}

/** `file:line:column: message`. */
export function formatProblemError(error: ProblemFileError): string {
  return formatYamlError(error);
}

const PROBLEM_EXT = '.md';

/** 1-based line and column of `key:` at the top level of the front-matter, as whole-file positions. */
function keyPosition(frontMatter: string, frontMatterLine: number, key: string): { line: number; column: number } {
  const lines = frontMatter.split('\n');
  const pattern = new RegExp(`^(${key}\\s*:\\s*)\\S`);
  for (let i = 0; i < lines.length; i++) {
    const match = pattern.exec(lines[i]!);
    if (match) return { line: frontMatterLine + i, column: match[1]!.length + 1 };
  }
  return { line: frontMatterLine, column: 1 };
}

/** Validate problem text as if read from `file`. Never throws. */
export function validateProblemText(text: string, file: string): ProblemValidation {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const split = splitFrontMatter(source);
  if (split.frontMatter === null) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: 'expected YAML front-matter: a first line `---`, the problem fields, then `---`' }],
    };
  }
  const { frontMatter, body, frontMatterLine } = split;
  const parsed = parseYamlDocument(frontMatter, file, Problem, { lineOffset: frontMatterLine - 1 });
  if (!parsed.ok) return { ok: false, errors: parsed.errors };

  const errors: ProblemFileError[] = [];
  const problem = parsed.value;
  const expectedId = problemIdFromFile(file);
  if (problem.id !== expectedId) {
    const at = keyPosition(frontMatter, frontMatterLine, 'id');
    errors.push({
      file,
      ...at,
      message: `id "${problem.id}" does not match the file name: a problem with id "${problem.id}" belongs in ${problem.id}${PROBLEM_EXT} (or set id: ${expectedId})`,
    });
  }
  const statement = body.trim();
  if (statement === '') {
    const line = frontMatterLine + frontMatter.split('\n').length;
    errors.push({ file, line, column: 1, message: 'the problem statement (the markdown after the front-matter) is empty' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, problem: { ...problem, statement, file } };
}

/** Read a problem file; `missing` when there is no file at all (the caller decides if that is an error). */
async function readProblemFile(file: string): Promise<ProblemValidation | { ok: 'missing' }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a path component is a file (an unusable SDCOACH_HOME): nothing there either.
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: 'missing' };
    return { ok: false, errors: [{ file, line: 1, column: 1, message: `cannot read the file (${code ?? String(error)})` }] };
  }
  return validateProblemText(text, file);
}

/** Read and validate one problem file. Never throws: a missing or unreadable file is an error at 1:1. */
export async function validateProblemFile(file: string): Promise<ProblemValidation> {
  const result = await readProblemFile(file);
  if (result.ok === 'missing') return { ok: false, errors: [{ file, line: 1, column: 1, message: 'no such file' }] };
  return result;
}

/** `.md` problem files of a folder (README.md and dot-files skipped), sorted; a missing folder has none. */
export async function problemFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  return problemFileNames(names).map((name) => path.join(dir, name));
}

/**
 * Every problem, the user's first; a user problem hides the packaged one with the same id.
 * Broken files are listed with their errors, never thrown, so one bad file hides nothing else.
 */
export async function listProblems(paths: SdcoachPaths = resolvePaths()): Promise<ProblemListing[]> {
  const seen = new Set<string>();
  const listing: ProblemListing[] = [];
  for (const { dir, source } of problemDirs(paths)) {
    for (const file of await problemFiles(dir)) {
      const id = problemIdFromFile(file);
      if (seen.has(id)) continue;
      seen.add(id);
      const result = await validateProblemFile(file);
      listing.push(result.ok ? { id, file, source, ok: true, problem: result.problem } : { id, file, source, ok: false, errors: result.errors });
    }
  }
  return listing.sort((a, b) => a.id.localeCompare(b.id));
}

/** Ids of every problem file, broken ones included (for "did you mean" lists). */
async function availableIds(paths: SdcoachPaths): Promise<string[]> {
  return (await listProblems(paths)).map((entry) => entry.id);
}

const PROBLEM_ID = /^[a-z0-9][a-z0-9-]*$/;

/** A path (has a separator or ends in .md) rather than an id. */
function looksLikePath(idOrPath: string): boolean {
  return idOrPath.includes('/') || idOrPath.includes(path.sep) || idOrPath.toLowerCase().endsWith(PROBLEM_EXT);
}

/**
 * Load a problem by id (user problems first, then packaged) or by path to a `.md` file.
 * Rejects with ProblemNotFoundError when there is no such problem and with ProblemLoadError
 * (positioned errors) when the file is invalid.
 */
export async function loadProblem(idOrPath: string, paths: SdcoachPaths = resolvePaths()): Promise<LoadedProblem> {
  if (looksLikePath(idOrPath)) {
    const file = path.resolve(idOrPath);
    const result = await readProblemFile(file);
    if (result.ok === 'missing') throw new ProblemNotFoundError(idOrPath, [], file);
    if (result.ok) return result.problem;
    throw new ProblemLoadError(result.errors);
  }
  if (!PROBLEM_ID.test(idOrPath)) throw new ProblemNotFoundError(idOrPath, await availableIds(paths));
  for (const { dir } of problemDirs(paths)) {
    const result = await readProblemFile(path.join(dir, `${idOrPath}${PROBLEM_EXT}`));
    if (result.ok === 'missing') continue;
    if (result.ok) return result.problem;
    throw new ProblemLoadError(result.errors);
  }
  throw new ProblemNotFoundError(idOrPath, await availableIds(paths));
}

/**
 * A memoised lookup for graders: each id is loaded once; an id the bank lacks gives null (the
 * transcript is graded without reference estimates), a broken problem file still throws.
 */
export function problemFinder(paths: SdcoachPaths = resolvePaths()): (id: string) => Promise<LoadedProblem | null> {
  const problems = new Map<string, Promise<LoadedProblem | null>>();
  return (id) => {
    let found = problems.get(id);
    if (!found) {
      found = loadProblem(id, paths).catch((error: unknown) => {
        if (error instanceof ProblemNotFoundError) return null;
        throw error;
      });
      problems.set(id, found);
    }
    return found;
  };
}
