// The one plain-text table every listing prints: columns padded to their widest cell by display
// width (CJK and emoji take two columns, colour escapes none), two spaces between columns, the
// last column left ragged so a long title or path never pads the line.
import { displayWidth } from './width.js';

/** A cell: its text, or its text with a style applied to the padded cell (a coloured score column). */
export type Cell = string | { readonly text: string; readonly style?: (padded: string) => string };

export interface TableOptions {
  /** Styles the header row (bold on a terminal). */
  header?: (line: string) => string;
  /** Right-align these columns (numbers). */
  right?: readonly number[];
  /** Columns at least this many terminal columns wide, whatever their cells. */
  minWidths?: readonly number[];
}

const textOf = (cell: Cell): string => (typeof cell === 'string' ? cell : cell.text);

export function textTable(rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  if (rows.length === 0) return '';
  const header = options.header ?? ((line: string) => line);
  const right = new Set(options.right ?? []);
  const cellWidths = rows.map((row) => row.map((cell) => displayWidth(textOf(cell))));
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    cellWidths.reduce((max, row) => Math.max(max, row[i] ?? 0), options.minWidths?.[i] ?? 0),
  );
  return rows
    .map((row, r) => {
      const line = row
        .map((cell, i) => {
          const text = textOf(cell);
          const gap = ' '.repeat(widths[i]! - cellWidths[r]![i]!);
          const padded = right.has(i) ? gap + text : i === row.length - 1 ? text : text + gap;
          return typeof cell === 'string' || !cell.style ? padded : cell.style(padded);
        })
        .join('  ')
        .trimEnd();
      return r === 0 ? header(line) : line;
    })
    .join('\n');
}
