// Terminal columns a string takes, measured by string-width (graphemes, East Asian Wide,
// emoji, combining marks; colour escapes count nothing), so CJK file names and problem titles
// line up in every table the CLI prints.
import { createRequire } from 'node:module';
import type stringWidthOf from 'string-width';

/** Printable ASCII only: one column a character, measured without string-width. */
// eslint-disable-next-line no-control-regex
export const PLAIN_ASCII = /^[\u0020-\u007e]*$/;

/**
 * string-width is loaded the first time a string is not plain ASCII: loading it builds Unicode
 * property patterns and a segmenter (15 ms and more), which `--help` and an ASCII table of
 * problems must not pay. require() of an ES module is synchronous on Node ≥ 20.19.
 */
let measure: typeof stringWidthOf | null = null;

export function displayWidth(text: string): number {
  // Nearly every cell and row is plain ASCII: measured without segmenting (the live tail re-wraps 20 times a second).
  if (PLAIN_ASCII.test(text)) return text.length;
  measure ??= (createRequire(import.meta.url)('string-width') as { default: typeof stringWidthOf }).default;
  return measure(text);
}

/** Pad with spaces to `width` display columns. */
export function padDisplay(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = Math.max(0, width - displayWidth(text));
  return align === 'left' ? text + ' '.repeat(gap) : ' '.repeat(gap) + text;
}

// Made on first use: building a segmenter loads ICU data (20 ms), too much for every start.
let graphemes: Intl.Segmenter | null = null;

/** The end of the text that fits in `width` columns, after a leading "…" (a path's end says most). */
export function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  graphemes ??= new Intl.Segmenter();
  const parts = [...graphemes.segment(text)].map((s) => s.segment);
  let kept = '';
  let used = 1;
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = displayWidth(parts[i]!);
    if (used + w > width) break;
    kept = parts[i]! + kept;
    used += w;
  }
  return `…${kept}`;
}
