// `--format table`: one row per transcript (overall, level, the level target when one is set,
// every dimension); with a single transcript the full score card follows.
import type { Styler } from '../../term/colour.js';
import type { GradeReport } from '../../schemas/report.js';
import { renderCard } from './card.js';
import { compactLevel, dimensionIds, displayName, overall, score, shortName } from './format.js';
import { displayWidth, truncateStart } from '../../term/width.js';
import { textTable, type Cell } from '../../term/table.js';

export function colourScore(value: number | null, text: string, style: Styler): string {
  if (value === null) return style.dim(text);
  if (value >= 4) return style.green(text);
  if (value <= 2.5) return style.red(text);
  return style.yellow(text);
}

export function renderTable(reports: GradeReport[], style: Styler): string {
  if (reports.length === 0) return '';
  const ids = dimensionIds(reports);
  const names = reports.map((r) => displayName(r.file, r.sessionId));
  const nameWidth = Math.min(40, Math.max(4, ...names.map(displayWidth)));
  // "✓ L5" met, "✗ L6" not yet; the column only when some report has a target.
  const targets = reports.map((r) => (r.target ? `${r.target.met ? '✓' : '✗'} ${r.target.level}` : ''));
  const hasTargets = targets.some(Boolean);
  const header: Cell[] = ['file', 'overall', 'level', ...(hasTargets ? ['target'] : []), ...ids.map(shortName)];
  const rows: Cell[][] = [header];
  reports.forEach((report, row) => {
    const target = targets[row]!;
    rows.push([
      truncateStart(names[row]!, nameWidth),
      { text: overall(report.overall), style: (cell) => colourScore(report.overall, cell, style) },
      compactLevel(report),
      ...(hasTargets ? [report.target ? { text: target, style: report.target.met ? style.green : style.yellow } : ''] : []),
      ...ids.map((id) => {
        const value = report.dimensions[id]?.score ?? null;
        return { text: score(value), style: (cell: string) => colourScore(value, cell, style) };
      }),
    ]);
  });
  const numbers = [1, ...ids.map((_, i) => i + (hasTargets ? 4 : 3))];
  const minWidths = [nameWidth, 7, 5, ...(hasTargets ? [6] : []), ...ids.map(() => 3)];
  const lines = [textTable(rows, { header: style.bold, right: numbers, minWidths })];
  const legend = ids.map((id) => `${shortName(id)}=${id}`).join(' ');
  lines.push(style.dim(`(${legend}; – = not applicable)`));
  const table = lines.join('\n') + '\n';
  return reports.length === 1 ? `${table}\n${renderCard(reports[0]!, style)}` : table;
}
