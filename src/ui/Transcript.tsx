// Finished history, printed once above the live region with ink <Static>. Items are append-only:
// ink remembers how many it has written and prints only new ones, at the width current when
// they arrive (a resize does not re-wrap what is already on screen — that is how <Static> works).
// A streaming reply's committed paragraphs are appended as `continued` turn items, so they leave
// the live region as soon as they are complete.
import { Box, Static, Text } from 'ink';
import React from 'react';
import { renderMarkdown } from '../term/markdown.js';
import { wrapRows } from '../term/wrap.js';
import { theme } from '../term/theme.js';
import type { HistoryItem } from '../interview/session-state.js';
import type { GradeReport } from '../schemas/report.js';

type Role = Extract<HistoryItem, { kind: 'turn' }>['role'];

export interface TranscriptProps {
  /** The session's history, as the session keeps it (one item type from the session to the screen). */
  items: readonly HistoryItem[];
  width: number;
  color?: boolean;
  /** The score card's text at a width (the session's renderReport). */
  renderScore: (report: GradeReport, width: number) => string;
}

const LABELS: Record<Role, string> = { candidate: 'You', interviewer: 'Interviewer' };

export interface EntryProps {
  item: HistoryItem;
  width: number;
  color?: boolean;
  renderScore: (report: GradeReport, width: number) => string;
}

const INDENT = 2;

/** One history item as a string (also used by tests). */
export function renderEntry({ item, width, color = true, renderScore }: EntryProps): string {
  const t = theme(color);
  const columns = Math.max(10, width);
  switch (item.kind) {
    case 'turn': {
      const lines: string[] = [];
      if (!item.continued) lines.push(t.bold((item.role === 'candidate' ? t.green : t.cyan)(LABELS[item.role])));
      // The interviewer's markdown is rendered; typed text keeps its line breaks and is wrapped
      // inside the indent, like the markdown.
      const body =
        item.role === 'interviewer'
          ? renderMarkdown(item.text, columns - INDENT, { color })
          : item.text
              .replace(/\r\n?/g, '\n')
              .trimEnd()
              .split('\n')
              .flatMap((line) => (line === '' ? [''] : wrapRows(line, columns - INDENT)))
              .join('\n');
      const pad = ' '.repeat(INDENT);
      for (const line of body.split('\n')) lines.push(line === '' ? '' : pad + line);
      return lines.join('\n');
    }
    case 'notice': {
      const paint = item.tone === 'error' ? t.red : item.tone === 'warn' ? t.yellow : t.gray;
      const mark = item.tone === 'error' ? '✗' : item.tone === 'warn' ? '!' : '·';
      return paint(`${mark} ${item.text}`);
    }
    case 'score':
      return renderScore(item.report, columns).replace(/\s+$/, '');
  }
}

export function TranscriptEntry(props: EntryProps): React.JSX.Element {
  // Continued chunks sit one blank line under the previous paragraph; new turns get the same gap.
  return (
    <Box marginTop={1} width={props.width} flexDirection="column">
      <Text>{renderEntry(props)}</Text>
    </Box>
  );
}

export function Transcript({ items, width, color = true, renderScore }: TranscriptProps): React.JSX.Element {
  return (
    <Static items={[...items]}>
      {(item) => <TranscriptEntry key={item.id} item={item} width={width} color={color} renderScore={renderScore} />}
    </Static>
  );
}

export default Transcript;
