// The work behind `sdcoach config …`. Keys, types and allowed values all come from the zod
// schema (schemas/settings.ts), so a new setting needs no change here.
import { chmod } from 'node:fs/promises';
import { SdcoachError, UsageError } from '../../errors.js';
import path from 'node:path';
import { z } from 'zod';
import { SETTINGS_DEFAULTS, Settings, type SettingsKey } from '../../schemas/settings.js';
import { expandHome, FILE_MODE, resolvePaths } from '../../storage/paths.js';
import { loadSettings, saveSettings, SettingsError } from '../../storage/settings.js';
import { styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import { envOverride } from '../../config/resolve.js';
import { textTable } from '../../term/table.js';

const KEYS = Object.keys(Settings.shape).filter((key) => key !== 'schemaVersion') as SettingsKey[];
const SECRET_KEYS = new Set<SettingsKey>(['apiKey']);

function err(text: string): void {
  process.stderr.write(text);
}


/**
 * Edit distance for typos, case-insensitive: insert, delete, substitute and swap two neighbours
 * cost 1, but a doubled letter ("modee", "minuutes") or one dropped from a pair costs 0.5, as it
 * is the likeliest slip. So "modee" is "mode" (0.5), not "model" (1).
 */
export function typoDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const extraInX = i > 1 && x[i - 1] === x[i - 2] ? 0.5 : 1;
      const extraInY = j > 1 && y[j - 1] === y[j - 2] ? 0.5 : 1;
      let best = Math.min(d[i - 1]![j]! + extraInX, d[i]![j - 1]! + extraInY, d[i - 1]![j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}

/**
 * The setting a mistyped key most likely meant, among the real keys only: the closest by
 * typoDistance (at most 2, and less than the typed length), or one the typed text starts (3+
 * characters). Between keys as close, one that accepts the value wins ("modle x": model, as mode
 * only takes interview or monologue).
 */
export function suggestKey(typed: string, value?: string): SettingsKey | undefined {
  const needle = typed.toLowerCase();
  const ranked = KEYS.flatMap((key, order) => {
    const distance = typoDistance(needle, key);
    const close = distance <= 2 && distance < needle.length;
    const prefix = needle.length >= 3 && key.toLowerCase().startsWith(needle);
    if (!close && !prefix) return [];
    let fits = 1;
    if (value !== undefined) {
      try {
        parseSettingValue(key, value);
      } catch {
        fits = 0;
      }
    }
    return [{ key, fits, score: close ? distance : 2.5, order }];
  });
  ranked.sort((a, b) => a.score - b.score || b.fits - a.fits || a.order - b.order);
  return ranked[0]?.key;
}

/** Dotted spellings of the flat keys: `config set judge.model …` is judgeModel. */
const KEY_ALIASES: Record<string, SettingsKey> = { 'judge.model': 'judgeModel', 'judge.provider': 'judgeProvider' };

function checkKey(key: string, value?: string): SettingsKey {
  if ((KEYS as string[]).includes(key)) return key as SettingsKey;
  const alias = KEY_ALIASES[key];
  if (alias) return alias;
  const guess = suggestKey(key, value);
  throw new UsageError(`unknown setting "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; settings: ${KEYS.join(', ')}`);
}

/** The closest of `options` to a mistyped value, if any is close. */
function closestOption(typed: string, options: readonly string[]): string | undefined {
  const scored = options
    .map((option) => ({ option, distance: typoDistance(typed, option) }))
    .filter(({ option, distance }) => (distance <= 2 && distance < typed.length) || (typed.length >= 3 && option.toLowerCase().startsWith(typed.toLowerCase())));
  scored.sort((a, b) => a.distance - b.distance);
  return scored[0]?.option;
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
  if (key === 'prices') return 'JSON {model: {input, output}}';
  return 'text';
}

/** "a whole number from 1 to 240", "a whole number of at least 1": what a number setting accepts. */
function numberRequirement(schema: z.ZodNumber): string {
  const whole = schema.isInt;
  const noun = whole ? 'a whole number' : 'a number';
  const bound = (value: number | null | undefined) => (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : null);
  let low = bound(schema.minValue);
  const high = bound(schema.maxValue);
  // An exclusive lower bound (positive()): for whole numbers the next one up.
  let above = low !== null && !schema.safeParse(low).success;
  if (above && whole) {
    low = low! + 1;
    above = false;
  }
  if (low !== null && high !== null) return `${noun} from ${low} to ${high}`;
  if (low !== null) return `${noun} ${above ? 'above' : 'of at least'} ${low}`;
  if (high !== null) return `${noun} of at most ${high}`;
  return noun;
}

/** One plain sentence for a value the schema refused (never zod's own wording). */
function plainValueError(key: SettingsKey, schema: z.ZodType, issue: z.core.$ZodIssue, raw: string): string {
  const got = ` (got "${raw}")`;
  if (schema instanceof z.ZodNumber) return `${key} must be ${numberRequirement(schema)}${got}`;
  if (issue.code === 'invalid_format' && issue.format === 'url') return `${key} must be a URL such as http://localhost:11434/v1${got}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return `${key} must not be empty`;
  if (issue.code === 'custom') return `${key} ${issue.message}${got}`;
  return `${key} is not a valid value${got}`;
}

/** Turn the command-line text into the field's type, then validate it with the schema. */
export function parseSettingValue(key: SettingsKey, raw: string): unknown {
  const schema = fieldSchema(key);
  const text = raw.trim();
  let value: unknown = text;
  if (schema instanceof z.ZodEnum) {
    const options = schema.options as string[];
    const match = options.find((o) => o.toLowerCase() === text.toLowerCase());
    if (!match) {
      const guess = text ? closestOption(text, options) : undefined;
      throw new UsageError(`${key} must be one of ${options.join(', ')} (got "${raw}"${guess ? `; did you mean "${guess}"?` : ''})`);
    }
    value = match;
  } else if (schema instanceof z.ZodNumber) {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) throw new UsageError(`${key} must be ${numberRequirement(schema)} (got "${raw}")`);
    value = n;
  } else if (schema instanceof z.ZodBoolean) {
    const word = text.toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(word)) value = true;
    else if (['false', 'no', 'off', '0'].includes(word)) value = false;
    else throw new UsageError(`${key} must be true or false (got "${raw}")`);
  } else if (text === '') {
    throw new UsageError(`${key} must not be empty (to remove it: sdcoach config unset ${key})`);
  } else if (key === 'sessionsDir' && typeof value === 'string' && !value.startsWith('~')) {
    // A relative folder means "from here": store it absolute so it means the same everywhere.
    value = path.resolve(value);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(plainValueError(key, schema, parsed.error.issues[0]!, raw));
  return parsed.data;
}

/** A setting's value as text: objects (prices) as JSON, not "[object Object]". */
function shownValue(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
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
  const overriddenBy = envOverride(key, env)?.name ?? null;
  return { key, value, source, overriddenBy, type: describeType(key) };
}

async function guarded(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    // Told by main as `sdcoach config: …`: a usage error exits 2, a broken settings file 1.
    if (error instanceof UsageError) throw error.under('config');
    if (error instanceof SettingsError) {
      throw new SdcoachError(`${error.message}\n  fix or remove the file (sdcoach config path), or use: sdcoach config unset <key>`, 1, { command: 'config', cause: error });
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
    const style = styler(useColour(process.stdout, process.env, settings.colour));
    const table = [['KEY', 'VALUE', 'SOURCE', 'ALLOWED']];
    for (const row of rows) {
      const source = row.overriddenBy ? `${row.source} (env ${row.overriddenBy} wins)` : row.source;
      const value = row.value === null ? style.dim('–') : shownValue(row.value);
      table.push([row.key, value, row.source === 'settings' ? source : style.dim(source), style.dim(row.type)]);
    }
    process.stdout.write(textTable(table, { header: style.bold }) + '\n' + style.dim(`settings file: ${resolvePaths().settingsFile}`) + '\n');
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
    } else process.stdout.write(`${shownValue(row.value)}\n`);
    return 0;
  });
}

export function runConfigSet(key: string, raw: string): Promise<number> {
  return guarded(async () => {
    const checked = checkKey(key, raw);
    const value = parseSettingValue(checked, raw);
    const paths = resolvePaths();
    const settings = await loadSettings(paths);
    await saveSettings(paths, { ...settings, [checked]: value });
    // conf writes 0600 already; a key makes it worth being sure even for a file made by hand.
    await chmod(paths.settingsFile, FILE_MODE);
    const shown = SECRET_KEYS.has(checked) ? mask(String(value)) : checked === 'sessionsDir' ? expandHome(String(value)) : shownValue(value);
    process.stdout.write(`${checked} = ${shown}\n`);
    if (SECRET_KEYS.has(checked)) err('note: stored in a file only you can read (0600); an environment variable (SDCOACH_API_KEY) is safer.\n');
    const env = envOverride(checked, process.env)?.name;
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
