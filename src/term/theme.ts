// ANSI styling for the ink layer. Components take an explicit `color` flag instead of relying on
// chalk's global level, so NO_COLOR / non-TTY output is plain and tests can force colour on.
// The flag is the command's one colour decision (config/colour.ts useColour), passed down.

export type Style = (text: string) => string;

export interface Theme {
  readonly color: boolean;
  bold: Style;
  dim: Style;
  italic: Style;
  underline: Style;
  strikethrough: Style;
  /** Always applied, even without colour: the composer's cursor must stay visible. */
  inverse: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
  gray: Style;
}

const sgr = (open: number, close: number): Style => {
  const o = `\u001b[${open}m`;
  const c = `\u001b[${close}m`;
  // Re-open after a nested close of the same kind (e.g. bold inside dim both close with 22).
  return (text) => (text === '' ? '' : o + text.split(c).join(c + o) + c);
};
const identity: Style = (text) => text;

const cache = new Map<boolean, Theme>();

export function theme(color: boolean): Theme {
  const cached = cache.get(color);
  if (cached) return cached;
  const pick = (open: number, close: number) => (color ? sgr(open, close) : identity);
  const made: Theme = {
    color,
    bold: pick(1, 22),
    dim: pick(2, 22),
    italic: pick(3, 23),
    underline: pick(4, 24),
    strikethrough: pick(9, 29),
    inverse: sgr(7, 27),
    red: pick(31, 39),
    green: pick(32, 39),
    yellow: pick(33, 39),
    blue: pick(34, 39),
    magenta: pick(35, 39),
    cyan: pick(36, 39),
    gray: pick(90, 39),
  };
  cache.set(color, made);
  return made;
}
