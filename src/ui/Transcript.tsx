// Finished history, printed once above the live region with ink <Static>. Items are append-only:
// ink remembers how many it has written and prints only new ones, at the width current when
// they arrive (a resize does not re-wrap what is already on screen — that is how <Static> works).
// A streaming reply's committed paragraphs are appended as `continued` turn items, so they leave
// the live region as soon as they are complete.
import { Box, Static, Text } from 'ink';
import React from 'react';
import { renderMarkdown } from './markdown.js';
import { wrapRows } from '../term/wrap.js';
import { theme } from '../term/theme.js';

export type Role = 'candidate' | 'interviewer' | 'system';

export type TranscriptItem =
  | {
      kind: 'turn';
      /** Stable and unique (React key). */
      id: string;
      role: Role;
      text: string;
      /** Overrides the role's label, e.g. "Interviewer (builtin)". */
      label?: string;
      /** A further chunk of the turn above: no label, just the body. */
      continued?: boolean;
      /** The reply was cut short (Esc, failure): a dim marker follows the body. */
      partial?: boolean;
      /** Default: markdown for interviewer turns, plain text (line breaks kept) otherwise. */
      markdown?: boolean;
    }
  | { kind: 'notice'; id: string; text: string; tone?: 'info' | 'warning' | 'error' }
  /** A divider line, e.g. a phase change: "── deep dive ──". */
  | { kind: 'rule'; id: string; text?: string }
  /** Pre-rendered text printed as is (score card, /help output). */
  | { kind: 'block'; id: string; text: string };

export interface TranscriptProps {
  items: TranscriptItem[];
  width: number;
  color?: boolean;
  labels?: Partial<Record<Role, string>>;
}

export const DEFAULT_LABELS: Record<Role, string> = { candidate: 'You', interviewer: 'Interviewer', system: 'System' };

export interface EntryProps {
  item: TranscriptItem;
  width: number;
  color?: boolean;
  labels?: Partial<Record<Role, string>>;
}

const INDENT = 2;

/** One transcript item as a string (also used by tests and for plain-text output). */
export function renderEntry({ item, width, color = true, labels }: EntryProps): string {
  const t = theme(color);
  const columns = Math.max(10, width);
  switch (item.kind) {
    case 'turn': {
      const lines: string[] = [];
      if (!item.continued) {
        const label = item.label ?? labels?.[item.role] ?? DEFAULT_LABELS[item.role];
        const paint = item.role === 'candidate' ? t.green : item.role === 'interviewer' ? t.cyan : t.gray;
        lines.push(t.bold(paint(label)));
      }
      const useMarkdown = item.markdown ?? item.role === 'interviewer';
      // Typed text keeps its line breaks and is wrapped inside the indent, like the markdown.
      const body = useMarkdown
        ? renderMarkdown(item.text, columns - INDENT, { color })
        : item.text
            .replace(/\r\n?/g, '\n')
            .trimEnd()
            .split('\n')
            .flatMap((line) => (line === '' ? [''] : wrapRows(line, columns - INDENT)))
            .join('\n');
      const pad = ' '.repeat(INDENT);
      for (const line of body.split('\n')) lines.push(item.role === 'system' ? pad + t.dim(line) : line === '' ? '' : pad + line);
      if (item.partial) lines.push(pad + t.dim(t.yellow('⋯ reply cancelled (partial)')));
      return lines.join('\n');
    }
    case 'notice': {
      const paint = item.tone === 'error' ? t.red : item.tone === 'warning' ? t.yellow : t.gray;
      const mark = item.tone === 'error' ? '✗' : item.tone === 'warning' ? '!' : '·';
      return paint(`${mark} ${item.text}`);
    }
    case 'rule': {
      const label = item.text ? ` ${item.text} ` : '';
      const side = Math.max(2, Math.floor((columns - label.length) / 2));
      return t.dim(`${'─'.repeat(side)}${label}${'─'.repeat(Math.max(0, columns - side - label.length))}`);
    }
    case 'block':
      return item.text.replace(/\s+$/, '');
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

export function Transcript({ items, width, color = true, labels }: TranscriptProps): React.JSX.Element {
  return (
    <Static items={items}>
      {(item) => <TranscriptEntry key={item.id} item={item} width={width} color={color} {...(labels ? { labels } : {})} />}
    </Static>
  );
}

export default Transcript;
