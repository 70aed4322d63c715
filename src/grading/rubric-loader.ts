// Rubric files: found by name (the coach's folder first, then the packaged rubrics/) or by path,
// parsed strictly, with every error as file:line:column. Listing never throws: a broken file is
// listed with its first error, so one typo does not hide the other rubrics.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Rubric } from '../schemas/rubric.js';
import { packagedDirs, type SdcoachPaths } from '../storage/paths.js';
import { formatYamlError, parseYamlDocument, type YamlError, type YamlParseResult } from '../storage/yaml-file.js';

/** Where a rubric came from: the coach's folder, the package, or a path given explicitly. */
export type RubricSource = 'user' | 'packaged' | 'file';

/** A valid rubric and the file it was read from. Usable anywhere a `Rubric` is. */
export interface LoadedRubric extends Rubric {
  file: string;
  source: RubricSource;
}

/** Folders searched for rubrics by name. `packagedRubricsDir` defaults to the package's `rubrics/`. */
export type RubricDirs = Pick<SdcoachPaths, 'userRubricsDir'> & { packagedRubricsDir?: string };

/** An entry of `listRubrics`: a usable rubric's summary, or a broken file with its errors. */
export type RubricListing = {
  /** What `--rubric` takes: the file name without `.yaml`. */
  name: string;
  file: string;
  source: 'user' | 'packaged';
  /** A user rubric with the same name is used instead of this one. */
  shadowed: boolean;
} & (
  | { ok: true; title: string; version: string; description: string; dimensions: number }
  | { ok: false; error: string; errors: YamlError[] }
);

/** A rubric could not be found or is invalid; `errors` holds positioned problems (empty when not found). */
export class RubricError extends Error {
  readonly errors: YamlError[];
  constructor(message: string, errors: YamlError[] = []) {
    super(message);
    this.name = 'RubricError';
    this.errors = errors;
  }
}

const EXTENSIONS = ['.yaml', '.yml'];

/** Read and validate one rubric file. Never throws: an unreadable file is an error at 1:1. */
export async function readRubricFile(file: string): Promise<YamlParseResult<Rubric>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ file, line: 1, column: 1, message: readErrorMessage(error) }] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseYamlDocument(text, file, Rubric);
}

/** Every problem in a rubric file, in file order; empty when it is valid. */
export async function validateRubricFile(file: string): Promise<YamlError[]> {
  const result = await readRubricFile(file);
  return result.ok ? [] : result.errors;
}

function readErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'this is a folder, not a rubric file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file (permission denied)';
  return `cannot read the file (${code ?? String(error)})`;
}

function looksLikePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || EXTENSIONS.includes(path.extname(nameOrPath).toLowerCase());
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function searchDirs(dirs: RubricDirs): { dir: string; source: 'user' | 'packaged' }[] {
  return [
    { dir: dirs.userRubricsDir, source: 'user' },
    { dir: dirs.packagedRubricsDir ?? packagedDirs().rubrics, source: 'packaged' },
  ];
}

function invalid(file: string, errors: YamlError[]): RubricError {
  const shown = errors.slice(0, 20).map(formatYamlError);
  if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more (sdcoach rubric validate ${file})`);
  return new RubricError(`invalid rubric ${file}:\n${shown.map((line) => `  ${line}`).join('\n')}`, errors);
}

async function loadFile(file: string, source: RubricSource): Promise<LoadedRubric> {
  const result = await readRubricFile(file);
  if (!result.ok) throw invalid(file, result.errors);
  return { ...result.value, file, source };
}

/**
 * A rubric by path (an existing file, or anything with a `/` or a .yaml/.yml extension) or by
 * name: `<name>.yaml` (or .yml) in the user's rubrics folder, then in the packaged `rubrics/`,
 * then any valid rubric whose `name:` field is `name`. Throws RubricError when it is not found
 * (with the names available) or not valid (with every positioned error).
 */
export async function loadRubric(nameOrPath: string, dirs: RubricDirs): Promise<LoadedRubric> {
  const wanted = nameOrPath.trim();
  if (wanted === '') throw new RubricError('no rubric given (use a name such as "default", or a YAML file)');
  if (await isFile(wanted)) return loadFile(wanted, 'file');
  if (looksLikePath(wanted)) {
    const error = await stat(wanted).then(
      () => 'is not a file',
      () => 'does not exist',
    );
    throw new RubricError(`rubric file ${wanted} ${error}`);
  }

  for (const { dir, source } of searchDirs(dirs)) {
    for (const ext of EXTENSIONS) {
      const file = path.join(dir, wanted + ext);
      if (await isFile(file)) return loadFile(file, source);
    }
  }

  const listed = await listRubrics(dirs);
  const byDeclaredName = listed.find((entry) => entry.ok && !entry.shadowed && entry.title === wanted);
  if (byDeclaredName) return loadFile(byDeclaredName.file, byDeclaredName.source);

  const available = [...new Set(listed.map((entry) => entry.name))];
  throw new RubricError(
    `no rubric named "${wanted}" in ${dirs.userRubricsDir} or the packaged rubrics` +
      (available.length > 0 ? ` (available: ${available.join(', ')})` : ''),
  );
}

async function rubricFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => EXTENSIONS.includes(path.extname(name).toLowerCase()) && !name.startsWith('.'))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Every rubric in the user's folder and the package, user first, each sorted by name. Never
 * throws: a broken file is listed with `ok: false` and its errors.
 */
export async function listRubrics(dirs: RubricDirs): Promise<RubricListing[]> {
  const out: RubricListing[] = [];
  const userNames = new Set<string>();
  for (const { dir, source } of searchDirs(dirs)) {
    const files = await rubricFiles(dir);
    const entries = await Promise.all(
      files.map(async (file): Promise<RubricListing> => {
        const name = path.basename(file, path.extname(file));
        const shadowed = source === 'packaged' && userNames.has(name);
        const result = await readRubricFile(file);
        if (!result.ok) {
          return { name, file, source, shadowed, ok: false, error: formatYamlError(result.errors[0]!), errors: result.errors };
        }
        const rubric = result.value;
        return {
          name,
          file,
          source,
          shadowed,
          ok: true,
          title: rubric.name,
          version: rubric.version,
          description: rubric.description,
          dimensions: rubric.dimensions.length,
        };
      }),
    );
    for (const entry of entries) {
      // foo.yaml and foo.yml in one folder: the first (sorted) wins, the other is shadowed.
      if (source === 'user') {
        if (userNames.has(entry.name)) entry.shadowed = true;
        userNames.add(entry.name);
      }
      out.push(entry);
    }
  }
  return out;
}

/**
 * A commented starter rubric for `sdcoach rubric init`: three dimensions and three level rules
 * that validate as written, with every field explained where it appears.
 */
export function starterRubric(name: string): string {
  const quotedName = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/.test(name) ? name : JSON.stringify(name);
  return `# A starter rubric for sdcoach. Edit it, then check it:
#
#   sdcoach rubric validate ${name}.yaml
#
# and grade with it by path (sdcoach grade ... --rubric ./${name}.yaml), or copy it to your
# rubrics folder ($SDCOACH_HOME/rubrics/) to use it by name (--rubric ${name}).
# Every key below is checked: a misspelt key is an error, never silently ignored.
# rubrics/default.yaml in the sdcoach package is a full example with twelve dimensions
# (\`sdcoach rubric show default\` prints it).

# How reports and --rubric refer to this rubric: keep it equal to the file name.
name: ${quotedName}
# Bump when you change anything that moves scores; reports record the version they used.
version: 1
# One or two sentences shown by \`sdcoach rubric list\`.
description: My rubric for system design practice.
# Always 1 to 5: scores, thresholds and minimums all use this scale.
scale: { min: 1, max: 5 }

# What is scored. Add, remove or reweight dimensions freely.
dimensions:
  # id: lower_snake_case and stable: reports, CSV columns and progress charts use it. Reuse the
  #   default rubric's ids (requirements, estimation, architecture, deep_dive, tradeoffs,
  #   scalability, reliability, observability, security, clarity, time_management, composure)
  #   to keep scores comparable with it.
  - id: architecture
    # Shown in reports.
    name: High-level architecture
    # Relative importance in the overall score (a weighted mean); only ratios matter.
    weight: 1.5
    # How the offline evidence grader scores it: concepts = coverage of the signals below.
    # Other analyzers: estimation, time_management, tradeoffs, composure, clarity. Leave it out
    # to choose by id (an id that is an analyzer name uses that analyzer, others use concepts).
    analyzer: concepts
    # Sessions it applies to: interview, monologue, or both.
    modes: [interview, monologue]
    description: >-
      A coherent end-to-end design: components and their roles, APIs, data model, storage
      choice, and how a request flows through the system.
    # Concept groups the evidence grader looks for; touching more groups scores higher.
    # Patterns are case-insensitive words or phrases; a trailing * matches a prefix
    # (shard* matches shards and sharding). Quote a pattern that is only a number ("99.9").
    signals:
      - name: components
        patterns: [load balancer*, service*, worker*, cache, message queue*, cdn]
      - name: data model and storage
        patterns: [data model, schema, table*, primary key, database*, postgres*, nosql]
      - name: request flow
        patterns: [request flow, write path, read path, the client sends, end to end]
    # What each score looks like: observable behaviour, so coaches and the LLM judge agree.
    anchors:
      1: No coherent design; components named without roles.
      2: A few boxes with unclear responsibilities; the request flow cannot be followed.
      3: A workable design with roles, a storage choice and followable read and write paths.
      4: A clean design meeting the requirements; storage chosen for a stated reason.
      5: Minimal and elegant; access patterns drive the data model; evolution sketched.
    # Extra instructions for the LLM judge: what counts, what to quote.
    judge_guidance: >-
      Could the design be drawn from the transcript alone? Naming a technology is not a
      reason. Quote the flow and the storage choice.

  - id: tradeoffs
    name: Tradeoffs
    weight: 1.5
    # No analyzer line: "tradeoffs" is an analyzer name, so it is used.
    modes: [interview, monologue]
    description: Names alternatives and what each choice costs, up front.
    signals:
      - name: naming the cost
        patterns: [tradeoff*, trade-off*, the downside, drawback*, at the cost of, we give up]
      - name: alternatives
        patterns: [alternatively, instead of, versus, compared to, on the other hand]
    anchors:
      1: One approach presented as the only one.
      2: Alternatives or costs only when pushed.
      3: Main decisions name an alternative and a concrete cost.
      4: Tradeoffs stated up front and tied to the requirements.
      5: Every major decision weighed, with costs quantified where possible.
    judge_guidance: >-
      Only tradeoffs named before any challenge earn 4 or 5. Quote the choice and its cost.

  - id: composure
    name: Composure under pushback
    weight: 0.75
    # Interviews only: in a monologue nobody pushes back, so it is skipped there (and never
    # blocks a level).
    modes: [interview]
    description: Defends sound choices with reasons and revises weak ones openly.
    anchors:
      1: Gives in or gets defensive at the first challenge.
      2: Mostly gives in, with thin reasons.
      3: Engages with most challenges with some reasoning.
      4: Defends with evidence and revises openly, stating the new tradeoff.
      5: Uses pushback to improve the design and stays collaborative.
    judge_guidance: >-
      Label each response to a challenge: defended, revised with reasons, or capitulated.

# Level rules, lowest threshold first. A candidate gets the highest level whose min_overall
# and every minimum are met; the report says "tracking toward" the next level when every gap
# to it is small. Levels are L3 to L7; list only those you want to distinguish.
levels:
  - level: L4
    # The weighted overall score needed.
    min_overall: 2.5
    # Per-dimension floors: a strong overall cannot hide a weak dimension this level needs.
    minimums: { architecture: 2.5 }
    # One line shown in reports.
    summary: A complete, workable design with some prompting.
  - level: L5
    min_overall: 3.2
    minimums: { architecture: 3.5, tradeoffs: 3 }
    summary: Drives the design independently and explains the main tradeoffs.
  - level: L6
    min_overall: 3.8
    minimums: { architecture: 4, tradeoffs: 3.5, composure: 3.5 }
    summary: States tradeoffs up front and holds a sound design under challenge.
`;
}
