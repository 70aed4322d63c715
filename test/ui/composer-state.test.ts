import { describe, expect, it } from 'vitest';
import {
  composerReducer,
  emptyComposer,
  initComposer,
  keyToCommands,
  noPaste,
  abandonPaste,
  readKey,
  resolveEnter,
  type ComposerAction,
  type ComposerCommand,
  type KeyLike,
  type PasteState,
  type ComposerState,
} from '../../src/ui/composer-state.js';

const run = (state: ComposerState, ...actions: ComposerAction[]) => actions.reduce(composerReducer, state);
const type = (text: string) => run(emptyComposer, { type: 'insert', text });

describe('composer reducer', () => {
  it('inserts at the cursor and moves by grapheme', () => {
    let s = type('héllo 👍🏽');
    s = run(s, { type: 'left' });
    expect(s.value.slice(s.cursor)).toBe('👍🏽');
    s = run(s, { type: 'backspace' });
    expect(s.value).toBe('héllo👍🏽');
    s = run(s, { type: 'lineStart' }, { type: 'insert', text: '> ' }, { type: 'lineEnd' }, { type: 'backspace' });
    expect(s.value).toBe('> héllo');
    expect(s.cursor).toBe(s.value.length);
  });

  it('normalises pasted text: CRLF and CR become LF, tabs spaces, control characters dropped', () => {
    expect(type('a\r\nb\rc\td\u0007').value).toBe('a\nb\nc    d');
  });

  it('Ctrl+U / Ctrl+K / Ctrl+W / Ctrl+D', () => {
    let s = type('first line\nsecond words here');
    s = run(s, { type: 'killWordBack' });
    expect(s.value).toBe('first line\nsecond words ');
    s = run(s, { type: 'killToLineStart' });
    expect(s.value).toBe('first line\n');
    s = run(s, { type: 'killToLineStart' });
    expect(s.value).toBe('first line');
    s = run(s, { type: 'lineStart' }, { type: 'killToLineEnd' });
    expect(s.value).toBe('');
    s = run(type('abc'), { type: 'lineStart' }, { type: 'deleteForward' });
    expect(s.value).toBe('bc');
  });

  it('Up/Down move between lines, keeping the column', () => {
    let s = type('abcdef\nxy\nlonger line');
    s = run(s, { type: 'up', history: ['old'] });
    expect(s.cursor).toBe('abcdef\nxy'.length);
    s = run(s, { type: 'up', history: ['old'] });
    expect(s.cursor).toBe(2);
    s = run(s, { type: 'down', history: [] }, { type: 'down', history: [] });
    expect(s.cursor).toBe('abcdef\nxy\nlo'.length);
  });

  it('Up on the first line browses history, Down returns to the draft', () => {
    const history = ['first answer', 'second\nanswer'];
    let s = type('draft');
    s = run(s, { type: 'up', history });
    expect(s.value).toBe('second\nanswer');
    s = run(s, { type: 'up', history }); // cursor on the last line of a multi-line entry: moves up
    expect(s.value).toBe('second\nanswer');
    s = run(s, { type: 'up', history });
    expect(s.value).toBe('first answer');
    s = run(s, { type: 'up', history });
    expect(s.value).toBe('first answer');
    s = run(s, { type: 'down', history });
    expect(s.value).toBe('second\nanswer');
    s = run(s, { type: 'down', history });
    expect(s.value).toBe('draft');
    expect(s.historyIndex).toBeNull();
  });

  it('a backslash before the cursor turns Enter into a newline', () => {
    const r = resolveEnter(type('line one\\'));
    expect(r.submit).toBe(false);
    expect(r.state.value).toBe('line one\n');
    expect(resolveEnter(type('done')).submit).toBe(true);
    expect(initComposer('x').cursor).toBe(1);
  });
});

describe('keyToCommands', () => {
  const none = {};
  it('Enter sends; Ctrl+J, Alt+Enter and Shift+Enter insert a newline', () => {
    expect(keyToCommands('\r', { return: true })).toEqual([{ type: 'enter' }]);
    expect(keyToCommands('\n', none)).toEqual([{ type: 'newline' }]);
    expect(keyToCommands('\r', { return: true, meta: true })).toEqual([{ type: 'newline' }]);
    expect(keyToCommands('\r', { return: true, shift: true })).toEqual([{ type: 'newline' }]);
  });

  it('a chunk with line breaks inside is a paste: text, never a send', () => {
    expect(keyToCommands('a\nb\n', none)).toEqual([{ type: 'insert', text: 'a\nb\n' }]);
    expect(keyToCommands('a\r\nb', none)).toEqual([{ type: 'insert', text: 'a\r\nb' }]);
    expect(keyToCommands('a\rb\r', none)).toEqual([{ type: 'insert', text: 'a\rb\r' }]);
  });

  it('"text\\r" as one chunk (tmux send-keys "text" Enter) is text then Enter', () => {
    expect(keyToCommands('hello there\r', none)).toEqual([{ type: 'insert', text: 'hello there' }, { type: 'enter' }]);
  });

  it('maps editing keys and leaves the app its keys', () => {
    expect(keyToCommands('a', { ctrl: true })).toEqual([{ type: 'lineStart' }]);
    expect(keyToCommands('e', { ctrl: true })).toEqual([{ type: 'lineEnd' }]);
    expect(keyToCommands('u', { ctrl: true })).toEqual([{ type: 'killToLineStart' }]);
    expect(keyToCommands('', { delete: true })).toEqual([{ type: 'backspace' }]);
    expect(keyToCommands('', { backspace: true, meta: true })).toEqual([{ type: 'killWordBack' }]);
    expect(keyToCommands('', { leftArrow: true, ctrl: true })).toEqual([{ type: 'wordLeft' }]);
    expect(keyToCommands('c', { ctrl: true })).toEqual([]);
    expect(keyToCommands('', { escape: true, meta: true })).toEqual([]);
    expect(keyToCommands('', { tab: true })).toEqual([]);
    expect(keyToCommands('', { upArrow: true }, ['h'])).toEqual([{ type: 'up', history: ['h'] }]);
  });
});

describe('readKey (bracketed paste)', () => {
  /** Feed ink input events (input, key) through readKey; return the commands and the paste state. */
  function feed(events: (string | [string, KeyLike])[], start: PasteState = noPaste) {
    let paste = start;
    const commands: ComposerCommand[] = [];
    for (const event of events) {
      const [input, key] = typeof event === 'string' ? [event, {}] : event;
      const read = readKey(paste, input, key);
      paste = read.paste;
      commands.push(...read.commands);
    }
    return { paste, commands };
  }
  /** Apply commands as the Composer does: edits, and the text at each Enter. */
  function play(commands: ComposerCommand[]) {
    let state = emptyComposer;
    const sent: string[] = [];
    for (const c of commands) {
      if (c.type === 'enter') {
        sent.push(state.value.replace(/\s+$/, ''));
        state = emptyComposer;
      } else state = composerReducer(state, c);
    }
    return { draft: state.value, sent };
  }
  // As ink hands them over: the markers as their own events, ESC stripped.
  const START = '[200~';
  const END = '[201~';
  const para = (n: number) => `Paragraph ${n}: the redirect path reads a cache in front of a key-value store, keyed by the short code.`;
  const big = Array.from({ length: 45 }, (_, i) => para(i + 1)).join('\r');

  it('a 4.4 KB paste that ends in a line break is sent as one turn, the last break acting as Enter', () => {
    expect(big.length).toBeGreaterThan(4400);
    // ink passes what each read() returned: the paste in several pieces.
    const { paste, commands } = feed([START, big.slice(0, 4095), big.slice(4095), '\r', END]);
    expect(paste).toEqual(noPaste);
    expect(commands.at(-1)).toEqual({ type: 'enter', paste: true });
    const { draft, sent } = play(commands);
    expect(sent).toEqual([big.replace(/\r/g, '\n')]);
    expect(draft).toBe('');
  });

  it('a paste without a trailing line break stays in the draft, line breaks and all', () => {
    const { commands } = feed([START, 'first line\rsecond line', END]);
    expect(commands.some((c) => c.type === 'enter')).toBe(false);
    expect(play(commands)).toEqual({ draft: 'first line\nsecond line', sent: [] });
  });

  it('inside a paste "text\\r" is text, a lone CR or Tab that ink reports as a key is text, CRLF split across events is one break', () => {
    const { commands } = feed([START, 'a\r', ['', { return: true }], 'b\r', '\nc', ['', { tab: true }], 'd\r\n', END]);
    expect(play(commands)).toEqual({ draft: '', sent: ['a\n\nb\nc    d'] });
    // Outside a paste, "text\r" is still typed text then Enter.
    expect(feed(['hello\r']).commands).toEqual([{ type: 'insert', text: 'hello' }, { type: 'enter' }]);
  });

  it('a paste ending in a backslash and a line break is sent with its backslash', () => {
    expect(play(feed([START, 'ls \\\r', END]).commands).sent).toEqual(['ls \\']);
  });

  it('a stray end marker does nothing; a paste whose end never came keeps its last line break as text', () => {
    expect(feed([END]).commands).toEqual([]);
    const { paste } = feed([START, 'half a paste\r']);
    expect(paste).toEqual({ active: true, heldBreak: '\r' });
    expect(abandonPaste(paste)).toEqual({ paste: noPaste, commands: [{ type: 'insert', text: '\r' }] });
  });
});
