// Helpers shared by `sessions`, `progress` and `config`: which folder, colour from settings,
// and the small formats (dates, durations) every listing uses.
import type { Colour, Settings } from '../../schemas/settings.js';
import type { SessionEntry } from '../../storage/session-catalog.js';


/** Settings for a read-only command: a broken settings file must not stop `sessions list`. */
export async function settingsOrEmpty(): Promise<{ settings: Settings; warning: string | null }> {
  const [{ loadSettings }, { resolvePaths }] = await Promise.all([import('../../storage/settings.js'), import('../../storage/paths.js')]);
  try {
    return { settings: await loadSettings(resolvePaths()), warning: null };
  } catch (error) {
    return { settings: {}, warning: `ignoring settings: ${(error as Error).message}` };
  }
}

/** `--dir` wins; else the sessions folder (SDCOACH_SESSIONS_DIR > sessionsDir setting > <home>/sessions). */
export async function sessionsDirFor(dir: string | undefined): Promise<string> {
  const path = await import('node:path');
  if (dir) return path.resolve(dir);
  const { resolvePaths } = await import('../../storage/paths.js');
  return resolvePaths().sessionsDir;
}

/**
 * Why a `--dir` the user named cannot be read, or null when it is a folder. Your own sessions
 * folder may not exist yet (nothing recorded: "No sessions"); a folder named on the command line
 * that does not exist is a typo or the wrong working directory, and must not look empty.
 */
export async function missingDirReason(dir: string | undefined): Promise<string | null> {
  if (!dir) return null;
  const [{ stat }, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const resolved = path.resolve(dir);
  const shown = resolved === dir ? dir : `${dir} (${resolved})`;
  try {
    if (!(await stat(resolved)).isDirectory()) return `--dir ${shown} is not a folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `--dir ${shown}: no such folder` : `--dir ${shown}: ${code ?? (error as Error).message}`;
  }
  return null;
}


const pad2 = (n: number) => String(n).padStart(2, '0');

/** `2026-11-20 15:00` in the local time zone (set TZ to change it); `–` for an unreadable date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || date.getTime() === 0) return '–';
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

/** `41m`, `1h05m`, `0m`; `–` when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** `L5→L6`, `L4`, `<L3`, or `–` when not graded. */
export function compactGradeLevel(entry: SessionEntry): string {
  if (!entry.ok || !entry.grade) return '–';
  const { level, trackingToward, label } = entry.grade;
  const base = level ?? (label.startsWith('below') ? `<${label.replace(/^below /, '').split(',')[0]}` : '–');
  return trackingToward ? `${base}→${trackingToward}` : base;
}
