// The terminal score card for one report: overall and level, each dimension with its
// evidence and what was missing, then time, pushbacks, estimates and flags.
import type { Styler } from '../../commands/style.js';
import type { GradeReport } from '../../schemas/report.js';
import { displayName, overall, pad, score } from './format.js';

function clip(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function renderCard(report: GradeReport, style: Styler): string {
  const lines: string[] = [];
  const title = `${displayName(report.file, report.sessionId)} — ${report.problem ?? 'unknown problem'} (${report.mode})`;
  lines.push(style.bold(title));
  lines.push(
    `Overall ${style.bold(overall(report.overall))} / 5 · ${style.bold(report.level.label)} · rubric ${report.rubric.name}@${report.rubric.version} · ${report.grader} grader${report.model ? ` (${report.model})` : ''}`,
  );
  if (report.level.blockers.length) lines.push(style.dim(`  next level: ${report.level.blockers.join('; ')}`));
  lines.push('');
  for (const dimension of Object.values(report.dimensions)) {
    const spread = dimension.samples?.spread;
    const extra = spread !== null && spread !== undefined ? style.dim(` (spread ${spread.toFixed(1)})`) : '';
    lines.push(`${pad(score(dimension.score), 4, 'right')}  ${style.bold(dimension.name)}${extra}`);
    for (const evidence of dimension.evidence.slice(0, 2)) {
      lines.push(style.dim(`        + [turn ${evidence.turn}] "${clip(evidence.quote, 96)}"`));
    }
    for (const missing of dimension.missing.slice(0, 2)) lines.push(style.dim(`        - ${clip(missing, 100)}`));
    if (dimension.score === null && dimension.notes[0]) lines.push(style.dim(`        ${clip(dimension.notes[0])}`));
  }
  if (report.strengths.length) {
    lines.push('', style.bold('What went well'));
    for (const item of report.strengths) lines.push(`  ${style.green('✓')} ${clip(item)}`);
  }
  if (report.toExpand.length) {
    lines.push('', style.bold('What to expand'));
    for (const item of report.toExpand) lines.push(`  ${style.yellow('→')} ${clip(item)}`);
  }
  if (report.time.phases.length) {
    lines.push('', style.bold(`Time${report.time.estimated ? ' (estimated from word counts)' : ''}`));
    for (const phase of report.time.phases) {
      lines.push(
        `  ${pad(phase.phase, 11)} ${pad(phase.minutes.toFixed(1), 5, 'right')} min  (budget ${phase.budgetMinutes.toFixed(0)})  ${phase.verdict === 'ok' ? style.green('ok') : style.yellow(phase.verdict)}`,
      );
    }
  }
  if (report.pushbacks.length) {
    lines.push('', style.bold('Pushbacks'));
    for (const pushback of report.pushbacks) {
      const label = pushback.label ?? 'unanswered';
      const coloured = label === 'capitulated' ? style.red(label) : label === 'unanswered' ? style.dim(label) : style.green(label);
      lines.push(`  [turn ${pushback.turn}] ${clip(pushback.challenge, 50)} → ${coloured}: ${clip(pushback.reason, 40)}`);
    }
  }
  if (report.estimates.length) {
    lines.push('', style.bold('Estimates'));
    for (const estimate of report.estimates.slice(0, 8)) {
      lines.push(`  [turn ${estimate.turn}] ${clip(estimate.quote, 50)} → ${estimate.verdict}: ${clip(estimate.detail, 50)}`);
    }
  }
  if (report.flags.length) {
    lines.push('', style.bold('Flags'));
    for (const flag of report.flags) lines.push(`  ${style.yellow('!')} ${flag.kind}: ${clip(flag.message)}`);
  }
  return lines.join('\n') + '\n';
}
