// Minimal ANSI styling and word wrap for plain (non-ink) output, and the one place that decides
// whether output is coloured (every command, the ink screen and the script runner ask useColour).
import { readFileSync } from 'node:fs';
import { resolvePaths } from '../storage/paths.js';

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
 * The `colour` setting, read synchronously from the settings file (a tiny JSON file, like the
 * sessionsDir setting in storage/paths.ts) so every command honours it without loading settings;
 * a missing or broken file, or an unknown value, is `auto` here (commands that load settings
 * report a broken file).
 */
export function colourSetting(env: NodeJS.ProcessEnv = process.env): ColourSetting | undefined {
  try {
    const value = (JSON.parse(readFileSync(resolvePaths(env).settingsFile, 'utf8')) as { colour?: unknown }).colour;
    return value === 'always' || value === 'never' || value === 'auto' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether to colour what goes to `stream`: colourDecision with the setting from the settings file unless given. */
export function useColour(
  stream: { readonly isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
  setting: ColourSetting | undefined = colourSetting(env),
): boolean {
  return colourDecision(stream, env, setting);
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

/** Word-wrap to `width` columns: the first line after `first`, the others after `rest`. */
export function wrap(text: string, width: number, first: string, rest = first): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const indent = lines.length === 0 ? first : rest;
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push((lines.length === 0 ? first : rest) + line);
  return lines.join('\n');
}
