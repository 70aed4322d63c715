// The work behind `sdcoach problems show` and `validate`: they import the loader (zod, yaml) when
// they run. The list (the default subcommand, which must start as fast as --help) is in
// ./list.ts and reads the listing index instead. Each run* function prints and returns
// the exit code.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { ProblemCounts } from '../../content/problem-index.js';
import { packagedDirs, resolvePaths, type SdcoachPaths } from '../../storage/paths.js';
import { styler, type Styler } from '../../term/colour.js';
import { wrap } from '../../term/wrap.js';
import { useColour } from '../../config/colour.js';

// The list lives in ./list.ts (light enough to bundle); re-exported for ./index.ts.
export { problemRowsFromLoader, problemRowsJson, renderProblemListOutput, renderProblemRows, runProblemsList } from './list.js';

/** The problem loader (zod, yaml): for show and validate, never for the list. */
function loader() {
  return import('../../content/problem-loader.js');
}

function out(text: string): void {
  process.stdout.write(text);
}

function err(text: string): void {
  process.stderr.write(text);
}

/** How much of each section a problem file has (what `list --json` and `validate` report). */
export function problemCounts(problem: LoadedProblem): ProblemCounts {
  return {
    facts: problem.facts.length,
    reference_estimates: problem.reference_estimates.length,
    components: problem.components.length,
    deep_dives: problem.deep_dives.length,
    pushbacks: problem.pushbacks.length,
    levels: Object.keys(problem.levels),
  };
}

function countsLine(problem: LoadedProblem): string {
  const c = problemCounts(problem);
  return (
    `${c.facts} facts, ${c.reference_estimates} estimates, ${c.components} components, ` +
    `${c.deep_dives} deep dives, ${c.pushbacks} pushbacks` +
    (c.levels.length > 0 ? `, levels ${c.levels.join('/')}` : '')
  );
}

function sourceOf(file: string, paths: SdcoachPaths): 'user' | 'packaged' | 'file' {
  const dir = path.dirname(path.resolve(file));
  if (dir === path.resolve(paths.userProblemsDir)) return 'user';
  if (dir === path.resolve(packagedDirs().problems)) return 'packaged';
  return 'file';
}

/** `sdcoach problems show`: the summary and statement; `full` adds everything a coach edits. */
export function renderProblem(problem: LoadedProblem, source: string, style: Styler, full: boolean): string {
  const width = 96;
  const lines: string[] = [
    style.bold(problem.title) + style.dim(`  ${problem.id} · ${problem.difficulty} · ${source}`),
    style.dim(`file: ${problem.file}`),
  ];
  if (problem.tags.length > 0) lines.push(style.dim(`tags: ${problem.tags.join(', ')}`));
  lines.push(style.dim(`covers: ${countsLine(problem)}`), '', problem.statement);
  if (!full) {
    lines.push('', style.dim('The fact sheet and pushbacks stay hidden so practice is fair; --full shows them.'));
    return lines.join('\n') + '\n';
  }
  const section = (title: string) => lines.push('', style.bold(title));
  section(`Fact sheet (${problem.facts.length}) — revealed only when asked`);
  for (const fact of problem.facts) {
    lines.push(`${style.cyan(fact.topic)} ${style.dim(`(asked with: ${fact.ask.join(', ')})`)}`);
    lines.push(wrap(fact.answer, width, '  '));
  }
  section(`Reference estimates (${problem.reference_estimates.length})`);
  for (const e of problem.reference_estimates) {
    lines.push(`${style.cyan(e.id)} — ${e.label}: ${e.value.toLocaleString('en-US')} ${e.unit}`);
    lines.push(wrap(e.arithmetic, width, '  '));
  }
  section(`Expected components (${problem.components.length})`);
  for (const c of problem.components) {
    lines.push(wrap(c.synonyms.length > 0 ? `${c.name} ${style.dim(`(${c.synonyms.join(', ')})`)}` : c.name, width, '- ', '  '));
  }
  section(`Deep dives (${problem.deep_dives.length})`);
  for (const d of problem.deep_dives) {
    lines.push(style.cyan(d.topic), wrap(d.prompt, width, '  '));
  }
  section(`Pushbacks (${problem.pushbacks.length})`);
  for (const p of problem.pushbacks) {
    lines.push(`${style.cyan(p.trigger.join(', '))}`, wrap(p.question, width, '  Q: ', '     '), wrap(p.expected, width, '  good answer: ', '     '));
  }
  section('Level expectations');
  for (const [level, text] of Object.entries(problem.levels)) lines.push(wrap(text, width, `${style.bold(level)}  `, '    '));
  return lines.join('\n') + '\n';
}

export async function runProblemsShow(
  idOrFile: string,
  options: { json: boolean; full: boolean },
  paths: SdcoachPaths = resolvePaths(),
): Promise<number> {
  const { formatProblemError, loadProblem, ProblemLoadError, ProblemNotFoundError } = await loader();
  let problem: LoadedProblem;
  try {
    problem = await loadProblem(idOrFile, paths);
  } catch (error) {
    if (error instanceof ProblemNotFoundError) throw error.under('problems show');
    if (error instanceof ProblemLoadError) {
      const errStyle = styler(useColour(process.stderr));
      for (const e of error.errors) err(errStyle.red(formatProblemError(e)) + '\n');
      return 1;
    }
    throw error;
  }
  const source = sourceOf(problem.file, paths);
  if (options.json) out(JSON.stringify({ ...problem, source }, null, 2) + '\n');
  else out(renderProblem(problem, source, styler(useColour()), options.full));
  return 0;
}

/** Files to check: each argument (a folder means its .md files); none means every packaged and user problem. */
async function validationTargets(args: string[], paths: SdcoachPaths): Promise<string[]> {
  const { problemDirs, problemFiles } = await loader();
  if (args.length === 0) {
    const files: string[] = [];
    // Shadowed packaged problems are checked too: they still ship.
    for (const { dir } of problemDirs(paths)) files.push(...(await problemFiles(dir)));
    return files;
  }
  const targets: string[] = [];
  for (const arg of args) {
    const isDir = await stat(arg).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      targets.push(arg);
      continue;
    }
    const inside = await problemFiles(arg);
    if (inside.length === 0) {
      // Say why nothing was checked there (readdir errors other than a missing folder surface here).
      const names = await readdir(arg).catch(() => []);
      err(`${arg}: no problem .md files in this folder${names.length > 0 ? ` (${names.length} other entries)` : ''}\n`);
    }
    targets.push(...inside);
  }
  return targets;
}

export async function runProblemsValidate(args: string[], options: { json: boolean }, paths: SdcoachPaths = resolvePaths()): Promise<number> {
  const { formatProblemError, validateProblemFile } = await loader();
  const targets = await validationTargets(args, paths);
  const style = styler(useColour());
  const errStyle = styler(useColour(process.stderr));
  const results = [];
  let bad = 0;
  for (const file of targets) {
    const result = await validateProblemFile(file);
    if (result.ok) {
      results.push({ file, ok: true as const, id: result.problem.id, counts: problemCounts(result.problem) });
      if (!options.json) out(`${style.green('ok')} ${file} (${countsLine(result.problem)})\n`);
    } else {
      bad++;
      results.push({ file, ok: false as const, errors: result.errors.map((e) => ({ ...e, text: formatProblemError(e) })) });
      if (!options.json) for (const e of result.errors) err(errStyle.red(formatProblemError(e)) + '\n');
    }
  }
  if (options.json) out(JSON.stringify(results, null, 2) + '\n');
  if (targets.length === 0) err('no problem files to check\n');
  else if (bad > 0 && targets.length > 1) err(`${bad} of ${targets.length} files have errors\n`);
  return bad > 0 || targets.length === 0 ? 1 : 0;
}
