// Where problem files are and which files are problems: shared by the listing index (which
// must stay light) and the loader (yaml and zod), so neither imports the other for it.
import path from 'node:path';
import { packagedDirs, type SdcoachPaths } from '../storage/paths.js';

export type ProblemSource = 'user' | 'packaged';

const PROBLEM_EXT = '.md';

/** The id a problem file must declare: its file name without `.md`. */
export function problemIdFromFile(file: string): string {
  return path.basename(file, path.extname(file));
}

/** Folders searched for problems, the user's first. */
export function problemDirs(paths: SdcoachPaths): { dir: string; source: ProblemSource }[] {
  return [
    { dir: paths.userProblemsDir, source: 'user' },
    { dir: packagedDirs().problems, source: 'packaged' },
  ];
}

/** The problem files among a folder's entry names (README.md and dot-files skipped), sorted. */
export function problemFileNames(names: string[]): string[] {
  return names.filter((name) => name.toLowerCase().endsWith(PROBLEM_EXT) && name.toLowerCase() !== 'readme.md' && !name.startsWith('.')).sort();
}
