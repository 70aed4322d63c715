// Wrapping to rows exactly as the terminal will show them, so heights can be capped before ink
// lays anything out. A greedy word wrap (long words hard-split, like ink's wrap-ansi with
// hard: true) written for speed: wrap-ansi took ~5 ms for a 300-character paragraph, too slow to
// re-wrap the live tail at 20 paints a second. ANSI SGR styling is carried across row breaks
// (closed at the end of a row, reopened at the start of the next) so each row stands alone.
import { displayWidth, PLAIN_ASCII } from './width.js';
import { escapeSequences } from './strip.js';

const ESCAPE = escapeSequences('y');
// Made on first use: building a segmenter loads ICU data (20 ms), too much for every start.
let segmenter: Intl.Segmenter | null = null;


interface Unit {
  text: string;
  width: number;
  escape: boolean;
  space: boolean;
}

function units(line: string): Unit[] {
  const out: Unit[] = [];
  let i = 0;
  let plainStart = 0;
  const flushPlain = (end: number) => {
    if (end <= plainStart) return;
    const chunk = line.slice(plainStart, end);
    if (PLAIN_ASCII.test(chunk)) {
      for (const ch of chunk) out.push({ text: ch, width: 1, escape: false, space: ch === ' ' });
    } else {
      for (const { segment } of (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(chunk)) {
        out.push({ text: segment, width: displayWidth(segment), escape: false, space: segment === ' ' });
      }
    }
  };
  while (i < line.length) {
    const at = line.indexOf('\u001b', i);
    if (at === -1) break;
    ESCAPE.lastIndex = at;
    const match = ESCAPE.exec(line);
    if (!match) {
      i = at + 1;
      continue;
    }
    flushPlain(at);
    out.push({ text: match[0], width: 0, escape: true, space: false });
    i = at + match[0].length;
    plainStart = i;
  }
  flushPlain(line.length);
  return out;
}

/** Open SGR codes after applying `sequence` (enough for the styles the UI emits). */
function applySgr(active: string[], sequence: string): string[] {
  const match = /^\u001b\[([\d;:]*)m$/.exec(sequence);
  if (!match) return active;
  const params = match[1] ?? '';
  if (params === '' || params === '0') return [];
  const first = Number(params.split(/[;:]/)[0]);
  const closes: Record<number, (code: number) => boolean> = {
    22: (c) => c === 1 || c === 2,
    23: (c) => c === 3,
    24: (c) => c === 4,
    27: (c) => c === 7,
    29: (c) => c === 9,
    39: (c) => (c >= 30 && c <= 38) || (c >= 90 && c <= 97),
    49: (c) => (c >= 40 && c <= 48) || (c >= 100 && c <= 107),
  };
  const closer = closes[first];
  if (closer) {
    // Remove the most recent matching opener only (nested styles reopen via the theme).
    const index = active.map((s) => Number(/\[(\d+)/.exec(s)?.[1])).findLastIndex((code) => closer(code));
    return index === -1 ? active : [...active.slice(0, index), ...active.slice(index + 1)];
  }
  return [...active, sequence];
}

/** Rows of `text` at `width` columns: word-wrapped, long words hard-split, styling kept per row. */
export function wrapRows(text: string, width: number): string[] {
  const columns = Math.max(1, Math.floor(width));
  const clean = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
  const rows: string[] = [];
  let active: string[] = [];
  for (const line of clean.split('\n')) {
    if (PLAIN_ASCII.test(line) && line.length <= columns) {
      rows.push(active.length ? active.join('') + line : line);
      continue;
    }
    const all = units(line);
    let row = active.join('');
    let rowWidth = 0;
    let rowHasText = false;
    const breakRow = () => {
      rows.push(active.length ? `${row}\u001b[0m` : row);
      row = active.join('');
      rowWidth = 0;
      rowHasText = false;
    };
    let i = 0;
    while (i < all.length) {
      const unit = all[i]!;
      if (unit.escape) {
        row += unit.text;
        active = applySgr(active, unit.text);
        i++;
        continue;
      }
      if (unit.space) {
        // A run of spaces: kept when the next word fits after it on this row, dropped at a break.
        let j = i;
        let spaceWidth = 0;
        while (j < all.length && all[j]!.space) spaceWidth += all[j++]!.width;
        let k = j;
        let wordWidth = 0;
        while (k < all.length && !all[k]!.space) wordWidth += all[k++]!.width;
        if (rowWidth + spaceWidth + wordWidth <= columns || !rowHasText) {
          if (rowWidth + spaceWidth <= columns) {
            for (let s = i; s < j; s++) row += all[s]!.text;
            rowWidth += spaceWidth;
          }
        } else if (wordWidth <= columns) {
          breakRow();
        } else if (rowWidth + spaceWidth < columns) {
          for (let s = i; s < j; s++) row += all[s]!.text;
          rowWidth += spaceWidth;
        } else {
          breakRow();
        }
        i = j;
        continue;
      }
      // A word: move it to a new row if it does not fit but would on its own; else hard-split.
      if (rowWidth > 0) {
        let k = i;
        let wordWidth = 0;
        while (k < all.length && !all[k]!.space) wordWidth += all[k++]!.width;
        if (rowWidth + wordWidth > columns && wordWidth <= columns) breakRow();
      }
      if (rowWidth + unit.width > columns && rowWidth > 0) breakRow();
      row += unit.text;
      rowWidth += unit.width;
      rowHasText = true;
      i++;
    }
    rows.push(active.length ? `${row}\u001b[0m` : row);
    // A style left open at the end of a line carries on (reopened on the next row).
  }
  return rows;
}

/** Word-wrap to `width` columns: the first line after `first`, the others after `rest`. */
export function wrap(text: string, width: number, first: string, rest = first): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const indent = lines.length === 0 ? first : rest;
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push((lines.length === 0 ? first : rest) + line);
  return lines.join('\n');
}
