// `sdcoach problems` (the list, the default subcommand): the rows come from the listing index
// (content/problem-index.ts), so a warm listing stats each file and loads neither zod nor yaml.
// Everything here is light (node builtins and small sdcoach modules) so the command
// registration can bundle it; the loader is imported only to read a changed file.
import type { ProblemListing } from '../../content/problem-loader.js';
import { stdoutIsTerminal, writeStdout } from '../../fast-stdout.js';
import { resolvePaths, type SdcoachPaths } from '../../storage/paths.js';
import { listProblemRows, summaryOf, type ProblemIndexOptions, type ProblemRow } from '../../content/problem-index.js';
import { styler, type Styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import { textTable } from '../../term/table.js';

function brokenSummary(errors: { text: string }[]): string {
  const first = errors[0] ? errors[0].text : 'invalid';
  return errors.length > 1 ? `${first} (and ${errors.length - 1} more; run sdcoach problems validate)` : first;
}

/** The list as a table; a broken file's first error goes under its row. */
export function renderProblemRows(entries: ProblemRow[], style: Styler): string {
  if (entries.length === 0) return 'No problems found.\n';
  const rows = [['ID', 'TITLE', 'DIFFICULTY', 'SOURCE', 'TAGS']];
  for (const entry of entries) {
    if (entry.ok) rows.push([entry.id, entry.title, entry.difficulty, entry.source, entry.tags.join(', ')]);
    else rows.push([entry.id, '(broken)', '-', entry.source, '-']);
  }
  const lines = textTable(rows, { header: style.bold }).split('\n');
  // A broken file's reason goes under its row, so the table stays aligned.
  const result: string[] = [lines[0]!];
  entries.forEach((entry, i) => {
    result.push(lines[i + 1]!);
    if (!entry.ok) result.push(`  ${style.red(`invalid: ${brokenSummary(entry.errors)}`)}`);
  });
  const broken = entries.filter((e) => !e.ok).length;
  if (broken > 0) result.push('', style.dim(`${broken} broken file${broken === 1 ? '' : 's'}; they are skipped by practice and grade.`));
  return result.join('\n') + '\n';
}

/** The JSON shape of `problems list --json`: a summary per problem, never the fact sheet. */
export function problemRowsJson(entries: ProblemRow[]) {
  return entries.map((entry) =>
    entry.ok
      ? {
          id: entry.id,
          title: entry.title,
          difficulty: entry.difficulty,
          tags: entry.tags,
          source: entry.source,
          file: entry.file,
          ok: true as const,
          counts: entry.counts,
        }
      : {
          id: entry.id,
          source: entry.source,
          file: entry.file,
          ok: false as const,
          errors: entry.errors,
        },
  );
}

/** The loader's listing as rows (what the index stores): the slow path, and the reference the index is tested against. */
export async function problemRowsFromLoader(paths: SdcoachPaths): Promise<ProblemRow[]> {
  const l = await import('../../content/problem-loader.js');
  return (await l.listProblems(paths)).map((entry: ProblemListing): ProblemRow => {
    const result = entry.ok ? { ok: true as const, problem: entry.problem } : { ok: false as const, errors: entry.errors };
    return {
      id: entry.id,
      file: entry.file,
      source: entry.source,
      ...summaryOf(result, l.formatProblemError),
    };
  });
}

/** `sdcoach problems`: the same bytes as rendering the loader's listing, from the index. */
export function renderProblemListOutput(rows: ProblemRow[], json: boolean, colour: boolean): string {
  return json ? JSON.stringify(problemRowsJson(rows), null, 2) + '\n' : renderProblemRows(rows, styler(colour));
}

/** useColour() for stdout, without creating process.stdout when it is a pipe or a file (fast-stdout.ts). */
function stdoutColour(): boolean {
  return useColour({
    get isTTY() {
      return stdoutIsTerminal() && Boolean(process.stdout.isTTY);
    },
  });
}

/** Prints the list (or `--json`); always exit code 0, broken files are listed with their first error. */
export async function runProblemsList(
  options: { json: boolean },
  paths: SdcoachPaths = resolvePaths(),
  indexOptions: ProblemIndexOptions = {},
): Promise<number> {
  const { rows } = await listProblemRows(paths, indexOptions);
  writeStdout(renderProblemListOutput(rows, options.json, stdoutColour()));
  return 0;
}
