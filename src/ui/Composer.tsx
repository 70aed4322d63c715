// Multi-line input at the bottom of the screen. Editing logic: composer-state.ts (pure); this
// file maps ink input to it and draws the text with a visible (inverse-video) cursor.
// Keys: see COMPOSER_KEYS / the header of composer-state.ts.
import { Box, Text, useInput, type Key } from 'ink';
import React, { useCallback, useEffect, useRef, useState } from 'react';
import {
  abandonPaste,
  composerReducer,
  emptyComposer,
  noPaste,
  readKey,
  resolveEnter,
  type ComposerCommand,
  type ComposerState,
  type PasteState,
} from './composer-state.js';
import { theme } from '../term/theme.js';
import { displayWidth } from '../term/width.js';

export interface ComposerProps {
  /** Called with the text (trailing whitespace trimmed) when Enter sends; never with blank text. */
  onSubmit: (text: string) => void;
  /** Your previous turns, oldest first; ↑ on the first line recalls them. */
  history?: readonly string[];
  /** A reply is streaming: typing still works, Enter is refused with a hint. */
  disabled?: boolean;
  /** The refusal hint. */
  disabledHint?: string;
  placeholder?: string;
  /** Columns available. */
  width: number;
  color?: boolean;
  /** Rows for the text itself (default 8); longer input scrolls to keep the cursor visible. */
  maxHeight?: number;
  /** Alias of maxHeight. */
  maxRows?: number;
  /** Show the dim key-help row under the input (default false: App prints its own hint line).
   *  The refusal hint uses this row (and appears even without help). */
  help?: boolean;
  /** Whether this composer receives keys (default true). */
  focus?: boolean;
  /** Prompt before the first line (default "› "). */
  prompt?: string;
  /** Every change of the text (e.g. to suggest slash commands). */
  onChange?: (value: string) => void;
  /** Render nothing while the text is empty (keys are still taken): keeps a streaming screen small. */
  hideWhenEmpty?: boolean;
  /** Draw the dim rule above the input (default true); off where a status bar already separates it. */
  rule?: boolean;
  /** Rows the composer occupies now (rule + text + help), to size the live region. */
  onHeightChange?: (rows: number) => void;
}

/** A bracketed paste with no event for this long is over, end marker or not (ms). */
const PASTE_SILENCE_MS = 2000;

export const DEFAULT_DISABLED_HINT = 'a reply is on its way: Enter sends when it ends (Esc cancels it)';
export const COMPOSER_HELP = 'Enter send · Ctrl+J or Alt+Enter new line · ↑↓ history';

/** Upper bound of the rows a composer takes: top rule + text rows + help/hint row. */
export function composerMaxRows(maxHeight = 8): number {
  return 1 + Math.max(1, maxHeight) + 1;
}

export interface ComposerLayoutInput {
  value: string;
  cursor: number;
  width: number;
  color?: boolean;
  placeholder?: string;
  prompt?: string;
  maxHeight?: number;
  showCursor?: boolean;
  dimPrompt?: boolean;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text rows of the composer, cursor drawn, scrolled so the cursor row is visible. */
export function layoutComposer(input: ComposerLayoutInput): string[] {
  const { value, cursor, color = true, showCursor = true } = input;
  const t = theme(color);
  const prompt = input.prompt ?? '› ';
  const promptWidth = displayWidth(prompt);
  const textWidth = Math.max(1, Math.floor(input.width) - promptWidth - 1); // -1: room for the cursor cell
  const maxHeight = Math.max(1, input.maxHeight ?? 8);
  const paintPrompt = (text: string) => (input.dimPrompt ? t.dim(text) : t.bold(t.cyan(text)));
  const blankPrompt = ' '.repeat(promptWidth);

  if (value === '') {
    const cursorCell = showCursor ? t.inverse(' ') : '';
    const room = Math.max(0, textWidth - 1);
    const placeholder = input.placeholder ? [...segmenter.segment(input.placeholder)].map((s) => s.segment) : [];
    let shown = '';
    let used = 0;
    for (const g of placeholder) {
      const w = displayWidth(g);
      if (used + w > room) break;
      shown += g;
      used += w;
    }
    return [paintPrompt(prompt) + cursorCell + t.dim(shown)];
  }

  interface Row {
    text: string;
    hasCursor: boolean;
  }
  const rows: Row[] = [];
  let offset = 0;
  for (const line of value.split('\n')) {
    const lineStart = offset;
    const lineEnd = offset + line.length;
    let row = '';
    let rowWidth = 0;
    let rowHasCursor = false;
    const push = () => {
      rows.push({ text: row, hasCursor: rowHasCursor });
      row = '';
      rowWidth = 0;
      rowHasCursor = false;
    };
    const cells: { text: string; width: number; cursor: boolean }[] = [];
    for (const { segment, index } of segmenter.segment(line)) {
      cells.push({ text: segment, width: displayWidth(segment), cursor: showCursor && lineStart + index === cursor });
    }
    if (showCursor && cursor === lineEnd) cells.push({ text: ' ', width: 1, cursor: true });
    for (const cell of cells) {
      if (rowWidth + cell.width > textWidth && rowWidth > 0) push();
      row += cell.cursor ? t.inverse(cell.text) : cell.text;
      rowWidth += cell.width;
      if (cell.cursor) rowHasCursor = true;
    }
    push();
    offset = lineEnd + 1;
  }

  let start = 0;
  if (rows.length > maxHeight) {
    const cursorRow = Math.max(0, rows.findIndex((r) => r.hasCursor));
    start = Math.min(Math.max(0, cursorRow - maxHeight + 1), rows.length - maxHeight);
    if (!showCursor) start = rows.length - maxHeight;
  }
  const end = Math.min(rows.length, start + maxHeight);
  const out: string[] = [];
  for (let i = start; i < end; i++) {
    const more = (i === start && start > 0) || (i === end - 1 && end < rows.length);
    const prefix = i === 0 ? paintPrompt(prompt) : more ? t.dim('⋮'.padEnd(promptWidth)) : blankPrompt;
    out.push(prefix + rows[i]!.text);
  }
  return out;
}

export function Composer(props: ComposerProps): React.JSX.Element {
  const {
    width,
    color = true,
    disabled = false,
    placeholder,
    help = false,
    focus = true,
    maxHeight: maxHeightProp,
    maxRows,
    prompt,
  } = props;
  const t = theme(color);
  // The state lives in a ref as well: several input events can arrive before React re-renders
  // (a chunk "text\r" is one event, but "ab" + an arrow key are two), and each must see the last.
  const stateRef = useRef<ComposerState>(emptyComposer);
  const [state, setState] = useState<ComposerState>(emptyComposer);
  const [refused, setRefused] = useState(false);
  const propsRef = useRef(props);
  propsRef.current = props;

  useEffect(() => {
    if (!disabled) setRefused(false);
  }, [disabled]);

  // Bracketed paste: whether one is under way, and a timer that ends one whose end never came.
  const pasteRef = useRef<PasteState>(noPaste);
  const pasteTimer = useRef<NodeJS.Timeout | null>(null);
  /** Input events so far: a paste timer only fires when none came after it was set. */
  const inputCount = useRef(0);

  const apply = useCallback((commands: readonly ComposerCommand[]) => {
    const current = propsRef.current;
    if (commands.length === 0) return;
    let next = stateRef.current;
    let refusedNow = false;
    let edited = false;
    for (const command of commands) {
      if (command.type !== 'enter') {
        next = composerReducer(next, command);
        edited = true;
        continue;
      }
      // The Enter that ends a paste sends the pasted text as it is (no backslash line break).
      const resolved = command.paste ? { state: next, submit: true } : resolveEnter(next);
      next = resolved.state;
      if (!resolved.submit) {
        edited = true;
        continue;
      }
      const text = next.value.replace(/\s+$/, '');
      if (text.trim() === '') continue;
      if (current.disabled) {
        refusedNow = true;
        continue;
      }
      next = composerReducer(next, { type: 'clear' });
      stateRef.current = next;
      setState(next);
      current.onSubmit(text);
      edited = true;
    }
    const changed = next.value !== stateRef.current.value;
    stateRef.current = next;
    setState(next);
    if (refusedNow) setRefused(true);
    else if (edited) setRefused(false);
    if (changed) current.onChange?.(next.value);
  }, []);

  const handleInput = useCallback(
    (input: string, key: Key) => {
      const read = readKey(pasteRef.current, input, key, propsRef.current.history ?? []);
      pasteRef.current = read.paste;
      const count = ++inputCount.current;
      if (pasteTimer.current) clearTimeout(pasteTimer.current);
      pasteTimer.current = null;
      if (read.paste.active) {
        pasteTimer.current = setTimeout(() => {
          pasteTimer.current = null;
          // After a stalled event loop, timers run before pending input is read: let the input
          // (the rest of the paste, its end marker) come first, and give up only if none did.
          setImmediate(() => {
            if (inputCount.current !== count || !pasteRef.current.active) return;
            const abandoned = abandonPaste(pasteRef.current);
            pasteRef.current = abandoned.paste;
            apply(abandoned.commands);
          });
        }, PASTE_SILENCE_MS);
      }
      apply(read.commands);
    },
    [apply],
  );

  useEffect(
    () => () => {
      if (pasteTimer.current) clearTimeout(pasteTimer.current);
    },
    [],
  );

  useInput(handleInput, { isActive: focus });

  const rows = layoutComposer({
    value: state.value,
    cursor: state.cursor,
    width,
    color,
    placeholder,
    prompt,
    maxHeight: maxHeightProp ?? maxRows ?? 8,
    showCursor: focus,
    dimPrompt: disabled,
  });
  const footer = refused ? t.yellow(props.disabledHint ?? DEFAULT_DISABLED_HINT) : help ? t.dim(COMPOSER_HELP) : null;
  const rule = props.rule ?? true;
  const height = (rule ? 1 : 0) + rows.length + (footer !== null ? 1 : 0);

  const onHeightChange = props.onHeightChange;
  useEffect(() => {
    onHeightChange?.(height);
  }, [height, onHeightChange]);

  if (props.hideWhenEmpty && state.value === '' && footer === null) return <></>;
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {rule ? <Text wrap="truncate-end">{t.dim('─'.repeat(Math.max(1, width)))}</Text> : null}
      {rows.map((row, index) => (
        <Text key={index} wrap="truncate-end">
          {row}
        </Text>
      ))}
      {footer !== null ? <Text wrap="truncate-end">{footer}</Text> : null}
    </Box>
  );
}

export default Composer;
