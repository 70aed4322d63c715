// Settings live in <SDCOACH_HOME>/config.json, written by conf (atomic, 0600).
// conf is imported lazily: only commands that need settings pay for it.
import { access, mkdir } from 'node:fs/promises';
import { SdcoachError } from '../errors.js';
import { Settings } from '../schemas/settings.js';
import { DIR_MODE, FILE_MODE, type SdcoachPaths } from './paths.js';

/** The settings file is broken or cannot be written: a usage problem the user fixes (exit 2). */
export class SettingsError extends SdcoachError {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`, 2);
    this.name = 'SettingsError';
  }
}

async function openStore(paths: SdcoachPaths) {
  const { default: Conf } = await import('conf');
  return new Conf<Record<string, unknown>>({
    cwd: paths.configDir,
    configName: 'config',
    configFileMode: FILE_MODE,
  });
}

/** Read and validate settings; a missing file is empty settings, a broken one is a clear error. */
export async function loadSettings(paths: SdcoachPaths): Promise<Settings> {
  // Reading never creates anything, and with no file there is nothing for conf to do.
  const exists = await access(paths.settingsFile).then(
    () => true,
    () => false,
  );
  if (!exists) return {};
  let raw: Record<string, unknown>;
  try {
    raw = (await openStore(paths)).store;
  } catch (error) {
    throw new SettingsError(paths.settingsFile, (error as Error).message);
  }
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new SettingsError(paths.settingsFile, detail);
  }
  return parsed.data;
}

export async function saveSettings(paths: SdcoachPaths, settings: Settings): Promise<void> {
  const valid = Settings.parse(settings);
  await mkdir(paths.configDir, { recursive: true, mode: DIR_MODE });
  const store = await openStore(paths);
  store.store = valid as Record<string, unknown>;
}
