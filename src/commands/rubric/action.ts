// The work behind `sdcoach rubric list|show|validate|init`; the loader (zod, yaml) is imported
// inside each action so `sdcoach --help` stays light.
import path from 'node:path';
import { styler, type Styler } from '../../term/colour.js';
import { wrap } from '../../term/wrap.js';
import { useColour } from '../../config/colour.js';
import { textTable } from '../../term/table.js';
import type { LoadedRubric, RubricListing, RubricWarning } from '../../content/rubric-loader.js';

function out(text: string): void {
  process.stdout.write(text);
}

function err(text: string): void {
  process.stderr.write(text);
}

async function loader() {
  const [rubrics, { resolvePaths }] = await Promise.all([import('../../content/rubric-loader.js'), import('../../storage/paths.js')]);
  return { ...rubrics, paths: resolvePaths() };
}

export function renderRubricList(entries: RubricListing[], style: Styler): string {
  if (entries.length === 0) return 'No rubrics found.\n';
  const rows = [['NAME', 'VERSION', 'DIMENSIONS', 'SOURCE', 'FILE']];
  for (const entry of entries) {
    const source = entry.shadowed ? `${entry.source} (overridden)` : entry.source;
    if (entry.ok) rows.push([entry.name, entry.version, String(entry.dimensions), source, entry.file]);
    else rows.push([entry.name, '-', '-', source, entry.file]);
  }
  const lines = textTable(rows, { header: style.bold }).split('\n');
  // Broken files: the error under their row, so the table stays aligned.
  const result: string[] = [lines[0]!];
  entries.forEach((entry, i) => {
    result.push(lines[i + 1]!);
    if (!entry.ok) result.push(`  ${style.red(`invalid: ${entry.error}`)}`);
  });
  return result.join('\n') + '\n';
}

type DimensionOf = LoadedRubric['dimensions'][number];

/** What `rubric show` adds to the parsed rubric: which analyzers read signals, the content hash. */
export interface RubricShowInfo {
  readsSignals: (analyzer: string) => boolean;
  sha256?: string;
}

/** Said beside signals that the dimension's analyzer never reads. */
export const SIGNALS_IGNORED = 'not used: scored from claims, signals ignored';

/**
 * The readable rendering of `sdcoach rubric show`; `analyzerFor` (and `info`) are passed in so
 * this module loads no zod.
 */
export function renderRubric(
  rubric: LoadedRubric,
  style: Styler,
  analyzerFor: (d: DimensionOf) => string,
  info: RubricShowInfo = { readsSignals: (analyzer) => analyzer === 'concepts' },
): string {
  const width = 96;
  const totalWeight = rubric.dimensions.reduce((sum, d) => sum + d.weight, 0);
  const lines: string[] = [
    style.bold(`${rubric.name} v${rubric.version}`) + style.dim(`  (${rubric.source}: ${rubric.file})`),
    ...(info.sha256 ? [style.dim(`sha256 ${info.sha256}`)] : []),
    wrap(rubric.description, width, ''),
    '',
    style.bold(`Dimensions (${rubric.dimensions.length}), scale ${rubric.scale.min}–${rubric.scale.max}`),
  ];
  for (const d of rubric.dimensions) {
    const share = totalWeight > 0 ? Math.round((d.weight / totalWeight) * 100) : 0;
    lines.push(
      '',
      `${style.cyan(d.id)} — ${d.name}`,
      style.dim(`  weight ${d.weight} (${share}% of overall) · modes: ${d.modes.join(', ')} · analyzer: ${analyzerFor(d)}`),
      wrap(d.description, width, '  '),
    );
    if (d.signals.length > 0) {
      const signals = d.signals.map((s) => `${s.name} (${s.patterns.length})`).join(', ');
      if (info.readsSignals(analyzerFor(d))) lines.push(wrap(signals, width, `  ${style.dim('signals:')} `, '           '));
      else lines.push(wrap(`${style.yellow(`(${SIGNALS_IGNORED})`)} ${signals}`, width, `  ${style.dim('signals:')} `, '           '));
    }
    lines.push(`  ${style.dim('anchors:')}`);
    for (const score of [1, 2, 3, 4, 5] as const) lines.push(wrap(d.anchors[score], width, `    ${score}: `, '       '));
    lines.push(wrap(d.judge_guidance, width, `  ${style.dim('judge:')} `, '         '));
  }
  lines.push('', style.bold('Levels') + style.dim(' (the highest level whose overall and every minimum are met)'));
  for (const rule of rubric.levels) {
    const minimums = Object.entries(rule.minimums).map(([id, min]) => `${id} ≥ ${min}`);
    const needs = `overall ≥ ${rule.min_overall}${minimums.length > 0 ? `; ${minimums.join(', ')}` : ''}`;
    lines.push(wrap(needs, width, `  ${style.bold(rule.level)}  `, '      '));
    if (rule.summary) lines.push(wrap(rule.summary, width, '      '));
  }
  return lines.join('\n') + '\n';
}

/** Warnings go to stderr, one `file:line:column: warning: …` line each; they never change the exit code. */
function printWarnings(warnings: RubricWarning[], format: (w: RubricWarning) => string): void {
  const style = styler(useColour(process.stderr));
  for (const warning of warnings) err(style.yellow(format(warning)) + '\n');
}

/** `sdcoach rubric list`. */
export async function runRubricList(options: { json?: boolean }): Promise<void> {
  const { listRubrics, paths } = await loader();
  const entries = await listRubrics(paths);
  if (options.json) out(JSON.stringify(entries, null, 2) + '\n');
  else out(renderRubricList(entries, styler(useColour())));
}

/** `sdcoach rubric show`: 2 when no such rubric, 1 when it is invalid. */
export async function runRubricShow(nameOrFile: string, options: { json?: boolean }): Promise<number | void> {
  const [{ loadRubric, RubricError, paths, warningsOf, formatRubricWarning, analyzerReadsSignals, rubricSha256 }, { analyzerFor }] =
    await Promise.all([loader(), import('../../schemas/rubric.js')]);
  let loaded: LoadedRubric;
  try {
    loaded = await loadRubric(nameOrFile, paths);
  } catch (error) {
    if (!(error instanceof RubricError)) throw error;
    err(`sdcoach rubric show: ${error.message}\n`);
    // Not found is a usage error; a file that exists but is invalid is a failure.
    return error.errors.length > 0 ? 1 : 2;
  }
  const warnings = warningsOf(loaded);
  const sha256 = rubricSha256(loaded);
  if (options.json) {
    // The parsed rubric, plus what the grader makes of it: each dimension's analyzer and
    // whether its signals are read, the content hash reports record, and the warnings.
    const dimensions = loaded.dimensions.map((d) => {
      const analyzer = analyzerFor(d);
      const used = analyzerReadsSignals(analyzer);
      return { ...d, analyzer, signals_used: used, ...(used || d.signals.length === 0 ? {} : { signals_note: SIGNALS_IGNORED }) };
    });
    out(JSON.stringify({ ...loaded, dimensions, sha256, warnings }, null, 2) + '\n');
  } else {
    out(renderRubric(loaded, styler(useColour()), analyzerFor, { readsSignals: analyzerReadsSignals, sha256 }));
  }
  printWarnings(warnings, formatRubricWarning);
}

/** `sdcoach rubric validate`: 0 every file is valid, 1 some file has errors (or none was given). */
export async function runRubricValidate(files: string[]): Promise<number> {
  const [{ readRubricFile, formatRubricWarning }, { formatYamlError }, { readdir, stat }] = await Promise.all([
    import('../../content/rubric-loader.js'),
    import('../../storage/yaml-file.js'),
    import('node:fs/promises'),
  ]);
  const style = styler(useColour());
  const errStyle = styler(useColour(process.stderr));
  const targets: string[] = [];
  for (const file of files) {
    const isDir = await stat(file).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      targets.push(file);
      continue;
    }
    const inside = (await readdir(file)).filter((n) => /\.ya?ml$/i.test(n)).sort();
    if (inside.length === 0) err(`${file}: no .yaml files in this folder\n`);
    targets.push(...inside.map((n) => path.join(file, n)));
  }
  let bad = 0;
  for (const file of targets) {
    const result = await readRubricFile(file);
    if (result.ok) {
      const n = result.warnings.length;
      out(`${style.green('ok')} ${file} (${result.value.dimensions.length} dimensions${n ? `, ${n} warning${n === 1 ? '' : 's'}` : ''})\n`);
      printWarnings(result.warnings, formatRubricWarning);
    } else {
      bad++;
      for (const error of result.errors) err(errStyle.red(formatYamlError(error)) + '\n');
    }
  }
  if (targets.length > 1 && bad > 0) err(`${bad} of ${targets.length} files have errors\n`);
  return bad > 0 || targets.length === 0 ? 1 : 0;
}

/** `sdcoach rubric init`: 1 when the file cannot be written. */
export async function runRubricInit(file: string, options: { force?: boolean }): Promise<number | void> {
  const [{ starterRubric, paths }, { writeFile, mkdir }] = await Promise.all([loader(), import('node:fs/promises')]);
  const target = /\.ya?ml$/i.test(file) ? file : `${file}.yaml`;
  const name = path.basename(target, path.extname(target));
  try {
    await mkdir(path.dirname(path.resolve(target)), { recursive: true });
    await writeFile(target, starterRubric(name), { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      err(`sdcoach rubric init: ${target} already exists; use --force to overwrite it\n`);
    } else {
      err(`sdcoach rubric init: cannot write ${target}: ${(error as Error).message}\n`);
    }
    return 1;
  }
  out(
    `Wrote ${target}, a starter rubric "${name}" with three dimensions.\n` +
      `  edit it, then check it:  sdcoach rubric validate ${target}\n` +
      `  grade with it:           sdcoach grade <files> --rubric ${target}\n` +
      `  use it by name:          copy it to ${paths.userRubricsDir}/\n`,
  );
}
