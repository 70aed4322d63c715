// The work behind `sdcoach config …`. Keys, types and allowed values all come from the zod
// schema (schemas/settings.ts), so a new setting needs no change here.
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SETTINGS_DEFAULTS, Settings, type SettingsKey } from '../schemas/settings.js';
import { expandHome, FILE_MODE, resolvePaths } from '../storage/paths.js';
import { loadSettings, saveSettings } from '../storage/settings.js';
import { didYouMean } from '../storage/yaml-file.js';
import { styler } from './style.js';
import { colourEnabled, textTable } from './sessions-shared.js';

const KEYS = Object.keys(Settings.shape).filter((key) => key !== 'schemaVersion') as SettingsKey[];
const SECRET_KEYS = new Set<SettingsKey>(['apiKey']);

/** Environment variables that override a setting (flags > env > settings > defaults). */
const ENV_OVERRIDES: Partial<Record<SettingsKey, string[]>> = {
  provider: ['SDCOACH_PROVIDER'],
  model: ['SDCOACH_MODEL'],
  baseURL: ['OPENAI_BASE_URL'],
  apiKey: ['SDCOACH_API_KEY', 'OPENAI_API_KEY'],
  shareOpenAIKeyWithCustomBaseURL: ['SDCOACH_SHARE_OPENAI_KEY'],
  sessionsDir: ['SDCOACH_SESSIONS_DIR'],
  colour: ['NO_COLOR', 'FORCE_COLOR'],
};

function err(text: string): void {
  process.stderr.write(text);
}

class UsageError extends Error {}

function checkKey(key: string): SettingsKey {
  if ((KEYS as string[]).includes(key)) return key as SettingsKey;
  const guess = didYouMean(key, KEYS);
  throw new UsageError(`unknown setting "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; settings: ${KEYS.join(', ')}`);
}

/** The field's schema without its `.optional()`. */
function fieldSchema(key: SettingsKey): z.ZodType {
  const field = Settings.shape[key] as z.ZodType;
  return field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
}

function describeType(key: SettingsKey): string {
  const schema = fieldSchema(key);
  if (schema instanceof z.ZodEnum) return (schema.options as string[]).join(' | ');
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodBoolean) return 'true | false';
  return 'text';
}

/** Turn the command-line text into the field's type, then validate it with the schema. */
export function parseSettingValue(key: SettingsKey, raw: string): unknown {
  const schema = fieldSchema(key);
  let value: unknown = raw.trim();
  if (schema instanceof z.ZodEnum) {
    const options = schema.options as string[];
    const match = options.find((o) => o.toLowerCase() === raw.trim().toLowerCase());
    if (!match) {
      const guess = didYouMean(raw.trim(), options);
      throw new UsageError(`${key} must be one of ${options.join(', ')}; got "${raw}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
    value = match;
  } else if (schema instanceof z.ZodNumber) {
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${key} must be a number; got "${raw}"`);
    value = n;
  } else if (schema instanceof z.ZodBoolean) {
    const text = raw.trim().toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(text)) value = true;
    else if (['false', 'no', 'off', '0'].includes(text)) value = false;
    else throw new UsageError(`${key} must be true or false; got "${raw}"`);
  } else if (key === 'sessionsDir' && typeof value === 'string' && !value.startsWith('~')) {
    // A relative folder means "from here": store it absolute so it means the same everywhere.
    value = path.resolve(value);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${key}: ${issue.message} (got "${raw}")`);
  }
  return parsed.data;
}

export function mask(value: string): string {
  return value.length <= 8 ? '****' : `${value.slice(0, 3)}…${value.slice(-4)}`;
}

interface Effective {
  key: SettingsKey;
  value: unknown;
  source: 'settings' | 'default' | 'unset';
  /** An environment variable that is set and takes precedence over this setting. */
  overriddenBy: string | null;
  type: string;
}

function effective(key: SettingsKey, settings: Settings, env = process.env): Effective {
  const stored = settings[key];
  const fallback = (SETTINGS_DEFAULTS as Record<string, unknown>)[key];
  let value: unknown = stored !== undefined ? stored : fallback !== undefined ? fallback : null;
  if (key === 'sessionsDir' && stored === undefined) value = path.join(resolvePaths(env).home, 'sessions');
  const source = stored !== undefined ? 'settings' : value !== null ? 'default' : 'unset';
  if (SECRET_KEYS.has(key) && typeof value === 'string') value = mask(value);
  const overriddenBy = (ENV_OVERRIDES[key] ?? []).find((name) => env[name] !== undefined && env[name] !== '') ?? null;
  return { key, value, source, overriddenBy, type: describeType(key) };
}

async function guarded(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) {
      err(`sdcoach config: ${error.message}\n`);
      return 2;
    }
    if (error instanceof Error && error.name === 'SettingsError') {
      err(`sdcoach config: ${error.message}\n  fix or remove the file (sdcoach config path), or use: sdcoach config unset <key>\n`);
      return 1;
    }
    throw error;
  }
}

export function runConfigList(options: { json?: boolean }): Promise<number> {
  return guarded(async () => {
    const settings = await loadSettings(resolvePaths());
    const rows = KEYS.map((key) => effective(key, settings));
    if (options.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    const style = styler(colourEnabled(settings.colour));
    const table = [['KEY', 'VALUE', 'SOURCE', 'ALLOWED']];
    for (const row of rows) {
      const source = row.overriddenBy ? `${row.source} (env ${row.overriddenBy} wins)` : row.source;
      const value = row.value === null ? style.dim('–') : String(row.value);
      table.push([row.key, value, row.source === 'settings' ? source : style.dim(source), style.dim(row.type)]);
    }
    process.stdout.write(textTable(table, style.bold) + '\n' + style.dim(`settings file: ${resolvePaths().settingsFile}`) + '\n');
    return 0;
  });
}

export function runConfigGet(key: string, options: { json?: boolean }): Promise<number> {
  return guarded(async () => {
    const checked = checkKey(key);
    const row = effective(checked, await loadSettings(resolvePaths()));
    if (options.json) process.stdout.write(JSON.stringify(row, null, 2) + '\n');
    else if (row.value === null) {
      err(`${checked} is not set\n`);
      return 1;
    } else process.stdout.write(`${String(row.value)}\n`);
    return 0;
  });
}

export function runConfigSet(key: string, raw: string): Promise<number> {
  return guarded(async () => {
    const checked = checkKey(key);
    const value = parseSettingValue(checked, raw);
    const paths = resolvePaths();
    const settings = await loadSettings(paths);
    await saveSettings(paths, { ...settings, [checked]: value });
    // conf writes 0600 already; a key makes it worth being sure even for a file made by hand.
    await chmod(paths.settingsFile, FILE_MODE);
    const shown = SECRET_KEYS.has(checked) ? mask(String(value)) : checked === 'sessionsDir' ? expandHome(String(value)) : String(value);
    process.stdout.write(`${checked} = ${shown}\n`);
    if (SECRET_KEYS.has(checked)) err('note: stored in a file only you can read (0600); an environment variable (SDCOACH_API_KEY) is safer.\n');
    const env = (ENV_OVERRIDES[checked] ?? []).find((name) => process.env[name]);
    if (env) err(`note: ${env} is set in your environment and takes precedence over this setting.\n`);
    return 0;
  });
}

export function runConfigUnset(key: string): Promise<number> {
  return guarded(async () => {
    const checked = checkKey(key);
    const paths = resolvePaths();
    const settings = await loadSettings(paths);
    if (settings[checked] === undefined) {
      process.stdout.write(`${checked} was not set\n`);
      return 0;
    }
    const { [checked]: _removed, ...rest } = settings;
    await saveSettings(paths, rest);
    const row = effective(checked, rest);
    process.stdout.write(`${checked} unset${row.value !== null ? ` (default: ${String(row.value)})` : ''}\n`);
    return 0;
  });
}
