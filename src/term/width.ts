// Terminal columns a string takes, measured by string-width (graphemes, East Asian Wide,
// emoji, combining marks; colour escapes count nothing), so CJK file names and problem titles
// line up in every table the CLI prints.
import stringWidth from 'string-width';

// eslint-disable-next-line no-control-regex
const PLAIN_ASCII = /^[\u0020-\u007e]*$/;

export function displayWidth(text: string): number {
  // Nearly every cell and row is plain ASCII: measured without segmenting (the live tail re-wraps 20 times a second).
  return PLAIN_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Pad with spaces to `width` display columns. */
export function padDisplay(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = Math.max(0, width - displayWidth(text));
  return align === 'left' ? text + ' '.repeat(gap) : ' '.repeat(gap) + text;
}

const graphemes = new Intl.Segmenter();

/** The end of the text that fits in `width` columns, after a leading "…" (a path's end says most). */
export function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
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
