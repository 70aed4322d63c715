// The one plain-text table every listing prints: columns padded to their widest cell by display
// width (CJK and emoji take two columns, colour escapes none), two spaces between columns, the
// last column left ragged so a long title or path never pads the line.
import { displayWidth } from './width.js';

export interface TableOptions {
  /** Styles the header row (bold on a terminal). */
  header?: (line: string) => string;
  /** Right-align these columns (numbers). */
  right?: readonly number[];
}

export function textTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  if (rows.length === 0) return '';
  const header = options.header ?? ((line: string) => line);
  const right = new Set(options.right ?? []);
  const cellWidths = rows.map((row) => row.map(displayWidth));
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) => cellWidths.reduce((max, row) => Math.max(max, row[i] ?? 0), 0));
  return rows
    .map((row, r) => {
      const line = row
        .map((cell, i) => {
          const gap = ' '.repeat(widths[i]! - cellWidths[r]![i]!);
          if (right.has(i)) return gap + cell;
          return i === row.length - 1 ? cell : cell + gap;
        })
        .join('  ')
        .trimEnd();
      return r === 0 ? header(line) : line;
    })
    .join('\n');
}
