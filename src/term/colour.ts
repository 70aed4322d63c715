// Minimal ANSI styling for plain (non-ink) output, and the one rule that decides
// whether output is coloured. The `colour` setting it weighs is read by config/colour.ts; every
// command decides once and hands a Styler (or a flag) down, so nothing below commands reads it.

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

export function styler(enabled: boolean) {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}
export type Styler = ReturnType<typeof styler>;
