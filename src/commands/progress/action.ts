// The work behind `sdcoach progress`: load graded sessions (stored grade, else the evidence
// grader now), compute the trend (grading/trend.ts), then either print it as JSON or draw it
// with asciichart. Both outputs come from one ProgressResult; the chart plots its `chart` arrays.
import type { Problem } from '../../schemas/problem.js';
import type { Mode } from '../../schemas/transcript.js';
import { suggestProblem, computeTrend, type Suggestion, type Trend } from '../../grading/trend.js';
import { matchesFilter, parseSince, SINCE_HELP } from '../../storage/session-catalog.js';
import { listSessions } from '../../storage/session-list.js';
import { styler, type Styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import { displayWidth } from '../../term/width.js';
import { formatDate, missingDirReason, sessionsDirFor, settingsOrEmpty } from '../sessions/shared.js';
import { chooseRubric } from '../../config/resolve.js';
import { SdcoachError, UsageError } from '../../errors.js';

export interface ProgressOptions {
  since?: string;
  problem?: string;
  mode?: Mode;
  dir?: string;
  rubric?: string;
  json?: boolean;
}

/** The plotted arrays: each session's value repeated `columnsPerPoint` times (or averaged in buckets when there are many). */
export interface ChartData {
  columnsPerPoint: number;
  pointsPerColumn: number;
  overall: number[];
  dimensions: Record<string, number[]>;
}

export interface ProgressResult extends Trend {
  dir: string;
  suggestion: Suggestion | null;
  skipped: { id: string; reason: string }[];
  chart: ChartData;
}

const OVERALL_WIDTH = 64;
const SMALL_WIDTH = 30;

/** Stretch a short series to about `width` columns (a step per session) or average a long one down to it. */
export function fitSeries(values: number[], width: number): { series: number[]; columnsPerPoint: number; pointsPerColumn: number } {
  if (values.length === 0) return { series: [], columnsPerPoint: 1, pointsPerColumn: 1 };
  if (values.length <= width) {
    const k = Math.max(1, Math.min(8, Math.floor(width / values.length)));
    return { series: values.flatMap((v) => Array<number>(k).fill(v)), columnsPerPoint: k, pointsPerColumn: 1 };
  }
  const per = Math.ceil(values.length / width);
  const series: number[] = [];
  for (let i = 0; i < values.length; i += per) {
    const bucket = values.slice(i, i + per);
    series.push(Math.round((bucket.reduce((a, b) => a + b, 0) / bucket.length) * 100) / 100);
  }
  return { series, columnsPerPoint: 1, pointsPerColumn: per };
}

export function chartData(trend: Trend): ChartData {
  const overall = fitSeries(
    trend.overall.points.map((p) => p.score),
    OVERALL_WIDTH,
  );
  const dimensions: Record<string, number[]> = {};
  for (const d of trend.dimensions) {
    dimensions[d.id] = fitSeries(
      d.points.map((p) => p.score),
      SMALL_WIDTH,
    ).series;
  }
  return { columnsPerPoint: overall.columnsPerPoint, pointsPerColumn: overall.pointsPerColumn, overall: overall.series, dimensions };
}

function err(text: string): void {
  process.stderr.write(text);
}

export async function computeProgress(options: ProgressOptions): Promise<ProgressResult | { usage: string } | { failure: string }> {
  let since: Date | null = null;
  if (options.since !== undefined) {
    since = parseSince(options.since);
    if (!since) return { usage: `--since "${options.since}" is not a date or a span; use ${SINCE_HELP}.` };
  }
  const missing = await missingDirReason(options.dir);
  if (missing) return { usage: missing };
  const dir = await sessionsDirFor(options.dir);
  const { settings } = await settingsOrEmpty();
  const [{ sessionGrader }, { listProblems }, { resolvePaths }] = await Promise.all([
    import('../sessions/grade.js'),
    import('../../content/problem-loader.js'),
    import('../../storage/paths.js'),
  ]);
  let grade;
  try {
    grade = await sessionGrader(chooseRubric(options.rubric, settings));
  } catch (error) {
    return { usage: (error as Error).message };
  }
  let rows;
  try {
    rows = await listSessions(dir, { withReports: true });
  } catch (error) {
    return { failure: (error as Error).message };
  }
  const skipped: { id: string; reason: string }[] = [];
  const graded = [];
  for (const { entry, report } of rows) {
    if (!matchesFilter(entry, { problem: options.problem, mode: options.mode, since })) continue;
    if (!entry.ok) {
      skipped.push({ id: entry.id, reason: `unreadable: ${entry.error}` });
      continue;
    }
    try {
      const result = await grade(entry.file, report);
      graded.push({ id: entry.id, started: entry.started, report: result.report, grade: result.source });
    } catch (error) {
      skipped.push({ id: entry.id, reason: `not graded: ${(error as Error).message}` });
    }
  }
  const trend = computeTrend(graded);
  const problems = (await listProblems(resolvePaths())).flatMap((p) => (p.ok ? [p.problem] : []));
  const suggested = trend.weakest.length ? suggestProblem(trend.weakest, problems, trend.sessions.map((s) => s.problem)) : null;
  const problem = problems.find((p) => p.id === suggested?.problem);
  const suggestion = suggested && problem ? { ...suggested, reason: suggestionReason(suggested, problem) } : suggested;
  return { dir, ...trend, suggestion, skipped, chart: chartData(trend) };
}

// ---------------------------------------------------------------------------
// Why that problem, as a sentence

/** How a section count reads ("9 pushbacks" → "9 pushback questions"). */
const SECTION_WORDS: Record<string, string> = {
  pushbacks: 'pushback questions',
  facts: 'facts to clarify',
  'reference estimates': 'reference estimates',
  components: 'components',
  'deep dives': 'deep dives',
};
const ACRONYMS = /\b(pci|gpu|gpus|llm|api|apis|slo|slos|cdn|ttl|qps|psp|psps|id|ids|kv)\b/g;

function listWords(items: readonly string[], separator = ', '): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(separator)} and ${items.at(-1)}`;
}

/**
 * "It exercises reliability (idempotency, outbox, ledger) and composure (8 pushback questions)."
 * The grader's matches are problem texts: tags, deep-dive topics, section counts, and the trigger
 * words of a pushback run together ("retry the charge retry the payment …"). Those run-together
 * triggers are dropped (or named by their first trigger when nothing else is left), a match that
 * another one contains is dropped ("ordering" beside "ordering within a group"), and section
 * counts say what they count.
 */
export function suggestionReason(suggestion: Suggestion, problem: Pick<Problem, 'pushbacks'>): string {
  const triggers = new Map(problem.pushbacks.map((p) => [p.trigger.join(' ').toLowerCase(), p.trigger[0]!]));
  const parts = suggestion.exercises.flatMap(({ dimension, because }) => {
    const named = because.filter((b) => !triggers.has(b));
    let items = named.length ? named : because.map((b) => `the pushback on ${triggers.get(b) ?? b}`);
    items = items.map((item) => {
      const count = /^(\d+) (.+)$/.exec(item);
      return count && SECTION_WORDS[count[2]!] ? `${count[1]} ${SECTION_WORDS[count[2]!]}` : item;
    });
    const plain = (t: string) => t.toLowerCase().replace(/-/g, ' ');
    items = items.filter((item, i) => !items.some((other, j) => j !== i && (plain(other) === plain(item) ? j < i : plain(other).includes(plain(item)))));
    items = items.map((item) => item.replace(ACRONYMS, (word) => word.toUpperCase()));
    if (items.length === 0) return [];
    const inner = items.some((item) => item.includes(',')) ? items.join('; ') : items.join(', ');
    return [`${dimension.replace(/_/g, ' ')} (${inner})`];
  });
  if (parts.length === 0) return 'A problem you have not practised lately.';
  return `It exercises ${listWords(parts, parts.some((p) => p.includes(';')) ? '; ' : ', ')}.`;
}

// ---------------------------------------------------------------------------
// Drawing

function signed(n: number | null): string {
  if (n === null) return '';
  if (Math.abs(n) < 0.005) return '=';
  return `${n > 0 ? '▲ +' : '▼ '}${n.toFixed(2)}`;
}

function colourChange(n: number | null, style: Styler): string {
  const text = signed(n);
  if (n === null || text === '=') return style.dim(text);
  return n > 0 ? style.green(text) : style.red(text);
}

/** Lines of one small chart, each padded to `width` visible columns. */
function smallChart(plot: typeof import('asciichart').plot, title: string, series: number[], width: number): string[] {
  const body = series.length ? plot(series, { min: 1, max: 5, height: 4, format: (x: number) => x.toFixed(0).padStart(2) + ' ' }).split('\n') : ['   (no scores: not applicable)'];
  return [title, ...body].map((line) => line + ' '.repeat(Math.max(0, width - displayWidth(line))));
}


export async function renderProgress(result: ProgressResult, style: Styler, colour: boolean, columns: number): Promise<string> {
  const { plot, cyan } = (await import('asciichart')).default;
  const lines: string[] = [];
  const n = result.sessions.length;
  const firstDate = formatDate(result.sessions[0]!.started).slice(0, 10);
  const lastDate = formatDate(result.sessions.at(-1)!.started).slice(0, 10);
  const now = result.sessions.filter((s) => s.grade === 'graded-now').length;
  lines.push(style.bold(`Progress over ${n} session${n === 1 ? '' : 's'}, ${firstDate} → ${lastDate}`));
  if (now) lines.push(style.dim(`${now} of ${n} graded now by the evidence grader (no stored grade)`));
  lines.push('');

  const o = result.overall;
  lines.push(`${style.bold('Overall')}  first ${o.first?.toFixed(2) ?? '–'} · latest ${o.latest?.toFixed(2) ?? '–'} ${colourChange(o.change, style)}`);
  if (result.chart.overall.length) {
    lines.push(plot(result.chart.overall, { min: 1, max: 5, height: 8, format: (x: number) => x.toFixed(1).padStart(5) + ' ', ...(colour ? { colors: [cyan] } : {}) }));
    const scale = result.chart.pointsPerColumn > 1 ? `each column averages ${result.chart.pointsPerColumn} sessions` : `each session ${result.chart.columnsPerPoint} column${result.chart.columnsPerPoint === 1 ? '' : 's'} wide`;
    lines.push(style.dim(`      oldest → newest (${scale})`));
  }
  lines.push('', style.bold('Per dimension') + style.dim('  (scale 1–5; first → latest)'));
  const cell = 46;
  const perRow = columns >= cell * 2 + 2 ? 2 : 1;
  const blocks = result.dimensions.map((d) => {
    const head = `${style.bold(d.name)} ${d.first?.toFixed(1) ?? '–'} → ${d.latest?.toFixed(1) ?? '–'} ${colourChange(d.change, style)}`;
    return smallChart(plot, head, result.chart.dimensions[d.id] ?? [], cell);
  });
  for (let i = 0; i < blocks.length; i += perRow) {
    const row = blocks.slice(i, i + perRow);
    const height = Math.max(...row.map((b) => b.length));
    for (let r = 0; r < height; r++) lines.push(row.map((b) => b[r] ?? ' '.repeat(cell)).join('  ').trimEnd());
    lines.push('');
  }

  lines.push(style.bold('Weakest dimensions') + style.dim(` (mean of the last ${3} sessions each)`));
  for (const w of result.weakest) {
    lines.push(`  ${style.red(w.recent.toFixed(2))}  ${style.bold(w.name)}${style.dim(` (latest ${w.latest.toFixed(1)})`)}`);
    if (w.missing.length) {
      for (const m of w.missing.slice(0, 3)) lines.push(`        - ${m}`);
      lines.push(style.dim(`        (missing in ${w.missingFrom})`));
    }
  }
  if (result.suggestion) {
    const s = result.suggestion;
    lines.push('', `${style.bold('Next:')} ${style.cyan(s.problem)} — ${s.title} (${s.difficulty})`);
    lines.push(`  ${s.reason}`);
    lines.push(style.dim(`  start it: sdcoach practice ${s.problem}`));
  }
  if (result.skipped.length) {
    lines.push('', style.dim(`Skipped ${result.skipped.length}:`));
    for (const s of result.skipped) lines.push(style.dim(`  ${s.id}: ${s.reason}`));
  }
  return lines.join('\n') + '\n';
}

export async function runProgress(options: ProgressOptions): Promise<number> {
  const result = await computeProgress(options);
  if ('usage' in result) throw new UsageError(result.usage, { command: 'progress' });
  if ('failure' in result) throw new SdcoachError(result.failure, 1, { command: 'progress' });
  if (options.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  if (result.sessions.length === 0) {
    process.stdout.write(`No graded sessions to chart in ${result.dir}${options.since || options.problem || options.mode ? ' (with these filters)' : ''}. Practise one with: sdcoach practice\n`);
    for (const s of result.skipped) err(`  skipped ${s.id}: ${s.reason}\n`);
    return 0;
  }
  const { settings } = await settingsOrEmpty();
  const colour = useColour(process.stdout, process.env, settings.colour);
  process.stdout.write(await renderProgress(result, styler(colour), colour, process.stdout.columns || 100));
  return 0;
}
