// The colour setting, read for the one colour rule in term/colour.ts: every command asks
// useColour() for its stream and hands the answer down (to renderers, the ink screen, the
// script runner), so `config set colour never` reaches everything.
import { readFileSync } from 'node:fs';
import { resolvePaths } from '../storage/paths.js';
import { colourDecision, type ColourSetting } from '../term/colour.js';

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
