// Transcript text is shown in a terminal: a control character in it (a pasted colour code, a
// bell, a stray backspace, a carriage return) must never reach the terminal raw, where it would
// recolour, move the cursor or clear the screen. Terminal escape sequences are removed whole (so
// "\x1b[31mRedis\x1b[0m" reads "Redis"), other controls are dropped; tab and line feed stay.
// No imports: the plain importer, the renderers and the ink UI all use it.

/* eslint-disable no-control-regex */
/** One terminal escape sequence: the one pattern for stripping, measuring and wrapping. */
const ESCAPE_SEQUENCE = [
  // CSI: ESC [ parameters intermediates final (an unfinished one at the very end too, as a
  // streamed reply can stop mid-sequence); the 8-bit CSI U+009B likewise.
  String.raw`(?:\u001b\[|\u009b)[0-?]*[ -/]*(?:[@-~]|$)`,
  // OSC (titles, hyperlinks) up to BEL or ST, or to the end when unterminated.
  String.raw`(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c|$)`,
  // DCS, SOS, PM, APC strings up to ST.
  String.raw`(?:\u001b[PX^_]|[\u0090\u0098\u009e\u009f])[^\u001b\u009c]*(?:\u001b\\|\u009c|$)`,
  // Short escapes (ESC 7, ESC c, ESC ( B …); a lone ESC before a space is dropped below.
  String.raw`\u001b[#%(-/]?[0-~]`,
].join('|');

/** The escape-sequence pattern with `flags` ('g' to replace every one, 'y' to match at lastIndex). */
export function escapeSequences(flags: string): RegExp {
  return new RegExp(ESCAPE_SEQUENCE, flags);
}
const SEQUENCES = escapeSequences('g');
/** C0 controls but tab and line feed, DEL and the C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */

/** True when `text` holds a control character that stripControls would remove. */
export function hasControls(text: string): boolean {
  return ANY_CONTROL.test(text);
}

/** `text` without terminal escape sequences or control characters (tab and newline kept; CRLF and a lone CR become a newline). */
export function stripControls(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(/\r\n?/g, '\n').replace(SEQUENCES, '').replace(CONTROLS, '');
}

/** Colour and other escape sequences removed, nothing else: for measuring or un-colouring our own output. */
export function stripAnsi(text: string): string {
  return text.replace(SEQUENCES, '');
}
