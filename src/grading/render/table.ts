// `--format table`: one row per transcript (overall, level, the level target when one is set,
// every dimension); with a single transcript the full score card follows.
import type { Styler } from '../../term/colour.js';
import type { GradeReport } from '../../schemas/report.js';
import { renderCard } from './card.js';
import { compactLevel, dimensionIds, displayName, overall, score, shortName } from './format.js';
import { displayWidth, padDisplay as pad, truncateStart } from '../../term/width.js';

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
  const levelWidth = Math.max(5, ...reports.map((r) => displayWidth(compactLevel(r))));
  const widths = ids.map((id) => Math.max(3, displayWidth(shortName(id))));
  // "✓ L5" met, "✗ L6" not yet; the column only when some report has a target.
  const targets = reports.map((r) => (r.target ? `${r.target.met ? '✓' : '✗'} ${r.target.level}` : ''));
  const targetWidth = targets.some(Boolean) ? 6 : 0;
  const header = [
    pad('file', nameWidth),
    pad('overall', 7, 'right'),
    pad('level', levelWidth),
    ...(targetWidth ? [pad('target', targetWidth)] : []),
    ...ids.map((id, i) => pad(shortName(id), widths[i]!, 'right')),
  ].join('  ');
  const lines = [style.bold(header)];
  reports.forEach((report, row) => {
    const name = truncateStart(names[row]!, nameWidth);
    const cells = [
      pad(name, nameWidth),
      colourScore(report.overall, pad(overall(report.overall), 7, 'right'), style),
      pad(compactLevel(report), levelWidth),
      ...(targetWidth ? [report.target?.met ? style.green(pad(targets[row]!, targetWidth)) : report.target ? style.yellow(pad(targets[row]!, targetWidth)) : pad('', targetWidth)] : []),
      ...ids.map((id, i) => {
        const value = report.dimensions[id]?.score ?? null;
        return colourScore(value, pad(score(value), widths[i]!, 'right'), style);
      }),
    ];
    lines.push(cells.join('  '));
  });
  const legend = ids.map((id) => `${shortName(id)}=${id}`).join(' ');
  lines.push(style.dim(`(${legend}; – = not applicable)`));
  const table = lines.join('\n') + '\n';
  return reports.length === 1 ? `${table}\n${renderCard(reports[0]!, style)}` : table;
}
