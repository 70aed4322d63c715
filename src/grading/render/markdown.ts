// `--format md`: a Markdown report per transcript, for sharing with a candidate or a coach.
import type { GradeFailure, GradeReport } from '../../schemas/report.js';
import { displayName, overall, score } from './format.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/**
 * Split a line into text and inline code spans (CommonMark: a run of n backticks up to the next
 * run of exactly n; a run with no closer is literal text). Code spans come back verbatim.
 */
function splitCodeSpans(line: string): { code: boolean; text: string }[] {
  const parts: { code: boolean; text: string }[] = [];
  let text = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      text += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    let close = -1;
    for (let j = i + n; j < line.length; ) {
      if (line[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (line[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      text += line.slice(i, i + n);
      i += n;
      continue;
    }
    if (text) parts.push({ code: false, text });
    text = '';
    parts.push({ code: true, text: line.slice(i, close + n) });
    i = close + n;
  }
  if (text) parts.push({ code: false, text });
  return parts;
}

/**
 * Someone's words as Markdown inline text: outside code spans, only what Markdown would not show
 * as written is escaped — a `<` that would start an HTML tag, comment or autolink (`<br>`,
 * `<id>`, `</div>`, `<!--`) and an `&` that would start an entity (`&amp;`, `&#60;`) — with a
 * backslash, so the source stays readable; `a < b` and `x<5` are left alone. Inline code is
 * verbatim.
 */
export function escapeInline(line: string): string {
  return splitCodeSpans(line)
    .map((part) =>
      part.code ? part.text : part.text.replace(/<(?=[A-Za-z/!?])/g, '\\<').replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&'),
    )
    .join('');
}

export function renderMarkdownReport(report: GradeReport): string {
  const out: string[] = [];
  out.push(`## ${displayName(report.file, report.sessionId)}`, '');
  out.push(
    `**Overall ${overall(report.overall)} / 5 · ${report.level.label}** — problem ${report.problem ?? 'unknown'}, ${report.mode}, rubric ${report.rubric.name}@${report.rubric.version}${report.rubric.sha256 ? ` (sha256 ${report.rubric.sha256.slice(0, 12)})` : ''}, ${report.grader} grader${report.model ? ` (${report.model})` : ''}`,
    '',
  );
  if (report.level.blockers.length) out.push(`Next level: ${report.level.blockers.join('; ')}.`, '');
  if (report.target?.met) out.push(`Target ${report.target.level}: met.`, '');
  else if (report.target) out.push(`**For ${report.target.level} you still need:**`, '', ...report.target.missing.map((m) => `- ${m.text}`), '');
  out.push('| Dimension | Score | Evidence | Missing |', '| --- | ---: | --- | --- |');
  for (const d of Object.values(report.dimensions)) {
    const evidence = d.evidence.map((e) => `[turn ${e.turn}] "${escapeInline(e.quote)}"`).join('<br>');
    const missing = d.score === null ? (d.notes[0] ?? 'not applicable') : d.missing.join('<br>');
    // In a judge's report, a score the evidence grader supplied (the judge skipped it or could not ground it) says so.
    const by = report.grader === 'llm' && d.grader === 'evidence' && d.score !== null ? ' (evidence)' : '';
    out.push(`| ${cell(d.name)} | ${score(d.score)}${by} | ${cell(evidence)} | ${cell(missing)} |`);
  }
  if (report.strengths.length) out.push('', '### What went well', '', ...report.strengths.map((s) => `- ${s}`));
  if (report.toExpand.length) out.push('', '### What to expand', '', ...report.toExpand.map((s) => `- ${s}`));
  if (report.time.phases.length) {
    out.push('', `### Time allocation${report.time.estimated ? ' (estimated from word counts)' : ''}`, '');
    out.push('| Phase | Minutes | Budget | |', '| --- | ---: | ---: | --- |');
    for (const p of report.time.phases) out.push(`| ${p.phase} | ${p.minutes.toFixed(1)} | ${p.budgetMinutes.toFixed(0)} | ${p.verdict} |`);
  }
  if (report.pushbacks.length) {
    out.push('', '### Pushbacks', '', '| Turn | Challenge | Answer | Label | Why |', '| ---: | --- | --- | --- | --- |');
    for (const p of report.pushbacks) {
      out.push(`| ${p.turn} | ${cell(p.challenge)} | ${cell(p.answer ?? '')} | ${p.label ?? 'unanswered'} | ${cell(p.reason)} |`);
    }
  }
  if (report.estimates.length) {
    out.push('', '### Estimates', '', '| Turn | Said | Verdict | Detail |', '| ---: | --- | --- | --- |');
    for (const e of report.estimates) out.push(`| ${e.turn} | ${cell(e.quote)} | ${e.verdict} | ${cell(e.detail)} |`);
  }
  if (report.flags.length) out.push('', '### Flags', '', ...report.flags.map((f) => `- **${f.kind}**: ${f.message}`));
  return out.join('\n') + '\n';
}

/** The files that could not be graded, as a last section ("" when there are none). */
export function renderNotGraded(failures: GradeFailure[]): string {
  if (failures.length === 0) return '';
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  return ['## Not graded', '', ...failures.map((f) => `- ${code(f.file)}: ${cell(f.error)}`)].join('\n') + '\n';
}

export function renderMarkdown(reports: GradeReport[], failures: GradeFailure[] = []): string {
  const sections = [...reports.map(renderMarkdownReport)];
  if (failures.length > 0) sections.push(renderNotGraded(failures));
  return ['# sdcoach grades', '', ...sections].join('\n');
}
