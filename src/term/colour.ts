// ANSI styling for plain (non-ink) output (the theme's styles, term/theme.ts), and the one rule
// that decides whether output is coloured. The `colour` setting it weighs is read by config/colour.ts; every
// command decides once and hands a Styler (or a flag) down, so nothing below commands reads it.
import { theme, type Theme } from './theme.js';

export type ColourSetting = 'auto' | 'always' | 'never';

/**
 * Colour or not, first answer wins:
 *  1. NO_COLOR (set, not empty): off (https://no-color.org);
 *  2. FORCE_COLOR (set, not empty): off for `0` or `false`, else on, terminal or not;
 *  3. the `colour` setting: `always` on, `never` off;
 *  4. TERM=dumb: off (a terminal that cannot show escape codes);
 *  5. on when the stream is a terminal.
 * `stream.isTTY` is read only when it is needed (a getter may stand in for process.stdout).
 */
export function colourDecision(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv, setting: ColourSetting | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (setting === 'always') return true;
  if (setting === 'never') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

/**
 * Styles for plain (non-ink) output: the ink layer's theme (term/theme.ts), the one set of ANSI
 * styles, so a nested style reopens after an inner close and empty text stays empty.
 */
export function styler(enabled: boolean): Styler {
  return theme(enabled);
}
export type Styler = Theme;
