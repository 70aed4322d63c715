// The composer's editing logic as a pure reducer plus the mapping from ink key events to
// commands, so both are tested without React.
//
// Keys (see COMPOSER_KEYS):
//   Enter                 send (refused with a hint while a reply streams)
//   Ctrl+J, Alt+Enter     new line   (Shift+Enter too where the terminal reports it: kitty protocol)
//   \ then Enter          new line   (a trailing backslash before the cursor turns into a line break)
//   ← → / Ctrl+B Ctrl+F   move;  Alt+←/→, Ctrl+←/→, Alt+B/F: by word
//   ↑ ↓                   move between lines; on the first/last line: browse your previous turns
//   Home/Ctrl+A End/Ctrl+E  start/end of the line
//   Backspace             delete back (ink reports the Backspace key as "delete"; both delete back)
//   Ctrl+D                delete forward;  Ctrl+U / Ctrl+K: delete to line start / end;  Ctrl+W, Alt+Backspace: word back
//   paste                 arrives whole: a chunk with line breaks is text, never a send;
//                         a chunk "text\r" (one trailing CR, no other line break, as tmux send-keys
//                         "text" Enter delivers) is typed text followed by Enter.
//   bracketed paste       (ESC[200~ … ESC[201~, which the practice screen asks the terminal for): all
//                         of it is text, however ink splits it; a paste whose text ends in a line
//                         break is sent, that last line break acting as Enter (see readKey).

export interface ComposerState {
  value: string;
  /** UTF-16 offset into value, always on a grapheme boundary. */
  cursor: number;
  /** Index into the history while browsing it; null while editing the draft. */
  historyIndex: number | null;
  /** The text being written before history browsing started. */
  draft: string;
}

export type ComposerAction =
  | { type: 'insert'; text: string }
  | { type: 'newline' }
  | { type: 'backspace' }
  | { type: 'deleteForward' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'wordLeft' }
  | { type: 'wordRight' }
  | { type: 'lineStart' }
  | { type: 'lineEnd' }
  | { type: 'killToLineStart' }
  | { type: 'killToLineEnd' }
  | { type: 'killWordBack' }
  | { type: 'up'; history: readonly string[] }
  | { type: 'down'; history: readonly string[] }
  | { type: 'set'; value: string }
  | { type: 'clear' };

/**
 * What a key event asks for: edits, or Enter (whose meaning depends on the state). The Enter that
 * ends a bracketed paste (`paste: true`) sends the text as pasted: a backslash before it is text.
 */
export type ComposerCommand = ComposerAction | { type: 'enter'; paste?: boolean };

export const COMPOSER_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['Enter', 'send'],
  ['Ctrl+J / Alt+Enter / \\+Enter', 'new line'],
  ['↑ ↓', 'lines; your previous turns from the first/last line'],
  ['← → Home End Ctrl+A Ctrl+E', 'move'],
  ['Backspace Ctrl+D Ctrl+U Ctrl+K Ctrl+W', 'delete'],
];

export const emptyComposer: ComposerState = { value: '', cursor: 0, historyIndex: null, draft: '' };

export function initComposer(value = ''): ComposerState {
  return { value, cursor: value.length, historyIndex: null, draft: '' };
}

// --- text helpers -----------------------------------------------------------------------------

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Grapheme boundaries of `text` (0 and text.length included). */
function boundaries(text: string): number[] {
  const out: number[] = [];
  for (const { index } of segmenter.segment(text)) out.push(index);
  out.push(text.length);
  return out;
}

function prevBoundary(text: string, at: number): number {
  if (at <= 0) return 0;
  // Only the current line matters; segmenting it keeps this cheap for long inputs.
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (lineStart === at) return at - 1;
  const marks = boundaries(text.slice(lineStart, at));
  return lineStart + (marks[marks.length - 2] ?? 0);
}

function nextBoundary(text: string, at: number): number {
  if (at >= text.length) return text.length;
  if (text[at] === '\n') return at + 1;
  let lineEnd = text.indexOf('\n', at);
  if (lineEnd === -1) lineEnd = text.length;
  const marks = boundaries(text.slice(at, lineEnd));
  return at + (marks[1] ?? lineEnd - at);
}

function snap(text: string, at: number): number {
  const clamped = Math.max(0, Math.min(text.length, at));
  const lineStart = text.lastIndexOf('\n', clamped - 1) + 1;
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = text.length;
  let best = lineStart;
  for (const mark of boundaries(text.slice(lineStart, lineEnd))) {
    if (lineStart + mark <= clamped) best = lineStart + mark;
  }
  return best;
}

export function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

export function lineEndOf(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

export function isOnFirstLine(state: ComposerState): boolean {
  return state.value.lastIndexOf('\n', state.cursor - 1) === -1;
}

export function isOnLastLine(state: ComposerState): boolean {
  return state.value.indexOf('\n', state.cursor) === -1;
}

const WORD = /[\p{L}\p{N}_]/u;

function wordLeft(text: string, at: number): number {
  let i = at;
  while (i > 0 && !WORD.test(text[i - 1]!)) i--;
  while (i > 0 && WORD.test(text[i - 1]!)) i--;
  return snap(text, i);
}

function wordRight(text: string, at: number): number {
  let i = at;
  while (i < text.length && !WORD.test(text[i]!)) i++;
  while (i < text.length && WORD.test(text[i]!)) i++;
  return snap(text, i);
}

/** Make pasted/typed text safe to insert: CRLF/CR → LF, tabs → spaces, no control characters. */
export function sanitizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, '    ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '')
  );
}

// --- reducer ------------------------------------------------------------------------------------

function edit(state: ComposerState, value: string, cursor: number): ComposerState {
  return { ...state, value, cursor };
}

export function composerReducer(state: ComposerState, action: ComposerAction): ComposerState {
  const { value, cursor } = state;
  switch (action.type) {
    case 'insert': {
      const text = sanitizeText(action.text);
      if (text === '') return state;
      return edit(state, value.slice(0, cursor) + text + value.slice(cursor), cursor + text.length);
    }
    case 'newline':
      return edit(state, `${value.slice(0, cursor)}\n${value.slice(cursor)}`, cursor + 1);
    case 'backspace': {
      if (cursor === 0) return state;
      const at = prevBoundary(value, cursor);
      return edit(state, value.slice(0, at) + value.slice(cursor), at);
    }
    case 'deleteForward': {
      if (cursor >= value.length) return state;
      const at = nextBoundary(value, cursor);
      return edit(state, value.slice(0, cursor) + value.slice(at), cursor);
    }
    case 'left':
      return cursor === 0 ? state : { ...state, cursor: prevBoundary(value, cursor) };
    case 'right':
      return cursor >= value.length ? state : { ...state, cursor: nextBoundary(value, cursor) };
    case 'wordLeft':
      return { ...state, cursor: wordLeft(value, cursor) };
    case 'wordRight':
      return { ...state, cursor: wordRight(value, cursor) };
    case 'lineStart':
      return { ...state, cursor: lineStartOf(value, cursor) };
    case 'lineEnd':
      return { ...state, cursor: lineEndOf(value, cursor) };
    case 'killToLineStart': {
      const start = lineStartOf(value, cursor);
      // At a line start, join with the line above (like readline's unix-line-discard repeated).
      const from = start === cursor && cursor > 0 ? cursor - 1 : start;
      return edit(state, value.slice(0, from) + value.slice(cursor), from);
    }
    case 'killToLineEnd': {
      const end = lineEndOf(value, cursor);
      const to = end === cursor && cursor < value.length ? cursor + 1 : end;
      return edit(state, value.slice(0, cursor) + value.slice(to), cursor);
    }
    case 'killWordBack': {
      const at = wordLeft(value, cursor);
      return edit(state, value.slice(0, at) + value.slice(cursor), at);
    }
    case 'up': {
      if (!isOnFirstLine(state)) {
        const start = lineStartOf(value, cursor);
        const column = cursor - start;
        const prevStart = lineStartOf(value, start - 1);
        const prevLength = start - 1 - prevStart;
        return { ...state, cursor: snap(value, prevStart + Math.min(column, prevLength)) };
      }
      const { history } = action;
      if (history.length === 0) return state;
      if (state.historyIndex === null) {
        const entry = history[history.length - 1]!;
        return { value: entry, cursor: entry.length, historyIndex: history.length - 1, draft: value };
      }
      if (state.historyIndex <= 0) return { ...state, cursor: 0 };
      const index = Math.min(state.historyIndex, history.length) - 1;
      const entry = history[index]!;
      return { ...state, value: entry, cursor: entry.length, historyIndex: index };
    }
    case 'down': {
      if (!isOnLastLine(state)) {
        const start = lineStartOf(value, cursor);
        const column = cursor - start;
        const nextStart = lineEndOf(value, cursor) + 1;
        const nextLength = lineEndOf(value, nextStart) - nextStart;
        return { ...state, cursor: snap(value, nextStart + Math.min(column, nextLength)) };
      }
      if (state.historyIndex === null) return cursor === value.length ? state : { ...state, cursor: value.length };
      const index = state.historyIndex + 1;
      if (index >= action.history.length) {
        return { value: state.draft, cursor: state.draft.length, historyIndex: null, draft: '' };
      }
      const entry = action.history[index]!;
      return { ...state, value: entry, cursor: entry.length, historyIndex: index };
    }
    case 'set':
      return { value: action.value, cursor: action.value.length, historyIndex: null, draft: '' };
    case 'clear':
      return emptyComposer;
  }
}

/** Enter inserts a line break when a backslash sits right before the cursor; otherwise it sends. */
export function resolveEnter(state: ComposerState): { state: ComposerState; submit: boolean } {
  if (state.cursor > 0 && state.value[state.cursor - 1] === '\\') {
    const value = `${state.value.slice(0, state.cursor - 1)}\n${state.value.slice(state.cursor)}`;
    return { state: { ...state, value, cursor: state.cursor }, submit: false };
  }
  return { state, submit: true };
}

// --- key mapping ----------------------------------------------------------------------------------

/** The subset of ink's Key the composer reads. */
export interface KeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

/** Map one ink input event to composer commands ([] = not the composer's key). */
export function keyToCommands(input: string, key: KeyLike, history: readonly string[] = []): ComposerCommand[] {
  if (key.escape || key.tab || key.pageUp || key.pageDown) return [];
  if (key.return) return key.meta || key.shift ? [{ type: 'newline' }] : [{ type: 'enter' }];
  if (key.upArrow) return [{ type: 'up', history }];
  if (key.downArrow) return [{ type: 'down', history }];
  if (key.leftArrow) return [{ type: key.ctrl || key.meta ? 'wordLeft' : 'left' }];
  if (key.rightArrow) return [{ type: key.ctrl || key.meta ? 'wordRight' : 'right' }];
  if (key.home) return [{ type: 'lineStart' }];
  if (key.end) return [{ type: 'lineEnd' }];
  // ink reports the Backspace key (DEL, 0x7f) as `delete` and Ctrl+H as `backspace`: both delete back.
  if (key.backspace || key.delete) return [{ type: key.meta ? 'killWordBack' : 'backspace' }];
  if (key.ctrl) {
    switch (input) {
      case 'a':
        return [{ type: 'lineStart' }];
      case 'e':
        return [{ type: 'lineEnd' }];
      case 'b':
        return [{ type: 'left' }];
      case 'f':
        return [{ type: 'right' }];
      case 'd':
        return [{ type: 'deleteForward' }];
      case 'u':
        return [{ type: 'killToLineStart' }];
      case 'k':
        return [{ type: 'killToLineEnd' }];
      case 'w':
        return [{ type: 'killWordBack' }];
      case 'p':
        return [{ type: 'up', history }];
      case 'n':
        return [{ type: 'down', history }];
      default:
        return []; // Ctrl+C and friends belong to the app
    }
  }
  if (input === '') return [];
  // Ctrl+J arrives as a lone LF.
  if (input === '\n') return [{ type: 'newline' }];
  if (key.meta) {
    if (input === 'b') return [{ type: 'wordLeft' }];
    if (input === 'f') return [{ type: 'wordRight' }];
    return [];
  }
  // A chunk ending in one CR and holding no other line break: typed text then Enter
  // (tmux send-keys "text" Enter, or fast typing). Any other chunk is text, pastes included.
  if (input.length > 1 && input.endsWith('\r') && !/[\r\n]/.test(input.slice(0, -1))) {
    return [{ type: 'insert', text: input.slice(0, -1) }, { type: 'enter' }];
  }
  return [{ type: 'insert', text: input }];
}

// --- bracketed paste ------------------------------------------------------------------------------

/** Where a bracketed paste stands between ink input events. */
export interface PasteState {
  /** Between ESC[200~ and ESC[201~. */
  active: boolean;
  /**
   * The line break the paste so far ends with, held back: more pasted text puts it back in front
   * of that text; the end of the paste turns it into Enter.
   */
  heldBreak: string;
}

export const noPaste: PasteState = { active: false, heldBreak: '' };

/** ink hands the paste markers over as their own events, with the ESC already stripped. */
function isPasteMarker(input: string, key: KeyLike, marker: '200~' | '201~'): boolean {
  return !key.ctrl && (input === `[${marker}` || input === `\u001b[${marker}`);
}

const TRAILING_BREAK = /(?:\r\n|\r|\n)$/;

/**
 * `keyToCommands` with bracketed paste: the markers switch paste mode on and off, everything in
 * between is text (a lone CR or Tab that ink reports as a key included), and a paste whose text
 * ends in a line break ends with Enter instead of that line break, so "paste a paragraph with its
 * newline" sends it as one turn. Outside a paste, keys map as `keyToCommands` says.
 */
export function readKey(
  paste: PasteState,
  input: string,
  key: KeyLike,
  history: readonly string[] = [],
): { paste: PasteState; commands: ComposerCommand[] } {
  if (isPasteMarker(input, key, '200~')) return { paste: { active: true, heldBreak: '' }, commands: [] };
  if (isPasteMarker(input, key, '201~')) {
    return { paste: noPaste, commands: paste.active && paste.heldBreak ? [{ type: 'enter', paste: true }] : [] };
  }
  if (!paste.active) return { paste, commands: keyToCommands(input, key, history) };
  const chunk = key.return ? '\r' : key.tab ? '\t' : input;
  if (chunk === '') return { paste, commands: [] };
  // A CRLF split between two events comes together again here (and is one break once inserted).
  let text = paste.heldBreak + chunk;
  const heldBreak = TRAILING_BREAK.exec(text)?.[0] ?? '';
  text = text.slice(0, text.length - heldBreak.length);
  return { paste: { active: true, heldBreak }, commands: text ? [{ type: 'insert', text }] : [] };
}

/**
 * A paste whose end marker never came (a terminal that dropped it): leave paste mode, keeping
 * the held line break as text, so Enter sends again.
 */
export function abandonPaste(paste: PasteState): { paste: PasteState; commands: ComposerCommand[] } {
  return { paste: noPaste, commands: paste.heldBreak ? [{ type: 'insert', text: paste.heldBreak }] : [] };
}
