// The terminal score card for one report: overall and level (with a level target, what is still
// missing for it), each dimension with its evidence and what was missing, then time, pushbacks,
// estimates and flags. Lines are wrapped to the terminal's width at word boundaries, each
// continuation indented under the text it continues (so a quote stays visibly inside its
// dimension); long quotes are cut at a word, with an ellipsis. Report text comes from
// transcripts: control characters never reach the terminal.
import type { Styler } from '../../term/colour.js';
import type { GradeReport } from '../../schemas/report.js';
import { stripControls } from '../../term/strip.js';
import { wrapRows } from '../../term/wrap.js';
import { displayName, overall, score } from './format.js';
import { padDisplay as pad } from '../../term/width.js';

export interface CardOptions {
  /** Columns to wrap to (default: the terminal's width on a terminal, else 100). */
  width?: number;
}

const DEFAULT_WIDTH = 100;
/** Narrower than this, wrapping under a deep indent would leave a word or two per row. */
const MIN_WIDTH = 40;

/**
 * `text` on one line, at most `max` characters: cut at the last word that fits, with an ellipsis.
 * A single word longer than half of `max` (a URL) is cut where it must be.
 */
export function clip(text: string, max = 110): string {
  const flat = stripControls(text).replace(/\s+/g, ' ').trim();
  if ([...flat].length <= max) return flat;
  const chars = [...flat];
  const room = chars.slice(0, max).join(''); // the ellipsis takes the place of the break
  const space = room.lastIndexOf(' ');
  const head = space >= max / 2 ? room.slice(0, space) : chars.slice(0, max - 1).join('');
  return `${head.replace(/[\s,;:(\-–—]+$/u, '')}…`;
}

const LEVELS = ['L3', 'L4', 'L5', 'L6', 'L7'] as const;

/** The level above `level` (L3 above none). */
function nextLevel(level: GradeReport['level']['level']): string | undefined {
  return LEVELS[level === null ? 0 : LEVELS.indexOf(level) + 1];
}

function defaultWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return columns && columns > 0 ? columns : DEFAULT_WIDTH;
}

export function renderCard(report: GradeReport, style: Styler, options: CardOptions = {}): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? defaultWidth()));
  const lines: string[] = [];
  /**
   * One logical line: `lead` then `body`, wrapped; continuation rows start with `hang` spaces (the
   * text after a bullet). Every row is wrapped to the narrower of the two, so none overflows.
   */
  const add = (lead: string, body: string, hang = lead.length + 2) => {
    const rest = ' '.repeat(hang);
    const rows = wrapRows(body, width - Math.max(lead.length, hang));
    rows.forEach((row, i) => lines.push((i === 0 ? lead : rest) + row));
  };
  const title = `${displayName(report.file, report.sessionId)} — ${report.problem ?? 'unknown problem'} (${report.mode})`;
  add('', style.bold(title), 2);
  add(
    '',
    `Overall ${style.bold(overall(report.overall))} / 5 · ${style.bold(report.level.label)} · rubric ${report.rubric.name}@${report.rubric.version} · ${report.grader} grader${report.model ? ` (${report.model})` : ''}`,
    2,
  );
  const target = report.target;
  // When the target is the very next level, its block says the same as the blockers, better.
  const nextIsTarget = target && !target.met && nextLevel(report.level.level) === target.level;
  if (report.level.blockers.length && !nextIsTarget) add('  ', style.dim(`next level: ${report.level.blockers.map((b) => stripControls(b)).join('; ')}`), 4);
  if (target?.met) add('  ', `target ${target.level}: ${style.green('met')}`, 4);
  else if (target) {
    add('  ', style.bold(`for ${target.level} you still need:`), 4);
    for (const item of target.missing) add('    ', `${style.yellow('-')} ${stripControls(item.text)}`, 6);
  }
  lines.push('');
  for (const dimension of Object.values(report.dimensions)) {
    const spread = dimension.samples?.spread;
    const fromEvidence = report.grader === 'llm' && dimension.grader === 'evidence' && dimension.score !== null;
    // In a judge's report, a score the evidence grader supplied (the judge skipped it) says so.
    const extra = (spread !== null && spread !== undefined ? style.dim(` (spread ${spread.toFixed(1)})`) : '') + (fromEvidence ? style.dim(' (evidence)') : '');
    add(`${pad(score(dimension.score), 4, 'right')}  `, `${style.bold(dimension.name)}${extra}`, 6);
    for (const evidence of dimension.evidence.slice(0, 2)) {
      add('        ', style.dim(`+ [turn ${evidence.turn}] "${clip(evidence.quote, 96)}"`), 10);
    }
    for (const missing of dimension.missing.slice(0, 2)) add('        ', style.dim(`- ${clip(missing, 100)}`), 10);
    if (dimension.score === null && dimension.notes[0]) add('        ', style.dim(clip(dimension.notes[0])), 8);
  }
  if (report.strengths.length) {
    lines.push('', style.bold('What went well'));
    for (const item of report.strengths) add('  ', `${style.green('✓')} ${clip(item)}`, 4);
  }
  if (report.toExpand.length) {
    lines.push('', style.bold('What to expand'));
    for (const item of report.toExpand) add('  ', `${style.yellow('→')} ${clip(item)}`, 4);
  }
  if (report.time.phases.length) {
    lines.push('', style.bold(`Time${report.time.estimated ? ' (estimated from word counts)' : ''}`));
    for (const phase of report.time.phases) {
      add(
        '  ',
        `${pad(phase.phase, 11)} ${pad(phase.minutes.toFixed(1), 5, 'right')} min  (budget ${phase.budgetMinutes.toFixed(0)})  ${phase.verdict === 'ok' ? style.green('ok') : style.yellow(phase.verdict)}`,
        4,
      );
    }
  }
  if (report.pushbacks.length) {
    lines.push('', style.bold('Pushbacks'));
    for (const pushback of report.pushbacks) {
      const label = pushback.label ?? 'unanswered';
      const coloured = label === 'capitulated' ? style.red(label) : label === 'unanswered' ? style.dim(label) : style.green(label);
      add('  ', `[turn ${pushback.turn}] ${clip(pushback.challenge, 50)} → ${coloured}: ${clip(pushback.reason, 40)}`, 4);
    }
  }
  if (report.estimates.length) {
    lines.push('', style.bold('Estimates'));
    for (const estimate of report.estimates.slice(0, 8)) {
      add('  ', `[turn ${estimate.turn}] ${clip(estimate.quote, 50)} → ${estimate.verdict}: ${clip(estimate.detail, 50)}`, 4);
    }
  }
  if (report.flags.length) {
    lines.push('', style.bold('Flags'));
    for (const flag of report.flags) add('  ', `${style.yellow('!')} ${flag.kind}: ${clip(flag.message)}`, 4);
  }
  return lines.join('\n') + '\n';
}
