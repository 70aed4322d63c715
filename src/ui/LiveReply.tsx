// The uncommitted tail of the reply being streamed: the only part of a reply that ink repaints.
// Wrapped here (not by ink) so its height is known and capped: when the tail is taller than
// `maxHeight` rows, the LAST rows that fit are shown under a dim "…" line. A live region taller
// than the terminal makes ink clear the screen and repaint everything, so the caller passes
// maxHeight = rows − header − composer − margin.
import { Box, Text } from 'ink';
import React from 'react';
import { renderMarkdown } from '../term/markdown.js';
import { endsInsideFence } from '../interview/stream-buffer.js';
import { theme } from '../term/theme.js';
import { wrapRows } from '../term/wrap.js';

export interface LiveReplyProps {
  /** The live tail (see splitCommittable); an empty string renders nothing. */
  text: string;
  /** Columns available. */
  width: number;
  /** Hard cap on rows, label and "…" line included (minimum 1). */
  maxHeight: number;
  /** Render the tail as markdown (default) or as plain text. */
  markdown?: boolean;
  color?: boolean;
  /** First row, e.g. "Interviewer" — pass it only while nothing of this reply is committed yet. */
  label?: string;
  /** Body indent in columns (default 2, same as Transcript). */
  indent?: number;
}

export interface LiveLayout {
  rows: string[];
  /** True when rows above were dropped to fit. */
  cut: boolean;
}

/**
 * Keep rendering cost bounded for a huge tail: only the last source lines can be visible (each
 * non-empty source line takes at least one row). An opening fence is kept so a long code block
 * still renders as code. A giant single line is cut at a position that moves in big steps, so
 * the wrapping of the visible rows does not jitter while it grows.
 */
function windowSource(text: string, maxHeight: number, width: number): string {
  const lines = text.split('\n');
  const keep = maxHeight * 2 + 4;
  let window = lines;
  if (lines.length > keep) {
    window = lines.slice(-keep);
    const first = lines[0] ?? '';
    if (/^[ \t]*(`{3,}|~{3,})/.test(first) && endsInsideFence(text + '\n')) window = [first, ...window];
  }
  const budget = (maxHeight + 2) * Math.max(width, 10) * 2;
  const lastIndex = window.length - 1;
  const last = window[lastIndex] ?? '';
  if (last.length > budget * 2) {
    const step = budget;
    const start = Math.floor((last.length - budget) / step) * step;
    window = [...window.slice(0, lastIndex), last.slice(start)];
  }
  return window.join('\n');
}

export function layoutLiveReply(props: LiveReplyProps): LiveLayout {
  const { text, width, markdown = true, color = true, label } = props;
  const maxHeight = Math.max(1, Math.floor(props.maxHeight));
  const indent = Math.max(0, Math.min(props.indent ?? 2, Math.floor(width / 4)));
  const t = theme(color);
  if (text.trim() === '' && !label) return { rows: [], cut: false };
  const bodyWidth = Math.max(1, width - indent);
  const source = windowSource(text.replace(/\r\n?/g, '\n'), maxHeight, bodyWidth);
  const rendered = markdown ? renderMarkdown(source, bodyWidth, { color }) : source.replace(/\s+$/, '');
  const pad = ' '.repeat(indent);
  const body = rendered === '' ? [] : wrapRows(rendered, bodyWidth).map((row) => pad + row);
  const head = label ? [t.bold(t.cyan(label))] : [];
  const all = [...head, ...body];
  if (all.length <= maxHeight) return { rows: all, cut: false };
  if (maxHeight === 1) return { rows: all.slice(-1), cut: true };
  return { rows: [t.dim(`${pad}…`), ...all.slice(-(maxHeight - 1))], cut: true };
}

export function LiveReply(props: LiveReplyProps): React.JSX.Element | null {
  const { rows } = layoutLiveReply(props);
  if (rows.length === 0) return null;
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0}>
      {rows.map((row, index) => (
        // Rows are pre-wrapped to the width; truncate guards against any off-by-one so ink
        // never wraps a row into two and breaks the height cap.
        <Text key={index} wrap="truncate-end">
          {row === '' ? ' ' : row}
        </Text>
      ))}
    </Box>
  );
}

export default LiveReply;
