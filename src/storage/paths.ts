// Every path sdcoach reads or writes is decided here, and only here.
// SDCOACH_HOME overrides everything (tests always set it), so one env var moves
// sessions, settings and caches together.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SdcoachPaths {
  /** Root of everything sdcoach writes for this user. */
  home: string;
  /** Recorded practice sessions, one JSONL file each. */
  sessionsDir: string;
  /** User settings (conf writes `config.json` here). */
  configDir: string;
  settingsFile: string;
  /** Grade cache and other derived data that can be deleted safely. */
  cacheDir: string;
  /** Coaches' own problem and rubric files, merged with the packaged ones. */
  userProblemsDir: string;
  userRubricsDir: string;
  /** `grade --batch-api`: one manifest per submitted batch (ids, files, hashes; never a key) and its downloaded results. */
  batchesDir: string;
  /** GGUF model files for the local provider (`sdcoach models pull`); big, so SDCOACH_MODELS_DIR may move them. */
  modelsDir: string;
}

/**
 * The per-user data folder when SDCOACH_HOME is not set: XDG on Linux
 * (~/.local/share/sdcoach), Application Support on macOS, %LOCALAPPDATA% on Windows.
 */
function defaultHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'sdcoach');
  if (platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'sdcoach');
  }
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'sdcoach');
}

export function resolvePaths(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): SdcoachPaths {
  const home = env.SDCOACH_HOME ? path.resolve(env.SDCOACH_HOME) : defaultHome(env, platform);
  const configDir = home;
  const settingsFile = path.join(configDir, 'config.json');
  return {
    home,
    sessionsDir: sessionsDirFor(home, settingsFile, env),
    configDir,
    settingsFile,
    cacheDir: path.join(home, 'cache'),
    userProblemsDir: path.join(home, 'problems'),
    userRubricsDir: path.join(home, 'rubrics'),
    batchesDir: path.join(home, 'batches'),
    modelsDir: env.SDCOACH_MODELS_DIR?.trim() ? expandHome(env.SDCOACH_MODELS_DIR.trim()) : path.join(home, 'models'),
  };
}

/** `~/x` → the user's home; anything else absolute as given. */
export function expandHome(value: string): string {
  return value === '~' || value.startsWith('~/') ? path.join(os.homedir(), value.slice(1)) : path.resolve(value);
}

/** The variable that moves the sessions folder (config/resolve.ts lists it with the other overrides). */
export const SESSIONS_DIR_ENV = 'SDCOACH_SESSIONS_DIR';

/**
 * Sessions folder: SDCOACH_SESSIONS_DIR, then the `sessionsDir` setting, then <home>/sessions.
 * The setting is read here (synchronously, a tiny file) so every reader and writer of sessions
 * agrees without each loading settings; a missing or broken settings file is ignored here
 * (commands that load settings report it).
 */
function sessionsDirFor(home: string, settingsFile: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env[SESSIONS_DIR_ENV]?.trim();
  if (fromEnv) return expandHome(fromEnv);
  try {
    const value = (JSON.parse(readFileSync(settingsFile, 'utf8')) as { sessionsDir?: unknown }).sessionsDir;
    if (typeof value === 'string' && value.trim()) return expandHome(value.trim());
  } catch {
    // no settings file, or not JSON
  }
  return path.join(home, 'sessions');
}

/** Files shipped with the package (prompts, rubrics, example sessions), found from dist/ or src/. */
export function packageRoot(): string {
  // dist/storage/paths.js and src/storage/paths.ts are both two levels below the root.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function packagedDirs(root = packageRoot()) {
  return {
    prompts: path.join(root, 'prompts'),
    problems: path.join(root, 'prompts', 'problems'),
    rubrics: path.join(root, 'rubrics'),
    sessions: path.join(root, 'sessions'),
  };
}

/** The version in package.json (read once; tiny, and needed by --version and cache keys). */
let version: string | undefined;
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** Folder and file modes: sessions can hold personal notes, so only the owner reads them. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
