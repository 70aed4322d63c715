// The work behind `sdcoach sessions …`. Exit codes: 0 ok, 1 failure (an unreadable file, a
// failed write), 2 usage (unknown or ambiguous ID, bad --since, rm without a terminal or --yes).
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GradeReport } from '../../schemas/report.js';
import type { Mode, Transcript } from '../../schemas/transcript.js';
import { matchesFilter, parseSince, readSessionEntry, resolveSession, SINCE_HELP, type SessionEntry } from '../../storage/session-catalog.js';
import { listSessions } from '../../storage/session-list.js';
import { styler, type Styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import {
  compactGradeLevel,
  formatDate,
  formatDuration,
  missingDirReason,
  sessionsDirFor,
  settingsOrEmpty,
} from './shared.js';
import { textTable } from '../../term/table.js';
import { chooseRubric } from '../../config/resolve.js';

function out(text: string): void {
  process.stdout.write(text);
}
function err(text: string): void {
  process.stderr.write(text);
}

/** A session named on the command line, or the exit code after explaining why not. */
async function resolveOrExplain(command: string, dir: string, input: string): Promise<{ id: string; file: string } | number> {
  let resolution;
  try {
    resolution = await resolveSession(dir, input);
  } catch (error) {
    err(`sdcoach sessions ${command}: ${(error as Error).message}\n`);
    return 1;
  }
  if (resolution.ok) return resolution;
  if (resolution.reason === 'not-found') {
    err(`sdcoach sessions ${command}: no session matches "${input}" in ${dir} (see: sdcoach sessions list)\n`);
    return 2;
  }
  // Ambiguous: list the candidates with enough to tell them apart.
  const shown = resolution.matches.slice(0, 20);
  const entries = shown.map((m) => readSessionEntry(m.file));
  const rows = entries.map(({ entry }) =>
    entry.ok ? [entry.id, formatDate(entry.started), entry.problem ?? '–', entry.mode] : [entry.id, `(unreadable: ${entry.error})`],
  );
  const lines = textTable(rows).split('\n').map((line) => `  ${line}`);
  const more = resolution.matches.length - shown.length;
  err(
    `sdcoach sessions ${command}: "${input}" is ambiguous; ${resolution.matches.length} sessions match:\n${lines.join('\n')}\n` +
      (more > 0 ? `  … and ${more} more\n` : '') +
      'Give more characters of the ID.\n',
  );
  return 2;
}

// ---------------------------------------------------------------------------
// list

export interface ListOptions {
  problem?: string;
  since?: string;
  mode?: Mode;
  limit?: number;
  dir?: string;
  json?: boolean;
}

/** The JSON form of a listing row: stable field names for scripts. */
export function entryJson(entry: SessionEntry) {
  if (!entry.ok) return { id: entry.id, file: entry.file, ok: false as const, error: entry.error };
  return {
    id: entry.id,
    file: entry.file,
    ok: true as const,
    started: entry.started,
    problem: entry.problem,
    mode: entry.mode,
    provider: entry.provider,
    model: entry.model,
    rubric: entry.rubric,
    levelTarget: entry.levelTarget,
    durationMs: entry.durationMs,
    endReason: entry.endReason,
    overall: entry.grade?.overall ?? null,
    level: entry.grade ? { level: entry.grade.level, trackingToward: entry.grade.trackingToward, label: entry.grade.label } : null,
    grader: entry.grade?.grader ?? null,
  };
}

export function renderSessionList(entries: SessionEntry[], style: Styler): string {
  const rows = [['ID', 'DATE', 'PROBLEM', 'MODE', 'PROVIDER/MODEL', 'TIME', 'OVERALL', 'LEVEL']];
  const broken: SessionEntry[] = [];
  for (const entry of entries) {
    if (!entry.ok) {
      broken.push(entry);
      continue;
    }
    const overall = entry.grade?.overall;
    const score = overall === null || overall === undefined ? style.dim('–') : overall >= 4 ? style.green(overall.toFixed(2)) : overall <= 2.5 ? style.red(overall.toFixed(2)) : overall.toFixed(2);
    rows.push([
      entry.id,
      formatDate(entry.started),
      entry.problem ?? '–',
      entry.mode,
      `${entry.provider}${entry.model ? `/${entry.model}` : ''}`,
      formatDuration(entry.durationMs),
      score,
      compactGradeLevel(entry),
    ]);
  }
  const lines: string[] = [];
  if (rows.length > 1) lines.push(textTable(rows, { header: style.bold }));
  for (const entry of broken) if (!entry.ok) lines.push(`${entry.id}  ${style.red(`unreadable: ${entry.error}`)}`);
  return lines.join('\n') + (lines.length ? '\n' : '');
}

export async function runSessionsList(options: ListOptions): Promise<number> {
  let since: Date | null = null;
  if (options.since !== undefined) {
    since = parseSince(options.since);
    if (!since) {
      err(`sdcoach sessions list: --since "${options.since}" is not a date or a span; use ${SINCE_HELP}.\n`);
      return 2;
    }
  }
  const missing = await missingDirReason(options.dir);
  if (missing) {
    err(`sdcoach sessions list: ${missing}\n`);
    return 2;
  }
  const dir = await sessionsDirFor(options.dir);
  let rows;
  try {
    const { resolvePaths } = await import('../../storage/paths.js');
    rows = await listSessions(dir, { index: { cacheDir: resolvePaths().cacheDir } });
  } catch (error) {
    err(`sdcoach sessions list: ${(error as Error).message}\n`);
    return 1;
  }
  const total = rows.length;
  // Newest first, like `git log`; unreadable files stay at the end where they are noticed.
  let entries = rows
    .map((r) => r.entry)
    .filter((entry) => matchesFilter(entry, { problem: options.problem, mode: options.mode, since }));
  const good = entries.filter((e) => e.ok).reverse();
  const bad = entries.filter((e) => !e.ok);
  entries = [...(options.limit ? good.slice(0, options.limit) : good), ...bad];
  const unreadable = bad.length;

  if (options.json) {
    out(JSON.stringify(entries.map(entryJson), null, 2) + '\n');
    return unreadable > 0 ? 1 : 0;
  }
  const { settings, warning } = await settingsOrEmpty();
  if (warning) err(`sdcoach: ${warning}\n`);
  const style = styler(useColour(process.stdout, process.env, settings.colour));
  if (total === 0) {
    out(`No sessions in ${dir} yet. Start one with: sdcoach practice\n`);
    return 0;
  }
  if (entries.length === 0) {
    out(`No sessions match (${total} in ${dir}).\n`);
    return 0;
  }
  out(renderSessionList(entries, style));
  const shown = entries.length - unreadable;
  const summary = `${shown} session${shown === 1 ? '' : 's'}${shown < total - unreadable ? ` of ${total - unreadable}` : ''}${unreadable ? `, ${unreadable} unreadable` : ''} · ${dir}`;
  out(style.dim(summary) + '\n');
  return unreadable > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// show / export: the whole transcript and a report

interface Loaded {
  transcript: Transcript;
  title: string | null;
  report: GradeReport | null;
  reportNote: string | null;
}

/** Parse the whole file, find or compute the grade, and look up the problem's title. */
async function loadForDocument(command: string, file: string, rubricFlag: string | undefined): Promise<Loaded | number> {
  const [{ readTranscript }, { lastGradeEvent }, { sessionGrader }, { loadProblem }] = await Promise.all([
    import('../../storage/transcript-store.js'),
    import('./render.js'),
    import('./grade.js'),
    import('../../content/problem-loader.js'),
  ]);
  let transcript: Transcript;
  try {
    transcript = await readTranscript(file);
  } catch (error) {
    err(`sdcoach sessions ${command}: ${(error as Error).message}\n`);
    return 1;
  }
  const title = transcript.meta.problem ? await loadProblem(transcript.meta.problem).then((p) => p.title, () => null) : null;
  const { settings } = await settingsOrEmpty();
  const rubric = chooseRubric(rubricFlag, settings, transcript.meta.rubric);
  let report: GradeReport | null = null;
  let reportNote: string | null = null;
  try {
    const grade = await (await sessionGrader(rubric))(file, lastGradeEvent(transcript));
    report = grade.report;
    if (grade.source === 'graded-now') reportNote = `Graded now by the evidence grader (rubric ${report.rubric.name}); no grade was stored with this session.`;
  } catch (error) {
    // A session with nothing to grade (no candidate text) is still worth reading.
    reportNote = `No score card: ${(error as Error).message}`;
  }
  return { transcript, title, report, reportNote };
}

export async function runSessionsShow(input: string, options: { dir?: string; rubric?: string }): Promise<number> {
  const missing = await missingDirReason(options.dir);
  if (missing) {
    err(`sdcoach sessions show: ${missing}\n`);
    return 2;
  }
  const dir = await sessionsDirFor(options.dir);
  const found = await resolveOrExplain('show', dir, input);
  if (typeof found === 'number') return found;
  const loaded = await loadForDocument('show', found.file, options.rubric);
  if (typeof loaded === 'number') return loaded;
  const [{ transcriptMarkdown }, { renderCard }, { renderMarkdown }] = await Promise.all([
    import('./render.js'),
    import('../../grading/render/card.js'),
    import('../../term/markdown.js'),
  ]);
  const { settings } = await settingsOrEmpty();
  const colour = useColour(process.stdout, process.env, settings.colour);
  const width = Math.min(process.stdout.columns || 100, 110);
  const markdown = transcriptMarkdown(loaded.transcript, { title: loaded.title, report: loaded.report });
  const rendered = renderMarkdown(markdown, width, { color: colour, sectionPrefix: true });
  const style = styler(colour);
  out(rendered.trimEnd() + '\n');
  out('\n' + style.bold('── Score card ──') + '\n');
  if (loaded.report) out(renderCard(loaded.report, style));
  if (loaded.reportNote) out(style.dim(loaded.reportNote) + '\n');
  return 0;
}

export async function runSessionsExport(
  input: string,
  options: { format: 'md' | 'json' | 'txt'; out?: string; force?: boolean; dir?: string; rubric?: string },
): Promise<number> {
  const missing = await missingDirReason(options.dir);
  if (missing) {
    err(`sdcoach sessions export: ${missing}\n`);
    return 2;
  }
  const dir = await sessionsDirFor(options.dir);
  const found = await resolveOrExplain('export', dir, input);
  if (typeof found === 'number') return found;
  if (options.out && path.resolve(options.out) === path.resolve(found.file)) {
    err('sdcoach sessions export: --out is the session file itself; choose another file\n');
    return 2;
  }
  const { sessionMarkdown, sessionText } = await import('./render.js');
  let text: string;
  if (options.format === 'txt') {
    const { readTranscript } = await import('../../storage/transcript-store.js');
    try {
      text = sessionText(await readTranscript(found.file));
    } catch (error) {
      err(`sdcoach sessions export: ${(error as Error).message}\n`);
      return 1;
    }
  } else {
    const loaded = await loadForDocument('export', found.file, options.rubric);
    if (typeof loaded === 'number') return loaded;
    if (options.format === 'md') {
      text = sessionMarkdown(loaded.transcript, { title: loaded.title, report: loaded.report, reportNote: loaded.reportNote });
    } else {
      const { transcript, report } = loaded;
      const payload = {
        id: found.id,
        meta: transcript.meta,
        events: transcript.events.filter((e) => e.type !== 'grade'),
        report,
        reportSource: report ? (loaded.reportNote ? 'graded-now' : 'stored') : null,
        problems: transcript.problems,
        tornTail: transcript.tornTail,
      };
      text = JSON.stringify(payload, null, 2) + '\n';
    }
  }
  if (!options.out) {
    out(text);
    return 0;
  }
  try {
    // A transcript is as private as the session file it came from (0600).
    await writeFile(options.out, text, { flag: options.force ? 'w' : 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    err(
      code === 'EEXIST'
        ? `sdcoach sessions export: ${options.out} already exists; use --force to overwrite it\n`
        : `sdcoach sessions export: cannot write ${options.out}: ${(error as Error).message}\n`,
    );
    return code === 'EEXIST' ? 2 : 1;
  }
  err(`Wrote ${options.out} (${options.format}, session ${found.id})\n`);
  return 0;
}

// ---------------------------------------------------------------------------
// rm

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runSessionsRm(input: string, options: { yes?: boolean; dir?: string }): Promise<number> {
  const missing = await missingDirReason(options.dir);
  if (missing) {
    err(`sdcoach sessions rm: ${missing}\n`);
    return 2;
  }
  const dir = await sessionsDirFor(options.dir);
  const found = await resolveOrExplain('rm', dir, input);
  if (typeof found === 'number') return found;
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      err(`sdcoach sessions rm: not on a terminal, so not asking; add --yes to delete ${found.id}\n`);
      return 2;
    }
    const { entry } = readSessionEntry(found.file);
    const what = entry.ok ? `${found.id} (${formatDate(entry.started)}, ${entry.problem ?? 'no problem'}, ${entry.mode})` : found.id;
    if (!(await confirm(`Delete session ${what}? This cannot be undone. [y/N] `))) {
      err('Not deleted.\n');
      return 0;
    }
  }
  try {
    await rm(found.file);
  } catch (error) {
    err(`sdcoach sessions rm: cannot delete ${found.file}: ${(error as Error).message}\n`);
    return 1;
  }
  out(`Deleted ${found.id}\n`);
  return 0;
}

// ---------------------------------------------------------------------------
// resume: literally `sdcoach practice --resume <id>`, so both paths stay one

export async function runSessionsResume(input: string, options: { dir?: string }): Promise<number> {
  const missing = await missingDirReason(options.dir);
  if (missing) {
    err(`sdcoach sessions resume: ${missing}\n`);
    return 2;
  }
  const dir = await sessionsDirFor(options.dir);
  const found = await resolveOrExplain('resume', dir, input);
  if (typeof found === 'number') return found;
  // The full id resolves in the sessions folder; a session from --dir is passed by its path.
  const target = options.dir ? found.file : found.id;
  // The practice command itself, registered on a program of its own (not the CLI's, which is
  // running this action): the same options, defaults and checks as `practice --resume`.
  const [{ Command }, { registerPractice }] = await Promise.all([import('commander'), import('../practice/index.js')]);
  const program = new Command('sdcoach').exitOverride();
  registerPractice(program);
  process.exitCode = undefined;
  await program.parseAsync(['practice', '--resume', target], { from: 'user' });
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
