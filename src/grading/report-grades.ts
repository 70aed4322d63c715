// Reporting a batch of grades as `sdcoach grade` does: each result streamed (jsonl, --out) and
// on the progress line as it is known, then the whole output in the chosen format, failures on
// stderr and the count line. `grade` and `grade collect` (the Batch API) both report through it.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { styler } from '../term/colour.js';
import type { GradeFailure, GradeReport } from '../schemas/report.js';
import { inOrder, runBatch } from './batch.js';
import type { GradedFile } from './grade-file.js';
import type { GradeFormat, GradeOptions } from './grade-options.js';
import { Progress } from './progress.js';
import { renderCsv } from './render/csv.js';
import { compactLevel, overall } from './render/format.js';
import { renderMarkdown } from './render/markdown.js';
import { renderTable } from './render/table.js';

/**
 * The whole output for a format. Files that could not be graded are part of it (after the
 * reports: {file, error} entries, CSV rows with an error, a "Not graded" section); the table
 * leaves them to stderr, where they are listed for every format.
 */
function render(format: GradeFormat, reports: GradeReport[], failures: GradeFailure[], colour: boolean): string {
  switch (format) {
    case 'table':
      return renderTable(reports, styler(colour));
    case 'json':
      return JSON.stringify([...reports, ...failures], null, 2) + '\n';
    case 'md':
      return renderMarkdown(reports, failures);
    case 'csv':
      return renderCsv(reports, failures);
    case 'jsonl':
      return ''; // streamed as each report arrives
  }
}

export interface ReportGradesParams {
  files: string[];
  unmatched: { pattern: string; reason: string }[];
  options: Pick<GradeOptions, 'format' | 'out' | 'force' | 'colour'>;
  shown: (file: string) => string;
  concurrency: number;
  /** Emit results (stream, --out, progress) in input order rather than as they finish. */
  ordered: boolean;
  work: (file: string, index: number) => Promise<GradedFile>;
}

/**
 * Grades `files` with `work` and reports them as `grade` does: each result streamed (jsonl,
 * --out) and shown on the progress line as it is known, then the whole output in the chosen
 * format, failures on stderr, the count line; returns the exit code. `grade collect` reports
 * a collected batch through this too.
 */
export async function reportGrades({ files, unmatched, options, shown, concurrency, ordered, work }: ReportGradesParams): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  let out: FileHandle | null = null;
  if (options.out) {
    try {
      out = await openOut(options.out, options.force ?? false);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      err(
        code === 'EEXIST'
          ? `sdcoach grade: --out ${options.out} already exists; use --force to overwrite it\n`
          : `sdcoach grade: cannot write --out ${options.out}: ${(error as Error).message}\n`,
      );
      return 2;
    }
  }
  // Each line as it is known: on stdout for --format jsonl, in the --out file.
  const emit = async (entry: GradeReport | GradeFailure) => {
    const line = JSON.stringify(entry) + '\n';
    if (out) await out.write(line);
    if (options.format === 'jsonl') process.stdout.write(line);
  };
  const failures: GradeFailure[] = unmatched.map(({ pattern, reason }) => ({ file: pattern, error: reason }));
  try {
    for (const failure of failures) await emit(failure);
  } catch (error) {
    await out?.close();
    err(`sdcoach grade: cannot write --out ${options.out}: ${(error as Error).message}\n`);
    return 1;
  }

  const progress = new Progress(files.length + unmatched.length);
  let cachedCount = 0;
  for (const [i, { pattern, reason }] of unmatched.entries()) {
    progress.update(i + 1, { file: pattern, ok: false, detail: reason });
  }
  let gradedCount = 0;
  let results;
  try {
    results = await runBatch({
      files,
      concurrency,
      // jsonl is streamed: holding every report would grow without bound over big folders.
      retain: options.format !== 'jsonl',
      work,
      onResult: inOrder(ordered, async (result, done) => {
        const graded = result.value;
        if (graded) {
          gradedCount++;
          if (graded.cached) cachedCount++;
          if (graded.report.file !== null) graded.report = { ...graded.report, file: shown(graded.report.file) };
          await emit(graded.report);
        } else {
          await emit({ file: shown(result.file), error: result.error ?? 'not graded' });
        }
        progress.update(unmatched.length + done, {
          file: shown(result.file),
          ok: Boolean(graded),
          cached: graded?.cached,
          detail: graded ? `${overall(graded.report.overall)} ${compactLevel(graded.report)}` : result.error!,
        });
      }),
    });
  } finally {
    progress.finish();
    await out?.close();
  }

  const reports = results.filter((r) => r.value).map((r) => r.value!.report);
  const failed = results.filter((r) => r.error);
  failures.push(...failed.map((r) => ({ file: shown(r.file), error: r.error! })));
  process.stdout.write(render(options.format, reports, failures, options.colour ?? false));
  for (const failure of failed) err(`✗ ${shown(failure.file)}: ${failure.error}\n`);
  for (const { pattern, reason } of unmatched) err(`✗ ${pattern}: ${reason}\n`);
  const failureCount = failed.length + unmatched.length;
  err(
    `graded ${gradedCount} of ${files.length + unmatched.length} file${files.length + unmatched.length === 1 ? '' : 's'}` +
      (cachedCount ? ` (${cachedCount} from cache)` : '') +
      (failureCount ? `; ${failureCount} failed` : '') +
      '\n',
  );
  return failureCount ? 1 : 0;
}

/**
 * The --out file, created; an existing regular file only with `force` (a grade run must not
 * silently replace last week's grades). A terminal, pipe or /dev/null is written as given.
 */
async function openOut(file: string, force: boolean): Promise<FileHandle> {
  try {
    return await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const info = await stat(file);
    if (force || !info.isFile()) return open(file, 'w');
    throw error;
  }
}
